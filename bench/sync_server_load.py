"""Central service load benchmark: many kiosks syncing at once, and one kiosk draining its outbox.

The server runs with `sync.server.testing.run_server` (its default per-device rate limit on) on
a fresh SQLite file holding the demo mall; the kiosks run in a separate process (asyncio +
httpx, one client per kiosk) so they do not share the server's interpreter lock.

1. Sync load, paced: N kiosks (default 200) enroll, then for a bounded time each repeats a sync
   cycle every --interval seconds (default 5: six times the pace of a kiosk in the field): a
   catalog pull with If-None-Match (a full snapshot first, then 304s), a small submission batch,
   a status pull and a heartbeat. Reports requests/s, p50/p95 latency per endpoint and errors.
2. Sync load, saturated: N other kiosks run the same cycle with no pause, for half the time:
   the requests/s the server can sustain, and latency when it is the bottleneck.
3. Push: one kiosk pushes batches of 100 submissions back to back, against a server without the
   rate limit (which would otherwise be what is measured). Budget: >= 500 items/s on SQLite.

    python bench/sync_server_load.py [--kiosks 200] [--seconds 20] [--interval 5] [--batches 30]

Prints JSON; exits 1 when the push budget is missed or a sync request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gzip
import json
import multiprocessing
import random
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# `python bench/sync_server_load.py` puts bench/ first on sys.path, where bench/sync.py would
# shadow the `sync` package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

import httpx  # noqa: E402

from sync.server.app import DEFAULT_BURST, DEFAULT_RATE  # noqa: E402
from sync.server.db import open_database  # noqa: E402
from sync.server.devices import mint_enrollment_code  # noqa: E402
from sync.server.testing import run_server, seed_demo  # noqa: E402

PUSH_BUDGET = 500.0
APP_VERSION = "bench"


def _item(kiosk: str, n: int) -> dict[str, Any]:
    return {
        "uuid": str(uuid.uuid4()),
        "kind": "feedback",
        "ticket_no": f"F-{kiosk}-{n:06d}-X",
        "created_at": dt.datetime.now(dt.UTC).isoformat(),
        "token_sha256": "0" * 64,
        "payload": {"rating": 5, "text": "服务很好，谢谢 Very helpful staff"},
    }


def _ms(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 1)


# --- phases 1 and 2: many kiosks -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Reply:
    status: int
    headers: httpx.Headers
    raw: bytes

    def json(self) -> Any:
        gzipped = self.headers.get("Content-Encoding") == "gzip"
        return json.loads(gzip.decompress(self.raw) if gzipped else self.raw)


class _Recorder:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()

    async def call(
        self, client: httpx.AsyncClient, name: str, method: str, url: str, **kwargs: Any
    ) -> _Reply | None:
        started = time.perf_counter()
        try:
            # The body is read as sent (gzip stays gzip) and parsed only where the bench needs
            # it: the load generator must stay cheaper than the server it measures.
            async with client.stream(method, url, **kwargs) as stream:
                raw = b"".join([chunk async for chunk in stream.aiter_raw()])
                reply = _Reply(stream.status_code, stream.headers, raw)
        except httpx.HTTPError as exc:
            self.errors[f"{name}: {type(exc).__name__}"] += 1
            return None
        self.latency[name].append(time.perf_counter() - started)
        self.statuses[f"{name} {reply.status}"] += 1
        if reply.status not in (200, 304):
            self.errors[f"{name}: HTTP {reply.status}"] += 1
        return reply


@dataclass(frozen=True, slots=True)
class _Plan:
    base: str
    interval: float
    deadline: float


async def _kiosk(rec: _Recorder, plan: _Plan, kiosk: str, code: str) -> int:
    # A client per kiosk, as in the field: one keep-alive connection each. verify=False: plain
    # HTTP, and building 200 TLS contexts would cost the load generator seconds.
    async with httpx.AsyncClient(timeout=httpx.Timeout(30.0), verify=False) as client:
        return await _sync_cycles(client, rec, plan, kiosk, code)


async def _sync_cycles(
    client: httpx.AsyncClient, rec: _Recorder, plan: _Plan, kiosk: str, code: str
) -> int:
    base = plan.base
    reply = await rec.call(
        client,
        "enroll",
        "POST",
        f"{base}/v1/enroll",
        json={"code": code, "kiosk_code": kiosk, "app_version": APP_VERSION},
    )
    if reply is None or reply.status != 200:
        return 0
    auth = {"Authorization": f"Bearer {reply.json()['device_token']}"}
    etag, catalog_cursor, status_cursor = None, None, "0"
    tickets = 0
    cycles = 0
    rng = random.Random(kiosk)
    # Spread the kiosks over the first cycle rather than starting in lock step.
    await asyncio.sleep(rng.random() * plan.interval)
    while time.monotonic() < plan.deadline:
        started = time.monotonic()
        headers = {**auth, **({"If-None-Match": etag} if etag else {})}
        params = {"since": catalog_cursor} if catalog_cursor else None
        reply = await rec.call(
            client, "catalog", "GET", f"{base}/v1/catalog", headers=headers, params=params
        )
        if reply is not None and reply.status == 200:
            etag = reply.headers.get("ETag")
            catalog_cursor = etag.strip('"') if etag else None
        items = [_item(kiosk, tickets + i) for i in range(rng.randint(1, 3))]
        tickets += len(items)
        await rec.call(
            client, "submissions", "POST", f"{base}/v1/submissions", headers=auth,
            json={"items": items},
        )  # fmt: skip
        reply = await rec.call(
            client, "status", "GET", f"{base}/v1/status", headers=auth,
            params={"since": status_cursor},
        )  # fmt: skip
        if reply is not None and reply.status == 200:
            status_cursor = reply.json()["cursor"]
        await rec.call(
            client, "heartbeat", "POST", f"{base}/v1/heartbeat", headers=auth,
            json={"app_version": APP_VERSION, "queue_depth": 0, "printer_state": "ok",
                  "free_disk_bytes": 10**10},
        )  # fmt: skip
        cycles += 1
        now = time.monotonic()
        await asyncio.sleep(max(0.0, min(plan.deadline - now, plan.interval - (now - started))))
    return cycles


async def _sync_load(
    base: str, codes: list[str], seconds: float, interval: float, prefix: str
) -> dict[str, Any]:
    rec = _Recorder()
    started = time.monotonic()
    plan = _Plan(base, interval, started + seconds)
    cycles = await asyncio.gather(
        *(_kiosk(rec, plan, f"{prefix}{i:03d}", code) for i, code in enumerate(codes, 1))
    )
    elapsed = time.monotonic() - started
    every = [v for values in rec.latency.values() for v in values]
    return {
        "kiosks": len(codes),
        "cycle_interval_s": interval,
        "seconds": round(elapsed, 1),
        "sync_cycles": sum(cycles),
        "requests": len(every),
        "requests_per_s": round(len(every) / elapsed, 1),
        "latency_ms": {"p50": _ms(every, 0.50), "p95": _ms(every, 0.95), "max": _ms(every, 1.0)},
        "by_endpoint": {
            name: {"count": len(values), "p50_ms": _ms(values, 0.50), "p95_ms": _ms(values, 0.95)}
            for name, values in sorted(rec.latency.items())
        },
        "replies": dict(sorted(rec.statuses.items())),
        "errors": sum(rec.errors.values()),
        "error_kinds": dict(rec.errors),
    }


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def sync_load(
    base: str, codes: list[str], seconds: float, interval: float, prefix: str
) -> dict[str, Any]:
    cpu = _cpu_s()
    result = asyncio.run(_sync_load(base, codes, seconds, interval, prefix))
    result["load_generator_cpu_s"] = round(_cpu_s() - cpu, 1)
    return result


def _measured(phase: Future[dict[str, Any]]) -> dict[str, Any]:
    """The phase's result, with the CPU time the server process spent meanwhile."""
    cpu = _cpu_s()
    result = phase.result()
    result["server_cpu_s"] = round(_cpu_s() - cpu, 1)
    return result


# --- phase 3: one kiosk drains its outbox -----------------------------------------------------


def push(base: str, code: str, batches: int, size: int) -> dict[str, Any]:
    with httpx.Client(timeout=30.0) as client:
        enrolled = client.post(
            f"{base}/v1/enroll",
            json={"code": code, "kiosk_code": "PUSH", "app_version": APP_VERSION},
        )
        enrolled.raise_for_status()
        client.headers["Authorization"] = f"Bearer {enrolled.json()['device_token']}"
        payloads = [
            {"items": [_item("PUSH", b * size + i) for i in range(size)]} for b in range(batches)
        ]
        latencies: list[float] = []
        accepted = 0
        started = time.perf_counter()
        for payload in payloads:
            t = time.perf_counter()
            reply = client.post(f"{base}/v1/submissions", json=payload)
            latencies.append(time.perf_counter() - t)
            reply.raise_for_status()
            accepted += sum(r["status"] == "accepted" for r in reply.json()["results"])
        elapsed = time.perf_counter() - started
    return {
        "batches": batches,
        "batch_size": size,
        "accepted": accepted,
        "items_per_s": round(accepted / elapsed, 1),
        "batch_ms": {
            "p50": _ms(latencies, 0.5),
            "p95": _ms(latencies, 0.95),
            "mean": round(statistics.fmean(latencies) * 1000, 1),
        },
        "budget_items_per_s": PUSH_BUDGET,
        "within_budget": accepted / elapsed >= PUSH_BUDGET,
    }


# --- main -------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=200, help="kiosks syncing at once (200)")
    parser.add_argument("--seconds", type=float, default=20.0, help="paced load duration (20)")
    parser.add_argument(
        "--interval", type=float, default=5.0, help="seconds between a kiosk's syncs (5)"
    )
    parser.add_argument("--batches", type=int, default=30, help="batches of 100 to push (30)")
    args = parser.parse_args()

    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp, ProcessPoolExecutor(1, mp_context=spawn) as load:
        db_url = f"sqlite:///{Path(tmp) / 'central.sqlite3'}"
        venue_id = seed_demo(db_url)
        db = open_database(db_url)
        codes = [mint_enrollment_code(db, venue_id) for _ in range(2 * args.kiosks + 1)]
        db.dispose()
        paced_codes, saturated_codes = codes[: args.kiosks], codes[args.kiosks : -1]
        with run_server(db_url, rate=DEFAULT_RATE, burst=DEFAULT_BURST) as server:
            paced = _measured(
                load.submit(
                    sync_load, server.base_url, paced_codes, args.seconds, args.interval, "K"
                )
            )
            saturated = _measured(
                load.submit(sync_load, server.base_url, saturated_codes, args.seconds / 2, 0.0, "S")
            )
        with run_server(db_url, rate=None) as server:
            pushed = load.submit(push, server.base_url, codes[-1], args.batches, 100).result()
    result = {
        "benchmark": "sync_server_load",
        "database": "sqlite",
        "sync_paced": paced,
        "sync_saturated": saturated,
        "push": pushed,
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    ok = pushed["within_budget"] and paced["errors"] == 0 and saturated["errors"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
