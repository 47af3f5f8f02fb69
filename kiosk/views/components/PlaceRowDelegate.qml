import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

// One search result or list row: name in the shopper's language (the other below), category,
// floor badge and unit number. The whole row is the touch target.
AbstractButton {
    id: row

    required property string name_zh
    required property string name_en
    required property string category
    required property string category_zh
    required property string category_en
    required property string level
    required property string unit_no
    required property string kind
    required property bool suggested
    required property string icon_name
    property bool english: false

    implicitHeight: Math.max(Theme.touchMin * 1.35, content.implicitHeight + 2 * Theme.gap)
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontLabel


    background: Rectangle {
        radius: Theme.radius
        color: row.down ? "#E3E8EC" : Theme.surface
        border.width: 2
        border.color: row.suggested ? Theme.accent : "#D4D7DB"
    }
    contentItem: RowLayout {
        id: content
        spacing: Theme.margin
        Rectangle {
            Layout.leftMargin: Theme.gap
            Layout.preferredWidth: Theme.touchMin
            Layout.preferredHeight: Theme.touchMin
            radius: width / 2
            color: Theme.primary
            Image {
                anchors.centerIn: parent
                source: Theme.icon(row.icon_name)
                sourceSize.width: parent.width * 0.6
                sourceSize.height: parent.width * 0.6
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            Text {
                Layout.fillWidth: true
                text: row.english ? row.name_en : row.name_zh
                font: row.font
                color: Theme.text
                elide: Text.ElideRight
            }
            Text {
                Layout.fillWidth: true
                text: (row.english ? row.name_zh : row.name_en)
                      + (row.kind === "category" ? "" : "  ·  " + (row.english ? row.category_en : row.category_zh))
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontBody
                color: Theme.textMuted
                elide: Text.ElideRight
            }
        }
        Rectangle {
            visible: row.level !== ""
            Layout.rightMargin: Theme.gap
            Layout.preferredWidth: Math.max(levelText.implicitWidth + 2 * Theme.gap, Theme.touchMin)
            Layout.preferredHeight: Theme.touchMin * 0.8
            radius: Theme.radius
            color: Theme.accent
            Column {
                anchors.centerIn: parent
                Text {
                    id: levelText
                    anchors.horizontalCenter: parent.horizontalCenter
                    text: row.level
                    font.family: Theme.fontFamily
                    font.pixelSize: Theme.fontLabel
                    font.bold: true
                    color: Theme.text
                }
            }
        }
    }
}
