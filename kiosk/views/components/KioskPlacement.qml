pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import QtQuick.Shapes
import MallKiosk

// Maintenance: place this kiosk on the map. Tap where it stands, then tap the way a shopper
// reading the screen faces (or turn with the buttons), then Save. The position in use shows as
// the red "You are here"; the new one, until saved, in blue with a long arrow.
Item {
    id: root

    required property PlacementViewModel placement
    required property ShellViewModel shell
    // Who is making the change, for the audit log.
    required property string staffName

    objectName: "kioskPlacement"
    implicitWidth: 1080
    implicitHeight: 1300
    Component.onCompleted: placement.load()

    // A second-rank action: outlined, so it reads as a button on the page's background.
    component OutlineButton: KioskButton {
        id: outline
        fill: Theme.surface
        ink: Theme.primary
        background: Rectangle {
            radius: Theme.radius
            color: outline.down ? Theme.accent : Theme.surface
            border.width: 3
            border.color: Theme.primary
        }
    }

    function compass(degrees: real): string {
        const names = [qsTr("north"), qsTr("north-east"), qsTr("east"), qsTr("south-east"),
                       qsTr("south"), qsTr("south-west"), qsTr("west"), qsTr("north-west")]
        return names[Math.round(degrees / 45) % 8]
    }
    function facing(degrees: real): string {
        return qsTr("facing %1° (%2)").arg(Math.round(degrees) % 360).arg(root.compass(degrees))
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: Theme.gap

        Text {
            objectName: "placementInstructions"
            Layout.fillWidth: true
            text: root.placement.step === "face"
                  ? qsTr("2. Tap the way a shopper faces when reading the screen, or turn the arrow with the buttons below.")
                  : qsTr("1. Tap the map where the kiosk stands. Choose its floor first.")
            font.pixelSize: Theme.fontLabel
            font.bold: true
            color: Theme.text
            wrapMode: Text.WordWrap
        }

        // Floors, lowest on the left; the floor of the new position is outlined.
        Flow {
            Layout.fillWidth: true
            spacing: Theme.gap
            Text {
                height: Theme.touchMin
                verticalAlignment: Text.AlignVCenter
                text: qsTr("Floor")
                font.pixelSize: Theme.fontBody
                color: Theme.textMuted
            }
            Repeater {
                model: root.placement.levels
                delegate: MapButton {
                    id: floor
                    required property string id
                    required property string short_name
                    required property bool shown
                    required property bool saved
                    required property bool pending
                    objectName: "placementLevel_" + short_name
                    width: Theme.touchMin * 1.4
                    text: short_name
                    selected: floor.shown
                    marked: floor.pending
                    onClicked: root.placement.showLevel(floor.id)
                    // The floor of the position in use, in the colour of "You are here".
                    Rectangle {
                        visible: floor.saved
                        anchors.top: parent.top
                        anchors.right: parent.right
                        anchors.margins: 8
                        width: 18
                        height: 18
                        radius: 9
                        color: Theme.hereColor
                        border.color: "#FFFFFF"
                        border.width: 2
                    }
                }
            }
        }

        LevelMap {
            id: levelMap
            objectName: "placementMap"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: 400
            map: root.placement.map
            shell: root.shell
            levelButtons: false
            onTapped: (x, y) => root.placement.tapAt(x, y)

            // The new position, until saved: a dot and a long arrow the way the kiosk faces.
            Item {
                id: pendingMarker
                objectName: "pendingHere"
                readonly property real radius: 120
                visible: root.placement.pendingVisible && root.placement.dirty
                x: levelMap.originX + root.placement.pendingX * levelMap.pxPerMetre - radius
                y: levelMap.originY + root.placement.pendingY * levelMap.pxPerMetre - radius
                width: 2 * radius
                height: 2 * radius
                Shape {
                    anchors.fill: parent
                    rotation: root.placement.pendingHeading
                    ShapePath {
                        strokeColor: "#FFFFFF"
                        strokeWidth: 14
                        capStyle: ShapePath.RoundCap
                        fillColor: "transparent"
                        startX: pendingMarker.radius; startY: pendingMarker.radius
                        PathLine { x: pendingMarker.radius; y: 30 }
                    }
                    ShapePath {
                        strokeColor: Theme.primary
                        strokeWidth: 8
                        capStyle: ShapePath.RoundCap
                        fillColor: "transparent"
                        startX: pendingMarker.radius; startY: pendingMarker.radius
                        PathLine { x: pendingMarker.radius; y: 30 }
                    }
                    ShapePath {
                        fillColor: Theme.primary
                        strokeColor: "#FFFFFF"
                        strokeWidth: 4
                        startX: pendingMarker.radius; startY: 0
                        PathLine { x: pendingMarker.radius + 24; y: 40 }
                        PathLine { x: pendingMarker.radius - 24; y: 40 }
                        PathLine { x: pendingMarker.radius; y: 0 }
                    }
                }
                Rectangle {
                    anchors.centerIn: parent
                    width: 44
                    height: 44
                    radius: 22
                    color: Theme.primary
                    border.color: "#FFFFFF"
                    border.width: 6
                }
                // The label sits on the side away from the arrow.
                Rectangle {
                    readonly property real away: (root.placement.pendingHeading + 180) * Math.PI / 180
                    // Clear of the dot whichever way: the label's half extent that way, and more.
                    readonly property real reach: 34 + Math.abs(Math.sin(away)) * width / 2
                                                  + Math.abs(Math.cos(away)) * height / 2
                    x: pendingMarker.radius + reach * Math.sin(away) - width / 2
                    y: pendingMarker.radius - reach * Math.cos(away) - height / 2
                    width: newText.implicitWidth + 16
                    height: newText.implicitHeight + 6
                    radius: 6
                    color: Theme.primary
                    Text {
                        id: newText
                        anchors.centerIn: parent
                        text: qsTr("New position")
                        font.pixelSize: 22
                        font.bold: true
                        color: Theme.textOnPrimary
                    }
                }
            }
        }

        // The way the new position faces: tap on the map, or turn in steps.
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            KioskButton {
                objectName: "placementTurnLeft"
                text: "15°"
                iconSource: Theme.icon("turn_left")
                enabled: root.placement.hasPending && !root.placement.busy
                onClicked: root.placement.rotate(-15)
            }
            KioskButton {
                objectName: "placementTurnRight"
                text: "15°"
                iconSource: Theme.icon("turn_right")
                enabled: root.placement.hasPending && !root.placement.busy
                onClicked: root.placement.rotate(15)
            }
            Text {
                objectName: "placementFacing"
                Layout.fillWidth: true
                text: root.placement.hasPending ? root.facing(root.placement.pendingHeading) : ""
                font.pixelSize: Theme.fontLabel
                color: Theme.text
                wrapMode: Text.WordWrap
            }
            // Which the next tap on the map does: move the kiosk, or turn it.
            OutlineButton {
                objectName: "placementStep"
                text: root.placement.step === "face" ? qsTr("Move it") : qsTr("Turn it")
                enabled: root.placement.hasPending && !root.placement.busy
                onClicked: root.placement.step === "face" ? root.placement.movePoint()
                                                          : root.placement.startFacing()
            }
        }

        // In use, and what Save would change.
        Text {
            objectName: "placementInUse"
            Layout.fillWidth: true
            text: !root.placement.hasSaved
                  ? qsTr("In use: none. This kiosk has no position yet, so it shows no “You are here” and gives no directions.")
                  : (root.placement.source === "device"
                     ? qsTr("In use: %1, %2, set on this kiosk.")
                     : qsTr("In use: %1, %2, from the mall's map data."))
                    .arg(root.placement.savedLevelName).arg(root.facing(root.placement.savedHeading))
            font.pixelSize: Theme.fontBody
            color: Theme.text
            wrapMode: Text.WordWrap
        }
        Text {
            objectName: "placementPending"
            Layout.fillWidth: true
            visible: root.placement.dirty
            text: qsTr("New: %1, %2 (%3, %4): not saved yet.")
                  .arg(root.placement.pendingLevelName)
                  .arg(root.facing(root.placement.pendingHeading))
                  .arg(root.placement.pendingLon.toFixed(7))
                  .arg(root.placement.pendingLat.toFixed(7))
            font.pixelSize: Theme.fontBody
            font.bold: true
            color: Theme.primary
            wrapMode: Text.WordWrap
        }
        Text {
            objectName: "placementMessage"
            Layout.fillWidth: true
            visible: text !== ""
            text: root.placement.message
            font.pixelSize: Theme.fontBody
            font.bold: true
            color: root.placement.error ? Theme.notice : Theme.success
            wrapMode: Text.WordWrap
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            OutlineButton {
                objectName: "placementUseVenue"
                text: qsTr("Use map data")
                visible: root.placement.canUseVenue
                enabled: !root.placement.busy
                onClicked: root.placement.useVenuePosition(root.staffName)
            }
            Item { Layout.fillWidth: true }
            OutlineButton {
                objectName: "placementRevert"
                text: qsTr("Revert")
                enabled: root.placement.dirty && !root.placement.busy
                onClicked: root.placement.revert()
            }
            KioskButton {
                objectName: "placementSave"
                text: qsTr("Save")
                enabled: root.placement.dirty && !root.placement.busy
                onClicked: root.placement.save(root.staffName)
            }
        }
    }
}
