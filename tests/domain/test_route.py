"""Route finding: the demo mall end to end (every store from both kiosks, level changes, step-free
routes, escalator direction, nearest facility, times), and route costs checked against shortest
paths computed independently here, on the demo graph and on random small graphs."""

from __future__ import annotations

import heapq
import itertools
import math
import pickle
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.navgraph import (
    Access,
    ConnectorKind,
    EscalatorDirection,
    GraphBuilder,
    GraphConfig,
    GraphLevel,
    NavGraph,
    Place,
    Projection,
    build_nav_graph,
)
from kiosk.domain.route import LevelChangeCosts, Route, RouteOptions, find_route
from kiosk.domain.venue import Names
from tests.domain.demo import graph, venue

NORMAL = RouteOptions()
STEP_FREE = RouteOptions(step_free=True)


def short(level_id: str) -> str:
    return venue().level_by_id(level_id).short_name.en


def occupant_named(en: str) -> Place:
    return graph().occupant(next(o.id for o in venue().occupants if o.name.en == en))


def route(start: Place, goal: Place | Sequence[Place], options: RouteOptions = NORMAL) -> Route:
    found = find_route(graph(), start, goal, options)
    assert found is not None
    return found


# --- an independent reference -------------------------------------------------------------------

STEP_FREE_KINDS = {"elevator", "ramp"}


def fixed_seconds(kind: str, levels: int, costs: LevelChangeCosts) -> float:
    if kind == "elevator":
        return costs.elevator_wait_s + costs.elevator_s_per_level * levels
    if kind.startswith("escalator"):
        return costs.escalator_s_per_level * levels
    if kind == "stairs":
        return costs.stairs_s_per_level * levels
    return costs.ramp_s_per_level * levels


def weighted_edges(g: NavGraph, options: RouteOptions) -> list[tuple[int, int, float]]:
    """Directed edges in seconds, from the graph's raw edge lists, floors counted by ordinal."""
    speed = options.speed_mps
    ranks = sorted({level.ordinal for level in g.levels})
    rank = [ranks.index(g.levels[g.node_level[n]].ordinal) for n in range(g.node_count)]
    out: list[tuple[int, int, float]] = []
    for a, b, _kind, length in g.edges():
        out += [(a, b, length / speed), (b, a, length / speed)]
    for c in g.connectors:
        if options.step_free and c.kind not in STEP_FREE_KINDS:
            continue
        levels = abs(rank[c.tail] - rank[c.head])
        out.append(
            (c.tail, c.head, c.length_m / speed + fixed_seconds(c.kind, levels, options.costs))
        )
    return out


def dijkstra(n: int, edges: list[tuple[int, int, float]], sources: dict[int, float]) -> list[float]:
    adjacency: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for a, b, w in edges:
        adjacency[a].append((b, w))
    dist = [math.inf] * n
    heap = []
    for s, d in sources.items():
        dist[s] = min(dist[s], d)
        heap.append((d, s))
    heapq.heapify(heap)
    done = [False] * n
    while heap:
        d, u = heapq.heappop(heap)
        if done[u]:
            continue
        done[u] = True
        for v, w in adjacency[u]:
            if d + w < dist[v]:
                dist[v] = d + w
                heapq.heappush(heap, (d + w, v))
    return dist


def floyd_warshall(n: int, edges: list[tuple[int, int, float]]) -> list[list[float]]:
    dist = [[0.0 if i == j else math.inf for j in range(n)] for i in range(n)]
    for a, b, w in edges:
        dist[a][b] = min(dist[a][b], w)
    for k in range(n):
        dk = dist[k]
        for i in range(n):
            dik = dist[i][k]
            if dik == math.inf:
                continue
            di = dist[i]
            for j in range(n):
                di[j] = min(di[j], dik + dk[j])
    return dist


def assert_valid_path(g: NavGraph, found: Route, options: RouteOptions) -> None:
    nodes = found.nodes
    for a, b in itertools.pairwise(nodes):
        if g.node_level[a] == g.node_level[b]:
            assert b in g.adj[a], f"{a}-{b} is not an edge"
        else:
            assert any(c.tail == a and c.head == b and options.allows(c) for c in g.connectors), (
                f"{a}->{b} is not an allowed connector"
            )
    assert len(found.legs) == len(found.transitions) + 1
    for before, transition, after in zip(
        found.legs, found.transitions, found.legs[1:], strict=False
    ):
        assert before.level_id == transition.from_level_id
        assert after.level_id == transition.to_level_id
    total = sum(leg.length_m for leg in found.legs) + sum(t.length_m for t in found.transitions)
    assert found.length_m == pytest.approx(total)
    expected = (total - sum(t.length_m for t in found.transitions)) / found.speed_mps + sum(
        t.seconds for t in found.transitions
    )
    assert found.seconds == pytest.approx(expected)


# --- the demo mall ------------------------------------------------------------------------------


def test_demo_graph_uses_all_of_the_data() -> None:
    g = graph()
    assert g.notes == ()
    assert g.version == venue().version
    kinds: dict[str, int] = defaultdict(int)
    for connector in g.connectors:
        kinds[connector.kind] += 1
    levels = len(venue().levels)
    # Two elevator shafts serve every pair of levels both ways; escalators and stairs go flight
    # by flight, the escalators as separate up and down edges.
    assert kinds["elevator"] == 2 * levels * (levels - 1)
    assert kinds["escalator_up"] == kinds["escalator_down"] == 2 * (levels - 1)
    assert kinds["stairs"] == 2 * 2 * (levels - 1)
    assert all(place.access for place in g.occupants.values())
    assert {kind for *_rest, kind, _length in g.edges()} == {"walk", "door"}


@pytest.mark.parametrize("options", [NORMAL, STEP_FREE], ids=["normal", "step_free"])
@pytest.mark.parametrize("kiosk", ["K01", "K02"])
def test_every_store_is_reachable_from_each_kiosk(kiosk: str, options: RouteOptions) -> None:
    g = graph()
    start = g.kiosk(kiosk)
    for occupant in venue().occupants:
        found = find_route(g, start, g.occupant(occupant.id), options)
        assert found is not None, occupant.name.en
        assert found.legs[0].level_id == venue().kiosk_by_code(kiosk).level_id
        assert found.legs[-1].level_id == venue().occupant_level(occupant).id
        assert found.destination.ref == occupant.id
        if options.step_free:
            assert found.step_free
        assert_valid_path(g, found, options)


def test_a_route_from_1f_to_a_4f_store_climbs_three_levels() -> None:
    found = route(graph().kiosk("K01"), occupant_named("Haidilao"))
    assert [short(leg.level_id) for leg in found.legs] == ["1F", "4F"]
    (transition,) = found.transitions
    # Three flights of the same escalator bank make one transition.
    assert transition.kind == "escalator_up"
    assert (short(transition.from_level_id), short(transition.to_level_id)) == ("1F", "4F")
    assert transition.up
    assert transition.levels == 3
    assert transition.seconds == pytest.approx(3 * NORMAL.costs.escalator_s_per_level)
    assert transition.via_name is not None
    assert "Escalator" in transition.via_name.en

    step_free = route(graph().kiosk("K01"), occupant_named("Haidilao"), STEP_FREE)
    (ride,) = step_free.transitions
    assert ride.kind == "elevator"
    assert (short(ride.from_level_id), short(ride.to_level_id)) == ("1F", "4F")


def test_expensive_escalators_send_the_route_by_elevator() -> None:
    costs = LevelChangeCosts(escalator_s_per_level=200.0, stairs_s_per_level=200.0)
    found = route(graph().kiosk("K01"), occupant_named("Haidilao"), RouteOptions(costs=costs))
    assert [t.kind for t in found.transitions] == ["elevator"]


def test_legs_carry_polylines_in_both_coordinate_systems() -> None:
    g = graph()
    found = route(g.kiosk("K02"), occupant_named("McDonald's"))
    for leg in found.legs:
        assert len(leg.points) == len(leg.points_m) >= 2
        for (lon, lat), (x, y) in zip(leg.points, leg.points_m, strict=True):
            assert g.projection.to_xy((lon, lat)) == pytest.approx((x, y), abs=1e-6)
        drawn = sum(math.dist(p, q) for p, q in zip(leg.points_m, leg.points_m[1:], strict=False))
        assert drawn == pytest.approx(leg.length_m, rel=1e-6)
    assert found.legs[0].points_m[0] == pytest.approx(g.kiosk("K02").xy)


def all_destinations() -> list[Place]:
    return list(graph().occupants.values()) + [p for p in graph().amenities.values() if p.access]


@pytest.mark.parametrize("kiosk", ["K01", "K02"])
def test_step_free_routes_use_only_elevators_and_are_never_quicker(kiosk: str) -> None:
    g = graph()
    same_speed = replace(STEP_FREE, step_free_speed_mps=NORMAL.walking_speed_mps)
    for goal in all_destinations():
        normal = route(g.kiosk(kiosk), goal)
        step_free = route(g.kiosk(kiosk), goal, STEP_FREE)
        assert step_free.step_free
        assert {t.kind for t in step_free.transitions} <= {"elevator", "ramp"}
        assert step_free.seconds >= normal.seconds - 1e-9
        # At the same walking speed the step-free route costs at least as much: it may only
        # use a subset of the level changes.
        assert route(g.kiosk(kiosk), goal, same_speed).seconds >= normal.seconds - 1e-9


def test_escalators_run_the_way_the_route_goes() -> None:
    g = graph()
    for goal in all_destinations():
        for kiosk in ("K01", "K02"):
            for transition in route(g.kiosk(kiosk), goal).transitions:
                if transition.kind.startswith("escalator"):
                    goes_up = g.levels[g.level_index(transition.to_level_id)].ordinal > (
                        g.levels[g.level_index(transition.from_level_id)].ordinal
                    )
                    assert transition.up == goes_up
                    assert transition.kind == ("escalator_up" if goes_up else "escalator_down")


def escalator_units(name_en: str) -> list[str]:
    return [
        unit_id
        for amenity in venue().amenities
        if amenity.name is not None and amenity.name.en == name_en
        for unit_id in amenity.unit_ids
    ]


def test_one_way_escalator_banks_are_respected() -> None:
    directions: dict[str, EscalatorDirection] = {
        u: "up" for u in escalator_units("West Escalators")
    }
    directions.update({u: "down" for u in escalator_units("East Escalators")})
    g = build_nav_graph(venue(), GraphConfig(escalator_directions=directions))
    west, east = set(escalator_units("West Escalators")), set(escalator_units("East Escalators"))
    for connector in g.connectors:
        if connector.kind == "escalator_up":
            assert connector.via_unit_id in west
        if connector.kind == "escalator_down":
            assert connector.via_unit_id in east
    # Make everything but escalators slow: up must use the west bank, down the east bank even
    # from right beside the west bank.
    costs = LevelChangeCosts(elevator_wait_s=900.0, stairs_s_per_level=900.0)
    options = RouteOptions(costs=costs)
    levels = {level.short_name.en: level.id for level in venue().levels}
    west_1f = next(u for u in venue().units if u.id in west and u.level_id == levels["1F"])
    assert west_1f.display_point is not None
    beside_west = g.at_point(levels["1F"], west_1f.display_point)
    cases = (("4F", "escalator_up", west), ("B2", "escalator_down", east))
    for goal_level, expected_kind, expected_units in cases:
        goal = g.at_point(levels[goal_level], venue().venue.display_point)
        found = find_route(g, beside_west, goal, options)
        assert found is not None
        assert [t.kind for t in found.transitions] == [expected_kind]
        assert found.transitions[0].via_unit_id in expected_units


def test_escalator_names_can_give_the_direction() -> None:
    v = venue()
    west = set(escalator_units("West Escalators"))
    renamed = tuple(
        replace(u, name=Names("上行扶梯", "Up Escalator")) if u.id in west else u for u in v.units
    )
    amenities = tuple(
        replace(a, name=Names("上行扶梯", "Up Escalator")) if set(a.unit_ids) & west else a
        for a in v.amenities
    )
    g = build_nav_graph(replace(v, units=renamed, amenities=amenities))
    west_kinds = {c.kind for c in g.connectors if c.via_unit_id in west}
    assert west_kinds == {"escalator_up"}


@pytest.mark.parametrize("kiosk", ["K01", "K02"])
def test_nearest_restroom_is_the_quickest_of_all_restrooms(kiosk: str) -> None:
    g = graph()
    restrooms = g.facilities("restroom")
    assert len(restrooms) == 3 * len(venue().levels)  # west, east and the accessible one
    assert any(p.category == "restroom.unisex.wheelchair" for p in restrooms)
    for options in (NORMAL, STEP_FREE):
        nearest = route(g.kiosk(kiosk), restrooms, options)
        each = {p.ref: route(g.kiosk(kiosk), p, options).seconds for p in restrooms}
        assert nearest.seconds == pytest.approx(min(each.values()))
        assert each[nearest.destination.ref] == pytest.approx(nearest.seconds)
        assert nearest.legs[-1].level_id == venue().kiosk_by_code(kiosk).level_id
    accessible = g.facilities("restroom", wheelchair=True)
    assert accessible
    assert all("wheelchair" in p.accessibility for p in accessible)
    found = route(g.kiosk(kiosk), accessible, STEP_FREE)
    assert found.destination.category == "restroom.unisex.wheelchair"


def test_times_follow_the_configured_speeds() -> None:
    g = graph()
    start, goal = g.kiosk("K01"), occupant_named("Starbucks")
    same_level = route(start, goal)
    assert same_level.transitions == ()
    assert same_level.speed_mps == 1.2
    assert same_level.seconds == pytest.approx(same_level.length_m / 1.2)
    slow = route(start, goal, STEP_FREE)
    assert slow.speed_mps == 0.8
    assert slow.seconds == pytest.approx(slow.length_m / 0.8)
    brisk = route(start, goal, RouteOptions(walking_speed_mps=1.5))
    assert brisk.seconds == pytest.approx(brisk.length_m / 1.5)

    up = route(start, occupant_named("Nike"), RouteOptions(walking_speed_mps=1.0))
    walked = sum(leg.length_m for leg in up.legs)
    assert up.seconds == pytest.approx(walked / 1.0 + sum(t.seconds for t in up.transitions))
    lift = route(
        start, occupant_named("Nike"), RouteOptions(step_free=True, step_free_speed_mps=0.5)
    )
    costs = LevelChangeCosts()
    (ride,) = lift.transitions
    assert ride.seconds == pytest.approx(costs.elevator_wait_s + 2 * costs.elevator_s_per_level)
    assert lift.seconds == pytest.approx(
        sum(leg.length_m for leg in lift.legs) / 0.5 + ride.seconds
    )


def test_routes_start_and_end_at_points_inside_units() -> None:
    g = graph()
    v = venue()
    atrium = next(
        u for u in v.units if u.name and u.name.en == "Atrium" and short(u.level_id) == "2F"
    )
    assert atrium.display_point is not None
    start = g.at_point(atrium.level_id, atrium.display_point)
    assert start.access
    assert all(a.offset_m > 0 for a in start.access)
    food_stall = occupant_named("Chongqing Noodles")
    found = route(start, food_stall)
    assert found.legs[0].points_m[0] == pytest.approx(start.xy)
    # A stall inside the food court is walked to; a store with its own unit ends at its door.
    assert found.legs[-1].points_m[-1] == pytest.approx(food_stall.xy)
    nike = occupant_named("Nike")
    assert all(a.offset_m == 0 for a in nike.access)
    end = route(start, nike).legs[-1].points_m[-1]
    assert any(end == pytest.approx(g.xy(a.node)) for a in nike.access)


def test_unit_places_and_unreachable_places() -> None:
    g = graph()
    v = venue()
    car_ramp = next(u for u in v.units if u.category == "ramp")
    assert g.unit(car_ramp.id).access == ()
    assert find_route(g, g.kiosk("K01"), g.unit(car_ramp.id)) is None
    cinema = next(o for o in v.occupants if o.name.en == "Yunhui Cinema")
    by_unit = route(g.kiosk("K02"), g.unit(v.anchor_by_id(cinema.anchor_id).unit_id))
    by_store = route(g.kiosk("K02"), g.occupant(cinema.id))
    assert by_unit.seconds == pytest.approx(by_store.seconds)


def test_a_route_to_where_you_stand_is_empty() -> None:
    g = graph()
    found = route(g.kiosk("K01"), g.kiosk("K01"))
    assert found.length_m == 0
    assert found.seconds == 0
    assert found.transitions == ()
    assert len(found.legs) == 1


def test_the_graph_pickles() -> None:
    g = graph()
    copy = pickle.loads(pickle.dumps(g))
    a = route(g.kiosk("K01"), occupant_named("LEGO"))
    b = find_route(copy, copy.kiosk("K01"), copy.occupant(a.destination.ref))
    assert b is not None
    assert (b.nodes, b.seconds) == (a.nodes, a.seconds)


@cache
def reference_from(node: int, step_free: bool) -> tuple[float, ...]:
    g = graph()
    options = STEP_FREE if step_free else NORMAL
    return tuple(dijkstra(g.node_count, weighted_edges(g, options), {node: 0.0}))


@settings(max_examples=150, deadline=None)
@given(data=st.data(), step_free=st.booleans())
def test_demo_routes_match_a_plain_dijkstra(data: st.DataObject, step_free: bool) -> None:
    g = graph()
    options = STEP_FREE if step_free else NORMAL
    # Nodes with edges: B2's car ramps and the like have none.
    usable = [n for n in range(g.node_count) if g.adj[n]]
    a = data.draw(st.sampled_from(usable), label="start")
    b = data.draw(st.sampled_from(usable), label="goal")
    expected = reference_from(a, step_free)[b]
    found = find_route(g, g.at_node(a), g.at_node(b), options)
    if expected == math.inf:
        assert found is None
        return
    assert found is not None
    assert found.seconds == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert found.nodes[0] == a
    assert found.nodes[-1] == b
    assert_valid_path(g, found, options)


# --- random small graphs ------------------------------------------------------------------------

LEVEL_NAMES = ("B1", "1F", "2F", "3F")


@st.composite
def small_graphs(draw: st.DrawFn) -> tuple[NavGraph, list[tuple[int, int, str, float, float]]]:
    """A graph of 1-4 levels with random nodes, walking edges and level connectors; also the
    raw edge list (a, b, kind, length, levels) the reference works from."""
    level_count = draw(st.integers(1, 4))
    ordinals = list(range(-1, level_count - 1))
    levels = [
        GraphLevel(
            f"L{o}", o, Names(LEVEL_NAMES[i], LEVEL_NAMES[i]), Names(LEVEL_NAMES[i], LEVEL_NAMES[i])
        )
        for i, o in enumerate(ordinals)
    ]
    builder = GraphBuilder(levels, Projection.around(121.47, 31.23))
    coords = st.integers(0, 60).map(float)
    per_level = [draw(st.integers(1, 7)) for _ in levels]
    nodes_on: list[list[int]] = []
    for level, count in enumerate(per_level):
        nodes_on.append([builder.add_node(level, draw(coords), draw(coords)) for _ in range(count)])
    raw: list[tuple[int, int, str, float, float]] = []
    for level_nodes in nodes_on:
        pairs = [(a, b) for i, a in enumerate(level_nodes) for b in level_nodes[i + 1 :]]
        for a, b in draw(st.lists(st.sampled_from(pairs), max_size=12)) if pairs else []:
            straight = math.hypot(
                builder.node_x[a] - builder.node_x[b], builder.node_y[a] - builder.node_y[b]
            )
            length = straight * draw(st.floats(1.0, 2.0))
            builder.add_edge(a, b, "walk", length)
            raw.append((a, b, "walk", length, 0))
    if level_count > 1:
        all_nodes = [n for level_nodes in nodes_on for n in level_nodes]
        for _ in range(draw(st.integers(0, 8))):
            tail = draw(st.sampled_from(all_nodes))
            head = draw(st.sampled_from(all_nodes))
            lt, lh = builder.node_level[tail], builder.node_level[head]
            if lt == lh:
                continue
            escalator = "escalator_up" if lh > lt else "escalator_down"
            kind: ConnectorKind = draw(st.sampled_from([escalator, "elevator", "stairs", "ramp"]))
            length = draw(st.floats(0.0, 30.0)) if kind == "ramp" else 0.0
            builder.add_connector(tail, head, kind, length_m=length)
            raw.append((tail, head, kind, length, abs(lh - lt)))
    return builder.build("random"), raw


def reference_matrix(
    g: NavGraph, raw: list[tuple[int, int, str, float, float]], options: RouteOptions
) -> list[list[float]]:
    speed = options.speed_mps
    edges: list[tuple[int, int, float]] = []
    for a, b, kind, length, levels in raw:
        if kind == "walk":
            edges += [(a, b, length / speed), (b, a, length / speed)]
        elif not options.step_free or kind in STEP_FREE_KINDS:
            edges.append((a, b, length / speed + fixed_seconds(kind, int(levels), options.costs)))
    return floyd_warshall(g.node_count, edges)


def place(g: NavGraph, access: list[tuple[int, float]]) -> Place:
    first = access[0][0]
    access_ = tuple(Access(n, off) for n, off in access)
    return Place("point", "p", None, "point", g.node_level[first], g.xy(first), access_)


options_strategy = st.builds(
    RouteOptions,
    step_free=st.booleans(),
    walking_speed_mps=st.floats(0.5, 2.0),
    step_free_speed_mps=st.floats(0.3, 1.2),
    costs=st.builds(
        LevelChangeCosts,
        elevator_wait_s=st.floats(0, 120),
        elevator_s_per_level=st.floats(0, 20),
        escalator_s_per_level=st.floats(0, 60),
        stairs_s_per_level=st.floats(0, 60),
        ramp_s_per_level=st.floats(0, 30),
    ),
)


@settings(max_examples=400, deadline=None)
@given(built=small_graphs(), options=options_strategy, data=st.data())
def test_random_graph_routes_match_floyd_warshall(
    built: tuple[NavGraph, list[tuple[int, int, str, float, float]]],
    options: RouteOptions,
    data: st.DataObject,
) -> None:
    g, raw = built
    dist = reference_matrix(g, raw, options)
    nodes = st.integers(0, g.node_count - 1)
    offsets = st.floats(0.0, 20.0)
    starts = data.draw(st.lists(st.tuples(nodes, offsets), min_size=1, max_size=3), label="start")
    # A start place is on one level.
    starts = [(n, off) for n, off in starts if g.node_level[n] == g.node_level[starts[0][0]]]
    goals = data.draw(
        st.lists(
            st.lists(st.tuples(nodes, offsets), min_size=1, max_size=2), min_size=1, max_size=3
        ),
        label="goals",
    )
    speed = options.speed_mps
    expected = min(
        so / speed + dist[s][t] + to / speed for s, so in starts for goal in goals for t, to in goal
    )
    found = find_route(g, place(g, starts), [place(g, goal) for goal in goals], options)
    if expected == math.inf:
        assert found is None
        return
    assert found is not None
    assert found.seconds == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert found.nodes[0] in {s for s, _ in starts}
    assert found.nodes[-1] in {a.node for a in found.destination.access}
    assert_valid_path(g, found, options)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("escalator_up", 2 * 20.0),
        ("stairs", 2 * 30.0),
        ("elevator", 45.0 + 2 * 5.0),
        ("ramp", 2 * 4.0 + 24.0 / 1.2),
    ],
)
def test_level_change_time_counts_every_floor(kind: ConnectorKind, expected: float) -> None:
    levels = [GraphLevel(f"L{i}", i, Names(n, n), Names(n, n)) for i, n in enumerate("123")]
    builder = GraphBuilder(levels, Projection.around(0.0, 0.0))
    low, high = builder.add_node(0, 0, 0), builder.add_node(2, 0, 0)
    builder.add_connector(low, high, kind, length_m=24.0 if kind == "ramp" else 0.0)
    g = builder.build("v")
    found = find_route(
        g,
        g.at_node(low),
        g.at_node(high),
        RouteOptions(costs=LevelChangeCosts(ramp_s_per_level=4.0)),
    )
    assert found is not None
    (transition,) = found.transitions
    assert transition.levels == 2
    assert found.seconds == pytest.approx(expected)


def test_builder_rejects_impossible_edges() -> None:
    levels = [
        GraphLevel("a", 0, Names("1F", "1F"), Names("1F", "1F")),
        GraphLevel("b", 1, Names("2F", "2F"), Names("2F", "2F")),
    ]
    builder = GraphBuilder(levels, Projection.around(0.0, 0.0))
    low, high = builder.add_node(0, 0, 0), builder.add_node(1, 0, 0)
    far = builder.add_node(0, 10, 0)
    with pytest.raises(ValueError, match="wrong way"):
        builder.add_connector(high, low, "escalator_up")
    with pytest.raises(ValueError, match="apart"):
        builder.add_edge(low, far, "walk", 5.0)
    with pytest.raises(ValueError, match="two levels"):
        builder.add_edge(low, high)
    with pytest.raises(ValueError, match="one level"):
        builder.add_connector(low, far, "elevator")


# --- networkx as an independent reference -------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(built=small_graphs(), options=options_strategy, data=st.data())
def test_random_graph_routes_match_networkx(
    built: tuple[NavGraph, list[tuple[int, int, str, float, float]]],
    options: RouteOptions,
    data: st.DataObject,
) -> None:
    import networkx as nx

    g, raw = built
    speed = options.speed_mps
    digraph = nx.DiGraph()
    digraph.add_nodes_from(range(g.node_count))

    def add(a: int, b: int, w: float) -> None:
        if not digraph.has_edge(a, b) or digraph[a][b]["weight"] > w:
            digraph.add_edge(a, b, weight=w)

    for a, b, kind, length, levels in raw:
        if kind == "walk":
            add(a, b, length / speed)
            add(b, a, length / speed)
        elif not options.step_free or kind in STEP_FREE_KINDS:
            add(a, b, length / speed + fixed_seconds(kind, int(levels), options.costs))
    a = data.draw(st.integers(0, g.node_count - 1), label="start")
    b = data.draw(st.integers(0, g.node_count - 1), label="goal")
    found = find_route(g, g.at_node(a), g.at_node(b), options)
    try:
        expected = nx.dijkstra_path_length(digraph, a, b)
    except nx.NetworkXNoPath:
        assert found is None
        return
    assert found is not None
    assert found.seconds == pytest.approx(expected, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("options", [NORMAL, STEP_FREE], ids=["walk", "step-free"])
def test_every_pair_of_demo_stores_has_a_route(options: RouteOptions) -> None:
    g = graph()
    stores = [g.occupant(o.id) for o in venue().occupants]
    for start in stores:
        for goal in stores:
            if goal is not start:
                assert find_route(g, start, goal, options) is not None, (start.id, goal.id)
