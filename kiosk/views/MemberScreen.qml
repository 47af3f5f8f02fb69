pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import MallKiosk
import kiosk.views.components

// 会员查询: scan the member code (or type the card number), or mobile number + SMS code; then
// the card. Nothing here is kept: Log out, leaving this screen or walking away wipes it.
Item {
    id: page

    required property MemberViewModel member
    required property NavigationViewModel nav
    required property ShellViewModel shell
    property string screen: "member"

    readonly property bool english: shell.language === "en"
    readonly property string message: english ? member.messageEn : member.messageZh

    objectName: "screen_member"

    Component.onCompleted: page.member.enter()
    // Ready for the scanner as soon as the screen is up (no field focused, so no keyboard).
    StackView.onActivated: scanner.forceActiveFocus()

    function clearFields() {
        cardField.clear()
        phoneField.clear()
        codeField.clear()
    }

    Connections {
        target: page.member
        function onCleared() { page.clearFields() }
        function onStateChanged() {
            if (page.member.stage === "start" && !cardField.activeFocus && !phoneField.activeFocus)
                scanner.forceActiveFocus()
            // The code comes next: the number pad opens for it.
            else if (page.member.stage === "code" && !page.member.busy && !codeField.activeFocus)
                codeField.forceActiveFocus()
            // The card needs no typing: put the keyboard away so all of it shows.
            else if (page.member.stage === "card")
                scanner.forceActiveFocus()
        }
    }
    Connections {
        target: page.shell
        function onSessionEnded() { page.clearFields() }
    }

    // A scanned code arrives as key presses while no field has focus.
    ScanCatcher {
        id: scanner
        objectName: "memberScanCatcher"
        focus: page.member.stage === "start"
        onScanned: code => page.member.scan(code)
    }

    StackLayout {
        anchors.fill: parent
        currentIndex: page.member.stage === "card" ? 2 : page.member.stage === "code" ? 1 : 0

        // 0 — identify
        Flickable {
            objectName: "memberStart"
            contentHeight: start.implicitHeight + 2 * Theme.margin
            clip: true
            boundsBehavior: Flickable.StopAtBounds

            ColumnLayout {
                id: start
                x: Theme.margin
                y: Theme.margin
                width: parent.width - 2 * Theme.margin
                spacing: Theme.margin

                Text {
                    objectName: "memberTitle"
                    Layout.fillWidth: true
                    text: qsTr("Your member card")
                    font.pixelSize: Theme.fontTitle
                    font.bold: true
                    color: Theme.text
                    wrapMode: Text.WordWrap
                }
                PrivacyNote {
                    Layout.fillWidth: true
                    text: qsTr("We show your tier, points and coupons live from the mall's member service. Nothing is saved on this kiosk: it is cleared when you log out, leave this screen or stop using it.")
                }

                // Member services off: say so plainly instead of offering what cannot work.
                Text {
                    objectName: "memberUnavailable"
                    Layout.fillWidth: true
                    visible: !page.member.available
                    text: qsTr("Member services are not set up on this kiosk. Please ask at the service desk.")
                    font.pixelSize: Theme.fontLabel
                    font.bold: true
                    color: Theme.notice
                    wrapMode: Text.WordWrap
                }

                Panel {
                    Layout.fillWidth: true
                    visible: page.member.available
                    iconName: "qr"
                    title: qsTr("Scan your member code")
                    detail: qsTr("Hold the member code in the mall app, or the barcode on your card, under the scanner below the screen.")
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.gap
                        KioskTextField {
                            id: cardField
                            objectName: "memberCardField"
                            Layout.fillWidth: true
                            placeholderText: qsTr("Or type your card number")
                            maximumLength: 40
                            inputMethodHints: Qt.ImhDigitsOnly | Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
                            onAccepted: page.member.scan(text)
                        }
                        KioskButton {
                            objectName: "memberCardLookup"
                            text: qsTr("Look up")
                            enabled: !page.member.busy
                            onClicked: page.member.scan(cardField.text)
                        }
                    }
                }

                Panel {
                    Layout.fillWidth: true
                    visible: page.member.available
                    iconName: "phone"
                    title: qsTr("Use your mobile number")
                    detail: qsTr("We send a 6-digit code to the mobile number of your membership.")
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.gap
                        KioskTextField {
                            id: phoneField
                            objectName: "memberPhoneField"
                            Layout.fillWidth: true
                            placeholderText: "138 1234 5678"
                            maximumLength: 20
                            inputMethodHints: Qt.ImhDialableCharactersOnly | Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
                            onAccepted: page.member.requestCode(text)
                        }
                        KioskButton {
                            objectName: "memberSendCode"
                            text: qsTr("Send code")
                            enabled: !page.member.busy
                            onClicked: page.member.requestCode(phoneField.text)
                        }
                    }
                }
                Busy { visible: page.member.busy && page.member.stage === "start" }
                FieldProblem {
                    objectName: "memberProblem"
                    text: page.member.stage === "start" ? page.message : ""
                }
            }
        }

        // 1 — the SMS code
        Flickable {
            objectName: "memberCode"
            contentHeight: codeStage.implicitHeight + 2 * Theme.margin
            clip: true
            boundsBehavior: Flickable.StopAtBounds

            ColumnLayout {
                id: codeStage
                x: Theme.margin
                y: Theme.margin
                width: parent.width - 2 * Theme.margin
                spacing: Theme.margin

                Text {
                    Layout.fillWidth: true
                    text: qsTr("Enter the code")
                    font.pixelSize: Theme.fontTitle
                    font.bold: true
                    color: Theme.text
                }
                Text {
                    objectName: "memberSentTo"
                    Layout.fillWidth: true
                    text: qsTr("We sent a 6-digit code to %1. It is valid for a few minutes.").arg(page.member.sentTo)
                    font.pixelSize: Theme.fontLabel
                    color: Theme.text
                    wrapMode: Text.WordWrap
                }
                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.gap
                    KioskTextField {
                        id: codeField
                        objectName: "memberCodeField"
                        Layout.fillWidth: true
                        maximumLength: 6
                        font.pixelSize: Theme.fontTitle
                        font.letterSpacing: Theme.gap
                        placeholderText: "······"
                        inputMethodHints: Qt.ImhDigitsOnly | Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
                        onAccepted: page.member.verify(text)
                    }
                    KioskButton {
                        objectName: "memberVerify"
                        text: qsTr("Confirm")
                        enabled: !page.member.busy
                        onClicked: page.member.verify(codeField.text)
                    }
                }
                Busy { visible: page.member.busy && page.member.stage === "code" }
                FieldProblem {
                    objectName: "memberCodeProblem"
                    text: page.member.stage === "code" ? page.message : ""
                }
                RowLayout {
                    Layout.fillWidth: true
                    spacing: Theme.gap
                    KioskButton {
                        objectName: "memberResend"
                        Layout.fillWidth: true
                        fill: Theme.textMuted
                        enabled: page.member.resendIn === 0 && !page.member.busy
                        text: page.member.resendIn > 0
                              ? qsTr("Send again in %1 s").arg(page.member.resendIn)
                              : qsTr("Send the code again")
                        onClicked: {
                            codeField.clear()
                            page.member.resend()
                        }
                    }
                    KioskButton {
                        objectName: "memberChangeNumber"
                        Layout.fillWidth: true
                        fill: Theme.textMuted
                        text: qsTr("Use another number")
                        onClicked: {
                            page.clearFields()
                            page.member.changeNumber()
                        }
                    }
                }
                Item { Layout.fillHeight: true }
            }
        }

        // 2 — the card
        MemberCardView {
            member: page.member
            english: page.english
            onLogout: {
                page.member.logout()
                page.nav.home()
            }
        }
    }

    component PrivacyNote: Rectangle {
        property alias text: note.text
        implicitHeight: note.implicitHeight + 2 * Theme.gap
        radius: Theme.radius
        color: "#E6EEF2"
        RowLayout {
            anchors.fill: parent
            anchors.margins: Theme.gap
            spacing: Theme.gap
            // The icons are drawn white, for coloured backgrounds.
            Rectangle {
                Layout.alignment: Qt.AlignTop
                implicitWidth: Theme.fontLabel * 1.4
                implicitHeight: implicitWidth
                radius: width / 2
                color: Theme.primary
                Image {
                    anchors.centerIn: parent
                    source: Theme.icon("info")
                    sourceSize.width: parent.width * 0.8
                    sourceSize.height: parent.width * 0.8
                }
            }
            Text {
                id: note
                objectName: "memberPrivacyNote"
                Layout.fillWidth: true
                font.pixelSize: Theme.fontBody
                color: Theme.text
                wrapMode: Text.WordWrap
            }
        }
    }

    component Panel: Rectangle {
        id: panel
        property string iconName
        property string title
        property string detail
        default property alias content: body.data
        implicitHeight: body.implicitHeight + 2 * Theme.margin
        radius: Theme.radius * 1.5
        color: Theme.surface
        border.color: Theme.border
        border.width: 2
        ColumnLayout {
            id: body
            anchors.fill: parent
            anchors.margins: Theme.margin
            spacing: Theme.gap
            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.gap
                Rectangle {
                    implicitWidth: Theme.touchMin
                    implicitHeight: Theme.touchMin
                    radius: Theme.radius
                    color: Theme.tileMember
                    Image {
                        anchors.centerIn: parent
                        source: Theme.icon(panel.iconName)
                        sourceSize.width: parent.width * 0.7
                        sourceSize.height: parent.width * 0.7
                    }
                }
                Text {
                    Layout.fillWidth: true
                    text: panel.title
                    font.pixelSize: Theme.fontTitle
                    font.bold: true
                    color: Theme.tileMember
                    wrapMode: Text.WordWrap
                }
            }
            Text {
                Layout.fillWidth: true
                text: panel.detail
                font.pixelSize: Theme.fontBody
                color: Theme.textMuted
                wrapMode: Text.WordWrap
            }
        }
    }

    component Busy: RowLayout {
        spacing: Theme.gap
        BusyIndicator {
            implicitWidth: Theme.touchMin
            implicitHeight: Theme.touchMin
            running: visible
        }
        Text {
            text: qsTr("One moment…")
            font.pixelSize: Theme.fontLabel
            color: Theme.text
        }
    }
}
