"""SyncAgent against the real central service: enrollment, catalog pulls, the outbox push, status,
faults (outage, 5xx, 429, slow and lost replies) and auth — nothing lost, nothing doubled."""

from __future__ import annotations

import dataclasses
import json
import logging
import shutil
import stat
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.domain.imdf import demo_venue_path, load_venue
from kiosk.domain.venue import VenueData
from kiosk.services.sync_agent import CREDENTIALS_FILE, SyncAgent, SyncSnapshot
from kiosk.store import models as m
from kiosk.store import outbox_repo, pushed, sync_repo, venue_repo
from kiosk.store.db import open_cache
from sync.client import NO_RETRY, RetryPolicy
from sync.server import catalog as central_catalog
from sync.server.db import open_database
from sync.server.models import Promotion as CentralPromotion
from sync.server.models import Venue as CentralVenue
from tests.central import Central
from tests.sync.client.conftest import (
    KIOSK,
    AgentFactory,
    client_factory,
    server_submissions,
    server_uuids,
    submit,
)
from tests.sync.client.faults import FaultProxy, Rule


def wait_for(predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.02)


class Snapshots:
    """A listener that keeps every snapshot (called from the worker thread)."""

    def __init__(self) -> None:
        self.items: list[SyncSnapshot] = []
        self._lock = threading.Lock()

    def __call__(self, snapshot: SyncSnapshot) -> None:
        with self._lock:
            self.items.append(snapshot)

    @property
    def last(self) -> SyncSnapshot | None:
        with self._lock:
            return self.items[-1] if self.items else None


def cached_venue(sessions: sessionmaker[Session]) -> VenueData:
    with sessions() as s:
        data = venue_repo.load_venue_data(s)
    assert data is not None
    return dataclasses.replace(data, version="")


def central_venue(central: Central) -> tuple[str, list[str]]:
    """The server's venue version and promotion titles (in its order)."""
    db = open_database(central.db_url, upgrade=False)
    try:
        with db.reads() as s:
            version = s.scalar(select(CentralVenue.version))
            titles = s.scalars(
                select(CentralPromotion.title_en).order_by(CentralPromotion.position)
            )
            assert version is not None
            return version, list(titles)
    finally:
        db.dispose()


def edit_central_venue(central: Central, edit: Callable[[Path], None]) -> None:
    """Load a changed copy of the demo mall into the central service, as staff would."""
    folder = central.db_path.parent / f"venue-{time.monotonic_ns()}"
    shutil.copytree(demo_venue_path(), folder)
    edit(folder)
    db = open_database(central.db_url, upgrade=False)
    try:
        central_catalog.load_venue(db, folder)
    finally:
        db.dispose()


def rewrite_json(path: Path, change: Callable[[Any], None]) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def promotions_titled(title: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        def change(promos: list[dict[str, Any]]) -> None:
            promos[0]["title"]["en"] = title
            del promos[1:]

        rewrite_json(folder / "promotions.json", change)

    return edit


def catalog_logs(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("catalog ")]


# --- enrollment and the first sync ----------------------------------------------------------


def test_an_unenrolled_kiosk_does_not_call_out(make_agent: AgentFactory, proxy: FaultProxy) -> None:
    agent = make_agent(proxy.base_url)
    snapshot = agent.run_once()
    assert not agent.is_enrolled
    assert (snapshot.enrolled, snapshot.online) == (False, False)
    assert snapshot.last_error == "this kiosk is not enrolled yet"
    assert proxy.seen == []


def test_first_sync_applies_the_full_catalog(
    make_agent: AgentFactory,
    central: Central,
    cache: sessionmaker[Session],
    data_dir: Path,
    tmp_path: Path,
) -> None:
    agent = make_agent()
    enrollment = agent.enroll(central.mint_code())
    assert (enrollment.kiosk_code, enrollment.venue_id) == (KIOSK, central.venue_id)
    snapshot = agent.run_once()
    assert snapshot.online
    assert snapshot.last_error is None
    assert snapshot.last_sync_at is not None
    # The cache holds the server's demo mall: the same venue as importing the demo files…
    engine, imported = open_cache(tmp_path / "imported.sqlite3")
    with imported.begin() as s:
        venue_repo.replace_venue(s, load_venue(demo_venue_path()), "embedded-demo")
    assert cached_venue(cache) == cached_venue(imported)
    engine.dispose()
    # …under the server's version, with the server's promotions, labelled as synced.
    version, titles = central_venue(central)
    with cache() as s:
        summary = venue_repo.summary(s)
        assert summary is not None
        assert summary.version == version == snapshot.venue_version
        assert summary.source == f"sync:{central.base_url}"
        assert sorted(s.scalars(select(m.Promotion.title_en))) == sorted(titles)
    # The token is kept outside the cache, readable by the owner only.
    creds = data_dir / CREDENTIALS_FILE
    assert stat.S_IMODE(creds.stat().st_mode) == 0o600
    assert json.loads(creds.read_text())["device_token"]
    assert not list(data_dir.glob(".device.json*"))


def test_the_token_survives_a_rebuilt_cache(
    make_agent: AgentFactory, central: Central, data_dir: Path, tmp_path: Path
) -> None:
    make_agent().enroll(central.mint_code())
    engine, fresh = open_cache(tmp_path / "rebuilt.sqlite3")
    agent = SyncAgent(
        fresh, data_dir, central.base_url, KIOSK, "1.2.3", client_factory=client_factory()
    )
    try:
        assert agent.is_enrolled
        snapshot = agent.run_once()
        assert snapshot.online
        assert snapshot.venue_version == central_venue(central)[0]
    finally:
        agent.stop()
        engine.dispose()


def test_a_token_is_never_sent_to_another_server(
    make_agent: AgentFactory, central: Central, proxy: FaultProxy
) -> None:
    make_agent().enroll(central.mint_code())
    elsewhere = make_agent(proxy.base_url)
    assert not elsewhere.is_enrolled
    assert not elsewhere.run_once().enrolled
    assert proxy.seen == []


# --- catalog pulls ----------------------------------------------------------------------------


def test_nothing_changed_is_a_304(
    make_agent: AgentFactory, central: Central, proxy: FaultProxy
) -> None:
    agent = make_agent(proxy.base_url)
    agent.enroll(central.mint_code())
    first = agent.run_once()
    second = agent.run_once()
    assert [s.status for s in proxy.requests("/v1/catalog")] == [200, 304]
    assert second.catalog_cursor == first.catalog_cursor
    assert second.online


def test_changed_promotions_arrive_as_a_delta(
    make_agent: AgentFactory,
    central: Central,
    cache: sessionmaker[Session],
    proxy: FaultProxy,
    caplog: pytest.LogCaptureFixture,
) -> None:
    agent = make_agent(proxy.base_url)
    agent.enroll(central.mint_code())
    first = agent.run_once()
    edit_central_venue(central, promotions_titled("Spring sale"))
    db = open_database(central.db_url, upgrade=False)
    try:
        central_catalog.load_document(db, "settings", {"idle_timeout_s": 90}, central.venue_id)
    finally:
        db.dispose()
    caplog.set_level(logging.INFO, logger="kiosk.services.sync_agent")
    second = agent.run_once()
    assert second.catalog_cursor != first.catalog_cursor
    assert second.venue_version == first.venue_version
    assert "since=" in proxy.requests("/v1/catalog")[-1].path
    (applied,) = catalog_logs(caplog)
    assert "full=False venue=None promotions=1 docs=settings" in applied
    with cache() as s:
        assert s.scalars(select(m.Promotion.title_en)).all() == ["Spring sale"]
        assert pushed.catalog_doc(s, "settings") == {"idle_timeout_s": 90}


def test_a_changed_venue_replaces_the_cached_one(
    make_agent: AgentFactory, central: Central, cache: sessionmaker[Session]
) -> None:
    agent = make_agent()
    agent.enroll(central.mint_code())
    first = agent.run_once()

    def rename_first_store(folder: Path) -> None:
        def change(doc: dict[str, Any]) -> None:
            doc["features"][0]["properties"]["name"]["en"] = "Renamed Store"

        rewrite_json(folder / "occupant.geojson", change)

    edit_central_venue(central, rename_first_store)
    second = agent.run_once()
    assert second.venue_version != first.venue_version
    assert second.venue_version == central_venue(central)[0]
    with cache() as s:
        assert "Renamed Store" in s.scalars(select(m.Store.name_en)).all()
        # The promotions did not change: still there.
        assert len(s.scalars(select(m.Promotion.id)).all()) == len(central_venue(central)[1])


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"cursor": "x", "full": true, "venue": {"venue_id": 1}}',
        # Valid as a reply, but the venue in it cannot be parsed: unit.geojson is missing.
        json.dumps(
            {
                "cursor": "x.99",
                "full": True,
                "venue": {
                    "venue_id": "v",
                    "version": "bad",
                    "files": {
                        "venue.geojson": {"type": "FeatureCollection", "features": []},
                    },
                },
                "promotions": [],
            }
        ).encode(),
    ],
    ids=["bad-json", "wrong-schema", "unparseable-venue"],
)
def test_a_malformed_catalog_never_reaches_the_cache(
    make_agent: AgentFactory,
    central: Central,
    cache: sessionmaker[Session],
    proxy: FaultProxy,
    body: bytes,
) -> None:
    agent = make_agent(proxy.base_url)
    agent.enroll(central.mint_code())
    first = agent.run_once()
    before = cached_venue(cache)
    proxy.add(Rule("/v1/catalog", "status", status=200, body=body))
    (uuid,) = submit(cache)
    snapshot = agent.run_once()
    assert snapshot.last_error is not None
    assert snapshot.online  # the rest of the sync went through
    assert snapshot.queue_depth == 0
    assert uuid in server_uuids(central)
    assert snapshot.catalog_cursor == first.catalog_cursor
    assert snapshot.venue_version == first.venue_version
    assert cached_venue(cache) == before
    with cache() as s:
        assert len(s.scalars(select(m.Promotion.id)).all()) == len(central_venue(central)[1])
    # Once the service answers properly again the error clears.
    proxy.clear()
    assert agent.run_once().last_error is None


def test_a_cursor_too_old_gets_a_full_snapshot(
    make_agent: AgentFactory,
    central: Central,
    cache: sessionmaker[Session],
    caplog: pytest.LogCaptureFixture,
) -> None:
    agent = make_agent()
    agent.enroll(central.mint_code())
    agent.run_once()
    edit_central_venue(central, promotions_titled("A"))
    edit_central_venue(central, promotions_titled("B"))
    db = open_database(central.db_url, upgrade=False)
    try:
        with db.write() as s:
            venue = s.get(CentralVenue, central.venue_id)
            assert venue is not None
            central_catalog.prune_changes(s, venue, keep=1)  # the kiosk's cursor is forgotten
    finally:
        db.dispose()
    caplog.set_level(logging.INFO, logger="kiosk.services.sync_agent")
    snapshot = agent.run_once()
    (applied,) = catalog_logs(caplog)
    assert "full=True" in applied
    assert snapshot.venue_version == central_venue(central)[0]
    with cache() as s:
        assert s.scalars(select(m.Promotion.title_en)).all() == ["B"]


# --- the outbox -------------------------------------------------------------------------------


def test_a_replayed_push_is_a_duplicate_and_stored_once(
    make_agent: AgentFactory, central: Central, cache: sessionmaker[Session]
) -> None:
    agent = make_agent()
    agent.enroll(central.mint_code())
    uuids = submit(cache, 5)
    with cache() as s:
        saved = outbox_repo.pending(s, 10)
    assert agent.run_once().queue_depth == 0
    # As if the acknowledgement had been lost: the same rows are back in the outbox.
    with cache.begin() as s:
        for e in saved:
            outbox_repo.add(
                s,
                uuid=e.uuid,
                kind=e.kind,
                ticket_no=e.ticket_no,
                payload=e.payload,
                token_sha256=e.token_sha256,
                created_at=e.created_at,
            )
    snapshot = agent.run_once()
    assert (snapshot.queue_depth, snapshot.rejected_count) == (0, 0)
    assert sorted(server_uuids(central)) == sorted(uuids)


def test_the_outbox_goes_oldest_first_in_batches_of_100(
    make_agent: AgentFactory, central: Central, cache: sessionmaker[Session], proxy: FaultProxy
) -> None:
    agent = make_agent(proxy.base_url)
    agent.enroll(central.mint_code())
    uuids = submit(cache, 250)
    snapshot = agent.run_once()
    assert snapshot.queue_depth == 0
    posts = proxy.requests("/v1/submissions", "POST")
    batches = [[i["uuid"] for i in json.loads(p.body)["items"]] for p in posts]
    assert [len(b) for b in batches] == [100, 100, 50]
    assert [u for b in batches for u in b] == uuids
    stored = server_submissions(central)
    assert sorted(str(s.uuid) for s in stored) == sorted(uuids)
    assert all(s.kiosk_code == KIOSK for s in stored)


def test_rejected_items_are_kept_aside_and_the_rest_goes_through(
    make_agent: AgentFactory, central: Central, cache: sessionmaker[Session]
) -> None:
    agent = make_agent()
    agent.enroll(central.mint_code())
    good = submit(cache, 2)
    (too_long,) = submit(cache, text="x" * 5000)  # over the server's text limit
    (too_many_keys,) = submit(cache, **{f"k{i}": i for i in range(70)})  # refused on the kiosk
    more = submit(cache, 1)
    snapshot = agent.run_once()
    assert (snapshot.queue_depth, snapshot.rejected_count) == (0, 2)
    assert sorted(server_uuids(central)) == sorted(good + more)
    with cache() as s:
        reasons = {e.uuid: e.last_error or "" for e in outbox_repo.rejected(s)}
    assert set(reasons) == {too_long, too_many_keys}
    assert "4000" in reasons[too_long]
    assert "not sent" in reasons[too_many_keys]
    # Set aside, not retried.
    assert agent.run_once().rejected_count == 2


def test_a_batch_too_big_for_the_server_is_split_not_lost(
    make_agent: AgentFactory, central: Central, cache: sessionmaker[Session], proxy: FaultProxy
) -> None:
    agent = make_agent(proxy.base_url)
    agent.enroll(central.mint_code())
    # 40 × ~50 KB is over the server's 1 MiB request limit; 20 of them fit.
    uuids = submit(cache, 40, text="x" * 3900, **{f"f{i}": "y" * 3900 for i in range(12)})
    snapshot = agent.run_once()
    assert (snapshot.queue_depth, snapshot.rejected_count) == (0, 0)
    assert [s.status for s in proxy.requests("/v1/submissions")] == [413, 200, 200]
    assert sorted(server_uuids(central)) == sorted(uuids)


def test_status_changes_come_back(
    make_agent: AgentFactory, central: Central, cache: sessionmaker[Session]
) -> None:
    agent = make_agent()
    agent.enroll(central.mint_code())
    submit(cache, 1)
    agent.run_once()
    with cache() as s:
        (row,) = s.scalars(select(m.TicketStatus)).all()
        assert row.status == "received"
    central.set_status(row.ticket_no, "in_progress", note="技术员已出发")
    agent.run_once()
    with cache() as s:
        found = sync_repo.ticket_status(s, row.ticket_no)
    assert found is not None
    assert (found.status, found.note) == ("in_progress", "技术员已出发")


# --- faults -----------------------------------------------------------------------------------


def test_an_outage_is_ridden_out_and_the_agent_catches_up(
    make_agent: AgentFactory, central: Central, cache: sessionmaker[Session]
) -> None:
    snapshots = Snapshots()
    agent = make_agent(interval_s=0.2, backoff_base_s=0.05, backoff_cap_s=0.4, listener=snapshots)
    agent.enroll(central.mint_code())
    before = submit(cache, 3)
    agent.start()
    wait_for(lambda: (s := snapshots.last) is not None and s.online and s.queue_depth == 0)
    central.server.stop()
    during = submit(cache, 4)
    agent.trigger()
    # A cycle may fail between the stop and the four new rows; wait for one that counts them.
    wait_for(lambda: (s := snapshots.last) is not None and not s.online and s.queue_depth == 4)
    offline = snapshots.last
    assert offline is not None
    assert offline.last_error is not None
    time.sleep(0.5)  # a few failed tries, backing off
    central.server.start()
    wait_for(lambda: (s := snapshots.last) is not None and s.online and s.queue_depth == 0)
    assert agent.stop(timeout=10)
    assert sorted(server_uuids(central)) == sorted(before + during)
    assert snapshots.last is not None
    assert snapshots.last.last_error is None


def test_server_errors_keep_the_rows_until_the_server_recovers(
    make_agent: AgentFactory, central: Central, cache: sessionmaker[Session], proxy: FaultProxy
) -> None:
    agent = make_agent(proxy.base_url)
    agent.enroll(central.mint_code())
    uuids = submit(cache, 3)
    proxy.add(Rule("/v1/submissions", "status", status=500, body=b"{}", times=4))
    failed = agent.run_once()
    assert not failed.online
    assert failed.queue_depth == 3
    assert failed.last_error is not None
    assert "500" in failed.last_error
    with cache() as s:
        assert {e.attempts for e in outbox_repo.pending(s, 10)} == {1}
    recovered = agent.run_once()  # one more 500, then through
    assert (recovered.online, recovered.queue_depth) == (True, 0)
    assert sorted(server_uuids(central)) == sorted(uuids)


def test_the_worker_waits_as_long_as_retry_after_says(
    make_agent: AgentFactory, central: Central, cache: sessionmaker[Session], proxy: FaultProxy
) -> None:
    snapshots = Snapshots()
    impatient = RetryPolicy(attempts=3, base_s=0.01, cap_s=0.02, total_s=0.5)
    agent = make_agent(
        proxy.base_url,
        client_factory=client_factory(retries=impatient),
        interval_s=0.1,
        backoff_base_s=0.01,
        backoff_cap_s=0.02,
        listener=snapshots,
    )
    agent.enroll(central.mint_code())
    uuids = submit(cache, 2)
    proxy.add(Rule("/v1/submissions", "status", status=429, headers={"Retry-After": "1"}, times=1))
    agent.start()
    wait_for(lambda: (s := snapshots.last) is not None and s.queue_depth == 0 and s.online)
    assert agent.stop(timeout=10)
    first, second = proxy.requests("/v1/submissions")[:2]
    assert first.status == 429
    assert second.at - first.at >= 1.0
    assert sorted(server_uuids(central)) == sorted(uuids)
    assert any("slow down" in (s.last_error or "") for s in snapshots.items)


def test_a_reply_slower_than_the_timeout_is_retried_without_doubling(
    make_agent: AgentFactory, central: Central, cache: sessionmaker[Session], proxy: FaultProxy
) -> None:
    agent = make_agent(
        proxy.base_url, client_factory=client_factory(timeout=(1.0, 0.3), retries=NO_RETRY)
    )
    agent.enroll(central.mint_code())
    uuids = submit(cache, 3)
    proxy.add(Rule("/v1/submissions", "delay", delay_s=0.5, times=1))
    slow = agent.run_once()
    assert not slow.online
    assert slow.queue_depth == 3
    assert "in time" in (slow.last_error or "")
    wait_for(lambda: len(server_uuids(central)) == 3)  # the server did get it, late
    assert agent.run_once().queue_depth == 0
    assert sorted(server_uuids(central)) == sorted(uuids)


def test_a_connection_dropped_after_the_server_committed_ends_in_duplicate(
    make_agent: AgentFactory, central: Central, cache: sessionmaker[Session], proxy: FaultProxy
) -> None:
    agent = make_agent(proxy.base_url, client_factory=client_factory(retries=NO_RETRY))
    agent.enroll(central.mint_code())
    uuids = submit(cache, 4)
    proxy.add(Rule("/v1/submissions", "drop", times=1))
    dropped = agent.run_once()
    assert (dropped.online, dropped.queue_depth) == (False, 4)
    assert sorted(server_uuids(central)) == sorted(uuids)  # committed, never acknowledged
    assert agent.run_once().queue_depth == 0
    first, second = proxy.requests("/v1/submissions")
    assert (first.outcome, second.status) == ("dropped", 200)
    assert first.body == second.body  # the very same batch, answered "duplicate"
    assert sorted(server_uuids(central)) == sorted(uuids)


# --- auth -------------------------------------------------------------------------------------


def test_a_revoked_token_shows_in_the_snapshot_until_enrolled_again(
    make_agent: AgentFactory, central: Central, cache: sessionmaker[Session]
) -> None:
    agent = make_agent()
    agent.enroll(central.mint_code())
    agent.run_once()
    central.revoke(KIOSK)
    uuids = submit(cache, 2)
    refused = agent.run_once()
    assert refused.auth_failed
    assert refused.online
    assert refused.queue_depth == 2
    assert "enrolled again" in (refused.last_error or "")
    agent.enroll(central.mint_code())
    again = agent.run_once()
    assert (again.auth_failed, again.queue_depth, again.last_error) == (False, 0, None)
    assert sorted(server_uuids(central)) == sorted(uuids)


# --- the worker -------------------------------------------------------------------------------


def test_trigger_syncs_now_and_stop_joins_the_worker(
    make_agent: AgentFactory, central: Central, cache: sessionmaker[Session]
) -> None:
    snapshots = Snapshots()
    agent = make_agent(interval_s=3600, listener=snapshots)
    agent.enroll(central.mint_code())
    agent.start()
    agent.start()  # already running: no second worker
    wait_for(lambda: len(snapshots.items) >= 1)
    assert sum(t.name == "sync-agent" for t in threading.enumerate()) == 1
    uuids = submit(cache, 1)
    agent.trigger()
    wait_for(lambda: uuids[0] in server_uuids(central), timeout=5)
    assert agent.stop(timeout=10)
    assert not any(t.name == "sync-agent" for t in threading.enumerate())
    assert agent.stop(timeout=1)  # stopping twice is harmless


def test_a_venue_loaded_over_the_synced_one_is_replaced_by_a_full_pull(
    make_agent: AgentFactory, central: Central, cache: sessionmaker[Session]
) -> None:
    agent = make_agent()
    agent.enroll(central.mint_code())
    synced = agent.run_once()
    # As the start-up venue loader would do: the embedded demo over the synced venue.
    with cache.begin() as s:
        venue_repo.replace_venue(s, load_venue(demo_venue_path()), "embedded-demo")
    again = agent.run_once()
    assert again.venue_version == synced.venue_version
    with cache() as s:
        assert sync_repo.venue_source(s) == f"sync:{central.base_url}"


def test_stop_does_not_wait_out_the_clients_retries(
    make_agent: AgentFactory, central: Central, cache: sessionmaker[Session], proxy: FaultProxy
) -> None:
    patient = RetryPolicy(attempts=10, base_s=5.0, cap_s=30.0, total_s=120.0)
    agent = make_agent(proxy.base_url, client_factory=client_factory(retries=patient))
    agent.enroll(central.mint_code())
    submit(cache, 1)
    proxy.add(Rule("/v1/submissions", "status", status=503, headers={"Retry-After": "20"}))
    agent.start()
    wait_for(lambda: len(proxy.requests("/v1/submissions")) == 1)
    started = time.monotonic()
    assert agent.stop(timeout=15)
    assert time.monotonic() - started < 10  # not the 20 s the server asked for
    with cache() as s:
        assert outbox_repo.depth(s) == 1


def test_run_once_still_syncs_after_the_worker_stopped(
    make_agent: AgentFactory, central: Central, cache: sessionmaker[Session]
) -> None:
    agent = make_agent(interval_s=3600)
    agent.enroll(central.mint_code())
    agent.start()
    assert agent.stop(timeout=10)
    uuids = submit(cache, 2)
    assert agent.run_once().queue_depth == 0
    assert sorted(server_uuids(central)) == sorted(uuids)
