"""kill -9 at random moments: no submission the kiosk committed is lost or doubled at the server.

A real kiosk sync loop (crash_kiosk.py) runs in a subprocess against the real central service and
is SIGKILLed again and again — while creating submissions, committing, pushing, waiting for the
server's answer, applying the catalog — then restarted. A last clean run empties the outbox.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from sync.server.models import Submission
from tests.central import Central
from tests.sync.client.conftest import server_submissions

SCRIPT = Path(__file__).with_name("crash_kiosk.py")
KILLS = 50
KIOSK = "K09"


def run_script(data_dir: Path, base_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(data_dir), base_url, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


def start_and_kill(data_dir: Path, base_url: str, rng: random.Random) -> None:
    proc = subprocess.Popen(
        [sys.executable, str(SCRIPT), str(data_dir), base_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        ready, _, _ = select.select([proc.stdout], [], [], 20)
        assert ready, "the kiosk loop did not start"
        line = proc.stdout.readline()
        if line.strip() != "ready":  # died at start-up: show why
            raise AssertionError(f"the kiosk loop failed to start: {line!r}")
        time.sleep(rng.uniform(0.0, 0.35))
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL


def test_kill_9_loses_and_doubles_nothing(central: Central, tmp_path: Path) -> None:
    data_dir = tmp_path / "kiosk"
    data_dir.mkdir()
    run_script(data_dir, central.base_url, "--enroll", central.mint_code())
    rng = random.Random(os.environ.get("CRASH_SEED"))
    for _ in range(KILLS):
        start_and_kill(data_dir, central.base_url, rng)
    final = json.loads(run_script(data_dir, central.base_url, "--final").stdout)
    assert final["queue_depth"] == 0, final
    assert final["rejected"] == 0, final

    stored: list[Submission] = [s for s in server_submissions(central) if s.kiosk_code == KIOSK]
    created = final["created"]
    assert created > KILLS  # the loop really ran between the kills
    # Every ticket the kiosk committed is at the server exactly once…
    tickets = Counter(s.ticket_no for s in stored)
    assert sorted(tickets) == [f"C-{KIOSK}-{n:06d}" for n in range(1, created + 1)]
    assert set(tickets.values()) == {1}
    # …including every uuid the kiosk logged after its commit (a line cut by the kill is the
    # only thing skipped: its submission is still counted by the ticket check above).
    logged = [
        line for line in (data_dir / "committed.log").read_text().splitlines() if len(line) == 36
    ]
    assert len(logged) == len(set(logged))
    assert set(logged) <= {str(s.uuid) for s in stored}
    assert len(logged) >= created - 4 * KILLS
