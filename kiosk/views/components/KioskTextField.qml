import QtQuick
import QtQuick.Controls.Basic

// A text field for shoppers' input on a shared terminal: large, high contrast, and marked
// sensitive so the Pinyin engine neither learns from nor predicts with what is typed.
TextField {
    id: field

    implicitHeight: Theme.buttonHeight
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontLabel
    color: Theme.text
    placeholderTextColor: Theme.textMuted
    leftPadding: Theme.margin
    rightPadding: Theme.margin
    inputMethodHints: Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
    background: Rectangle {
        radius: Theme.radius
        color: Theme.surface
        border.width: field.activeFocus ? 4 : 2
        border.color: field.activeFocus ? Theme.primary : Theme.border
    }
}
