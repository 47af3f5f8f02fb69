pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
import MallKiosk
import kiosk.views.components

// The kiosk window: attract screen, or a session (bars + screen stack), plus the keyboard and
// the idle dialog above everything. Navigation state lives in NavigationViewModel.
ApplicationWindow {
    id: root

    required property ShellViewModel shell
    required property NavigationViewModel nav
    required property IdleViewModel idle
    required property AttractViewModel attract
    required property WayfindingViewModel wayfinding
    required property MapViewModel map
    required property RouteViewModel route
    required property ComplaintViewModel complaint
    required property ReturnViewModel returns
    required property TicketStatusViewModel ticketStatus
    required property MemberViewModel member
    required property PinPadViewModel pinpad
    required property MaintenanceViewModel maintenance
    required property PlacementViewModel placement
    required property SyncViewModel sync

    width: 1080
    height: 1920
    visible: true
    visibility: shell.fullscreen ? Window.FullScreen : Window.Windowed
    title: "MallKiosk"
    color: Theme.background
    font.family: Theme.fontFamily
    font.pixelSize: Theme.fontBody

    Binding {
        target: Theme
        property: "largeText"
        value: root.shell.accessibilityMode
    }
    Binding {
        target: Theme
        property: "pixelDensity"
        value: root.Screen.pixelDensity
    }
    // The Pinyin engine learns from typing; keep that in this session's private directory.
    Binding {
        target: VirtualKeyboardSettings
        property: "userDataPath"
        value: root.shell.keyboardDataPath
    }
    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = root.shell.language === "en" ? "en_US" : "zh_CN"
    }

    AttractScreen {
        objectName: "attractScreen"
        anchors.fill: parent
        visible: root.nav.current === "attract"
        attract: root.attract
        shell: root.shell
    }

    Item {
        id: session
        objectName: "sessionArea"
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        // The on-screen keyboard takes the bottom of the screen: the screen and its buttons move
        // up above it rather than being hidden behind it.
        anchors.bottom: keyboard.active ? keyboard.top : parent.bottom
        visible: root.nav.current !== "attract"

        // Accessibility mode: nothing to reach in the upper half (ADA reach range).
        Rectangle {
            id: reachPanel
            objectName: "reachPanel"
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: parent.top
            height: root.shell.accessibilityMode ? parent.height / 2 : 0
            visible: root.shell.accessibilityMode
            color: Theme.attractBottom

            Column {
                anchors.centerIn: parent
                width: parent.width - 2 * Theme.margin
                spacing: Theme.margin
                Image {
                    anchors.horizontalCenter: parent.horizontalCenter
                    source: Theme.icon("accessibility")
                    sourceSize.width: Theme.touchMin * 2
                    sourceSize.height: Theme.touchMin * 2
                }
                Text {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: qsTr("Accessibility mode is on. All buttons are in the lower half of the screen, text is larger and you have more time.")
                    font.pixelSize: Theme.fontLabel
                    color: Theme.textOnPrimary
                }
            }
        }

        ColumnLayout {
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.top: reachPanel.bottom
            anchors.bottom: parent.bottom
            spacing: 0

            TopBar {
                Layout.fillWidth: true
                shell: root.shell
            }
            NoticeBanner {
                Layout.fillWidth: true
                message: root.shell.notice
            }
            // Offline is calm news: everything a shopper does is kept and sent later.
            NoticeBanner {
                objectName: "offlineBanner"
                Layout.fillWidth: true
                color: Theme.textMuted
                message: root.sync.online ? ""
                         : qsTr("Offline: the kiosk works as usual and sends your submissions when the network is back.")
            }
            StackView {
                id: stack
                objectName: "screenStack"
                Layout.fillWidth: true
                Layout.fillHeight: true
                clip: true
                // Short transitions keep a screen change well under 100 ms to the first frame.
                pushEnter: Transition { NumberAnimation { property: "opacity"; from: 0; to: 1; duration: 120 } }
                pushExit: Transition { NumberAnimation { property: "opacity"; from: 1; to: 0; duration: 120 } }
                popEnter: Transition { NumberAnimation { property: "opacity"; from: 0; to: 1; duration: 120 } }
                popExit: Transition { NumberAnimation { property: "opacity"; from: 1; to: 0; duration: 120 } }
                replaceEnter: Transition { NumberAnimation { property: "opacity"; from: 0; to: 1; duration: 120 } }
                replaceExit: Transition { NumberAnimation { property: "opacity"; from: 1; to: 0; duration: 120 } }
            }
            BottomBar {
                Layout.fillWidth: true
                nav: root.nav
            }
        }
    }

    Component {
        id: homeScreen
        HomeScreen {
            nav: root.nav
            shell: root.shell
        }
    }
    Component {
        id: wayfindingScreen
        WayfindingScreen {
            wayfinding: root.wayfinding
            nav: root.nav
            shell: root.shell
        }
    }
    Component {
        id: placeScreen
        PlaceScreen {
            wayfinding: root.wayfinding
            route: root.route
            map: root.map
            nav: root.nav
            shell: root.shell
        }
    }
    Component {
        id: routeScreen
        RouteScreen {
            route: root.route
            map: root.map
            shell: root.shell
        }
    }

    Component {
        id: complaintScreen
        ComplaintScreen {
            complaint: root.complaint
            nav: root.nav
            shell: root.shell
        }
    }

    Component {
        id: returnScreen
        ReturnScreen {
            returns: root.returns
            nav: root.nav
            shell: root.shell
        }
    }

    Component {
        id: memberScreen
        MemberScreen {
            member: root.member
            nav: root.nav
            shell: root.shell
        }
    }

    Component {
        id: maintenanceScreen
        MaintenanceScreen {
            maintenance: root.maintenance
            placement: root.placement
            shell: root.shell
        }
    }

    Component {
        id: statusScreen
        StatusScreen {
            status: root.ticketStatus
            sync: root.sync
            shell: root.shell
        }
    }

    function pageFor(screen: string): var {
        switch (screen) {
        case "home": return homeScreen
        case "wayfinding": return wayfindingScreen
        case "place": return placeScreen
        case "route": return routeScreen
        case "complaints": return complaintScreen
        case "returns": return returnScreen
        case "status": return statusScreen
        case "member": return memberScreen
        case "maintenance": return maintenanceScreen
        }
        return homeScreen
    }

    Connections {
        target: root.nav
        function onNavigated(action: string, screen: string) {
            if (action === "push") {
                stack.push(root.pageFor(screen), { screen: screen })
            } else if (action === "pop") {
                stack.pop()
            } else if (screen === "attract") {
                stack.clear(StackView.Immediate)
            } else {
                stack.replace(null, root.pageFor(screen), { screen: screen })
            }
        }
    }
    Connections {
        target: root.shell
        function onLanguageChanged() {
            VirtualKeyboardSettings.locale = root.shell.language === "en" ? "en_US" : "zh_CN"
        }
    }

    InputPanel {
        id: keyboard
        objectName: "keyboard"
        z: 90
        x: 0
        width: root.width
        y: active ? root.height - height : root.height
        visible: y < root.height
    }

    IdleDialog {
        idle: root.idle
        lowered: root.shell.accessibilityMode
    }

    // The hidden way in for staff: five taps here within three seconds open the PIN pad. The
    // corner keeps its taps (nothing is below it but the logo, and the attract screen, which
    // any other spot starts).
    Item {
        objectName: "maintenanceCorner"
        z: 95
        width: Theme.touchMin * 1.5
        height: Theme.touchMin * 1.5
        TapHandler {
            gesturePolicy: TapHandler.ReleaseWithinBounds
            onTapped: root.pinpad.cornerTapped()
        }
    }

    // Made only when the hidden corner asks for it: nothing of it at start-up.
    Loader {
        active: root.pinpad.shown
        sourceComponent: PinPad {
            pinpad: root.pinpad
            english: root.shell.language === "en"
        }
    }
}
