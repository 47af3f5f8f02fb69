"""A kiosk's sync loop for the crash test, meant to be killed with SIGKILL at any moment.

    python crash_kiosk.py DATA_DIR BASE_URL [--enroll CODE] [--final]

Each round creates a few submissions the way the kiosk does (the submission's ticket counter and
its outbox row in one transaction), appends their uuids to DATA_DIR/committed.log only after the
commit, then runs one sync. `--enroll` enrolls and exits; `--final` syncs until the outbox is
empty and prints the outcome as JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from kiosk.services.sync_agent import SyncAgent
from kiosk.store import models as m
from kiosk.store import outbox_repo
from kiosk.store.db import open_cache
from sync.client import RetryPolicy, SyncClient

KIOSK = "K09"
COUNTER = "crash-tickets"


def ticket_no(n: int) -> str:
    return f"C-{KIOSK}-{n:06d}"


def create(sessions: sessionmaker[Session], n: int) -> list[str]:
    made: list[str] = []
    with sessions.begin() as session:
        counter = session.get(m.Counter, COUNTER)
        if counter is None:
            counter = m.Counter(name=COUNTER, value=0)
            session.add(counter)
        for _ in range(n):
            counter.value += 1
            key = str(uuid.uuid4())
            outbox_repo.add(
                session,
                uuid=key,
                kind="complaint",
                ticket_no=ticket_no(counter.value),
                payload={"text": f"complaint {counter.value}"},
                token_sha256=hashlib.sha256(key.encode()).hexdigest(),
                created_at=dt.datetime.now(dt.UTC),
            )
            made.append(key)
    return made


def log_committed(path: Path, uuids: list[str]) -> None:
    with path.open("a", encoding="ascii") as f:
        f.write("".join(f"{u}\n" for u in uuids))
        f.flush()
        os.fsync(f.fileno())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("base_url")
    parser.add_argument("--enroll")
    parser.add_argument("--final", action="store_true")
    args = parser.parse_args()
    engine, sessions = open_cache(args.data_dir / "cache.sqlite3")
    # Give up quickly on a 429 or an outage: the loop goes on making submissions meanwhile.
    quick = RetryPolicy(attempts=2, base_s=0.01, cap_s=0.05, total_s=0.3)
    agent = SyncAgent(
        sessions,
        args.data_dir,
        args.base_url,
        KIOSK,
        "crash-test",
        client_factory=functools.partial(SyncClient, timeout=(1.0, 5.0), retries=quick),
    )
    if args.enroll:
        agent.enroll(args.enroll)
        return 0
    if args.final:
        deadline = time.monotonic() + 30
        snapshot = agent.run_once()
        while (snapshot.queue_depth or not snapshot.online) and time.monotonic() < deadline:
            time.sleep(0.5)
            snapshot = agent.run_once()
        with sessions() as session:
            counter = session.get(m.Counter, COUNTER)
            made = counter.value if counter else 0
        print(
            json.dumps(
                {
                    "created": made,
                    "queue_depth": snapshot.queue_depth,
                    "rejected": snapshot.rejected_count,
                    "last_error": snapshot.last_error,
                }
            )
        )
        engine.dispose()
        return 0
    print("ready", flush=True)
    rng = random.Random()
    log = args.data_dir / "committed.log"
    while True:
        log_committed(log, create(sessions, rng.randint(1, 4)))
        agent.run_once()


if __name__ == "__main__":
    sys.exit(main())
