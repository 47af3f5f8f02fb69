pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import MallKiosk
import kiosk.views.components

// Maintenance mode (staff only, behind the PIN): device, network and sync, printer, display
// and session, logs. Every change is validated, saved atomically and written to the audit log.
Item {
    id: page

    required property MaintenanceViewModel maintenance
    required property PlacementViewModel placement
    required property ShellViewModel shell
    property string screen: "maintenance"
    property int tab: 0

    objectName: "screen_maintenance"

    readonly property var sections: ["", "network", "printer", "display", ""]

    function openTab(index: int) {
        page.tab = index
    }
    // Each settings page shows its own keys.
    onTabChanged: {
        if (page.sections[page.tab] !== "")
            page.maintenance.showSection(page.sections[page.tab])
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.gap

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            Text {
                text: qsTr("Maintenance")
                font.pixelSize: Theme.fontTitle
                font.bold: true
                color: Theme.text
            }
            KioskTextField {
                id: staffField
                objectName: "maintenanceStaff"
                Layout.fillWidth: true
                placeholderText: qsTr("Your name, for the log")
                maximumLength: 40
                onTextChanged: page.maintenance.setStaff(text)
            }
            KioskButton {
                objectName: "maintenanceLeave"
                text: qsTr("Leave")
                fill: Theme.notice
                onClicked: page.maintenance.leave()
            }
        }

        Text {
            objectName: "maintenanceMessage"
            Layout.fillWidth: true
            visible: page.maintenance.message !== ""
            text: page.maintenance.message
            font.pixelSize: Theme.fontBody
            font.bold: true
            color: Theme.primary
            wrapMode: Text.WordWrap
        }

        // Pages.
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap / 2
            Repeater {
                model: [qsTr("Device"), qsTr("Network"), qsTr("Printer"), qsTr("Display"), qsTr("Logs")]
                delegate: KioskButton {
                    required property int index
                    required property string modelData
                    objectName: "maintenanceTab_" + index
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    implicitHeight: Theme.touchMin
                    font.pixelSize: Theme.fontBody
                    fill: page.tab === index ? Theme.primary : Theme.textMuted
                    text: modelData
                    onClicked: page.openTab(index)
                }
            }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: page.tab

            // 0 — device: not a scroller, so a drag on the map moves the map
            ColumnLayout {
                id: devicePage
                spacing: Theme.gap
                Repeater {
                    model: page.maintenance.info
                    delegate: RowLayout {
                        id: fact
                        required property string label
                        required property string value
                        Layout.fillWidth: true
                        spacing: Theme.gap
                        Text {
                            Layout.preferredWidth: page.width * 0.3
                            text: fact.label
                            font.pixelSize: Theme.fontBody
                            color: Theme.textMuted
                        }
                        Text {
                            Layout.fillWidth: true
                            text: fact.value
                            font.pixelSize: Theme.fontBody
                            color: Theme.text
                            wrapMode: Text.WrapAnywhere
                        }
                    }
                }
                // Where this kiosk stands and which way it faces.
                KioskPlacement {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    placement: page.placement
                    shell: page.shell
                    staffName: page.maintenance.staff || "PIN holder"
                }
                RowLayout {
                    Layout.fillWidth: true
                    Layout.topMargin: Theme.margin
                    spacing: Theme.gap
                    KioskButton {
                        objectName: "maintenanceRestart"
                        Layout.fillWidth: true
                        text: qsTr("Restart the app")
                        onClicked: page.maintenance.restart()
                    }
                    KioskButton {
                        objectName: "maintenanceExitKiosk"
                        Layout.fillWidth: true
                        visible: page.maintenance.allowExit
                        fill: Theme.notice
                        text: qsTr("Leave kiosk mode")
                        onClicked: page.maintenance.leaveKioskMode()
                    }
                }
            }

            // 1 — network and sync
            Flickable {
                contentHeight: networkPage.implicitHeight
                clip: true
                boundsBehavior: Flickable.StopAtBounds
                ColumnLayout {
                    id: networkPage
                    width: parent.width
                    spacing: Theme.gap
                    Text {
                        objectName: "maintenanceSync"
                        Layout.fillWidth: true
                        text: page.maintenance.syncText
                        font.pixelSize: Theme.fontBody
                        color: Theme.text
                        wrapMode: Text.WordWrap
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.gap
                        KioskTextField {
                            id: enrollField
                            objectName: "maintenanceEnrollCode"
                            Layout.fillWidth: true
                            placeholderText: qsTr("One-time enrollment code")
                            maximumLength: 64
                        }
                        KioskButton {
                            objectName: "maintenanceEnroll"
                            text: qsTr("Enroll")
                            enabled: !page.maintenance.working
                            onClicked: {
                                page.maintenance.enroll(enrollField.text)
                                enrollField.clear()
                            }
                        }
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.gap
                        KioskButton {
                            objectName: "maintenanceSyncNow"
                            Layout.fillWidth: true
                            text: qsTr("Sync now")
                            onClicked: page.maintenance.syncNow()
                        }
                        KioskButton {
                            objectName: "maintenanceRefresh"
                            Layout.fillWidth: true
                            fill: Theme.textMuted
                            text: qsTr("Refresh")
                            onClicked: page.maintenance.refresh()
                        }
                    }
                    SectionTitle { text: qsTr("Kept aside by the central service (%1)").arg(page.maintenance.rejectedCount) }
                    Repeater {
                        model: page.maintenance.rejected
                        delegate: Text {
                            required property string ticketNo
                            required property string created
                            required property string reason
                            Layout.fillWidth: true
                            text: ticketNo + "  " + created + "\n" + reason
                            font.pixelSize: Theme.fontBody
                            color: Theme.notice
                            wrapMode: Text.WordWrap
                        }
                    }
                    SectionTitle { text: qsTr("Settings") }
                    SettingsList { maintenance: page.maintenance }
                }
            }

            // 2 — printer
            Flickable {
                contentHeight: printerPage.implicitHeight
                clip: true
                boundsBehavior: Flickable.StopAtBounds
                ColumnLayout {
                    id: printerPage
                    width: parent.width
                    spacing: Theme.gap
                    Text {
                        objectName: "maintenancePrinter"
                        Layout.fillWidth: true
                        text: page.maintenance.printerText
                        font.pixelSize: Theme.fontBody
                        color: Theme.text
                        wrapMode: Text.WordWrap
                    }
                    KioskButton {
                        objectName: "maintenanceTestPrint"
                        Layout.fillWidth: true
                        enabled: !page.maintenance.working
                        text: qsTr("Print a test page")
                        onClicked: page.maintenance.testPrint()
                    }
                    SectionTitle { text: qsTr("Settings") }
                    SettingsList { maintenance: page.maintenance }
                }
            }

            // 3 — display and session
            Flickable {
                contentHeight: displayPage.implicitHeight
                clip: true
                boundsBehavior: Flickable.StopAtBounds
                ColumnLayout {
                    id: displayPage
                    width: parent.width
                    spacing: Theme.gap
                    SettingsList { maintenance: page.maintenance }
                }
            }

            // 4 — logs
            ColumnLayout {
                spacing: Theme.gap
                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.gap
                    KioskTextField {
                        id: exportField
                        objectName: "maintenanceExportPath"
                        Layout.fillWidth: true
                        placeholderText: qsTr("Folder on the USB stick, e.g. /media/usb")
                    }
                    KioskButton {
                        objectName: "maintenanceExport"
                        text: qsTr("Export")
                        enabled: !page.maintenance.working
                        onClicked: page.maintenance.exportTo(exportField.text)
                    }
                }
                Rectangle {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    color: "#1E1F22"
                    radius: Theme.radius
                    Flickable {
                        id: logView
                        anchors.fill: parent
                        anchors.margins: Theme.gap
                        clip: true
                        contentHeight: logText.implicitHeight
                        contentY: Math.max(0, contentHeight - height)
                        boundsBehavior: Flickable.StopAtBounds
                        Text {
                            id: logText
                            objectName: "maintenanceLog"
                            width: logView.width
                            text: page.maintenance.logText
                            font.family: "monospace"
                            font.pixelSize: 18
                            color: "#E8E8E8"
                            wrapMode: Text.WrapAnywhere
                        }
                    }
                }
                SectionTitle { text: qsTr("Audit log") }
                ListView {
                    objectName: "maintenanceAudit"
                    Layout.fillWidth: true
                    Layout.preferredHeight: Theme.buttonHeight * 3
                    clip: true
                    model: page.maintenance.auditLog
                    delegate: Text {
                        required property string line
                        width: ListView.view.width
                        text: line
                        font.pixelSize: Theme.fontBody * 0.8
                        color: Theme.text
                        elide: Text.ElideRight
                    }
                }
            }
        }
    }

    component SectionTitle: Text {
        Layout.fillWidth: true
        Layout.topMargin: Theme.gap
        font.pixelSize: Theme.fontLabel
        font.bold: true
        color: Theme.text
        wrapMode: Text.WordWrap
    }

    // The settings of the page shown: each with its value, where it comes from, and a field.
    component SettingsList: ColumnLayout {
        id: list
        required property MaintenanceViewModel maintenance
        Layout.fillWidth: true
        spacing: Theme.gap
        Text {
            Layout.fillWidth: true
            visible: !list.maintenance.canEdit
            text: qsTr("Started without a device file: settings can be read here, not saved.")
            font.pixelSize: Theme.fontBody
            color: Theme.notice
            wrapMode: Text.WordWrap
        }
        Repeater {
            model: list.maintenance.settings
            delegate: Rectangle {
                id: row
                required property int index
                required property string key
                required property string value
                required property string source
                required property string description
                objectName: "setting_" + key
                Layout.fillWidth: true
                implicitHeight: rowCol.implicitHeight + 2 * Theme.gap
                radius: Theme.radius
                color: Theme.surface
                border.color: Theme.border
                border.width: 1
                ColumnLayout {
                    id: rowCol
                    anchors.fill: parent
                    anchors.margins: Theme.gap
                    spacing: Theme.gap / 2
                    Text {
                        Layout.fillWidth: true
                        text: row.key + " = " + row.value + "   (" + row.source + ")"
                        font.pixelSize: Theme.fontBody
                        font.bold: true
                        color: Theme.text
                        wrapMode: Text.WrapAnywhere
                    }
                    Text {
                        Layout.fillWidth: true
                        text: row.description
                        font.pixelSize: Theme.fontBody * 0.85
                        color: Theme.textMuted
                        wrapMode: Text.WordWrap
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.gap
                        KioskTextField {
                            id: valueField
                            objectName: "settingValue_" + row.key
                            Layout.fillWidth: true
                            implicitHeight: Theme.touchMin
                            font.pixelSize: Theme.fontBody
                            placeholderText: qsTr("New value")
                        }
                        KioskButton {
                            objectName: "settingSave_" + row.key
                            implicitHeight: Theme.touchMin
                            font.pixelSize: Theme.fontBody
                            enabled: list.maintenance.canEdit && !list.maintenance.working && valueField.text !== ""
                            text: qsTr("Save")
                            onClicked: {
                                list.maintenance.saveSetting(row.key, valueField.text)
                                valueField.clear()
                            }
                        }
                        KioskButton {
                            objectName: "settingReset_" + row.key
                            implicitHeight: Theme.touchMin
                            font.pixelSize: Theme.fontBody
                            fill: Theme.textMuted
                            enabled: list.maintenance.canEdit && !list.maintenance.working
                            text: qsTr("Default")
                            onClicked: list.maintenance.resetSetting(row.key)
                        }
                    }
                }
            }
        }
    }
}
