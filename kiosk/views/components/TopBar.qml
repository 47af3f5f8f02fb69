import QtQuick
import QtQuick.Layouts
import MallKiosk

// Mall name and clock on the left; language and accessibility toggles on the right.
Rectangle {
    id: bar

    required property ShellViewModel shell

    implicitHeight: Math.max(Theme.barHeight, row.implicitHeight + Theme.gap * 2)
    color: Theme.primary

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.margin
        spacing: Theme.gap

        Image {
            source: Theme.icon("logo")
            sourceSize.width: Theme.touchMin
            sourceSize.height: Theme.touchMin
        }
        Column {
            Layout.fillWidth: true
            Text {
                width: parent.width
                text: bar.shell.language === "en" ? bar.shell.mallNameEn : bar.shell.mallNameZh
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontLabel
                font.bold: true
                color: Theme.textOnPrimary
                elide: Text.ElideRight
            }
            Text {
                id: clock
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                color: Theme.textOnPrimary
                function refresh() {
                    text = Qt.locale().toString(new Date(), "HH:mm  ddd")
                }
                Component.onCompleted: refresh()
                Connections {
                    target: bar.shell
                    function onLanguageChanged() { clock.refresh() }
                }
                Timer {
                    interval: 15000
                    running: true
                    repeat: true
                    onTriggered: clock.refresh()
                }
            }
        }
        IconButton {
            objectName: "accessibilityToggle"
            iconSource: Theme.icon("accessibility")
            text: qsTr("Accessible")
            checkedLook: bar.shell.accessibilityMode
            Accessible.name: qsTr("Accessibility mode")
            onClicked: bar.shell.toggleAccessibilityMode()
        }
        IconButton {
            objectName: "languageToggle"
            iconSource: Theme.icon("language")
            // Always offer the other language in its own script.
            text: bar.shell.language === "en" ? "中文" : "EN"
            Accessible.name: qsTr("Switch language")
            onClicked: bar.shell.toggleLanguage()
        }
    }
}
