import QtQuick
import QtQuick.Controls.Basic
import MallKiosk

// "Are you still there?" with a visible countdown and one large Continue button (WCAG 2.2.1).
Popup {
    id: dialog

    required property IdleViewModel idle
    // In accessibility mode the dialog sits in the lower half, within reach.
    property bool lowered: false

    objectName: "idleDialog"
    visible: idle.promptVisible
    modal: true
    closePolicy: Popup.NoAutoClose
    width: Math.min(parent ? parent.width - 2 * Theme.margin : 900, 900)
    x: parent ? (parent.width - width) / 2 : 0
    y: parent ? (lowered ? parent.height * 0.75 - height / 2 : (parent.height - height) / 2) : 0
    padding: Theme.margin * 1.5

    Overlay.modal: Rectangle { color: Theme.scrim }
    background: Rectangle { radius: Theme.radius * 1.5; color: Theme.surface }

    contentItem: Column {
        spacing: Theme.margin
        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("Are you still there?")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontTitle
            font.bold: true
            color: Theme.text
            wrapMode: Text.WordWrap
        }
        Text {
            objectName: "idleCountdown"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: dialog.idle.secondsLeft
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontHero * 1.4
            font.bold: true
            color: Theme.primary
        }
        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("For your privacy this session will end and your information will be cleared.")
            font.family: Theme.fontFamily
            font.pixelSize: Theme.fontBody
            color: Theme.textMuted
            wrapMode: Text.WordWrap
        }
        KioskButton {
            objectName: "continueButton"
            width: parent.width
            implicitHeight: Theme.buttonHeight * 1.3
            text: qsTr("Continue")
            onClicked: dialog.idle.extend()
        }
    }
}
