"""The central database: engine, sessions and migrations, for SQLite (default) or PostgreSQL.

SQLite runs in WAL mode with foreign keys on and FULL sync (an acknowledged submission survives
a power cut). Transactions that write start with BEGIN IMMEDIATE on SQLite and take one advisory
lock on PostgreSQL: writers that append to a cursor sequence then commit in sequence order, so a
kiosk reading "everything after seq N" never skips a row committed late.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from sync.server.errors import CentralError

APP_NAME = "mall-central"
# Any constant: the key of the one PostgreSQL advisory lock that serialises writers.
_PG_WRITE_LOCK = 0x6D616C6C


def default_db_url() -> str:
    path = Path(platformdirs.user_data_dir(APP_NAME)) / "central.sqlite3"
    return f"sqlite:///{path}"


def _sqlite_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite would defer it to the first
    # write, after the reads that decided what to write).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    options = conn.get_execution_options()
    if not options.get("central_write", False):
        conn.exec_driver_sql("BEGIN")
        return
    durable = options.get("central_durable", True)
    conn.exec_driver_sql(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def create_db_engine(url: str) -> Engine:
    """An engine on `url`; a SQLite file is created with its parent directories.

    Its errors never hold a statement's parameters (mobile numbers, card numbers), so that an
    error logged with its traceback writes none of them to the log.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise CentralError(f"not a database URL: {url}") from exc
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database in ("", ":memory:") or database.startswith("file:"):
            raise CentralError("the central database must be a file, not an in-memory SQLite")
        try:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CentralError(f"cannot create the folder for {database}: {exc}") from exc
        # Sized for the web server's worker threads, which each hold a connection per request.
        engine = create_engine(
            parsed, pool_size=8, max_overflow=32, pool_timeout=30, hide_parameters=True
        )
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return create_engine(
            parsed, pool_size=10, max_overflow=20, pool_pre_ping=True, hide_parameters=True
        )
    except (NoSuchModuleError, ImportError) as exc:
        raise CentralError(f"no database driver for {parsed.drivername}: {exc}") from exc


def describe_db_error(exc: Exception) -> str:
    """The driver's one-line message, without SQLAlchemy's statement and help link."""
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        return str(exc.orig).strip().splitlines()[0]
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("sync.server") / "migrations"))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (a no-op when it is already there)."""
    try:
        command.upgrade(alembic_config(engine), "head")
    except (SQLAlchemyError, OSError) as exc:
        raise CentralError(
            f"cannot open or migrate the database: {describe_db_error(exc)}"
        ) from exc


@dataclass(frozen=True, slots=True)
class Database:
    """The engine and its session factories: `reads`; `writes` and `soft_writes` (see write())."""

    engine: Engine
    reads: sessionmaker[Session]
    writes: sessionmaker[Session]
    soft_writes: sessionmaker[Session]
    # SQLite's busy handler polls with sleeps of up to 100 ms; writers of this process queue on
    # a lock instead, and only other processes (the command line) meet the busy handler.
    _local_writers: threading.Lock = field(default_factory=threading.Lock)

    @contextmanager
    def write(self, *, durable: bool = True) -> Iterator[Session]:
        """A session in a write transaction, committed on success, rolled back on error.

        Writers are serialised (see the module docstring); keep these transactions short.
        With `durable` False the commit is not flushed to disk at once: a power cut may undo it
        (never half of it). Only for what the next request writes again (heartbeats, last-seen
        times), and never for rows that take a cursor sequence number.
        """
        dialect = self.engine.dialect.name
        local = self._local_writers if dialect == "sqlite" else nullcontext()
        with local, (self.writes if durable else self.soft_writes).begin() as session:
            if dialect == "postgresql":
                if durable:
                    session.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_WRITE_LOCK}
                    )
                else:
                    session.execute(text("SET LOCAL synchronous_commit = off"))
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, upgrade: bool = True) -> Database:
    """Connect to `url`, migrating the schema to the newest revision unless `upgrade` is False."""
    engine = create_db_engine(url)
    if upgrade:
        try:
            migrate(engine)
        except CentralError:
            engine.dispose()
            raise
    writer = engine.execution_options(central_write=True)
    soft_writer = engine.execution_options(central_write=True, central_durable=False)
    return Database(
        engine,
        sessionmaker(engine, expire_on_commit=False),
        sessionmaker(writer, expire_on_commit=False),
        sessionmaker(soft_writer, expire_on_commit=False),
    )
