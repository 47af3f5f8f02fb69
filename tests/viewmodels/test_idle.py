"""The idle watchdog, on real timers shortened to a second or two."""

from __future__ import annotations

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
