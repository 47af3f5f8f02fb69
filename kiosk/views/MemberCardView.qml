pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import MallKiosk
import kiosk.views.components

// The member's card: tier, points, what lapses soon, coupons to show at a till, recent points.
// Identity is shown masked, as the central service sends it.
Flickable {
    id: view

    required property MemberViewModel member
    required property bool english
    signal logout()

    objectName: "memberCard"
    contentHeight: body.implicitHeight + 2 * Theme.margin
    clip: true
    boundsBehavior: Flickable.StopAtBounds

    // The coupon whose QR code is open (one at a time keeps the list short).
    property string openCoupon: ""

    Connections {
        target: view.member
        function onCleared() {
            view.openCoupon = ""
            view.contentY = 0
        }
    }

    function tierColor(code: string): color {
        switch (code) {
        case "diamond": return "#1F3A5F"
        case "gold": return "#7A5800"
        case "silver": return "#4A5560"
        }
        return Theme.tileMember
    }

    ColumnLayout {
        id: body
        x: Theme.margin
        y: Theme.margin
        width: parent.width - 2 * Theme.margin
        spacing: Theme.margin

        // Who (masked) and which tier, with Log out always at hand.
        Rectangle {
            objectName: "memberHeader"
            Layout.fillWidth: true
            implicitHeight: header.implicitHeight + 2 * Theme.margin
            radius: Theme.radius * 1.5
            color: view.tierColor(view.member.tierCode)
            RowLayout {
                id: header
                anchors.fill: parent
                anchors.margins: Theme.margin
                spacing: Theme.margin
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: Theme.gap / 2
                    Text {
                        objectName: "memberTier"
                        text: view.english ? view.member.tierEn : view.member.tierZh
                        font.pixelSize: Theme.fontTitle
                        font.bold: true
                        color: Theme.textOnPrimary
                    }
                    Text {
                        objectName: "memberName"
                        Layout.fillWidth: true
                        text: view.member.nameMasked + "   " + view.member.phoneMasked
                        font.pixelSize: Theme.fontLabel
                        color: Theme.textOnPrimary
                        elide: Text.ElideRight
                    }
                    Text {
                        text: qsTr("Card %1").arg(view.member.cardMasked)
                        font.pixelSize: Theme.fontBody
                        color: Theme.textOnPrimary
                    }
                }
                KioskButton {
                    objectName: "memberLogout"
                    text: qsTr("Log out")
                    fill: Theme.surface
                    ink: Theme.text
                    onClicked: view.logout()
                }
            }
        }

        // Points, and how far to the next tier.
        Rectangle {
            Layout.fillWidth: true
            implicitHeight: pointsCol.implicitHeight + 2 * Theme.margin
            radius: Theme.radius * 1.5
            color: Theme.surface
            border.color: Theme.border
            border.width: 2
            ColumnLayout {
                id: pointsCol
                anchors.fill: parent
                anchors.margins: Theme.margin
                spacing: Theme.gap
                Text {
                    text: qsTr("Points")
                    font.pixelSize: Theme.fontLabel
                    color: Theme.textMuted
                }
                Text {
                    objectName: "memberPoints"
                    text: view.member.points.toLocaleString(Qt.locale("en_US"), "f", 0)
                    font.pixelSize: Theme.fontHero
                    font.bold: true
                    color: Theme.text
                }
                Text {
                    Layout.fillWidth: true
                    visible: view.member.pointsToNext >= 0
                    text: qsTr("%1 more points to %2")
                          .arg(view.member.pointsToNext.toLocaleString(Qt.locale("en_US"), "f", 0))
                          .arg(view.english ? view.member.nextTierEn : view.member.nextTierZh)
                    font.pixelSize: Theme.fontBody
                    color: Theme.textMuted
                    wrapMode: Text.WordWrap
                }
                Text {
                    text: qsTr("As of %1").arg(view.member.asOf)
                    font.pixelSize: Theme.fontBody
                    color: Theme.textMuted
                }
            }
        }

        // Points lapsing within 30 / 60 / 90 days.
        SectionTitle { text: qsTr("Points expiring soon") }
        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            Repeater {
                model: view.member.expiry
                delegate: Rectangle {
                    id: window
                    required property int index
                    required property int days
                    required property int points
                    objectName: "memberExpiry_" + days
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    implicitHeight: windowCol.implicitHeight + 2 * Theme.gap
                    radius: Theme.radius
                    color: window.points > 0 && window.index === 0 ? "#FFF1D6" : Theme.surface
                    border.color: window.points > 0 && window.index === 0 ? Theme.notice : Theme.border
                    border.width: 2
                    ColumnLayout {
                        id: windowCol
                        anchors.fill: parent
                        anchors.margins: Theme.gap
                        spacing: 4
                        Text {
                            text: qsTr("Within %1 days").arg(window.days)
                            font.pixelSize: Theme.fontBody
                            color: Theme.textMuted
                        }
                        Text {
                            objectName: "memberExpiryPoints"
                            text: window.points.toLocaleString(Qt.locale("en_US"), "f", 0)
                            font.pixelSize: Theme.fontTitle
                            font.bold: true
                            color: window.points > 0 ? Theme.notice : Theme.text
                        }
                    }
                }
            }
        }

        // The dates behind the totals.
        Repeater {
            model: view.member.lapses
            delegate: Text {
                id: lapse
                required property int index
                required property string day
                required property int points
                objectName: "memberLapse_" + index
                Layout.fillWidth: true
                text: qsTr("%1 points lapse at the end of %2")
                      .arg(lapse.points.toLocaleString(Qt.locale("en_US"), "f", 0)).arg(lapse.day)
                font.pixelSize: Theme.fontBody
                color: Theme.text
                wrapMode: Text.WordWrap
            }
        }
        Text {
            Layout.fillWidth: true
            visible: view.member.lapseCount === 0
            text: qsTr("No points lapse in the next 90 days.")
            font.pixelSize: Theme.fontBody
            color: Theme.textMuted
            wrapMode: Text.WordWrap
        }

        // Coupons: each with its code, and its QR code on request, to show at the till.
        SectionTitle { text: qsTr("Coupons (%1)").arg(view.member.couponCount) }
        Text {
            Layout.fillWidth: true
            visible: view.member.couponCount === 0
            text: qsTr("No coupons right now.")
            font.pixelSize: Theme.fontBody
            color: Theme.textMuted
        }
        Repeater {
            model: view.member.coupons
            delegate: Rectangle {
                id: coupon
                required property int index
                required property string code
                required property string qrSource
                required property string titleZh
                required property string titleEn
                required property string termsZh
                required property string termsEn
                required property string validUntil
                required property string storesZh
                required property string storesEn
                readonly property bool open: view.openCoupon === code
                objectName: "memberCoupon_" + index
                Layout.fillWidth: true
                implicitHeight: couponCol.implicitHeight + 2 * Theme.margin
                radius: Theme.radius * 1.5
                color: Theme.surface
                border.color: Theme.tileMember
                border.width: 3
                ColumnLayout {
                    id: couponCol
                    anchors.fill: parent
                    anchors.margins: Theme.margin
                    spacing: Theme.gap
                    Text {
                        Layout.fillWidth: true
                        text: view.english ? coupon.titleEn : coupon.titleZh
                        font.pixelSize: Theme.fontLabel
                        font.bold: true
                        color: Theme.tileMember
                        wrapMode: Text.WordWrap
                    }
                    Text {
                        Layout.fillWidth: true
                        text: view.english ? coupon.termsEn : coupon.termsZh
                        font.pixelSize: Theme.fontBody
                        color: Theme.text
                        wrapMode: Text.WordWrap
                    }
                    Text {
                        Layout.fillWidth: true
                        text: qsTr("Valid until %1 · %2").arg(coupon.validUntil)
                              .arg(view.english ? coupon.storesEn : coupon.storesZh)
                        font.pixelSize: Theme.fontBody
                        color: Theme.textMuted
                        wrapMode: Text.WordWrap
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: Theme.gap
                        Text {
                            Layout.fillWidth: true
                            text: coupon.code
                            font.pixelSize: Theme.fontLabel
                            font.family: "monospace"
                            font.bold: true
                            color: Theme.text
                        }
                        KioskButton {
                            objectName: "memberCouponQr_" + coupon.index
                            text: coupon.open ? qsTr("Hide code") : qsTr("Show QR code")
                            iconSource: coupon.open ? "" : Theme.icon("qr")
                            onClicked: view.openCoupon = coupon.open ? "" : coupon.code
                        }
                        // A slip to take to the till: the code and its QR code, no name.
                        KioskButton {
                            objectName: "memberCouponPrint_" + coupon.index
                            visible: view.member.canPrint
                            enabled: !view.member.printing
                            text: qsTr("Print")
                            iconSource: Theme.icon("print")
                            onClicked: view.member.printCoupon(coupon.code, view.english)
                        }
                    }
                    Text {
                        objectName: "memberCouponPrinted_" + coupon.index
                        Layout.fillWidth: true
                        visible: view.member.printedCode === coupon.code && text !== ""
                        text: view.english ? view.member.printMessageEn : view.member.printMessageZh
                        font.pixelSize: Theme.fontBody
                        font.bold: true
                        color: Theme.success
                        wrapMode: Text.WordWrap
                    }
                    Image {
                        objectName: "memberCouponImage"
                        Layout.alignment: Qt.AlignHCenter
                        visible: coupon.open
                        // Drawn only while open and never cached: nothing outlives the session.
                        source: coupon.open ? coupon.qrSource : ""
                        cache: false
                        sourceSize.width: 360
                        sourceSize.height: 360
                        smooth: false
                    }
                }
            }
        }

        // What the tier gives.
        SectionTitle { text: qsTr("Your %1 benefits").arg(view.english ? view.member.tierEn : view.member.tierZh) }
        Repeater {
            model: view.english ? view.member.benefitsEn : view.member.benefitsZh
            delegate: Text {
                required property string modelData
                Layout.fillWidth: true
                text: "•  " + modelData
                font.pixelSize: Theme.fontBody
                color: Theme.text
                wrapMode: Text.WordWrap
            }
        }

        // Recent points.
        SectionTitle { text: qsTr("Recent points") }
        Repeater {
            model: view.member.transactions
            delegate: RowLayout {
                id: txn
                required property string day
                required property int points
                required property string descriptionZh
                required property string descriptionEn
                Layout.fillWidth: true
                spacing: Theme.gap
                Text {
                    text: txn.day
                    font.pixelSize: Theme.fontBody
                    color: Theme.textMuted
                }
                Text {
                    Layout.fillWidth: true
                    text: view.english ? txn.descriptionEn : txn.descriptionZh
                    font.pixelSize: Theme.fontBody
                    color: Theme.text
                    elide: Text.ElideRight
                }
                Text {
                    text: (txn.points > 0 ? "+" : "") + txn.points.toLocaleString(Qt.locale("en_US"), "f", 0)
                    font.pixelSize: Theme.fontBody
                    font.bold: true
                    color: txn.points > 0 ? Theme.success : Theme.notice
                }
            }
        }

        Text {
            objectName: "memberKeptNote"
            Layout.fillWidth: true
            Layout.topMargin: Theme.margin
            text: qsTr("Nothing of your card is kept on this kiosk. Please log out when you are done; the screen also clears itself after a short while without a touch.")
            font.pixelSize: Theme.fontBody
            color: Theme.textMuted
            wrapMode: Text.WordWrap
        }
        KioskButton {
            objectName: "memberLogoutBottom"
            Layout.fillWidth: true
            text: qsTr("Log out")
            iconSource: Theme.icon("exit")
            onClicked: view.logout()
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
}
