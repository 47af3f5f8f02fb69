pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import MallKiosk
import kiosk.views.components

// 投诉建议: type → details → what happened → contact → review → ticket and receipt.
Item {
    id: page

    required property ComplaintViewModel complaint
    required property NavigationViewModel nav
    required property ShellViewModel shell
    property string screen: "complaints"

    readonly property bool english: shell.language === "en"
    readonly property var problems: complaint.problems

    objectName: "screen_complaints"

    function problem(field: string): string {
        const p = page.problems[field]
        return p ? (page.english ? p.en : p.zh) : ""
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.margin

        // Where the shopper is in the form.
        Row {
            Layout.alignment: Qt.AlignHCenter
            spacing: Theme.gap
            visible: page.complaint.step < 5
            Repeater {
                model: 5
                Rectangle {
                    required property int index
                    width: 64
                    height: 12
                    radius: 6
                    color: index <= page.complaint.step ? Theme.primary : "#C9CCD0"
                }
            }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: page.complaint.step

            // 0 — what kind of feedback
            ColumnLayout {
                spacing: Theme.margin
                Text {
                    Layout.fillWidth: true
                    text: qsTr("What would you like to tell us?")
                    font.pixelSize: Theme.fontTitle
                    font.bold: true
                    color: Theme.text
                    wrapMode: Text.WordWrap
                }
                ChoiceGrid {
                    Layout.fillWidth: true
                    namePrefix: "type"
                    selected: page.complaint.kind
                    options: [
                        { value: "complaint", label: qsTr("A complaint") },
                        { value: "suggestion", label: qsTr("A suggestion") },
                        { value: "praise", label: qsTr("Praise") },
                        { value: "consultation", label: qsTr("A question") }
                    ]
                    onChosen: value => page.complaint.chooseType(value)
                }
                Item { Layout.fillHeight: true }
            }

            // 1 — category, store, when
            Flickable {
                contentHeight: details.implicitHeight
                clip: true
                boundsBehavior: Flickable.StopAtBounds
                ColumnLayout {
                    id: details
                    width: parent.width
                    spacing: Theme.gap
                    FormLabel { visible: page.complaint.isComplaint; text: qsTr("What is it about?") }
                    ChoiceGrid {
                        Layout.fillWidth: true
                        visible: page.complaint.isComplaint
                        namePrefix: "category"
                        selected: page.complaint.category
                        options: [
                            { value: "service_attitude", label: qsTr("Service attitude") },
                            { value: "product_quality", label: qsTr("Product quality") },
                            { value: "price_billing", label: qsTr("Price or billing") },
                            { value: "after_sales", label: qsTr("After-sales service") },
                            { value: "environment", label: qsTr("Environment, facilities") },
                            { value: "safety", label: qsTr("Safety") },
                            { value: "other", label: qsTr("Something else") }
                        ]
                        onChosen: value => page.complaint.setCategory(value)
                    }
                    FieldProblem { text: page.problem("category") }

                    FormLabel { text: qsTr("Where?") }
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.gap
                        KioskTextField {
                            id: storeSearch
                            objectName: "complaintStoreSearch"
                            Layout.fillWidth: true
                            placeholderText: qsTr("Store name or pinyin")
                            readonly property string live: text + preeditText
                            onLiveChanged: page.complaint.searchStores(live)
                        }
                        KioskButton {
                            objectName: "complaintMall"
                            text: qsTr("The mall itself")
                            fill: Theme.textMuted
                            onClicked: {
                                storeSearch.clear()
                                page.complaint.chooseMall()
                            }
                        }
                    }
                    Repeater {
                        model: page.complaint.stores
                        delegate: PlaceRowDelegate {
                            required property string id
                            required property int index
                            objectName: "complaintStore_" + index
                            Layout.fillWidth: true
                            english: page.english
                            onClicked: {
                                storeSearch.clear()
                                page.complaint.chooseStore(id)
                            }
                        }
                    }
                    Text {
                        objectName: "complaintStoreChosen"
                        visible: page.complaint.storeNameZh !== ""
                        text: "✓ " + (page.english ? page.complaint.storeNameEn : page.complaint.storeNameZh)
                        font.pixelSize: Theme.fontLabel
                        font.bold: true
                        color: Theme.success
                    }
                    FieldProblem { text: page.problem("store") }

                    FormLabel { text: qsTr("When did it happen?") }
                    ChoiceGrid {
                        Layout.fillWidth: true
                        namePrefix: "when"
                        selected: page.complaint.when
                        options: [
                            { value: "now", label: qsTr("Just now") },
                            { value: "today", label: qsTr("Earlier today") },
                            { value: "yesterday", label: qsTr("Yesterday") },
                            { value: "earlier", label: qsTr("Before that") }
                        ]
                        onChosen: value => page.complaint.setWhen(value)
                    }
                }
            }

            // 2 — what happened, what the shopper wants
            ColumnLayout {
                spacing: Theme.gap
                FormLabel { text: qsTr("What happened?") }
                Rectangle {
                    Layout.fillWidth: true
                    Layout.preferredHeight: Theme.buttonHeight * 3
                    radius: Theme.radius
                    color: Theme.surface
                    border.width: description.activeFocus ? 4 : 2
                    border.color: description.activeFocus ? Theme.primary : Theme.border
                    ScrollView {
                        anchors.fill: parent
                        anchors.margins: Theme.gap
                        TextArea {
                            id: description
                            objectName: "complaintDescription"
                            wrapMode: TextEdit.Wrap
                            font.family: Theme.fontFamily
                            font.pixelSize: Theme.fontLabel
                            color: Theme.text
                            placeholderText: qsTr("Tell us in your own words")
                            inputMethodHints: Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
                            background: null
                            onTextChanged: page.complaint.setDescription(text)
                            Connections {
                                target: page.shell
                                function onSessionEnded() { description.clear() }
                            }
                        }
                    }
                }
                Text {
                    Layout.alignment: Qt.AlignRight
                    text: description.length + " / " + page.complaint.descriptionMax
                    font.pixelSize: Theme.fontBody
                    color: description.length > page.complaint.descriptionMax ? Theme.notice : Theme.textMuted
                }
                FieldProblem { text: page.problem("description") }
                FormLabel { visible: page.complaint.isComplaint; text: qsTr("What would you like us to do?") }
                ChoiceGrid {
                    Layout.fillWidth: true
                    visible: page.complaint.isComplaint
                    namePrefix: "desired"
                    selected: page.complaint.desired
                    options: [
                        { value: "refund", label: qsTr("Refund") },
                        { value: "exchange", label: qsTr("Exchange") },
                        { value: "repair", label: qsTr("Repair") },
                        { value: "apology", label: qsTr("Apology") },
                        { value: "explanation", label: qsTr("Explanation") },
                        { value: "other", label: qsTr("Other") }
                    ]
                    onChosen: value => page.complaint.setDesired(value)
                }
                Item { Layout.fillHeight: true }
            }

            // 3 — contact, optional, with consent
            Flickable {
                contentHeight: contact.implicitHeight
                clip: true
                boundsBehavior: Flickable.StopAtBounds
                ColumnLayout {
                    id: contact
                    width: parent.width
                    spacing: Theme.gap
                    Text {
                        Layout.fillWidth: true
                        text: qsTr("Leave a phone number if you would like us to call you back. We use it only for this case and delete it when the case is closed.")
                        font.pixelSize: Theme.fontBody
                        color: Theme.textMuted
                        wrapMode: Text.WordWrap
                    }
                    FormLabel { text: qsTr("Name (optional)") }
                    KioskTextField {
                        id: nameField
                        objectName: "complaintName"
                        Layout.fillWidth: true
                        maximumLength: 30
                        onTextChanged: page.complaint.setContactName(text)
                        Connections {
                            target: page.shell
                            function onSessionEnded() { nameField.clear() }
                        }
                    }
                    FieldProblem { text: page.problem("name") }
                    FormLabel { text: qsTr("Mobile number (optional)") }
                    KioskTextField {
                        id: phoneField
                        objectName: "complaintPhone"
                        Layout.fillWidth: true
                        maximumLength: 20
                        inputMethodHints: Qt.ImhDialableCharactersOnly | Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
                        onTextChanged: page.complaint.setPhone(text)
                        Connections {
                            target: page.shell
                            function onSessionEnded() { phoneField.clear() }
                        }
                    }
                    FieldProblem { text: page.problem("phone") }
                    FormLabel { text: qsTr("Best time to call") }
                    ChoiceGrid {
                        Layout.fillWidth: true
                        namePrefix: "contactTime"
                        selected: page.complaint.contactTime
                        options: [
                            { value: "anytime", label: qsTr("Any time") },
                            { value: "morning", label: qsTr("Morning") },
                            { value: "afternoon", label: qsTr("Afternoon") },
                            { value: "evening", label: qsTr("Evening") }
                        ]
                        onChosen: value => page.complaint.setContactTime(value)
                    }
                    AbstractButton {
                        objectName: "complaintConsent"
                        Layout.fillWidth: true
                        implicitHeight: Math.max(Theme.buttonHeight, consentText.implicitHeight + Theme.gap)
                        onClicked: page.complaint.setConsent(!page.complaint.consent)
                        background: Rectangle {
                            radius: Theme.radius
                            color: Theme.surface
                            border.width: 2
                            border.color: page.complaint.consent ? Theme.success : Theme.border
                        }
                        contentItem: RowLayout {
                            spacing: Theme.gap
                            Rectangle {
                                Layout.leftMargin: Theme.gap
                                Layout.preferredWidth: Theme.touchMin * 0.6
                                Layout.preferredHeight: Theme.touchMin * 0.6
                                radius: 8
                                color: page.complaint.consent ? Theme.success : Theme.surface
                                border.width: 3
                                border.color: page.complaint.consent ? Theme.success : Theme.border
                                Text {
                                    anchors.centerIn: parent
                                    visible: page.complaint.consent
                                    text: "✓"
                                    font.pixelSize: Theme.fontLabel
                                    font.bold: true
                                    color: Theme.textOnPrimary
                                }
                            }
                            Text {
                                id: consentText
                                Layout.fillWidth: true
                                text: qsTr("I agree that the mall may contact me about this case.")
                                font.pixelSize: Theme.fontBody
                                color: Theme.text
                                wrapMode: Text.WordWrap
                            }
                        }
                    }
                    FieldProblem { text: page.problem("consent") }
                    Text {
                        Layout.fillWidth: true
                        visible: page.complaint.isComplaint && !page.complaint.callbackPossible
                        text: qsTr("Without a phone number we cannot call you back, but your complaint is still recorded.")
                        font.pixelSize: Theme.fontBody
                        color: Theme.notice
                        wrapMode: Text.WordWrap
                    }
                }
            }

            // 4 — review
            ColumnLayout {
                spacing: Theme.gap
                FormLabel { text: qsTr("Please check and send") }
                Rectangle {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    radius: Theme.radius
                    color: Theme.surface
                    border.color: Theme.border
                    border.width: 2
                    ListView {
                        objectName: "complaintReview"
                        anchors.fill: parent
                        anchors.margins: Theme.margin
                        clip: true
                        spacing: Theme.gap
                        model: page.english ? page.complaint.summaryEn : page.complaint.summaryZh
                        delegate: Text {
                            required property string modelData
                            width: ListView.view.width
                            text: modelData
                            font.pixelSize: Theme.fontLabel
                            color: Theme.text
                            wrapMode: Text.WordWrap
                        }
                    }
                }
                FieldProblem { text: page.problem("submit") }
            }

            // 5 — done
            ColumnLayout {
                spacing: Theme.margin
                Text {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    text: qsTr("Thank you. Your ticket number is")
                    font.pixelSize: Theme.fontTitle
                    color: Theme.text
                    wrapMode: Text.WordWrap
                }
                Text {
                    objectName: "complaintTicket"
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    text: page.complaint.ticketNo
                    font.pixelSize: Theme.fontHero
                    font.bold: true
                    font.letterSpacing: 4
                    color: Theme.primary
                }
                Image {
                    objectName: "complaintQr"
                    Layout.alignment: Qt.AlignHCenter
                    Layout.preferredWidth: 360
                    Layout.preferredHeight: 360
                    source: page.complaint.qrSource
                    sourceSize.width: 360
                    sourceSize.height: 360
                    smooth: false
                }
                Text {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    text: page.english ? page.complaint.promiseEn : page.complaint.promiseZh
                    font.pixelSize: Theme.fontLabel
                    color: Theme.text
                    wrapMode: Text.WordWrap
                }
                Text {
                    objectName: "complaintPrint"
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    text: page.english ? page.complaint.printMessageEn : page.complaint.printMessageZh
                    font.pixelSize: Theme.fontBody
                    color: Theme.textMuted
                    wrapMode: Text.WordWrap
                }
                Item { Layout.fillHeight: true }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.margin
            visible: page.complaint.step > 0
            KioskButton {
                objectName: "complaintPrevious"
                Layout.fillWidth: true
                visible: page.complaint.step < 5
                text: qsTr("Previous")
                fill: Theme.textMuted
                onClicked: page.complaint.previous()
            }
            KioskButton {
                objectName: "complaintNext"
                Layout.fillWidth: true
                visible: page.complaint.step < 4
                text: qsTr("Next")
                onClicked: page.complaint.next()
            }
            KioskButton {
                objectName: "complaintSubmit"
                Layout.fillWidth: true
                visible: page.complaint.step === 4
                text: qsTr("Send")
                fill: Theme.tileReturns
                onClicked: page.complaint.submit(page.shell.language)
            }
            KioskButton {
                objectName: "complaintDone"
                Layout.fillWidth: true
                visible: page.complaint.step === 5
                text: qsTr("Done")
                onClicked: page.nav.home()
            }
        }
    }
}
