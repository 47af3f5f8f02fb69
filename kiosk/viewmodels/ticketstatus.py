"""查询单号 / Check my ticket: a ticket number (typed or scanned from the receipt's QR) and its
status from the local cache, which the sync agent keeps up to date."""

from __future__ import annotations

import datetime as dt
import logging
import re

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.domain.tickets import TicketFormatError, status_name
from kiosk.errors import KnownError
from kiosk.services.submissions import SubmissionService, TicketLookup
from kiosk.viewmodels import QML_IMPORT_MAJOR_VERSION, QML_IMPORT_NAME

__all__ = ["QML_IMPORT_MAJOR_VERSION", "QML_IMPORT_NAME", "TicketStatusViewModel"]

log = logging.getLogger(__name__)

# A scanned receipt QR is the tracking URL: take the ticket number from its path.
_URL_TICKET = re.compile(r"/([A-Za-z0-9-]{6,30})\?t=")


@QmlElement
@QmlUncreatable("created by the application")
class TicketStatusViewModel(QObject):  # type: ignore[operator]  # PySide6 stub: QmlUncreatable lacks __call__
    """Properties: `found`, `ticketNo`, `statusZh/En`, `note`, `updated` ("YYYY-MM-DD HH:MM"),
    `messageZh/En` (why nothing is shown: a mistyped number, or not known here)."""

    changed = Signal()

    def __init__(self, service: SubmissionService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._result: TicketLookup | None = None
        self._message = ("", "")

    @Slot(str)
    def lookup(self, text: str) -> None:
        text = text.strip()[:200]
        match = _URL_TICKET.search(text)
        if match:
            text = match.group(1)
        self._result = None
        self._message = ("", "")
        try:
            self._result = self._service.lookup(text)
        except TicketFormatError as exc:
            self._message = (exc.zh, exc.en)
        except KnownError as exc:
            log.warning("ticket lookup: %s", exc)
            self._message = ("暂时无法查询，请稍后再试。", "The lookup is not available right now.")
        else:
            if self._result is None:
                self._message = (
                    "本机没有这个单号的记录，请到服务台查询。",
                    "This kiosk has no record of that ticket. Please ask at the service desk.",
                )
        self.changed.emit()

    def reset(self) -> None:
        self._result = None
        self._message = ("", "")
        self.changed.emit()

    def _get_found(self) -> bool:
        return self._result is not None

    found = Property(bool, _get_found, notify=changed)

    def _get_ticket(self) -> str:
        return self._result.ticket_no if self._result else ""

    ticketNo = Property(str, _get_ticket, notify=changed)

    def _status(self) -> tuple[str, str]:
        if self._result is None:
            return ("", "")
        words = status_name(self._result.status)
        return (words.zh, words.en)

    def _get_status_zh(self) -> str:
        return self._status()[0]

    statusZh = Property(str, _get_status_zh, notify=changed)

    def _get_status_en(self) -> str:
        return self._status()[1]

    statusEn = Property(str, _get_status_en, notify=changed)

    def _get_note(self) -> str:
        return (self._result.note or "") if self._result else ""

    note = Property(str, _get_note, notify=changed)

    def _get_updated(self) -> str:
        if self._result is None or self._result.changed_at is None:
            return ""
        changed = self._result.changed_at
        if changed.tzinfo is None:  # SQLite keeps no offset; the cache stores UTC
            changed = changed.replace(tzinfo=dt.UTC)
        return changed.astimezone().strftime("%Y-%m-%d %H:%M")

    updated = Property(str, _get_updated, notify=changed)

    def _get_message_zh(self) -> str:
        return self._message[0]

    messageZh = Property(str, _get_message_zh, notify=changed)

    def _get_message_en(self) -> str:
        return self._message[1]

    messageEn = Property(str, _get_message_en, notify=changed)
