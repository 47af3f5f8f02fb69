"""`mall-kiosk`: start the kiosk, or render every screen to PNG files."""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from kiosk.config import ConfigError, KioskConfig, load_config
from kiosk.errors import KnownError

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
    enroll = commands.add_parser(
        "enroll",
        help="enroll this kiosk with the central service ([sync] server_url) using a one-time "
        "code from staff",
        description="Exchange a one-time enrollment code (from `mall-central enroll-code`) for "
        "this kiosk's device token, kept in the data directory.",
    )
    enroll.add_argument("code", help="the one-time enrollment code")
    parser.add_argument(
        "--bench-startup",
        action="store_true",
        help="print the milliseconds until the home screen is interactive, then exit",
    )
    return parser.parse_args(argv)


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


def import_imdf(config: KioskConfig, archive: Path) -> int:
    """`mall-kiosk import-imdf ARCHIVE`: no window, just the cache."""
    from kiosk.config import resolved_database  # noqa: PLC0415 - keeps start-up imports lean
    from kiosk.services.venue import VenueLoadError, VenueService  # noqa: PLC0415
    from kiosk.services.venue_import import format_report  # noqa: PLC0415
    from kiosk.store.db import open_cache  # noqa: PLC0415

    try:
        engine, sessions = open_cache(resolved_database(config))
    except KnownError as exc:
        print(f"mall-kiosk: {exc}", file=sys.stderr)
        return 1
    try:
        result = VenueService(sessions).import_archive(archive)
    except VenueLoadError as exc:
        print(f"mall-kiosk: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(format_report(result))
    return 0


def enroll_kiosk(config: KioskConfig, code: str) -> int:
    """`mall-kiosk enroll CODE`: no window, just the cache and the central service."""
    from kiosk.app import Paths, make_sync_agent  # noqa: PLC0415 - keeps start-up imports lean
    from kiosk.store.db import open_cache  # noqa: PLC0415
    from sync.client import SyncError  # noqa: PLC0415

    if not config.sync.server_url:
        print("mall-kiosk: set [sync] server_url before enrolling", file=sys.stderr)
        return 2
    paths = Paths.from_config(config)
    try:
        engine, sessions = open_cache(paths.database)
    except KnownError as exc:
        print(f"mall-kiosk: {exc}", file=sys.stderr)
        return 1
    try:
        enrollment = make_sync_agent(config, paths, sessions).enroll(code)
    except SyncError as exc:
        print(f"mall-kiosk: enrollment failed: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(
        f"kiosk {enrollment.kiosk_code} enrolled with {config.sync.server_url} "
        f"for venue {enrollment.venue_id}"
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"mall-kiosk: {exc}", file=sys.stderr)
        return 2

    if args.command == "import-imdf":
        return import_imdf(config, args.archive)
    if args.command == "enroll":
        return enroll_kiosk(config, args.code)
    return run_kiosk(config, args)


def run_kiosk(config: KioskConfig, args: argparse.Namespace) -> int:
    """Start the touchscreen UI (or render screenshots, or measure start-up)."""
    if args.screenshot or args.bench_startup:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    # The on-screen keyboard is an input method plugin; it must be chosen before the app exists.
    os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
    os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")
    isolate_user_config()

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
    code = app.exec()
    kiosk.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
