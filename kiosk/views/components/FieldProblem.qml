import QtQuick
import QtQuick.Layouts

// What is wrong with the field above, in words; takes no space when all is well.
Text {
    objectName: "fieldProblem"
    Layout.fillWidth: true
    visible: text !== ""
    font.pixelSize: Theme.fontBody
    font.bold: true
    color: Theme.notice
    wrapMode: Text.WordWrap
}
