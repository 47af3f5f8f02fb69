"""The shell view model without QML: session start, language, accessibility, the total wipe."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.services.session import IdlePolicy, SessionScratch
from kiosk.viewmodels.idle import IdleViewModel
from kiosk.viewmodels.navigation import NavigationViewModel
from kiosk.viewmodels.shell import ShellViewModel

POLICY = IdlePolicy(browse_s=1, form_s=1, member_s=1, countdown_s=1, accessible_factor=3.0)


@dataclass
class Resets:
    count: int = 0

    def reset(self) -> None:
        self.count += 1


@pytest.fixture
def parts(qtbot: QtBot, tmp_path: Path):  # type: ignore[no-untyped-def]
    nav = NavigationViewModel()
    idle = IdleViewModel(POLICY)
    languages: list[str] = []
    resets = [Resets(), Resets()]
    shell = ShellViewModel(
        nav=nav,
        idle=idle,
        scratch=SessionScratch(tmp_path),
        default_language="zh_CN",
        mall_name=("云汇广场", "Yunhui Plaza"),
        fullscreen=False,
        resettables=resets,
        apply_language=languages.append,
    )
    yield shell, nav, idle, resets, languages
    idle.disarm()


def test_start_opens_home_and_arms_idle(qtbot: QtBot, parts) -> None:  # type: ignore[no-untyped-def]
    shell, nav, idle, _, _ = parts
    shell.start()
    assert nav.current == "home"
    with qtbot.waitSignal(idle.promptVisibleChanged, timeout=2500):
        pass


def test_language_toggle_applies_translations(qtbot: QtBot, parts) -> None:  # type: ignore[no-untyped-def]
    shell, _, _, _, languages = parts
    with qtbot.waitSignal(shell.languageChanged):
        shell.toggleLanguage()
    assert shell.language == "en"
    shell.toggleLanguage()
    assert languages == ["en", "zh_CN"]
    with qtbot.assertNotEmitted(shell.languageChanged):
        shell.setLanguage("zh_CN")


def test_accessibility_lengthens_idle_timeouts(qtbot: QtBot, parts) -> None:  # type: ignore[no-untyped-def]
    shell, _, idle, _, _ = parts
    shell.setAccessibilityMode(True)
    assert idle.timeoutSeconds == 3


def test_end_session_wipes_everything(qtbot: QtBot, parts) -> None:  # type: ignore[no-untyped-def]
    shell, nav, idle, resets, _ = parts
    shell.start()
    nav.push("member")
    shell.toggleLanguage()
    shell.setAccessibilityMode(True)
    scratch = Path(shell.keyboardDataPath)
    (scratch / "usr_dict.dat").write_text("typed")
    with qtbot.waitSignals([shell.keyboardDataPathChanged, shell.sessionEnded], order="strict"):
        shell.endSession()
    assert [r.count for r in resets] == [1, 1]
    assert nav.current == "attract"
    assert shell.language == "zh_CN"
    assert not shell.accessibilityMode
    assert not scratch.exists()
    assert Path(shell.keyboardDataPath).is_dir()
    with qtbot.assertNotEmitted(idle.promptVisibleChanged, wait=1500):
        pass


def test_idle_expiry_ends_the_session(qtbot: QtBot, parts) -> None:  # type: ignore[no-untyped-def]
    shell, nav, _, resets, _ = parts
    shell.start()
    with qtbot.waitSignal(shell.sessionEnded, timeout=4000):
        pass
    assert nav.current == "attract"
    assert resets[0].count == 1


def test_unexpected_error_goes_home_with_a_calm_notice(qtbot: QtBot, parts) -> None:  # type: ignore[no-untyped-def]
    shell, nav, _, _, _ = parts
    shell.start()
    nav.push("returns")
    shell.recover_from_error()
    assert nav.current == "home"
    assert "went wrong" in shell.notice
    assert "Traceback" not in shell.notice


def test_a_kiosk_set_to_accessibility_mode_starts_every_session_in_it(
    qtbot: QtBot, tmp_path: Path
) -> None:
    nav = NavigationViewModel()
    idle = IdleViewModel(POLICY)
    shell = ShellViewModel(
        nav=nav,
        idle=idle,
        scratch=SessionScratch(tmp_path),
        default_language="zh_CN",
        accessible_by_default=True,
        mall_name=("云汇广场", "Yunhui Plaza"),
        fullscreen=False,
    )
    try:
        shell.start()
        assert shell.accessibilityMode
        assert idle.timeoutSeconds == POLICY.timeout_s(nav.kind(), accessible=True)
        shell.toggleAccessibilityMode()  # a shopper may switch it off...
        assert not shell.accessibilityMode
        shell.endSession()
        shell.start()  # ...the next session starts with it on again
        assert shell.accessibilityMode
    finally:
        idle.disarm()
