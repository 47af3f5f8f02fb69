pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Shapes
import MallKiosk

// One level of the mall, north up: drag to pan, pinch or +/− to zoom, a floor switcher, and
// "back to me". Geometry is in metres; `world` scales it and labels are placed by the view
// model for the current scale so they stay readable and never overlap.
Rectangle {
    id: view

    required property MapViewModel map
    required property ShellViewModel shell
    // Zoom shown when the map opens or the level changes: closer in for one place.
    property real initialZoom: 1.0
    // The floor switcher on the left; off where the page has floor buttons of its own.
    property bool levelButtons: true
    // Where the map's (0, 0) is in the view, for drawing over the map in its metres.
    readonly property real originX: world.x
    readonly property real originY: world.y

    // A tap (not a drag or pinch) on the map, at (x, y) in the map's metres.
    signal tapped(real x, real y)

    // Pixels per metre at zoom 1: the whole venue fits the view.
    readonly property real fitScale: Math.min((width - 2 * Theme.gap) / Math.max(1, map.mapWidth),
                                              (height - 2 * Theme.gap) / Math.max(1, map.mapHeight))
    readonly property real pxPerMetre: fitScale * world.scale
    readonly property real minZoom: 1.0
    readonly property real maxZoom: 6.0

    color: Theme.mapFill("background")
    clip: true
    // Shapes under a scaled item escaped the clip in testing; drawing the map into its own
    // layer keeps everything inside the view's rectangle.
    layer.enabled: true
    objectName: "levelMap"

    Component.onCompleted: map.load()
    onPxPerMetreChanged: relabelTimer.restart()
    Connections {
        target: view.shell
        function onLanguageChanged() { view.map.relabel(view.pxPerMetre, view.shell.language) }
    }
    Timer {
        id: relabelTimer
        interval: 80
        onTriggered: view.map.relabel(view.pxPerMetre, view.shell.language)
    }
    Connections {
        target: view.map
        function onCenterOn(x: real, y: real) { view.centre(x, y) }
    }

    function centre(x: real, y: real) {
        world.x = view.along(view.width, view.map.mapWidth, view.width / 2 - x * view.pxPerMetre)
        world.y = view.along(view.height, view.map.mapHeight, view.height / 2 - y * view.pxPerMetre)
    }
    // Where the map's edge goes along one axis to bring a point to the middle; when the whole
    // map fits that way it stays centred instead (moving it would only push part out of view).
    function along(span: real, metres: real, wanted: real): real {
        const size = metres * view.pxPerMetre
        return size <= span ? (span - size) / 2 : wanted
    }
    function zoomBy(factor: real) {
        const cx = (view.width / 2 - world.x) / view.pxPerMetre
        const cy = (view.height / 2 - world.y) / view.pxPerMetre
        world.scale = Math.max(view.minZoom, Math.min(view.maxZoom, world.scale * factor))
        view.centre(cx, cy)
    }
    function reset() {
        world.scale = view.initialZoom
        world.x = (view.width - view.map.mapWidth * view.pxPerMetre) / 2
        world.y = (view.height - view.map.mapHeight * view.pxPerMetre) / 2
        view.map.recenter()
    }
    onWidthChanged: reset()
    onHeightChanged: reset()
    Connections {
        target: view.map
        function onLevelChanged() { view.map.recenter() }
    }

    Item {
        id: world
        objectName: "mapWorld"
        width: view.map.mapWidth * view.fitScale
        height: view.map.mapHeight * view.fitScale
        transformOrigin: Item.TopLeft

        Repeater {
            model: view.map.units
            delegate: Shape {
                id: unit
                required property var paths
                required property string fill_key
                required property bool highlighted
                required property string kind
                anchors.fill: parent
                ShapePath {
                    scale: Qt.size(view.fitScale, view.fitScale)
                    fillRule: ShapePath.OddEvenFill
                    fillColor: unit.highlighted ? Theme.accent : Theme.mapFill(unit.fill_key)
                    strokeColor: unit.highlighted ? Theme.text : Theme.mapFill("outline")
                    strokeWidth: (unit.highlighted ? 3 : 1) / world.scale
                    PathMultiline { paths: unit.paths }
                }
            }
        }

        // The route on this level, over the units.
        Repeater {
            model: view.map.routePaths
            delegate: Shape {
                id: leg
                required property var modelData
                anchors.fill: parent
                ShapePath {
                    scale: Qt.size(view.fitScale, view.fitScale)
                    fillColor: "transparent"
                    strokeColor: Theme.routeColor
                    strokeWidth: 10 / world.scale
                    capStyle: ShapePath.RoundCap
                    joinStyle: ShapePath.RoundJoin
                    PathPolyline { path: leg.modelData }
                }
            }
        }
    }

    // Markers and labels keep their size whatever the zoom: they sit in view coordinates.
    Repeater {
        model: view.map.markers
        delegate: Rectangle {
            id: marker
            required property string icon_key
            required property real mx
            required property real my
            readonly property real size: 44
            x: world.x + marker.mx * view.pxPerMetre - size / 2
            y: world.y + marker.my * view.pxPerMetre - size / 2
            width: size
            height: size
            radius: size / 2
            color: Theme.primary
            Image {
                anchors.centerIn: parent
                source: Theme.icon(marker.icon_key)
                sourceSize.width: parent.width * 0.66
                sourceSize.height: parent.width * 0.66
            }
        }
    }
    Repeater {
        model: view.map.labels
        delegate: Text {
            id: label
            required property string label
            required property real lx
            required property real ly
            required property real size
            required property bool highlighted
            x: world.x + label.lx * view.pxPerMetre - implicitWidth / 2
            y: world.y + label.ly * view.pxPerMetre - implicitHeight / 2
            text: label.label
            font.pixelSize: label.size
            font.bold: label.highlighted
            color: Theme.text
            style: Text.Outline
            styleColor: "#FFFFFF"
        }
    }

    // The end of the route and "you are here".
    Rectangle {
        objectName: "routeEnd"
        visible: view.map.routeEndVisible
        width: 36
        height: 36
        radius: 18
        x: world.x + view.map.routeEnd.x * view.pxPerMetre - 18
        y: world.y + view.map.routeEnd.y * view.pxPerMetre - 18
        color: Theme.routeColor
        border.color: "#FFFFFF"
        border.width: 4
    }
    Item {
        objectName: "youAreHere"
        visible: view.map.hereVisible
        x: world.x + view.map.hereX * view.pxPerMetre - 32
        y: world.y + view.map.hereY * view.pxPerMetre - 32
        width: 64
        height: 64
        Rectangle {
            anchors.centerIn: parent
            width: 40
            height: 40
            radius: 20
            color: Theme.hereColor
            border.color: "#FFFFFF"
            border.width: 5
        }
        // Which way the shopper faces when reading the screen.
        Shape {
            anchors.fill: parent
            rotation: view.map.hereHeading
            ShapePath {
                fillColor: Theme.hereColor
                strokeColor: "#FFFFFF"
                strokeWidth: 3
                startX: 32; startY: 0
                PathLine { x: 44; y: 16 }
                PathLine { x: 20; y: 16 }
                PathLine { x: 32; y: 0 }
            }
        }
        Rectangle {
            anchors.top: parent.bottom
            anchors.horizontalCenter: parent.horizontalCenter
            width: hereText.implicitWidth + 16
            height: hereText.implicitHeight + 6
            radius: 6
            color: Theme.hereColor
            Text {
                id: hereText
                anchors.centerIn: parent
                text: qsTr("You are here")
                font.pixelSize: 22
                font.bold: true
                color: "#FFFFFF"
            }
        }
    }

    DragHandler {
        target: world
        xAxis.enabled: true
        yAxis.enabled: true
    }
    PinchHandler {
        target: world
        rotationAxis.enabled: false
        scaleAxis.minimum: view.minZoom
        scaleAxis.maximum: view.maxZoom
    }
    TapHandler {
        objectName: "mapTap"
        onTapped: point => view.tapped((point.position.x - world.x) / view.pxPerMetre,
                                       (point.position.y - world.y) / view.pxPerMetre)
    }

    // Floor switcher on the left, zoom and "back to me" on the right: single taps for everyone
    // who cannot pinch (WCAG 2.5.1).
    Column {
        visible: view.levelButtons
        anchors.left: parent.left
        anchors.top: parent.top
        anchors.margins: Theme.gap
        spacing: Theme.gap / 2
        Repeater {
            model: view.map.levels
            delegate: MapButton {
                id: tab
                required property string id
                required property string short_name
                required property bool here
                required property bool on_route
                objectName: "mapLevel_" + short_name
                text: short_name
                selected: view.map.levelId === tab.id
                marked: tab.on_route
                onClicked: view.map.showLevel(tab.id)
            }
        }
    }
    Column {
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: Theme.gap
        spacing: Theme.gap / 2
        MapButton { objectName: "zoomIn"; text: "+"; onClicked: view.zoomBy(1.5) }
        MapButton { objectName: "zoomOut"; text: "−"; onClicked: view.zoomBy(1 / 1.5) }
        MapButton {
            objectName: "backToMe"
            iconName: "locate"
            onClicked: {
                view.reset()
                view.map.backToMe()
            }
        }
    }
    Rectangle {
        anchors.top: parent.top
        anchors.right: parent.right
        anchors.margins: Theme.gap
        width: levelLabel.implicitWidth + 2 * Theme.gap
        height: levelLabel.implicitHeight + Theme.gap
        radius: Theme.radius
        color: Theme.primary
        Text {
            id: levelLabel
            objectName: "mapLevelName"
            anchors.centerIn: parent
            text: view.map.levelName
            font.pixelSize: Theme.fontTitle
            font.bold: true
            color: Theme.textOnPrimary
        }
    }
}
