"""Member cards for kiosks: found by a scanned card or app code, or by a mobile number and a
one-time code texted to it.

The service owns member data and answers with a MemberCard that is already masked (see
`masking`): a kiosk never receives a full name, mobile number or member id, and nothing is
logged but masked numbers (the demo's LoggingSmsGateway alone writes the code). Without an
SMS gateway (the default) sign-in by SMS is refused as not set up (sms_unavailable).

Lookups by a scanned or typed code are capped per kiosk: after `max_scan_misses_per_hour`
codes that found no one, the kiosk is refused every lookup (too_many_lookups) until the oldest
of them is an hour old, so that a device token cannot walk through card numbers. The misses are
counted in the database (the kiosk code and the time, never the code scanned), so a restart does
not forgive them and every server process on the database shares the count.

Sign-in by SMS is guarded three ways (MemberPolicy): per number, one code per `resend_after_s`
and so many an hour; per kiosk, so many codes an hour, so that a kiosk cannot be used to flood
phones with texts; and a lock on a number after too many wrong codes. A code goes to any valid
number, member or not, so the kiosk cannot be used to find out who is a member; only the right
code tells (member_not_found). Numbers and codes are stored as keyed hashes only.

Time comes from an injected clock, so tests let codes and locks run out without waiting.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import math
import secrets
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from sync.schemas import (
    ExpiringPoints,
    MemberCard,
    MemberCodeReply,
    MemberCoupon,
    MemberTier,
    PointsTransaction,
)
from sync.server import points
from sync.server.db import Database
from sync.server.devices import DeviceIdentity
from sync.server.errors import CentralError
from sync.server.masking import mask_card, mask_name, mask_phone, scrub_phones
from sync.server.models import (
    Coupon,
    Member,
    MemberIdentifier,
    MemberScanMiss,
    PhoneGuard,
    PointsEntry,
    ServerSecret,
    SmsChallenge,
    Tier,
    Venue,
    utcnow,
)
from sync.server.sms import SmsError, SmsGateway

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
"""Returns the current time, aware."""

CHINA_TIME = dt.timezone(dt.timedelta(hours=8), "UTC+08:00")
CODE_DIGITS = 6
"""The protocol's SmsCode."""
_SECRET = "member_sms"
_HOUR = dt.timedelta(hours=1)
# Challenges are kept this long (for the hourly limits), then deleted with their hashes.
_KEEP_CHALLENGES = dt.timedelta(days=1)

# Error codes of the protocol (sync.schemas, section "members").
MEMBER_NOT_FOUND = "member_not_found"
CODE_WRONG = "code_wrong"
CODE_EXPIRED = "code_expired"
MEMBER_LOCKED = "member_locked"
TOO_MANY_CODES = "too_many_codes"
SMS_UNAVAILABLE = "sms_unavailable"
TOO_MANY_LOOKUPS = "too_many_lookups"


class MemberRefusedError(CentralError):
    """No card or no code, for a reason the shopper can act on.

    `code` is the protocol's error code; `attempts_left` comes with code_wrong (and 0 with the
    lock it led to), `retry_after_s` with member_locked, too_many_codes and too_many_lookups.
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        attempts_left: int | None = None,
        retry_after_s: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.attempts_left = attempts_left
        self.retry_after_s = retry_after_s


@dataclass(frozen=True, slots=True)
class MemberPolicy:
    """The rules of SMS sign-in and of what a card shows; durations in seconds.

    A number gets a code at most every `resend_after_s` and `codes_per_number_per_hour` an
    hour; a kiosk asks for at most `codes_per_device_per_hour` (counted by kiosk code, so
    re-enrolling does not reset it). `max_wrong_codes` wrong codes for a number within
    `wrong_code_memory_s` lock it for `lock_s`; asking for a new code does not reset the count.
    Points lapsing within `expiring_days` are listed; `tier_year_days` is the year over which
    earned points count toward the next tier. `mall_zone` decides what "today" is for points
    and coupons (China keeps UTC+8 all year). A kiosk (by kiosk code) whose scans found no
    member `max_scan_misses_per_hour` times within the hour is refused further scans until the
    oldest of those misses is an hour old; scans that find a member do not count.
    """

    code_ttl_s: int = 300
    resend_after_s: int = 60
    codes_per_number_per_hour: int = 5
    codes_per_device_per_hour: int = 30
    max_scan_misses_per_hour: int = 20
    max_wrong_codes: int = 5
    lock_s: int = 15 * 60
    wrong_code_memory_s: int = 60 * 60
    expiring_days: int = 90
    transactions: int = 20
    tier_year_days: int = 365
    mall_zone: dt.tzinfo = CHINA_TIME

    def __post_init__(self) -> None:
        for name in (
            "code_ttl_s",
            "codes_per_number_per_hour",
            "codes_per_device_per_hour",
            "max_scan_misses_per_hour",
            "max_wrong_codes",
            "lock_s",
            "wrong_code_memory_s",
            "transactions",
            "tier_year_days",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"MemberPolicy.{name} must be at least 1")
        if self.resend_after_s < 0 or self.expiring_days < 0:
            raise ValueError("MemberPolicy durations must not be negative")


def tier_view(tiers: Sequence[Tier], code: str, qualifying: int) -> MemberTier:
    """The tier `code` with its benefits, and the tier above it with the points still to earn
    for it: its `min_points` less `qualifying` (the points earned over the last year)."""
    ranked = sorted(tiers, key=lambda tier: tier.rank)
    index = next(i for i, tier in enumerate(ranked) if tier.code == code)
    current = ranked[index]
    upper = ranked[index + 1] if index + 1 < len(ranked) else None
    return MemberTier(
        code=current.code,
        name_zh=current.name_zh,
        name_en=current.name_en,
        benefits_zh=[str(b) for b in current.benefits_zh],
        benefits_en=[str(b) for b in current.benefits_en],
        next_name_zh=upper.name_zh if upper else None,
        next_name_en=upper.name_en if upper else None,
        points_to_next=max(0, upper.min_points - qualifying) if upper else None,
    )


def build_card(
    session: Session, member: Member, venue_id: str, now: dt.datetime, policy: MemberPolicy
) -> MemberCard:
    """The card of `member` as a kiosk of `venue_id` shows it at `now`: masked identity, tier,
    points, what lapses soon, the coupons still usable there and the latest movements."""
    today = now.astimezone(policy.mall_zone).date()
    rows = session.scalars(
        select(PointsEntry)
        .where(PointsEntry.member_id == member.id)
        .order_by(PointsEntry.at, PointsEntry.id)
    ).all()
    entries = [
        points.Entry(r.at, r.points, r.description_zh, r.description_en, r.store_id, r.expires_on)
        for r in rows
    ]
    state = points.statement(entries, now, policy.mall_zone)
    year_ago = now - dt.timedelta(days=policy.tier_year_days)
    qualifying = sum(e.points for e in entries if e.points > 0 and year_ago < e.at <= now)
    coupons = session.scalars(
        select(Coupon)
        .where(
            Coupon.member_id == member.id,
            Coupon.venue_id == venue_id,
            Coupon.used_at.is_(None),
            Coupon.valid_until >= today,
        )
        .order_by(Coupon.valid_until, Coupon.code)
    ).all()
    card_number = session.scalar(
        select(MemberIdentifier.code)
        .where(MemberIdentifier.member_id == member.id, MemberIdentifier.kind == "card")
        .order_by(MemberIdentifier.created_at.desc(), MemberIdentifier.code.desc())
        .limit(1)
    )
    return MemberCard(
        name_masked=mask_name(member.name),
        phone_masked=mask_phone(member.mobile),
        card_masked=mask_card(card_number or ""),
        tier=tier_view(session.scalars(select(Tier)).all(), member.tier_code, qualifying),
        points=state.balance,
        expiring=[
            ExpiringPoints(on=on, points=n)
            for on, n in points.expiring(state, today, policy.expiring_days)
        ],
        coupons=[
            MemberCoupon(
                code=c.code,
                title_zh=c.title_zh,
                title_en=c.title_en,
                terms_zh=c.terms_zh,
                terms_en=c.terms_en,
                valid_from=c.valid_from,
                valid_until=c.valid_until,
                store_ids=[str(s) for s in c.store_ids],
            )
            for c in coupons
        ],
        transactions=[
            PointsTransaction(
                at=e.at,
                points=e.points,
                description_zh=e.description_zh,
                description_en=e.description_en,
                store_id=e.store_id,
            )
            for e in points.history(entries, state, now, policy.transactions)
        ],
        as_of=now,
    )


def _digest(key: bytes, *parts: str) -> str:
    return hmac.new(key, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()


def _seconds(span: dt.timedelta) -> int:
    """Whole seconds to wait, at least 1."""
    return max(1, math.ceil(span.total_seconds()))


def sms_text(mall_zh: str, mall_en: str, code: str, ttl_s: int) -> str:
    minutes = max(1, ttl_s // 60)
    return (
        f"【{mall_zh}】会员验证码 {code}，{minutes} 分钟内有效，请勿告诉他人。"
        f"{mall_en} member code {code}, valid for {minutes} min. Do not share it."
    )


class MemberService:
    """Member lookups for enrolled kiosks; every method raises MemberRefusedError when there is
    no card or code to give. Methods block on the database (and `send_code` on the gateway):
    the web server calls them from its worker threads."""

    def __init__(
        self,
        db: Database,
        sms: SmsGateway | None,
        policy: MemberPolicy | None = None,
        clock: Clock = utcnow,
    ) -> None:
        """`sms` None: no gateway is configured, and sign-in by SMS is refused."""
        self.policy = policy or MemberPolicy()
        self._db = db
        self._sms = sms
        self._clock = clock
        self._key: bytes | None = None
        self._key_lock = threading.Lock()

    def scan(self, device: DeviceIdentity, code: str) -> MemberCard:
        """The card behind a scanned card number or app QR code."""
        now = self._clock()
        # Checked in a read, so that a card found takes no write lock; a miss is counted (and
        # the cap checked again) in a write of its own.
        with self._db.reads() as session:
            newest = self._recent_misses(session, device.kiosk_code, now)
            refusal = self._too_many_misses(newest, now)
            if refusal is not None:
                raise refusal
            member = session.scalar(
                select(Member)
                .join(MemberIdentifier, MemberIdentifier.member_id == Member.id)
                .where(MemberIdentifier.code == code)
            )
            if member is not None:
                return build_card(session, member, device.venue_id, now, self.policy)
        self._count_miss(device.kiosk_code)
        raise MemberRefusedError(MEMBER_NOT_FOUND, "no member has this card or app code")

    def send_code(self, device: DeviceIdentity, phone: str) -> MemberCodeReply:
        """Text a new one-time code to `phone` (member or not); it replaces any code pending."""
        if self._sms is None:
            raise MemberRefusedError(
                SMS_UNAVAILABLE,
                "member sign-in by SMS is not set up on this server (no SMS gateway); "
                "scan the member card instead",
            )
        now, policy = self._clock(), self.policy
        key = self._secret()
        phone_hash = _digest(key, "phone", phone)
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        with self._db.write() as session:
            self._forget_old(session, now)
            self._refuse_if_locked(session, phone_hash, now)
            self._refuse_if_too_many(session, phone_hash, device.kiosk_code, now)
            session.execute(
                update(SmsChallenge)
                .where(SmsChallenge.phone_hash == phone_hash, SmsChallenge.closed_at.is_(None))
                .values(closed_at=now, closed_why="replaced")
            )
            challenge = SmsChallenge(
                phone_hash=phone_hash,
                code_hash=_digest(key, "code", phone, code),
                kiosk_code=device.kiosk_code,
                created_at=now,
                expires_at=now + dt.timedelta(seconds=policy.code_ttl_s),
                attempts=0,
            )
            session.add(challenge)
            session.flush()
            challenge_id = challenge.id
            venue = session.get(Venue, device.venue_id)
            mall = (venue.name_zh, venue.name_en) if venue is not None else ("商场", "Mall")
        # Sent after the commit: a slow carrier must not hold the database's write lock.
        try:
            self._sms.send(phone, sms_text(*mall, code, policy.code_ttl_s))
        except SmsError as exc:
            with self._db.write() as session:
                session.execute(delete(SmsChallenge).where(SmsChallenge.id == challenge_id))
            log.warning("member code to %s not sent: %s", mask_phone(phone), scrub_phones(str(exc)))
            raise MemberRefusedError(
                SMS_UNAVAILABLE, "the text message could not be sent; try again later"
            ) from exc
        log.info("member code sent to %s for kiosk %s", mask_phone(phone), device.kiosk_code)
        return MemberCodeReply(
            sent_to=mask_phone(phone),
            expires_in_s=policy.code_ttl_s,
            resend_after_s=policy.resend_after_s,
        )

    def verify(self, device: DeviceIdentity, phone: str, code: str) -> MemberCard:
        """The card of the member with mobile `phone`, once `code` is the one texted to it.

        A code works once. A wrong one counts toward the number's lock whatever the answer,
        so the count is committed before the refusal is raised.
        """
        now = self._clock()
        key = self._secret()
        with self._db.write() as session:
            refusal = self._try_code(session, key, phone, code, now)
        if refusal is not None:
            log.info(
                "member sign-in at kiosk %s refused for %s: %s",
                device.kiosk_code,
                mask_phone(phone),
                refusal.code,
            )
            raise refusal
        with self._db.reads() as session:
            member = session.scalar(select(Member).where(Member.mobile == phone))
            if member is None:
                raise MemberRefusedError(MEMBER_NOT_FOUND, "this number is not a member's")
            return build_card(session, member, device.venue_id, now, self.policy)

    # --- the code's checks --------------------------------------------------------------------

    def _try_code(
        self, session: Session, key: bytes, phone: str, code: str, now: dt.datetime
    ) -> MemberRefusedError | None:
        policy = self.policy
        phone_hash = _digest(key, "phone", phone)
        guard = session.get(PhoneGuard, phone_hash)
        if guard is not None and guard.locked_until is not None and guard.locked_until > now:
            return self._locked(guard.locked_until - now)
        challenge = session.scalars(
            select(SmsChallenge)
            .where(SmsChallenge.phone_hash == phone_hash, SmsChallenge.closed_at.is_(None))
            .order_by(SmsChallenge.id.desc())
            .limit(1)
        ).first()
        if challenge is None or challenge.expires_at <= now:
            return MemberRefusedError(
                CODE_EXPIRED, "no code is waiting for this number, or it expired: ask again"
            )
        challenge.attempts += 1
        if hmac.compare_digest(challenge.code_hash, _digest(key, "code", phone, code)):
            challenge.closed_at, challenge.closed_why = now, "verified"
            if guard is not None:
                session.delete(guard)
            return None
        if guard is None:
            guard = PhoneGuard(phone_hash=phone_hash, failures=0)
            session.add(guard)
        memory = dt.timedelta(seconds=policy.wrong_code_memory_s)
        if guard.failures_since is None or now - guard.failures_since >= memory:
            guard.failures, guard.failures_since = 0, now
        guard.failures += 1
        left = policy.max_wrong_codes - guard.failures
        if left > 0:
            return MemberRefusedError(
                CODE_WRONG, f"the code is not right; {left} tries left", attempts_left=left
            )
        lock = dt.timedelta(seconds=policy.lock_s)
        guard.failures, guard.failures_since, guard.locked_until = 0, None, now + lock
        challenge.closed_at, challenge.closed_why = now, "locked"
        return self._locked(lock, attempts_left=0)

    def _locked(self, left: dt.timedelta, attempts_left: int | None = None) -> MemberRefusedError:
        wait = _seconds(left)
        return MemberRefusedError(
            MEMBER_LOCKED,
            f"too many wrong codes: this number is locked for {math.ceil(wait / 60)} min",
            attempts_left=attempts_left,
            retry_after_s=wait,
        )

    def _refuse_if_locked(self, session: Session, phone_hash: str, now: dt.datetime) -> None:
        guard = session.get(PhoneGuard, phone_hash)
        if guard is not None and guard.locked_until is not None and guard.locked_until > now:
            raise self._locked(guard.locked_until - now)

    def _refuse_if_too_many(
        self, session: Session, phone_hash: str, kiosk_code: str, now: dt.datetime
    ) -> None:
        policy = self.policy
        to_number = session.scalars(
            select(SmsChallenge.created_at)
            .where(SmsChallenge.phone_hash == phone_hash, SmsChallenge.created_at > now - _HOUR)
            .order_by(SmsChallenge.created_at)
        ).all()
        resend = dt.timedelta(seconds=policy.resend_after_s)
        if to_number and now - to_number[-1] < resend:
            wait = _seconds(to_number[-1] + resend - now)
            raise MemberRefusedError(
                TOO_MANY_CODES,
                f"a code was just sent to this number; ask again in {wait} s",
                retry_after_s=wait,
            )
        # Waiting until the oldest code that counts is an hour old frees one place.
        cap = policy.codes_per_number_per_hour
        if len(to_number) >= cap:
            wait = _seconds(to_number[-cap] + _HOUR - now)
            raise MemberRefusedError(
                TOO_MANY_CODES,
                f"too many codes were sent to this number; ask again in {wait} s",
                retry_after_s=wait,
            )
        cap = policy.codes_per_device_per_hour
        by_kiosk = session.scalars(
            select(SmsChallenge.created_at)
            .where(SmsChallenge.kiosk_code == kiosk_code, SmsChallenge.created_at > now - _HOUR)
            .order_by(SmsChallenge.created_at)
        ).all()
        if len(by_kiosk) >= cap:
            wait = _seconds(by_kiosk[-cap] + _HOUR - now)
            raise MemberRefusedError(
                TOO_MANY_CODES,
                f"this kiosk has asked for too many codes; ask again in {wait} s",
                retry_after_s=wait,
            )

    # --- the scans' cap -----------------------------------------------------------------------

    def _recent_misses(
        self, session: Session, kiosk_code: str, now: dt.datetime
    ) -> Sequence[dt.datetime]:
        """The times of the kiosk's misses within the hour before `now`, newest first; no more
        than the cap (no more are ever stored within an hour)."""
        return session.scalars(
            select(MemberScanMiss.at)
            .where(MemberScanMiss.kiosk_code == kiosk_code, MemberScanMiss.at > now - _HOUR)
            .order_by(MemberScanMiss.at.desc())
            .limit(self.policy.max_scan_misses_per_hour)
        ).all()

    def _too_many_misses(
        self, newest: Sequence[dt.datetime], now: dt.datetime
    ) -> MemberRefusedError | None:
        cap = self.policy.max_scan_misses_per_hour
        if len(newest) < cap:
            return None
        # Waiting until the oldest miss that counts is an hour old frees one place.
        wait = _seconds(newest[cap - 1] + _HOUR - now)
        return MemberRefusedError(
            TOO_MANY_LOOKUPS,
            f"this kiosk looked up too many cards that are no member's; try again in {wait} s",
            retry_after_s=wait,
        )

    def _count_miss(self, kiosk_code: str) -> None:
        """Count a scan of the kiosk that found no one; refused instead (and not counted) when
        the cap was reached meanwhile, by another request or another server process.

        The check and the count share one write transaction, and writers take turns (see
        sync.server.db), so concurrent scans never count past the cap. The time is read in
        that transaction too, so misses are stored in the order they were counted.
        """
        cap = self.policy.max_scan_misses_per_hour
        with self._db.write() as session:
            now = self._clock()
            # The kiosk's misses that no longer count: no more than the cap, found by the index.
            session.execute(
                delete(MemberScanMiss).where(
                    MemberScanMiss.kiosk_code == kiosk_code, MemberScanMiss.at <= now - _HOUR
                )
            )
            newest = self._recent_misses(session, kiosk_code, now)
            refusal = self._too_many_misses(newest, now)
            if refusal is None:
                session.add(MemberScanMiss(kiosk_code=kiosk_code, at=now))
        if refusal is not None:
            raise refusal
        if len(newest) + 1 == cap:
            log.warning(
                "kiosk %s: %d scans found no member within the hour; its lookups are refused",
                kiosk_code,
                cap,
            )

    def _forget_old(self, session: Session, now: dt.datetime) -> None:
        """Delete what no limit needs any more, hashes of non-members' numbers included."""
        session.execute(
            delete(SmsChallenge).where(SmsChallenge.created_at < now - _KEEP_CHALLENGES)
        )
        memory = dt.timedelta(seconds=self.policy.wrong_code_memory_s)
        session.execute(
            delete(PhoneGuard).where(
                or_(PhoneGuard.locked_until.is_(None), PhoneGuard.locked_until <= now),
                or_(PhoneGuard.failures_since.is_(None), PhoneGuard.failures_since <= now - memory),
            )
        )

    def _secret(self) -> bytes:
        """The key of the number and code hashes: drawn once, kept in the database so that
        every server process on it agrees."""
        with self._key_lock:
            if self._key is None:
                with self._db.reads() as session:
                    value = session.scalar(
                        select(ServerSecret.value).where(ServerSecret.name == _SECRET)
                    )
                if value is None:
                    with self._db.write() as session:
                        row = session.get(ServerSecret, _SECRET)
                        if row is None:
                            row = ServerSecret(
                                name=_SECRET, value=secrets.token_hex(32), created_at=utcnow()
                            )
                            session.add(row)
                        value = row.value
                self._key = bytes.fromhex(value)
            return self._key
