pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import MallKiosk

// The maintenance PIN pad, opened by the hidden corner. It shows how many digits are typed,
// never which; the digits are kept by the view model and dropped after each try.
Popup {
    id: pad

    required property PinPadViewModel pinpad
    required property bool english

    objectName: "pinPad"
    // Made by a Loader in Main.qml: centre it on the window, not on the Loader.
    parent: Overlay.overlay
    visible: pinpad.shown
    modal: true
    closePolicy: Popup.NoAutoClose
    width: Math.min(parent ? parent.width - 2 * Theme.margin : 760, 760)
    x: parent ? (parent.width - width) / 2 : 0
    y: parent ? (parent.height - height) / 2 : 0
    padding: Theme.margin

    Overlay.modal: Rectangle { color: Theme.scrim }
    background: Rectangle { radius: Theme.radius * 1.5; color: Theme.surface }

    contentItem: ColumnLayout {
        objectName: "pinPadContent"
        spacing: Theme.gap
        Text {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("Maintenance")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontTitle
            font.bold: true
            color: Theme.text
        }
        Text {
            objectName: "pinMessage"
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: pad.english ? pad.pinpad.messageEn : pad.pinpad.messageZh
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            font.bold: pad.pinpad.locked
            color: pad.pinpad.locked ? Theme.notice : Theme.textMuted
            wrapMode: Text.WordWrap
        }
        // One dot per digit typed.
        Text {
            objectName: "pinDots"
            Layout.fillWidth: true
            Layout.preferredHeight: Theme.fontTitle * 1.5
            horizontalAlignment: Text.AlignHCenter
            text: "●".repeat(pad.pinpad.digits)
            font.pixelSize: Theme.fontTitle
            font.letterSpacing: Theme.gap
            color: Theme.text
        }
        GridLayout {
            Layout.alignment: Qt.AlignHCenter
            columns: 3
            rowSpacing: Theme.gap
            columnSpacing: Theme.gap
            Repeater {
                model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "⌫", "0", "OK"]
                delegate: KioskButton {
                    required property string modelData
                    objectName: modelData === "⌫" ? "pinBackspace"
                              : modelData === "OK" ? "pinOk" : "pin_" + modelData
                    implicitWidth: Theme.buttonHeight * 1.6
                    enabled: !pad.pinpad.busy && !pad.pinpad.locked
                    fill: modelData === "OK" ? Theme.primary : Theme.text
                    text: modelData === "OK" ? qsTr("OK") : modelData
                    onClicked: {
                        if (modelData === "⌫")
                            pad.pinpad.backspace()
                        else if (modelData === "OK")
                            pad.pinpad.submit()
                        else
                            pad.pinpad.press(modelData)
                    }
                }
            }
        }
        KioskButton {
            objectName: "pinCancel"
            Layout.fillWidth: true
            fill: Theme.textMuted
            text: qsTr("Cancel")
            onClicked: pad.pinpad.cancel()
        }
    }
}
