import QtQuick
import QtQuick.Controls.Basic

// A square-ish browse tile: an icon over a short label.
AbstractButton {
    id: tile

    property string iconName: ""
    property color fill: Theme.primary

    implicitHeight: Math.max(Theme.buttonHeight * 1.45, column.implicitHeight + 2 * Theme.gap)
    implicitWidth: Theme.buttonHeight * 1.6
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontBody

    background: Rectangle {
        radius: Theme.radius
        color: tile.down ? Qt.darker(tile.fill, 1.35) : tile.fill
    }
    contentItem: Item {
        Column {
            id: column
            anchors.centerIn: parent
            width: parent.width
            spacing: Theme.gap / 2
            Image {
                anchors.horizontalCenter: parent.horizontalCenter
                source: Theme.icon(tile.iconName)
                sourceSize.width: Theme.touchMin * 0.75
                sourceSize.height: Theme.touchMin * 0.75
            }
            Text {
                width: parent.width
                horizontalAlignment: Text.AlignHCenter
                text: tile.text
                font: tile.font
                color: Theme.textOnPrimary
                elide: Text.ElideRight
            }
        }
    }
}
