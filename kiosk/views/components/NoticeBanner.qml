import QtQuick

// A calm one-line message across the top of the content (errors never show as tracebacks).
Rectangle {
    id: banner

    property string message: ""

    objectName: "noticeBanner"
    visible: message !== ""
    implicitHeight: visible ? text.implicitHeight + 2 * Theme.gap : 0
    color: Theme.notice

    Text {
        id: text
        anchors.fill: parent
        anchors.margins: Theme.gap
        text: banner.message
        font.family: Theme.fontFamily
        font.pixelSize: Theme.fontBody
        color: Theme.textOnPrimary
        wrapMode: Text.WordWrap
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
    }
}
