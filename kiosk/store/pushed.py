"""Reading the settings the central service pushed, before the kiosk opens its cache.

Kept apart from sync_repo (which brings the sync protocol's models): the start-up path needs only
this one read.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path

from sqlalchemy.orm import Session

from kiosk.store import models as m

SETTINGS = "settings"
"""The catalog document that holds settings for the kiosks (sync_repo.SETTINGS)."""


def catalog_doc(session: Session, name: str) -> dict[str, object] | None:
    """A catalog document in the cache (`SETTINGS`, the return policy), None when absent."""
    row = session.get(m.CatalogDoc, name)
    return dict(row.doc) if row is not None else None


def settings_doc(session: Session) -> dict[str, object] | None:
    """The pushed settings document in the cache, None when there is none."""
    return catalog_doc(session, SETTINGS)


def read_pushed_settings(database: Path) -> dict[str, object] | None:
    """The settings document the central service pushed, read from the cache file at
    `database` without migrating or writing it (the configuration the kiosk runs with depends
    on it). None when there is none or it cannot be read; the cache's own checks at opening
    report a damaged file.

    Plain sqlite3, read-only: at start-up an SQLAlchemy engine costs more than the read.
    """
    if not database.is_file():
        return None
    table, name, doc = m.CatalogDoc.__tablename__, m.CatalogDoc.name.key, m.CatalogDoc.doc.key
    try:
        uri = f"{database.resolve().as_uri()}?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
            row = db.execute(f"SELECT {doc} FROM {table} WHERE {name} = ?", (SETTINGS,)).fetchone()
    except (sqlite3.Error, ValueError):
        return None
    if row is None:
        return None
    try:
        value = json.loads(row[0])
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, dict) else None
