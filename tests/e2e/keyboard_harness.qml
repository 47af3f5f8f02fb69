import QtQuick
import QtQuick.Controls.Basic
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

ApplicationWindow {
    id: win
    width: 1080; height: 1920; visible: true
    required property string dataPath
    TextField { id: field; objectName: "field"; width: 600; focus: true }
    InputPanel { id: panel; width: win.width; y: win.height - height }
    Binding { target: VirtualKeyboardSettings; property: "userDataPath"; value: win.dataPath }
    function setLocale(name) { VirtualKeyboardSettings.locale = name }
    function type(text) {
        field.forceActiveFocus()
        for (let i = 0; i < text.length; ++i) {
            const ch = text[i]
            InputContext.inputEngine.virtualKeyClick(ch.toUpperCase().charCodeAt(0), ch, 0)
        }
    }
    function candidates() {
        const model = InputContext.inputEngine.wordCandidateListModel
        const out = []
        for (let i = 0; i < model.count; ++i)
            out.push(model.dataAt(i, 0))
        return out
    }
    function pickFirst() { InputContext.inputEngine.wordCandidateListModel.selectItem(0) }
    function fieldText() { return field.text }
    function activeLocale() { return InputContext.locale }
}
