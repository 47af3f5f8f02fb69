import QtQuick
import QtQuick.Layouts

// A field's label in a form.
Text {
    Layout.fillWidth: true
    font.pixelSize: Theme.fontLabel
    font.bold: true
    color: Theme.text
    wrapMode: Text.WordWrap
}
