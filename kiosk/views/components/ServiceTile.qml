import QtQuick
import QtQuick.Controls.Basic

// A large home-screen tile: icon, title in the current language and a one-line description.
AbstractButton {
    id: tile

    property color fill: Theme.primary
    property url iconSource: ""
    property string subtitle: ""

    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontTile
    font.bold: true

    background: Rectangle {
        radius: Theme.radius * 1.5
        color: tile.down ? Qt.darker(tile.fill, 1.35) : tile.fill
    }
    contentItem: Item {
        Column {
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.verticalCenter: parent.verticalCenter
            anchors.margins: Theme.margin
            spacing: Theme.gap
            Image {
                source: tile.iconSource
                sourceSize.width: Math.min(tile.height * 0.32, 150)
                sourceSize.height: Math.min(tile.height * 0.32, 150)
            }
            Text {
                width: parent.width
                text: tile.text
                font: tile.font
                color: Theme.textOnPrimary
                wrapMode: Text.WordWrap
            }
            Text {
                width: parent.width
                text: tile.subtitle
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                color: Theme.textOnPrimary
                wrapMode: Text.WordWrap
                maximumLineCount: 3
                elide: Text.ElideRight
            }
        }
    }
}
