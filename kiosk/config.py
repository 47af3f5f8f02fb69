"""Device configuration: packaged defaults, then an optional device file, then
`MALLKIOSK__<SECTION>__<KEY>` environment variables, validated strictly by pydantic.

Regenerate config/schema.json with `python -m kiosk.config --write-schema config/schema.json`;
check a device file with `python -m kiosk.config /path/to/device.toml`.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import sys
import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

import kiosk
from kiosk.errors import KnownError
from kiosk.printing.config import PrinterConfig

__all__ = [
    "APP_NAME",
    "ENV_CONFIG_FILE",
    "ENV_PREFIX",
    "AttractConfig",
    "ConfigError",
    "DeviceConfig",
    "DisplayConfig",
    "KioskConfig",
    "LoggingConfig",
    "PathsConfig",
    "SessionConfig",
    "SubmissionsConfig",
    "SyncConfig",
    "WayfindingConfig",
    "default_config_path",
    "load_config",
    "main",
    "resolved_data_dir",
    "resolved_database",
    "resolved_log_dir",
    "resolved_venue_source",
    "write_json_schema",
]

ENV_CONFIG_FILE = "MALLKIOSK_CONFIG"
ENV_PREFIX = "MALLKIOSK__"
APP_NAME = "mall-kiosk"

_CODE_PATTERN = r"^[A-Z0-9]{2,6}$"
_PATTERN_HINTS = {_CODE_PATTERN: "2 to 6 capital letters A-Z or digits 0-9"}


class ConfigError(KnownError):
    """The configuration cannot be used; str(err) lists each problem on its own line."""

    def __init__(self, *problems: str) -> None:
        self.problems: tuple[str, ...] = problems
        super().__init__("\n".join(problems))


class DeviceConfig(BaseModel):
    """Identity of this kiosk and the venue data it shows."""

    # strict: `idle_timeout_s = "60"` in a file is a mistake worth reporting, not coercing.
    # (Spelled out in every model so the pydantic mypy plugin sees frozen=True.)
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    code: str = Field(
        "K01",
        pattern=_CODE_PATTERN,
        description="Kiosk code printed on tickets and receipts: 2-6 capital letters or digits.",
    )
    venue_source: str = Field(
        "",
        description=(
            "Path of an IMDF directory or .zip to load as venue data; "
            "empty = the embedded demo mall."
        ),
    )


class DisplayConfig(BaseModel):
    """Screen and language."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    language: Literal["zh_CN", "en"] = Field(
        "zh_CN", description="Language shown when a session starts: zh_CN or en."
    )
    fullscreen: bool = Field(True, description="Cover the whole screen (false = a window).")
    width: int = Field(1080, ge=480, le=7680, description="Window width in pixels, 480-7680.")
    height: int = Field(1920, ge=480, le=7680, description="Window height in pixels, 480-7680.")


class SessionConfig(BaseModel):
    """When an unattended session ends (WCAG 2.2.1: warn and allow at least 20 s to extend)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    idle_timeout_s: int = Field(
        60, ge=10, le=3600, description="Seconds without a touch on browsing screens, 10-3600."
    )
    form_idle_timeout_s: int = Field(
        180, ge=10, le=3600, description="Seconds without a touch on form screens, 10-3600."
    )
    member_idle_timeout_s: int = Field(
        30,
        ge=10,
        le=3600,
        description="Seconds without a touch on member-card screens, 10-3600.",
    )
    countdown_s: int = Field(
        20,
        ge=20,
        le=120,
        description="Seconds of the 'are you still there?' countdown, 20-120.",
    )
    accessible_timeout_factor: float = Field(
        2.0,
        ge=1.0,
        le=5.0,
        description="Accessibility mode multiplies the idle timeouts by this, 1.0-5.0.",
    )


class AttractConfig(BaseModel):
    """The attract loop shown between sessions."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    promotion_interval_s: int = Field(
        8, ge=3, le=120, description="Seconds each promotion stays on screen, 3-120."
    )


class WayfindingConfig(BaseModel):
    """Routes: walking speeds and the address a route QR code sends a phone to."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    route_link_base: str = Field(
        "https://m.yunhui-plaza.example/R",
        pattern=r"^https?://[^\s/]+(/[^\s]*)?$",
        max_length=40,
        description="Base URL of route links shown as a QR code (http or https, at most 40 "
        "characters so the code stays small enough to scan from arm's length; an upper-case "
        "path keeps the whole link in the QR code's compact alphanumeric mode).",
    )
    walking_speed_mps: float = Field(
        1.2, ge=0.3, le=2.5, description="Walking speed for time estimates, metres per second."
    )
    step_free_speed_mps: float = Field(
        0.8,
        ge=0.3,
        le=2.0,
        description="Speed for step-free routes (wheelchairs, strollers), metres per second.",
    )


class SyncConfig(BaseModel):
    """The mall's central service: reference data down, submissions up, status back."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    server_url: str = Field(
        "",
        pattern=r"^(https?://[^\s/]+(/[^\s]*)?)?$",
        description="Base URL of the central service (http or https); empty = work offline "
        "only, submissions wait in the outbox.",
    )
    interval_s: int = Field(
        30, ge=5, le=3600, description="Seconds between syncs when nothing is pending, 5-3600."
    )


class SubmissionsConfig(BaseModel):
    """Complaints and requests: the tracking page and the mall's service promises."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    tracking_url_base: str = Field(
        "https://m.yunhui-plaza.example/T",
        pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$",
        max_length=60,
        description="Base URL of the ticket tracking page printed as a QR code (http or https; "
        "the QR adds /<ticket number>?t=<secret token>).",
    )
    first_response_minutes: int = Field(
        15, ge=1, le=1440, description="First response promised for a complaint, minutes."
    )
    complex_case_hours: int = Field(
        2, ge=1, le=168, description="Answer promised for a complex complaint, hours."
    )
    request_valid_days: int = Field(
        15, ge=1, le=90, description="Days a return or repair request stays valid, 1-90."
    )
    extra_phone_patterns: list[str] = Field(
        default_factory=list,
        description="Regular expressions for phone numbers accepted besides mainland China "
        "mobile numbers (e.g. Hong Kong '^852\\d{8}$').",
    )


class PathsConfig(BaseModel):
    """Where the kiosk keeps its files (see resolved_data_dir and friends)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    data_dir: str = Field(
        "",
        description="Directory for the cache and logs; empty = the per-user data directory.",
    )
    database: str = Field(
        "",
        description="SQLite cache file, relative to data_dir; empty = <data_dir>/cache.sqlite3.",
    )
    log_dir: str = Field(
        "", description="Log directory, relative to data_dir; empty = <data_dir>/logs."
    )


class LoggingConfig(BaseModel):
    """Rotating log files."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="Least severe level written: DEBUG, INFO, WARNING or ERROR."
    )
    max_bytes: int = Field(
        2_000_000,
        ge=10_000,
        le=100_000_000,
        description="Size in bytes at which a log file is rotated, 10000-100000000.",
    )
    backup_count: int = Field(5, ge=1, le=50, description="Rotated log files kept, 1-50.")


class KioskConfig(BaseModel):
    """Configuration of one MallKiosk device."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    device: DeviceConfig = Field(default_factory=DeviceConfig)
    display: DisplayConfig = Field(default_factory=DisplayConfig)
    session: SessionConfig = Field(default_factory=SessionConfig)
    attract: AttractConfig = Field(default_factory=AttractConfig)
    wayfinding: WayfindingConfig = Field(default_factory=WayfindingConfig)
    sync: SyncConfig = Field(default_factory=SyncConfig)
    submissions: SubmissionsConfig = Field(default_factory=SubmissionsConfig)
    printer: PrinterConfig = Field(default_factory=PrinterConfig)
    paths: PathsConfig = Field(default_factory=PathsConfig)
    logging: LoggingConfig = Field(default_factory=LoggingConfig)


_SECTIONS: dict[str, type[BaseModel]] = {
    name: info.annotation
    for name, info in KioskConfig.model_fields.items()
    if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel)
}


# --- paths ---------------------------------------------------------------------------------------


def resolved_data_dir(cfg: KioskConfig) -> Path:
    if cfg.paths.data_dir:
        return Path(cfg.paths.data_dir).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def _under_data_dir(cfg: KioskConfig, raw: str, default: str) -> Path:
    path = Path(raw or default).expanduser()
    return path if path.is_absolute() else resolved_data_dir(cfg) / path


def resolved_database(cfg: KioskConfig) -> Path:
    return _under_data_dir(cfg, cfg.paths.database, "cache.sqlite3")


def resolved_log_dir(cfg: KioskConfig) -> Path:
    return _under_data_dir(cfg, cfg.paths.log_dir, "logs")


def resolved_venue_source(cfg: KioskConfig) -> Path | None:
    """The IMDF directory or .zip to load, or None for the embedded demo mall."""
    return Path(cfg.device.venue_source).expanduser() if cfg.device.venue_source else None


# --- loading -------------------------------------------------------------------------------------


def default_config_path() -> Path:
    # A wheel ships the file inside the package; a source checkout keeps it at the top level.
    packaged = resources.files("kiosk") / "_config" / "default.toml"
    if isinstance(packaged, Path) and packaged.is_file():
        return packaged
    return Path(kiosk.__file__).parents[1] / "config" / "default.toml"


def load_config(
    device_file: Path | None = None, env: Mapping[str, str] | None = None
) -> KioskConfig:
    """Merge defaults, device file and environment; raise ConfigError naming any bad value."""
    environ: Mapping[str, str] = os.environ if env is None else env
    named_by = ""
    if device_file is None and environ.get(ENV_CONFIG_FILE):
        device_file = Path(environ[ENV_CONFIG_FILE])
        named_by = f" (named by {ENV_CONFIG_FILE})"

    layers = _Layers()
    defaults = default_config_path()
    layers.add_file(_read_toml(defaults), str(defaults))
    if device_file is not None:
        layers.add_file(_read_toml(device_file, named_by), str(device_file))
    layers.add_env(environ)
    return layers.validate()


def write_json_schema(path: Path) -> None:
    text = json.dumps(KioskConfig.model_json_schema(), indent=2, sort_keys=True) + "\n"
    path.write_text(text, encoding="utf-8", newline="\n")


def _read_toml(path: Path, named_by: str = "") -> dict[str, Any]:
    where = f"cannot read config file {path}{named_by}"
    try:
        # utf-8-sig: Windows editors may save a byte-order mark, which TOML would reject.
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as err:
        raise ConfigError(f"{where}: {err.strerror or err}") from None
    except UnicodeDecodeError as err:
        raise ConfigError(f"{where}: not UTF-8 text (bad byte at offset {err.start})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{where}: {_describe_toml_error(err)}") from None


_TOML_POSITION = re.compile(
    r"^(?P<msg>.*) \(at (?:line (?P<line>\d+), column (?P<col>\d+)|end of document)\)$", re.S
)


def _describe_toml_error(err: tomllib.TOMLDecodeError) -> str:
    text = str(err)
    match = _TOML_POSITION.match(text)
    if match is None:
        return f"TOML syntax error: {text}"
    if match["line"] is None:
        return f"TOML syntax error at end of file: {match['msg']}"
    return f"TOML syntax error at line {match['line']}, column {match['col']}: {match['msg']}"


class _Layers:
    """Merges the layers key by key, remembering which source set each key."""

    def __init__(self) -> None:
        self.merged: dict[str, dict[str, Any]] = {}
        self.origins: dict[tuple[str, str], str] = {}
        self.problems: list[str] = []

    def add_file(self, data: Mapping[str, Any], source: str) -> None:
        for section, table in data.items():
            if section not in _SECTIONS:
                self._problem(source, _unknown_section(section, table))
            elif not isinstance(table, dict):
                self._problem(
                    source,
                    f"{section} = {_show(table)} — expected a table: "
                    f"put its keys under a [{section}] header",
                )
            else:
                for key, value in table.items():
                    self._set(section, key, value, source)

    def add_env(self, environ: Mapping[str, str]) -> None:
        for name in sorted(environ):
            if not name.startswith(ENV_PREFIX):
                continue
            source = f"environment variable {name}"
            parts = name[len(ENV_PREFIX) :].lower().split("__")
            if len(parts) != 2 or not all(parts):
                self._problem(
                    source,
                    f"expected a name of the form {ENV_PREFIX}<SECTION>__<KEY>, "
                    f"e.g. {ENV_PREFIX}SESSION__IDLE_TIMEOUT_S",
                )
                continue
            section, key = parts
            if section not in _SECTIONS:
                self._problem(source, _unknown_section(section, {}))
                continue
            value = _parse_env_value(environ[name], text=_expects_text(section, key))
            self._set(section, key, value, source)

    def validate(self) -> KioskConfig:
        try:
            cfg = KioskConfig.model_validate(self.merged)
        except ValidationError as err:
            for error in err.errors(include_url=False):
                self._describe(error)
            raise ConfigError(*self.problems) from None
        if self.problems:
            raise ConfigError(*self.problems)
        return cfg

    def _set(self, section: str, key: str, value: Any, source: str) -> None:
        if key not in _SECTIONS[section].model_fields:
            self._problem(source, _unknown_key(section, key))
            return
        self.merged.setdefault(section, {})[key] = value
        self.origins[(section, key)] = source

    def _problem(self, source: str, text: str) -> None:
        self.problems.append(f"config error in {source}: {text}")

    def _describe(self, error: ErrorDetails) -> None:
        loc = error["loc"]
        dotted = ".".join(str(part) for part in loc)
        section = str(loc[0]) if loc else ""
        key = str(loc[1]) if len(loc) > 1 else ""
        source = self.origins.get((section, key), "the configuration")
        if error["type"] == "missing":
            self._problem(source, f"{dotted} is missing")
        else:
            shown = _show(error["input"])
            self._problem(source, f"{dotted} = {shown} — {_expectation(error, section, key)}")


def _parse_env_value(raw: str, *, text: bool) -> Any:
    """`60` -> 60, `true` -> True, `"x"` -> "x"; what is not a TOML value stays as typed."""
    if "\n" in raw or "\r" in raw:
        return raw
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw
    # A text key set to `123` or `2024-01-01` means that text, not a number or a date.
    if text and not isinstance(value, str):
        return raw
    return value


def _expects_text(section: str, key: str) -> bool:
    info = _field(section, key)
    if info is None:
        return False
    if info.annotation is str:
        return True
    return get_origin(info.annotation) is Literal and all(
        isinstance(a, str) for a in get_args(info.annotation)
    )


# --- messages ------------------------------------------------------------------------------------


def _unknown_section(section: str, value: Any) -> str:
    owners = [s for s, model in _SECTIONS.items() if section in model.model_fields]
    if owners and not isinstance(value, dict):
        return (
            f"unknown key '{section}' at the top level "
            f"(did you mean '{owners[0]}.{section}' under a [{owners[0]}] header?)"
        )
    close = difflib.get_close_matches(section, list(_SECTIONS), n=1)
    hint = f"did you mean '{close[0]}'?" if close else f"expected one of {_quoted(_SECTIONS)}"
    return f"unknown section '{section}' ({hint})"


def _unknown_key(section: str, key: str) -> str:
    fields = list(_SECTIONS[section].model_fields)
    owners = [s for s, model in _SECTIONS.items() if key in model.model_fields]
    close = difflib.get_close_matches(key, fields, n=1)
    if owners:
        hint = f"did you mean '{owners[0]}.{key}'?"
    elif close:
        hint = f"did you mean '{section}.{close[0]}'?"
    else:
        hint = f"[{section}] has {_quoted(fields)}"
    return f"unknown key '{section}.{key}' ({hint})"


_TYPE_EXPECTATIONS: dict[str, tuple[str, tuple[type, ...]]] = {
    # error type: (what to say, what a quoted value should have been written as instead)
    "int_type": ("expected a whole number", (int,)),
    "float_type": ("expected a number", (int, float)),
    "bool_type": ("expected true or false", (bool,)),
    "string_type": ("expected text in double quotes", ()),
}
# Key name endings, by the project's naming convention, and the unit they imply.
_UNITS = {"_s": "seconds", "_bytes": "bytes", "width": "pixels", "height": "pixels"}
_RANGE_ERRORS = {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}


def _expectation(error: ErrorDetails, section: str, key: str) -> str:
    kind = error["type"]
    bounds = _bounds(section, key)
    text = str(error["msg"])
    if kind in _RANGE_ERRORS and bounds:
        text = f"must be {bounds}"
    elif kind in _TYPE_EXPECTATIONS:
        text, unquoted = _TYPE_EXPECTATIONS[kind]
        if bounds and kind != "bool_type":
            text += f" {bounds}"
        text += _unquote_hint(error["input"], unquoted)
    elif kind == "literal_error" and (info := _field(section, key)) is not None:
        text = f"expected one of {_quoted(get_args(info.annotation))}"
    elif kind == "string_pattern_mismatch":
        pattern = str((error.get("ctx") or {}).get("pattern", ""))
        hint = _PATTERN_HINTS.get(pattern)
        text = f"must match {pattern}" + (f" ({hint})" if hint else "")
    elif kind in {"model_type", "model_attributes_type", "dict_type"}:
        text = f"expected a table: put its keys under a [{section}] header"
    return text


def _unquote_hint(value: Any, wanted: tuple[type, ...]) -> str:
    """For `"60"` where 60 was meant: say what to write instead."""
    if not isinstance(value, str):
        return ""
    parsed = _parse_env_value(value.strip(), text=False)
    # bool is an int subclass; `"true"` for an int key is no quoting slip.
    if type(parsed) in wanted:
        return " (write it without quotes)"
    return ""


def _field(section: str, key: str) -> FieldInfo | None:
    model = _SECTIONS.get(section)
    return model.model_fields.get(key) if model is not None else None


def _bounds(section: str, key: str) -> str:
    info = _field(section, key)
    if info is None:
        return ""
    low = next((m.ge for m in info.metadata if hasattr(m, "ge")), None)
    high = next((m.le for m in info.metadata if hasattr(m, "le")), None)
    unit = next((f" {u}" for end, u in _UNITS.items() if key.endswith(end)), "")
    if low is not None and high is not None:
        return f"between {low} and {high}{unit}"
    if low is not None:
        return f"at least {low}{unit}"
    if high is not None:
        return f"at most {high}{unit}"
    return ""


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _quoted(names: Sequence[Any] | Mapping[str, Any]) -> str:
    return ", ".join(f"'{n}'" for n in names)


# --- command line --------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kiosk.config", description="Check a device file or write the schema."
    )
    parser.add_argument("device_file", nargs="?", type=Path, help="device file to check")
    parser.add_argument("--write-schema", type=Path, metavar="PATH", help="write the schema")
    args = parser.parse_args(argv)
    if args.write_schema is not None:
        write_json_schema(args.write_schema)
        return 0
    try:
        cfg = load_config(args.device_file)
    except ConfigError as err:
        print(err, file=sys.stderr)
        return 2
    print(json.dumps(cfg.model_dump(), indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
