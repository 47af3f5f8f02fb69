pragma Singleton
import QtQuick

// Sizes, colours and fonts for every screen. Sizes are the larger of a pixel floor for the
// 1080×1920 reference panel and a physical size in millimetres (ADA 707.7.2, WCAG 2.5.5).
QtObject {
    // Set by Main.qml from the shell: the accessibility mode enlarges text (EN 301 549 5.1.4).
    property bool largeText: false

    // Physical pixels per millimetre of the screen, set by Main.qml from Screen.pixelDensity.
    property real pixelDensity: 4.0
    // Clamped because some panels report nonsense through EDID.
    readonly property real mm: Math.min(6.0, Math.max(3.0, pixelDensity))
    readonly property real textScale: largeText ? 1.5 : 1.0

    // Touch targets: any target ≥ 9 mm and 80 px; primary buttons ≥ 15 mm; gaps ≥ 2 mm.
    readonly property int touchMin: Math.round(Math.max(80, 9 * mm))
    readonly property int buttonHeight: Math.round(Math.max(104, 15 * mm))
    readonly property int gap: Math.round(Math.max(16, 2 * mm))
    readonly property int margin: Math.round(Math.max(32, 6 * mm))
    readonly property int radius: 20
    readonly property int barHeight: Math.round(Math.max(120, 22 * mm))

    // Body text cap height ≥ 4.8 mm ≈ font size 6.9 mm ≈ 28 px on the reference panel.
    readonly property int fontBody: Math.round(Math.max(28, 6.9 * mm) * textScale)
    readonly property int fontLabel: Math.round(Math.max(32, 7.5 * mm) * textScale)
    readonly property int fontTitle: Math.round(Math.max(44, 11 * mm) * textScale)
    readonly property int fontTile: Math.round(Math.max(46, 11 * mm) * textScale)
    readonly property int fontHero: Math.round(Math.max(76, 18 * mm) * textScale)
    readonly property string fontFamily: "Noto Sans CJK SC"

    // Icons ship beside the views; resolve them here so every file names them the same way.
    function icon(name: string): url {
        return Qt.resolvedUrl("../../resources/icons/" + name + ".svg")
    }

    // Colours: text ≥ 7:1 on its background where possible, never below 4.5:1.
    readonly property color background: "#F4F1EA"
    readonly property color surface: "#FFFFFF"
    readonly property color text: "#1A1A1A"          // 16.9:1 on surface
    readonly property color textMuted: "#45474B"     // 9.4:1 on surface
    readonly property color primary: "#0B4F6C"       // white text 9.0:1
    readonly property color primaryPressed: "#073448"
    readonly property color textOnPrimary: "#FFFFFF"
    readonly property color accent: "#F2C14E"        // dark text 11:1
    readonly property color border: "#6B6E73"        // 5.1:1 on surface (≥ 3:1 for borders)
    readonly property color attractTop: "#0B4F6C"
    readonly property color attractBottom: "#062C3D"
    readonly property color scrim: "#B3000000"
    readonly property color notice: "#7A4A00"        // white text 8.0:1

    // One colour per home tile, each carrying white text at ≥ 7:1.
    readonly property color tileWayfinding: "#0B4F6C"
    readonly property color tileMember: "#5B2A86"
    readonly property color tileReturns: "#1E5631"
    readonly property color tileComplaints: "#8C2F1B"
}
