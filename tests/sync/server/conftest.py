"""Fixtures for the central service's tests: enrolled kiosks speaking HTTP with `requests`,
submission items, a throwaway PostgreSQL cluster when one can be started, and a check that no
server thread outlives its test."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import requests

if TYPE_CHECKING:
    from tests.central import Central

APP_VERSION = "1.0.0"
TIMEOUT = 10


class Kiosk:
    """An enrolled kiosk: a requests.Session carrying its device token."""

    def __init__(self, base_url: str, kiosk_code: str, token: str) -> None:
        self.base_url = base_url
        self.kiosk_code = kiosk_code
        self.token = token
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"
        self._tickets = itertools.count(1)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.get(f"{self.base_url}{path}", timeout=TIMEOUT, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.http.post(f"{self.base_url}{path}", timeout=TIMEOUT, **kwargs)

    def item(self, **overrides: Any) -> dict[str, Any]:
        """A valid submission from this kiosk, with a fresh uuid and ticket number."""
        item: dict[str, Any] = {
            "uuid": str(uuid.uuid4()),
            "kind": "complaint",
            "ticket_no": f"C-{self.kiosk_code}-{next(self._tickets):04d}-X",
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "token_sha256": "ab" * 32,
            "payload": {"category": "service", "text": "空调太冷了 The air is too cold"},
        }
        item.update(overrides)
        return item

    def push(self, *items: dict[str, Any]) -> list[dict[str, Any]]:
        reply = self.post("/v1/submissions", json={"items": list(items)})
        assert reply.status_code == 200, reply.text
        results: list[dict[str, Any]] = reply.json()["results"]
        return results

    def close(self) -> None:
        self.http.close()


def enroll_kiosk(central: Central, kiosk_code: str, code: str | None = None) -> Kiosk:
    reply = requests.post(
        f"{central.base_url}/v1/enroll",
        json={
            "code": code or central.mint_code(),
            "kiosk_code": kiosk_code,
            "app_version": APP_VERSION,
        },
        timeout=TIMEOUT,
    )
    assert reply.status_code == 200, reply.text
    return Kiosk(central.base_url, kiosk_code, reply.json()["device_token"])


@pytest.fixture
def enroll(central: Central) -> Iterator[Callable[[str], Kiosk]]:
    """enroll("K07") -> a Kiosk enrolled in the demo venue."""
    made: list[Kiosk] = []

    def make(kiosk_code: str = "K07") -> Kiosk:
        kiosk = enroll_kiosk(central, kiosk_code)
        made.append(kiosk)
        return kiosk

    yield make
    for kiosk in made:
        kiosk.close()


@pytest.fixture
def kiosk(enroll: Callable[[str], Kiosk]) -> Kiosk:
    return enroll("K07")


@pytest.fixture(autouse=True)
def _no_thread_left() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    left = [t.name for t in threading.enumerate() if t not in before and t.is_alive()]
    assert not left, f"threads left running: {left}"


# --- PostgreSQL -------------------------------------------------------------------------------

PG_ENV = "MALL_CENTRAL_TEST_PG"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Postgres:
    """A PostgreSQL server for tests: a throwaway cluster, or the one named by $PG_ENV (an
    admin URL such as postgresql+psycopg://postgres@127.0.0.1:5432/postgres)."""

    def __init__(self, admin_url: str, stop: Callable[[], None] | None = None) -> None:
        self.admin_url = admin_url
        self._stop = stop
        self._names = itertools.count(1)

    def new_database(self) -> str:
        """A fresh empty database; its URL."""
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        name = f"central_test_{os.getpid()}_{next(self._names)}"
        engine = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as con:
            con.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            con.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def stop(self) -> None:
        if self._stop is not None:
            self._stop()


def _start_cluster() -> Postgres:
    """initdb + pg_ctl in a temporary directory; skips the test when that cannot be done."""
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl is None:
        candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        pg_ctl = str(candidates[-1]) if candidates else None
    if pg_ctl is None:
        pytest.skip(f"PostgreSQL is not installed (no pg_ctl) and ${PG_ENV} is not set")
    bindir = Path(pg_ctl).resolve().parent
    prefix: list[str] = []
    owner: pwd.struct_passwd | None = None
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root.
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run PostgreSQL as")
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.skip("running as root and runuser is not available to drop to postgres")
        prefix = [runuser, "-u", "postgres", "--"]
    datadir = Path(tempfile.mkdtemp(prefix="central-pg-"))
    if owner is not None:
        os.chown(datadir, owner.pw_uid, owner.pw_gid)
    port = _free_port()

    def run(*args: str) -> None:
        subprocess.run(
            [*prefix, *args], check=True, capture_output=True, timeout=60, cwd=tempfile.gettempdir()
        )

    try:
        run(str(bindir / "initdb"), "-D", str(datadir / "data"), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--no-sync")  # fmt: skip
        options = f"-p {port} -k {datadir} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(str(bindir / "pg_ctl"), "-D", str(datadir / "data"), "-o", options, "-w",
            "-l", str(datadir / "log"), "start")  # fmt: skip
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        shutil.rmtree(datadir, ignore_errors=True)
        detail = getattr(exc, "stderr", b"") or b""
        pytest.skip(f"cannot start a PostgreSQL cluster: {exc} {detail.decode(errors='replace')}")

    def stop() -> None:
        try:
            run(str(bindir / "pg_ctl"), "-D", str(datadir / "data"), "-m", "immediate", "-w",
                "stop")  # fmt: skip
        finally:
            shutil.rmtree(datadir, ignore_errors=True)

    return Postgres(f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", stop)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    pytest.importorskip(
        "psycopg", reason="the PostgreSQL driver psycopg is not installed (psycopg[binary])"
    )
    server = Postgres(os.environ[PG_ENV]) if os.environ.get(PG_ENV) else _start_cluster()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def storage_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh empty database: a SQLite file, then a PostgreSQL database when one can be had."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'central.sqlite3'}"
    server: Postgres = request.getfixturevalue("postgres")
    return server.new_database()
