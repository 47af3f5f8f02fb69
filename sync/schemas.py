"""The sync protocol between kiosks and the central service (HTTP + JSON under /v1).

Both sides import these models: the server to validate requests and publish its OpenAPI
document, the kiosk to validate every reply before it touches its cache. Extra fields are
refused on requests (a kiosk sending garbage is a bug) and ignored on replies (an older kiosk
keeps working against a newer server).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

PROTOCOL_VERSION = 1

# Limits both sides enforce; the server also caps the request body size.
MAX_BATCH = 200
MAX_PAYLOAD_KEYS = 64
MAX_TEXT = 4000
KioskCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9]{2,6}$")]
TicketNo = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9-]{6,30}$")]
Sha256Hex = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reply(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class ErrorReply(Reply):
    """Every error: a stable code for programs and a sentence for people. Never a traceback.

    `attempts_left` comes with a wrong member SMS code; `retry_after_s` with a lock or limit
    (also in the Retry-After header)."""

    error: str
    message: str
    attempts_left: int | None = None
    retry_after_s: int | None = None


# --- enrollment -----------------------------------------------------------------------------------


class EnrollRequest(Request):
    code: Annotated[str, StringConstraints(min_length=6, max_length=64)]
    kiosk_code: KioskCode
    app_version: Annotated[str, StringConstraints(max_length=40)]


class EnrollReply(Reply):
    device_token: str
    kiosk_code: str
    venue_id: str


# --- catalog: reference data down -----------------------------------------------------------------


class VenueDoc(Reply):
    """A venue as the IMDF files the kiosk's importer reads: file name -> GeoJSON object."""

    venue_id: str
    version: str
    files: dict[str, Any]


class PromotionDoc(Reply):
    id: str
    title_zh: str
    title_en: str
    body_zh: str
    body_en: str
    store_id: str | None = None
    starts: dt.date
    ends: dt.date


class CatalogReply(Reply):
    """Changes since the kiosk's cursor, or everything (`full`) when the cursor is unknown or
    too old. A part that did not change is None; `promotions` when present is the whole list."""

    cursor: str
    full: bool
    venue: VenueDoc | None = None
    promotions: list[PromotionDoc] | None = None
    return_policy: dict[str, Any] | None = None
    settings: dict[str, Any] | None = None


# --- submissions up -------------------------------------------------------------------------------

SubmissionKind = Literal["complaint", "feedback", "return_request", "repair_request"]


class SubmissionIn(Request):
    """One shopper submission. `uuid` is the idempotency key; the tracking token itself never
    leaves the kiosk except inside the printed QR code, the server keeps its SHA-256."""

    uuid: uuid.UUID
    kind: SubmissionKind
    ticket_no: TicketNo
    created_at: AwareDatetime
    token_sha256: Sha256Hex
    payload: Annotated[dict[str, Any], Field(max_length=MAX_PAYLOAD_KEYS)]


class SubmissionBatch(Request):
    items: Annotated[list[SubmissionIn], Field(min_length=1, max_length=MAX_BATCH)]


class SubmissionResult(Reply):
    uuid: uuid.UUID
    status: Literal["accepted", "duplicate", "rejected"]
    reason: str | None = None


class SubmissionBatchReply(Reply):
    results: list[SubmissionResult]


# --- status back ----------------------------------------------------------------------------------

TicketStatus = Literal[
    "submitted",
    "received",
    "acknowledged",
    "in_progress",
    "escalated",
    "resolved",
    "closed",
    "not_accepted",
    "withdrawn",
    "duplicate",
    "reopened",
    "checked_in",
    "inspected",
    "approved",
    "rejected",
    "refunded",
    "exchanged",
    "repair_in_progress",
    "ready_for_pickup",
    "completed",
    "cancelled",
    "expired",
]


class StatusChange(Reply):
    uuid: uuid.UUID
    ticket_no: str
    status: TicketStatus
    note: str | None = None
    changed_at: AwareDatetime


class StatusReply(Reply):
    cursor: str
    changes: list[StatusChange]


# --- heartbeat ------------------------------------------------------------------------------------


class Heartbeat(Request):
    app_version: Annotated[str, StringConstraints(max_length=40)]
    queue_depth: Annotated[int, Field(ge=0)]
    last_sync_at: AwareDatetime | None = None
    printer_state: Literal["ok", "paper_out", "cover_open", "offline", "unknown", "none"]
    free_disk_bytes: Annotated[int, Field(ge=0)]


class HeartbeatReply(Reply):
    server_time: AwareDatetime


# --- members: asked for live, never cached by a kiosk ------------------------------------------
#
# The central service owns member data and sends it already masked (王*明, 138****5678): a kiosk
# never receives a full name, mobile number or member id. Errors: 404 member_not_found,
# 400 code_wrong (attempts_left), 410 code_expired (none pending, used or expired: ask again),
# 423 member_locked and 429 too_many_codes / too_many_lookups (with Retry-After / retry_after_s),
# 503 sms_unavailable (no SMS gateway, or it failed).

MemberScanCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9:_.\-]{4,128}$")]
"""What a member card's barcode or the mall app's QR code holds, as the scanner types it."""
MobileNo = Annotated[str, StringConstraints(pattern=r"^1[3-9][0-9]{9}$")]
SmsCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]


class MemberScanRequest(Request):
    code: MemberScanCode


class MemberCodeRequest(Request):
    """Send a one-time code by SMS to `phone` (sent whether or not it belongs to a member, so
    the kiosk cannot be used to find out who is one)."""

    phone: MobileNo


class MemberCodeReply(Reply):
    sent_to: str
    """The number masked, 138****5678."""
    expires_in_s: int
    resend_after_s: int


class MemberVerifyRequest(Request):
    phone: MobileNo
    code: SmsCode


class MemberTier(Reply):
    code: str
    name_zh: str
    name_en: str
    benefits_zh: list[str]
    benefits_en: list[str]
    next_name_zh: str | None = None
    next_name_en: str | None = None
    points_to_next: int | None = None
    """Points still to earn for the next tier; None at the top tier."""


class ExpiringPoints(Reply):
    """Points that lapse at the end of `on` unless spent."""

    on: dt.date
    points: int


class MemberCoupon(Reply):
    code: str
    """What the shopper shows at the till: printed as text and as a QR code."""
    title_zh: str
    title_en: str
    terms_zh: str
    terms_en: str
    valid_from: dt.date
    valid_until: dt.date
    store_ids: list[str]
    """The venue's store (occupant) ids where it is valid; empty: every store in the mall."""


class PointsTransaction(Reply):
    at: AwareDatetime
    points: int
    """Earned (> 0) or spent / expired (< 0)."""
    description_zh: str
    description_en: str
    store_id: str | None = None


class MemberCard(Reply):
    """One member's card as shown on a kiosk; identity fields are masked by the service."""

    name_masked: str
    phone_masked: str
    card_masked: str
    tier: MemberTier
    points: int
    expiring: list[ExpiringPoints]
    """Points lapsing within the next 90 days, by date."""
    coupons: list[MemberCoupon]
    transactions: list[PointsTransaction]
    """The most recent first, at most 20."""
    as_of: AwareDatetime


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
