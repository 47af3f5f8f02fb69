import QtQuick
import QtQuick.Controls.Basic

// A compact bar button: icon above a short label, never smaller than the touch minimum.
AbstractButton {
    id: control

    property url iconSource: ""
    property bool checkedLook: false

    implicitWidth: Math.max(Theme.touchMin * 1.6, label.implicitWidth + 2 * Theme.gap)
    implicitHeight: Math.max(Theme.touchMin, column.implicitHeight + Theme.gap)
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontBody

    background: Rectangle {
        radius: Theme.radius
        color: control.down ? Theme.primaryPressed
                            : (control.checkedLook ? Theme.accent : "transparent")
        border.width: 2
        border.color: control.checkedLook ? Theme.accent : "#7FFFFFFF"
    }
    contentItem: Item {
        Column {
            id: column
            anchors.centerIn: parent
            spacing: 2
            Image {
                anchors.horizontalCenter: parent.horizontalCenter
                source: control.iconSource
                sourceSize.width: Theme.fontBody * 1.3
                sourceSize.height: Theme.fontBody * 1.3
                visible: control.iconSource.toString() !== ""
            }
            Text {
                id: label
                anchors.horizontalCenter: parent.horizontalCenter
                text: control.text
                font: control.font
                color: control.checkedLook ? Theme.text : Theme.textOnPrimary
            }
        }
    }
}
