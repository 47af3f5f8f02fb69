"""`mall-kiosk doctor`: checks that this machine can run the kiosk, each with the fix in words.

Every check is a small function returning a `CheckResult` (PASS, WARN or FAIL, what was found,
and for a WARN or FAIL what to do), so each can be run, and made to fail, on its own.
`run_checks` runs them all in a fixed order; `format_results` prints one line per check.

Nothing here changes the machine: the database is opened read-only, the printer is only asked
for its state, the central service only gets reads. Qt is never imported in this process; the
platform check starts a separate Python for it.
"""

from __future__ import annotations

import ctypes.util
import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Literal

from kiosk.config import (
    ConfigError,
    ConfigReport,
    KioskConfig,
    explain_config,
    named_device_file,
    resolved_data_dir,
    resolved_database,
)
from kiosk.errors import KnownError
from kiosk.printing.config import PrinterConfig
from kiosk.store.db import HEAD_REVISION, check_file

__all__ = [
    "DEFAULT_MIN_FREE_BYTES",
    "FONT_DIRS",
    "CheckResult",
    "Status",
    "check_central",
    "check_config",
    "check_database",
    "check_disk",
    "check_display_libraries",
    "check_enrollment",
    "check_fonts",
    "check_pin",
    "check_printer",
    "check_qt_platform",
    "check_virtual_keyboard",
    "format_results",
    "has_failures",
    "run_checks",
]

Status = Literal["PASS", "WARN", "FAIL"]

DEFAULT_MIN_FREE_BYTES = 500 * 1024 * 1024
DEFAULT_TIMEOUT_S = 3.0
FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local" / "share" / "fonts",
    Path("C:/Windows/Fonts"),
)
# Shared libraries Qt Quick needs on Linux (offscreen, xcb and Wayland) and their Debian packages.
DISPLAY_LIBRARIES: tuple[tuple[str, str], ...] = (
    ("EGL", "libegl1"),
    ("GL", "libgl1"),
    ("OpenGL", "libopengl0"),
    ("xkbcommon", "libxkbcommon0"),
    ("xkbcommon-x11", "libxkbcommon-x11-0"),
    ("fontconfig", "libfontconfig1"),
    ("freetype", "libfreetype6"),
    ("glib-2.0", "libglib2.0-0"),
    ("dbus-1", "libdbus-1-3"),
    ("X11", "libx11-6"),
    ("X11-xcb", "libx11-xcb1"),
    ("xcb-cursor", "libxcb-cursor0"),
    ("pulse", "libpulse0"),
)
_QT_PROBE = (
    "import sys\n"
    "from PySide6.QtGui import QGuiApplication\n"
    "app = QGuiApplication(sys.argv[:1])\n"
    "print(app.platformName())\n"
)
_NOTO_CJK = "Noto Sans CJK"
_FONT_SUFFIXES = (".ttc", ".otf", ".ttf")
# Other fonts with Chinese glyphs the receipts can use (kiosk.printing.image), not the screen.
_FALLBACK_CJK = ("wqy-microhei", "wqy-zenhei", "msyh")


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check: its name, PASS/WARN/FAIL, what was found, and (WARN/FAIL) the fix."""

    name: str
    status: Status
    summary: str
    fix: str | None = None


def _pass(name: str, summary: str) -> CheckResult:
    return CheckResult(name, "PASS", summary)


def _warn(name: str, summary: str, fix: str | None = None) -> CheckResult:
    return CheckResult(name, "WARN", summary, fix)


def _fail(name: str, summary: str, fix: str) -> CheckResult:
    return CheckResult(name, "FAIL", summary, fix)


# --- configuration -------------------------------------------------------------------------------


def check_config(
    device_file: Path | None, env: Mapping[str, str] | None = None
) -> tuple[CheckResult, ConfigReport | None]:
    """Whether the configuration loads; also returns it (None when the file cannot be read)."""
    named = named_device_file(device_file, env)
    where = str(named) if named is not None else "defaults (no device file)"
    fix = (
        f"correct the key with `mall-kiosk config set KEY VALUE` or edit {named}"
        if named is not None
        else "unset the environment variable or correct its value"
    )
    try:
        report = explain_config(device_file, env)
    except ConfigError as err:
        return _fail("config", str(err), f"repair or restore {named}"), None
    if report.config is None:
        return _fail("config", "\n".join(report.problems), fix), report
    return _pass("config", f"{where} is valid"), report


def check_pin(config: KioskConfig) -> CheckResult:
    if config.maintenance.pin_hash:
        return _pass("maintenance PIN", "a maintenance PIN is set")
    return _warn(
        "maintenance PIN",
        "no maintenance PIN is set: maintenance mode cannot be opened on the screen",
        "mall-kiosk set-pin",
    )


# --- display ---------------------------------------------------------------------------------


def check_display_libraries(
    find_library: Callable[[str], str | None] = ctypes.util.find_library,
    *,
    platform: str = sys.platform,
) -> CheckResult:
    """The system libraries Qt Quick loads on Linux (PySide6 ships Qt, not these)."""
    name = "display libraries"
    if not platform.startswith("linux"):
        return _pass(name, "not needed on this system (PySide6 brings its own)")
    missing = [(lib, pkg) for lib, pkg in DISPLAY_LIBRARIES if find_library(lib) is None]
    if missing:
        libs = ", ".join(f"lib{lib}" for lib, _ in missing)
        packages = " ".join(pkg for _, pkg in missing)
        return _fail(name, f"missing: {libs}", f"apt install {packages}")
    return _pass(name, f"all {len(DISPLAY_LIBRARIES)} found")


def check_qt_platform(
    python: Sequence[str] = (sys.executable,),
    *,
    platform: str = "offscreen",
    timeout_s: float = 60.0,
) -> CheckResult:
    """Start Qt in a separate Python (so a crash cannot take the doctor down) on `platform`."""
    name = "Qt platform"
    env = dict(os.environ, QT_QPA_PLATFORM=platform)
    env.pop("QT_IM_MODULE", None)
    try:
        done = subprocess.run(
            [*python, "-c", _QT_PROBE],
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout_s,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return _fail(
            name,
            f"Qt did not start within {timeout_s:.0f} s ({platform})",
            "run `QT_DEBUG_PLUGINS=1 mall-kiosk --screenshot /tmp/x` to see where it stops",
        )
    except OSError as err:
        return _fail(name, f"cannot start {python[0]}: {err.strerror or err}", "reinstall the app")
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        why = lines[-1] if lines else f"exit status {done.returncode}"
        if "No module named" in why:
            fix = "pip install PySide6 (in the app's environment: bash tools/dev.sh setup)"
        else:
            fix = "install the display libraries (see above), or run bash tools/dev.sh setup"
        return _fail(name, f"Qt cannot start ({platform}): {why}", fix)
    return _pass(name, f"Qt starts ({done.stdout.strip() or platform})")


# --- fonts and keyboard --------------------------------------------------------------------------


def check_fonts(
    font_path: str = "",
    *,
    font_dirs: Iterable[Path] = FONT_DIRS,
    fc_list: str | None = None,
    use_fontconfig: bool = True,
) -> CheckResult:
    """Noto Sans CJK, which the screens ask for and the receipts prefer (or printer.font_path).

    Looked up with fontconfig (`fc-list`) when it is installed, else in `font_dirs`; the font
    found must load.
    """
    name = "fonts"
    if font_path:
        path = Path(font_path).expanduser()
        if not path.is_file():
            return _fail(
                name,
                f"printer.font_path {path} does not exist",
                "correct printer.font_path, or empty it to use Noto Sans CJK",
            )
        problem = _font_problem(path)
        if problem:
            return _fail(name, f"printer.font_path {path}: {problem}", "use another font file")
    found = None
    if use_fontconfig:
        exe = fc_list or shutil.which("fc-list")
        found = _fontconfig_noto(exe) if exe else None
    if found is None:
        found = _find_file(font_dirs, lambda n: n.startswith("NotoSansCJK"))
    if found is not None:
        problem = _font_problem(found)
        if problem:
            return _fail(name, f"{found}: {problem}", "apt install --reinstall fonts-noto-cjk")
        extra = f"; receipts use {font_path}" if font_path else ""
        return _pass(name, f"{_NOTO_CJK} found: {found}{extra}")
    fallback = _find_file(font_dirs, lambda n: n.lower().startswith(_FALLBACK_CJK))
    fix = "apt install fonts-noto-cjk (Debian, Ubuntu)"
    if fallback is not None:
        return _warn(
            name,
            f"no {_NOTO_CJK}: receipts use {fallback}, the screen may show Chinese poorly",
            fix,
        )
    return _fail(name, f"no {_NOTO_CJK} font: Chinese text cannot be shown or printed", fix)


def _fontconfig_noto(fc_list: str) -> Path | None:
    try:
        done = subprocess.run(
            [fc_list, ":lang=zh-cn", "--format=%{family}\t%{file}\n"],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    for line in sorted(done.stdout.splitlines()):
        family, _, file = line.partition("\t")
        if _NOTO_CJK in family and Path(file).is_file():
            return Path(file)
    return None


def _find_file(dirs: Iterable[Path], wanted: Callable[[str], bool]) -> Path | None:
    for root in dirs:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.suffix.lower() in _FONT_SUFFIXES and wanted(path.name) and path.is_file():
                return path
    return None


def _font_problem(path: Path) -> str | None:
    from PIL import ImageFont  # noqa: PLC0415 - Pillow only when a font is checked

    try:
        # From an open file: given a name that fails to load, Pillow would quietly try the
        # same name in the system's font directories instead.
        with path.open("rb") as font:
            ImageFont.truetype(font, 12)
    except OSError as err:
        return f"cannot be loaded ({err})"
    return None


def check_virtual_keyboard(qt_dir: Path | None = None) -> CheckResult:
    """The Qt Virtual Keyboard input method and its Pinyin plugin in the PySide6 install."""
    name = "virtual keyboard"
    addons = f"pip install PySide6-Addons=={_pyside_version()}"
    if qt_dir is None:
        spec = importlib.util.find_spec("PySide6")
        if spec is None or not spec.submodule_search_locations:
            return _fail(name, "PySide6 is not installed", "pip install PySide6")
        qt_dir = Path(next(iter(spec.submodule_search_locations))) / "Qt"
    plugin = _first(qt_dir / "plugins" / "platforminputcontexts", "*qtvirtualkeyboardplugin*")
    if plugin is None:
        return _fail(name, f"the Qt Virtual Keyboard plugin is missing in {qt_dir}", addons)
    pinyin = _first(qt_dir / "qml" / "QtQuick" / "VirtualKeyboard" / "Plugins" / "Pinyin", "*")
    if pinyin is None:
        return _fail(name, "the keyboard's Pinyin plugin is missing: no Chinese input", addons)
    return _pass(name, "Qt Virtual Keyboard with Pinyin")


def _first(directory: Path, pattern: str) -> Path | None:
    if not directory.is_dir():
        return None
    return next((p for p in sorted(directory.glob(pattern)) if p.is_file()), None)


def _pyside_version() -> str:
    try:
        return metadata.version("PySide6_Essentials")
    except metadata.PackageNotFoundError:
        return "<the PySide6 version>"


# --- printer --------------------------------------------------------------------------------------

_PRINTER_FIXES = {
    "network": "check the printer is on and connected, and printer.host / printer.port",
    "usb": "check the cable and power, printer.usb_vendor_id / usb_product_id (lsusb), and the "
    "udev rule or `lp` group that lets the kiosk's user open it",
    "serial": "check the cable, printer.serial_port, and that the kiosk's user is in the "
    "`dialout` group",
    "file": "check printer.path exists and the kiosk's user may write it",
    "cups": "check the queue with `lpstat -p`, and printer.cups_printer",
    "png": "make the receipt directory (printer.output_dir) writable",
    "pdf": "make the receipt directory (printer.output_dir) writable",
}


def check_printer(config: PrinterConfig, data_dir: Path) -> CheckResult:
    """Open the configured receipt printer and ask for its state (prints nothing)."""
    from kiosk.printing.backends import open_printer  # noqa: PLC0415 - python-escpos is heavy
    from kiosk.printing.escpos_out import EscposPrinter  # noqa: PLC0415

    name = "printer"
    backend = config.backend
    if backend == "none":
        return _warn(
            name,
            "no receipt printer configured: tickets are shown on screen only",
            "mall-kiosk config set printer.backend usb (network, serial, cups…) and its keys",
        )
    if backend == "file" and (problem := _device_file_problem(Path(config.path))):
        return _fail(name, problem, _PRINTER_FIXES["file"])
    try:
        printer = open_printer(config, data_dir=data_dir)
        if isinstance(printer, EscposPrinter):
            probe = printer.transport.probe()
            state, reason, what = probe.state, probe.reason, printer.transport.description
        else:
            state, reason, what = printer.status(), "", f"{backend} printer"
    except KnownError as err:
        return _fail(name, str(err), _PRINTER_FIXES.get(backend, "check the [printer] keys"))
    if state == "ok":
        return _pass(name, f"{what} is ready")
    if state == "unknown":
        return _warn(
            name,
            f"{what} does not report its state (normal for CUPS and write-only devices)",
            "print a test receipt from the maintenance screen",
        )
    problem, fix = {
        "paper_out": (f"{what} is out of paper", "load a paper roll"),
        "cover_open": (f"the cover of {what} is open", "close the printer's cover"),
    }.get(state, (reason or f"{what} is offline", _PRINTER_FIXES.get(backend, "")))
    return _fail(name, problem, fix or "check the [printer] keys")


def _device_file_problem(path: Path) -> str | None:
    """Why jobs cannot be written to `path` (a device node or a file); a file printer never
    answers a status request, so this is all that can be checked."""
    if path.exists():
        return None if os.access(path, os.W_OK) else f"the kiosk cannot write to {path}"
    if not path.parent.is_dir():
        return f"{path} does not exist (nor its directory): is the printer connected?"
    return None


# --- central service and enrollment --------------------------------------------------------------


def check_central(server_url: str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> CheckResult:
    """Whether the central service answers at [sync] server_url (GET /openapi.json), and
    privately: member services need https (or the service on this very machine)."""
    from kiosk.domain.member import private_channel  # noqa: PLC0415

    result = _central_answers(server_url, timeout_s)
    if result.status == "PASS" and not private_channel(server_url):
        return _warn(
            result.name,
            f"{result.summary}, but over plain http: member services stay off, as phone "
            "numbers and codes would cross the network unencrypted",
            "serve the central service over https and set sync.server_url to https://…",
        )
    return result


def _central_answers(server_url: str, timeout_s: float) -> CheckResult:
    import requests  # noqa: PLC0415 - only when the network is checked

    name = "central service"
    if not server_url:
        return _warn(
            name,
            "no central service configured: the kiosk works offline, submissions wait",
            "mall-kiosk config set sync.server_url https://…",
        )
    url = server_url.rstrip("/") + "/openapi.json"
    fix = "check the network and sync.server_url; is the central service running?"
    try:
        response = requests.get(url, timeout=(timeout_s, timeout_s))
    except requests.RequestException as err:
        return _fail(name, f"cannot reach {server_url}: {_reason(err)}", fix)
    with response:
        if response.status_code == 404:
            return _warn(
                name,
                f"{server_url} answers, but not as the central service (no /openapi.json)",
                "check sync.server_url",
            )
        if response.status_code != 200:
            return _fail(name, f"{server_url} answered HTTP {response.status_code}", fix)
        try:
            title = str(response.json().get("info", {}).get("title", "")) or "an API"
        except ValueError:
            return _warn(name, f"{server_url} answers, but not with JSON", "check sync.server_url")
    return _pass(name, f"{server_url} answers ({title})")


def check_enrollment(
    server_url: str, data_dir: Path, *, timeout_s: float = DEFAULT_TIMEOUT_S
) -> CheckResult:
    """A device token is saved for this service, and the service accepts it (GET /v1/status)."""
    from kiosk.services.credentials import CREDENTIALS_FILE, load_credentials  # noqa: PLC0415
    from sync.client import (  # noqa: PLC0415 - requests only when the network is checked
        NO_RETRY,
        SyncClient,
        SyncError,
        Unauthorized,
    )

    name = "enrollment"
    enroll = "mall-kiosk enroll CODE (a code from `mall-central enroll-code --venue VENUE`)"
    if not server_url:
        return _warn(name, "not checked: no central service configured")
    creds = load_credentials(data_dir / CREDENTIALS_FILE)
    if creds is None:
        return _fail(name, f"this kiosk is not enrolled (no {data_dir / CREDENTIALS_FILE})", enroll)
    if creds.base_url.rstrip("/") != server_url.rstrip("/"):
        return _fail(
            name, f"enrolled with {creds.base_url}, not with {server_url}: enroll again", enroll
        )
    who = f"kiosk {creds.kiosk_code} of venue {creds.venue_id}"
    client = SyncClient(
        server_url, creds.device_token, timeout=(timeout_s, timeout_s), retries=NO_RETRY
    )
    try:
        client.status(None)
    except Unauthorized:
        return _fail(
            name,
            f"the central service refuses the device token of {who} (revoked, or its database "
            "was replaced)",
            enroll,
        )
    except SyncError as err:
        return _warn(name, f"{who}; the token could not be checked: {err}")
    finally:
        client.close()
    return _pass(name, f"{who}, accepted by the central service")


def _reason(err: Exception) -> str:
    text = str(err)
    for marker in ("Connection refused", "timed out", "Name or service not known"):
        if marker in text:
            return marker.lower()
    return text if len(text) <= 160 else text[:157] + "..."


# --- database and disk ---------------------------------------------------------------------------


def check_database(path: Path) -> CheckResult:
    """SQLite's integrity check on the local cache, and its schema revision."""
    name = "database"
    health = check_file(path)
    if not health.exists:
        return _warn(name, f"no local database yet at {path}: it is created at the next start")
    if health.problem is not None:
        return _fail(
            name,
            f"{path} is damaged: {health.problem}",
            "restart the kiosk: it moves the damaged file aside (kept, with its outbox) and "
            "rebuilds the cache",
        )
    if health.revision is None:
        return _warn(name, f"{path} has no schema yet: it is set up at the next start")
    if health.revision == HEAD_REVISION:
        return _pass(name, f"{path} is intact (schema {health.revision})")
    if health.revision.isdigit() and health.revision < HEAD_REVISION:
        return _warn(
            name,
            f"{path} is intact, schema {health.revision}: upgraded to {HEAD_REVISION} at the "
            "next start",
        )
    return _fail(
        name,
        f"{path} was written by a newer version of the app (schema {health.revision}, this "
        f"one knows up to {HEAD_REVISION})",
        "install the newer version again, or move the file aside to rebuild the cache",
    )


def check_disk(data_dir: Path, min_free_bytes: int = DEFAULT_MIN_FREE_BYTES) -> CheckResult:
    """Free space (and write access) where the kiosk keeps its cache, outbox and logs."""
    name = "disk"
    existing = data_dir
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not os.access(existing, os.W_OK | os.X_OK):
        return _fail(
            name,
            f"the kiosk cannot write to {existing}",
            f"give the kiosk's user write access to {data_dir}, or change paths.data_dir",
        )
    try:
        free = shutil.disk_usage(existing).free
    except OSError as err:
        return _fail(name, f"cannot read free space of {existing}: {err}", "check the disk")
    shown, needed = _megabytes(free), _megabytes(min_free_bytes)
    fix = (
        "free space: old log files, quarantined caches (*.corrupt-*) and receipt images in "
        f"{data_dir}, or other files on that disk"
    )
    if free < min_free_bytes:
        return _fail(name, f"only {shown} free for {data_dir} (at least {needed} needed)", fix)
    if free < 2 * min_free_bytes:
        return _warn(name, f"{shown} free for {data_dir}: getting low", fix)
    return _pass(name, f"{shown} free for {data_dir}")


def _megabytes(count: int) -> str:
    return f"{count / 1024 / 1024:,.0f} MB"


# --- all together ----------------------------------------------------------------------------


def run_checks(
    device_file: Path | None = None,
    env: Mapping[str, str] | None = None,
    *,
    min_free_bytes: int = DEFAULT_MIN_FREE_BYTES,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> list[CheckResult]:
    """Every check, in order. Checks that need a usable configuration say they were skipped
    when it is not; the database and disk are still found through [paths]."""
    config_result, report = check_config(device_file, env)
    results = [config_result]
    cfg = report.config if report is not None else None
    paths_cfg = KioskConfig(paths=report.paths) if report is not None else KioskConfig()
    skipped = "not checked: the configuration is invalid"
    results.append(check_pin(cfg) if cfg else _warn("maintenance PIN", skipped))
    results.append(check_display_libraries())
    results.append(check_qt_platform())
    results.append(check_fonts(cfg.printer.font_path if cfg else ""))
    results.append(check_virtual_keyboard())
    if cfg is not None:
        data_dir = resolved_data_dir(cfg)
        results.append(check_printer(cfg.printer, data_dir))
        results.append(check_central(cfg.sync.server_url, timeout_s=timeout_s))
        results.append(check_enrollment(cfg.sync.server_url, data_dir, timeout_s=timeout_s))
    else:
        results += [_warn(n, skipped) for n in ("printer", "central service", "enrollment")]
    results.append(check_database(resolved_database(paths_cfg)))
    results.append(check_disk(resolved_data_dir(paths_cfg), min_free_bytes))
    return results


def has_failures(results: Iterable[CheckResult]) -> bool:
    return any(r.status == "FAIL" for r in results)


def format_results(results: Sequence[CheckResult]) -> str:
    """One line per check, `STATUS  name  what`; under a WARN or FAIL, the fix."""
    width = max((len(r.name) for r in results), default=0)
    lines = []
    for r in results:
        summary = r.summary.splitlines() or [""]
        lines.append(f"{r.status}  {r.name.ljust(width)}  {summary[0]}")
        lines += [f"      {' ' * width}  {more}" for more in summary[1:]]
        if r.fix and r.status != "PASS":
            lines.append(f"      {' ' * width}  fix: {r.fix}")
    counts = {s: sum(r.status == s for r in results) for s in ("PASS", "WARN", "FAIL")}
    lines.append(f"summary: {counts['PASS']} PASS, {counts['WARN']} WARN, {counts['FAIL']} FAIL")
    return "\n".join(lines)
