pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import MallKiosk
import kiosk.views.components

// The route: the map with the way drawn level by level, step-by-step directions, walking or
// step-free, and a QR code that takes the route to the shopper's phone.
Item {
    id: page

    required property RouteViewModel route
    required property MapViewModel map
    required property ShellViewModel shell
    property string screen: "route"

    readonly property bool english: shell.language === "en"
    readonly property bool wide: width > height

    objectName: "screen_route"

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.gap

        // Destination, distance and time, and the walking / step-free choice.
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.margin
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 0
                Text {
                    objectName: "routeDestination"
                    Layout.fillWidth: true
                    text: qsTr("To %1").arg(page.english ? page.route.destinationEn : page.route.destinationZh)
                    font.pixelSize: Theme.fontTitle
                    font.bold: true
                    color: Theme.text
                    elide: Text.ElideRight
                }
                Text {
                    objectName: "routeSummary"
                    text: page.english ? page.route.summaryEn : page.route.summaryZh
                    font.pixelSize: Theme.fontLabel
                    color: Theme.textMuted
                }
            }
            KioskButton {
                objectName: "modeWalk"
                text: qsTr("Walk")
                iconSource: Theme.icon("walk")
                fill: page.route.stepFree ? Theme.textMuted : Theme.primary
                onClicked: page.route.setStepFree(false)
            }
            KioskButton {
                objectName: "modeStepFree"
                text: qsTr("Step-free")
                iconSource: Theme.icon("wheelchair")
                fill: page.route.stepFree ? Theme.primary : Theme.textMuted
                onClicked: page.route.setStepFree(true)
            }
        }

        Text {
            objectName: "routeError"
            Layout.fillWidth: true
            visible: page.route.error !== ""
            text: page.route.error
            font.pixelSize: Theme.fontLabel
            color: Theme.notice
            wrapMode: Text.WordWrap
        }

        LevelMap {
            objectName: "routeMap"
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.minimumHeight: page.height * 0.35
            map: page.map
            shell: page.shell
        }

        RowLayout {
            Layout.fillWidth: true
            Layout.preferredHeight: page.height * 0.36
            spacing: Theme.margin

            ListView {
                id: steps
                objectName: "routeSteps"
                // Delegates beyond the view are built asynchronously; a new route can shrink the
                // list under them (Qt then warns). The list is short: build only what shows.
                cacheBuffer: 0
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                spacing: Theme.gap / 2
                model: page.route.steps
                delegate: Rectangle {
                    id: step
                    required property string text_zh
                    required property string text_en
                    required property string icon
                    required property string level
                    required property string level_id
                    required property int index
                    width: steps.width
                    height: Math.max(Theme.touchMin, stepText.implicitHeight + Theme.gap)
                    radius: Theme.radius
                    color: page.map.levelId === step.level_id ? "#E6EEF2" : Theme.surface
                    TapHandler { onTapped: page.map.showLevel(step.level_id) }
                    RowLayout {
                        anchors.fill: parent
                        anchors.leftMargin: Theme.gap
                        anchors.rightMargin: Theme.gap
                        spacing: Theme.gap
                        Rectangle {
                            Layout.preferredWidth: Theme.touchMin * 0.7
                            Layout.preferredHeight: Theme.touchMin * 0.7
                            radius: width / 2
                            color: Theme.primary
                            Image {
                                anchors.centerIn: parent
                                source: Theme.stepIcon(step.icon)
                                sourceSize.width: parent.width * 0.65
                                sourceSize.height: parent.width * 0.65
                            }
                        }
                        Text {
                            id: stepText
                            Layout.fillWidth: true
                            text: page.english ? step.text_en : step.text_zh
                            font.pixelSize: Theme.fontBody
                            color: Theme.text
                            wrapMode: Text.WordWrap
                        }
                        Text {
                            text: step.level
                            font.pixelSize: Theme.fontBody
                            font.bold: true
                            color: Theme.primary
                        }
                    }
                }
            }

            // Route to phone.
            ColumnLayout {
                Layout.preferredWidth: qrSize
                Layout.maximumWidth: qrSize
                Layout.alignment: Qt.AlignTop
                visible: page.route.hasRoute
                spacing: Theme.gap / 2
                readonly property int qrSize: Math.round(Math.min(page.width * 0.3, 320))
                Image {
                    objectName: "routeQr"
                    Layout.preferredWidth: parent.qrSize
                    Layout.preferredHeight: parent.qrSize
                    source: page.route.qrSource
                    sourceSize.width: parent.qrSize
                    sourceSize.height: parent.qrSize
                    fillMode: Image.PreserveAspectFit
                    smooth: false
                }
                Text {
                    id: qrLabel
                    Layout.preferredWidth: parent.qrSize
                    horizontalAlignment: Text.AlignHCenter
                    text: qsTr("Scan to take this route with you")
                    font.pixelSize: Theme.fontBody
                    color: Theme.text
                    wrapMode: Text.WordWrap
                }
            }
        }
    }
}
