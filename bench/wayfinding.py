"""Wayfinding benchmark: search as you type over 5 000 stores and routes across 10 levels on a
50 000-node graph, on large synthetic venues. Runs bench/search.py and bench/route.py (each in
its own process, so one does not warm the other's caches) and prints their figures as one JSON.

    python bench/wayfinding.py
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(script: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, str(HERE / script)], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out[out.index("{") :])


def main() -> None:
    search = run("search.py")
    route = run("route.py")
    print(
        json.dumps(
            {
                "benchmark": "wayfinding",
                "search_stores": search["stores"],
                "search_build_ms": search["build_ms"],
                "search_keystroke_p50_ms": search["p50_ms"],
                "search_keystroke_p95_ms": search["p95_ms"],
                "search_budget_p95_ms": 5.0,
                "route_nodes": route["nodes"],
                "route_levels": route["levels"],
                "graph_build_ms": route["build_ms"],
                "route_p50_ms": route["p50_ms"],
                "route_p95_ms": route["p95_ms"],
                "route_budget_p95_ms": 20.0,
                "within_budget": bool(search["within_budget"]) and bool(route["within_budget"]),
                "search": search,
                "route": route,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
