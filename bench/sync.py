"""Sync benchmark: the kiosk's agent against the real central service on 127.0.0.1.

Figures (JSON on stdout):
- push: submissions sent end to end, kiosk outbox -> server ack, per second. `run_once` is one
  whole sync of N queued submissions (push, then pulling their N "received" statuses);
  `push_only` is the push phase alone (outbox read, POST of 100, ack delete, repeated).
- full catalog: a fresh kiosk's first pull and apply of a synthetic 5 000-store venue (the demo
  mall scaled up: more units, anchors and occupants), with download / parse / apply split out.
- no-change pull: a conditional catalog pull answered 304, p50/p95 over 100 pulls.
- server_load: the output of bench/sync_server_load.py when it exists (the central service's
  own load test), run as a subprocess.

The server runs without its per-device rate limit so the kiosk side is what is measured.

    python bench/sync.py [--stores 5000] [--submissions 2000] [--pulls 100] [--seed 7]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

# `python bench/sync.py` puts bench/ first on sys.path, where this file would shadow the `sync`
# package it measures.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

from kiosk.domain.imdf import demo_venue_path  # noqa: E402
from kiosk.services.sync_agent import SyncAgent, wire_items  # noqa: E402
from kiosk.store import outbox_repo, sync_repo  # noqa: E402
from kiosk.store.db import open_cache  # noqa: E402
from sync.client import CatalogUpdate, NotModified, SyncClient  # noqa: E402
from sync.server import catalog as central_catalog  # noqa: E402
from sync.server.db import open_database  # noqa: E402
from sync.server.testing import mint_code, run_server  # noqa: E402

SERVER_LOAD = Path(__file__).with_name("sync_server_load.py")
KIOSK = "B01"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def scaled_venue(out: Path, stores: int, rng: random.Random) -> None:
    """The demo mall with `stores` occupants: each extra one a copy of a demo store's unit,
    anchor and occupant under new ids and a numbered name."""
    shutil.copytree(demo_venue_path(), out)

    def read(name: str) -> dict[str, Any]:
        doc: dict[str, Any] = json.loads((out / name).read_text(encoding="utf-8"))
        return doc

    units, anchors, occupants = (
        read("unit.geojson"),
        read("anchor.geojson"),
        read("occupant.geojson"),
    )
    unit_by_id = {f["id"]: f for f in units["features"]}
    anchor_by_id = {f["id"]: f for f in anchors["features"]}
    templates = list(occupants["features"])
    for n in range(stores - len(templates)):
        occ = rng.choice(templates)
        anchor = anchor_by_id[occ["properties"]["anchor_id"]]
        unit = unit_by_id[anchor["properties"]["unit_id"]]
        ids = {k: str(uuid.uuid5(uuid.NAMESPACE_URL, f"bench/{k}/{n}")) for k in "uao"}
        new_unit = json.loads(json.dumps(unit))
        new_unit["id"] = ids["u"]
        new_anchor = json.loads(json.dumps(anchor))
        new_anchor["id"] = ids["a"]
        new_anchor["properties"]["unit_id"] = ids["u"]
        new_occ = json.loads(json.dumps(occ))
        new_occ["id"] = ids["o"]
        new_occ["properties"]["anchor_id"] = ids["a"]
        name = new_occ["properties"]["name"]
        new_occ["properties"]["name"] = {
            "en": f"{name['en']} #{n + 2}",
            "zh-Hans": f"{name['zh-Hans']}{n + 2}号店",
        }
        units["features"].append(new_unit)
        anchors["features"].append(new_anchor)
        occupants["features"].append(new_occ)
    for name, doc in (
        ("unit.geojson", units),
        ("anchor.geojson", anchors),
        ("occupant.geojson", occupants),
    ):
        (out / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def queue(sessions: Any, count: int, first: int = 0) -> None:
    now = dt.datetime.now(dt.UTC)
    with sessions.begin() as session:
        for n in range(first, first + count):
            key = str(uuid.uuid4())
            outbox_repo.add(
                session,
                uuid=key,
                kind="feedback",
                ticket_no=f"F-{KIOSK}-{n:06d}",
                payload={"text": "这里的指示牌很清楚 / the signs here are clear", "rating": 5},
                token_sha256=hashlib.sha256(key.encode()).hexdigest(),
                created_at=now + dt.timedelta(microseconds=n),
            )


def push_only(sessions: Any, client: SyncClient) -> None:
    """The agent's push loop without the rest of a sync run."""
    while True:
        with sessions() as session:
            entries = outbox_repo.pending(session, 100)
        if not entries:
            return
        items, _ = wire_items(entries)
        reply = client.push(items)
        done = [str(r.uuid) for r in reply.results if r.status in ("accepted", "duplicate")]
        with sessions.begin() as session:
            outbox_repo.ack(session, done)


def server_load() -> Any:
    if not SERVER_LOAD.exists():
        return {"skipped": f"{SERVER_LOAD.name} not found"}
    done = subprocess.run(
        [sys.executable, str(SERVER_LOAD)], capture_output=True, text=True, timeout=900, check=False
    )
    try:
        figures = json.loads(done.stdout)
    except json.JSONDecodeError:
        why = f"exit {done.returncode}, output is not JSON"
        return {"error": why, "stderr": done.stderr[-2000:]}
    # It exits 1 when a budget is missed; its figures say which.
    return {"exit_code": done.returncode, **figures} if isinstance(figures, dict) else figures


def main() -> None:  # noqa: PLR0915 - one straight measurement script
    parser = argparse.ArgumentParser()
    parser.add_argument("--stores", type=int, default=5000)
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--pulls", type=int, default=100)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    out: dict[str, Any] = {"benchmark": "sync"}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        scaled_venue(tmp / "venue", args.stores, rng)
        db_url = f"sqlite:///{tmp / 'central.sqlite3'}"
        db = open_database(db_url)
        try:
            loaded = central_catalog.load_venue(db, tmp / "venue")
        finally:
            db.dispose()
        with run_server(db_url, rate=None) as server:
            # --- a fresh kiosk's full catalog pull and apply --------------------------------
            engine, sessions = open_cache(tmp / "kiosk" / "cache.sqlite3")
            agent = SyncAgent(sessions, tmp / "kiosk", server.base_url, KIOSK, "bench")
            agent.enroll(mint_code(db_url, loaded.venue_id))
            started = time.perf_counter()
            first = agent.run_once()
            full_s = time.perf_counter() - started
            assert first.online, first
            assert first.last_error is None, first
            token = json.loads((tmp / "kiosk" / "device.json").read_text())["device_token"]
            client = SyncClient(server.base_url, token)

            started = time.perf_counter()
            got = client.catalog(None, None)
            fetch_s = time.perf_counter() - started
            assert isinstance(got, CatalogUpdate)
            assert got.reply.venue is not None
            started = time.perf_counter()
            parsed = sync_repo.parse_venue(got.reply.venue)
            parse_s = time.perf_counter() - started
            engine2, other = open_cache(tmp / "other.sqlite3")
            started = time.perf_counter()
            with other.begin() as session:
                sync_repo.apply_catalog(session, got.reply, "sync:bench", got.etag, parsed)
            apply_s = time.perf_counter() - started
            engine2.dispose()
            body_bytes = len(got.reply.model_dump_json())

            # --- no-change pulls --------------------------------------------------------------
            times = []
            for _ in range(args.pulls):
                started = time.perf_counter()
                again = client.catalog(got.reply.cursor, got.etag)
                times.append((time.perf_counter() - started) * 1000)
                assert isinstance(again, NotModified)

            # --- pushing ----------------------------------------------------------------------
            queue(sessions, args.submissions)
            started = time.perf_counter()
            pushed = agent.run_once()
            run_s = time.perf_counter() - started
            assert pushed.queue_depth == 0, pushed
            assert pushed.rejected_count == 0, pushed
            queue(sessions, args.submissions, first=args.submissions)
            started = time.perf_counter()
            push_only(sessions, client)
            push_s = time.perf_counter() - started
            client.close()
            agent.stop()
            engine.dispose()

    out.update(
        {
            "push": {
                "submissions": args.submissions,
                "batch": 100,
                "run_once_items_per_s": round(args.submissions / run_s),
                "run_once_s": round(run_s, 3),
                "push_only_items_per_s": round(args.submissions / push_s),
            },
            "full_catalog": {
                "stores": args.stores,
                "reply_bytes": body_bytes,
                "first_sync_s": round(full_s, 3),
                "download_s": round(fetch_s, 3),
                "parse_s": round(parse_s, 3),
                "apply_s": round(apply_s, 3),
            },
            "no_change_pull": {
                "pulls": args.pulls,
                "p50_ms": round(statistics.median(times), 2),
                "p95_ms": round(percentile(times, 95), 2),
                "max_ms": round(max(times), 2),
            },
        }
    )
    out["server_load"] = server_load()
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
