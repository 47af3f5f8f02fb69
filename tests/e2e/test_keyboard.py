"""The on-screen keyboard: Qt Virtual Keyboard's Pinyin input gives real Chinese text, and its
learning dictionary lives in the per-session directory the shell hands it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtQml import QQmlApplicationEngine
from pytestqt.qtbot import QtBot

pytestmark = pytest.mark.e2e

HARNESS = Path(__file__).with_name("keyboard_harness.qml")


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = QQmlApplicationEngine()
    (tmp_path / "session").mkdir()
    engine.setInitialProperties({"dataPath": str(tmp_path / "session")})
    engine.load(QUrl.fromLocalFile(str(HARNESS)))
    assert engine.rootObjects(), "keyboard harness did not load"
    win = engine.rootObjects()[0]
    qtbot.waitExposed(win)
    yield win
    win.deleteLater()
    engine.deleteLater()
    qtbot.wait(20)


def call(win, name: str, *args):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QMetaObject, Qt
    from PySide6.QtQml import QJSValue

    result = QMetaObject.invokeMethod(
        win,
        name,
        Qt.ConnectionType.DirectConnection,
        Q_RETURN_ARG("QVariant"),
        *[Q_ARG("QVariant", a) for a in args],
    )
    return result.toVariant() if isinstance(result, QJSValue) else result


def test_pinyin_gives_chinese(qtbot: QtBot, window) -> None:  # type: ignore[no-untyped-def]
    # The keyboard's settings are process-wide: an earlier test may have left zh_CN active, and
    # this window's keyboard only picks its input method when the locale changes.
    call(window, "setLocale", "en_US")
    qtbot.waitUntil(lambda: call(window, "activeLocale") == "en_US")
    call(window, "setLocale", "zh_CN")
    qtbot.waitUntil(lambda: call(window, "activeLocale") == "zh_CN")
    call(window, "type", "nihao")
    qtbot.waitUntil(lambda: len(call(window, "candidates")) > 0)
    assert "你好" in call(window, "candidates")
    call(window, "pickFirst")
    qtbot.waitUntil(lambda: call(window, "fieldText") == "你好")


def test_english_layout_types_latin(qtbot: QtBot, window) -> None:  # type: ignore[no-untyped-def]
    call(window, "setLocale", "en_US")
    qtbot.waitUntil(lambda: call(window, "activeLocale") == "en_US")
    call(window, "type", "nike")
    qtbot.waitUntil(lambda: call(window, "fieldText").lower().startswith("nike"))


PRIVATE_CONFIG_SCRIPT = """
import os, sys
from pathlib import Path
from kiosk.main import isolate_user_config
private = isolate_user_config()
from PySide6.QtCore import QUrl, QTimer, QMetaObject, Qt, Q_ARG
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
app = QGuiApplication([])
engine = QQmlApplicationEngine()
engine.setInitialProperties({"dataPath": str(private)})
engine.load(QUrl.fromLocalFile(sys.argv[1]))
win = engine.rootObjects()[0]
DIRECT = Qt.ConnectionType.DirectConnection
QMetaObject.invokeMethod(win, "setLocale", DIRECT, Q_ARG("QVariant", "zh_CN"))
def type_and_quit():
    QMetaObject.invokeMethod(win, "type", DIRECT, Q_ARG("QVariant", "nihao"))
    QMetaObject.invokeMethod(win, "pickFirst", DIRECT)
    found = sorted(str(p.relative_to(private)) for p in private.rglob("usr_dict.dat"))
    print("PRIVATE", private, found, flush=True)
    app.quit()
QTimer.singleShot(300, type_and_quit)
app.exec()
"""


def test_pinyin_learning_stays_out_of_the_home_directory(tmp_path: Path) -> None:
    """Qt Virtual Keyboard 6.11's Pinyin engine keeps its user dictionary under the config
    location whatever userDataPath says; the kiosk moves that location to a private directory
    that is removed when the process ends."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "XDG_CONFIG_HOME"}
    env.update(HOME=str(home), QT_QPA_PLATFORM="offscreen", QT_IM_MODULE="qtvirtualkeyboard")
    result = subprocess.run(
        [sys.executable, "-c", PRIVATE_CONFIG_SCRIPT, str(HARNESS)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    line = next(li for li in result.stdout.splitlines() if li.startswith("PRIVATE"))
    assert "qtvirtualkeyboard/pinyin/usr_dict.dat" in line
    assert not (home / ".config" / "qtvirtualkeyboard").exists()
    private_dir = Path(line.split()[1])
    assert not private_dir.exists(), "the private config directory outlived the process"
