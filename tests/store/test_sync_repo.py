"""Sync state in the cache: catalog pulls applied all or nothing, cursors, ticket statuses."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.domain.imdf import ImdfError, demo_venue_path, load_venue
from kiosk.domain.venue import VenueData
from kiosk.store import models as m
from kiosk.store import pushed, sync_repo, venue_repo
from kiosk.store.db import alembic_config, create_cache_engine, migrate, open_cache
from sync.schemas import CatalogReply, PromotionDoc, StatusChange, VenueDoc

SOURCE = "sync:http://central.test"


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine, factory = open_cache(tmp_path / "cache.sqlite3")
    yield factory
    engine.dispose()


def demo_files() -> dict[str, Any]:
    return {
        p.name: json.loads(p.read_bytes())
        for p in sorted(demo_venue_path().iterdir())
        if p.suffix in (".geojson", ".json")
    }


def promo(pid: str, title: str) -> PromotionDoc:
    return PromotionDoc(
        id=pid,
        title_zh=title,
        title_en=title,
        body_zh="正文",
        body_en="body",
        starts=dt.date(2026, 1, 1),
        ends=dt.date(2026, 12, 31),
    )


def full_reply(files: dict[str, Any] | None = None, cursor: str = "c1") -> CatalogReply:
    return CatalogReply(
        cursor=cursor,
        full=True,
        venue=VenueDoc(venue_id="demo", version="v1", files=files or demo_files()),
        promotions=None,
        return_policy={"no_reason_days": 7},
        settings={"idle_timeout_s": 90},
    )


def cached_venue(sessions: sessionmaker[Session]) -> VenueData:
    with sessions() as s:
        data = venue_repo.load_venue_data(s)
    assert data is not None
    return dataclasses.replace(data, version="")


def test_full_catalog_replaces_the_venue_and_saves_the_cursor(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with sessions.begin() as s:
        applied = sync_repo.apply_catalog(s, full_reply(), SOURCE, etag='"e1"')
    assert applied.docs == ("return_policy", "settings")
    # The same venue as the demo mall imported from its files.
    engine, imported = open_cache(tmp_path / "imported.sqlite3")
    with imported.begin() as s:
        venue_repo.replace_venue(s, load_venue(demo_venue_path()), "embedded-demo")
    assert cached_venue(sessions) == cached_venue(imported)
    engine.dispose()
    with sessions() as s:
        summary = venue_repo.summary(s)
        assert summary is not None
        assert summary.source == SOURCE
        assert summary.version == applied.venue_version
        # promotions.json is one of the venue's files: its promotions come along.
        assert summary.promotions > 0
        assert sync_repo.get_state(s, sync_repo.CATALOG_CURSOR) == "c1"
        assert sync_repo.get_state(s, sync_repo.CATALOG_ETAG) == '"e1"'
        assert pushed.catalog_doc(s, "return_policy") == {"no_reason_days": 7}
        assert pushed.catalog_doc(s, "settings") == {"idle_timeout_s": 90}


def test_unusable_venue_raises_and_changes_nothing(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        sync_repo.apply_catalog(s, full_reply(), SOURCE, etag='"e1"')
    broken = demo_files()
    del broken["unit.geojson"]
    with pytest.raises(ImdfError, match=r"unit\.geojson"), sessions.begin() as s:
        sync_repo.apply_catalog(
            s, full_reply(broken, cursor="c2").model_copy(update={"promotions": []}), SOURCE
        )
    with sessions() as s:
        assert sync_repo.get_state(s, sync_repo.CATALOG_CURSOR) == "c1"
        summary = venue_repo.summary(s)
        assert summary is not None
        assert summary.promotions > 0


def test_promotions_delta_replaces_only_the_promotions(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        sync_repo.apply_catalog(s, full_reply(), SOURCE)
        before = venue_repo.summary(s)
    delta = CatalogReply(cursor="c2", full=False, promotions=[promo("p1", "新品")])
    with sessions.begin() as s:
        applied = sync_repo.apply_catalog(s, delta, SOURCE)
    assert applied.venue_version is None
    assert applied.promotions == 1
    with sessions() as s:
        assert s.scalars(select(m.Promotion.title_zh)).all() == ["新品"]
        after = venue_repo.summary(s)
        assert after is not None
        assert before is not None
        assert (after.version, after.stores) == (before.version, before.stores)
        assert sync_repo.get_state(s, sync_repo.CATALOG_CURSOR) == "c2"
        # A part the pull did not carry stays as it was.
        assert pushed.catalog_doc(s, "settings") == {"idle_timeout_s": 90}


def test_venue_delta_without_promotions_keeps_the_current_ones(
    sessions: sessionmaker[Session],
) -> None:
    files = demo_files()
    del files["promotions.json"]
    with sessions.begin() as s:
        sync_repo.apply_catalog(s, full_reply(files), SOURCE)
        sync_repo.apply_catalog(
            s, CatalogReply(cursor="c2", full=False, promotions=[promo("p1", "A")]), SOURCE
        )
    files["venue.geojson"]["features"][0]["properties"]["name"]["en"] = "Renamed Plaza"
    delta = CatalogReply(
        cursor="c3", full=False, venue=VenueDoc(venue_id="demo", version="v2", files=files)
    )
    with sessions.begin() as s:
        applied = sync_repo.apply_catalog(s, delta, SOURCE)
    assert applied.venue_version is not None
    with sessions() as s:
        summary = venue_repo.summary(s)
        assert summary is not None
        assert summary.name_en == "Renamed Plaza"
        assert s.scalars(select(m.Promotion.id)).all() == ["p1"]


def test_status_changes_never_go_back_in_time(sessions: sessionmaker[Session]) -> None:
    key = uuid.uuid4()
    t = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)

    def change(status: str, minutes: int) -> StatusChange:
        return StatusChange.model_validate(
            {
                "uuid": key,
                "ticket_no": "C-K01-0001-X",
                "status": status,
                "changed_at": t + dt.timedelta(minutes=minutes),
            }
        )

    with sessions.begin() as s:
        assert sync_repo.upsert_status(s, [change("in_progress", 5), change("received", 0)]) == 1
    with sessions.begin() as s:
        assert sync_repo.upsert_status(s, [change("acknowledged", 2)]) == 0
    with sessions() as s:
        found = sync_repo.ticket_status(s, "C-K01-0001-X")
        assert found is not None
        assert (found.status, found.changed_at) == ("in_progress", t + dt.timedelta(minutes=5))
        assert sync_repo.status_of(s, key) == "in_progress"
        assert sync_repo.ticket_status(s, "C-K01-9999-X") is None


def test_state_values_and_clearing_the_cursors(sessions: sessionmaker[Session]) -> None:
    when = dt.datetime(2026, 3, 1, 17, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    with sessions.begin() as s:
        sync_repo.set_state(s, sync_repo.CATALOG_CURSOR, "c9")
        sync_repo.set_state(s, sync_repo.STATUS_CURSOR, "s9")
        sync_repo.set_last_sync_at(s, when)
    with sessions.begin() as s:
        sync_repo.set_state(s, sync_repo.CATALOG_CURSOR, "c10")
        assert sync_repo.get_state(s, sync_repo.CATALOG_CURSOR) == "c10"
        sync_repo.clear_cursors(s)
    with sessions() as s:
        assert sync_repo.get_state(s, sync_repo.CATALOG_CURSOR) is None
        assert sync_repo.get_state(s, sync_repo.STATUS_CURSOR) is None
        assert sync_repo.last_sync_at(s) == when


def test_migration_0003_goes_down_and_up(tmp_path: Path) -> None:
    engine = create_cache_engine(tmp_path / "cache.sqlite3")
    migrate(engine)
    new = {"sync_state", "ticket_status", "catalog_docs", "outbox_token_hashes"}
    assert new <= set(inspect(engine).get_table_names())
    command.downgrade(alembic_config(engine), "0002")
    assert not new & set(inspect(engine).get_table_names())
    migrate(engine)
    assert new <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_a_promotion_listed_twice_is_refused_before_anything_is_written(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as s:
        sync_repo.apply_catalog(s, full_reply(), SOURCE)
    twice = CatalogReply(cursor="c2", full=False, promotions=[promo("p1", "A"), promo("p1", "B")])
    with pytest.raises(sync_repo.CatalogError), sessions.begin() as s:
        sync_repo.apply_catalog(s, twice, SOURCE)
    with sessions() as s:
        assert sync_repo.get_state(s, sync_repo.CATALOG_CURSOR) == "c1"
        assert "p1" not in s.scalars(select(m.Promotion.id)).all()
