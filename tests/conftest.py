"""Shared fixtures: an isolated data directory and configuration per test, Qt set up offscreen
with the virtual keyboard, and Qt warnings collected so a test can fail on them."""

from __future__ import annotations

import os

# Before Qt is imported anywhere: render offscreen, load the real on-screen keyboard.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
os.environ["QT_QUICK_CONTROLS_STYLE"] = "Basic"

import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.config import KioskConfig, load_config

# The real central service on 127.0.0.1 (`central`), for sync, member and maintenance tests.
pytest_plugins = ["tests.central"]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def make_config(tmp_path: Path, data_dir: Path) -> Callable[..., KioskConfig]:
    """Build a real configuration from a device file whose [paths] point into tmp_path."""

    def make(extra_toml: str = "") -> KioskConfig:
        device = tmp_path / "device.toml"
        device.write_text(
            f'[paths]\ndata_dir = "{data_dir.as_posix()}"\n{extra_toml}', encoding="utf-8"
        )
        return load_config(device, env={})

    return make


@pytest.fixture
def config(make_config: Callable[..., KioskConfig]) -> KioskConfig:
    return make_config()


# Noise from Qt's own modules, not from our QML or Python.
QT_NOISE_CATEGORIES = (
    "qt.multimedia.",  # the keyboard's key-click sound probes for PipeWire and falls back
    "qt.qml.propertyCache.",  # Qt Virtual Keyboard's PopupList overrides contentWidth
)


class QtMessages:
    """Qt warnings and errors raised while a test ran, less Qt's own noise."""

    def __init__(self) -> None:
        self.records: list[tuple[str, str]] = []

    def problems(self) -> list[str]:
        return [
            text for category, text in self.records if not category.startswith(QT_NOISE_CATEGORIES)
        ]


@pytest.fixture
def qt_messages() -> Iterator[QtMessages]:
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    messages = QtMessages()

    def handler(kind: QtMsgType, context: Any, text: str) -> None:
        if kind in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            messages.records.append((str(context.category or ""), text))

    previous = qInstallMessageHandler(handler)
    yield messages
    qInstallMessageHandler(previous)


@pytest.fixture(autouse=True)
def _no_thread_left_running() -> Iterator[None]:
    """A test that leaves a thread of its own running fails (the kiosk's workers must stop)."""
    import threading
    import time

    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 5
    while True:
        left = [
            t
            for t in threading.enumerate()
            if t not in before and t.is_alive() and not t.name.startswith(("asyncio", "Dummy"))
        ]
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert not left, f"threads left running: {[t.name for t in left]}"


@pytest.fixture(autouse=True)
def _restore_process_state() -> Iterator[None]:
    """The kiosk installs an excepthook and log handlers; give every test a clean slate."""
    hook = sys.excepthook
    handlers = list(logging.getLogger().handlers)
    level = logging.getLogger().level
    yield
    sys.excepthook = hook
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
