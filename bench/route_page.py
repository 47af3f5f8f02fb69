"""Route page benchmark: what a phone waits for after scanning a kiosk's route QR code, against
the real central service on 127.0.0.1 with the demo mall.

Figures (JSON on stdout), milliseconds per page request (HTTP included):
- cold: the first request of a freshly started service, which parses the venue and builds its
  navigation graph and level maps (p50/p95 over --cold services; the very first of the process
  also compiles the templates and is reported apart);
- warm: requests once the venue's graph is kept, over links from both demo kiosks to stores on
  every level, walking and step-free, in Chinese and English (p50/p95 over --warm requests);
- concurrent: pages per second with --clients clients asking at once (the route search and the
  page run on the server's thread pool), and their p95;
- page size in bytes (median, largest).

    python bench/route_page.py [--cold 8] [--warm 400] [--clients 4]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

# `python bench/route_page.py` puts bench/ first on sys.path, where bench/sync.py would shadow
# the `sync` package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import requests  # noqa: E402

from kiosk.domain.imdf import demo_venue_path, load_venue  # noqa: E402
from kiosk.domain.routelink import KioskOrigin, route_url  # noqa: E402
from sync.server.testing import run_server, seed_demo  # noqa: E402

TIMEOUT = 30


def figures(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(statistics.quantiles(ordered, n=20, method="inclusive")[-1] * 1000, 2),
        "requests": len(ordered),
    }


def paths(count: int, seed: int = 7) -> list[str]:
    """Route link paths (after the base) with their language, as the kiosks make them."""
    venue = load_venue(demo_venue_path())
    by_level: dict[str, list[str]] = {}
    for occupant in venue.occupants:
        by_level.setdefault(venue.occupant_level(occupant).id, []).append(occupant.id)
    rng = random.Random(seed)
    stores = [s for ids in by_level.values() for s in rng.sample(ids, min(4, len(ids)))]
    links = [
        route_url("http://x/R", venue.venue.id, KioskOrigin(k.code), store, step_free).split(
            "/R", 1
        )[1]
        + f"?lang={lang}"
        for k in venue.kiosks
        for store in stores
        for step_free in (False, True)
        for lang in ("zh", "en")
    ]
    return [rng.choice(links) for _ in range(count)]


def timed_get(http: requests.Session, url: str) -> tuple[float, int]:
    start = time.perf_counter()
    reply = http.get(url, timeout=TIMEOUT)
    elapsed = time.perf_counter() - start
    if reply.status_code != 200:
        raise SystemExit(f"{url}: HTTP {reply.status_code}")
    return elapsed, len(reply.content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", type=int, default=8)
    parser.add_argument("--warm", type=int, default=400)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    links = paths(args.warm)
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'central.sqlite3'}"
        seed_demo(db_url)
        cold: list[float] = []
        for _ in range(args.cold + 1):
            with run_server(db_url) as server, requests.Session() as http:
                cold.append(timed_get(http, server.base_url + "/R" + links[0])[0])
        first, cold = cold[0], cold[1:]

        with run_server(db_url) as server, requests.Session() as http:
            base = server.base_url + "/R"
            timed_get(http, base + links[0])
            warm, sizes = [], []
            for link in links:
                elapsed, size = timed_get(http, base + link)
                warm.append(elapsed)
                sizes.append(size)

            together: list[float] = []
            lock = threading.Lock()

            def client(offset: int) -> None:
                with requests.Session() as own:
                    mine = [
                        timed_get(own, base + link)[0] for link in links[offset :: args.clients]
                    ]
                with lock:
                    together.extend(mine)

            threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
            start = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - start

    print(
        json.dumps(
            {
                "benchmark": "route_page",
                "cold_first_of_process_ms": round(first * 1000, 2),
                "cold": figures(cold),
                "warm": figures(warm),
                "concurrent": {
                    "clients": args.clients,
                    "pages_per_s": round(len(together) / wall, 1),
                    **figures(together),
                },
                "page_bytes_median": int(statistics.median(sizes)),
                "page_bytes_max": max(sizes),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
