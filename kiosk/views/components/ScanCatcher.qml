import QtQuick

// Catches what a barcode scanner types (it is a keyboard to the kiosk) while no text field has
// focus, without opening the on-screen keyboard: the keys gather into one code, and Enter (or
// a pause, as a scanner types much faster than a person) hands it on.
Item {
    id: catcher

    property string buffer: ""
    signal scanned(string code)

    focus: true

    function finish() {
        const code = catcher.buffer.trim()
        catcher.buffer = ""
        pause.stop()
        if (code.length > 0)
            catcher.scanned(code)
    }

    Keys.onPressed: event => {
        if (event.key === Qt.Key_Return || event.key === Qt.Key_Enter) {
            catcher.finish()
            event.accepted = true
        } else if (event.text.length > 0 && event.text.charCodeAt(0) >= 32) {
            catcher.buffer = (catcher.buffer + event.text).slice(-200)
            pause.restart()
            event.accepted = true
        }
    }

    Timer {
        id: pause
        interval: 400
        onTriggered: catcher.finish()
    }
}
