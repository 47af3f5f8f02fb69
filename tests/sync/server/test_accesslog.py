"""The central service as staff run it (`mall-central serve`, in its own process) logs each
request without its query: a tracking link's secret token never reaches the log."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from sync.server.accesslog import HideQueries

TOKEN = "Qv3x7LbE0c9y-_AbCdEfGhIjKlMnOpQrStUvWxYz012"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as err:
        return err.code


def test_the_served_access_log_holds_paths_but_no_tokens(
    central_db: tuple[str, Path, str],
) -> None:
    port = free_port()
    command = [sys.executable, "-m", "sync.server.cli", "--db", central_db[0], "serve"]
    proc = subprocess.Popen(
        [*command, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(f"http://127.0.0.1:{port}/openapi.json")
                break
            except OSError:
                assert proc.poll() is None, "the service stopped"
                assert time.monotonic() < deadline, "the service did not start"
                time.sleep(0.1)
        assert get(f"http://127.0.0.1:{port}/T/C-K07-0042-X?t={TOKEN}") == 404
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=30)
    assert '"GET /T/C-K07-0042-X?… HTTP/1.1" 404' in output
    assert TOKEN not in output
    assert "t=" not in output


def test_the_filter_leaves_other_records_alone() -> None:
    query = logging.LogRecord("uvicorn.access", logging.INFO, "", 0, "%s", ("no query",), None)
    assert HideQueries().filter(query)
    assert query.args == ("no query",)
    plain = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        "",
        0,
        '%s - "%s %s HTTP/%s" %d',
        ("1.2.3.4:5", "GET", "/v1/catalog", "1.1", 200),
        None,
    )
    assert HideQueries().filter(plain)
    assert plain.getMessage() == '1.2.3.4:5 - "GET /v1/catalog HTTP/1.1" 200'
