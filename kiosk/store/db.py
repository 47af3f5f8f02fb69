"""The local SQLite cache: engine, session factory, migrations, and recovery from a corrupt file.

SQLite runs in WAL mode so the sync agent can write while the UI reads; foreign keys are enforced.
A file that is not a readable database is moved aside (quarantined, never deleted: it may hold
outbox rows) and a fresh one is created.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.orm import Session, sessionmaker

from kiosk.errors import KnownError

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)


class CacheError(KnownError):
    """The local database cannot be opened or migrated (disk full, permissions…)."""


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    # NORMAL is durable in WAL mode across application crashes; FULL also survives power loss
    # at the moment of commit, which the outbox needs.
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def create_cache_engine(path: Path) -> Engine:
    """An engine on the SQLite file at `path` (created with its parent directories)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    return engine


# The newest migration. Start-up compares the cache with it and imports Alembic (a few hundred
# milliseconds) only when there is something to migrate; tests keep it equal to Alembic's head.
HEAD_REVISION = "0004"


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config  # noqa: PLC0415 - see HEAD_REVISION

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("kiosk.store") / "migrations"))
    cfg.attributes["engine"] = engine
    return cfg


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as con:
        if not inspect(con).has_table("alembic_version"):
            return None
        return con.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (a no-op when it is already there)."""
    if current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command  # noqa: PLC0415 - see HEAD_REVISION

    command.upgrade(alembic_config(engine), "head")


def _is_healthy(path: Path) -> bool:
    if not path.exists():
        return True
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("PRAGMA quick_check").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        log.error("cache %s is unreadable: %s", path, exc)
        return False
    if row is None or row[0] != "ok":
        log.error("cache %s failed its integrity check: %s", path, row)
        return False
    return True


@dataclass(frozen=True, slots=True)
class CacheHealth:
    """What a full integrity check found in a cache file (see `check_file`).

    problem: why the file is unusable (None when it passed); revision: its schema revision
    (None when it has no schema yet or could not be read).
    """

    exists: bool
    problem: str | None = None
    revision: str | None = None


def check_file(path: Path) -> CacheHealth:
    """Run SQLite's full integrity check on the cache at `path`, read-only, and read its schema
    revision. Never creates, migrates or repairs anything (`open_cache` does that at start)."""
    if not path.exists():
        return CacheHealth(exists=False)
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = [str(r[0]) for r in con.execute("PRAGMA integrity_check(10)").fetchall()]
            if rows != ["ok"]:
                return CacheHealth(exists=True, problem="; ".join(rows) or "no answer")
            has_version = con.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
            ).fetchone()
            revision = None
            if has_version:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = str(row[0]) if row else None
        finally:
            con.close()
    except sqlite3.Error as exc:
        return CacheHealth(exists=True, problem=str(exc))
    return CacheHealth(exists=True, revision=revision)


def quarantine(path: Path) -> Path:
    """Move a damaged cache (and its WAL files) aside so a fresh one can be built."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{path}{suffix}")
        if part.exists():
            part.rename(Path(f"{target}{suffix}"))
    log.warning("quarantined damaged cache as %s", target)
    return target


def open_cache(path: Path) -> tuple[Engine, sessionmaker[Session]]:
    """Open (creating, recovering and migrating as needed) the cache at `path`."""
    try:
        if not _is_healthy(path):
            quarantine(path)
        engine = create_cache_engine(path)
        migrate(engine)
    except (OSError, sqlite3.Error) as exc:
        raise CacheError(f"cannot open the local database {path}: {exc}") from exc
    return engine, sessionmaker(engine, expire_on_commit=False)
