"""The composition root: configuration, database, services and view models are built here once
and handed to QML as the typed required properties of Main.qml."""

from __future__ import annotations

import functools
import logging
import logging.handlers
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickWindow
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    # Imported where used: requests and friends are start-up weight a kiosk without a central
    # service does not need, and the device file's editor (tomlkit) is for maintenance mode.
    from kiosk.maintenance.settings import DeviceSettings, SettingChange
    from kiosk.services.sync_agent import SyncAgent, SyncSnapshot

from kiosk import app_version
from kiosk.config import (
    ConfigError,
    KioskConfig,
    load_config,
    resolved_data_dir,
    resolved_database,
    resolved_log_dir,
    resolved_venue_source,
)
from kiosk.domain.returns import default_policy_path, load_policy
from kiosk.domain.submissions import ServiceTimes
from kiosk.domain.validation import compile_phone_patterns
from kiosk.domain.venue import Names
from kiosk.errors import KnownError
from kiosk.exitcodes import EXIT_RESTART
from kiosk.maintenance.audit import AuditAction, AuditLog, staff_name
from kiosk.maintenance.pin import PinGuard
from kiosk.printing.backends import open_printer
from kiosk.services.credentials import device_token
from kiosk.services.member import MemberService
from kiosk.services.promotions import PromotionService
from kiosk.services.receipts import ReceiptService
from kiosk.services.session import IdlePolicy, SessionScratch
from kiosk.services.submissions import SubmissionService
from kiosk.services.venue import VenueService
from kiosk.services.wayfinding import NoVenueError, RouteSettings, WayfindingService
from kiosk.store.db import open_cache
from kiosk.store.venue_repo import VenueSummary
from kiosk.viewmodels.attract import AttractViewModel
from kiosk.viewmodels.complaint import ComplaintViewModel
from kiosk.viewmodels.i18n import Localizer
from kiosk.viewmodels.idle import IdleViewModel
from kiosk.viewmodels.levelmap import MapViewModel
from kiosk.viewmodels.maintenance import DeviceFacts, MaintenanceViewModel
from kiosk.viewmodels.member import MemberViewModel
from kiosk.viewmodels.navigation import NavigationViewModel
from kiosk.viewmodels.pinpad import PinPadViewModel
from kiosk.viewmodels.placement import PlacementViewModel
from kiosk.viewmodels.qrimage import QrImageProvider
from kiosk.viewmodels.returns import ReturnViewModel
from kiosk.viewmodels.route import RouteViewModel
from kiosk.viewmodels.shell import ShellViewModel
from kiosk.viewmodels.syncstate import SyncViewModel
from kiosk.viewmodels.ticketstatus import TicketStatusViewModel
from kiosk.viewmodels.wayfinding import WayfindingViewModel

log = logging.getLogger(__name__)

#: The directory that holds the `kiosk` package: the QML import path for `kiosk.views`.
QML_IMPORT_ROOT = Path(__file__).resolve().parent.parent


_LOG_HANDLER_NAME = "mallkiosk"


class StartupError(KnownError):
    """The kiosk cannot start; the message says why in words staff can act on."""


@dataclass(frozen=True, slots=True)
class Paths:
    data_dir: Path
    database: Path
    log_dir: Path

    @classmethod
    def from_config(cls, cfg: KioskConfig) -> Paths:
        return cls(
            data_dir=resolved_data_dir(cfg),
            database=resolved_database(cfg),
            log_dir=resolved_log_dir(cfg),
        )


def configure_logging(cfg: KioskConfig, log_dir: Path) -> None:
    """A rotating log file in the data directory, and warnings on stderr for development."""
    log_dir.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _LOG_HANDLER_NAME:
            root.removeHandler(handler)
            handler.close()
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    file_handler = logging.handlers.RotatingFileHandler(
        log_dir / "kiosk.log",
        maxBytes=cfg.logging.max_bytes,
        backupCount=cfg.logging.backup_count,
        encoding="utf-8",
    )
    file_handler.setFormatter(fmt)
    stderr_handler = logging.StreamHandler()
    stderr_handler.setLevel(logging.WARNING)
    stderr_handler.setFormatter(fmt)
    for handler in (file_handler, stderr_handler):
        handler.set_name(_LOG_HANDLER_NAME)
        root.addHandler(handler)
    root.setLevel(cfg.logging.level)


class ActivityFilter(QObject):
    """Any touch, click or key anywhere counts as the shopper still being there."""

    _EVENTS = frozenset(
        {
            QEvent.Type.MouseButtonPress,
            QEvent.Type.TouchBegin,
            QEvent.Type.KeyPress,
            QEvent.Type.Wheel,
        }
    )

    def __init__(self, idle: IdleViewModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._idle = idle

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._EVENTS:
            self._idle.activity()
        return False


class Kiosk:
    """Everything the running kiosk is made of; built by `build`, torn down by `close`."""

    def __init__(
        self,
        *,
        app: QGuiApplication,
        config: KioskConfig,
        paths: Paths,
        idle_policy: IdlePolicy | None = None,
        windowed: bool = False,
        reload_venue: bool = False,
        device_file: Path | None = None,
        pushed_settings: Mapping[str, Any] | None = None,
        follow_pushed_settings: bool = False,
    ) -> None:
        self.app = app
        self._pushed_settings = dict(pushed_settings or {})
        self._follow_pushed_settings = follow_pushed_settings
        self._restart_pending = False
        self.config = config
        self.paths = paths
        self.db_engine, self.sessions = open_cache(paths.database)
        self.venue = VenueService(self.sessions, resolved_venue_source(config))
        before = self.venue.summary() if reload_venue else None
        summary = self.venue.load(force=True) if reload_venue else self.venue.ensure_loaded()
        self.localizer = Localizer(app)
        s = config.session
        policy = idle_policy or IdlePolicy(
            browse_s=s.idle_timeout_s,
            form_s=s.form_idle_timeout_s,
            member_s=s.member_idle_timeout_s,
            countdown_s=s.countdown_s,
            accessible_factor=s.accessible_timeout_factor,
            maintenance_s=config.maintenance.idle_timeout_s,
        )
        self.scratch = SessionScratch()
        self.nav = NavigationViewModel()
        self.idle = IdleViewModel(policy)
        self.attract = AttractViewModel(
            PromotionService(self.sessions), config.attract.promotion_interval_s
        )
        w = config.wayfinding
        self.wayfinding_service = WayfindingService(
            self.sessions,
            config.device.code,
            RouteSettings(w.route_link_base, w.walking_speed_mps, w.step_free_speed_mps),
            position=config.device.kiosk_position(),
        )
        self._warm_up: threading.Thread | None = None
        self.wayfinding = WayfindingViewModel(self.wayfinding_service)
        self.map = MapViewModel(self.wayfinding_service)
        self.route = RouteViewModel(self.wayfinding_service, self.map)
        sub = config.submissions
        self.submissions = SubmissionService(
            self.sessions,
            config.device.code,
            sub.tracking_url_base,
            ServiceTimes(
                sub.first_response_minutes, sub.complex_case_hours, sub.request_valid_days
            ),
        )
        self.receipts = ReceiptService(
            open_printer(config.printer, data_dir=paths.data_dir),
            Names(summary.name_zh, summary.name_en),
            config.device.code,
            # No "are you still there?" while the shopper waits for paper.
            on_printing=self.idle.printing.emit,
        )
        self.complaint = ComplaintViewModel(
            self.submissions,
            self.wayfinding_service,
            self.receipts.print_async,
            mall_name=(summary.name_zh, summary.name_en),
            phone_patterns=compile_phone_patterns(sub.extra_phone_patterns),
        )
        self.returns = ReturnViewModel(
            self.submissions,
            self.wayfinding_service,
            self.receipts.print_async,
            load_policy(default_policy_path()),
            phone_patterns=compile_phone_patterns(sub.extra_phone_patterns),
        )
        self.ticket_status = TicketStatusViewModel(self.submissions)
        self.member = self._member_view_model(config.sync.server_url, paths.data_dir)
        self.sync = SyncViewModel(enabled=bool(config.sync.server_url))
        # Only a pull that brought new reference data can bring new settings.
        self.sync.catalogChanged.connect(self._check_pushed_settings)
        self.nav.currentChanged.connect(self._restart_when_idle)
        self.sync_agent: SyncAgent | None = None
        if config.sync.server_url:
            self.sync_agent = make_sync_agent(config, paths, self.sessions, self.sync.report)
            # A new submission goes out at once rather than at the next interval.
            self.submissions.on_filed(self.sync_agent.trigger)
        self.audit = AuditLog(self.sessions)
        if reload_venue:
            self._audit_venue_reload(before, summary)
        self.pinpad, self.maintenance = self._maintenance_mode(
            config, paths, device_file, summary.name_zh
        )
        # Its own map, so placing the kiosk leaves the shopper's map (level, route) alone.
        self.placement = PlacementViewModel(
            self.wayfinding_service,
            MapViewModel(self.wayfinding_service),
            functools.partial(self._save_setting, device_file),
        )
        self.shell = ShellViewModel(
            nav=self.nav,
            idle=self.idle,
            scratch=self.scratch,
            default_language=config.display.language,
            accessible_by_default=config.display.accessibility_default,
            mall_name=(summary.name_zh, summary.name_en),
            fullscreen=config.display.fullscreen and not windowed,
            resettables=[
                self.attract,
                self.wayfinding,
                self.route,
                self.map,
                self.complaint,
                self.returns,
                self.ticket_status,
                self.member,
                self.pinpad,
                self.maintenance,
                self.placement,
            ],
            apply_language=self.localizer.apply,
        )
        self.activity = ActivityFilter(self.idle)
        app.installEventFilter(self.activity)

        self._load_views(config, windowed=windowed)

    def _load_views(self, config: KioskConfig, *, windowed: bool) -> None:
        """Main.qml with every view model as its required properties."""
        # Noto Sans CJK covers Chinese and Latin alike, so both languages share one typeface.
        self.app.setFont(QFont("Noto Sans CJK SC"))
        self.engine = QQmlApplicationEngine()
        self.localizer.attach(self.engine)
        self.localizer.apply(config.display.language)
        self.engine.addImportPath(str(QML_IMPORT_ROOT))
        self.engine.addImageProvider("qr", QrImageProvider())
        self.engine.setInitialProperties(
            {
                "shell": self.shell,
                "nav": self.nav,
                "idle": self.idle,
                "attract": self.attract,
                "wayfinding": self.wayfinding,
                "map": self.map,
                "route": self.route,
                "complaint": self.complaint,
                "returns": self.returns,
                "ticketStatus": self.ticket_status,
                "member": self.member,
                "pinpad": self.pinpad,
                "maintenance": self.maintenance,
                "placement": self.placement,
                "sync": self.sync,
            }
        )
        self.engine.warnings.connect(self._on_qml_warnings)
        self.engine.loadFromModule("kiosk.views", "Main")
        roots = self.engine.rootObjects()
        if not roots or not isinstance(roots[0], QQuickWindow):
            raise StartupError("the kiosk screens could not be loaded; see the log for details")
        self.window: QQuickWindow = roots[0]
        # Background work (search index, route graph, the first sync) starts once the first
        # frame is on screen, so it does not compete with start-up for the CPU.
        self.window.frameSwapped.connect(self._start_background_work)
        if windowed or not config.display.fullscreen:
            self.window.resize(config.display.width, config.display.height)

    def _start_background_work(self) -> None:
        self.window.frameSwapped.disconnect(self._start_background_work)
        self._warm_up = self.wayfinding_service.warm_up()
        if self.sync_agent is not None:
            self.sync_agent.start()

    def _audit_venue_reload(self, before: VenueSummary | None, after: VenueSummary) -> None:
        """`--reload-venue` replaced the venue (maybe an imported one): staff see it audited."""
        old = f"{before.source} {before.version}" if before else "-"
        try:
            self.audit.record(
                staff_name(None),
                AuditAction.VENUE_RELOAD,
                {"venue": after.id, "from": old, "to": f"{after.source} {after.version}"},
            )
        except KnownError as exc:  # the kiosk still serves shoppers
            log.error("the venue reload could not be audited: %s", exc)

    def _maintenance_mode(
        self, config: KioskConfig, paths: Paths, device_file: Path | None, venue_name: str
    ) -> tuple[PinPadViewModel, MaintenanceViewModel]:
        """The PIN pad behind the hidden corner, and maintenance mode behind the PIN."""
        guard = PinGuard.from_config(self.sessions, self.audit, config.maintenance)
        started_with = config.maintenance.pin_hash
        pinpad = PinPadViewModel(
            guard,
            current_hash=functools.partial(_current_pin_hash, device_file, started_with),
        )
        summary = self.venue.summary()
        facts = DeviceFacts(
            kiosk_code=config.device.code,
            app_version=app_version(),
            venue=venue_name,
            venue_id=summary.id if summary else "",
            data_dir=paths.data_dir,
            device_file=device_file,
            log_file=paths.log_dir / "kiosk.log",
            tracking_url_base=config.submissions.tracking_url_base,
            allow_exit=config.maintenance.allow_exit,
        )
        settings: Callable[[], DeviceSettings] | None = None
        if device_file is not None:
            settings = functools.partial(self._device_settings, device_file)

        maintenance = MaintenanceViewModel(
            nav=self.nav,
            facts=facts,
            audit=self.audit,
            settings=settings,
            receipts=self.receipts,
            sessions=self.sessions,
            sync_agent=self.sync_agent,
            quit_app=self.request_exit,
        )
        pinpad.granted.connect(self._open_maintenance)
        return pinpad, maintenance

    def _device_settings(self, device_file: Path) -> DeviceSettings:
        """The device file's settings, read afresh (a sync may have pushed new ones)."""
        from kiosk.maintenance.settings import DeviceSettings, pushed_settings  # noqa: PLC0415

        return DeviceSettings(device_file, self.audit, pushed=pushed_settings(self.sessions))

    def _save_setting(
        self, device_file: Path | None, key: str, text: str, who: str
    ) -> SettingChange:
        """Save one device setting for `who` (the placement view model calls it off the GUI
        thread)."""
        if device_file is None:
            from kiosk.maintenance.settings import SettingsError  # noqa: PLC0415

            raise SettingsError(
                "this kiosk was started without a device file (--config or MALLKIOSK_CONFIG), "
                "so nothing can be saved"
            )
        return self._device_settings(device_file).set(key, text, who)

    def request_exit(self, code: int) -> None:
        """End the event loop with `code` (EXIT_RESTART: `mall-kiosk` starts itself again)."""
        self.app.exit(code)

    @property
    def restart_pending(self) -> bool:
        """New settings from the central service wait for the kiosk to be free to restart."""
        return self._restart_pending

    def _check_pushed_settings(self) -> None:
        """After a sync: settings from the central service that differ from those this kiosk
        started with take effect by a restart, once no shopper is using the kiosk."""
        if not self._follow_pushed_settings or self._restart_pending:
            return
        from kiosk.maintenance.settings import pushed_settings  # noqa: PLC0415

        if (pushed_settings(self.sessions) or {}) != self._pushed_settings:
            log.info("the central service pushed new settings: restarting when idle")
            self._restart_pending = True
            self._record_pushed_settings()
            self._restart_when_idle()

    def _record_pushed_settings(self) -> None:
        from kiosk.maintenance.audit import AuditAction  # noqa: PLC0415

        try:
            self.audit.record(
                "central service", AuditAction.CONFIG_SET, {"settings": "pushed; restart when idle"}
            )
        except KnownError as exc:
            log.error("audit: %s", exc)

    def _restart_when_idle(self) -> None:
        if self._restart_pending and self.nav.current_screen() == "attract":
            self.request_exit(EXIT_RESTART)

    def _open_maintenance(self) -> None:
        if self.nav.current_screen() == "attract":
            self.shell.start()
        self.maintenance.open()

    def _member_view_model(self, server_url: str, data_dir: Path) -> MemberViewModel:
        service = MemberService(server_url, lambda: device_token(data_dir, server_url))
        # Coupons print as slips when the kiosk has a printer.
        slips = self.receipts if self.config.printer.backend != "none" else None
        return MemberViewModel(service, self.nav, self._store_names, slips=slips)

    def _store_names(self, ids: Sequence[str]) -> list[tuple[str, str]]:
        try:
            stores = self.wayfinding_service.snapshot().stores
        except NoVenueError:
            return []
        return [(stores[i].name.zh, stores[i].name.en) for i in ids if i in stores]

    @staticmethod
    def _on_qml_warnings(warnings: list[object]) -> None:
        for w in warnings:
            log.warning("QML: %s", w.toString() if hasattr(w, "toString") else w)

    def handle_unexpected(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        """sys.excepthook while the UI runs: log the bug, show the shopper a calm message."""
        log.error("unexpected error", exc_info=(exc_type, exc, tb))
        self.shell.recover_from_error()

    def close(self) -> None:
        """Tear down the QML first: its bindings still point at the view models."""
        self.app.removeEventFilter(self.activity)
        self.idle.disarm()
        self.localizer.detach()
        for root in self.engine.rootObjects():
            root.deleteLater()
        self.engine.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        if self._warm_up is not None:
            self._warm_up.join(timeout=10)
        self.receipts.join()
        self.member.close()
        self.pinpad.join()
        self.maintenance.close()
        self.placement.close()
        if self.sync_agent is not None:
            self.sync_agent.stop()
        self.scratch.discard()
        self.db_engine.dispose()


def make_sync_agent(
    config: KioskConfig,
    paths: Paths,
    sessions: sessionmaker[Session],
    listener: Callable[[SyncSnapshot], None] | None = None,
) -> SyncAgent:
    from kiosk.services.sync_agent import SyncAgent  # noqa: PLC0415 - see TYPE_CHECKING above

    return SyncAgent(
        sessions,
        paths.data_dir,
        config.sync.server_url,
        config.device.code,
        app_version(),
        interval_s=config.sync.interval_s,
        listener=listener,
    )


def _current_pin_hash(device_file: Path | None, started_with: str) -> str:
    """The maintenance PIN's hash as the configuration has it now (`mall-kiosk set-pin` or
    `config unset` take effect without a restart); the one the kiosk started with when the
    configuration cannot be read."""
    if device_file is None:
        return started_with
    try:
        return load_config(device_file).maintenance.pin_hash
    except ConfigError as exc:
        log.warning("PIN: the device file cannot be read, the PIN from start-up applies: %s", exc)
        return started_with


def forbid_core_dumps() -> None:
    """A crash must not write the process memory, with whatever a shopper had on screen (a
    member card), to disk: no core file (RLIMIT_CORE 0, which systemd-coredump honours too),
    and not dumpable at all on Linux (which also keeps other processes of the user from
    attaching to read it)."""
    try:
        import resource  # noqa: PLC0415 - POSIX only

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ImportError, OSError, ValueError) as exc:
        log.warning("could not turn core dumps off: %s", exc)
    if sys.platform.startswith("linux"):
        import ctypes  # noqa: PLC0415

        pr_set_dumpable = 4
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(pr_set_dumpable, 0, 0, 0, 0) != 0:
            log.warning("could not mark the process not dumpable: errno %d", ctypes.get_errno())


def build(
    config: KioskConfig,
    app: QGuiApplication,
    *,
    idle_policy: IdlePolicy | None = None,
    windowed: bool = False,
    reload_venue: bool = False,
    device_file: Path | None = None,
    pushed_settings: Mapping[str, Any] | None = None,
    follow_pushed_settings: bool = False,
) -> Kiosk:
    """The running kiosk. `pushed_settings` is the settings document `config` was built with;
    with `follow_pushed_settings`, a different one arriving by sync restarts the kiosk at the
    next quiet moment (the attract screen) so that it applies."""
    paths = Paths.from_config(config)
    configure_logging(config, paths.log_dir)
    forbid_core_dumps()
    log.info("starting MallKiosk device %s, data in %s", config.device.code, paths.data_dir)
    kiosk = Kiosk(
        app=app,
        config=config,
        paths=paths,
        idle_policy=idle_policy,
        windowed=windowed,
        reload_venue=reload_venue,
        device_file=device_file,
        pushed_settings=pushed_settings,
        follow_pushed_settings=follow_pushed_settings,
    )
    sys.excepthook = kiosk.handle_unexpected
    return kiosk
