"""Member lookup benchmark: what a shopper waits for, against the real central service on
127.0.0.1 with the demo members.

Figures (JSON on stdout), milliseconds per call through the kiosk's MemberService (validation,
HTTP, the server's work, the reply's pydantic check):
- scan: a member card looked up by its card number, p50/p95 over N calls;
- sign_in: a code asked for and then checked (two calls), p50/p95 over M numbers.

The server runs without its per-device rate limit and with a manual clock that jumps an hour
between sign-ins, so the per-number code limits do not stop the loop.

    python bench/member.py [--scans 300] [--sign-ins 40]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

# `python bench/member.py` puts bench/ first on sys.path; keep the packages it measures first.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

from kiosk.services.member import MemberService  # noqa: E402
from sync.client import SyncClient  # noqa: E402
from sync.server.sms import MemoryGateway  # noqa: E402
from sync.server.testing import (  # noqa: E402
    ManualClock,
    mint_code,
    run_server,
    seed_demo,
    seed_members,
)

CARD = "886000000001"
PHONE = "13800138000"


def figures(samples: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(statistics.quantiles(samples, n=20, method="inclusive")[-1], 2),
        "calls": len(samples),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=300)
    parser.add_argument("--sign-ins", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'central.sqlite3'}"
        venue = seed_demo(db_url)
        seed_members(db_url)
        sms, clock = MemoryGateway(), ManualClock()
        with run_server(db_url, rate=None, sms_gateway=sms, clock=clock) as server:
            with SyncClient(server.base_url) as client:
                token = client.enroll(mint_code(db_url, venue), "B02", "bench").device_token
            service = MemberService(server.base_url, lambda: token)
            service.scan(CARD)  # warm up: connections, caches
            scans = []
            for _ in range(args.scans):
                started = time.perf_counter()
                service.scan(CARD)
                scans.append((time.perf_counter() - started) * 1000)
            sign_ins = []
            for _ in range(args.sign_ins):
                clock.advance(hours=1)  # past the per-number limits of the last round
                started = time.perf_counter()
                phone, _ = service.request_code(PHONE)
                service.verify(phone, sms.last_code(PHONE) or "")
                sign_ins.append((time.perf_counter() - started) * 1000)
    print(
        json.dumps(
            {
                "benchmark": "member_lookup",
                "scan": figures(scans),
                "sign_in_two_calls": figures(sign_ins),
                "note": "127.0.0.1, SQLite, one kiosk; a shopper also waits for the network",
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
