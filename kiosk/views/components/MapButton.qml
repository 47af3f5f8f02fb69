import QtQuick
import QtQuick.Controls.Basic

// A square map control (floor tab, zoom, locate), at least the touch minimum.
AbstractButton {
    id: button

    property bool selected: false
    property bool marked: false
    property string iconName: ""

    implicitWidth: Theme.touchMin
    implicitHeight: Theme.touchMin
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontLabel
    font.bold: true

    background: Rectangle {
        radius: Theme.radius
        color: button.down ? Theme.primaryPressed : (button.selected ? Theme.primary : Theme.surface)
        border.width: button.marked ? 5 : 2
        border.color: button.marked ? Theme.routeColor : Theme.border
    }
    contentItem: Item {
        Image {
            anchors.centerIn: parent
            visible: button.iconName !== ""
            source: button.iconName !== "" ? Theme.icon(button.iconName) : ""
            sourceSize.width: parent.width * 0.6
            sourceSize.height: parent.width * 0.6
            // The icons are drawn white; on a light button sit them on a dark disc.
            Rectangle {
                z: -1
                anchors.centerIn: parent
                width: parent.width * 1.3
                height: width
                radius: width / 2
                color: Theme.primary
            }
        }
        Text {
            anchors.centerIn: parent
            visible: button.iconName === ""
            text: button.text
            font: button.font
            color: button.selected ? Theme.textOnPrimary : Theme.text
        }
    }
}
