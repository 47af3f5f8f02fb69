"""Kiosk devices: one-time enrollment codes, device tokens, revocation and heartbeats.

Codes and tokens are stored only as SHA-256 hashes: both are long random secrets, so a plain
hash cannot be reversed and lets a request be matched with one index lookup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from sync.schemas import EnrollReply, EnrollRequest, Heartbeat
from sync.server.catalog import resolve_venue
from sync.server.db import Database
from sync.server.errors import CentralError
from sync.server.models import Device, EnrollmentCode, Venue, utcnow

# Typed by staff on a touch screen: no 0/O or 1/I/L to confuse; 12 characters are 60 bits.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
# Writing last_seen on every request would turn each read into a write.
LAST_SEEN_PRECISION = dt.timedelta(seconds=60)


class EnrollmentRefusedError(CentralError):
    """The enrollment code is wrong, used or expired (deliberately not saying which)."""


def sha256_hex(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalize_code(code: str) -> str:
    """Codes are read out and typed: case, spaces and dashes do not matter."""
    return "".join(code.split()).replace("-", "").upper()


def mint_enrollment_code(db: Database, venue_id: str, *, hours: float = 24) -> str:
    """A fresh one-time code for enrolling a kiosk into `venue_id`, shown once, kept hashed."""
    if not 0 < hours <= 24 * 30:
        raise CentralError("an enrollment code must expire within 30 days")
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    now = utcnow()
    with db.write() as session:
        venue = resolve_venue(session, venue_id)
        session.add(
            EnrollmentCode(
                code_sha256=sha256_hex(raw),
                venue_id=venue.id,
                created_at=now,
                expires_at=now + dt.timedelta(hours=hours),
            )
        )
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def enroll(db: Database, request: EnrollRequest) -> EnrollReply:
    """Exchange a valid code for a new device token; the kiosk code's older tokens are revoked."""
    now = utcnow()
    token = secrets.token_urlsafe(32)
    with db.write() as session:
        # One conditional UPDATE: two kiosks racing with the same code cannot both win.
        claimed = session.execute(
            update(EnrollmentCode)
            .where(
                EnrollmentCode.code_sha256 == sha256_hex(normalize_code(request.code)),
                EnrollmentCode.used_at.is_(None),
                EnrollmentCode.expires_at > now,
            )
            .values(used_at=now)
            .returning(EnrollmentCode.code_sha256, EnrollmentCode.venue_id)
        ).one_or_none()
        if claimed is None:
            raise EnrollmentRefusedError("the enrollment code is wrong, already used or expired")
        session.execute(
            update(Device)
            .where(Device.kiosk_code == request.kiosk_code, Device.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        device = Device(
            kiosk_code=request.kiosk_code,
            venue_id=claimed.venue_id,
            token_sha256=sha256_hex(token),
            created_at=now,
            last_seen=now,
            app_version=request.app_version,
        )
        session.add(device)
        session.flush()
        session.execute(
            update(EnrollmentCode)
            .where(EnrollmentCode.code_sha256 == claimed.code_sha256)
            .values(used_by=device.id)
        )
    return EnrollReply(device_token=token, kiosk_code=request.kiosk_code, venue_id=claimed.venue_id)


@dataclass(frozen=True, slots=True)
class DeviceIdentity:
    """Who made a request: the enrollment its token belongs to."""

    id: int
    kiosk_code: str
    venue_id: str


def authenticate(db: Database, token: str) -> DeviceIdentity | None:
    """The device holding `token`, or None when the token is unknown or revoked."""
    digest = sha256_hex(token)
    with db.reads() as session:
        row = session.execute(
            select(Device.id, Device.kiosk_code, Device.venue_id, Device.last_seen).where(
                Device.token_sha256 == digest, Device.revoked_at.is_(None)
            )
        ).one_or_none()
    if row is None:
        return None
    now = utcnow()
    if row.last_seen is None or now - row.last_seen > LAST_SEEN_PRECISION:
        with db.write(durable=False) as session:
            session.execute(update(Device).where(Device.id == row.id).values(last_seen=now))
    return DeviceIdentity(row.id, row.kiosk_code, row.venue_id)


def revoke(db: Database, kiosk_code: str) -> int:
    """Revoke the kiosk's active token; the number of tokens revoked (0 or 1)."""
    with db.write() as session:
        result = session.execute(
            update(Device)
            .where(Device.kiosk_code == kiosk_code, Device.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
        return cast("CursorResult[Any]", result).rowcount


def record_heartbeat(db: Database, device: DeviceIdentity, beat: Heartbeat) -> None:
    with db.write(durable=False) as session:
        session.execute(
            update(Device)
            .where(Device.id == device.id)
            .values(
                last_seen=utcnow(),
                app_version=beat.app_version,
                queue_depth=beat.queue_depth,
                printer_state=beat.printer_state,
                free_disk=beat.free_disk_bytes,
                last_sync_at=beat.last_sync_at,
            )
        )


@dataclass(frozen=True, slots=True)
class DeviceRow:
    """A kiosk as the `devices` command lists it: its newest enrollment."""

    kiosk_code: str
    venue_id: str
    venue_name: str
    enrolled_at: dt.datetime
    revoked_at: dt.datetime | None
    last_seen: dt.datetime | None
    app_version: str | None
    queue_depth: int | None
    printer_state: str | None
    free_disk: int | None
    last_sync_at: dt.datetime | None


def list_devices(session: Session) -> list[DeviceRow]:
    newest = select(func.max(Device.id).label("id")).group_by(Device.kiosk_code).scalar_subquery()
    rows = session.execute(
        select(Device, Venue.name_en)
        .join(Venue, Venue.id == Device.venue_id)
        .where(Device.id.in_(newest))
        .order_by(Device.kiosk_code)
    )
    return [
        DeviceRow(
            kiosk_code=d.kiosk_code,
            venue_id=d.venue_id,
            venue_name=name,
            enrolled_at=d.created_at,
            revoked_at=d.revoked_at,
            last_seen=d.last_seen,
            app_version=d.app_version,
            queue_depth=d.queue_depth,
            printer_state=d.printer_state,
            free_disk=d.free_disk,
            last_sync_at=d.last_sync_at,
        )
        for d, name in rows
    ]
