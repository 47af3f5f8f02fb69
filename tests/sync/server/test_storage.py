"""Storage on each supported database: SQLite, and PostgreSQL when a server can be started.

The same migrations and code run on both; these tests call the storage functions directly, plus
one HTTP round trip per backend.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError

from kiosk.domain.imdf import demo_venue_path
from sync.schemas import EnrollRequest, MemberCard, SubmissionBatch, SubmissionIn
from sync.server import devices, followup, submissions
from sync.server.catalog import build_reply, catalog_head, load_venue
from sync.server.db import Database, alembic_config, open_database
from sync.server.devices import DeviceIdentity, EnrollmentRefusedError
from sync.server.members import MemberPolicy, MemberRefusedError, MemberService
from sync.server.models import (
    Base,
    MemberScanMiss,
    SatisfactionRating,
    StatusEvent,
    Submission,
)
from sync.server.sms import MemoryGateway
from sync.server.testing import ManualClock, mint_code, run_server, seed_demo, seed_members
from tests.sync.server.conftest import TIMEOUT


@pytest.fixture
def db(storage_url: str) -> Iterator[Database]:
    database = open_database(storage_url)
    yield database
    database.dispose()


def item(kiosk: str, n: int, **overrides: object) -> SubmissionIn:
    fields: dict[str, object] = {
        "uuid": uuid.uuid4(),
        "kind": "feedback",
        "ticket_no": f"F-{kiosk}-{n:05d}-X",
        "created_at": dt.datetime.now(dt.UTC),
        "token_sha256": "0" * 64,
        "payload": {"n": n, "text": "很好 great"},
    }
    fields.update(overrides)
    return SubmissionIn.model_validate(fields)


def enrolled(db: Database, venue_id: str, kiosk: str) -> DeviceIdentity:
    code = devices.mint_enrollment_code(db, venue_id)
    reply = devices.enroll(db, EnrollRequest(code=code, kiosk_code=kiosk, app_version="1"))
    device = devices.authenticate(db, reply.device_token)
    assert device is not None
    return device


def test_migrations_match_the_models_and_are_idempotent(storage_url: str) -> None:
    first = open_database(storage_url)
    first.dispose()
    database = open_database(storage_url)
    with database.engine.connect() as con:
        assert compare_metadata(MigrationContext.configure(con), Base.metadata) == []
        assert set(Base.metadata.tables) <= set(inspect(con).get_table_names())
    database.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path}/central.sqlite3")
    with database.engine.connect() as con:
        assert con.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert con.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert con.execute(text("PRAGMA busy_timeout")).scalar() == 10000
    database.dispose()


def test_venue_enrollment_submissions_and_status(db: Database) -> None:
    venue_id = load_venue(db, demo_venue_path()).venue_id
    with db.reads() as session:
        head = catalog_head(session, venue_id)
        full = build_reply(session, head, None)
    assert full.full
    assert full.venue is not None
    assert full.promotions
    assert full.venue.files["venue.geojson"]["features"][0]["id"] == venue_id

    code = devices.mint_enrollment_code(db, venue_id)
    request = EnrollRequest(code=code, kiosk_code="K07", app_version="1")
    token = devices.enroll(db, request).device_token
    with pytest.raises(EnrollmentRefusedError):
        devices.enroll(db, request)
    device = devices.authenticate(db, token)
    assert device is not None
    assert device.kiosk_code == "K07"

    items = [item("K07", n) for n in range(3)]
    reply = submissions.store_batch(db, device, SubmissionBatch(items=items))
    assert [r.status for r in reply.results] == ["accepted"] * 3
    again = submissions.store_batch(db, device, SubmissionBatch(items=items))
    assert [r.status for r in again.results] == ["duplicate"] * 3
    with db.reads() as session:
        row = session.get(Submission, items[0].uuid)
    assert row is not None
    assert row.payload == {"n": 0, "text": "很好 great"}
    assert row.created_at == items[0].created_at

    submissions.set_status(db, items[1].ticket_no, "in_progress", note="跟进中")
    pulled = submissions.status_since(db, device, None)
    assert [(c.ticket_no, c.status) for c in pulled.changes][-1] == (
        items[1].ticket_no,
        "in_progress",
    )
    assert pulled.changes[-1].note == "跟进中"
    assert submissions.status_since(db, device, pulled.cursor).changes == []

    assert devices.revoke(db, "K07") == 1
    assert devices.authenticate(db, token) is None


def test_concurrent_batches_store_each_item_once_in_cursor_order(db: Database) -> None:
    venue_id = load_venue(db, demo_venue_path()).venue_id
    kiosks = [enrolled(db, venue_id, f"K{n}") for n in range(4)]
    batches = {k.kiosk_code: [item(k.kiosk_code, n) for n in range(60)] for k in kiosks}

    def push(device: DeviceIdentity) -> None:
        mine = batches[device.kiosk_code]
        for start in range(0, 60, 20):
            # Each batch overlaps the previous one, as a retry after a lost answer would.
            chunk = mine[max(0, start - 10) : start + 20]
            submissions.store_batch(db, device, SubmissionBatch(items=chunk))

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(push, kiosks))
    with db.reads() as session:
        stored = session.scalars(select(Submission.uuid)).all()
        events = session.execute(select(StatusEvent.seq, StatusEvent.kiosk_code)).all()
    assert len(stored) == len(set(stored)) == 240
    assert len(events) == 240
    for device in kiosks:
        pulled = submissions.status_since(db, device, None)
        assert {c.uuid for c in pulled.changes} == {i.uuid for i in batches[device.kiosk_code]}


def test_an_http_round_trip(storage_url: str) -> None:
    venue_id = seed_demo(storage_url)
    with run_server(storage_url) as server:
        enrolled_reply = requests.post(
            f"{server.base_url}/v1/enroll",
            json={
                "code": mint_code(storage_url, venue_id),
                "kiosk_code": "K07",
                "app_version": "1",
            },
            timeout=TIMEOUT,
        )
        headers = {"Authorization": f"Bearer {enrolled_reply.json()['device_token']}"}
        catalog = requests.get(f"{server.base_url}/v1/catalog", headers=headers, timeout=TIMEOUT)
        assert catalog.status_code == 200
        assert catalog.json()["full"] is True
        new = item("K07", 1).model_dump(mode="json")
        pushed = requests.post(
            f"{server.base_url}/v1/submissions",
            json={"items": [new]},
            headers=headers,
            timeout=TIMEOUT,
        )
        assert pushed.json()["results"][0]["status"] == "accepted"
        status = requests.get(f"{server.base_url}/v1/status", headers=headers, timeout=TIMEOUT)
        assert [c["status"] for c in status.json()["changes"]] == ["received"]
        beat = {"app_version": "2", "queue_depth": 3, "printer_state": "ok", "free_disk_bytes": 9}
        assert requests.post(
            f"{server.base_url}/v1/heartbeat", json=beat, headers=headers, timeout=TIMEOUT
        ).ok
    database = open_database(storage_url)
    with database.reads() as session:
        (device,) = devices.list_devices(session)
    database.dispose()
    assert (device.app_version, device.queue_depth) == ("2", 3)


def test_the_members_migration_goes_down_and_up_again(storage_url: str) -> None:
    database = open_database(storage_url)
    config = alembic_config(database.engine)
    try:
        command.downgrade(config, "0001")
        with database.engine.connect() as con:
            tables = set(inspect(con).get_table_names())
        assert "venues" in tables
        assert not {"members", "points_entries", "sms_challenges", "server_secrets"} & tables
        command.upgrade(config, "head")
        with database.engine.connect() as con:
            assert compare_metadata(MigrationContext.configure(con), Base.metadata) == []
    finally:
        database.dispose()


def test_the_scan_misses_migration_goes_down_and_up_again(storage_url: str) -> None:
    database = open_database(storage_url)
    config = alembic_config(database.engine)
    try:
        command.downgrade(config, "0002")
        with database.engine.connect() as con:
            tables = set(inspect(con).get_table_names())
        assert "member_scan_misses" not in tables
        assert {"members", "sms_challenges"} <= tables
        command.upgrade(config, "head")
        with database.engine.connect() as con:
            assert compare_metadata(MigrationContext.configure(con), Base.metadata) == []
    finally:
        database.dispose()


def test_the_satisfaction_migration_goes_down_and_up_again(storage_url: str) -> None:
    database = open_database(storage_url)
    config = alembic_config(database.engine)
    try:
        command.downgrade(config, "0003")
        with database.engine.connect() as con:
            tables = set(inspect(con).get_table_names())
        assert "satisfaction_ratings" not in tables
        assert {"submissions", "member_scan_misses"} <= tables
        command.upgrade(config, "head")
        with database.engine.connect() as con:
            assert compare_metadata(MigrationContext.configure(con), Base.metadata) == []
    finally:
        database.dispose()


def test_a_shopper_withdraws_and_rates_on_each_backend(db: Database) -> None:
    venue_id = load_venue(db, demo_venue_path()).venue_id
    device = enrolled(db, venue_id, "K07")
    token = "Qv3x7LbE0c9y-_AbCdEfGhIjKlMnOpQrStUvWxYz012"
    sha = hashlib.sha256(token.encode()).hexdigest()
    first, second = item("K07", 1, token_sha256=sha), item("K07", 2, token_sha256=sha)
    submissions.store_batch(db, device, SubmissionBatch(items=[first, second]))
    tickets = followup.Tickets(db)
    view = tickets.find(first.ticket_no.lower(), token)
    assert view is not None
    assert (view.ticket_no, view.status, view.can_withdraw) == (first.ticket_no, "received", True)
    assert tickets.find(first.ticket_no, token[:-1]) is None

    assert tickets.withdraw(first.ticket_no, token) is followup.FollowUp.DONE
    assert tickets.withdraw(first.ticket_no, token) is followup.FollowUp.NOT_NOW
    pulled = submissions.status_since(db, device, None)
    assert [(c.ticket_no, c.status) for c in pulled.changes][-1] == (first.ticket_no, "withdrawn")

    assert tickets.rate(second.ticket_no, token, 5, None) is followup.FollowUp.NOT_NOW
    submissions.set_status(db, second.ticket_no, "closed")
    assert tickets.rate(second.ticket_no, token, 5, "很好") is followup.FollowUp.DONE
    assert tickets.rate(second.ticket_no, token, 1, None) is followup.FollowUp.ALREADY
    assert [(r.ticket_no, r.rating, r.comment) for r in followup.ratings(db)] == [
        (second.ticket_no, 5, "很好")
    ]
    with pytest.raises(IntegrityError), db.write() as session:
        session.execute(
            insert(SatisfactionRating).values(
                submission_uuid=first.uuid, rating=6, rated_at=dt.datetime.now(dt.UTC)
            )
        )


def test_concurrent_misses_in_two_server_processes_never_pass_the_cap(storage_url: str) -> None:
    # Two member services on engines of their own, as two worker processes would have.
    policy, clock = MemberPolicy(max_scan_misses_per_hour=10), ManualClock()
    databases = [open_database(storage_url) for _ in range(2)]
    services = [MemberService(db, None, policy, clock) for db in databases]
    device = DeviceIdentity(id=1, kiosk_code="K07", venue_id="none")

    def scan(n: int) -> str:
        # No member is loaded: every code misses.
        with pytest.raises(MemberRefusedError) as refused:
            services[n % 2].scan(device, f"88600000{n:04d}")
        return refused.value.code

    try:
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(scan, range(40)))
        with databases[0].reads() as session:
            stored = session.scalar(select(func.count()).select_from(MemberScanMiss))
    finally:
        for database in databases:
            database.dispose()
    assert answers.count("member_not_found") == 10
    assert answers.count("too_many_lookups") == 30
    assert stored == 10


def test_members_over_http(storage_url: str) -> None:
    venue_id = seed_demo(storage_url)
    seed_members(storage_url)
    seed_members(storage_url)  # loading again replaces, on every backend
    sms, clock = MemoryGateway(), ManualClock()
    with run_server(storage_url, sms_gateway=sms, clock=clock) as server:
        enrolled = requests.post(
            f"{server.base_url}/v1/enroll",
            json={
                "code": mint_code(storage_url, venue_id),
                "kiosk_code": "K07",
                "app_version": "1",
            },
            timeout=TIMEOUT,
        )
        headers = {"Authorization": f"Bearer {enrolled.json()['device_token']}"}

        def post(path: str, body: dict[str, str]) -> requests.Response:
            return requests.post(
                f"{server.base_url}/v1/members/{path}", json=body, headers=headers, timeout=TIMEOUT
            )

        scanned = post("scan", {"code": "886000000001"})
        assert scanned.status_code == 200
        card = MemberCard.model_validate(scanned.json())
        assert card.coupons
        assert card.expiring
        assert post("sms", {"phone": "13800138000"}).status_code == 200
        code = sms.last_code("13800138000")
        other = f"{(int(code) + 1) % 1_000_000:06d}"
        wrong = post("verify", {"phone": "13800138000", "code": other})
        assert wrong.json()["attempts_left"] == 4
        right = post("verify", {"phone": "13800138000", "code": code})
        assert right.status_code == 200
        assert MemberCard.model_validate(right.json()) == card
        assert post("verify", {"phone": "13800138000", "code": code}).status_code == 410
        clock.advance(seconds=60)
        assert post("sms", {"phone": "13800138000"}).status_code == 200
        for _ in range(4):
            post("verify", {"phone": "13800138000", "code": other})
        assert post("verify", {"phone": "13800138000", "code": other}).status_code == 423
