"""Shortest routes on a `NavGraph`, within a level or across levels, optionally step-free.

A route minimises the estimated time: walking at the configured speed plus a fixed time per
level change (`LevelChangeCosts`). Searches run in metres, a level change counting as the
distance walked in its time. Two candidates are compared: an A* search on the start's level
(straight-line heuristic) when a goal is on that level, and a Dijkstra search over the hubs
(nodes at the ends of level connectors) whose steps are look-ups in the hubs' level tables.
Every path that changes level runs start -> hub -> ... -> hub -> goal, so the second search is
exact and its cost doesn't grow with the size of the levels.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from kiosk.domain.navgraph import (
    STEP_FREE_CONNECTORS,
    Access,
    Connector,
    ConnectorKind,
    NavGraph,
    Place,
)
from kiosk.domain.venue import Names, Point

WALKING_SPEED_MPS = 1.2
STEP_FREE_SPEED_MPS = 0.8


@dataclass(frozen=True, slots=True)
class LevelChangeCosts:
    """Seconds a level change takes besides walking: boarding, waiting and the ride."""

    elevator_wait_s: float = 45.0
    elevator_s_per_level: float = 5.0
    escalator_s_per_level: float = 20.0
    stairs_s_per_level: float = 30.0
    ramp_s_per_level: float = 0.0

    def fixed_seconds(self, connector: Connector) -> float:
        kind = connector.kind
        if kind == "elevator":
            return self.elevator_wait_s + self.elevator_s_per_level * connector.levels
        if kind in ("escalator_up", "escalator_down"):
            return self.escalator_s_per_level * connector.levels
        if kind == "stairs":
            return self.stairs_s_per_level * connector.levels
        return self.ramp_s_per_level * connector.levels


@dataclass(frozen=True, slots=True)
class RouteOptions:
    """A step-free route changes level only by elevator or ramp and walks at its own speed."""

    step_free: bool = False
    walking_speed_mps: float = WALKING_SPEED_MPS
    step_free_speed_mps: float = STEP_FREE_SPEED_MPS
    costs: LevelChangeCosts = field(default_factory=LevelChangeCosts)

    @property
    def speed_mps(self) -> float:
        return self.step_free_speed_mps if self.step_free else self.walking_speed_mps

    def allows(self, connector: Connector) -> bool:
        return not self.step_free or connector.kind in STEP_FREE_CONNECTORS


@dataclass(frozen=True, slots=True)
class Leg:
    """The walk on one level: the polyline in lon/lat and in local metres, and its length."""

    level_id: str
    points: tuple[Point, ...]
    points_m: tuple[tuple[float, float], ...]
    length_m: float
    nodes: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Transition:
    """A level change between two legs; a ride up several flights of one escalator bank is one
    transition. `levels` counts the floors crossed."""

    kind: ConnectorKind
    from_level_id: str
    to_level_id: str
    levels: int
    up: bool
    seconds: float
    length_m: float
    via_unit_id: str | None
    via_name: Names | None


@dataclass(frozen=True, slots=True)
class Route:
    """`legs` has one more entry than `transitions`; `length_m` is the distance walked,
    `seconds` adds the level changes, `step_free` says no stairs or escalator is used."""

    origin: Place
    destination: Place
    legs: tuple[Leg, ...]
    transitions: tuple[Transition, ...]
    length_m: float
    seconds: float
    step_free: bool
    speed_mps: float
    nodes: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class _Found:
    cost: float
    nodes: list[int]
    hops: list[int]  # connector index per step, -1 for a horizontal edge
    seed: Access
    target: Access
    goal: int


_Target = tuple[int, float, int]  # node, offset, goal index


def find_route(
    graph: NavGraph,
    start: Place,
    goal: Place | Sequence[Place],
    options: RouteOptions | None = None,
) -> Route | None:
    """The quickest route from `start` to `goal`, or to whichever of several goals is quickest
    to reach ("nearest restroom"); None when no goal can be reached."""
    options = options or RouteOptions()
    goals = (goal,) if isinstance(goal, Place) else tuple(goal)
    seeds = start.access
    targets = [(a.node, a.offset_m, i) for i, g in enumerate(goals) for a in g.access]
    if not seeds or not targets:
        return None
    speed = options.speed_mps
    weights = [
        c.length_m + options.costs.fixed_seconds(c) * speed if options.allows(c) else math.inf
        for c in graph.connectors
    ]
    found = _via_hubs(graph, seeds, targets, weights)
    bound = found.cost if found else math.inf
    seed_levels = {graph.node_level[s.node] for s in seeds}
    if any(graph.node_level[t[0]] in seed_levels for t in targets):
        direct = _direct(graph, seeds, targets, bound)
        if direct is not None:
            found = direct
    if found is None:
        return None
    return _assemble(graph, start, goals[found.goal], found, options)


def _direct(
    graph: NavGraph, seeds: Sequence[Access], targets: Sequence[_Target], bound: float
) -> _Found | None:
    """A* over horizontal edges from all seeds to the targets on their level; None when nothing
    is reached for at most `bound`."""
    xs, ys, levels = graph.node_x, graph.node_y, graph.node_level
    adj, adj_len = graph.adj, graph.adj_len
    by_level: dict[int, list[tuple[float, float, float]]] = defaultdict(list)
    at_node: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for index, (node, offset, _goal) in enumerate(targets):
        by_level[levels[node]].append((xs[node], ys[node], offset))
        at_node[node].append((offset, index))
    hypot = math.hypot

    def estimate(v: int) -> float:
        x, y = xs[v], ys[v]
        return min(hypot(x - tx, y - ty) + off for tx, ty, off in by_level[levels[v]])

    cost: dict[int, float] = {}
    parent: dict[int, int] = {}
    origin: dict[int, int] = {}
    heap: list[tuple[float, float, int, int]] = []
    for index, seed in enumerate(seeds):
        if levels[seed.node] in by_level and seed.offset_m < cost.get(seed.node, math.inf):
            cost[seed.node] = seed.offset_m
            parent[seed.node] = -1
            origin[seed.node] = index
            heap.append((seed.offset_m + estimate(seed.node), seed.offset_m, seed.node, -1))
    heapq.heapify(heap)
    pop, push = heapq.heappop, heapq.heappush
    closed: set[int] = set()
    while heap:
        f, g, v, target = pop(heap)
        if f > bound:
            return None
        if target >= 0:
            nodes = [v]
            while parent[nodes[-1]] >= 0:
                nodes.append(parent[nodes[-1]])
            nodes.reverse()
            node, offset, goal = targets[target]
            return _Found(
                g,
                nodes,
                [-1] * (len(nodes) - 1),
                seeds[origin[nodes[0]]],
                Access(node, offset),
                goal,
            )
        if v in closed:
            continue
        closed.add(v)
        for offset, index in at_node.get(v, ()):
            push(heap, (g + offset, g + offset, v, index))
        for w, length in zip(adj[v], adj_len[v], strict=True):
            ng = g + length
            if ng < cost.get(w, math.inf):
                cost[w] = ng
                parent[w] = v
                push(heap, (ng + estimate(w), ng, w, -1))
    return None


def _via_hubs(
    graph: NavGraph, seeds: Sequence[Access], targets: Sequence[_Target], weights: list[float]
) -> _Found | None:
    """Dijkstra over hubs: a seed reaches the hubs of its level, a hub the other hubs of its
    level and the heads of its connectors, and a hub a target on its level, all by table."""
    local, levels = graph.node_local, graph.node_level
    tables, hubs_on_level = graph.hub_dist, graph.hubs_on_level
    targets_on: dict[int, list[int]] = defaultdict(list)
    for index, (node, _offset, _goal) in enumerate(targets):
        targets_on[levels[node]].append(index)
    dist, prev = _seed_hubs(graph, seeds)
    heap: list[tuple[float, int, int]] = [(d, h, -1) for h, d in dist.items() if d < math.inf]
    heapq.heapify(heap)
    pop, push = heapq.heappop, heapq.heappush
    connectors, connectors_from = graph.connectors, graph.connectors_from
    settled: set[int] = set()
    while heap:
        d, hub, target = pop(heap)
        if target >= 0:
            return _expand(graph, seeds, targets, prev, last_hub=hub, target=target, cost=d)
        if hub in settled:
            continue
        settled.add(hub)
        table = tables[hub]
        level = levels[hub]
        for index in targets_on.get(level, ()):
            node, offset, _goal = targets[index]
            total = d + table[local[node]] + offset
            if total < math.inf:
                push(heap, (total, hub, index))
        for other in hubs_on_level[level]:
            nd = d + table[local[other]]
            if nd < dist.get(other, math.inf):
                dist[other] = nd
                prev[other] = (1, hub)
                push(heap, (nd, other, -1))
        for index in connectors_from.get(hub, ()):
            head = connectors[index].head
            nd = d + weights[index]
            if nd < dist.get(head, math.inf):
                dist[head] = nd
                prev[head] = (2, index)
                push(heap, (nd, head, -1))
    return None


def _seed_hubs(
    graph: NavGraph, seeds: Sequence[Access]
) -> tuple[dict[int, float], dict[int, tuple[int, int]]]:
    """Distance from the nearest seed to each hub on the seeds' levels, and the way back:
    hub -> (0, seed index) | (1, hub walked from) | (2, connector index taken)."""
    local, levels, tables = graph.node_local, graph.node_level, graph.hub_dist
    dist: dict[int, float] = {}
    prev: dict[int, tuple[int, int]] = {}
    for index, seed in enumerate(seeds):
        for hub in graph.hubs_on_level[levels[seed.node]]:
            d = seed.offset_m + tables[hub][local[seed.node]]
            if d < dist.get(hub, math.inf):
                dist[hub] = d
                prev[hub] = (0, index)
    return dist, prev


def _expand(
    graph: NavGraph,
    seeds: Sequence[Access],
    targets: Sequence[_Target],
    prev: dict[int, tuple[int, int]],
    *,
    last_hub: int,
    target: int,
    cost: float,
) -> _Found:
    """Node path of a hub-level solution, read back from the hubs' shortest-path trees."""
    chain: list[tuple[int, int, int]] = []
    hub = last_hub
    while True:
        how, ref = prev[hub]
        chain.append((hub, how, ref))
        if how == 0:
            break
        hub = ref if how == 1 else graph.connectors[ref].tail
    chain.reverse()
    first_hub, _how, seed_index = chain[0]
    seed = seeds[seed_index]
    nodes = _tree_path(graph, first_hub, seed.node)
    hops = [-1] * (len(nodes) - 1)
    for hub, how, ref in chain[1:]:
        if how == 1:
            walk = _tree_path(graph, hub, ref)
            nodes.extend(walk[1:])
            hops.extend([-1] * (len(walk) - 1))
        else:
            nodes.append(hub)
            hops.append(ref)
    node, offset, goal = targets[target]
    walk = _tree_path(graph, last_hub, node)[::-1]
    nodes.extend(walk[1:])
    hops.extend([-1] * (len(walk) - 1))
    return _Found(cost, nodes, hops, seed, Access(node, offset), goal)


def _tree_path(graph: NavGraph, root: int, node: int) -> list[int]:
    """From `node` up the shortest-path tree of hub `root` to `root`."""
    parent, local = graph.hub_parent[root], graph.node_local
    path = [node]
    while path[-1] != root:
        path.append(parent[local[path[-1]]])
    return path


def _assemble(
    graph: NavGraph, origin: Place, destination: Place, found: _Found, options: RouteOptions
) -> Route:
    speed = options.speed_mps
    legs: list[Leg] = []
    steps: list[Connector] = []
    xy: list[tuple[float, float]] = []
    leg_nodes: list[int] = []
    length = 0.0

    def close(level: int) -> None:
        nonlocal xy, leg_nodes, length
        points_m = tuple(_dedupe(xy))
        legs.append(
            Leg(
                graph.levels[level].id,
                tuple(graph.projection.to_lonlat(x, y) for x, y in points_m),
                points_m,
                length,
                tuple(leg_nodes),
            )
        )
        xy, leg_nodes, length = [], [], 0.0

    nodes = found.nodes
    if found.seed.offset_m > 0:
        xy.append(origin.xy)
        length += found.seed.offset_m
    xy.append(graph.xy(nodes[0]))
    leg_nodes.append(nodes[0])
    for a, b, hop in zip(nodes[:-1], nodes[1:], found.hops, strict=True):
        if hop < 0:
            length += graph.edge_length(a, b)
        else:
            close(graph.node_level[a])
            steps.append(graph.connectors[hop])
        xy.append(graph.xy(b))
        leg_nodes.append(b)
    if found.target.offset_m > 0:
        xy.append(destination.xy)
        length += found.target.offset_m
    close(graph.node_level[nodes[-1]])

    transitions: list[Transition] = []
    merged_legs = [legs[0]]
    for connector, leg in zip(steps, legs[1:], strict=True):
        transition = _transition(graph, connector, options)
        previous = transitions[-1] if transitions else None
        if previous and previous.kind == transition.kind and merged_legs[-1].length_m == 0:
            transitions[-1] = Transition(
                previous.kind,
                previous.from_level_id,
                transition.to_level_id,
                previous.levels + transition.levels,
                previous.up,
                previous.seconds + transition.seconds,
                previous.length_m + transition.length_m,
                previous.via_unit_id,
                previous.via_name,
            )
            merged_legs[-1] = leg
        else:
            transitions.append(transition)
            merged_legs.append(leg)
    walked = sum(leg.length_m for leg in merged_legs)
    return Route(
        origin=origin,
        destination=destination,
        legs=tuple(merged_legs),
        transitions=tuple(transitions),
        length_m=walked + sum(t.length_m for t in transitions),
        seconds=walked / speed + sum(t.seconds for t in transitions),
        step_free=all(t.kind in STEP_FREE_CONNECTORS for t in transitions),
        speed_mps=speed,
        nodes=tuple(nodes),
    )


def _transition(graph: NavGraph, connector: Connector, options: RouteOptions) -> Transition:
    tail, head = graph.node_level[connector.tail], graph.node_level[connector.head]
    return Transition(
        kind=connector.kind,
        from_level_id=graph.levels[tail].id,
        to_level_id=graph.levels[head].id,
        levels=connector.levels,
        up=graph.levels[head].ordinal > graph.levels[tail].ordinal,
        seconds=options.costs.fixed_seconds(connector) + connector.length_m / options.speed_mps,
        length_m=connector.length_m,
        via_unit_id=connector.via_unit_id,
        via_name=connector.via_name,
    )


def _dedupe(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out = points[:1]
    for point in points[1:]:
        if math.dist(point, out[-1]) > 1e-6:
            out.append(point)
    return out
