import QtQuick
import QtQuick.Layouts
import MallKiosk
import kiosk.views.components

// 查询单号: type the ticket number from the receipt (or scan its QR code with the scanner).
Item {
    id: page

    required property TicketStatusViewModel status
    required property SyncViewModel sync
    required property ShellViewModel shell
    property string screen: "status"

    readonly property bool english: shell.language === "en"

    objectName: "screen_status"

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.margin

        FormLabel { text: qsTr("Your ticket number, as on your receipt") }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            KioskTextField {
                id: ticketField
                objectName: "ticketField"
                Layout.fillWidth: true
                placeholderText: "C-K01-0001-X"
                maximumLength: 200
                inputMethodHints: Qt.ImhPreferUppercase | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData
                // A barcode scanner types the QR's link and presses Enter.
                onAccepted: page.status.lookup(text)
                Connections {
                    target: page.shell
                    function onSessionEnded() { ticketField.clear() }
                }
            }
            KioskButton {
                objectName: "ticketLookup"
                text: qsTr("Check")
                onClicked: page.status.lookup(ticketField.text)
            }
        }
        FieldProblem {
            objectName: "ticketProblem"
            text: page.english ? page.status.messageEn : page.status.messageZh
        }
        Rectangle {
            Layout.fillWidth: true
            visible: page.status.found
            implicitHeight: result.implicitHeight + 2 * Theme.margin
            radius: Theme.radius * 1.5
            color: Theme.surface
            border.color: Theme.border
            border.width: 2
            ColumnLayout {
                id: result
                anchors.fill: parent
                anchors.margins: Theme.margin
                spacing: Theme.gap
                Text {
                    text: page.status.ticketNo
                    font.pixelSize: Theme.fontTitle
                    font.bold: true
                    color: Theme.primary
                }
                Text {
                    objectName: "ticketStatus"
                    Layout.fillWidth: true
                    text: page.english ? page.status.statusEn : page.status.statusZh
                    font.pixelSize: Theme.fontTitle
                    color: Theme.text
                    wrapMode: Text.WordWrap
                }
                Text {
                    Layout.fillWidth: true
                    visible: page.status.note !== ""
                    text: qsTr("Note from staff: %1").arg(page.status.note)
                    font.pixelSize: Theme.fontLabel
                    color: Theme.text
                    wrapMode: Text.WordWrap
                }
                Text {
                    text: qsTr("Updated %1").arg(page.status.updated)
                    font.pixelSize: Theme.fontBody
                    color: Theme.textMuted
                }
                Text {
                    objectName: "ticketOffline"
                    Layout.fillWidth: true
                    visible: !page.sync.online
                    text: qsTr("This kiosk is offline right now, so the status may be out of date.")
                    font.pixelSize: Theme.fontBody
                    font.bold: true
                    color: Theme.notice
                    wrapMode: Text.WordWrap
                }
            }
        }
        Item { Layout.fillHeight: true }
    }
}
