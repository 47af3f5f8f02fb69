"""Maintenance mode for staff: device facts, settings, sync health, printer, logs, restart.

Opened by `PinPadViewModel.granted`; closed by Leave, or by itself after
`[maintenance] idle_timeout_s` without a touch (the idle watchdog ends the session). Every
change and action is written to the audit log as done by the staff name typed at the top (or
"PIN holder"). Disk and network work runs off the GUI thread (`BackgroundCalls`).
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    Property,
    QCoreApplication,
    QLocale,
    QObject,
    Signal,
    Slot,
)
from sqlalchemy.orm import Session, sessionmaker

from kiosk.config import SettingSource
from kiosk.errors import KnownError
from kiosk.exitcodes import EXIT_LEAVE_KIOSK, EXIT_RESTART
from kiosk.maintenance.audit import AuditAction, AuditLog, clean_name
from kiosk.maintenance.setting_words import DESCRIPTIONS_ZH
from kiosk.maintenance.settings import DeviceSettings, Setting, SettingChange
from kiosk.services.receipts import ReceiptService
from kiosk.store import outbox_repo
from kiosk.viewmodels import QML_IMPORT_MAJOR_VERSION, QML_IMPORT_NAME
from kiosk.viewmodels.background import BackgroundCalls
from kiosk.viewmodels.listmodel import DataclassListModel
from kiosk.viewmodels.navigation import NavigationViewModel

if TYPE_CHECKING:
    from kiosk.services.sync_agent import SyncAgent

from PySide6.QtQml import QmlElement, QmlUncreatable

__all__ = ["QML_IMPORT_MAJOR_VERSION", "QML_IMPORT_NAME", "MaintenanceViewModel"]

log = logging.getLogger(__name__)

SCREEN = "maintenance"
LOG_TAIL_LINES = 120
DEFAULT_WHO = "PIN holder"

# The keys staff change on site, by page; the rest is for `mall-kiosk config set`.
SECTIONS: dict[str, tuple[str, ...]] = {
    "network": ("sync.server_url", "sync.interval_s"),
    "printer": (
        "printer.backend",
        "printer.paper_mm",
        "printer.host",
        "printer.port",
        "printer.serial_port",
        "printer.serial_baudrate",
        "printer.usb_vendor_id",
        "printer.usb_product_id",
        "printer.cups_printer",
    ),
    "display": (
        "display.language",
        "display.accessibility_default",
        "display.rotation",
        "session.idle_timeout_s",
        "session.form_idle_timeout_s",
        "session.member_idle_timeout_s",
        "session.countdown_s",
        "session.accessible_timeout_factor",
        "maintenance.idle_timeout_s",
    ),
}


# The translation context of this module's texts (`QT_TRANSLATE_NOOP` needs it spelled out).
_CONTEXT = "MaintenanceViewModel"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate looks for
    """Mark `text` for translation in `context`; it is translated where it is shown."""
    del context
    return text


@dataclass(frozen=True, slots=True)
class Said:
    """An outcome shown to staff: an English source text marked for translation, and its values.

    The screen shows it in the kiosk's language; `english()` is what tests and the log read.
    """

    text: str
    values: dict[str, object] = field(default_factory=dict)

    def english(self) -> str:
        return self.text.format(**self.values)

    def shown(self) -> str:
        return _translated(self.text, self.values)


def _translated(text: str, values: dict[str, object] | None = None) -> str:
    shown = QCoreApplication.translate(_CONTEXT, text)
    try:
        return shown.format(**(values or {}))
    except (KeyError, IndexError, ValueError):
        log.error("translation of %r does not fit its values; English shown", text)
        return text.format(**(values or {}))


def _chinese() -> bool:
    return QLocale().language() == QLocale.Language.Chinese


@dataclass(frozen=True, slots=True)
class DeviceFacts:
    """What the Device page shows; gathered once by the composition root."""

    kiosk_code: str
    app_version: str
    venue: str
    venue_id: str
    data_dir: Path
    device_file: Path | None
    log_file: Path
    tracking_url_base: str
    allow_exit: bool


@dataclass(frozen=True, slots=True)
class InfoRow:
    label: str
    value: str


class InfoModel(DataclassListModel):
    row_type = InfoRow


@dataclass(frozen=True, slots=True)
class SettingRow:
    key: str
    value: str
    source: str
    description: str


class SettingModel(DataclassListModel):
    row_type = SettingRow


@dataclass(frozen=True, slots=True)
class RejectedRow:
    ticketNo: str
    created: str
    reason: str


class RejectedModel(DataclassListModel):
    row_type = RejectedRow


@dataclass(frozen=True, slots=True)
class AuditRow:
    line: str


class AuditModel(DataclassListModel):
    row_type = AuditRow


def _local(when: dt.datetime | None) -> str:
    return when.astimezone().strftime("%Y-%m-%d %H:%M:%S") if when else "-"


@QmlElement
@QmlUncreatable("created by the application")
class MaintenanceViewModel(QObject):  # type: ignore[operator]  # PySide6 stub: QmlUncreatable lacks __call__
    """Properties: `staff`, `section` (the settings page shown), `message` (the outcome of the
    last action), `working`, `enrolled`, `syncText`, `printerText`, `logText`, `allowExit`,
    `deviceFile`; models `info`, `settings` (of `section`), `rejected`, `auditLog`."""

    changed = Signal()
    messageChanged = Signal()
    _printed = Signal(str, str)

    def __init__(
        self,
        *,
        nav: NavigationViewModel,
        facts: DeviceFacts,
        audit: AuditLog,
        settings: Callable[[], DeviceSettings] | None,
        receipts: ReceiptService,
        sessions: sessionmaker[Session],
        sync_agent: SyncAgent | None,
        quit_app: Callable[[int], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._nav = nav
        self._facts = facts
        self._audit = audit
        self._settings = settings
        self._receipts = receipts
        self._sessions = sessions
        self._sync_agent = sync_agent
        self._quit_app = quit_app
        self._calls = BackgroundCalls(self)
        self._info = InfoModel(self)
        self._setting_rows = SettingModel(self)
        self._rejected = RejectedModel(self)
        self._audit_rows = AuditModel(self)
        self._all_settings: list[Setting] = []
        self._staff = ""
        self._section = "display"
        self._message = ""
        self._message_en = ""
        self._working = False
        self._sync_text = ""
        self._printer_text = ""
        self._log_text = ""
        self._active = False
        self._reads = 0
        self._printed.connect(self._on_printed)
        nav.currentChanged.connect(self._on_screen_changed)

    # --- opening and closing -------------------------------------------------------------------
    def open(self) -> None:
        """The PIN was right: show maintenance mode."""
        if self._nav.current_screen() != SCREEN:
            self._nav.home()
            self._nav.push(SCREEN)

    @Slot()
    def leave(self) -> None:
        self._nav.home()

    def reset(self) -> None:
        """Session wipe (also when maintenance mode closes itself after being left idle)."""
        self._close("idle")

    def _on_screen_changed(self) -> None:
        here = self._nav.current_screen() == SCREEN
        if here and not self._active:
            self._active = True
            self.refresh()
        elif not here and self._active:
            self._close("left")

    def _close(self, how: str) -> None:
        if not self._active:
            return
        self._active = False
        self._record(AuditAction.MAINTENANCE_CLOSED, {"how": how})
        self._staff = ""
        self._message = ""
        self._message_en = ""
        self._log_text = ""
        self._audit_rows.set_rows([])
        self.changed.emit()
        self.messageChanged.emit()

    def close(self) -> None:
        """Application shutdown: wait for work still running."""
        self._calls.join()

    # --- slots: reading ------------------------------------------------------------------------
    @Slot()
    def refresh(self) -> None:
        """Read everything the pages show (settings, sync, printer, log, audit) afresh."""
        self._info.set_rows(self._info_rows())
        self._reads += 1
        read = self._reads
        # Only the newest read is shown: an older one finishing later would show stale rows.
        self._calls.run(
            self._read_all, lambda found: self._on_read(read, found), name="maintenance-read"
        )

    @Slot(str)
    def setStaff(self, name: str) -> None:
        cleaned = clean_name(name)[:40] if name.strip() else ""
        if cleaned != self._staff:
            self._staff = cleaned
            self.changed.emit()

    @Slot(str)
    def showSection(self, section: str) -> None:
        if section in SECTIONS and section != self._section:
            self._section = section
            self._show_settings()
            self.changed.emit()

    # --- slots: changing -----------------------------------------------------------------------
    @Slot(str, str)
    def saveSetting(self, key: str, text: str) -> None:
        settings = self._settings
        if settings is None:
            self._say(_NO_DEVICE_FILE)
            return
        who = self._who()
        self._work(lambda: settings().set(key, text.strip(), who), self._on_saved)

    @Slot(str)
    def resetSetting(self, key: str) -> None:
        settings = self._settings
        if settings is None:
            self._say(_NO_DEVICE_FILE)
            return
        who = self._who()
        self._work(lambda: settings().unset(key, who), self._on_saved)

    @Slot(str)
    def enroll(self, code: str) -> None:
        agent = self._sync_agent
        code = code.strip()
        if agent is None:
            self._say(
                Said(
                    QT_TRANSLATE_NOOP(
                        "MaintenanceViewModel",
                        "This kiosk has no central service yet: save sync.server_url below, "
                        "press Restart on the Device page, then enroll.",
                    )
                )
            )
            return
        if not code:
            self._say(
                Said(
                    QT_TRANSLATE_NOOP(
                        "MaintenanceViewModel",
                        "Type the one-time enrollment code from the central service.",
                    )
                )
            )
            return

        def call() -> Said:
            try:
                enrollment = agent.enroll(code)
            except Exception as exc:
                self._record(AuditAction.ENROLL_FAILED, {"error": str(exc)[:200]})
                raise
            self._record(AuditAction.ENROLL, {"kiosk": enrollment.kiosk_code})
            return Said(
                QT_TRANSLATE_NOOP(
                    "MaintenanceViewModel",
                    "Enrolled as kiosk {kiosk}; the first sync has started.",
                ),
                {"kiosk": enrollment.kiosk_code},
            )

        self._work(call, self._on_done)

    @Slot()
    def syncNow(self) -> None:
        if self._sync_agent is None:
            self._say(_NO_SERVICE)
            return
        self._record(AuditAction.SYNC_NOW)
        self._sync_agent.trigger()
        self._say(
            Said(
                QT_TRANSLATE_NOOP(
                    "MaintenanceViewModel", "Sync started; refresh in a moment to see the result."
                )
            )
        )

    @Slot()
    def testPrint(self) -> None:
        self._record(AuditAction.TEST_PRINT)
        self._working = True
        self.changed.emit()
        # The printer thread reports by a queued signal: no Qt object is touched from it.
        self._receipts.print_test_async(self._facts.tracking_url_base, self._printed.emit)

    @Slot(str)
    def exportTo(self, folder: str) -> None:
        target = Path(folder.strip()).expanduser()

        def export() -> Said:
            try:
                return self._export(target)
            except Exception as exc:
                self._record(AuditAction.EXPORT, {"to": str(target), "failed": str(exc)[:200]})
                raise

        self._work(export, self._on_done)

    @Slot()
    def restart(self) -> None:
        self._record(AuditAction.RESTART)
        self._quit_app(EXIT_RESTART)

    @Slot()
    def leaveKioskMode(self) -> None:
        if not self._facts.allow_exit:
            self._say(
                Said(
                    QT_TRANSLATE_NOOP(
                        "MaintenanceViewModel",
                        "Leaving kiosk mode is not allowed on this device "
                        "([maintenance] allow_exit).",
                    )
                )
            )
            return
        self._record(AuditAction.EXIT_KIOSK)
        self._quit_app(EXIT_LEAVE_KIOSK)

    # --- work ----------------------------------------------------------------------------------
    def _work(self, call: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self._working = True
        self.changed.emit()
        self._calls.run(call, done, name="maintenance")

    def _finish(self, result: Any) -> Said | str | None:
        """What a failed call says (a known error's own text), None when it went through."""
        self._working = False
        self.changed.emit()
        if isinstance(result, KnownError):
            return str(result)
        if isinstance(result, Exception):
            if _is_sync_error(result):
                return str(result)
            log.error("maintenance action failed", exc_info=result)
            return Said(
                QT_TRANSLATE_NOOP(
                    "MaintenanceViewModel", "That did not work; the details are in the log."
                )
            )
        return None

    def _on_done(self, result: Any) -> None:
        error = self._finish(result)
        self._say(error or (result if isinstance(result, Said) else str(result)))
        self.refresh()

    def _on_saved(self, result: Any) -> None:
        error = self._finish(result)
        if error is None and isinstance(result, SettingChange):
            values: dict[str, object] = {"key": result.key, "value": result.new}
            if result.overridden:
                values["source"] = _source(result.in_effect)
                text = QT_TRANSLATE_NOOP(
                    "MaintenanceViewModel",
                    "Saved {key} = {value}. Not in effect: {source} sets it. "
                    "Restart the app to apply it.",
                )
            else:
                text = QT_TRANSLATE_NOOP(
                    "MaintenanceViewModel", "Saved {key} = {value}. Restart the app to apply it."
                )
            self._say(Said(text, values))
        else:
            self._say(error or Said(QT_TRANSLATE_NOOP("MaintenanceViewModel", "Not saved.")))
        self.refresh()

    def _on_printed(self, zh: str, en: str) -> None:
        self._working = False
        self.changed.emit()
        self._say_both(zh if _chinese() else en, en)
        self.refresh()

    def _read_all(self) -> dict[str, Any]:
        """Runs on a worker thread: nothing here touches Qt objects."""
        found: dict[str, Any] = {}
        try:
            found["settings"] = self._settings().settings() if self._settings else []
        except KnownError as exc:
            found["settings"] = []
            found["settings_error"] = str(exc)
        with self._sessions() as session:
            found["rejected"] = list(outbox_repo.rejected(session))
        found["audit"] = [entry.summary() for entry in self._audit.recent(40)]
        state = self._receipts.status()
        error = self._receipts.last_error
        found["printer"] = _translated(
            QT_TRANSLATE_NOOP("MaintenanceViewModel", "State: {state}"), {"state": state}
        ) + (
            _translated(
                QT_TRANSLATE_NOOP("MaintenanceViewModel", ". Last error: {error}"),
                {"error": error},
            )
            if error
            else ""
        )
        found["log"] = _tail(self._facts.log_file, LOG_TAIL_LINES)
        found["sync"] = self._sync_summary(_translated)
        return found

    def _on_read(self, read: int, result: Any) -> None:
        if read != self._reads:
            return
        if isinstance(result, Exception):
            log.error("maintenance: reading the device state failed", exc_info=result)
            self._say(
                Said(
                    QT_TRANSLATE_NOOP(
                        "MaintenanceViewModel",
                        "Some of the device state could not be read; see the log.",
                    )
                )
            )
            return
        self._all_settings = result["settings"]
        self._show_settings()
        if "settings_error" in result:
            self._say(result["settings_error"])
        self._rejected.set_rows(
            [
                RejectedRow(e.ticket_no, _local(e.created_at), e.last_error or "")
                for e in result["rejected"]
            ]
        )
        self._audit_rows.set_rows([AuditRow(line) for line in result["audit"]])
        self._printer_text = result["printer"]
        self._log_text = result["log"]
        self._sync_text = result["sync"]
        self.changed.emit()

    def _show_settings(self) -> None:
        wanted = SECTIONS[self._section]
        by_key = {s.key: s for s in self._all_settings}
        self._setting_rows.set_rows(
            [
                SettingRow(
                    key,
                    by_key[key].shown,
                    _source(by_key[key].source),
                    DESCRIPTIONS_ZH.get(key, by_key[key].description)
                    if _chinese()
                    else by_key[key].description,
                )
                for key in wanted
                if key in by_key
            ]
        )

    def _sync_summary(self, say: Callable[[str, dict[str, object]], str]) -> str:
        """The sync health as lines: `say` puts each text in the screen's language (or not)."""
        agent = self._sync_agent
        if agent is None:
            return say(_NO_SERVICE.text, {})
        snap = agent.snapshot
        said = [
            Said(
                QT_TRANSLATE_NOOP("MaintenanceViewModel", "Central service: {url}"),
                {"url": agent.base_url},
            ),
            Said(QT_TRANSLATE_NOOP("MaintenanceViewModel", "Enrolled"))
            if agent.is_enrolled
            else Said(QT_TRANSLATE_NOOP("MaintenanceViewModel", "Not enrolled")),
            Said(QT_TRANSLATE_NOOP("MaintenanceViewModel", "Online"))
            if snap.online
            else Said(QT_TRANSLATE_NOOP("MaintenanceViewModel", "Offline")),
            Said(
                QT_TRANSLATE_NOOP("MaintenanceViewModel", "Last sync: {when}"),
                {"when": _local(snap.last_sync_at)},
            ),
            Said(
                QT_TRANSLATE_NOOP(
                    "MaintenanceViewModel", "Waiting to send: {waiting}; kept aside: {aside}"
                ),
                {"waiting": snap.queue_depth, "aside": snap.rejected_count},
            ),
        ]
        if snap.auth_failed:
            said.append(
                Said(
                    QT_TRANSLATE_NOOP(
                        "MaintenanceViewModel",
                        "The central service refused this kiosk's token: enroll it again.",
                    )
                )
            )
        if snap.last_error:
            said.append(
                Said(
                    QT_TRANSLATE_NOOP("MaintenanceViewModel", "Last error: {error}"),
                    {"error": snap.last_error},
                )
            )
        return "\n".join(say(line.text, line.values) for line in said)

    def _export(self, target: Path) -> Said:
        """Runs on a worker thread: logs and a diagnostics report into a new folder."""
        if not target.is_dir():
            raise KnownError(f"{target} is not a folder (is the USB stick mounted?)")
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        folder = target / f"mallkiosk-{self._facts.kiosk_code}-{stamp}"
        try:
            folder.mkdir()
            for path in sorted(self._facts.log_file.parent.glob(self._facts.log_file.name + "*")):
                shutil.copy2(path, folder / path.name)
            (folder / "diagnostics.txt").write_text(self._diagnostics(), encoding="utf-8")
        except OSError as exc:
            raise KnownError(f"could not write to {target}: {exc.strerror or exc}") from exc
        self._record(AuditAction.EXPORT, {"to": str(folder)})
        return Said(
            QT_TRANSLATE_NOOP("MaintenanceViewModel", "Logs and diagnostics written to {folder}."),
            {"folder": str(folder)},
        )

    def _diagnostics(self) -> str:
        from kiosk.maintenance.doctor import format_results, run_checks  # noqa: PLC0415

        f = self._facts  # in English, for whoever reads the report
        parts = [
            f"Kiosk: {f.kiosk_code}",
            f"App version: {f.app_version}",
            f"Venue: {f.venue} ({f.venue_id})",
            f"Device file: {f.device_file or '(none)'}",
            f"Data directory: {f.data_dir}",
        ]
        parts += ["", "== sync ==", self._sync_summary(_english)]
        if self._settings is not None:
            parts += ["", "== settings =="]
            parts += [
                f"{s.key} = {s.shown}  ({_source(s.source, _english)})"
                for s in self._settings().settings()
            ]
        parts += ["", "== doctor =="]
        parts.append(format_results(run_checks(self._facts.device_file)))
        parts += ["", "== audit log (recent) =="]
        parts += [entry.summary() for entry in self._audit.recent(200)]
        return "\n".join(parts) + "\n"

    # --- helpers -------------------------------------------------------------------------------
    def _info_rows(self) -> list[InfoRow]:
        f = self._facts
        return [
            InfoRow(self.tr("Kiosk"), f.kiosk_code),
            InfoRow(self.tr("App version"), f.app_version),
            InfoRow(self.tr("Venue"), f"{f.venue} ({f.venue_id})"),
            InfoRow(self.tr("Device file"), str(f.device_file) if f.device_file else "(none)"),
            InfoRow(self.tr("Data directory"), str(f.data_dir)),
        ]

    def _who(self) -> str:
        return self._staff or DEFAULT_WHO

    def _record(self, action: AuditAction, details: dict[str, str] | None = None) -> None:
        try:
            self._audit.record(self._who(), action, details or {})
        except KnownError as exc:
            log.error("audit record %s failed: %s", action, exc)

    def _say(self, said: Said | str) -> None:
        """Show an outcome; a plain string (a known error's own text) is shown as it is."""
        if isinstance(said, Said):
            self._say_both(said.shown(), said.english())
        else:
            self._say_both(said, said)

    def _say_both(self, shown: str, english: str) -> None:
        self._message, self._message_en = shown, english
        self.messageChanged.emit()

    # --- properties ----------------------------------------------------------------------------
    def _get_staff(self) -> str:
        return self._staff

    staff = Property(str, _get_staff, notify=changed)

    def _get_section(self) -> str:
        return self._section

    section = Property(str, _get_section, notify=changed)

    def _get_message(self) -> str:
        return self._message

    message = Property(str, _get_message, notify=messageChanged)

    def _get_working(self) -> bool:
        return self._working

    working = Property(bool, _get_working, notify=changed)

    def _get_sync_text(self) -> str:
        return self._sync_text

    syncText = Property(str, _get_sync_text, notify=changed)

    def _get_printer_text(self) -> str:
        return self._printer_text

    printerText = Property(str, _get_printer_text, notify=changed)

    def _get_log_text(self) -> str:
        return self._log_text

    logText = Property(str, _get_log_text, notify=changed)

    def _get_allow_exit(self) -> bool:
        return self._facts.allow_exit

    allowExit = Property(bool, _get_allow_exit, constant=True)

    def _get_can_edit(self) -> bool:
        return self._settings is not None

    canEdit = Property(bool, _get_can_edit, constant=True)

    def _get_rejected_count(self) -> int:
        return self._rejected.rowCount()

    rejectedCount = Property(int, _get_rejected_count, notify=changed)

    def _get_info(self) -> InfoModel:
        return self._info

    info = Property(QObject, _get_info, constant=True)

    def _get_settings(self) -> SettingModel:
        return self._setting_rows

    settings = Property(QObject, _get_settings, constant=True)

    def _get_rejected(self) -> RejectedModel:
        return self._rejected

    rejected = Property(QObject, _get_rejected, constant=True)

    def _get_audit(self) -> AuditModel:
        return self._audit_rows

    auditLog = Property(QObject, _get_audit, constant=True)

    def settings_rows(self) -> Sequence[SettingRow]:
        return self._setting_rows.rows()

    def is_working(self) -> bool:
        return self._working or self._calls.busy()

    def last_message(self) -> str:
        """The last outcome in English (the screen shows it in the kiosk's language)."""
        return self._message_en


_NO_DEVICE_FILE = Said(
    QT_TRANSLATE_NOOP(
        "MaintenanceViewModel",
        "This kiosk was started without a device file (--config or $MALLKIOSK_CONFIG), so "
        "settings cannot be saved here.",
    )
)
_NO_SERVICE = Said(
    QT_TRANSLATE_NOOP(
        "MaintenanceViewModel", "No central service is configured ([sync] server_url)."
    )
)


_SOURCE_WORDS = {
    "default": QT_TRANSLATE_NOOP("MaintenanceViewModel", "default"),
    "file": QT_TRANSLATE_NOOP("MaintenanceViewModel", "device file"),
    "pushed": QT_TRANSLATE_NOOP("MaintenanceViewModel", "central service"),
    "env": QT_TRANSLATE_NOOP("MaintenanceViewModel", "environment variable {name}"),
}


def _source(
    source: SettingSource, say: Callable[[str, dict[str, object]], str] = _translated
) -> str:
    """Where a value comes from, as staff read it (`say` picks the language)."""
    # An environment source's `where` is "environment variable NAME".
    name = source.where.rsplit(" ", 1)[-1]
    return say(_SOURCE_WORDS.get(source.kind, source.kind), {"name": name})


def _english(text: str, values: dict[str, object]) -> str:
    return text.format(**values)


def _is_sync_error(exc: Exception) -> bool:
    from sync.client import SyncError  # noqa: PLC0415 - requests is start-up weight

    return isinstance(exc, SyncError)


def _tail(path: Path, lines: int) -> str:
    try:
        with path.open("rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - 64 * 1024))
            text = f.read().decode("utf-8", "replace")
    except OSError as exc:
        return f"(the log cannot be read: {exc.strerror or exc})"
    return "\n".join(text.splitlines()[-lines:])
