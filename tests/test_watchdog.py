"""kiosk.watchdog against a real AF_UNIX datagram socket standing in for systemd."""

from __future__ import annotations

import logging
import os
import shutil
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtQuick import QQuickWindow
from pytestqt.qtbot import QtBot

from kiosk.watchdog import Notifier, ServiceWatchdog

pytestmark = pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs AF_UNIX sockets")


class FakeSystemd:
    """The receiving end of $NOTIFY_SOCKET: one datagram per notification."""

    def __init__(self, sock: socket.socket, address: str) -> None:
        self.sock = sock
        self.address = address

    def receive(self, timeout: float = 2.0) -> str:
        self.sock.settimeout(timeout)
        return self.sock.recv(4096).decode("utf-8")

    def pending(self) -> list[str]:
        """Everything sent so far, without waiting."""
        self.sock.setblocking(False)
        messages = []
        try:
            while True:
                messages.append(self.sock.recv(4096).decode("utf-8"))
        except BlockingIOError:
            pass
        return messages


class FakeWindow(QObject):
    """Stands in for QQuickWindow: only its first-frame signal."""

    frameSwapped = Signal()  # noqa: N815 - QQuickWindow's name


@pytest.fixture
def systemd() -> Iterator[FakeSystemd]:
    # A short directory of its own: a socket path must fit in 108 bytes.
    directory = Path(tempfile.mkdtemp(prefix="notify-"))
    path = directory / "notify.sock"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    try:
        yield FakeSystemd(sock, str(path))
    finally:
        sock.close()
        shutil.rmtree(directory, ignore_errors=True)


def test_without_notify_socket_everything_is_a_no_op(qtbot: QtBot) -> None:
    notifier = Notifier.from_environment({"WATCHDOG_USEC": "1000000"})
    assert not notifier.enabled
    assert notifier.watchdog_interval_ms is None
    assert not notifier.ready()
    assert not notifier.ping()
    assert not notifier.stopping()
    window = FakeWindow()
    watchdog = ServiceWatchdog(notifier)
    watchdog.start(window.frameSwapped)
    window.frameSwapped.emit()
    assert not watchdog.pinging
    assert not watchdog.ready
    watchdog.stop()


def test_ready_ping_and_stopping_are_the_protocol_datagrams(systemd: FakeSystemd) -> None:
    notifier = Notifier.from_environment({"NOTIFY_SOCKET": systemd.address})
    assert notifier.enabled
    assert notifier.ready("kiosk K07 ready")
    assert systemd.receive() == "READY=1\nSTATUS=kiosk K07 ready"
    assert notifier.ready()
    assert systemd.receive() == "READY=1"
    assert notifier.ping()
    assert systemd.receive() == "WATCHDOG=1"
    assert notifier.stopping()
    assert systemd.receive() == "STOPPING=1"
    notifier.close()


def test_a_restart_stretches_the_watchdog_until_the_next_first_frame(
    qtbot: QtBot, systemd: FakeSystemd
) -> None:
    env = {"NOTIFY_SOCKET": systemd.address, "WATCHDOG_USEC": "30000000"}
    before = ServiceWatchdog(Notifier.from_environment(env))
    old_window = FakeWindow()
    before.start(old_window.frameSwapped)
    assert systemd.receive() == "WATCHDOG=1"
    before.restart()  # maintenance mode's Restart: closing and starting again send no pings
    assert not before.pinging
    assert systemd.pending() == ["WATCHDOG_USEC=120000000\nWATCHDOG=1\nSTATUS=restarting"]

    # The same process, started again, inherits $WATCHDOG_USEC: its first frame sets it back.
    window = FakeWindow()
    after = ServiceWatchdog(Notifier.from_environment(env))
    after.start(window.frameSwapped, status="ready")
    window.frameSwapped.emit()
    assert systemd.pending()[:3] == [
        "WATCHDOG=1",
        "READY=1\nSTATUS=ready",
        "WATCHDOG_USEC=30000000\nWATCHDOG=1",
    ]
    after.stop()


def test_without_a_watchdog_a_restart_says_nothing(systemd: FakeSystemd) -> None:
    notifier = Notifier.from_environment({"NOTIFY_SOCKET": systemd.address})
    assert not notifier.restarting()
    assert not notifier.restore_watchdog()
    assert systemd.pending() == []


@pytest.mark.skipif(os.uname().sysname != "Linux", reason="abstract sockets are Linux only")
def test_an_abstract_namespace_socket_is_reached() -> None:
    name = f"mallkiosk-test-{os.getpid()}-{time.monotonic_ns()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        sock.settimeout(2.0)
        notifier = Notifier.from_environment({"NOTIFY_SOCKET": "@" + name})
        assert notifier.ping()
        assert sock.recv(4096) == b"WATCHDOG=1"
        notifier.close()


@pytest.mark.parametrize(
    ("env", "interval_ms"),
    [
        ({"WATCHDOG_USEC": "30000000"}, 15000),  # no WATCHDOG_PID: ours
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "100"}, 15000),  # this process
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "42"}, 15000),  # cage, our parent
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "7"}, None),  # someone else's
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "cage"}, None),
        ({"WATCHDOG_USEC": "0"}, None),
        ({"WATCHDOG_USEC": "-5"}, None),
        ({"WATCHDOG_USEC": "30s"}, None),
        ({}, None),
    ],
)
def test_the_watchdog_interval_is_half_the_timeout_when_the_watchdog_is_ours(
    systemd: FakeSystemd, env: dict[str, str], interval_ms: int | None
) -> None:
    environ = {"NOTIFY_SOCKET": systemd.address, **env}
    notifier = Notifier.from_environment(environ, pid=100, parent_pid=42)
    assert notifier.enabled
    assert notifier.watchdog_interval_ms == interval_ms


def test_a_socket_nobody_listens_on_is_logged_once_and_never_raises(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    notifier = Notifier.from_environment({"NOTIFY_SOCKET": str(tmp_path / "gone.sock")})
    with caplog.at_level(logging.WARNING, logger="kiosk.watchdog"):
        assert not notifier.ready()
        assert not notifier.ping()
    notifier.close()
    assert len(caplog.records) == 1
    assert "cannot notify systemd" in caplog.records[0].getMessage()


def test_the_gui_thread_pings_and_says_ready_once_at_the_first_frame(
    qtbot: QtBot, systemd: FakeSystemd
) -> None:
    window = FakeWindow()
    notifier = Notifier.from_environment(
        {"NOTIFY_SOCKET": systemd.address, "WATCHDOG_USEC": "100000"}
    )
    assert notifier.watchdog_interval_ms == 50
    watchdog = ServiceWatchdog(notifier)
    watchdog.start(window.frameSwapped, status="ready")
    assert watchdog.pinging
    assert systemd.receive() == "WATCHDOG=1"  # at once, not one interval later
    assert not watchdog.ready

    window.frameSwapped.emit()
    window.frameSwapped.emit()
    assert watchdog.ready
    messages: list[str] = []

    def three_pings() -> None:
        messages.extend(systemd.pending())
        assert messages.count("WATCHDOG=1") >= 3

    qtbot.waitUntil(three_pings, timeout=3000)
    assert messages.count("READY=1\nSTATUS=ready") == 1

    watchdog.stop()
    assert not watchdog.pinging
    assert systemd.pending()[-1] == "STOPPING=1"
    qtbot.wait(150)
    assert systemd.pending() == []  # no ping after STOPPING=1


def test_a_blocked_gui_thread_sends_no_pings(qtbot: QtBot, systemd: FakeSystemd) -> None:
    notifier = Notifier.from_environment(
        {"NOTIFY_SOCKET": systemd.address, "WATCHDOG_USEC": "40000"}
    )
    watchdog = ServiceWatchdog(notifier)
    window = FakeWindow()
    watchdog.start(window.frameSwapped)
    qtbot.wait(100)
    assert "WATCHDOG=1" in systemd.pending()

    time.sleep(0.3)  # the GUI thread is stuck: its event loop runs no timer
    assert systemd.pending() == []
    qtbot.wait(100)  # and once it runs again, so do the pings
    assert "WATCHDOG=1" in systemd.pending()
    watchdog.stop()


def test_ready_comes_with_a_real_window_s_first_frame(qtbot: QtBot, systemd: FakeSystemd) -> None:
    window = QQuickWindow()
    window.resize(108, 192)
    notifier = Notifier.from_environment({"NOTIFY_SOCKET": systemd.address})
    watchdog = ServiceWatchdog(notifier)
    watchdog.start(window.frameSwapped, status="home screen shown")
    window.show()
    qtbot.waitUntil(lambda: watchdog.ready, timeout=5000)
    assert systemd.receive() == "READY=1\nSTATUS=home screen shown"
    assert not watchdog.pinging  # no WATCHDOG_USEC: no watchdog
    watchdog.stop()
    assert systemd.receive() == "STOPPING=1"
    window.close()
    window.deleteLater()
