"""Blocking work for a view model, off the GUI thread, with the result handed back on it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal


class BackgroundCalls(QObject):
    """`run(call, done)`: `call()` runs on a worker thread; `done(result)` runs on the thread
    that owns this object (the GUI thread) with what it returned, or the exception it raised."""

    _finished = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threads: list[threading.Thread] = []
        self._finished.connect(self._deliver)

    def run(self, call: Callable[[], Any], done: Callable[[Any], None], *, name: str) -> None:
        def work() -> None:
            try:
                result: Any = call()
            except Exception as exc:  # handed to `done`, which tells known errors from bugs
                result = exc
            self._finished.emit(done, result)

        thread = threading.Thread(target=work, name=name, daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def busy(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    def join(self, timeout: float = 30.0) -> None:
        for thread in self._threads:
            thread.join(timeout)

    @staticmethod
    def _deliver(done: Callable[[Any], None], result: Any) -> None:
        done(result)
