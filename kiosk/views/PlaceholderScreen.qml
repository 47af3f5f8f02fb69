import QtQuick
import kiosk.views.components

// Stands in for a service whose screens are still being built.
Item {
    id: page

    required property string screen

    objectName: "screen_" + screen

    function titleFor(name: string): string {
        switch (name) {
        case "wayfinding": return qsTr("Find a store")
        case "member": return qsTr("Member card")
        case "returns": return qsTr("Return request")
        case "complaints": return qsTr("Complaints")
        }
        return ""
    }

    Column {
        anchors.centerIn: parent
        width: parent.width - 4 * Theme.margin
        spacing: Theme.margin * 1.5

        Rectangle {
            anchors.horizontalCenter: parent.horizontalCenter
            width: Theme.touchMin * 2.6
            height: width
            radius: width / 2
            color: Theme.primary
            Image {
                anchors.centerIn: parent
                source: Theme.icon(page.screen)
                sourceSize.width: parent.width * 0.55
                sourceSize.height: parent.width * 0.55
            }
        }
        Text {
            objectName: "screenTitle"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: page.titleFor(page.screen)
            font.pixelSize: Theme.fontTitle * 1.2
            font.bold: true
            color: Theme.text
            wrapMode: Text.WordWrap
        }
        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: qsTr("This service is coming soon. Please visit the service desk on 1F for help.")
            font.pixelSize: Theme.fontLabel
            color: Theme.textMuted
            wrapMode: Text.WordWrap
        }
    }
}
