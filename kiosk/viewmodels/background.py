"""Blocking work for a view model, off the GUI thread, with the result handed back on it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal


class BackgroundCalls(QObject):
    """`run(call, done)`: `call()` runs on a worker thread; `done(result)` runs on the thread
    that owns this object (the GUI thread) with what it returned, or the exception it raised.

    Call `run` and `busy` on that thread. A call is busy until its `done` has run, not only
    until its thread ends: the result still has to cross to this thread.
    """

    _finished = Signal(object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threads: list[threading.Thread] = []
        self._pending = 0  # calls whose `done` has not run yet
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
        self._pending += 1
        thread.start()

    def busy(self) -> bool:
        return self._pending > 0

    def join(self, timeout: float = 30.0) -> None:
        for thread in self._threads:
            thread.join(timeout)

    def _deliver(self, done: Callable[[Any], None], result: Any) -> None:
        self._pending -= 1
        done(result)
