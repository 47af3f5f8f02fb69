"""A shopper's own view of a ticket, reached with its secret token, and what they may do there.

The tracking page (`sync.server.web.tracking`) reads a ticket only with the token its receipt's
QR code carries. The token's SHA-256 is compared in constant time with the stored one, and an
unknown ticket looks exactly like a wrong token: None either way, after the same work.

What the page may show is picked here, not in the page: the ticket's kind, status, status
events with their notes (written by staff for the shopper), the store and the type or category
chosen on the kiosk, and whether a callback was agreed. Nothing else of the payload (no name,
phone number or description) leaves this module.

From the page a shopper may
- rate a finished ticket once, 1 to 5 with an optional short comment (`Tickets.rate`);
- withdraw a complaint or suggestion that is not finished yet (`Tickets.withdraw`): a
  "withdrawn" status event like any staff change, so the kiosk's status pull hears of it.
Staff read the ratings with `ratings` (`mall-central satisfaction`).
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import logging
import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.domain.submissions import ComplaintCategory, FeedbackType, ServiceTimes
from sync.server.db import Database
from sync.server.masking import scrub_phones
from sync.server.members import CHINA_TIME
from sync.server.models import (
    Device,
    SatisfactionRating,
    StatusEvent,
    Submission,
    Venue,
    VenueDocument,
    utcnow,
)
from sync.server.submissions import record_status

log = logging.getLogger(__name__)
_E = TypeVar("_E", bound=enum.StrEnum)

DEFAULT_ZONE = "Asia/Shanghai"
"""The venue's time zone unless its venue feature says otherwise (`ext.timezone`)."""
MAX_COMMENT = 500
"""Characters of a rating's comment."""
MAX_TOKEN = 200
"""Longer is not a tracking token (the kiosk makes 43 characters)."""

FINISHED = frozenset({"resolved", "closed", "refunded", "exchanged", "completed"})
"""Statuses in which the work is done, and the shopper is asked how it went."""
OPEN = frozenset({"submitted", "received", "acknowledged", "in_progress", "escalated", "reopened"})
"""A complaint's statuses before it is resolved (DESIGN §7)."""
WITHDRAWABLE_KINDS = frozenset({"complaint", "feedback"})
"""Returns and repairs are dropped by not bringing the goods in (they expire)."""
WITHDRAWN = "withdrawn"
SHOPPER = "shopper"
"""The actor of a status event the shopper made on the tracking page."""

_TICKET = re.compile(r"[A-Z0-9-]{6,30}")
# Compared with the token given for an unknown ticket, so both paths do the same work.
_NO_TOKEN = "0" * 64
_STORE_CHARS = 100
# The ranges the kiosk's configuration allows (kiosk.config.SubmissionsConfig).
_TIME_RANGES = {
    "first_response_minutes": (1, 1440),
    "complex_case_hours": (1, 168),
    "request_valid_days": (1, 90),
}


class FollowUp(enum.StrEnum):
    """What became of a shopper's rating or withdrawal."""

    DONE = "done"
    NOT_FOUND = "not_found"
    """No ticket with that number and token (which of the two is not told)."""
    NOT_NOW = "not_now"
    """The ticket's status does not allow it (no longer open, or not finished yet)."""
    ALREADY = "already"
    """The ticket was rated before."""


@dataclass(frozen=True, slots=True)
class Event:
    """A status change as the shopper sees it; `by_shopper` for their own withdrawal."""

    status: str
    note: str | None
    at: dt.datetime
    by_shopper: bool


@dataclass(frozen=True, slots=True)
class VenueFacts:
    """The mall the ticket was filed in: names, time zone, service desk phone and promises."""

    name_zh: str
    name_en: str
    zone: dt.tzinfo
    phone: str | None
    times: ServiceTimes


@dataclass(frozen=True, slots=True)
class TicketView:
    """What the tracking page may show of a ticket (see the module docstring).

    `feedback_type` and `category` are the values the kiosk offered (kiosk.domain.submissions),
    `pickup` a repair's "service_desk" or "delivery"; each None when the payload has none.
    """

    ticket_no: str
    kind: str
    kiosk_code: str
    created_at: dt.datetime
    status: str
    events: tuple[Event, ...]
    venue: VenueFacts
    store_name: str | None
    feedback_type: FeedbackType | None
    category: ComplaintCategory | None
    callback_possible: bool
    pickup: str | None
    rating: int | None
    rated_at: dt.datetime | None

    @property
    def can_rate(self) -> bool:
        return self.status in FINISHED and self.rating is None

    @property
    def can_withdraw(self) -> bool:
        return can_withdraw(self.kind, self.status)


def can_withdraw(kind: str, status: str) -> bool:
    """A complaint or suggestion may be withdrawn by the shopper until it is resolved."""
    return kind in WITHDRAWABLE_KINDS and status in OPEN


def normal_ticket(text: str) -> str | None:
    """The ticket number as stored (upper case), or None when it cannot be one."""
    ticket = text.strip().upper()
    return ticket if _TICKET.fullmatch(ticket) else None


def clean_comment(text: str) -> str:
    """A comment as stored: line breaks as "\\n", no other control characters, trimmed.
    Its length is checked by the caller (MAX_COMMENT)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if c in "\n\t" or not _control(c)).strip()


def _control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code < 0xA0 or code in (0x2028, 0x2029)


class Tickets:
    """Tickets as their shoppers reach them. What is read from a venue's files is kept per
    venue and version (the files are large, and change only when the venue is loaded again)."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._venue_files: dict[tuple[str, str], tuple[dt.tzinfo, str | None]] = {}

    def find(self, ticket_no: str, token: str) -> TicketView | None:
        """The ticket `ticket_no` if `token` is its tracking token, else None."""
        with self._db.reads() as session:
            submission = _authorised(session, ticket_no, token)
            if submission is None:
                return None
            return self._view(session, submission)

    def rate(self, ticket_no: str, token: str, rating: int, comment: str | None) -> FollowUp:
        """Keep the shopper's rating (1-5) of a finished ticket; once per ticket."""
        if not 1 <= rating <= 5:
            raise ValueError(f"rating {rating} is not 1 to 5")
        if comment is not None and len(comment) > MAX_COMMENT:
            raise ValueError(f"the comment is longer than {MAX_COMMENT} characters")
        with self._db.write() as session:
            submission = _authorised(session, ticket_no, token)
            if submission is None:
                return FollowUp.NOT_FOUND
            if session.get(SatisfactionRating, submission.uuid) is not None:
                return FollowUp.ALREADY
            if submission.status not in FINISHED:
                return FollowUp.NOT_NOW
            session.add(
                SatisfactionRating(
                    submission_uuid=submission.uuid,
                    rating=rating,
                    comment=comment or None,
                    rated_at=utcnow(),
                )
            )
        log.info("ticket %s rated %d by the shopper", submission.ticket_no, rating)
        return FollowUp.DONE

    def withdraw(self, ticket_no: str, token: str) -> FollowUp:
        """Withdraw an open complaint or suggestion: a "withdrawn" status event by the shopper."""
        with self._db.write() as session:
            submission = _authorised(session, ticket_no, token)
            if submission is None:
                return FollowUp.NOT_FOUND
            if not can_withdraw(submission.kind, submission.status):
                return FollowUp.NOT_NOW
            record_status(session, submission, WITHDRAWN, note=None, actor=SHOPPER)
        log.info("ticket %s withdrawn by the shopper", submission.ticket_no)
        return FollowUp.DONE

    def mall_names(self) -> tuple[str, str] | None:
        """The mall's names (zh, en) when the service holds exactly one venue: for pages that
        must not say which venue a ticket belongs to."""
        with self._db.reads() as session:
            rows = session.execute(select(Venue.name_zh, Venue.name_en).limit(2)).all()
        return (rows[0].name_zh, rows[0].name_en) if len(rows) == 1 else None

    def _view(self, session: Session, submission: Submission) -> TicketView:
        events = session.scalars(
            select(StatusEvent)
            .where(StatusEvent.submission_uuid == submission.uuid)
            .order_by(StatusEvent.seq)
        ).all()
        rating = session.get(SatisfactionRating, submission.uuid)
        payload = submission.payload if isinstance(submission.payload, Mapping) else {}
        return TicketView(
            ticket_no=submission.ticket_no,
            kind=submission.kind,
            kiosk_code=submission.kiosk_code,
            created_at=submission.created_at,
            status=submission.status,
            events=tuple(
                Event(
                    status=e.status,
                    note=scrub_phones(e.note) if e.note else None,
                    at=e.at,
                    by_shopper=e.actor == SHOPPER,
                )
                for e in events
            ),
            venue=self._venue(session, submission.device_id),
            store_name=_store_name(payload),
            feedback_type=_member(FeedbackType, payload.get("type")),
            category=_member(ComplaintCategory, payload.get("category")),
            callback_possible=payload.get("callback_possible") is True,
            pickup=_one_of(payload.get("pickup"), ("service_desk", "delivery")),
            rating=rating.rating if rating is not None else None,
            rated_at=rating.rated_at if rating is not None else None,
        )

    def _venue(self, session: Session, device_id: int) -> VenueFacts:
        venue = session.execute(
            select(Venue.id, Venue.version, Venue.name_zh, Venue.name_en)
            .join(Device, Device.venue_id == Venue.id)
            .where(Device.id == device_id)
        ).one()
        key = (venue.id, venue.version)
        known = self._venue_files
        if key not in known:
            files = session.scalar(select(Venue.files).where(Venue.id == venue.id))
            # One version per venue is kept: a venue loaded again replaces its entry.
            known = {k: v for k, v in known.items() if k[0] != venue.id}
            known[key] = _from_files(files)
            self._venue_files = known
        zone, phone = known[key]
        settings = session.scalar(
            select(VenueDocument.doc).where(
                VenueDocument.venue_id == venue.id, VenueDocument.part == "settings"
            )
        )
        return VenueFacts(venue.name_zh, venue.name_en, zone, phone, _service_times(settings))


def _authorised(session: Session, ticket_no: str, token: str) -> Submission | None:
    presented = hashlib.sha256(token[:MAX_TOKEN].encode("utf-8", "replace")).hexdigest()
    ticket = normal_ticket(ticket_no)
    submission = None
    if ticket is not None and token and len(token) <= MAX_TOKEN:
        submission = session.scalar(select(Submission).where(Submission.ticket_no == ticket))
    stored = submission.token_sha256 if submission is not None else _NO_TOKEN
    matches = hmac.compare_digest(stored.encode("ascii"), presented.encode("ascii"))
    return submission if matches and submission is not None else None


def _member(kind: type[_E], value: object) -> _E | None:
    try:
        return kind(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _one_of(value: object, allowed: tuple[str, ...]) -> str | None:
    return value if isinstance(value, str) and value in allowed else None


def _store_name(payload: Mapping[str, Any]) -> str | None:
    store = payload.get("store")
    name = store.get("name") if isinstance(store, Mapping) else None
    if not isinstance(name, str) or not name.strip():
        return None
    return scrub_phones(" ".join(name.split())[:_STORE_CHARS])


def venue_zone(files: object) -> dt.tzinfo:
    """The time zone of the venue with these IMDF files (`Venue.files`): its venue feature's
    `ext.timezone`, else DEFAULT_ZONE."""
    return _from_files(files)[0]


def _from_files(files: object) -> tuple[dt.tzinfo, str | None]:
    """The venue feature's time zone (`ext.timezone`, else DEFAULT_ZONE) and phone."""
    props: Mapping[str, Any] = {}
    if isinstance(files, Mapping):
        collection = files.get("venue.geojson")
        features = collection.get("features") if isinstance(collection, Mapping) else None
        if isinstance(features, list) and features and isinstance(features[0], Mapping):
            found = features[0].get("properties")
            props = found if isinstance(found, Mapping) else {}
    ext = props.get("ext")
    named = ext.get("timezone") if isinstance(ext, Mapping) else None
    phone = props.get("phone")
    return _zone(named if isinstance(named, str) else DEFAULT_ZONE), (
        phone if isinstance(phone, str) and phone.strip() else None
    )


def _zone(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        if name != DEFAULT_ZONE:
            log.warning("venue time zone %r is unknown; using %s", name, DEFAULT_ZONE)
            return _zone(DEFAULT_ZONE)
        return CHINA_TIME  # no time zone database here; China keeps UTC+8 all year


def _service_times(settings: object) -> ServiceTimes:
    """The promises the venue's kiosks print (the venue's settings document, else the kiosk's
    defaults); a value out of the kiosk's range is ignored, as the kiosk ignores it."""
    section = settings.get("submissions") if isinstance(settings, Mapping) else None
    if not isinstance(section, Mapping):
        return ServiceTimes()
    values = {
        key: section[key]
        for key, (low, high) in _TIME_RANGES.items()
        if type(section.get(key)) is int and low <= section[key] <= high
    }
    return ServiceTimes(**values)


# --- for staff --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RatingRow:
    ticket_no: str
    kind: str
    kiosk_code: str
    status: str
    rating: int
    comment: str | None
    rated_at: dt.datetime


def ratings(db: Database, since: dt.datetime | None = None) -> list[RatingRow]:
    """The shoppers' ratings given at or after `since` (all when None), newest first."""
    query = (
        select(
            Submission.ticket_no,
            Submission.kind,
            Submission.kiosk_code,
            Submission.status,
            SatisfactionRating.rating,
            SatisfactionRating.comment,
            SatisfactionRating.rated_at,
        )
        .join(Submission, Submission.uuid == SatisfactionRating.submission_uuid)
        .order_by(SatisfactionRating.rated_at.desc())
    )
    if since is not None:
        query = query.where(SatisfactionRating.rated_at >= since)
    with db.reads() as session:
        return [RatingRow(*row) for row in session.execute(query)]
