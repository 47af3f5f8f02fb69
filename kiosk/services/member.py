"""Member card lookups, asked live of the central service for the shopper at the screen.

Nothing member-related touches the kiosk's disk: replies stay in memory, each call uses a fresh
HTTP session that is closed afterwards, and the log records what kind of thing went wrong,
never a number, a name or a code. A failure becomes a `MemberLookupError` whose message the shopper
can act on; there is never an older answer to fall back on.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, TypeVar

from kiosk.domain.member import private_channel, read_scan
from kiosk.domain.validation import Problem, check_phone
from kiosk.errors import KnownError

if TYPE_CHECKING:
    # Imported where used: requests and the protocol's models are start-up weight the home
    # screen does not need.
    from sync.client import SyncClient, SyncError
    from sync.schemas import MemberCard, MemberCodeReply

log = logging.getLogger(__name__)

_T = TypeVar("_T")

RESEND_WAIT_S = 60
"""The central service's wait between two codes to one number (MemberPolicy.resend_after_s)."""

TIMEOUT = (3.05, 6.0)
"""Connect and read timeouts of a member call: a shopper is waiting."""


class ProblemKind(StrEnum):
    INVALID = "invalid"
    OFFLINE = "offline"
    NOT_SET_UP = "not_set_up"
    NOT_FOUND = "not_found"
    WRONG_CODE = "wrong_code"
    CODE_EXPIRED = "code_expired"
    LOCKED = "locked"
    TOO_MANY_CODES = "too_many_codes"
    CODE_JUST_SENT = "code_just_sent"
    TOO_MANY_LOOKUPS = "too_many_lookups"
    SMS_UNAVAILABLE = "sms_unavailable"
    BUSY = "busy"
    UNAVAILABLE = "unavailable"


_MESSAGES: dict[ProblemKind, tuple[str, str]] = {
    ProblemKind.INVALID: (
        "输入的内容无法识别，请核对后再试。",
        "That could not be read. Please check it and try again.",
    ),
    ProblemKind.OFFLINE: (
        "会员服务需要联网，本机暂时无法连接。请稍后再试，或到服务台查询。",
        "Member services need the network, and this kiosk cannot reach it right now. "
        "Please try again later or ask at the service desk.",
    ),
    ProblemKind.NOT_SET_UP: (
        "本机暂未开通会员服务，请到服务台查询。",
        "Member services are not set up on this kiosk. Please ask at the service desk.",
    ),
    ProblemKind.NOT_FOUND: (
        "没有找到会员信息。如需办理会员，请到服务台。",
        "No membership was found. To join, please visit the service desk.",
    ),
    ProblemKind.WRONG_CODE: (
        "验证码不对，还可以再试 {left} 次。",
        "That code is not right. {left} tries left.",
    ),
    ProblemKind.CODE_EXPIRED: (
        "验证码已失效，请重新获取。",
        "That code has expired. Please ask for a new one.",
    ),
    ProblemKind.LOCKED: (
        "验证码错误次数过多。为保护您的账户，请 {minutes} 分钟后再试，或到服务台办理。",
        "Too many wrong codes. To protect your account, please try again in {minutes} "
        "minutes or visit the service desk.",
    ),
    ProblemKind.TOO_MANY_CODES: (
        "这个号码获取验证码的次数太多，请 {minutes} 分钟后再试。",
        "Too many codes were sent to this number. Please try again in {minutes} minutes.",
    ),
    ProblemKind.CODE_JUST_SENT: (
        "验证码刚刚已发送，请查看短信；{seconds} 秒后可重新获取。",
        "A code was just sent: please check your messages. You can ask for another in {seconds} s.",
    ),
    ProblemKind.TOO_MANY_LOOKUPS: (
        "本机查询会员卡的次数过多，请 {minutes} 分钟后再试，或到服务台查询。",
        "This kiosk has looked up too many cards. Please try again in {minutes} minutes or ask "
        "at the service desk.",
    ),
    ProblemKind.SMS_UNAVAILABLE: (
        "暂时无法发送短信验证码，请扫描会员码，或到服务台查询。",
        "Codes by text message are not available right now. Please scan your member code, or "
        "ask at the service desk.",
    ),
    ProblemKind.BUSY: (
        "会员服务繁忙，请稍后再试。",
        "Member services are busy. Please try again in a moment.",
    ),
    ProblemKind.UNAVAILABLE: (
        "会员服务暂时不可用，请稍后再试或到服务台查询。",
        "Member services are not available right now. Please try later or ask at the service desk.",
    ),
}
_WRONG_CODE_NO_COUNT = ("验证码不对，请再试一次。", "That code is not right. Please try again.")
_DEFAULT_MINUTES = {
    ProblemKind.LOCKED: 15,
    ProblemKind.TOO_MANY_CODES: 60,
    ProblemKind.TOO_MANY_LOOKUPS: 60,
}
_REJECTED = {
    "member_not_found": ProblemKind.NOT_FOUND,
    "code_wrong": ProblemKind.WRONG_CODE,
    "code_expired": ProblemKind.CODE_EXPIRED,
    "member_locked": ProblemKind.LOCKED,
}


class MemberLookupError(KnownError):
    """Why a member lookup gave no card: `kind`, and (zh, en) sentences for the shopper."""

    def __init__(
        self,
        kind: ProblemKind,
        *,
        attempts_left: int | None = None,
        retry_after_s: float | None = None,
        text: tuple[str, str] | None = None,
    ) -> None:
        if text is None:
            zh, en = _MESSAGES[kind]
            if kind is ProblemKind.WRONG_CODE and not attempts_left:
                zh, en = _WRONG_CODE_NO_COUNT
            minutes = (
                max(1, math.ceil(retry_after_s / 60))
                if retry_after_s
                else _DEFAULT_MINUTES.get(kind, 1)
            )
            seconds = math.ceil(retry_after_s or 0)
            text = (
                zh.format(left=attempts_left, minutes=minutes, seconds=seconds),
                en.format(left=attempts_left, minutes=minutes, seconds=seconds),
            )
        super().__init__(text[1])
        self.kind = kind
        self.zh, self.en = text
        self.attempts_left = attempts_left
        self.retry_after_s = retry_after_s


def problem_for(exc: SyncError) -> MemberLookupError:
    """The shopper's view of a failed call; the details go to the log (no personal data is in
    them: member calls send numbers and codes in request bodies, never in URLs)."""
    from sync.client import (  # noqa: PLC0415
        BadReply,
        RateLimited,
        Rejected,
        ServerError,
        Unauthorized,
    )

    kind = ProblemKind.OFFLINE  # unreachable, timed out, server failing: all "no network"
    if isinstance(exc, Rejected):
        fallback = ProblemKind.INVALID if exc.status == 422 else ProblemKind.UNAVAILABLE
        kind = _REJECTED.get(exc.code or "", fallback)
    elif isinstance(exc, RateLimited):
        kind = ProblemKind.BUSY
        if exc.code == "too_many_codes":
            # The wait between two codes (a minute) is not "too many": the first one is on
            # its way, and the shopper may already hold it.
            short = exc.retry_after is not None and exc.retry_after <= RESEND_WAIT_S
            kind = ProblemKind.CODE_JUST_SENT if short else ProblemKind.TOO_MANY_CODES
        elif exc.code == "too_many_lookups":
            kind = ProblemKind.TOO_MANY_LOOKUPS
    elif isinstance(exc, ServerError) and exc.code == "sms_unavailable":
        kind = ProblemKind.SMS_UNAVAILABLE
    elif isinstance(exc, Unauthorized):
        kind = ProblemKind.NOT_SET_UP
    elif isinstance(exc, BadReply):
        kind = ProblemKind.UNAVAILABLE
    return MemberLookupError(
        kind,
        attempts_left=getattr(exc, "attempts_left", None),
        retry_after_s=getattr(exc, "retry_after", None),
    )


ClientFactory = Callable[[str, str], "SyncClient"]


def _default_client(base_url: str, token: str) -> SyncClient:
    from sync.client import INTERACTIVE_RETRY, SyncClient  # noqa: PLC0415

    return SyncClient(base_url, token, timeout=TIMEOUT, retries=INTERACTIVE_RETRY)


class MemberService:
    """Live member lookups over the kiosk's device token.

    `base_url` is the central service ("" when the kiosk has none); `token` returns the device
    token issued by that service, or None before enrollment. Calls block: run them with
    `call_async` from the GUI.
    """

    def __init__(
        self,
        base_url: str,
        token: Callable[[], str | None],
        *,
        client_factory: ClientFactory = _default_client,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._token = token
        self._client_factory = client_factory
        self._threads: list[threading.Thread] = []

    def available(self) -> bool:
        """Whether lookups can be tried at all: a central service reached privately, and a
        token for it."""
        return private_channel(self._base_url) and bool(self._token())

    def scan(self, raw: str) -> MemberCard:
        code = read_scan(raw)
        if code is None:
            raise MemberLookupError(
                ProblemKind.INVALID,
                text=(
                    "无法识别这个会员码，请再扫一次，或输入卡号。",
                    "That member code could not be read. Please scan again or type the card "
                    "number.",
                ),
            )
        return self._call("scan", lambda client: client.member_scan(code))

    def request_code(self, raw_phone: str) -> tuple[str, MemberCodeReply]:
        """Text a code to the mobile number in `raw_phone`; returns the number as sent."""
        phone = check_phone(raw_phone, required=True)
        if isinstance(phone, Problem):
            raise MemberLookupError(ProblemKind.INVALID, text=(phone.zh, phone.en))
        return phone, self._call("sms", lambda client: client.member_request_code(phone))

    def verify(self, phone: str, code: str) -> MemberCard:
        return self._call("verify", lambda client: client.member_verify(phone, code))

    def call_async(
        self, call: Callable[[], _T], done: Callable[[_T | MemberLookupError], None]
    ) -> threading.Thread:
        """Run `call` on a worker thread and hand its result, or its MemberLookupError, to `done`
        (on that thread)."""

        def work() -> None:
            try:
                result: _T | MemberLookupError = call()
            except MemberLookupError as problem:
                result = problem
            except Exception as exc:
                # A bug. Its text may hold what the shopper typed: log only its type, and
                # still answer, so the screen never waits for ever.
                log.error("member lookup failed unexpectedly: %s", type(exc).__name__)
                result = MemberLookupError(ProblemKind.UNAVAILABLE)
            done(result)

        thread = threading.Thread(target=work, name="member", daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        return thread

    def join(self, timeout: float = 30.0) -> None:
        for thread in self._threads:
            thread.join(timeout)

    def _call(self, what: str, call: Callable[[SyncClient], _T]) -> _T:
        if self._base_url and not private_channel(self._base_url):
            # Numbers, codes and cards must not cross the mall's network in clear.
            log.error("member services need https: %s is plain http", self._base_url)
            raise MemberLookupError(ProblemKind.NOT_SET_UP)
        token = self._token() if self._base_url else None
        if not token:
            raise MemberLookupError(ProblemKind.NOT_SET_UP)
        from sync.client import SyncError  # noqa: PLC0415 - see TYPE_CHECKING

        client = self._client_factory(self._base_url, token)
        try:
            return call(client)
        except SyncError as exc:
            problem = problem_for(exc)
            level = logging.ERROR if problem.kind is ProblemKind.NOT_SET_UP else logging.INFO
            # The exception text names the service and the HTTP status, nothing the shopper typed.
            log.log(level, "member %s: %s (%s)", what, problem.kind, exc)
            raise problem from None
        finally:
            client.close()
