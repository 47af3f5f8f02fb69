"""Reading the pushed settings from the cache file before the kiosk opens it."""

from __future__ import annotations

from pathlib import Path

from kiosk.store import models as m
from kiosk.store.db import open_cache
from kiosk.store.pushed import SETTINGS, read_pushed_settings


def test_reads_the_document_without_writing(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    engine, sessions = open_cache(path)
    with sessions.begin() as session:
        session.add(m.CatalogDoc(name=SETTINGS, doc={"session": {"idle_timeout_s": 90}}))
        session.add(m.CatalogDoc(name="return_policy", doc={"rules": []}))
    engine.dispose()
    before = path.stat().st_mtime_ns
    assert read_pushed_settings(path) == {"session": {"idle_timeout_s": 90}}
    assert path.stat().st_mtime_ns == before


def test_none_when_absent_empty_or_unreadable(tmp_path: Path) -> None:
    assert read_pushed_settings(tmp_path / "missing.sqlite3") is None
    path = tmp_path / "cache.sqlite3"
    engine, _ = open_cache(path)
    engine.dispose()
    assert read_pushed_settings(path) is None  # never synced
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    assert read_pushed_settings(junk) is None
