"""SQLAlchemy models of the central service: venues and their catalog, devices, submissions.

The same models and migrations run on SQLite (one file, the default) and PostgreSQL. Two
sequences are cursors the kiosks hold: `catalog_changes.seq` for reference data and
`status_events.seq` for ticket status; both only grow.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints so Alembic's batch mode on SQLite can alter them later.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# A 64-bit sequence on PostgreSQL; on SQLite only INTEGER PRIMARY KEY is the autoincrementing rowid.
Seq = BigInteger().with_variant(Integer(), "sqlite")

CATALOG_PARTS = ("venue", "promotions", "return_policy", "settings")
DOC_PARTS = ("return_policy", "settings")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC datetime on every backend (SQLite keeps no offset, so it is stored as UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy API
        dict[str, Any]: JSON,
        list[Any]: JSON,
        dt.datetime: UtcDateTime,
        uuid.UUID: Uuid,
    }


# --- catalog ----------------------------------------------------------------------------------


class Venue(Base):
    """A mall: its IMDF files as served to kiosks, and where its catalog cursor stands.

    `catalog_seq` is the newest change of this venue; `pruned_seq` the newest change deleted to
    keep the log short (a cursor older than that gets a full snapshot). `cursor_epoch` is drawn
    when the row is created so cursors of another database or venue are never taken as valid.
    """

    __tablename__ = "venues"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(64))
    files: Mapped[dict[str, Any]] = mapped_column(deferred=True)
    cursor_epoch: Mapped[str] = mapped_column(String(16))
    catalog_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    pruned_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    loaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Promotion(Base):
    __tablename__ = "promotions"

    venue_id: Mapped[str] = mapped_column(
        ForeignKey("venues.id", ondelete="CASCADE"), primary_key=True
    )
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    title_zh: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(Text)
    body_zh: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text)
    store_id: Mapped[str | None] = mapped_column(String(64))
    starts: Mapped[dt.date] = mapped_column(Date)
    ends: Mapped[dt.date] = mapped_column(Date)


class VenueDocument(Base):
    """A JSON document per venue sent as is: the return policy, the device settings."""

    __tablename__ = "venue_documents"
    __table_args__ = (CheckConstraint("part IN ('return_policy', 'settings')", name="part"),)

    venue_id: Mapped[str] = mapped_column(
        ForeignKey("venues.id", ondelete="CASCADE"), primary_key=True
    )
    part: Mapped[str] = mapped_column(String(20), primary_key=True)
    doc: Mapped[dict[str, Any]]
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class CatalogChange(Base):
    __tablename__ = "catalog_changes"
    __table_args__ = (
        CheckConstraint(
            "part IN ('venue', 'promotions', 'return_policy', 'settings')", name="part"
        ),
        Index("ix_catalog_changes_venue_seq", "venue_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(Seq, primary_key=True, autoincrement=True)
    venue_id: Mapped[str] = mapped_column(ForeignKey("venues.id", ondelete="CASCADE"))
    part: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


# --- devices and people -----------------------------------------------------------------------


class Device(Base):
    """One enrollment of a kiosk: a row per token, so re-enrolling keeps the history.

    The kiosk code is the kiosk's identity (it is part of every ticket number); at most one row
    per code has `revoked_at` NULL.
    """

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kiosk_code: Mapped[str] = mapped_column(String(6), index=True)
    venue_id: Mapped[str] = mapped_column(ForeignKey("venues.id"))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[dt.datetime | None]
    last_seen: Mapped[dt.datetime | None]
    app_version: Mapped[str | None] = mapped_column(String(40))
    queue_depth: Mapped[int | None] = mapped_column(Integer)
    printer_state: Mapped[str | None] = mapped_column(String(20))
    free_disk: Mapped[int | None] = mapped_column(BigInteger)
    last_sync_at: Mapped[dt.datetime | None]


class EnrollmentCode(Base):
    __tablename__ = "enrollment_codes"

    code_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    venue_id: Mapped[str] = mapped_column(ForeignKey("venues.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("devices.id"))


class Staff(Base):
    """A person at the service desk; separate from devices, never authenticated by a token."""

    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    disabled_at: Mapped[dt.datetime | None]


# --- submissions ------------------------------------------------------------------------------


class Submission(Base):
    __tablename__ = "submissions"

    uuid: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"))
    kiosk_code: Mapped[str] = mapped_column(String(6), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    ticket_no: Mapped[str] = mapped_column(String(30), unique=True)
    created_at: Mapped[dt.datetime]
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    token_sha256: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(30))


class StatusEvent(Base):
    """A status change of a submission; `seq` is the kiosks' status cursor.

    `kiosk_code` repeats the submission's so a kiosk's pull reads one index range.
    """

    __tablename__ = "status_events"
    __table_args__ = (Index("ix_status_events_kiosk_seq", "kiosk_code", "seq"),)

    seq: Mapped[int] = mapped_column(Seq, primary_key=True, autoincrement=True)
    submission_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("submissions.uuid", ondelete="CASCADE"), index=True
    )
    kiosk_code: Mapped[str] = mapped_column(String(6))
    status: Mapped[str] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
