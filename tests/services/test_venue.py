"""Loading venue data into a real SQLite cache: the demo mall, reloads, and bad sources."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.domain.categories import STORE_CATEGORIES
from kiosk.domain.imdf import demo_venue_path, load_venue
from kiosk.services.promotions import PromotionService
from kiosk.services.venue import VenueLoadError, VenueService
from kiosk.store import models as m
from kiosk.store.db import open_cache


@pytest.fixture
def sessions(tmp_path: Path) -> sessionmaker[Session]:
    engine, factory = open_cache(tmp_path / "cache.sqlite3")
    yield factory
    engine.dispose()


def count(sessions: sessionmaker[Session], model: type[m.Base]) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_demo_mall_loads_and_counts_match_the_data(sessions: sessionmaker[Session]) -> None:
    data = load_venue(demo_venue_path())
    summary = VenueService(sessions).ensure_loaded()
    assert summary.version == data.version
    assert summary.levels == len(data.levels) >= 6
    assert summary.stores == len(data.occupants) >= 150
    assert summary.facilities == len(data.amenities)
    assert summary.promotions == len(data.promotions)
    assert count(sessions, m.Unit) == len(data.units)
    assert count(sessions, m.Opening) == len(data.openings)
    assert count(sessions, m.KioskPosition) == len(data.kiosks)
    assert count(sessions, m.Category) == len(STORE_CATEGORIES)
    with sessions() as s:
        shorts = s.scalars(select(m.Level.short_en).order_by(m.Level.ordinal)).all()
        assert list(shorts) == ["B2", "B1", "1F", "2F", "3F", "4F"]
        cats = set(s.scalars(select(m.Store.category).distinct()))
        assert {c.code for c in STORE_CATEGORIES} <= cats
        facility_kinds = set(s.scalars(select(m.Facility.category).distinct()))
    for needed in ("elevator", "escalator", "stairs", "atm", "parking"):
        assert any(k.startswith(needed) for k in facility_kinds), needed
    assert any(k.startswith("restroom") for k in facility_kinds)


def test_loading_the_same_version_again_changes_nothing(sessions: sessionmaker[Session]) -> None:
    service = VenueService(sessions)
    service.ensure_loaded()
    with sessions() as s:
        loaded_at = s.scalar(select(m.VenueMeta.loaded_at))
    service.ensure_loaded()
    with sessions() as s:
        assert s.scalar(select(m.VenueMeta.loaded_at)) == loaded_at
    service.load(force=True)
    with sessions() as s:
        assert s.scalar(select(m.VenueMeta.loaded_at)) != loaded_at


def test_reload_keeps_the_outbox(sessions: sessionmaker[Session]) -> None:
    service = VenueService(sessions)
    service.ensure_loaded()
    with sessions.begin() as s:
        s.add(m.OutboxItem(uuid="u-1", kind="complaint", ticket_no="C-K01-0001-X", payload={}))
    service.load(force=True)
    assert count(sessions, m.OutboxItem) == 1


def test_broken_source_keeps_the_old_venue(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    VenueService(sessions).ensure_loaded()
    broken = tmp_path / "broken"
    shutil.copytree(demo_venue_path(), broken)
    (broken / "level.geojson").write_text("{ not json", encoding="utf-8")
    service = VenueService(sessions, broken)
    with pytest.raises(VenueLoadError, match=r"level\.geojson"):
        service.load()
    summary = service.ensure_loaded()  # logs, keeps the cached demo mall
    assert summary.version == load_venue(demo_venue_path()).version


def test_broken_source_on_an_empty_cache_falls_back_to_the_demo(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    summary = VenueService(sessions, tmp_path / "missing.zip").ensure_loaded()
    assert summary.stores >= 150


def test_current_promotions_only(sessions: sessionmaker[Session]) -> None:
    VenueService(sessions).ensure_loaded()
    data = load_venue(demo_venue_path())
    today = dt.date(2026, 11, 25)
    current = PromotionService(sessions, today=lambda: today).current()
    assert len(current) == sum(p.is_current(today) for p in data.promotions) > 0
    with_store = [p for p in current if p.store_zh]
    assert with_store
    assert all(p.level for p in with_store)
    assert PromotionService(sessions, today=lambda: dt.date(1999, 1, 1)).current() == []


def test_cached_venue_reads_back_as_domain_objects(sessions: sessionmaker[Session]) -> None:
    from kiosk.store.venue_repo import load_venue_data

    source = load_venue(demo_venue_path())
    VenueService(sessions).ensure_loaded()
    with sessions() as s:
        cached = load_venue_data(s)
    assert cached is not None
    assert cached.version == source.version
    assert cached.venue.display_point == source.venue.display_point
    assert cached.levels == source.levels
    assert set(cached.units) == set(source.units)
    assert set(cached.openings) == set(source.openings)
    assert set(cached.amenities) == set(source.amenities)
    assert set(cached.kiosks) == set(source.kiosks)
    assert set(cached.promotions) == set(source.promotions)
    assert len(cached.occupants) == len(source.occupants)
    for occ in source.occupants:
        back = cached.occupant_by_id(occ.id)
        assert (back.name, back.category, back.hours, back.popularity, back.pinyin) == (
            occ.name,
            occ.category,
            occ.hours,
            occ.popularity,
            occ.pinyin,
        )
        assert cached.occupant_unit(back) == source.occupant_unit(occ)
        assert cached.anchor_by_id(back.anchor_id).point == source.anchor_by_id(occ.anchor_id).point
