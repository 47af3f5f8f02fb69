"""`mall-kiosk`: start the kiosk, or render every screen to PNG files; and the commands staff use
on site (import-imdf, enroll, doctor, set-pin, config, audit)."""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.config import ConfigError, KioskConfig, load_config, named_device_file
from kiosk.errors import KnownError
from kiosk.exitcodes import EXIT_RESTART

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from kiosk.maintenance.audit import AuditAction

log = logging.getLogger(__name__)

_STARTED = time.perf_counter()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="mall-kiosk", description="MallKiosk self-service touchscreen terminal."
    )
    parser.add_argument(
        "--config",
        type=Path,
        help="device configuration file (TOML); default: $MALLKIOSK_CONFIG or none",
    )
    parser.add_argument(
        "--windowed", action="store_true", help="run in a window instead of full screen"
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="DIR",
        help="render every screen offscreen in both languages into DIR as PNG, then exit",
    )
    parser.add_argument(
        "--reload-venue",
        action="store_true",
        help="reload the venue data from its source even if the cache already holds it",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    imdf = commands.add_parser(
        "import-imdf",
        help="import an IMDF archive (.zip or folder) as this kiosk's venue data",
        description="Validate an IMDF archive fully, then replace the cached venue with it in "
        "one step. A bad archive changes nothing. The imported venue stays in use across "
        "restarts until `mall-kiosk --reload-venue` goes back to the configured source.",
    )
    imdf.add_argument("archive", type=Path, help="the IMDF archive: a .zip file or a folder")
    _staff_option(imdf)
    enroll = commands.add_parser(
        "enroll",
        help="enroll this kiosk with the central service ([sync] server_url) using a one-time "
        "code from staff",
        description="Exchange a one-time enrollment code (from `mall-central enroll-code`) for "
        "this kiosk's device token, kept in the data directory.",
    )
    enroll.add_argument("code", help="the one-time enrollment code")
    _staff_option(enroll)
    _add_maintenance_commands(commands)
    parser.add_argument(
        "--bench-startup",
        action="store_true",
        help="print the milliseconds until the home screen is interactive, then exit",
    )
    return parser.parse_args(argv)


# Commands for staff on site, run by kiosk.maintenance.commands (imported only for them).
MAINTENANCE_COMMANDS = frozenset({"doctor", "set-pin", "config", "audit"})


def _config_option(command: argparse.ArgumentParser) -> None:
    # SUPPRESS: given after the command it wins, otherwise the one before the command stays.
    command.add_argument(
        "--config",
        type=Path,
        default=argparse.SUPPRESS,
        help="the device configuration file (TOML); default: $MALLKIOSK_CONFIG",
    )


def _staff_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--staff",
        metavar="NAME",
        help="who is making the change, for the audit log (default: the login name)",
    )


def _add_maintenance_commands(commands: Any) -> None:
    doctor = commands.add_parser(
        "doctor",
        help="check this machine: display libraries, fonts, keyboard, printer, central "
        "service, enrollment, database, disk",
        description="Run every check and print PASS, WARN or FAIL for each, with the fix for "
        "each problem. Exits 1 when a check fails. Changes nothing.",
    )
    _config_option(doctor)
    doctor.add_argument(
        "--min-free-mb",
        type=float,
        default=500.0,
        metavar="MB",
        help="free disk space below which the disk check fails (%(default)s)",
    )
    doctor.add_argument(
        "--timeout",
        type=float,
        default=3.0,
        metavar="S",
        help="seconds to wait for the central service (%(default)s)",
    )

    set_pin = commands.add_parser(
        "set-pin",
        help="set the maintenance PIN (asks for it twice)",
        description="Set the PIN that opens maintenance mode: 6 to 12 digits, not one digit "
        "repeated, not a run like 123456. Only its salted hash is saved, in the device file.",
    )
    _config_option(set_pin)
    set_pin.add_argument(
        "--pin-stdin", action="store_true", help="read the PIN from standard input (scripts)"
    )
    _staff_option(set_pin)

    config = commands.add_parser(
        "config",
        help="show the configuration, or change one key of the device file",
        description="`show` lists every key with its value and where it comes from (default, "
        "file, pushed by the central service, env). `set` and `unset` change the device file: "
        "validated, saved atomically with its comments kept, and recorded in the audit log.",
    )
    _config_option(config)
    actions = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="every key, its value and its source")
    _config_option(show)
    get = actions.add_parser("get", help="the value of KEY in effect, bare (for scripts)")
    _config_option(get)
    get.add_argument("key", metavar="KEY", help="e.g. display.rotation")
    change = actions.add_parser("set", help="set KEY (section.key) to VALUE")
    _config_option(change)
    change.add_argument("key", metavar="KEY", help="e.g. session.idle_timeout_s")
    change.add_argument("value", metavar="VALUE", help="e.g. 90, true, en")
    _staff_option(change)
    unset = actions.add_parser("unset", help="remove KEY from the device file (its default)")
    _config_option(unset)
    unset.add_argument("key", metavar="KEY", help="e.g. session.idle_timeout_s")
    _staff_option(unset)

    audit = commands.add_parser(
        "audit", help="print the newest records of the maintenance audit log"
    )
    _config_option(audit)
    audit.add_argument("--limit", type=int, default=50, metavar="N", help="how many (%(default)s)")


def isolate_user_config() -> Path:
    """Give this process a private config location, removed when it exits.

    Qt Virtual Keyboard's Pinyin engine learns from what is typed and keeps that dictionary
    under QStandardPaths' config location regardless of VirtualKeyboardSettings.userDataPath;
    on a shared terminal it must not reach the home directory or outlive the process.
    Call before the QGuiApplication exists.
    """
    private = Path(tempfile.mkdtemp(prefix="mallkiosk-config-"))
    os.environ["XDG_CONFIG_HOME"] = str(private)
    atexit.register(shutil.rmtree, private, ignore_errors=True)
    return private


def import_imdf(config: KioskConfig, archive: Path, staff: str | None = None) -> int:
    """`mall-kiosk import-imdf ARCHIVE`: no window, just the cache; audited, failed or not."""
    from kiosk.config import resolved_database  # noqa: PLC0415 - keeps start-up imports lean
    from kiosk.maintenance.audit import AuditAction  # noqa: PLC0415
    from kiosk.services.venue import VenueLoadError, VenueService  # noqa: PLC0415
    from kiosk.services.venue_import import format_report  # noqa: PLC0415

    source = {"archive": str(archive)}
    try:
        with _audited_cache(resolved_database(config), staff) as (sessions, record):
            try:
                result = VenueService(sessions).import_archive(archive)
            except VenueLoadError as exc:
                record(AuditAction.VENUE_IMPORT, {**source, "failed": str(exc)})
                raise
            record(
                AuditAction.VENUE_IMPORT,
                {
                    **source,
                    "venue": result.venue_id,
                    "version": f"{result.previous_version or '-'} → {result.version}",
                },
            )
    except KnownError as exc:  # the archive, the cache, or the audit log
        print(f"mall-kiosk: {exc}", file=sys.stderr)
        return 1
    print(format_report(result))
    return 0


def enroll_kiosk(config: KioskConfig, code: str, staff: str | None = None) -> int:
    """`mall-kiosk enroll CODE`: no window, just the cache and the central service."""
    from kiosk.app import Paths, make_sync_agent  # noqa: PLC0415 - keeps start-up imports lean
    from kiosk.maintenance.audit import AuditAction  # noqa: PLC0415
    from sync.client import SyncError  # noqa: PLC0415

    if not config.sync.server_url:
        print("mall-kiosk: set [sync] server_url before enrolling", file=sys.stderr)
        return 2
    paths = Paths.from_config(config)
    server = {"server": config.sync.server_url}
    try:
        with _audited_cache(paths.database, staff) as (sessions, record):
            try:
                enrollment = make_sync_agent(config, paths, sessions).enroll(code)
            except SyncError as exc:
                record(AuditAction.ENROLL_FAILED, {**server, "reason": str(exc)})
                print(f"mall-kiosk: enrollment failed: {exc}", file=sys.stderr)
                return 1
            record(
                AuditAction.ENROLL,
                {**server, "kiosk": enrollment.kiosk_code, "venue": enrollment.venue_id},
            )
    except KnownError as exc:  # the cache or the audit log
        print(f"mall-kiosk: {exc}", file=sys.stderr)
        return 1
    print(
        f"kiosk {enrollment.kiosk_code} enrolled with {config.sync.server_url} "
        f"for venue {enrollment.venue_id}"
    )
    return 0


@contextmanager
def _audited_cache(
    database: Path, staff: str | None
) -> Iterator[tuple[sessionmaker[Session], Callable[[AuditAction, dict[str, str]], object]]]:
    """The cache for a staff command, and a recorder of its actions as done by `staff` (or the
    login name). Raises KnownError when the cache cannot be opened or the audit log written."""
    from kiosk.maintenance.audit import AuditLog, staff_name  # noqa: PLC0415
    from kiosk.store.db import open_cache  # noqa: PLC0415

    engine, sessions = open_cache(database)
    audit, who = AuditLog(sessions), staff_name(staff)
    try:
        yield sessions, lambda action, details: audit.record(who, action, details)
    finally:
        engine.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.command in MAINTENANCE_COMMANDS:
        # Before the configuration is loaded: these commands inspect or repair a broken one.
        from kiosk.maintenance.commands import run  # noqa: PLC0415 - only for these commands

        return run(args)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"mall-kiosk: {exc}", file=sys.stderr)
        return 2

    if args.command == "import-imdf":
        return import_imdf(config, args.archive, args.staff)
    if args.command == "enroll":
        return enroll_kiosk(config, args.code, args.staff)
    try:
        pushed, config = with_pushed_settings(config, args.config)
    except ConfigError as exc:
        print(f"mall-kiosk: {exc}", file=sys.stderr)
        return 2
    return run_kiosk(config, args, pushed)


def with_pushed_settings(
    config: KioskConfig, device_file: Path | None
) -> tuple[dict[str, Any] | None, KioskConfig]:
    """The settings the central service pushed at the last sync (kept in the cache), and the
    configuration with them in their place: above the device file, below the environment."""
    from kiosk.config import resolved_database  # noqa: PLC0415
    from kiosk.store.pushed import read_pushed_settings  # noqa: PLC0415

    pushed = read_pushed_settings(resolved_database(config))
    if not pushed:
        return None, config
    return pushed, load_config(device_file, pushed=pushed)


def run_kiosk(
    config: KioskConfig, args: argparse.Namespace, pushed: dict[str, Any] | None = None
) -> int:
    """Start the touchscreen UI (or render screenshots, or measure start-up)."""
    if args.screenshot or args.bench_startup:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # The on-screen keyboard is an input method plugin; it must be chosen before the app exists.
    os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
    os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")
    private_config = isolate_user_config()

    from PySide6.QtGui import QGuiApplication  # noqa: PLC0415 - after the environment is set

    from kiosk.app import build  # noqa: PLC0415 - imports Qt

    app = QGuiApplication([sys.argv[0]])
    app.setApplicationName("MallKiosk")
    app.setOrganizationName("MallKiosk")
    try:
        kiosk = build(
            config,
            app,
            windowed=args.windowed or bool(args.screenshot),
            reload_venue=args.reload_venue,
            device_file=named_device_file(args.config),
            pushed_settings=pushed,
            follow_pushed_settings=not (args.screenshot or args.bench_startup),
        )
    except KnownError as exc:
        log.error("start-up failed: %s", exc)
        print(f"mall-kiosk: {exc}", file=sys.stderr)
        return 1

    if args.screenshot:
        from kiosk.screenshots import capture_all  # noqa: PLC0415 - only for this mode

        written = capture_all(kiosk, args.screenshot)
        print(f"wrote {len(written)} screenshots to {args.screenshot}")
        kiosk.close()
        return 0
    if args.bench_startup:
        from kiosk.screenshots import wait_for_home  # noqa: PLC0415 - only for this mode

        wait_for_home(kiosk)
        print(f"home-interactive-ms {(time.perf_counter() - _STARTED) * 1000:.1f}", flush=True)
        kiosk.close()
        return 0
    from kiosk.watchdog import Notifier, ServiceWatchdog  # noqa: PLC0415 - imports Qt

    # Under systemd (installer/systemd/mall-kiosk.service): READY=1 at the first frame,
    # WATCHDOG=1 from the GUI thread. Nothing happens without $NOTIFY_SOCKET.
    watchdog = ServiceWatchdog(Notifier.from_environment(), app)
    watchdog.start(kiosk.window.frameSwapped, status=f"kiosk {config.device.code} ready")
    code = app.exec()
    if code == EXIT_RESTART:  # the same process starts again: it stays "running"
        watchdog.restart()
    else:
        watchdog.stop()
    kiosk.close()
    if code == EXIT_RESTART:
        # Restart asked for in maintenance mode: the same command, a fresh process.
        log.info("restarting")
        logging.shutdown()
        shutil.rmtree(private_config, ignore_errors=True)  # atexit does not run across exec
        os.execv(sys.executable, [sys.executable, "-m", "kiosk", *restart_arguments(sys.argv[1:])])
    return code


def restart_arguments(argv: Sequence[str]) -> list[str]:
    """The command line a self-restart runs again: the same, less one-off requests (a venue
    reload already done must not be repeated, nor audited again, at every restart)."""
    return [arg for arg in argv if arg != "--reload-venue"]


if __name__ == "__main__":
    sys.exit(main())
