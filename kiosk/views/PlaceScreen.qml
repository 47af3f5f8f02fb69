pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Layouts
import MallKiosk
import kiosk.views.components

// One store or facility: names, floor and unit, category, today's hours, phone, where it is on
// its floor, and the big "Take me there".
Item {
    id: page

    required property WayfindingViewModel wayfinding
    required property RouteViewModel route
    required property MapViewModel map
    required property NavigationViewModel nav
    required property ShellViewModel shell
    property string screen: "place"

    readonly property var place: wayfinding.detail
    readonly property bool english: shell.language === "en"

    objectName: "screen_place"
    Component.onCompleted: map.focusPlace(page.place.id ?? "")

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.margin

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: card.implicitHeight + 2 * Theme.margin
            radius: Theme.radius * 1.5
            color: Theme.surface
            border.color: "#D4D7DB"
            border.width: 2

            RowLayout {
                id: card
                anchors.fill: parent
                anchors.margins: Theme.margin
                spacing: Theme.margin

                // A logo stand-in: the name's first character on the category colour.
                Rectangle {
                    Layout.alignment: Qt.AlignTop
                    Layout.preferredWidth: Theme.touchMin * 1.6
                    Layout.preferredHeight: Theme.touchMin * 1.6
                    radius: Theme.radius
                    color: Theme.categoryColor(page.place.category ?? "")
                    Text {
                        anchors.centerIn: parent
                        text: (page.english ? page.place.nameEn ?? "" : page.place.nameZh ?? "").charAt(0)
                        font.pixelSize: Theme.fontHero
                        font.bold: true
                        color: Theme.textOnPrimary
                    }
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: Theme.gap / 2
                    Text {
                        objectName: "placeName"
                        Layout.fillWidth: true
                        text: page.english ? page.place.nameEn ?? "" : page.place.nameZh ?? ""
                        font.pixelSize: Theme.fontTitle
                        font.bold: true
                        color: Theme.text
                        wrapMode: Text.WordWrap
                    }
                    Text {
                        Layout.fillWidth: true
                        text: page.english ? page.place.nameZh ?? "" : page.place.nameEn ?? ""
                        font.pixelSize: Theme.fontLabel
                        color: Theme.textMuted
                        wrapMode: Text.WordWrap
                    }
                    Text {
                        objectName: "placeWhere"
                        Layout.fillWidth: true
                        text: qsTr("Floor %1").arg(page.place.level ?? "")
                              + ((page.place.unitNo ?? "") !== "" ? "  ·  " + qsTr("Unit %1").arg(page.place.unitNo) : "")
                              + "  ·  " + (page.english ? page.place.categoryEn ?? "" : page.place.categoryZh ?? "")
                        font.pixelSize: Theme.fontLabel
                        color: Theme.text
                        wrapMode: Text.WordWrap
                    }
                    Text {
                        objectName: "placeHours"
                        Layout.fillWidth: true
                        visible: text !== ""
                        text: page.english ? page.place.hoursEn ?? "" : page.place.hoursZh ?? ""
                        font.pixelSize: Theme.fontLabel
                        font.bold: true
                        color: page.place.openState === "open" ? Theme.success : Theme.notice
                        wrapMode: Text.WordWrap
                    }
                    Text {
                        Layout.fillWidth: true
                        visible: (page.place.phone ?? "") !== ""
                        text: qsTr("Phone %1").arg(page.place.phone ?? "")
                        font.pixelSize: Theme.fontBody
                        color: Theme.textMuted
                    }
                }
            }
        }

        LevelMap {
            objectName: "placeMap"
            Layout.fillWidth: true
            Layout.fillHeight: true
            map: page.map
            shell: page.shell
            initialZoom: 2.0
        }

        KioskButton {
            objectName: "takeMeThere"
            Layout.fillWidth: true
            implicitHeight: Theme.buttonHeight * 1.25
            iconSource: Theme.icon("route")
            text: qsTr("Take me there")
            fill: Theme.tileReturns
            onClicked: {
                page.route.routeTo(page.place.id, page.shell.accessibilityMode)
                page.nav.push("route")
            }
        }
    }
}
