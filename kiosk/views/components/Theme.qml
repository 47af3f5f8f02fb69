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

    // Direction steps use the turn icons; level changes their vehicle.
    function stepIcon(kind: string): url {
        const names = {
            start: "walk", straight: "straight", slight_left: "turn_left", left: "turn_left",
            sharp_left: "turn_left", slight_right: "turn_right", right: "turn_right",
            sharp_right: "turn_right", escalator_up: "escalator", escalator_down: "escalator",
            elevator: "elevator", stairs_up: "stairs", stairs_down: "stairs", stairs: "stairs",
            ramp_up: "wheelchair", ramp_down: "wheelchair", u_turn: "back", arrive: "arrive"
        }
        return icon(names[kind] ?? "straight")
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

    readonly property color success: "#17602B"       // 7.4:1 on surface
    readonly property color routeColor: "#D1410C"    // 4.6:1 on the map's light fills
    readonly property color hereColor: "#C8102E"

    // Store categories: a strong colour for badges (white text ≥ 4.5:1) and a light tint for
    // map fills (dark labels ≥ 7:1).
    readonly property var categoryColors: ({
        fashion: "#8E3B6B", food: "#A34A12", beauty: "#9B2F4E", kids: "#2F6A9E",
        sports: "#2C6E3F", electronics: "#3F4C9A", home: "#6B5A2E",
        entertainment: "#6A3E96", services: "#46535E"
    })
    readonly property var categoryTints: ({
        fashion: "#F3DDE9", food: "#F8E2D2", beauty: "#F6DCE3", kids: "#DCE8F4",
        sports: "#DCEEE0", electronics: "#DFE2F4", home: "#EEE7D4",
        entertainment: "#E7DDF2", services: "#E0E5E9"
    })
    function categoryColor(code: string): color {
        return categoryColors[code] ?? primary
    }
    // Map fills by role; anything unknown is a neutral grey.
    readonly property var mapFills: ({
        walkway: "#FFFFFF", restroom: "#D5E6F3", elevator: "#CFD8DC", escalator: "#CFD8DC",
        stairs: "#CFD8DC", parking: "#E4E6E8", nonpublic: "#C9CCD0", ramp: "#DCE3E8",
        mothersroom: "#F3E3EE", background: "#ECE8DF", outline: "#8A9097"
    })
    function mapFill(key: string): color {
        return categoryTints[key] ?? mapFills[key] ?? "#E9EBEE"
    }

    // One colour per home tile, each carrying white text at ≥ 7:1.
    readonly property color tileWayfinding: "#0B4F6C"
    readonly property color tileMember: "#5B2A86"
    readonly property color tileReturns: "#1E5631"
    readonly property color tileComplaints: "#8C2F1B"
}
