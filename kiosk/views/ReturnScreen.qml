pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import MallKiosk
import kiosk.views.components

// 退换货申请: proof of purchase → item → reason → the policy's verdict → contact → review →
// ticket and receipt.
Item {
    id: page

    required property ReturnViewModel returns
    required property NavigationViewModel nav
    required property ShellViewModel shell
    property string screen: "returns"

    readonly property bool english: shell.language === "en"
    readonly property var problems: returns.problems

    objectName: "screen_returns"

    function problem(field: string): string {
        const p = page.problems[field]
        return p ? (page.english ? p.en : p.zh) : ""
    }

    // A large on/off button with a check box, for the item's condition and for consent.
    component Toggle: AbstractButton {
        id: toggle
        property bool on: false
        Layout.fillWidth: true
        implicitHeight: Math.max(Theme.buttonHeight, toggleText.implicitHeight + Theme.gap)
        background: Rectangle {
            radius: Theme.radius
            color: Theme.surface
            border.width: toggle.on ? 4 : 2
            border.color: toggle.on ? Theme.success : Theme.border
        }
        contentItem: RowLayout {
            spacing: Theme.gap
            Rectangle {
                Layout.leftMargin: Theme.gap
                Layout.preferredWidth: Theme.touchMin * 0.6
                Layout.preferredHeight: Theme.touchMin * 0.6
                radius: 8
                color: toggle.on ? Theme.success : Theme.surface
                border.width: 3
                border.color: toggle.on ? Theme.success : Theme.border
                Text {
                    anchors.centerIn: parent
                    visible: toggle.on
                    text: "✓"
                    font.pixelSize: Theme.fontLabel
                    font.bold: true
                    color: Theme.textOnPrimary
                }
            }
            Text {
                id: toggleText
                Layout.fillWidth: true
                text: toggle.text
                font.pixelSize: Theme.fontBody
                color: Theme.text
                wrapMode: Text.WordWrap
            }
        }
    }

    // A list of lines, one per row.
    component Lines: Column {
        id: lines
        property var model: []
        property color color: Theme.text
        property int pixelSize: Theme.fontLabel
        spacing: Theme.gap / 2
        Repeater {
            model: lines.model
            Text {
                required property string modelData
                width: lines.width
                text: modelData
                font.pixelSize: lines.pixelSize
                color: lines.color
                wrapMode: Text.WordWrap
            }
        }
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.margin

        // Where the shopper is in the form.
        Row {
            Layout.alignment: Qt.AlignHCenter
            spacing: Theme.gap
            visible: page.returns.step < 6
            Repeater {
                model: 6
                Rectangle {
                    required property int index
                    width: 64
                    height: 12
                    radius: 6
                    color: index <= page.returns.step ? Theme.primary : "#C9CCD0"
                }
            }
        }

        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: page.returns.step

            // 0 — proof of purchase: slip, store, when, amount
            Flickable {
                contentHeight: proof.implicitHeight
                clip: true
                boundsBehavior: Flickable.StopAtBounds
                ColumnLayout {
                    id: proof
                    width: parent.width
                    spacing: Theme.gap
                    FormLabel { text: qsTr("Sales slip number (scan or type; leave empty if you have none)") }
                    KioskTextField {
                        id: slipField
                        objectName: "returnSlip"
                        Layout.fillWidth: true
                        maximumLength: 64
                        placeholderText: qsTr("Scan the barcode on your slip")
                        inputMethodHints: Qt.ImhPreferUppercase | Qt.ImhNoPredictiveText | Qt.ImhSensitiveData
                        onTextChanged: page.returns.setSlip(text)
                        onAccepted: {
                            if (page.returns.checkSlip())
                                storeSearch.forceActiveFocus()
                        }
                        Connections {
                            target: page.shell
                            function onSessionEnded() { slipField.clear() }
                        }
                    }
                    FieldProblem { text: page.problem("slip") }

                    FormLabel { text: qsTr("Which store?") }
                    KioskTextField {
                        id: storeSearch
                        objectName: "returnStoreSearch"
                        Layout.fillWidth: true
                        placeholderText: qsTr("Store name or pinyin")
                        readonly property string live: text + preeditText
                        onLiveChanged: page.returns.searchStores(live)
                    }
                    Repeater {
                        model: page.returns.stores
                        delegate: PlaceRowDelegate {
                            required property string id
                            required property int index
                            objectName: "returnStore_" + index
                            Layout.fillWidth: true
                            english: page.english
                            onClicked: {
                                storeSearch.clear()
                                page.returns.chooseStore(id)
                            }
                        }
                    }
                    Text {
                        objectName: "returnStoreChosen"
                        visible: page.returns.storeNameZh !== ""
                        text: "✓ " + (page.english ? page.returns.storeNameEn : page.returns.storeNameZh)
                        font.pixelSize: Theme.fontLabel
                        font.bold: true
                        color: Theme.success
                    }
                    FieldProblem { text: page.problem("store") }

                    FormLabel { text: qsTr("When did you buy it?") }
                    ChoiceGrid {
                        Layout.fillWidth: true
                        namePrefix: "purchased"
                        selected: page.returns.purchased
                        options: [
                            { value: "today", label: qsTr("Today") },
                            { value: "yesterday", label: qsTr("Yesterday") },
                            { value: "days2to7", label: qsTr("2–7 days ago") },
                            { value: "days8to15", label: qsTr("8–15 days ago") },
                            { value: "older", label: qsTr("Longer ago") }
                        ]
                        onChosen: value => page.returns.setPurchased(value)
                    }
                    FieldProblem { text: page.problem("purchased") }

                    FormLabel { text: qsTr("Amount paid in yuan (optional)") }
                    KioskTextField {
                        id: amountField
                        objectName: "returnAmount"
                        Layout.fillWidth: true
                        maximumLength: 20
                        placeholderText: "199.00"
                        inputMethodHints: Qt.ImhFormattedNumbersOnly | Qt.ImhNoPredictiveText
                        onTextChanged: page.returns.setAmount(text)
                        Connections {
                            target: page.shell
                            function onSessionEnded() { amountField.clear() }
                        }
                    }
                    FieldProblem { text: page.problem("amount") }
                }
            }

            // 1 — the item: what it is, its kind, how many
            Flickable {
                contentHeight: item.implicitHeight
                clip: true
                boundsBehavior: Flickable.StopAtBounds
                ColumnLayout {
                    id: item
                    width: parent.width
                    spacing: Theme.gap
                    FormLabel { text: qsTr("What is the item?") }
                    KioskTextField {
                        id: descriptionField
                        objectName: "returnDescription"
                        Layout.fillWidth: true
                        maximumLength: page.returns.descriptionMax
                        placeholderText: qsTr("For example: blue shirt, size M")
                        onTextChanged: page.returns.setDescription(text)
                        Connections {
                            target: page.shell
                            function onSessionEnded() { descriptionField.clear() }
                        }
                    }
                    FieldProblem { text: page.problem("description") }
                    FormLabel { text: qsTr("What kind of product?") }
                    ChoiceGrid {
                        Layout.fillWidth: true
                        namePrefix: "returnCategory"
                        selected: page.returns.category
                        options: page.returns.categories.map(
                            c => ({ value: c.value, label: page.english ? c.en : c.zh }))
                        onChosen: value => page.returns.setCategory(value)
                    }
                    FieldProblem { text: page.problem("category") }
                    FormLabel { text: qsTr("How many?") }
                    RowLayout {
                        spacing: Theme.margin
                        KioskButton {
                            objectName: "returnQuantityLess"
                            implicitWidth: Theme.buttonHeight
                            text: "−"
                            enabled: page.returns.quantity > 1
                            onClicked: page.returns.setQuantity(page.returns.quantity - 1)
                        }
                        Text {
                            objectName: "returnQuantity"
                            Layout.minimumWidth: Theme.buttonHeight
                            horizontalAlignment: Text.AlignHCenter
                            text: page.returns.quantity
                            font.pixelSize: Theme.fontTitle
                            font.bold: true
                            color: Theme.text
                        }
                        KioskButton {
                            objectName: "returnQuantityMore"
                            implicitWidth: Theme.buttonHeight
                            text: "+"
                            enabled: page.returns.quantity < 99
                            onClicked: page.returns.setQuantity(page.returns.quantity + 1)
                        }
                    }
                }
            }

            // 2 — why, the item's condition, what the shopper wants
            Flickable {
                contentHeight: why.implicitHeight
                clip: true
                boundsBehavior: Flickable.StopAtBounds
                ColumnLayout {
                    id: why
                    width: parent.width
                    spacing: Theme.gap
                    FormLabel { text: qsTr("Why are you bringing it back?") }
                    ChoiceGrid {
                        Layout.fillWidth: true
                        namePrefix: "reason"
                        selected: page.returns.reason
                        options: [
                            { value: "quality_defect", label: qsTr("Quality fault") },
                            { value: "wrong_size_colour", label: qsTr("Wrong size or colour") },
                            { value: "not_as_described", label: qsTr("Not as described") },
                            { value: "damaged", label: qsTr("Damaged") },
                            { value: "changed_mind", label: qsTr("Changed my mind") },
                            { value: "other", label: qsTr("Other reason") }
                        ]
                        onChosen: value => page.returns.setReason(value)
                    }
                    FieldProblem { text: page.problem("reason") }
                    FormLabel { text: qsTr("Tick what is true") }
                    GridLayout {
                        Layout.fillWidth: true
                        columns: width > 1400 ? 3 : 2
                        rowSpacing: Theme.gap
                        columnSpacing: Theme.gap
                        Repeater {
                            model: [
                                { value: "packaging_intact", label: qsTr("Packaging intact") },
                                { value: "tags_attached", label: qsTr("Tags attached") },
                                { value: "accessories_complete", label: qsTr("Accessories complete") },
                                { value: "has_proof", label: qsTr("I have the slip or invoice") },
                                { value: "used", label: qsTr("The item has been used") }
                            ]
                            delegate: Toggle {
                                required property var modelData
                                objectName: "condition_" + modelData.value
                                text: modelData.label
                                on: page.returns.conditions[modelData.value] === true
                                onClicked: page.returns.toggleCondition(modelData.value)
                            }
                        }
                    }
                    FormLabel { text: qsTr("What would you like?") }
                    ChoiceGrid {
                        Layout.fillWidth: true
                        namePrefix: "returnDesired"
                        selected: page.returns.desired
                        options: [
                            { value: "refund", label: qsTr("Refund") },
                            { value: "exchange", label: qsTr("Exchange") },
                            { value: "repair", label: qsTr("Repair") }
                        ]
                        onChosen: value => page.returns.setDesired(value)
                    }
                    FieldProblem { text: page.problem("desired") }
                }
            }

            // 3 — the policy's likely verdict
            Flickable {
                contentHeight: verdict.implicitHeight
                clip: true
                boundsBehavior: Flickable.StopAtBounds
                ColumnLayout {
                    id: verdict
                    width: parent.width
                    spacing: Theme.margin
                    FormLabel { text: qsTr("What you can likely expect") }
                    Rectangle {
                        Layout.fillWidth: true
                        implicitHeight: verdictLines.implicitHeight + 2 * Theme.margin
                        radius: Theme.radius
                        color: Theme.surface
                        border.width: 4
                        border.color: page.returns.outcome === "not_eligible" ? Theme.notice
                                      : page.returns.staffReview ? Theme.border : Theme.success
                        Lines {
                            id: verdictLines
                            objectName: "returnVerdict"
                            anchors.fill: parent
                            anchors.margins: Theme.margin
                            model: page.english ? page.returns.verdictEn : page.returns.verdictZh
                        }
                    }
                    Text {
                        objectName: "returnStaffNote"
                        Layout.fillWidth: true
                        visible: page.returns.staffReview
                        text: qsTr("Staff at the service desk will look at your item and decide. You can still send the request.")
                        font.pixelSize: Theme.fontBody
                        color: Theme.notice
                        wrapMode: Text.WordWrap
                    }
                    FormLabel { text: qsTr("Please bring") }
                    Lines {
                        Layout.fillWidth: true
                        pixelSize: Theme.fontBody
                        model: (page.english ? page.returns.bringEn : page.returns.bringZh).map(line => "· " + line)
                    }
                    Text {
                        Layout.fillWidth: true
                        text: qsTr("This is a guide, not a promise: the desk checks the item.")
                        font.pixelSize: Theme.fontBody
                        color: Theme.textMuted
                        wrapMode: Text.WordWrap
                    }
                }
            }

            // 4 — contact, optional, with consent
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
                        text: qsTr("Leave a phone number if you would like us to call you back. We use it only for this request and delete it when it is closed.")
                        font.pixelSize: Theme.fontBody
                        color: Theme.textMuted
                        wrapMode: Text.WordWrap
                    }
                    FormLabel { text: qsTr("Mobile number (optional)") }
                    KioskTextField {
                        id: phoneField
                        objectName: "returnPhone"
                        Layout.fillWidth: true
                        maximumLength: 20
                        inputMethodHints: Qt.ImhDialableCharactersOnly | Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
                        onTextChanged: page.returns.setPhone(text)
                        Connections {
                            target: page.shell
                            function onSessionEnded() { phoneField.clear() }
                        }
                    }
                    FieldProblem { text: page.problem("phone") }
                    Toggle {
                        objectName: "returnConsent"
                        text: qsTr("I agree that the mall may contact me about this request.")
                        on: page.returns.consent
                        onClicked: page.returns.setConsent(!page.returns.consent)
                    }
                    FieldProblem { text: page.problem("consent") }
                }
            }

            // 5 — review
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
                        objectName: "returnReview"
                        anchors.fill: parent
                        anchors.margins: Theme.margin
                        clip: true
                        spacing: Theme.gap
                        model: page.english ? page.returns.summaryEn : page.returns.summaryZh
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

            // 6 — done
            Flickable {
                contentHeight: done.implicitHeight
                clip: true
                boundsBehavior: Flickable.StopAtBounds
                ColumnLayout {
                    id: done
                    width: parent.width
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
                        objectName: "returnTicket"
                        Layout.fillWidth: true
                        horizontalAlignment: Text.AlignHCenter
                        text: page.returns.ticketNo
                        font.pixelSize: Theme.fontHero
                        font.bold: true
                        font.letterSpacing: 4
                        color: Theme.primary
                    }
                    Image {
                        objectName: "returnQr"
                        Layout.alignment: Qt.AlignHCenter
                        Layout.preferredWidth: 320
                        Layout.preferredHeight: 320
                        source: page.returns.qrSource
                        sourceSize.width: 320
                        sourceSize.height: 320
                        smooth: false
                    }
                    Text {
                        Layout.fillWidth: true
                        horizontalAlignment: Text.AlignHCenter
                        text: page.english ? page.returns.promiseEn : page.returns.promiseZh
                        font.pixelSize: Theme.fontLabel
                        color: Theme.text
                        wrapMode: Text.WordWrap
                    }
                    FormLabel { text: qsTr("Please bring to the service desk") }
                    Lines {
                        objectName: "returnBring"
                        Layout.fillWidth: true
                        pixelSize: Theme.fontBody
                        model: (page.english ? page.returns.bringEn : page.returns.bringZh).map(line => "· " + line)
                    }
                    Text {
                        objectName: "returnPrint"
                        Layout.fillWidth: true
                        horizontalAlignment: Text.AlignHCenter
                        text: page.english ? page.returns.printMessageEn : page.returns.printMessageZh
                        font.pixelSize: Theme.fontBody
                        color: Theme.textMuted
                        wrapMode: Text.WordWrap
                    }
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.margin
            KioskButton {
                objectName: "returnPrevious"
                Layout.fillWidth: true
                visible: page.returns.step > 0 && page.returns.step < 6
                text: qsTr("Previous")
                fill: Theme.textMuted
                onClicked: page.returns.previous()
            }
            KioskButton {
                objectName: "returnNext"
                Layout.fillWidth: true
                visible: page.returns.step < 5
                text: qsTr("Next")
                onClicked: page.returns.next()
            }
            KioskButton {
                objectName: "returnSubmit"
                Layout.fillWidth: true
                visible: page.returns.step === 5
                text: qsTr("Send")
                fill: Theme.tileReturns
                onClicked: page.returns.submit(page.shell.language)
            }
            KioskButton {
                objectName: "returnDone"
                Layout.fillWidth: true
                visible: page.returns.step === 6
                text: qsTr("Done")
                onClicked: page.nav.home()
            }
        }
    }
}
