"""Fixtures for tests that talk to a real central service on 127.0.0.1 with the demo mall and
its demo members.

`central` gives each test its own database file (copied from one seeded per session, which is
much faster than importing the demo mall every time) and a running server. Member codes the
server texts are kept in `central.sms`, and the member service's time is `central.clock`, which
moves only when a test advances it:

    def test_pull(central):
        code = central.mint_code()
        requests.post(f"{central.base_url}/v1/enroll", json={"code": code, ...})

    def test_sign_in(central, kiosk):
        kiosk.post("/v1/members/sms", json={"phone": "13800138000"})
        code = central.sms.last_code("13800138000")
        central.clock.advance(minutes=5)  # the code has expired
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.services.credentials import CREDENTIALS_FILE, DeviceCredentials, save_credentials
from sync.client import SyncClient
from sync.server import testing
from sync.server.sms import MemoryGateway
from sync.server.testing import ManualClock, ServerHandle, run_server, seed_demo, seed_members


@dataclass
class Central:
    """A running central service on a fresh SQLite file holding the demo mall and members.

    `server.stop()` / `server.start()` take it down and back up on the same port; `sms` keeps
    the texts it sent (`sms.last_code(phone)`), `clock` is its member service's time
    (`clock.advance(minutes=15)`).
    """

    server: ServerHandle
    db_url: str
    db_path: Path
    venue_id: str
    sms: MemoryGateway
    clock: ManualClock

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def mint_code(self, *, hours: float = 24) -> str:
        """A fresh one-time enrollment code for the demo venue."""
        return testing.mint_code(self.db_url, self.venue_id, hours=hours)

    def set_status(self, ticket_no: str, status: str, *, note: str | None = None) -> None:
        testing.set_status(self.db_url, ticket_no, status, note=note)

    def revoke(self, kiosk_code: str) -> int:
        return testing.revoke(self.db_url, kiosk_code)


@pytest.fixture(scope="session")
def central_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A migrated database file with the demo mall and members loaded, and the venue id; copy,
    don't use. The members' relative dates count from the day the session started."""
    path = tmp_path_factory.mktemp("central-template") / "central.sqlite3"
    venue_id = seed_demo(f"sqlite:///{path}")
    seed_members(f"sqlite:///{path}")
    return path, venue_id


@pytest.fixture
def central_db(tmp_path: Path, central_template: tuple[Path, str]) -> tuple[str, Path, str]:
    """(db_url, path, venue_id) of a fresh copy of the seeded database, no server."""
    template, venue_id = central_template
    path = tmp_path / "central.sqlite3"
    shutil.copyfile(template, path)
    return f"sqlite:///{path}", path, venue_id


@pytest.fixture
def central(central_db: tuple[str, Path, str]) -> Iterator[Central]:
    db_url, path, venue_id = central_db
    sms, clock = MemoryGateway(), ManualClock()
    with run_server(db_url, sms_gateway=sms, clock=clock) as server:
        yield Central(server, db_url, path, venue_id, sms, clock)


def enroll_data_dir(central: Central, data_dir: Path, kiosk_code: str = "K07") -> None:
    """Enroll a kiosk with `central` as `mall-kiosk enroll` would: its device token saved in
    `data_dir`."""
    with SyncClient(central.base_url) as client:
        reply = client.enroll(central.mint_code(), kiosk_code, "test")
    creds = DeviceCredentials(
        base_url=central.base_url,
        kiosk_code=reply.kiosk_code,
        venue_id=reply.venue_id,
        device_token=reply.device_token,
        enrolled_at=dt.datetime.now(dt.UTC),
    )
    save_credentials(data_dir / CREDENTIALS_FILE, creds)
