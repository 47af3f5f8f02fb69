"""The idle watchdog, on real timers shortened to a second or two."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.services.session import IdlePolicy, ScreenKind
from kiosk.viewmodels.idle import IdleViewModel

FAST = IdlePolicy(browse_s=1, form_s=3, member_s=1, countdown_s=2, accessible_factor=2.0)


@pytest.fixture
def idle(qtbot: QtBot) -> IdleViewModel:
    vm = IdleViewModel(FAST)
    yield vm
    vm.disarm()


def test_quiet_time_shows_prompt_then_counts_down_and_expires(
    qtbot: QtBot, idle: IdleViewModel
) -> None:
    idle.arm()
    assert not idle.promptVisible
    with qtbot.waitSignal(idle.promptVisibleChanged, timeout=3000):
        pass
    assert idle.promptVisible
    assert idle.secondsLeft == 2
    seen: list[object] = []
    idle.secondsLeftChanged.connect(lambda: seen.append(idle.secondsLeft))
    idle.expired.connect(lambda: seen.append("expired"))
    with qtbot.waitSignal(idle.expired, timeout=4000):
        pass
    assert seen == [1, 0, "expired"]
    assert not idle.promptVisible


def test_activity_postpones_the_prompt(qtbot: QtBot, idle: IdleViewModel) -> None:
    idle.arm()
    for _ in range(4):
        qtbot.wait(400)
        idle.activity()
    assert not idle.promptVisible


def test_touching_elsewhere_does_not_dismiss_the_prompt(qtbot: QtBot, idle: IdleViewModel) -> None:
    idle.arm()
    idle.prompt_now()
    idle.activity()
    assert idle.promptVisible


def test_continue_extends_again_and_again(qtbot: QtBot, idle: IdleViewModel) -> None:
    idle.arm()
    for _ in range(3):
        idle.prompt_now()
        assert idle.promptVisible
        with qtbot.assertNotEmitted(idle.expired, wait=300):
            idle.extend()
        assert not idle.promptVisible


def test_paused_while_printing(qtbot: QtBot, idle: IdleViewModel) -> None:
    idle.arm()
    idle.setPaused(True)
    with qtbot.assertNotEmitted(idle.promptVisibleChanged, wait=1500):
        pass
    idle.setPaused(False)
    with qtbot.waitSignal(idle.promptVisibleChanged, timeout=3000):
        pass


def test_disarmed_on_the_attract_screen(qtbot: QtBot, idle: IdleViewModel) -> None:
    with qtbot.assertNotEmitted(idle.promptVisibleChanged, wait=1500):
        idle.activity()


def test_timeout_depends_on_screen_and_accessibility(idle: IdleViewModel) -> None:
    assert idle.timeoutSeconds == 1
    idle.set_screen_kind(ScreenKind.FORM)
    assert idle.timeoutSeconds == 3
    idle.set_accessible(True)
    assert idle.timeoutSeconds == 6


def test_a_receipt_printing_pauses_the_idle_timer_from_the_printer_thread(
    qtbot: QtBot, idle: IdleViewModel, tmp_path: Path
) -> None:
    import threading

    from kiosk.domain.venue import Names
    from kiosk.printing.backends import open_printer
    from kiosk.printing.config import PrinterConfig
    from kiosk.services.receipts import ReceiptService

    seen: list[tuple[bool, bool]] = []  # (printing, on the GUI thread?)
    gui = threading.current_thread()
    idle.printing.connect(lambda busy: seen.append((busy, threading.current_thread() is gui)))
    printer = open_printer(PrinterConfig(backend="png"), data_dir=tmp_path)
    service = ReceiptService(printer, Names("云汇广场", "Yunhui Plaza"), "K01", idle.printing.emit)
    idle.arm()
    outcome: list[str] = []
    service.print_test_async("https://m.example/T", lambda _zh, en: outcome.append(en))
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=10_000)
    assert seen == [(True, True), (False, True)]  # paused, then resumed, on the GUI thread
    assert outcome == ["The test page was printed."]
    with qtbot.waitSignal(idle.promptVisibleChanged, timeout=3000):
        pass  # counting again after the print
