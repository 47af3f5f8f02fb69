import QtQuick
import QtQuick.Layouts
import MallKiosk
import kiosk.views.components

// The four services as large tiles; the grid takes more tiles as services are added.
Item {
    id: home

    required property NavigationViewModel nav
    required property ShellViewModel shell
    property string screen: "home"

    objectName: "homeScreen"

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        spacing: Theme.margin

        Text {
            Layout.fillWidth: true
            text: qsTr("Welcome! How can we help you?")
            font.pixelSize: Theme.fontTitle
            font.bold: true
            color: Theme.text
            wrapMode: Text.WordWrap
        }

        GridLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            // Portrait: 2 × 2; a wide landscape screen: one row of four.
            columns: home.width >= 1600 ? 4 : 2
            rowSpacing: Theme.margin
            columnSpacing: Theme.margin

            ServiceTile {
                objectName: "tileWayfinding"
                Layout.fillWidth: true
                Layout.fillHeight: true
                // Equal preferred sizes so every tile gets an equal share of the grid.
                Layout.preferredWidth: 10
                Layout.preferredHeight: 10
                fill: Theme.tileWayfinding
                iconSource: Theme.icon("wayfinding")
                text: qsTr("Find a store")
                subtitle: qsTr("Stores, restaurants, restrooms and routes")
                onClicked: home.nav.push("wayfinding")
            }
            ServiceTile {
                objectName: "tileMember"
                Layout.fillWidth: true
                Layout.fillHeight: true
                // Equal preferred sizes so every tile gets an equal share of the grid.
                Layout.preferredWidth: 10
                Layout.preferredHeight: 10
                fill: Theme.tileMember
                iconSource: Theme.icon("member")
                text: qsTr("Member card")
                subtitle: qsTr("Points, tier and coupons")
                onClicked: home.nav.push("member")
            }
            ServiceTile {
                objectName: "tileReturns"
                Layout.fillWidth: true
                Layout.fillHeight: true
                // Equal preferred sizes so every tile gets an equal share of the grid.
                Layout.preferredWidth: 10
                Layout.preferredHeight: 10
                fill: Theme.tileReturns
                iconSource: Theme.icon("returns")
                text: qsTr("Return request")
                subtitle: qsTr("Returns, exchanges and repairs")
                onClicked: home.nav.push("returns")
            }
            ServiceTile {
                objectName: "tileComplaints"
                Layout.fillWidth: true
                Layout.fillHeight: true
                // Equal preferred sizes so every tile gets an equal share of the grid.
                Layout.preferredWidth: 10
                Layout.preferredHeight: 10
                fill: Theme.tileComplaints
                iconSource: Theme.icon("complaints")
                text: qsTr("Complaints")
                subtitle: qsTr("Complaints and suggestions")
                onClicked: home.nav.push("complaints")
            }
        }

        KioskButton {
            objectName: "tileStatus"
            Layout.fillWidth: true
            iconSource: Theme.icon("search")
            text: qsTr("Check my ticket")
            fill: Theme.primary
            onClicked: home.nav.push("status")
        }

        Rectangle {
            Layout.fillWidth: true
            implicitHeight: help.implicitHeight + 2 * Theme.gap
            radius: Theme.radius
            color: Theme.surface
            border.color: Theme.border
            border.width: 2
            Text {
                id: help
                anchors.fill: parent
                anchors.margins: Theme.gap
                text: qsTr("Need a person? The service desk is on 1F by the main entrance.")
                font.pixelSize: Theme.fontBody
                color: Theme.textMuted
                wrapMode: Text.WordWrap
                verticalAlignment: Text.AlignVCenter
            }
        }
    }
}
