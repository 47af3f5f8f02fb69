"""Text messages to shoppers' phones: the gateway interface, and the gateways shipped.

The member service texts one-time codes through the `SmsGateway` it is given. By default it
has none (`--sms-gateway none`): sign-in by SMS is refused as not set up. `LoggingSmsGateway`
(`--sms-gateway log`, for demos only) sends nothing: it writes the message, code included, to
the log with the number masked, so a demo's operator reads the code there. `MemoryGateway`
keeps messages for tests. A carrier's gateway is any class with `send(phone, text)`, named on
the command line as `mall-central serve --sms-gateway package.module:Class` and built with no
arguments.
"""

from __future__ import annotations

import importlib
import logging
import re
import threading
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from sync.server.errors import CentralError
from sync.server.masking import mask_phone

log = logging.getLogger(__name__)

_CODE = re.compile(r"(?<![0-9])[0-9]{6}(?![0-9])")


class SmsError(CentralError):
    """The message could not be sent (carrier unreachable, refused); str() says why."""


@runtime_checkable
class SmsGateway(Protocol):
    """Sends one text message; raises SmsError when it cannot. Called from worker threads."""

    def send(self, phone: str, text: str) -> None: ...


class LoggingSmsGateway:
    """Writes each message to the log (the number masked) instead of sending it: for demos."""

    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", mask_phone(phone), text)


@dataclass(frozen=True, slots=True)
class Sms:
    phone: str
    text: str


class MemoryGateway:
    """Keeps every message instead of sending it, for tests to read the codes back.

    `failure`, when set, is the SmsError message every send fails with.
    """

    def __init__(self) -> None:
        self._sent: list[Sms] = []
        self._lock = threading.Lock()
        self.failure: str | None = None

    @property
    def sent(self) -> list[Sms]:
        with self._lock:
            return list(self._sent)

    def send(self, phone: str, text: str) -> None:
        if self.failure is not None:
            raise SmsError(self.failure)
        with self._lock:
            self._sent.append(Sms(phone, text))

    def messages_to(self, phone: str) -> list[str]:
        return [sms.text for sms in self.sent if sms.phone == phone]

    def last_code(self, phone: str) -> str:
        """The six-digit code of the last message to `phone`; LookupError when none was sent."""
        texts = self.messages_to(phone)
        if not texts:
            raise LookupError("no message was sent to that number")
        found = _CODE.search(texts[-1])
        if found is None:
            raise LookupError("the last message to that number holds no code")
        return found.group(0)

    def clear(self) -> None:
        with self._lock:
            self._sent.clear()


NO_GATEWAY = "none"
"""The --sms-gateway that configures none: sign-in by SMS is refused (the default)."""


def load_gateway(spec: str) -> SmsGateway | None:
    """The gateway `spec` names: "none" (None), "log", or "package.module:Class" (built with no
    arguments)."""
    if spec == NO_GATEWAY:
        return None
    if spec == "log":
        return LoggingSmsGateway()
    module_name, colon, class_name = spec.partition(":")
    if not colon or not module_name or not class_name:
        raise CentralError(f'SMS gateway "{spec}": give "none", "log" or "package.module:Class"')
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise CentralError(f"SMS gateway {spec}: cannot import {module_name}: {exc}") from exc
    factory = getattr(module, class_name, None)
    if not callable(factory):
        raise CentralError(f"SMS gateway {spec}: {module_name} has no class {class_name}")
    gateway = factory()
    if not isinstance(gateway, SmsGateway):
        raise CentralError(f"SMS gateway {spec}: it has no send(phone, text) method")
    return gateway
