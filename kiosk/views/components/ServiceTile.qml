import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

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
    // Short tiles (accessibility mode, landscape) put the icon beside the title and drop the
    // description rather than squeezing text.
    readonly property bool compact: height < 420

    contentItem: GridLayout {
        columns: tile.compact ? 2 : 1
        columnSpacing: Theme.margin
        rowSpacing: Theme.gap

        Image {
            Layout.alignment: tile.compact ? Qt.AlignVCenter : Qt.AlignLeft | Qt.AlignBottom
            Layout.leftMargin: Theme.margin
            Layout.fillHeight: !tile.compact
            fillMode: Image.PreserveAspectFit
            verticalAlignment: Image.AlignBottom
            horizontalAlignment: Image.AlignLeft
            source: tile.iconSource
            sourceSize.width: tile.compact ? 90 : 150
            sourceSize.height: tile.compact ? 90 : 150
        }
        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: !tile.compact
            Layout.alignment: Qt.AlignVCenter
            Layout.leftMargin: tile.compact ? 0 : Theme.margin
            Layout.rightMargin: Theme.margin
            spacing: Theme.gap
            Text {
                Layout.fillWidth: true
                text: tile.text
                font: tile.font
                color: Theme.textOnPrimary
                Layout.fillHeight: tile.compact
                verticalAlignment: Text.AlignVCenter
                wrapMode: tile.compact ? Text.NoWrap : Text.WordWrap
                // Shrink a long title to one line, never below body size.
                fontSizeMode: tile.compact ? Text.HorizontalFit : Text.FixedSize
                minimumPixelSize: Theme.fontBody
            }
            Text {
                visible: !tile.compact
                Layout.fillWidth: true
                Layout.fillHeight: true
                verticalAlignment: Text.AlignTop
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
