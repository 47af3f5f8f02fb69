"""A level's map for a phone, as a small inline SVG: unit outlines, a route, its markers, labels.

Drawn from `kiosk.domain.mapgeo.LevelMap` (map metres, x east, y south) into a fixed
`WIDTH`-unit wide view that the page scales to the screen. The view frames what matters on the
level (the leg of the route, the destination) rather than the whole venue, so a phone shows it
at a readable scale; coordinates are rounded to whole units and straight runs folded, so a
level stays a few kilobytes. Store names come from `mapgeo.place_labels`: only those that fit
inside their unit and clear of the markers are drawn.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from markupsafe import Markup, escape

from kiosk.domain.mapgeo import XY, LevelMap, MapUnit, label_priorities, place_labels, text_width_px

__all__ = ["WIDTH", "Mark", "level_svg"]

WIDTH = 360
MIN_HEIGHT = 220
MAX_HEIGHT = 440
PAD_M = 8.0
MIN_SPAN_M = 45.0
FONT_PX = 12.0
BADGE_FONT_PX = 12.0
FONT_FAMILY = "system-ui,'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',sans-serif"

# The kiosk's map colours (kiosk/views/components/Theme.qml), so the phone shows the same map.
ROUTE = "#D1410C"
START = "#17602B"
END = "#C8102E"
BADGE = "#0B4F6C"
INK = "#1A1A1A"
OUTLINE = "#8A9097"
BACKGROUND = "#ECE8DF"
_FILLS = {
    "fashion": "#F3DDE9",
    "food": "#F8E2D2",
    "beauty": "#F6DCE3",
    "kids": "#DCE8F4",
    "sports": "#DCEEE0",
    "electronics": "#DFE2F4",
    "home": "#EEE7D4",
    "entertainment": "#E7DDF2",
    "services": "#E0E5E9",
    "walkway": "#FFFFFF",
    "ramp": "#DCE3E8",
    "restroom": "#D5E6F3",
    "nursing": "#F3E3EE",
    "elevator": "#CFD8DC",
    "escalator": "#CFD8DC",
    "stairs": "#CFD8DC",
    "parking": "#E4E6E8",
    "nonpublic": "#C9CCD0",
}
_OTHER_FILL = "#E9EBEE"

MarkKind = Literal["start", "end", "badge", "turn"]


@dataclass(frozen=True, slots=True)
class Mark:
    """A marker at `at` (map metres): the start (a green dot, named `text` beside it), the end
    (a red pin), a `badge` with `text` (a level change: "↑ 4F"), or a numbered `turn` (`text`
    is the step number)."""

    kind: MarkKind
    at: XY
    text: str = ""


@dataclass(frozen=True, slots=True)
class _View:
    x0: float
    y0: float
    scale: float  # units per metre
    height: int

    def px(self, p: XY) -> tuple[int, int]:
        return (round((p[0] - self.x0) * self.scale), round((p[1] - self.y0) * self.scale))

    @property
    def x1(self) -> float:
        return self.x0 + WIDTH / self.scale

    @property
    def y1(self) -> float:
        return self.y0 + self.height / self.scale

    def sees_point(self, p: XY, margin_m: float = 0.0) -> bool:
        return (
            self.x0 + margin_m <= p[0] <= self.x1 - margin_m
            and self.y0 + margin_m <= p[1] <= self.y1 - margin_m
        )

    def sees(self, box: tuple[float, float, float, float]) -> bool:
        return box[0] < self.x1 and box[2] > self.x0 and box[1] < self.y1 and box[3] > self.y0


def level_svg(
    level: LevelMap,
    *,
    path: Sequence[XY],
    marks: Sequence[Mark],
    lang: str,
    title: str,
    highlight: str | None = None,
    min_span_m: float = MIN_SPAN_M,
) -> Markup:
    """The SVG of `level` framing `path` (map metres) and `marks`, at least `min_span_m`
    across, with the store `highlight` (a store id: its unit is outlined in the route colour)
    and names in `lang`."""
    focus = [*path, *(m.at for m in marks)]
    if highlight is not None:
        focus.extend(p for u in level.units if u.store_id == highlight for p in u.rings_m[0])
    view = _frame(level, focus, min_span_m)
    marks = _uncovered(marks, view)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {view.height}" '
        f'role="img" aria-label="{escape(title)}">',
        f'<rect width="{WIDTH}" height="{view.height}" fill="{BACKGROUND}"/>',
        f'<g stroke="{OUTLINE}" stroke-width=".8" stroke-linejoin="round" fill-rule="evenodd">',
    ]
    seen = [u for u in level.units if view.sees(_box(u))]
    # Units too small to show at this scale fold away.
    outlines = [(u, d) for u in seen if (d := _rings(u, view))]
    out.extend(f'<path fill="{_FILLS.get(u.fill_key, _OTHER_FILL)}" d="{d}"/>' for u, d in outlines)
    out.append("</g>")
    out.extend(
        f'<path fill="none" stroke="{ROUTE}" stroke-width="2.5" d="{d}"/>'
        for u, d in outlines
        if highlight is not None and u.store_id == highlight
    )
    points = [view.px(p) for p in path]
    line = _polyline(points)
    if line:
        common = 'fill="none" stroke-linecap="round" stroke-linejoin="round"'
        out.append(f'<path d="{line}" {common} stroke="#fff" stroke-width="9"/>')
        out.append(f'<path d="{line}" {common} stroke="{ROUTE}" stroke-width="5"/>')
    out.append(_labels(seen, view, marks, lang, highlight))
    # Turns under level changes under the start and end, which matter most.
    order = {"turn": 0, "badge": 1, "start": 2, "end": 3}
    out.extend(_mark(m, view) for m in sorted(marks, key=lambda m: order[m.kind]))
    out.extend(_start_label(m, view, points) for m in marks if m.kind == "start" and m.text)
    out.append("</svg>")
    return Markup("".join(out))


# --- framing --------------------------------------------------------------------------------


def _frame(level: LevelMap, focus: Sequence[XY], min_span_m: float) -> _View:
    """A view around `focus` (the whole level when empty) with a margin, at least `min_span_m`
    across, between MIN_HEIGHT and MAX_HEIGHT units tall, kept on the level where it fits."""
    bounds = level.bounds
    if focus:
        xs, ys = [p[0] for p in focus], [p[1] for p in focus]
        x0, x1, y0, y1 = min(xs) - PAD_M, max(xs) + PAD_M, min(ys) - PAD_M, max(ys) + PAD_M
    else:
        x0, x1, y0, y1 = bounds.min_x, bounds.max_x, bounds.min_y, bounds.max_y
    width = max(x1 - x0, min_span_m)
    height = max(y1 - y0, min_span_m * MIN_HEIGHT / WIDTH)
    # Portrait phones: a tall route widens the view rather than make a map taller than a
    # screen; a wide one gets a little height so the units around it show.
    width = max(width, height * WIDTH / MAX_HEIGHT)
    height = max(height, width * MIN_HEIGHT / WIDTH)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    cx = _keep_on(cx, width, bounds.min_x, bounds.max_x)
    cy = _keep_on(cy, height, bounds.min_y, bounds.max_y)
    scale = WIDTH / width
    return _View(cx - width / 2, cy - height / 2, scale, round(height * scale))


def _keep_on(centre: float, span: float, low: float, high: float) -> float:
    """Slide a window of `span` centred on `centre` so it shows no more outside [low, high]
    than it must."""
    if span >= high - low:
        return (low + high) / 2
    return min(max(centre, low + span / 2), high - span / 2)


def _box(unit: MapUnit) -> tuple[float, float, float, float]:
    xs = [p[0] for ring in unit.rings_m for p in ring]
    ys = [p[1] for ring in unit.rings_m for p in ring]
    return (min(xs), min(ys), max(xs), max(ys))


# --- outlines and lines ---------------------------------------------------------------------


def _rings(unit: MapUnit, view: _View) -> str:
    parts = []
    for ring in unit.rings_m:
        points = _fold([view.px(p) for p in ring])
        if len(points) >= 3:
            parts.append(_polyline(points) + "Z")
    return "".join(parts)


def _fold(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop repeated points and the middle of three in a straight line (a closing point that
    repeats the first goes too: the path closes itself)."""
    out: list[tuple[int, int]] = []
    for p in points:
        if out and p == out[-1]:
            continue
        if len(out) >= 2 and _collinear(out[-2], out[-1], p):
            out[-1] = p
        else:
            out.append(p)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def _collinear(a: tuple[int, int], b: tuple[int, int], c: tuple[int, int]) -> bool:
    cross = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    along = (b[0] - a[0]) * (c[0] - b[0]) + (b[1] - a[1]) * (c[1] - b[1])
    return cross == 0 and along >= 0


def _polyline(points: Sequence[tuple[int, int]]) -> str:
    """SVG path data through `points`, with H and V for the axis-aligned runs walls mostly are."""
    if len(points) < 2:
        return ""
    x, y = points[0]
    parts = [f"M{x} {y}"]
    for nx, ny in points[1:]:
        if ny == y:
            parts.append(f"H{nx}")
        elif nx == x:
            parts.append(f"V{ny}")
        else:
            parts.append(f"L{nx} {ny}")
        x, y = nx, ny
    return "".join(parts)


# --- labels and markers ---------------------------------------------------------------------


def _labels(
    units: Sequence[MapUnit],
    view: _View,
    marks: Sequence[Mark],
    lang: str,
    highlight: str | None,
) -> str:
    # Markers and badges are kept clear of names: sample each as a few points.
    avoid: list[XY] = []
    for mark in marks:
        x, y = mark.at
        half = _mark_width(mark) / 2 / view.scale
        steps = max(1, math.ceil(half * view.scale / 10))
        avoid.extend((x + half * i / steps, y) for i in range(-steps, steps + 1))
        near = 20 / view.scale
        if mark.kind == "end":
            avoid.append((x, y - near))  # the pin's head
        elif mark.kind == "start" and mark.text:
            avoid.extend((x + dx * near, y + dy * near) for dx in (-1, 0, 1) for dy in (-1, 0, 1))
    # Names whose unit shows only in part would be cut by the frame.
    inside = [u for u in units if view.sees_point(u.label_at, margin_m=12 / view.scale)]
    placed = place_labels(
        inside,
        view.scale,
        FONT_PX,
        label_priorities(units, highlight),
        lang=lang,
        avoid=avoid,
        avoid_px=24,
    )
    texts = []
    for label in placed:
        x, y = view.px((label.x, label.y))
        half_w, half_h = label.width_px / 2, label.height_px / 2
        if half_w <= x <= WIDTH - half_w and half_h <= y <= view.height - half_h:
            weight = ' font-weight="700"' if _store_of(units, label.unit_id) == highlight else ""
            texts.append(f'<text x="{x}" y="{y}"{weight}>{escape(label.text)}</text>')
    if not texts:
        return ""
    return (
        f'<g font-family="{FONT_FAMILY}" font-size="{FONT_PX:g}" fill="{INK}" '
        'text-anchor="middle" dominant-baseline="central">' + "".join(texts) + "</g>"
    )


def _store_of(units: Iterable[MapUnit], unit_id: str) -> str | None:
    return next((u.store_id for u in units if u.id == unit_id), None)


def _uncovered(marks: Sequence[Mark], view: _View) -> list[Mark]:
    """`marks` without the turn numbers that another marker would cover (a turn right next to
    a level change or the destination: the list still numbers it)."""
    kept: list[Mark] = []
    boxes = []
    for mark in marks:
        if mark.kind != "turn":
            x, y = view.px(mark.at)
            half = _mark_width(mark) / 2
            boxes.append((x - half, y - (30 if mark.kind == "end" else 12), x + half, y + 12))
    for mark in marks:
        if mark.kind == "turn":
            x, y = view.px(mark.at)
            r = 10
            if any(x + r > b[0] and x - r < b[2] and y + r > b[1] and y - r < b[3] for b in boxes):
                continue
            boxes.append((x - r, y - r, x + r, y + r))
        kept.append(mark)
    return kept


def _start_label(mark: Mark, view: _View, path: Sequence[tuple[int, int]]) -> str:
    """The start's name beside its dot: away from where the route leaves when it fits there,
    else on whichever side of the dot it fits."""
    x, y = view.px(mark.at)
    away = next(((x - px, y - py) for px, py in path if (px, py) != (x, y)), (0, -1))
    length = math.hypot(*away) or 1.0
    half_w, half_h = text_width_px(mark.text, FONT_PX) / 2, FONT_PX * 0.6
    gap = 12
    candidates = [
        (x + away[0] / length * (half_w + gap), y + away[1] / length * (half_h + gap)),
        (x - half_w - gap, y),
        (x + half_w + gap, y),
        (x, y + half_h + gap),
        (x, y - half_h - gap),
    ]
    lx, ly = next(
        (
            (cx, cy)
            for cx, cy in candidates
            if half_w <= cx <= WIDTH - half_w and half_h <= cy <= view.height - half_h
        ),
        candidates[0],
    )
    return (
        f'<text x="{lx:.0f}" y="{ly:.0f}" font-family="{FONT_FAMILY}" font-size="{FONT_PX:g}" '
        f'font-weight="700" fill="{START}" text-anchor="middle" dominant-baseline="central" '
        f'stroke="#fff" stroke-width="3" paint-order="stroke">{escape(mark.text)}</text>'
    )


def _mark_width(mark: Mark) -> float:
    if mark.kind == "badge":
        return text_width_px(mark.text, BADGE_FONT_PX) + 12
    return 20.0


def _mark(mark: Mark, view: _View) -> str:
    x, y = view.px(mark.at)
    if mark.kind == "start":
        return f'<circle cx="{x}" cy="{y}" r="8" fill="{START}" stroke="#fff" stroke-width="3"/>'
    if mark.kind == "end":
        # A pin whose tip is the point.
        return (
            f'<path transform="translate({x} {y})" d="M0 0C-3-8-10-12-10-19a10 10 0 0 1 20 0'
            f'C10-12 3-8 0 0Z" fill="{END}" stroke="#fff" stroke-width="2"/>'
            f'<circle cx="{x}" cy="{y - 19}" r="4" fill="#fff"/>'
        )
    if mark.kind == "turn":
        return (
            f'<circle cx="{x}" cy="{y}" r="9" fill="#fff" stroke="{INK}" stroke-width="1.5"/>'
            f'<text x="{x}" y="{y}" font-family="{FONT_FAMILY}" font-size="11" '
            f'font-weight="700" fill="{INK}" text-anchor="middle" dominant-baseline="central">'
            f"{escape(mark.text)}</text>"
        )
    width = round(_mark_width(mark))
    left = min(max(x - width // 2, 1), WIDTH - width - 1)
    return (
        f'<rect x="{left}" y="{y - 11}" width="{width}" height="22" rx="6" fill="{BADGE}" '
        'stroke="#fff" stroke-width="1.5"/>'
        f'<text x="{left + width / 2:g}" y="{y}" font-family="{FONT_FAMILY}" '
        f'font-size="{BADGE_FONT_PX:g}" font-weight="700" fill="#fff" text-anchor="middle" '
        f'dominant-baseline="central">{escape(mark.text)}</text>'
    )
