"""Directions text: level changes, landmarks, turns, distances, times and arrival side, on the
demo mall and on small hand-made graphs."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.directions import (
    Step,
    classify_turn,
    directions,
    format_distance,
    format_duration,
    simplify,
)
from kiosk.domain.navgraph import (
    Access,
    GraphBuilder,
    GraphLevel,
    Landmark,
    NavGraph,
    Place,
    Projection,
)
from kiosk.domain.route import LevelChangeCosts, Route, RouteOptions, find_route
from kiosk.domain.venue import Names
from tests.domain.demo import graph, venue

LEVEL_CHANGE_ICONS = {
    "escalator_up",
    "escalator_down",
    "elevator",
    "stairs_up",
    "stairs_down",
    "ramp_up",
    "ramp_down",
}


def demo_steps(
    kiosk: str, store_en: str, options: RouteOptions | None = None
) -> tuple[Route, list[Step]]:
    g = graph()
    store = next(o for o in venue().occupants if o.name.en == store_en)
    found = find_route(g, g.kiosk(kiosk), g.occupant(store.id), options)
    assert found is not None
    return found, directions(found, g)


def test_escalator_up_to_a_4f_store() -> None:
    found, steps = demo_steps("K01", "Haidilao")
    assert steps[0].icon == "start"
    assert "海底捞" in steps[0].text_zh
    assert "4F" in steps[0].text_zh
    assert "Haidilao" in steps[0].text_en
    assert "4F" in steps[0].text_en
    (ride,) = [s for s in steps if s.icon in LEVEL_CHANGE_ICONS]
    assert ride.icon == "escalator_up"
    assert ride.text_zh == "乘扶梯上到4F"
    assert ride.text_en == "Take the escalator up to 4F"
    after = steps[steps.index(ride) + 1]
    assert after.text_zh.startswith("出扶梯后前行约")
    assert after.text_en.startswith("Leave the escalator and walk about")
    assert steps[-1].icon == "arrive"
    assert steps[-1].text_zh.startswith("到达 海底捞")
    assert steps[-1].text_en.startswith("Arrive at Haidilao")
    one_f, four_f = found.legs[0].level_id, found.legs[-1].level_id
    index = steps.index(ride)
    assert ride.level_id == one_f
    assert all(s.level_id == one_f for s in steps[:index])
    assert all(s.level_id == four_f for s in steps[index + 1 :])


def test_step_free_takes_the_elevator() -> None:
    _found, steps = demo_steps("K01", "McDonald's", RouteOptions(step_free=True))
    (ride,) = [s for s in steps if s.icon in LEVEL_CHANGE_ICONS]
    assert (ride.icon, ride.text_zh, ride.text_en) == (
        "elevator",
        "乘电梯到B1",
        "Take the elevator to B1",
    )


def test_escalator_down() -> None:
    _found, steps = demo_steps("K02", "McDonald's")
    (ride,) = [s for s in steps if s.icon in LEVEL_CHANGE_ICONS]
    assert (ride.icon, ride.text_zh, ride.text_en) == (
        "escalator_down",
        "乘扶梯下到B1",
        "Take the escalator down to B1",
    )


def test_stairs_when_they_are_quickest() -> None:
    costs = LevelChangeCosts(stairs_s_per_level=1.0, escalator_s_per_level=300.0)
    _found, steps = demo_steps("K01", "UNIQLO", RouteOptions(costs=costs))
    (climb,) = [s for s in steps if s.icon in LEVEL_CHANGE_ICONS]
    assert (climb.icon, climb.text_zh, climb.text_en) == (
        "stairs_up",
        "走楼梯上到2F",
        "Take the stairs up to 2F",
    )


@pytest.mark.parametrize("step_free", [False, True])
@pytest.mark.parametrize("kiosk", ["K01", "K02"])
def test_directions_to_every_store_have_the_same_shape(kiosk: str, step_free: bool) -> None:
    g = graph()
    options = RouteOptions(step_free=step_free)
    for occupant in venue().occupants:
        found = find_route(g, g.kiosk(kiosk), g.occupant(occupant.id), options)
        assert found is not None
        steps = directions(found, g, facing_deg=0.0)
        assert steps[0].icon == "start"
        assert "分钟" in steps[0].text_zh
        assert "min" in steps[0].text_en
        assert steps[-1].icon == "arrive"
        assert steps[-1].text_zh.startswith(f"到达 {occupant.name.zh}")
        assert steps[-1].text_en.startswith(f"Arrive at {occupant.name.en}")
        changes = [s for s in steps if s.icon in LEVEL_CHANGE_ICONS]
        assert len(changes) == len(found.transitions)
        for step, transition in zip(changes, found.transitions, strict=True):
            to = venue().level_by_id(transition.to_level_id).short_name
            assert step.text_zh.endswith(to.zh)
            assert step.text_en.endswith(to.en)
        for step in steps:
            assert step.text_zh
            assert step.text_en
            assert step.distance_m >= 0
        walked = sum(s.distance_m for s in steps[1:] if s.icon not in LEVEL_CHANGE_ICONS)
        # Simplified polylines cut corners a little; the total is still about the route length.
        assert walked == pytest.approx(found.length_m, rel=0.1)


# --- hand-made corridors ------------------------------------------------------------------------

LEVEL = GraphLevel("L1", 0, Names("一层", "Level 1"), Names("1F", "1F"))


def corridor(
    points: list[tuple[float, float]], landmarks: list[Landmark] | None = None
) -> NavGraph:
    builder = GraphBuilder([LEVEL], Projection.around(121.47, 31.23))
    nodes = [builder.add_node(0, x, y) for x, y in points]
    for a, b in itertools.pairwise(nodes):
        builder.add_edge(a, b)
    return builder.build("test", landmarks=landmarks or [])


def nike(x: float, y: float) -> Landmark:
    return Landmark("nike", Names("耐克", "Nike"), 0, x, y, 90)


STARBUCKS = Names("星巴克", "Starbucks")


def walk(
    g: NavGraph, end_xy: tuple[float, float] | None = None, *, facing: float | None = None
) -> list[Step]:
    last = g.node_count - 1
    goal = Place("occupant", "sbux", STARBUCKS, "food", 0, end_xy or g.xy(last),
                 (Access(last, 0.0),))  # fmt: skip
    found = find_route(g, g.at_node(0), goal)
    assert found is not None
    return directions(found, g, facing_deg=facing)


L_SHAPE = [(0.0, 0.0), (0.0, 50.0), (-30.0, 50.0)]


def test_turn_after_a_landmark() -> None:
    steps = walk(corridor(L_SHAPE, [nike(3.0, 45.0)]))
    turn = steps[2]
    assert turn.icon == "left"
    assert turn.text_zh == "经过 耐克 后左转，直行约 30 米"
    assert turn.text_en == "Turn left after Nike, then walk about 30 m"
    assert turn.distance_m == pytest.approx(30.0)


def test_turn_before_a_landmark_and_without_one() -> None:
    before = walk(corridor(L_SHAPE, [nike(-3.0, 56.0)]))[2]
    assert before.text_zh == "在 耐克 前左转，直行约 30 米"
    assert before.text_en == "Turn left before Nike, then walk about 30 m"
    far = walk(corridor(L_SHAPE, [nike(40.0, 10.0)]))[2]
    assert far.text_zh == "左转，直行约 30 米"
    assert far.text_en == "Turn left, then walk about 30 m"


def test_the_destination_is_not_its_own_landmark() -> None:
    own = Landmark("sbux", STARBUCKS, 0, 1.0, 49.0, 99)
    steps = walk(corridor(L_SHAPE, [own]))
    assert "星巴克" not in steps[2].text_zh
    assert steps[2].text_en == "Turn left, then walk about 30 m"


@pytest.mark.parametrize(
    ("end_xy", "zh", "en"),
    [
        ((-30.0, 53.0), "到达 星巴克，位于右手边", "Arrive at Starbucks on your right"),
        ((-30.0, 47.0), "到达 星巴克，位于左手边", "Arrive at Starbucks on your left"),
        ((-34.0, 50.0), "到达 星巴克，就在前方", "Arrive at Starbucks, straight ahead"),
        (None, "到达 星巴克", "Arrive at Starbucks"),
    ],
)
def test_arrival_says_which_side(end_xy: tuple[float, float] | None, zh: str, en: str) -> None:
    arrive = walk(corridor(L_SHAPE), end_xy)[-1]
    assert (arrive.icon, arrive.text_zh, arrive.text_en) == ("arrive", zh, en)


@pytest.mark.parametrize(
    ("facing", "icon", "zh", "en"),
    [
        (None, "straight", "前行约 50 米", "Walk about 50 m"),
        (0.0, "straight", "直行约 50 米", "Go straight for about 50 m"),
        (90.0, "left", "左转，直行约 50 米", "Turn left, then walk about 50 m"),
        (-90.0, "right", "右转，直行约 50 米", "Turn right, then walk about 50 m"),
        (180.0, "u_turn", "掉头，直行约 50 米", "Turn around, then walk about 50 m"),
    ],
)
def test_first_step_uses_the_way_the_shopper_faces(
    facing: float | None, icon: str, zh: str, en: str
) -> None:
    first = walk(corridor(L_SHAPE), facing=facing)[1]
    assert (first.icon, first.text_zh, first.text_en) == (icon, zh, en)


def test_slight_turns_and_wiggles() -> None:
    bend = (50 * math.sin(math.radians(30)), 50 + 50 * math.cos(math.radians(30)))
    steps = walk(corridor([(0.0, 0.0), (0.0, 50.0), bend]))
    assert steps[2].icon == "slight_right"
    assert steps[2].text_en == "Bear right, then walk about 50 m"
    assert steps[2].text_zh == "向右前方转，直行约 50 米"
    # A path that jogs by less than a metre and a half is still one straight walk.
    wiggly = [(0.0, 0.0), (0.8, 10.0), (-0.5, 20.0), (0.6, 30.0), (0.0, 40.0)]
    assert [s.icon for s in walk(corridor(wiggly))] == ["start", "straight", "arrive"]
    # A corner taken in two short steps is one turn.
    corner = [(0.0, 0.0), (0.0, 40.0), (-1.5, 41.5), (-40.0, 41.5)]
    assert [s.icon for s in walk(corridor(corner))] == ["start", "straight", "left", "arrive"]


def test_start_step_has_distance_and_time() -> None:
    start = walk(corridor(L_SHAPE))[0]
    assert start.icon == "start"
    assert start.text_zh == "前往 星巴克，全程约 80 米，预计约 1 分钟"
    assert start.text_en == "To Starbucks: about 80 m, about 1 min"
    assert start.distance_m == pytest.approx(80.0)


# --- pieces -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delta", "turn"),
    [
        (0, "straight"),
        (19, "straight"),
        (-19, "straight"),
        (350, "straight"),
        (30, "slight_right"),
        (-30, "slight_left"),
        (90, "right"),
        (-90, "left"),
        (270, "left"),
        (149, "right"),
        (170, "u_turn"),
        (-180, "u_turn"),
    ],
)
def test_classify_turn(delta: float, turn: str) -> None:
    assert classify_turn(delta) == turn


@pytest.mark.parametrize(
    ("metres", "value"),
    [(0.2, 1), (3.4, 3), (9.4, 9), (12.0, 10), (13.0, 15), (31, 30), (99, 100), (123, 120),
     (995, 1000), (1234, 1250)],
)  # fmt: skip
def test_format_distance(metres: float, value: int) -> None:
    assert format_distance(metres) == (f"约 {value} 米", f"about {value} m")


def test_format_duration() -> None:
    assert format_duration(20) == ("不到 1 分钟", "under 1 min")
    assert format_duration(60) == ("约 1 分钟", "about 1 min")
    assert format_duration(150) == ("约 2 分钟", "about 2 min")
    assert format_duration(200) == ("约 3 分钟", "about 3 min")


points = st.tuples(st.floats(-100, 100), st.floats(-100, 100))


@given(st.lists(points, min_size=2, max_size=30))
def test_simplify_keeps_the_ends_and_leaves_only_turns(line: list[tuple[float, float]]) -> None:
    out = simplify(line)
    assert out[0] == line[0]
    assert out[-1] == line[-1]
    assert len(out) <= len(line)
    for a, b, c in zip(out, out[1:], out[2:], strict=False):
        heading_ab = math.degrees(math.atan2(b[0] - a[0], b[1] - a[1]))
        heading_bc = math.degrees(math.atan2(c[0] - b[0], c[1] - b[1]))
        assert classify_turn(heading_bc - heading_ab) != "straight"
