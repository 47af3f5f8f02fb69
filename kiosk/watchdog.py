"""Telling systemd how the kiosk is doing: ready, still alive, stopping.

The kiosk's unit (installer/systemd/mall-kiosk.service) is `Type=notify` with `WatchdogSec=`:
systemd waits for READY=1 before it counts the kiosk as started, and restarts it when WATCHDOG=1
stops arriving. This module speaks that protocol (sd_notify(3): one datagram of KEY=VALUE lines
to the AF_UNIX socket named by $NOTIFY_SOCKET) with the standard library, no libsystemd.

The pings come from a QTimer on the GUI thread, so a GUI thread that stops running its event
loop (a deadlock, an endless loop) stops them and systemd restarts the kiosk.

Outside systemd ($NOTIFY_SOCKET unset: development, tests, Windows) everything is a no-op.

The kiosk runs as the child of cage, the Wayland compositor, which is the service's main
process: the unit therefore says NotifyAccess=all, and $WATCHDOG_PID (set by systemd for the
process it started) names cage, so a watchdog meant for our parent is taken as ours.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

from PySide6.QtCore import QObject, QTimer, SignalInstance, Slot

log = logging.getLogger(__name__)

#: Longest a notification may block the GUI thread when systemd does not read its socket.
SEND_TIMEOUT_S = 0.5
#: The watchdog's timeout while the kiosk restarts itself (maintenance mode's Restart, pushed
#: settings): closing waits for a print or a sync to end, and the same process then starts
#: again before it can ping. Set back to systemd's own at the new first frame.
RESTART_GRACE_S = 120


class Notifier:
    """Sends state changes to the service manager listening on $NOTIFY_SOCKET.

    `address` is the socket's path, or its name in Linux's abstract namespace when it starts
    with "@"; None disables everything. `watchdog_usec` is the watchdog timeout systemd gave
    ($WATCHDOG_USEC), None when there is no watchdog.
    """

    def __init__(self, address: str | None, watchdog_usec: int | None = None) -> None:
        self._address = address
        self._watchdog_usec = watchdog_usec if address else None
        self._socket: socket.socket | None = None
        self._failed = False

    @classmethod
    def from_environment(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        pid: int | None = None,
        parent_pid: int | None = None,
    ) -> Notifier:
        """The notifier systemd set up for this process, or a disabled one."""
        env: Mapping[str, str] = os.environ if environ is None else environ
        address = env.get("NOTIFY_SOCKET") or None
        if address is None or not hasattr(socket, "AF_UNIX"):
            return cls(None)
        ours = {
            os.getpid() if pid is None else pid,
            os.getppid() if parent_pid is None else parent_pid,
        }
        return cls(address, _watchdog_usec(env, ours))

    @property
    def enabled(self) -> bool:
        """Whether a service manager listens at all."""
        return self._address is not None

    @property
    def watchdog_interval_ms(self) -> int | None:
        """How often to ping: half the watchdog timeout, as sd_watchdog_enabled(3) advises."""
        if self._watchdog_usec is None:
            return None
        return max(1, self._watchdog_usec // 2000)

    def notify(self, *assignments: str) -> bool:
        """Send KEY=VALUE lines in one datagram. False when nobody listens or it failed: the
        kiosk carries on either way (a failure is logged once)."""
        if self._address is None or not assignments:
            return False
        address = "\0" + self._address[1:] if self._address.startswith("@") else self._address
        payload = "\n".join(assignments).encode("utf-8")
        try:
            if self._socket is None:
                self._socket = socket.socket(
                    socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC
                )
                self._socket.settimeout(SEND_TIMEOUT_S)
            self._socket.sendto(payload, address)
        except OSError as exc:
            if not self._failed:
                log.warning("cannot notify systemd at %s: %s", self._address, exc)
                self._failed = True
            return False
        self._failed = False
        return True

    def ready(self, status: str = "") -> bool:
        """The kiosk is up and can be used."""
        return self.notify("READY=1", *((f"STATUS={status}",) if status else ()))

    def ping(self) -> bool:
        """Still alive (resets the watchdog timer)."""
        return self.notify("WATCHDOG=1")

    def stopping(self) -> bool:
        """Shutting down on purpose: systemd stops waiting for pings."""
        return self.notify("STOPPING=1")

    def restarting(self, grace_s: int = RESTART_GRACE_S) -> bool:
        """The same process is about to close and start again (no pings meanwhile): give it
        `grace_s` before the watchdog fires. No-op without a watchdog."""
        if self._watchdog_usec is None:
            return False
        return self.notify(
            f"WATCHDOG_USEC={grace_s * 1_000_000}", "WATCHDOG=1", "STATUS=restarting"
        )

    def restore_watchdog(self) -> bool:
        """Back to the timeout systemd gave (after `restarting`, in the started-again process,
        which inherits $WATCHDOG_USEC). No-op without a watchdog."""
        if self._watchdog_usec is None:
            return False
        return self.notify(f"WATCHDOG_USEC={self._watchdog_usec}", "WATCHDOG=1")

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


def _watchdog_usec(env: Mapping[str, str], ours: set[int]) -> int | None:
    """$WATCHDOG_USEC when the watchdog is meant for one of `ours` (this process or cage)."""
    try:
        usec = int(env.get("WATCHDOG_USEC", ""))
    except ValueError:
        return None
    if usec <= 0:
        return None
    pid_text = env.get("WATCHDOG_PID", "")
    if pid_text:
        try:
            if int(pid_text) not in ours:
                return None
        except ValueError:
            return None
    return usec


class ServiceWatchdog(QObject):
    """READY=1 at the first frame of the kiosk's window, WATCHDOG=1 from a timer on the thread
    this object lives on (create it on the GUI thread), STOPPING=1 from `stop`.

    A window's frameSwapped comes from the render thread; this object's slot runs on its own
    thread, so readiness is also proof that the GUI thread's event loop runs.
    """

    def __init__(self, notifier: Notifier, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.notifier = notifier
        self._status = ""
        self._ready = False
        self._first_frame: SignalInstance | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._ping)
        interval = notifier.watchdog_interval_ms
        if interval is not None:
            self._timer.setInterval(interval)

    @property
    def ready(self) -> bool:
        return self._ready

    @property
    def pinging(self) -> bool:
        return self._timer.isActive()

    def start(self, first_frame: SignalInstance, status: str = "") -> None:
        """Start pinging now and say READY=1 when `first_frame` (a signal such as
        QQuickWindow.frameSwapped) is first emitted."""
        self._status = status
        if not self.notifier.enabled:
            return
        self._first_frame = first_frame
        first_frame.connect(self._on_first_frame)
        if self.notifier.watchdog_interval_ms is not None:
            self.notifier.ping()
            self._timer.start()

    @Slot()
    def _on_first_frame(self) -> None:
        if self._ready:
            return  # a frame queued before the first one was handled
        if self._first_frame is not None:
            self._first_frame.disconnect(self._on_first_frame)
            self._first_frame = None
        self._ready = True
        self.notifier.ready(self._status)
        # A restart of the same process stretched the timeout (`restarting`): undo it.
        self.notifier.restore_watchdog()

    @Slot()
    def _ping(self) -> None:
        self.notifier.ping()

    def stop(self) -> None:
        """The kiosk is leaving on purpose: stop pinging and say so."""
        self._timer.stop()
        self.notifier.stopping()
        self.notifier.close()

    def restart(self) -> None:
        """The kiosk closes and starts again in this process: no pings until it is back, so
        the watchdog waits longer meanwhile (see `Notifier.restarting`)."""
        self._timer.stop()
        self.notifier.restarting()
        self.notifier.close()
