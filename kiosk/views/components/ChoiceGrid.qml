pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

// A grid of large single-choice buttons. `options` is a list of { value, label }.
GridLayout {
    id: grid

    property var options: []
    property string selected: ""
    property string namePrefix: "choice"
    signal chosen(string value)

    columns: width > 1400 ? 4 : 2
    rowSpacing: Theme.gap
    columnSpacing: Theme.gap

    Repeater {
        model: grid.options
        delegate: AbstractButton {
            id: choice
            required property var modelData
            objectName: grid.namePrefix + "_" + modelData.value
            Layout.fillWidth: true
            implicitHeight: Theme.buttonHeight
            checkable: false
            readonly property bool isSelected: grid.selected === modelData.value
            onClicked: grid.chosen(modelData.value)
            background: Rectangle {
                radius: Theme.radius
                color: choice.isSelected ? Theme.primary : (choice.down ? "#E3E8EC" : Theme.surface)
                border.width: choice.isSelected ? 0 : 2
                border.color: Theme.border
            }
            contentItem: Text {
                text: choice.modelData.label
                font.family: Theme.fontFamily
                font.pixelSize: Theme.fontLabel
                font.bold: choice.isSelected
                color: choice.isSelected ? Theme.textOnPrimary : Theme.text
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
                wrapMode: Text.WordWrap
            }
        }
    }
}
