"""Step-by-step directions for a `Route`, in Chinese and English.

Each leg's polyline is simplified, then every bend of 20° or more becomes a turn (slight from
20°, full from 50°, turning around from 150°), named after the nearest storefront near it
("经过 Nike 后左转" / "Turn left after Nike"). Level changes and the arrival, with the side the
destination is on when the last stretch shows it, complete the list. Distances and times are
rounded the way people say them.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from kiosk.domain.navgraph import Landmark, NavGraph
from kiosk.domain.route import Leg, Route, Transition
from kiosk.domain.venue import Names, Point

Icon = Literal[
    "start",
    "straight",
    "slight_left",
    "slight_right",
    "left",
    "right",
    "u_turn",
    "escalator_up",
    "escalator_down",
    "elevator",
    "stairs_up",
    "stairs_down",
    "ramp_up",
    "ramp_down",
    "arrive",
]
Turn = Literal["straight", "slight_left", "slight_right", "left", "right", "u_turn"]
_ToLonLat = Callable[[float, float], Point]

SIMPLIFY_M = 1.5
# Two bends closer than this are one turn (a corner taken in two steps, a door's last metre).
SHORT_SEGMENT_M = 3.0
LANDMARK_RADIUS_M = 12.0

_TURN_ZH: dict[Turn, str] = {
    "straight": "直行",
    "slight_left": "向左前方转",
    "slight_right": "向右前方转",
    "left": "左转",
    "right": "右转",
    "u_turn": "掉头",
}
_TURN_EN: dict[Turn, str] = {
    "straight": "Go straight",
    "slight_left": "Bear left",
    "slight_right": "Bear right",
    "left": "Turn left",
    "right": "Turn right",
    "u_turn": "Turn around",
}
_VEHICLE: dict[str, tuple[str, str]] = {
    "escalator_up": ("扶梯", "escalator"),
    "escalator_down": ("扶梯", "escalator"),
    "elevator": ("电梯", "elevator"),
    "stairs": ("楼梯", "stairs"),
    "ramp": ("坡道", "ramp"),
}


@dataclass(frozen=True, slots=True)
class Step:
    """One instruction; `distance_m` is walked after it (a ramp's length for a level change),
    `point` (lon/lat) is where it applies."""

    text_zh: str
    text_en: str
    icon: Icon
    distance_m: float
    level_id: str
    point: Point


def directions(route: Route, graph: NavGraph, *, facing_deg: float | None = None) -> list[Step]:
    """The steps of `route`. `facing_deg` (0 = north, clockwise) is the way the shopper faces at
    the start, such as the kiosk's heading; without it the first step just says to walk."""
    landmarks: dict[str, list[Landmark]] = defaultdict(list)
    for landmark in graph.landmarks:
        landmarks[graph.levels[landmark.level].id].append(landmark)
    skip = {route.destination.ref, route.origin.ref}
    short = {level.id: level.short_name for level in graph.levels}
    to_lonlat = graph.projection.to_lonlat
    dest = route.destination.name or Names("目的地", "your destination")
    first = route.legs[0]
    total = format_distance(route.length_m)
    time = format_duration(route.seconds)
    zh = f"前往 {dest.zh}，全程{total[0]}，预计{time[0]}"
    en = f"To {dest.en}: {total[1]}, {time[1]}"
    if route.legs[-1].level_id != first.level_id:
        zh += f"，目的地在{short[route.legs[-1].level_id].zh}"
        en += f", on {short[route.legs[-1].level_id].en}"
    steps = [Step(zh, en, "start", route.length_m, first.level_id, first.points[0])]

    previous: Transition | None = None
    for index, leg in enumerate(route.legs):
        points = simplify(leg.points_m)
        pick = [lm for lm in landmarks[leg.level_id] if lm.ref not in skip]
        facing = facing_deg if index == 0 else None
        steps.extend(
            _walk(leg, points, pick, arrived_by=previous, facing_deg=facing, to_lonlat=to_lonlat)
        )
        if index < len(route.transitions):
            previous = route.transitions[index]
            steps.append(_level_change(previous, short, leg.points[-1]))
    last = route.legs[-1]
    points = simplify(last.points_m)
    side = _side(points, route.destination.xy)
    zh, en = f"到达 {dest.zh}", f"Arrive at {dest.en}"
    if side == "right":
        zh, en = f"{zh}，位于右手边", f"{en} on your right"
    elif side == "left":
        zh, en = f"{zh}，位于左手边", f"{en} on your left"
    elif side == "ahead":
        zh, en = f"{zh}，就在前方", f"{en}, straight ahead"
    steps.append(Step(zh, en, "arrive", 0.0, last.level_id, last.points[-1]))
    return steps


def _walk(
    leg: Leg,
    points: list[tuple[float, float]],
    landmarks: Sequence[Landmark],
    *,
    arrived_by: Transition | None,
    facing_deg: float | None,
    to_lonlat: _ToLonLat,
) -> list[Step]:
    if len(points) < 2:
        return []
    steps: list[Step] = []
    first = math.dist(points[0], points[1])
    dist_zh, dist_en = format_distance(first)
    icon: Icon = "straight"
    if arrived_by is not None:
        noun_zh, noun_en = _VEHICLE[arrived_by.kind]
        zh, en = f"出{noun_zh}后前行{dist_zh}", f"Leave the {noun_en} and walk {dist_en}"
    elif facing_deg is not None:
        turn = classify_turn(_bearing(points[0], points[1]) - facing_deg)
        icon = turn
        if turn == "straight":
            zh, en = f"直行{dist_zh}", f"Go straight for {dist_en}"
        else:
            zh, en = f"{_TURN_ZH[turn]}，直行{dist_zh}", f"{_TURN_EN[turn]}, then walk {dist_en}"
    else:
        zh, en = f"前行{dist_zh}", f"Walk {dist_en}"
    steps.append(Step(zh, en, icon, first, leg.level_id, to_lonlat(*points[0])))
    for a, b, c in zip(points, points[1:], points[2:], strict=False):
        turn = classify_turn(_bearing(b, c) - _bearing(a, b))
        length = math.dist(b, c)
        dist_zh, dist_en = format_distance(length)
        verb_zh, verb_en = _TURN_ZH[turn], _TURN_EN[turn]
        found = nearest_landmark(landmarks, a, b)
        if found is None:
            zh, en = verb_zh, verb_en
        elif found[1]:
            zh, en = f"经过 {found[0].name.zh} 后{verb_zh}", f"{verb_en} after {found[0].name.en}"
        else:
            zh, en = f"在 {found[0].name.zh} 前{verb_zh}", f"{verb_en} before {found[0].name.en}"
        steps.append(
            Step(
                f"{zh}，直行{dist_zh}",
                f"{en}, then walk {dist_en}",
                turn,
                length,
                leg.level_id,
                to_lonlat(*b),
            )
        )
    return steps


def _level_change(transition: Transition, short: dict[str, Names], at: Point) -> Step:
    to = short[transition.to_level_id]
    way_zh, way_en = ("上", "up") if transition.up else ("下", "down")
    kind = transition.kind
    icon: Icon
    if kind == "elevator":
        zh, en, icon = f"乘电梯到{to.zh}", f"Take the elevator to {to.en}", "elevator"
    elif kind in ("escalator_up", "escalator_down"):
        zh, en = f"乘扶梯{way_zh}到{to.zh}", f"Take the escalator {way_en} to {to.en}"
        icon = "escalator_up" if transition.up else "escalator_down"
    elif kind == "stairs":
        zh, en = f"走楼梯{way_zh}到{to.zh}", f"Take the stairs {way_en} to {to.en}"
        icon = "stairs_up" if transition.up else "stairs_down"
    else:
        zh, en = f"沿坡道{way_zh}到{to.zh}", f"Take the ramp {way_en} to {to.en}"
        icon = "ramp_up" if transition.up else "ramp_down"
    return Step(zh, en, icon, transition.length_m, transition.from_level_id, at)


def _side(
    points: list[tuple[float, float]], target: tuple[float, float]
) -> Literal["left", "right", "ahead"] | None:
    """Where `target` lies seen along the last stretch; None when it is the end point itself or
    behind."""
    if len(points) < 2 or math.dist(points[-1], target) < 0.5:
        return None
    angle = _normalise(_bearing(points[-1], target) - _bearing(points[-2], points[-1]))
    if abs(angle) <= 35:
        return "ahead"
    if abs(angle) >= 145:
        return None
    return "right" if angle > 0 else "left"


def nearest_landmark(
    landmarks: Sequence[Landmark], before: tuple[float, float], turn: tuple[float, float]
) -> tuple[Landmark, bool] | None:
    """The storefront nearest the turn at `turn` (reached from `before`) within
    `LANDMARK_RADIUS_M`, and whether it is passed before turning."""
    best: tuple[float, int, Landmark] | None = None
    for landmark in landmarks:
        d = math.hypot(landmark.x - turn[0], landmark.y - turn[1])
        if d <= LANDMARK_RADIUS_M and (best is None or (d, -landmark.popularity) < best[:2]):
            best = (d, -landmark.popularity, landmark)
    if best is None:
        return None
    landmark = best[2]
    dx, dy = turn[0] - before[0], turn[1] - before[1]
    length = math.hypot(dx, dy) or 1.0
    along = ((landmark.x - turn[0]) * dx + (landmark.y - turn[1]) * dy) / length
    return landmark, along <= 1.0


def classify_turn(delta_deg: float) -> Turn:
    """A change of heading (clockwise positive) as a turn."""
    angle = _normalise(delta_deg)
    size = abs(angle)
    if size < 20:
        return "straight"
    if size >= 150:
        return "u_turn"
    if size < 50:
        return "slight_right" if angle > 0 else "slight_left"
    return "right" if angle > 0 else "left"


def simplify(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Douglas-Peucker within `SIMPLIFY_M`, short segments folded into their neighbours, then
    bends too small to call a turn dropped."""
    if len(points) < 3:
        return list(points)
    return _drop_straight(_fold_short(_douglas_peucker(points)))


def _douglas_peucker(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        lo, hi = stack.pop()
        far, far_d = -1, SIMPLIFY_M
        for i in range(lo + 1, hi):
            d = _distance_to_segment(points[i], points[lo], points[hi])
            if d > far_d:
                far, far_d = i, d
        if far >= 0:
            keep[far] = True
            stack.extend(((lo, far), (far, hi)))
    return [p for p, k in zip(points, keep, strict=True) if k]


def _fold_short(out: list[tuple[float, float]]) -> list[tuple[float, float]]:
    while len(out) > 2:
        lengths = [math.dist(p, q) for p, q in itertools.pairwise(out)]
        i = min(range(len(lengths)), key=lengths.__getitem__)
        if lengths[i] >= SHORT_SEGMENT_M:
            break
        if i == 0:
            del out[1]
        elif i == len(lengths) - 1:
            del out[-2]
        else:
            out[i : i + 2] = [((out[i][0] + out[i + 1][0]) / 2, (out[i][1] + out[i + 1][1]) / 2)]
    return out


def _drop_straight(out: list[tuple[float, float]]) -> list[tuple[float, float]]:
    i = 1
    while i < len(out) - 1:
        bend = _bearing(out[i], out[i + 1]) - _bearing(out[i - 1], out[i])
        if classify_turn(bend) == "straight":
            del out[i]
            i = max(1, i - 1)
        else:
            i += 1
    return out


def format_distance(metres: float) -> tuple[str, str]:
    """("约 30 米", "about 30 m"): metres under 10, fives under 100, tens, then fifties."""
    if metres < 10:
        value = max(1, round(metres))
    elif metres < 100:
        value = 5 * round(metres / 5)
    elif metres < 1000:
        value = 10 * round(metres / 10)
    else:
        value = 50 * round(metres / 50)
    return f"约 {value} 米", f"about {value} m"


def format_duration(seconds: float) -> tuple[str, str]:
    if seconds < 60:
        return "不到 1 分钟", "under 1 min"
    minutes = round(seconds / 60)
    return f"约 {minutes} 分钟", f"about {minutes} min"


def _bearing(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.degrees(math.atan2(b[0] - a[0], b[1] - a[1]))


def _normalise(angle: float) -> float:
    return (angle + 180.0) % 360.0 - 180.0


def _distance_to_segment(
    p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]
) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    span = dx * dx + dy * dy
    t = 0.0 if span == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / span))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)
