"""Route-finding benchmark: a synthetic 10-level mall of about 50 000 nodes.

Each level is a grid of corridors (5 m apart, a few links blocked) with six vertical cores at the
same places on every level: two elevators serving every level, two escalator banks and two
stairwells going flight by flight. 200 random routes between different levels are timed (the
budget is 20 ms p95), plus step-free and same-level routes and, for scale, a plain Dijkstra over
the whole graph. Prints JSON.

    python bench/route.py [--seed 7] [--routes 200]
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import json
import math
import random
import statistics
import time

from kiosk.domain.navgraph import GraphBuilder, GraphLevel, NavGraph, Projection
from kiosk.domain.route import RouteOptions, find_route
from kiosk.domain.venue import Names

BUDGET_MS = 20.0
LEVELS = 10
COLS, ROWS = 71, 70
SPACING_M = 5.0
BLOCKED = 0.08
# (kind, column, row) of the cores, the same on every level.
CORES = (
    ("elevator", 10, 35),
    ("elevator", 60, 35),
    ("escalator", 30, 20),
    ("escalator", 40, 50),
    ("stairs", 5, 5),
    ("stairs", 65, 64),
)


def synthetic_mall(rng: random.Random) -> tuple[GraphBuilder, list[list[int]]]:
    """The builder, filled, and each level's grid nodes."""
    levels = [
        GraphLevel(f"L{o}", o, Names(f"{o}层", f"Level {o}"), Names(name, name))
        for o, name in ((o, f"B{-o}" if o < 0 else f"{o + 1}F") for o in range(-2, LEVELS - 2))
    ]
    builder = GraphBuilder(levels, Projection.around(121.47, 31.23))
    grids = [add_level(builder, level, rng) for level in range(LEVELS)]
    for kind, c, r in CORES:
        shaft = []
        for grid in grids:
            level = builder.node_level[grid[0]]
            core = builder.add_node(level, c * SPACING_M + 2.0, r * SPACING_M + 1.0)
            builder.add_edge(core, grid[r * COLS + c], "door")
            shaft.append(core)
        add_shaft(builder, kind, shaft)
    return builder, grids


def add_level(builder: GraphBuilder, level: int, rng: random.Random) -> list[int]:
    grid = [
        builder.add_node(level, c * SPACING_M, r * SPACING_M)
        for r in range(ROWS)
        for c in range(COLS)
    ]
    for r in range(ROWS):
        for c in range(COLS):
            for dc, dr in ((1, 0), (0, 1)):
                if c + dc < COLS and r + dr < ROWS and rng.random() >= BLOCKED:
                    there = grid[(r + dr) * COLS + c + dc]
                    length = SPACING_M * rng.uniform(1.0, 1.1)
                    builder.add_edge(grid[r * COLS + c], there, "walk", length)
    return grid


def add_shaft(builder: GraphBuilder, kind: str, shaft: list[int]) -> None:
    """An elevator stops at every level; escalators and stairs go flight by flight."""
    if kind == "elevator":
        for a in shaft:
            for b in shaft:
                if a != b:
                    builder.add_connector(a, b, "elevator")
        return
    for low, high in itertools.pairwise(shaft):
        if kind == "escalator":
            builder.add_connector(low, high, "escalator_up")
            builder.add_connector(high, low, "escalator_down")
        else:
            builder.add_connector(low, high, "stairs")
            builder.add_connector(high, low, "stairs")


def plain_dijkstra(graph: NavGraph, source: int, target: int, options: RouteOptions) -> float:
    """The textbook search over the whole graph, for comparison."""
    speed = options.speed_mps
    vertical: dict[int, list[tuple[int, float]]] = {}
    for c in graph.connectors:
        if options.allows(c):
            cost = c.length_m + options.costs.fixed_seconds(c) * speed
            vertical.setdefault(c.tail, []).append((c.head, cost))
    dist = {source: 0.0}
    heap = [(0.0, source)]
    while heap:
        d, u = heapq.heappop(heap)
        if u == target:
            return d
        if d > dist[u]:
            continue
        moves = list(zip(graph.adj[u], graph.adj_len[u], strict=True)) + vertical.get(u, [])
        for v, w in moves:
            if d + w < dist.get(v, math.inf):
                dist[v] = d + w
                heapq.heappush(heap, (d + w, v))
    return math.inf


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def time_routes(
    graph: NavGraph, pairs: list[tuple[int, int]], options: RouteOptions
) -> tuple[list[float], int]:
    times: list[float] = []
    missing = 0
    for a, b in pairs:
        started = time.perf_counter()
        found = find_route(graph, graph.at_node(a), graph.at_node(b), options)
        times.append((time.perf_counter() - started) * 1000)
        missing += found is None
    return times, missing


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--routes", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    started = time.perf_counter()
    builder, grids = synthetic_mall(rng)
    fill_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    graph = builder.build("bench")
    tables_ms = (time.perf_counter() - started) * 1000

    def pair(same_level: bool) -> tuple[int, int]:
        a_level = rng.randrange(LEVELS)
        b_level = a_level
        while not same_level and b_level == a_level:
            b_level = rng.randrange(LEVELS)
        return rng.choice(grids[a_level]), rng.choice(grids[b_level])

    across = [pair(False) for _ in range(args.routes)]
    # The longest trips, bottom to top and back, always count.
    across[:2] = [(grids[0][0], grids[-1][-1]), (grids[-1][0], grids[0][-1])]
    time_routes(graph, across[:10], RouteOptions())
    times, missing = time_routes(graph, across, RouteOptions())
    step_free, missing_sf = time_routes(graph, across, RouteOptions(step_free=True))
    same, missing_same = time_routes(graph, [pair(True) for _ in range(100)], RouteOptions())
    baseline = []
    mismatches = 0
    for a, b in across[:20]:
        t0 = time.perf_counter()
        expected = plain_dijkstra(graph, a, b, RouteOptions())
        baseline.append((time.perf_counter() - t0) * 1000)
        found = find_route(graph, graph.at_node(a), graph.at_node(b))
        cost = found.seconds * found.speed_mps if found else math.inf
        mismatches += not math.isclose(cost, expected, rel_tol=1e-9)

    p95 = percentile(times, 95)
    print(
        json.dumps(
            {
                "benchmark": "route_across_levels",
                "levels": LEVELS,
                "nodes": graph.node_count,
                "edges": sum(1 for _ in graph.edges()),
                "connectors": len(graph.connectors),
                "hubs": sum(len(h) for h in graph.hubs_on_level),
                "build_ms": round(fill_ms + tables_ms, 1),
                "build_hub_tables_ms": round(tables_ms, 1),
                "routes": len(times),
                "unreachable": missing + missing_sf + missing_same,
                "p50_ms": round(statistics.median(times), 3),
                "p95_ms": round(p95, 3),
                "p99_ms": round(percentile(times, 99), 3),
                "max_ms": round(max(times), 3),
                "step_free_p95_ms": round(percentile(step_free, 95), 3),
                "same_level_p50_ms": round(statistics.median(same), 3),
                "same_level_p95_ms": round(percentile(same, 95), 3),
                "plain_dijkstra_p50_ms": round(statistics.median(baseline), 1),
                "plain_dijkstra_mismatches": mismatches,
                "budget_p95_ms": BUDGET_MS,
                "within_budget": p95 <= BUDGET_MS,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
