pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import MallKiosk
import kiosk.views.components

// 找店导航: one search box (pinyin, initials, English), and below it either the results or the
// ways to browse: facilities, categories, floors.
Item {
    id: page

    required property WayfindingViewModel wayfinding
    required property NavigationViewModel nav
    required property ShellViewModel shell
    property string screen: "wayfinding"

    readonly property bool english: shell.language === "en"
    readonly property bool listing: wayfinding.hasList

    objectName: "screen_wayfinding"
    Component.onCompleted: wayfinding.load()

    function open(placeId: string, kind: string) {
        if (kind === "category") {
            search.clear()
            page.wayfinding.browseCategory(placeId)
            return
        }
        page.wayfinding.select(placeId)
        page.nav.push("place")
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.margin

        RowLayout {
            Layout.fillWidth: true
            spacing: Theme.gap
            KioskTextField {
                id: search
                objectName: "searchField"
                Layout.fillWidth: true
                placeholderText: qsTr("Search stores, brands, food, restrooms…  (pinyin OK)")
                maximumLength: 40
                // Search on the pinyin being composed too, not only on committed characters.
                readonly property string live: text + preeditText
                onLiveChanged: page.wayfinding.setQuery(live)
                Connections {
                    target: page.shell
                    function onSessionEnded() { search.clear() }
                }
            }
            KioskButton {
                objectName: "clearSearch"
                visible: page.listing
                text: qsTr("Clear")
                fill: Theme.textMuted
                onClicked: {
                    search.clear()
                    page.wayfinding.clearList()
                }
            }
        }

        Text {
            objectName: "listTitle"
            Layout.fillWidth: true
            visible: page.listing
            text: page.wayfinding.suggestionsOnly
                  ? qsTr("No exact match. Did you mean:")
                  : (page.wayfinding.query !== ""
                     ? qsTr("Results")
                     : (page.english ? page.wayfinding.listTitleEn : page.wayfinding.listTitleZh))
            font.pixelSize: Theme.fontLabel
            font.bold: true
            color: Theme.text
            wrapMode: Text.WordWrap
        }
        Text {
            visible: page.wayfinding.error !== ""
            Layout.fillWidth: true
            text: page.wayfinding.error
            font.pixelSize: Theme.fontBody
            color: Theme.notice
            wrapMode: Text.WordWrap
        }

        ListView {
            id: results
            objectName: "resultList"
            cacheBuffer: 0  // see RouteScreen: no asynchronous delegates to cancel
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: page.listing
            clip: true
            spacing: Theme.gap
            model: page.wayfinding.results
            delegate: PlaceRowDelegate {
                required property string id
                required property int index
                objectName: "result_" + index
                width: results.width
                english: page.english
                onClicked: page.open(id, kind)
            }
        }

        // Browse: shown while nothing is typed.
        Flickable {
            Layout.fillWidth: true
            Layout.fillHeight: true
            visible: !page.listing
            contentHeight: browse.implicitHeight
            clip: true
            boundsBehavior: Flickable.StopAtBounds

            ColumnLayout {
                id: browse
                width: parent.width
                spacing: Theme.margin

                Text {
                    text: qsTr("Facilities")
                    font.pixelSize: Theme.fontLabel
                    font.bold: true
                    color: Theme.text
                }
                GridLayout {
                    Layout.fillWidth: true
                    columns: page.width > 1400 ? 7 : 4
                    rowSpacing: Theme.gap
                    columnSpacing: Theme.gap
                    Repeater {
                        model: [
                            { code: "restroom", icon: "restroom", label: qsTr("Restrooms") },
                            { code: "mothersroom", icon: "nursing", label: qsTr("Nursing room") },
                            { code: "elevator", icon: "elevator", label: qsTr("Elevators") },
                            { code: "information", icon: "info", label: qsTr("Service desk") },
                            { code: "atm", icon: "atm", label: qsTr("ATM") },
                            { code: "entry", icon: "exit", label: qsTr("Exits") },
                            { code: "parking", icon: "parking", label: qsTr("Parking") }
                        ]
                        delegate: IconTile {
                            required property var modelData
                            objectName: "facility_" + modelData.code
                            Layout.fillWidth: true
                            iconName: modelData.icon
                            text: modelData.label
                            onClicked: page.wayfinding.browseFacility(modelData.code)
                        }
                    }
                }

                Text {
                    text: qsTr("Categories")
                    font.pixelSize: Theme.fontLabel
                    font.bold: true
                    color: Theme.text
                }
                GridLayout {
                    Layout.fillWidth: true
                    columns: page.width > 1400 ? 5 : 3
                    rowSpacing: Theme.gap
                    columnSpacing: Theme.gap
                    Repeater {
                        model: page.wayfinding.categories
                        delegate: IconTile {
                            required property string id
                            required property string name_zh
                            required property string name_en
                            objectName: "category_" + id
                            Layout.fillWidth: true
                            fill: Theme.tileWayfinding
                            iconName: "cat_" + id
                            text: page.english ? name_en : name_zh
                            onClicked: page.wayfinding.browseCategory(id)
                        }
                    }
                }

                Text {
                    text: qsTr("Floors")
                    font.pixelSize: Theme.fontLabel
                    font.bold: true
                    color: Theme.text
                }
                Flow {
                    Layout.fillWidth: true
                    spacing: Theme.gap
                    Repeater {
                        model: page.wayfinding.levels
                        delegate: KioskButton {
                            required property string id
                            required property string short_name
                            required property bool here
                            objectName: "floor_" + short_name
                            text: short_name
                            implicitWidth: Theme.buttonHeight * 1.5
                            fill: here ? Theme.accent : Theme.primary
                            ink: here ? Theme.text : Theme.textOnPrimary
                            onClicked: page.wayfinding.browseLevel(id)
                        }
                    }
                }
            }
        }
    }
}
