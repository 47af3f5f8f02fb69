"""SQLAlchemy models of the kiosk's local cache: venue reference data, promotions, the outbox,
sync state, and maintenance (audit log, PIN lockout).

Venue tables are replaced wholesale when a venue version is loaded; the outbox is never touched by
a venue load (a shopper's submission outlives any reference-data change).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints so Alembic's batch mode on SQLite can alter them later.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012 - SQLAlchemy API


class VenueMeta(Base):
    """The one venue currently loaded: its identity, version and where it came from."""

    __tablename__ = "venue_meta"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(64))
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(500))
    display_lon: Mapped[float | None]
    display_lat: Mapped[float | None]
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Level(Base):
    __tablename__ = "levels"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    ordinal: Mapped[int] = mapped_column(Integer, index=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    short_zh: Mapped[str] = mapped_column(String(20))
    short_en: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(40))
    outdoor: Mapped[bool] = mapped_column(default=False)


class Unit(Base):
    """A space on a level (shop, walkway, restroom, elevator…) with its polygon rings."""

    __tablename__ = "units"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    level_id: Mapped[str] = mapped_column(ForeignKey("levels.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(40))
    name_zh: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    rings: Mapped[list[Any]] = mapped_column(JSON)
    display_lon: Mapped[float | None]
    display_lat: Mapped[float | None]
    accessibility: Mapped[list[Any]] = mapped_column(JSON, default=list)


class Opening(Base):
    """A door or passage; a line on the edge of a unit."""

    __tablename__ = "openings"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    level_id: Mapped[str] = mapped_column(ForeignKey("levels.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(40))
    line: Mapped[list[Any]] = mapped_column(JSON)
    accessibility: Mapped[list[Any]] = mapped_column(JSON, default=list)


class Category(Base):
    """A store category as shoppers browse it (fashion, food, kids…)."""

    __tablename__ = "categories"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)


class Store(Base):
    """An occupant of a unit: a store, restaurant or service, with zh/en names."""

    __tablename__ = "stores"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    level_id: Mapped[str] = mapped_column(ForeignKey("levels.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(ForeignKey("categories.code"), index=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    hours: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(300))
    keywords: Mapped[list[Any]] = mapped_column(JSON, default=list)
    popularity: Mapped[int] = mapped_column(Integer, default=0)
    pinyin: Mapped[str | None] = mapped_column(String(300))
    lon: Mapped[float]
    lat: Mapped[float]


class Facility(Base):
    """An amenity shoppers look for: restroom, nursing room, elevator, ATM, service desk, exit…"""

    __tablename__ = "facilities"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    category: Mapped[str] = mapped_column(String(60), index=True)
    level_id: Mapped[str] = mapped_column(ForeignKey("levels.id", ondelete="CASCADE"), index=True)
    unit_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    name_zh: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    hours: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    accessibility: Mapped[list[Any]] = mapped_column(JSON, default=list)
    lon: Mapped[float]
    lat: Mapped[float]


class KioskPosition(Base):
    """Where a kiosk stands ("you are here") and which way its screen faces."""

    __tablename__ = "kiosks"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    code: Mapped[str] = mapped_column(String(16), index=True)
    level_id: Mapped[str] = mapped_column(ForeignKey("levels.id", ondelete="CASCADE"))
    lon: Mapped[float]
    lat: Mapped[float]
    heading_deg: Mapped[float] = mapped_column(default=0.0)
    name_zh: Mapped[str | None] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))


class Promotion(Base):
    __tablename__ = "promotions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    body_zh: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    store_id: Mapped[str | None] = mapped_column(String(64))
    starts: Mapped[dt.date] = mapped_column(Date)
    ends: Mapped[dt.date] = mapped_column(Date)


class OutboxItem(Base):
    """A shopper's submission waiting for the central service's acknowledgement.

    Written in the same transaction that creates the submission; removed only once the server
    acknowledged it. Rows the server rejected stay, with the reason, for maintenance staff.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state_created", "state", "created_at"),)

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    ticket_no: Mapped[str] = mapped_column(String(30), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class Counter(Base):
    """Monotonic per-kiosk counters (ticket numbers), kept across restarts."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class OutboxTokenHash(Base):
    """The SHA-256 of a submission's tracking token, kept beside its outbox row.

    The token itself is only printed inside the shopper's QR code; the server stores this hash
    so the tracking page can check the token. Deleted together with the outbox row.
    """

    __tablename__ = "outbox_token_hashes"

    uuid: Mapped[str] = mapped_column(
        ForeignKey("outbox.uuid", ondelete="CASCADE"), primary_key=True
    )
    token_sha256: Mapped[str] = mapped_column(String(64))


class TicketStatus(Base):
    """The latest status of a submission as the central service reported it ("where is my
    ticket?"). Filled by the status pull; a newer change replaces an older one."""

    __tablename__ = "ticket_status"

    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    ticket_no: Mapped[str] = mapped_column(String(30), index=True)
    status: Mapped[str] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class SyncState(Base):
    """Small facts about syncing, by key: cursors, the catalog's ETag, last sync and error."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str | None] = mapped_column(Text)


class CatalogDoc(Base):
    """A reference document from the catalog that is data rather than tables (return policy,
    settings), stored as the service sent it."""

    __tablename__ = "catalog_docs"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    doc: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditRecord(Base):
    """One maintenance action: who, when (UTC), what, and what changed.

    Append-only: migration 0004 adds triggers that refuse UPDATE and DELETE, so the log cannot
    be rewritten through the application. Never holds a PIN, a token or an enrollment code.
    """

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    who: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40), index=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class PinLockout(Base):
    """Wrong maintenance PINs in a row and how long the PIN pad stays locked (one row, id 1).

    Kept in the database so that restarting the kiosk does not reset the lockout.
    """

    __tablename__ = "pin_lockout"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
