"""Enrollment, device tokens and heartbeats, over HTTP against the real server."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import requests
from sqlalchemy import select

from sync.schemas import EnrollReply, ErrorReply, HeartbeatReply
from sync.server.db import open_database
from sync.server.models import Device, EnrollmentCode
from tests.central import Central
from tests.sync.server.conftest import TIMEOUT, Kiosk, enroll_kiosk


def _enroll(central: Central, code: str, kiosk_code: str = "K07") -> requests.Response:
    return requests.post(
        f"{central.base_url}/v1/enroll",
        json={"code": code, "kiosk_code": kiosk_code, "app_version": "1.0.0"},
        timeout=TIMEOUT,
    )


def _stored_text(central: Central) -> str:
    """Everything in the database files, WAL included."""
    parts = [central.db_path, central.db_path.with_name(central.db_path.name + "-wal")]
    return b"".join(p.read_bytes() for p in parts if p.exists()).decode("latin-1")


def _devices(central: Central) -> list[Device]:
    db = open_database(central.db_url)
    try:
        with db.reads() as session:
            return list(session.scalars(select(Device).order_by(Device.id)))
    finally:
        db.dispose()


# --- enrollment -------------------------------------------------------------------------------


def test_a_good_code_gives_a_token_that_is_stored_only_hashed(central: Central) -> None:
    reply = _enroll(central, central.mint_code())
    assert reply.status_code == 200
    enrolled = EnrollReply.model_validate(reply.json())
    assert enrolled.kiosk_code == "K07"
    assert enrolled.venue_id == central.venue_id
    assert len(enrolled.device_token) >= 43
    (device,) = _devices(central)
    assert device.token_sha256 == hashlib.sha256(enrolled.device_token.encode()).hexdigest()
    assert enrolled.device_token not in _stored_text(central)


def test_codes_are_typed_loosely_and_stored_only_hashed(central: Central) -> None:
    code = central.mint_code()
    assert code.replace("-", "") not in _stored_text(central)
    typed = code.replace("-", " ").lower()
    assert _enroll(central, typed).status_code == 200


def test_a_code_works_once(central: Central) -> None:
    code = central.mint_code()
    assert _enroll(central, code, "K01").status_code == 200
    reply = _enroll(central, code, "K02")
    assert reply.status_code == 403
    error = ErrorReply.model_validate(reply.json())
    assert error.error == "enrollment_refused"


def test_an_expired_code_is_refused(central: Central) -> None:
    code = central.mint_code(hours=1)
    db = open_database(central.db_url)
    with db.write() as session:
        for row in session.scalars(select(EnrollmentCode)):
            row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    db.dispose()
    reply = _enroll(central, code)
    assert reply.status_code == 403
    assert ErrorReply.model_validate(reply.json()).error == "enrollment_refused"


def test_a_wrong_code_is_refused_like_a_used_one(central: Central) -> None:
    used = central.mint_code()
    _enroll(central, used, "K01")
    wrong = _enroll(central, "ABCD-EFGH-JKMN")
    again = _enroll(central, used)
    assert wrong.status_code == again.status_code == 403
    assert wrong.json() == again.json()


def test_a_malformed_enrollment_is_a_readable_422(central: Central) -> None:
    reply = _enroll(central, central.mint_code(), kiosk_code="k 7")
    assert reply.status_code == 422
    error = ErrorReply.model_validate(reply.json())
    assert error.error == "invalid_request"
    assert "kiosk_code" in error.message


def test_re_enrolling_a_kiosk_revokes_its_previous_token(central: Central) -> None:
    old = enroll_kiosk(central, "K07")
    new = enroll_kiosk(central, "K07")
    assert old.get("/v1/status").status_code == 401
    assert new.get("/v1/status").status_code == 200
    devices = _devices(central)
    assert [d.revoked_at is None for d in devices] == [False, True]
    old.close()
    new.close()


# --- authentication ---------------------------------------------------------------------------


def test_no_token_is_401(central: Central) -> None:
    reply = requests.get(f"{central.base_url}/v1/catalog", timeout=TIMEOUT)
    assert reply.status_code == 401
    assert reply.headers["WWW-Authenticate"] == "Bearer"
    assert ErrorReply.model_validate(reply.json()).error == "unauthorized"


def test_another_scheme_is_401(central: Central, kiosk: Kiosk) -> None:
    reply = requests.get(
        f"{central.base_url}/v1/status",
        headers={"Authorization": f"Basic {kiosk.token}"},
        timeout=TIMEOUT,
    )
    assert reply.status_code == 401


def test_unknown_and_revoked_tokens_get_the_same_401(central: Central, kiosk: Kiosk) -> None:
    assert kiosk.get("/v1/status").status_code == 200
    unknown = requests.get(
        f"{central.base_url}/v1/status",
        headers={"Authorization": "Bearer not-a-token"},
        timeout=TIMEOUT,
    )
    assert central.revoke("K07") == 1
    revoked = kiosk.get("/v1/status")
    assert unknown.status_code == revoked.status_code == 401
    assert unknown.json() == revoked.json()
    for path in ("/v1/catalog", "/v1/status"):
        assert kiosk.get(path).status_code == 401
    assert kiosk.post("/v1/submissions", json={"items": [kiosk.item()]}).status_code == 401


# --- heartbeat --------------------------------------------------------------------------------


def test_heartbeat_is_recorded(central: Central, enroll: Callable[[str], Kiosk]) -> None:
    kiosk = enroll("K07")
    last_sync = dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC)
    before = dt.datetime.now(dt.UTC)
    reply = kiosk.post(
        "/v1/heartbeat",
        json={
            "app_version": "1.2.3",
            "queue_depth": 17,
            "last_sync_at": last_sync.isoformat(),
            "printer_state": "paper_out",
            "free_disk_bytes": 5_000_000_000,
        },
    )
    assert reply.status_code == 200
    server_time = HeartbeatReply.model_validate(reply.json()).server_time
    assert abs(server_time - before) < dt.timedelta(seconds=5)
    (device,) = _devices(central)
    assert device.app_version == "1.2.3"
    assert device.queue_depth == 17
    assert device.printer_state == "paper_out"
    assert device.free_disk == 5_000_000_000
    assert device.last_sync_at == last_sync
    assert device.last_seen is not None
    assert device.last_seen >= before - dt.timedelta(seconds=1)


def test_a_bad_heartbeat_is_422(kiosk: Kiosk) -> None:
    reply = kiosk.post(
        "/v1/heartbeat",
        json={"app_version": "1", "queue_depth": -1, "printer_state": "ok", "free_disk_bytes": 1},
    )
    assert reply.status_code == 422
    assert "queue_depth" in ErrorReply.model_validate(reply.json()).message
