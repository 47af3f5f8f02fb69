"""Background calls: work off the GUI thread, the result back on it, and `busy` until then."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from kiosk.viewmodels.background import BackgroundCalls


def test_a_call_is_busy_until_its_result_is_delivered(qtbot: QtBot) -> None:
    calls = BackgroundCalls()
    got: list[tuple[object, str]] = []
    worker = threading.Event()

    def call() -> str:
        worker.set()
        return threading.current_thread().name

    calls.run(call, lambda result: got.append((result, threading.current_thread().name)), name="w")
    assert worker.wait(10)
    calls.join()
    # The thread has ended but the GUI thread has not had the result yet: still busy.
    assert calls.busy()
    assert got == []
    qtbot.waitUntil(lambda: not calls.busy(), timeout=5000)
    assert got == [("w", threading.current_thread().name)]


def test_an_exception_is_handed_over_as_the_result(qtbot: QtBot) -> None:
    calls = BackgroundCalls()
    got: list[object] = []

    def fail() -> None:
        raise OSError("disk gone")

    calls.run(fail, got.append, name="w")
    qtbot.waitUntil(lambda: not calls.busy(), timeout=5000)
    (error,) = got
    assert isinstance(error, OSError)
    assert str(error) == "disk gone"
