"""The local cache: migrations, pragmas, and recovery from a damaged file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from kiosk.store.db import create_cache_engine, migrate, open_cache
from kiosk.store.models import Base, OutboxItem


def test_empty_file_is_migrated_to_head(tmp_path: Path) -> None:
    engine, _ = open_cache(tmp_path / "cache.sqlite3")
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables
    with engine.connect() as con:
        assert con.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert con.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_migrations_match_the_models(tmp_path: Path) -> None:
    engine = create_cache_engine(tmp_path / "cache.sqlite3")
    migrate(engine)
    with engine.connect() as con:
        diff = compare_metadata(MigrationContext.configure(con), Base.metadata)
    engine.dispose()
    assert diff == []


def test_migrating_twice_is_harmless(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    engine, sessions = open_cache(path)
    with sessions.begin() as s:
        s.add(OutboxItem(uuid="u1", kind="complaint", ticket_no="C-K01-0001-X", payload={}))
    engine.dispose()
    engine, sessions = open_cache(path)
    with sessions() as s:
        assert s.get(OutboxItem, "u1") is not None
    engine.dispose()


def test_corrupt_cache_is_quarantined_not_deleted(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    garbage = b"this is not a database" * 100
    path.write_bytes(garbage)
    engine, _ = open_cache(path)
    quarantined = list(tmp_path.glob("cache.sqlite3.corrupt-*"))
    assert len(quarantined) == 1
    assert quarantined[0].read_bytes() == garbage
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    engine.dispose()


def test_head_revision_constant_is_alembics_head(tmp_path: Path) -> None:
    from alembic.script import ScriptDirectory

    from kiosk.store.db import HEAD_REVISION, alembic_config

    engine = create_cache_engine(tmp_path / "cache.sqlite3")
    script = ScriptDirectory.from_config(alembic_config(engine))
    assert script.get_heads() == [HEAD_REVISION]
    engine.dispose()
