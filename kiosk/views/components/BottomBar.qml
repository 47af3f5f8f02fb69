import QtQuick
import QtQuick.Layouts
import MallKiosk

// Back and Home on every screen after the attract screen.
Rectangle {
    id: bar

    required property NavigationViewModel nav

    implicitHeight: Theme.barHeight
    color: Theme.primary

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.margin
        spacing: Theme.margin

        KioskButton {
            objectName: "backButton"
            Layout.fillWidth: true
            text: qsTr("Back")
            iconSource: Theme.icon("back")
            fill: Theme.primaryPressed
            enabled: bar.nav.canGoBack
            opacity: enabled ? 1.0 : 0.45
            onClicked: bar.nav.back()
        }
        KioskButton {
            objectName: "homeButton"
            Layout.fillWidth: true
            text: qsTr("Home")
            iconSource: Theme.icon("home")
            fill: Theme.primaryPressed
            onClicked: bar.nav.home()
        }
    }
}
