"""SQLAlchemy models of the central service: venues and their catalog, devices, submissions and
the shoppers' ratings of them, members, their one-time SMS codes and the kiosks' scans that
found no member.

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


class SatisfactionRating(Base):
    """A shopper's rating of how a finished ticket was handled, given once on the tracking page:
    1 (very dissatisfied) to 5 (very satisfied), with an optional short comment."""

    __tablename__ = "satisfaction_ratings"
    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating"),
        Index("ix_satisfaction_ratings_rated_at", "rated_at"),
    )

    submission_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("submissions.uuid", ondelete="CASCADE"), primary_key=True
    )
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    rated_at: Mapped[dt.datetime]


# --- members ----------------------------------------------------------------------------------


class Tier(Base):
    """A level of the mall's membership programme; `rank` orders them, 1 being the entry level.

    `min_points` is what a member earns in a year to qualify (see sync.server.members).
    """

    __tablename__ = "member_tiers"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, unique=True)
    name_zh: Mapped[str] = mapped_column(String(50))
    name_en: Mapped[str] = mapped_column(String(50))
    benefits_zh: Mapped[list[Any]]
    benefits_en: Mapped[list[Any]]
    min_points: Mapped[int] = mapped_column(Integer)


class Member(Base):
    """A member of the programme. The name and mobile number never leave the service unmasked,
    nor does `id`."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100))
    mobile: Mapped[str] = mapped_column(String(20), unique=True)
    tier_code: Mapped[str] = mapped_column(ForeignKey("member_tiers.code"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class MemberIdentifier(Base):
    """What a scanner reads to find a member: a plastic card's number or the mall app's QR code."""

    __tablename__ = "member_identifiers"
    __table_args__ = (CheckConstraint("kind IN ('card', 'app')", name="kind"),)

    code: Mapped[str] = mapped_column(String(128), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PointsEntry(Base):
    """One line of a member's points ledger: earned (> 0, lapsing after `expires_on` when set)
    or spent (< 0). Balances are computed from the ledger, never stored."""

    __tablename__ = "points_entries"
    __table_args__ = (
        CheckConstraint("points <> 0", name="points"),
        CheckConstraint("expires_on IS NULL OR points > 0", name="expires_on"),
        Index("ix_points_entries_member_at", "member_id", "at"),
    )

    id: Mapped[int] = mapped_column(Seq, primary_key=True, autoincrement=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime]
    points: Mapped[int] = mapped_column(Integer)
    description_zh: Mapped[str] = mapped_column(Text)
    description_en: Mapped[str] = mapped_column(Text)
    store_id: Mapped[str | None] = mapped_column(String(64))
    expires_on: Mapped[dt.date | None] = mapped_column(Date)


class Coupon(Base):
    """A member's coupon at one venue: valid in the stores listed (occupant ids), or in every
    store of the venue when `store_ids` is empty."""

    __tablename__ = "member_coupons"
    __table_args__ = (CheckConstraint("valid_from <= valid_until", name="validity"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    venue_id: Mapped[str] = mapped_column(ForeignKey("venues.id", ondelete="CASCADE"))
    title_zh: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str] = mapped_column(Text)
    terms_zh: Mapped[str] = mapped_column(Text)
    terms_en: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_until: Mapped[dt.date] = mapped_column(Date)
    store_ids: Mapped[list[Any]]
    used_at: Mapped[dt.datetime | None]


class SmsChallenge(Base):
    """A one-time code texted to a mobile number. Neither the number nor the code is stored:
    both are keyed hashes, so the numbers of people who are not members are never kept.

    `closed_why` says why it no longer takes a code: verified, replaced by a newer code, or
    locked after too many wrong ones. Rows are deleted a day after they were created.
    """

    __tablename__ = "sms_challenges"
    __table_args__ = (
        CheckConstraint("closed_why IN ('verified', 'replaced', 'locked')", name="closed_why"),
        Index("ix_sms_challenges_phone_created", "phone_hash", "created_at"),
        Index("ix_sms_challenges_kiosk_created", "kiosk_code", "created_at"),
    )

    id: Mapped[int] = mapped_column(Seq, primary_key=True, autoincrement=True)
    phone_hash: Mapped[str] = mapped_column(String(64))
    code_hash: Mapped[str] = mapped_column(String(64))
    kiosk_code: Mapped[str] = mapped_column(String(6))
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[dt.datetime | None]
    closed_why: Mapped[str | None] = mapped_column(String(10))


class PhoneGuard(Base):
    """Wrong codes typed for a mobile number (hashed as in SmsChallenge) since `failures_since`,
    and the lock they led to. Outlives the codes, so asking for a new code does not reset it."""

    __tablename__ = "sms_phone_guards"

    phone_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    failures_since: Mapped[dt.datetime | None]
    locked_until: Mapped[dt.datetime | None]


class MemberScanMiss(Base):
    """A scan by a kiosk that found no member, counted toward its hourly cap (see
    sync.server.members). Only the kiosk and the time: never the code that was scanned. Rows
    older than an hour are deleted at the kiosk's next miss."""

    __tablename__ = "member_scan_misses"
    __table_args__ = (Index("ix_member_scan_misses_kiosk_at", "kiosk_code", "at"),)

    id: Mapped[int] = mapped_column(Seq, primary_key=True, autoincrement=True)
    kiosk_code: Mapped[str] = mapped_column(String(6))
    at: Mapped[dt.datetime]


class ServerSecret(Base):
    """A key the service draws for itself on first need (the key of the SMS hashes)."""

    __tablename__ = "server_secrets"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
