pragma ComponentBehavior: Bound
import QtQuick
import MallKiosk
import kiosk.views.components

// Shown while nobody uses the kiosk: the mall, today's promotions, and a call to touch.
Rectangle {
    id: screen

    required property AttractViewModel attract
    required property ShellViewModel shell

    gradient: Gradient {
        GradientStop { position: 0.0; color: Theme.attractTop }
        GradientStop { position: 1.0; color: Theme.attractBottom }
    }

    Column {
        id: titleBlock
        anchors.top: parent.top
        anchors.topMargin: parent.height * 0.07
        anchors.horizontalCenter: parent.horizontalCenter
        width: parent.width - 2 * Theme.margin
        spacing: Theme.gap

        Image {
            anchors.horizontalCenter: parent.horizontalCenter
            source: Theme.icon("logo")
            sourceSize.width: Math.min(screen.width, screen.height) * 0.2
            sourceSize.height: Math.min(screen.width, screen.height) * 0.2
        }
        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: screen.shell.mallNameZh
            font.pixelSize: Theme.fontHero
            font.bold: true
            color: Theme.textOnPrimary
        }
        Text {
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            text: screen.shell.mallNameEn
            font.pixelSize: Theme.fontTitle
            color: Theme.accent
        }
    }

    ListView {
        id: promos
        objectName: "promotionList"
        anchors.top: titleBlock.bottom
        anchors.topMargin: Theme.margin * 1.5
        anchors.bottom: call.top
        anchors.bottomMargin: Theme.margin * 1.5
        anchors.left: parent.left
        anchors.right: parent.right
        orientation: ListView.Horizontal
        snapMode: ListView.SnapOneItem
        highlightRangeMode: ListView.StrictlyEnforceRange
        highlightMoveDuration: 600
        interactive: false
        model: screen.attract.promotions
        delegate: Item {
            id: card
            required property string title_zh
            required property string title_en
            required property string body_zh
            required property string body_en
            required property string store_zh
            required property string level
            width: promos.width
            height: promos.height
            Rectangle {
                anchors.left: parent.left
                anchors.right: parent.right
                anchors.verticalCenter: parent.verticalCenter
                anchors.leftMargin: Theme.margin
                anchors.rightMargin: Theme.margin
                height: Math.min(parent.height, cardColumn.implicitHeight + 3 * Theme.margin)
                radius: Theme.radius * 2
                color: Theme.surface
                clip: true
                Column {
                    id: cardColumn
                    anchors.left: parent.left
                    anchors.right: parent.right
                    anchors.top: parent.top
                    anchors.margins: Theme.margin * 1.5
                    spacing: Theme.gap * 1.5
                    Text {
                        text: qsTr("Today at the mall")
                        font.pixelSize: Theme.fontBody
                        font.bold: true
                        color: Theme.primary
                    }
                    Rectangle {
                        visible: card.store_zh !== ""
                        width: storeLabel.implicitWidth + 2 * Theme.gap
                        height: storeLabel.implicitHeight + Theme.gap
                        radius: height / 2
                        color: Theme.accent
                        Text {
                            id: storeLabel
                            anchors.centerIn: parent
                            text: card.store_zh + "  ·  " + card.level
                            font.pixelSize: Theme.fontBody
                            font.bold: true
                            color: Theme.text
                        }
                    }
                    Text {
                        width: parent.width
                        text: card.title_zh
                        font.pixelSize: Theme.fontTitle * 1.2
                        font.bold: true
                        color: Theme.text
                        wrapMode: Text.WordWrap
                    }
                    Text {
                        width: parent.width
                        text: card.title_en
                        font.pixelSize: Theme.fontLabel
                        color: Theme.primary
                        wrapMode: Text.WordWrap
                    }
                    Text {
                        width: parent.width
                        text: card.body_zh
                        font.pixelSize: Theme.fontLabel
                        color: Theme.textMuted
                        wrapMode: Text.WordWrap
                    }
                    Text {
                        width: parent.width
                        text: card.body_en
                        font.pixelSize: Theme.fontBody
                        color: Theme.textMuted
                        wrapMode: Text.WordWrap
                    }
                }
            }
        }
        Timer {
            interval: screen.attract.intervalMs
            running: screen.visible && promos.count > 1
            repeat: true
            onTriggered: promos.currentIndex = (promos.currentIndex + 1) % promos.count
        }
    }

    Row {
        anchors.bottom: call.top
        anchors.bottomMargin: Theme.gap
        anchors.horizontalCenter: parent.horizontalCenter
        spacing: Theme.gap
        Repeater {
            model: promos.count
            Rectangle {
                required property int index
                width: 16
                height: 16
                radius: 8
                color: index === promos.currentIndex ? Theme.accent : "#80FFFFFF"
            }
        }
    }

    Rectangle {
        id: call
        objectName: "touchToStart"
        anchors.bottom: parent.bottom
        anchors.bottomMargin: parent.height * 0.06
        anchors.horizontalCenter: parent.horizontalCenter
        width: parent.width - 2 * Theme.margin
        height: Theme.buttonHeight * 2
        radius: height / 2
        color: Theme.accent

        SequentialAnimation on scale {
            running: screen.visible
            loops: Animation.Infinite
            NumberAnimation { from: 1.0; to: 1.04; duration: 900; easing.type: Easing.InOutQuad }
            NumberAnimation { from: 1.04; to: 1.0; duration: 900; easing.type: Easing.InOutQuad }
        }
        Row {
            anchors.centerIn: parent
            spacing: Theme.margin
            Image {
                anchors.verticalCenter: parent.verticalCenter
                source: Theme.icon("touch")
                sourceSize.width: Theme.fontHero
                sourceSize.height: Theme.fontHero
                // The icon is drawn white; a dark disc keeps it visible on the accent colour.
                Rectangle {
                    z: -1
                    anchors.centerIn: parent
                    width: parent.width * 1.4
                    height: width
                    radius: width / 2
                    color: Theme.primary
                }
            }
            Column {
                anchors.verticalCenter: parent.verticalCenter
                Text {
                    text: "点击开始"
                    font.pixelSize: Theme.fontHero
                    font.bold: true
                    color: Theme.text
                }
                Text {
                    text: "Touch to start"
                    font.pixelSize: Theme.fontTitle
                    color: Theme.text
                }
            }
        }
    }

    // The whole screen starts a session, not just the call to action.
    TapHandler {
        objectName: "startTap"
        onTapped: screen.shell.start()
    }
}
