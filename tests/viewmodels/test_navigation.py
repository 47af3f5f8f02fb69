from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from kiosk.services.session import ScreenKind
from kiosk.viewmodels.navigation import NavigationViewModel


def test_starts_on_the_attract_screen(qtbot: QtBot) -> None:
    nav = NavigationViewModel()
    assert nav.current == "attract"
    assert not nav.canGoBack


def test_push_back_and_home(qtbot: QtBot) -> None:
    nav = NavigationViewModel()
    with qtbot.waitSignal(nav.navigated) as blocker:
        nav.home()
    assert blocker.args == ["reset", "home"]
    nav.push("wayfinding")
    nav.push("member")
    assert nav.stack() == ["attract", "home", "wayfinding", "member"]
    assert nav.kind() is ScreenKind.MEMBER
    assert nav.canGoBack
    with qtbot.waitSignal(nav.navigated) as blocker:
        nav.back()
    assert blocker.args == ["pop", "wayfinding"]
    nav.home()
    assert nav.current == "home"
    assert not nav.canGoBack
    with qtbot.assertNotEmitted(nav.navigated):
        nav.back()


def test_unknown_screen_is_refused(qtbot: QtBot) -> None:
    nav = NavigationViewModel()
    with pytest.raises(ValueError, match="unknown screen"):
        nav.push("settings-of-doom")
