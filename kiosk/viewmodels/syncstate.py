"""Sync state for the screens: online or not, what is waiting, when it last synced.

The sync agent reports from its worker thread; the report crosses to the GUI thread as a queued
signal before any property changes (Qt objects are only touched on their own thread).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtQml import QmlElement, QmlUncreatable

from kiosk.viewmodels import QML_IMPORT_MAJOR_VERSION, QML_IMPORT_NAME

__all__ = ["QML_IMPORT_MAJOR_VERSION", "QML_IMPORT_NAME", "SyncViewModel"]


@QmlElement
@QmlUncreatable("created by the application")
class SyncViewModel(QObject):  # type: ignore[operator]  # PySide6 stub: QmlUncreatable lacks __call__
    """Properties: `enabled` (a central service is configured), `online`, `queueDepth`,
    `lastSync` ("HH:MM" or empty). The shell shows a calm banner while offline."""

    changed = Signal()
    catalogChanged = Signal()
    """A sync brought new reference data (the catalog cursor moved)."""
    _reported = Signal(object)

    def __init__(self, enabled: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._enabled = enabled
        self._online = True
        self._queue_depth = 0
        self._last_sync: dt.datetime | None = None
        self._catalog_cursor: str | None = None
        self._reported.connect(self._apply)

    def report(self, snapshot: Any) -> None:
        """Called by the sync agent, from its worker thread."""
        self._reported.emit(snapshot)

    @Slot(object)
    def _apply(self, snapshot: Any) -> None:
        self._online = bool(snapshot.online)
        self._queue_depth = int(snapshot.queue_depth)
        self._last_sync = snapshot.last_sync_at
        self.changed.emit()
        cursor = getattr(snapshot, "catalog_cursor", None)
        if cursor is not None and cursor != self._catalog_cursor:
            self._catalog_cursor = cursor
            self.catalogChanged.emit()

    def _get_enabled(self) -> bool:
        return self._enabled

    enabled = Property(bool, _get_enabled, constant=True)

    def _get_online(self) -> bool:
        return self._online or not self._enabled

    online = Property(bool, _get_online, notify=changed)

    def _get_queue_depth(self) -> int:
        return self._queue_depth

    queueDepth = Property(int, _get_queue_depth, notify=changed)

    def _get_last_sync(self) -> str:
        if self._last_sync is None:
            return ""
        return self._last_sync.astimezone().strftime("%H:%M")

    lastSync = Property(str, _get_last_sync, notify=changed)
