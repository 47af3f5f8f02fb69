import QtQuick
import MallKiosk
import kiosk.views.components

// The kiosk placement component on its own, about the size of a maintenance page.
Window {
    id: win
    width: 1080; height: 1300; visible: true
    color: Theme.background
    required property PlacementViewModel placement
    required property ShellViewModel shell
    KioskPlacement {
        anchors.fill: parent
        anchors.margins: Theme.margin
        placement: win.placement
        shell: win.shell
        staffName: "Zhang Wei"
    }
}
