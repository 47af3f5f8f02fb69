import QtQuick
import QtQuick.Controls.Basic

// A primary action: at least 15 mm tall, high contrast, darker while pressed.
Button {
    id: control

    property color fill: Theme.primary
    property color ink: Theme.textOnPrimary
    property url iconSource: ""

    implicitHeight: Theme.buttonHeight
    implicitWidth: Math.max(Theme.buttonHeight * 2.4, content.implicitWidth + 2 * Theme.margin)
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontLabel
    font.bold: true
    // Not available yet (e.g. "send again in 42 s"): faded, but still readable.
    opacity: enabled ? 1.0 : 0.55

    contentItem: Item {
      Row {
        id: content
        spacing: Theme.gap
        anchors.centerIn: parent
        Image {
            visible: control.iconSource.toString() !== ""
            source: control.iconSource
            sourceSize.width: control.font.pixelSize * 1.2
            sourceSize.height: control.font.pixelSize * 1.2
            anchors.verticalCenter: parent.verticalCenter
        }
        Text {
            text: control.text
            font: control.font
            color: control.ink
            anchors.verticalCenter: parent.verticalCenter
        }
      }
    }
    background: Rectangle {
        radius: Theme.radius
        color: control.down ? Qt.darker(control.fill, 1.35) : control.fill
        border.width: control.visualFocus ? 4 : 0
        border.color: Theme.accent
    }
}
