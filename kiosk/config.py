"""Device configuration: packaged defaults, then an optional device file, then settings pushed
by the central service, then `MALLKIOSK__<SECTION>__<KEY>` environment variables, validated
strictly by pydantic.

`explain_config` also says where each key's value came from (`SettingSource`), for maintenance
staff. A pushed setting the kiosk cannot use is left out and reported rather than stopping the
kiosk: the central service's mistake must not take a fleet down. Keys that say where the kiosk
keeps its data or who it is (`NOT_PUSHABLE`) are never taken from the central service.

Regenerate config/schema.json with `python -m kiosk.config --write-schema config/schema.json`;
check a device file with `python -m kiosk.config /path/to/device.toml`.
"""

from __future__ import annotations

import argparse
import difflib
import json
import logging
import os
import re
import sys
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails, PydanticCustomError

import kiosk
from kiosk.domain.placement import KioskPosition, PositionError
from kiosk.errors import KnownError
from kiosk.printing.config import PrinterConfig

__all__ = [
    "APP_NAME",
    "ENV_CONFIG_FILE",
    "ENV_PREFIX",
    "NOT_PUSHABLE",
    "POSITION_KEY",
    "SECRET_KEYS",
    "AttractConfig",
    "ConfigError",
    "ConfigReport",
    "DeviceConfig",
    "DisplayConfig",
    "KioskConfig",
    "LoggingConfig",
    "MaintenanceConfig",
    "PathsConfig",
    "SessionConfig",
    "SettingSource",
    "SourceKind",
    "SubmissionsConfig",
    "SyncConfig",
    "WayfindingConfig",
    "default_config_path",
    "explain_config",
    "load_config",
    "main",
    "named_device_file",
    "parse_value_text",
    "resolved_data_dir",
    "resolved_database",
    "resolved_log_dir",
    "resolved_venue_source",
    "setting_field",
    "setting_keys",
    "unknown_setting_message",
    "write_json_schema",
]

log = logging.getLogger(__name__)

ENV_CONFIG_FILE = "MALLKIOSK_CONFIG"
ENV_PREFIX = "MALLKIOSK__"
APP_NAME = "mall-kiosk"

_CODE_PATTERN = r"^[A-Z0-9]{2,6}$"
_PATTERN_HINTS = {_CODE_PATTERN: "2 to 6 capital letters A-Z or digits 0-9"}
# kiosk.maintenance.pin writes this form: scrypt$n=…,r=…,p=…$<salt>$<hash>, base64.
_B64 = r"[A-Za-z0-9+/]+={0,2}"
_PIN_HASH_PATTERN = rf"^(scrypt\$n=[0-9]+,r=[0-9]+,p=[0-9]+\${_B64}\${_B64})?$"
# Patterns too cryptic to show: say what the value must be instead.
_PATTERN_MESSAGES = {
    _PIN_HASH_PATTERN: "must be a PIN hash written by `mall-kiosk set-pin` (never the PIN itself)"
}

#: Keys whose value is never shown (`mall-kiosk config show` says "set" or "not set").
SECRET_KEYS = frozenset({"maintenance.pin_hash"})
#: The position staff set on the device ("you are here" and the facing direction).
POSITION_KEY = "device.position"
#: Sections and keys the central service cannot set: where the cache (which holds the pushed
#: settings) lives, the kiosk's identity and where it physically stands, the service its device
#: token belongs to, and the PIN that protects it on site.
NOT_PUSHABLE = frozenset(
    {
        "paths",
        "device.code",
        POSITION_KEY,
        "sync.server_url",
        # Who may open maintenance mode, and how hard guessing is, is the device's own
        # business; so is where the printer writes (a path could be any file the kiosk owns).
        "maintenance",
        "printer.backend",
        "printer.path",
        "printer.output_dir",
    }
)

SourceKind = Literal["default", "file", "pushed", "env"]


@dataclass(frozen=True, slots=True)
class SettingSource:
    """Where a key's value came from: its layer and, in words, which file or variable."""

    kind: SourceKind
    where: str


class ConfigError(KnownError):
    """The configuration cannot be used; str(err) lists each problem on its own line.

    `issues` holds the same problems as (dotted key or None, text without the source), for
    callers that compare or filter them.
    """

    def __init__(
        self, *problems: str, issues: Sequence[tuple[str | None, str]] | None = None
    ) -> None:
        self.problems: tuple[str, ...] = problems
        self.issues: tuple[tuple[str | None, str], ...] = tuple(
            issues if issues is not None else [(None, p) for p in problems]
        )
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
    # One key rather than four: a position is saved, checked and audited as one value, so a
    # crash or a refused key can never leave a level with another place's coordinates.
    position: str = Field(
        "",
        max_length=300,
        description=(
            "Where this kiosk stands, set by staff on the maintenance screen: "
            "'level=<IMDF level id> lon=<longitude> lat=<latitude> heading=<degrees>' "
            "(WGS84; heading 0-360 clockwise from north, the way a shopper reading the screen "
            "faces), all four together; empty = the venue's kiosk feature for device.code."
        ),
    )

    @field_validator("position")
    @classmethod
    def _position_reads(cls, value: str) -> str:
        try:
            KioskPosition.parse(value)
        except PositionError as err:
            raise PydanticCustomError("kiosk_position", "{reason}", {"reason": str(err)}) from None
        return value

    def kiosk_position(self) -> KioskPosition | None:
        """The position set on the device, or None to use the venue's kiosk feature."""
        return KioskPosition.parse(self.position)


class DisplayConfig(BaseModel):
    """Screen and language."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    language: Literal["zh_CN", "en"] = Field(
        "zh_CN", description="Language shown when a session starts: zh_CN or en."
    )
    accessibility_default: bool = Field(
        False,
        description="Start every session in accessibility mode (controls in the lower half, "
        "larger text, more time, step-free routes); for kiosks at wheelchair height.",
    )
    rotation: Literal[0, 90, 180, 270] = Field(
        0,
        description="Turn the picture for a panel mounted the other way: 0, 90, 180 or 270 "
        "(the display output's transform; the kiosk PC's session applies it at start).",
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


class MaintenanceConfig(BaseModel):
    """Maintenance mode for staff: how it is opened, how long it stays open, what it allows."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    pin_hash: str = Field(
        "",
        pattern=_PIN_HASH_PATTERN,
        description="Salted slow hash of the maintenance PIN, written by `mall-kiosk set-pin` "
        "(never the PIN itself); empty = maintenance mode cannot be opened until a PIN is set.",
    )
    idle_timeout_s: int = Field(
        180,
        ge=30,
        le=3600,
        description="Seconds without a touch after which maintenance mode closes by itself, "
        "30-3600.",
    )
    allow_exit: bool = Field(
        False,
        description="Offer 'leave kiosk mode' (back to the desktop) in maintenance mode.",
    )
    lockout_attempts: int = Field(
        5, ge=3, le=20, description="Wrong PINs in a row that lock the PIN pad, 3-20."
    )
    lockout_minutes: int = Field(
        5, ge=1, le=1440, description="Minutes the PIN pad stays locked, 1-1440."
    )


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
    maintenance: MaintenanceConfig = Field(default_factory=MaintenanceConfig)


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


def named_device_file(
    device_file: Path | None = None, env: Mapping[str, str] | None = None
) -> Path | None:
    """The device file in use: `device_file` (from --config), else $MALLKIOSK_CONFIG, else none."""
    environ: Mapping[str, str] = os.environ if env is None else env
    if device_file is None and environ.get(ENV_CONFIG_FILE):
        return Path(environ[ENV_CONFIG_FILE])
    return device_file


def load_config(
    device_file: Path | None = None,
    env: Mapping[str, str] | None = None,
    pushed: Mapping[str, Any] | None = None,
) -> KioskConfig:
    """Merge defaults, device file, pushed settings and environment; raise ConfigError naming
    any bad value (a pushed setting that cannot be used is left out and logged instead).

    `pushed` is the settings document from the central service's catalog, shaped like a
    device file: {"session": {"idle_timeout_s": 90}, ...}.
    """
    layers = _layers(device_file, env, pushed, device_data=None)
    cfg = layers.validate()
    for text in layers.ignored:
        log.warning("%s", text)
    return cfg


@dataclass(frozen=True, slots=True)
class ConfigReport:
    """The effective configuration and where each value came from (`explain_config`).

    config: None when the configuration cannot be used; `problems` then says why.
    sources: dotted key -> the layer that set its value.
    ignored: pushed settings that were left out, each with the reason.
    paths: the [paths] section even when another section is broken (defaults when [paths]
    itself is), so tools can still find the data directory.
    """

    config: KioskConfig | None
    problems: tuple[str, ...]
    issues: tuple[tuple[str | None, str], ...]
    sources: Mapping[str, SettingSource]
    ignored: tuple[str, ...]
    paths: PathsConfig


def explain_config(
    device_file: Path | None = None,
    env: Mapping[str, str] | None = None,
    pushed: Mapping[str, Any] | None = None,
    *,
    device_data: Mapping[str, Any] | None = None,
) -> ConfigReport:
    """Like `load_config`, but report problems instead of raising them, with each key's source.

    `device_data`, when given, stands for the device file's content (a candidate not yet
    written); `device_file` then only names it in messages. A device file that cannot be read
    or parsed still raises ConfigError: nothing can be said about its keys.
    """
    layers = _layers(device_file, env, pushed, device_data=device_data)
    try:
        cfg: KioskConfig | None = layers.validate()
        problems: tuple[str, ...] = ()
        issues: tuple[tuple[str | None, str], ...] = ()
    except ConfigError as err:
        cfg, problems, issues = None, err.problems, err.issues
    sources = {
        f"{section}.{key}": SettingSource(kind, where)
        for (section, key), (kind, where) in layers.origins.items()
    }
    return ConfigReport(
        config=cfg,
        problems=problems,
        issues=issues,
        sources=sources,
        ignored=tuple(layers.ignored),
        paths=cfg.paths if cfg is not None else layers.best_effort_paths(),
    )


def _layers(
    device_file: Path | None,
    env: Mapping[str, str] | None,
    pushed: Mapping[str, Any] | None,
    device_data: Mapping[str, Any] | None,
) -> _Layers:
    environ: Mapping[str, str] = os.environ if env is None else env
    named_by = ""
    if device_file is None and environ.get(ENV_CONFIG_FILE):
        named_by = f" (named by {ENV_CONFIG_FILE})"
    device_file = named_device_file(device_file, environ)

    layers = _Layers()
    defaults = default_config_path()
    layers.add_file(_read_toml(defaults), str(defaults), "default")
    if device_data is not None:
        layers.add_file(device_data, str(device_file or "the device file"), "file")
    elif device_file is not None:
        layers.add_file(_read_toml(device_file, named_by), str(device_file), "file")
    if pushed is not None:
        layers.add_pushed(pushed)
    layers.add_env(environ)
    return layers


# --- keys, for tools that read and set single settings ------------------------------------------


def setting_keys() -> list[str]:
    """Every dotted key ("section.key"), in the order of the model."""
    return [
        f"{section}.{key}" for section, model in _SECTIONS.items() for key in model.model_fields
    ]


def setting_field(dotted: str) -> FieldInfo | None:
    """The pydantic field of a dotted key, or None when there is no such key."""
    section, _, key = dotted.partition(".")
    return _field(section, key)


def unknown_setting_message(dotted: str) -> str:
    """Why `dotted` is not a key, with the nearest one (as the config loader says it)."""
    section, dot, key = dotted.partition(".")
    if section not in _SECTIONS:
        if not dot:
            close = difflib.get_close_matches(dotted, setting_keys(), n=1)
            hint = f"did you mean '{close[0]}'?" if close else "keys are written section.key"
            return f"unknown key '{dotted}' ({hint})"
        return _unknown_section(section, {})
    if not key:
        first = next(iter(_SECTIONS[section].model_fields))
        return f"'{dotted}' is a section: name one of its keys, e.g. '{section}.{first}'"
    return _unknown_key(section, key)


def parse_value_text(dotted: str, raw: str) -> Any:
    """A value typed as text (command line, environment) as the key's type expects it: a TOML
    value when it is one (`60`, `true`, `0x0416`, `['a']`), else the text as typed. A text key
    always takes the text; a float key given a whole number gets a float."""
    section, _, key = dotted.partition(".")
    value = _parse_env_value(raw.strip(), text=_expects_text(section, key))
    info = _field(section, key)
    if (
        info is not None
        and info.annotation is float
        and isinstance(value, int)
        and not isinstance(value, bool)
    ):
        return float(value)
    return value


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


_PUSHED = "settings pushed by the central service"


class _Layers:
    """Merges the layers key by key, remembering which source set each key."""

    def __init__(self) -> None:
        self.merged: dict[str, dict[str, Any]] = {}
        # (section, key) -> (kind, source) of the value in `merged`
        self.origins: dict[tuple[str, str], tuple[SourceKind, str]] = {}
        # (section, key) -> the values lower layers gave it, so a pushed one can be taken back
        self.below: dict[tuple[str, str], list[tuple[Any, SourceKind, str]]] = {}
        self.problems: list[str] = []
        self.issues: list[tuple[str | None, str]] = []
        self.ignored: list[str] = []

    def add_file(self, data: Mapping[str, Any], source: str, kind: SourceKind) -> None:
        for section, table in data.items():
            if section not in _SECTIONS:
                self._problem(source, _unknown_section(section, table))
            elif not isinstance(table, Mapping):
                self._problem(
                    source,
                    f"{section} = {_show(table)} — expected a table: "
                    f"put its keys under a [{section}] header",
                )
            else:
                for key, value in table.items():
                    self._set(section, key, value, source, kind)

    def add_pushed(self, doc: Mapping[str, Any]) -> None:
        """The central service's settings, shaped like a device file. What cannot be used is
        left out (see `ignored`) instead of stopping the kiosk."""
        for section, table in doc.items():
            if not isinstance(table, Mapping):
                self._ignore(f"'{section}' is not a section of settings")
            elif section not in _SECTIONS:
                self._ignore(_unknown_section(section, table))
            elif section in NOT_PUSHABLE:
                self._ignore(f"[{section}] is set on the kiosk only")
            else:
                for key, value in table.items():
                    dotted = f"{section}.{key}"
                    if key not in _SECTIONS[section].model_fields:
                        self._ignore(_unknown_key(section, key))
                    elif dotted in NOT_PUSHABLE:
                        self._ignore(f"{dotted} is set on the kiosk only")
                    else:
                        self._set(section, key, value, _PUSHED, "pushed")

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
            self._set(section, key, value, source, "env")

    def validate(self) -> KioskConfig:
        while True:
            try:
                cfg = KioskConfig.model_validate(self.merged)
            except ValidationError as err:
                errors = err.errors(include_url=False)
                if self._take_back_pushed(errors):
                    continue  # validate again without the pushed values that broke it
                for error in errors:
                    self._describe(error)
                raise ConfigError(*self.problems, issues=self.issues) from None
            if self.problems:
                raise ConfigError(*self.problems, issues=self.issues)
            return cfg

    def best_effort_paths(self) -> PathsConfig:
        """[paths] on its own: the merged values if they are valid, else the defaults."""
        try:
            return PathsConfig.model_validate(self.merged.get("paths", {}))
        except ValidationError:
            return PathsConfig()

    def _set(self, section: str, key: str, value: Any, source: str, kind: SourceKind) -> None:
        if key not in _SECTIONS[section].model_fields:
            self._problem(source, _unknown_key(section, key), f"{section}.{key}")
            return
        table = self.merged.setdefault(section, {})
        if (section, key) in self.origins:
            self.below.setdefault((section, key), []).append(
                (table[key], *self.origins[(section, key)])
            )
        table[key] = value
        self.origins[(section, key)] = (kind, source)

    def _take_back_pushed(self, errors: Sequence[ErrorDetails]) -> bool:
        """Undo the pushed values an error points at (a key, or a section's cross-key rule);
        True when any was undone."""
        undone = False
        for error in errors:
            loc = error["loc"]
            section = str(loc[0]) if loc else ""
            # No key: a rule across the section's keys (printer backend and its keys).
            keys = [str(loc[1])] if len(loc) > 1 else [k for s, k in self.origins if s == section]
            for key in keys:
                origin = self.origins.get((section, key))
                if origin is None or origin[0] != "pushed":
                    continue
                value = self.merged[section][key]
                why = _expectation(error, section, key) if len(loc) > 1 else _rule_message(error)
                self._ignore(f"{section}.{key} = {_show(value)} — {why}")
                lower = self.below.get((section, key))
                if lower:
                    value, kind, source = lower.pop()
                    self.merged[section][key] = value
                    self.origins[(section, key)] = (kind, source)
                else:
                    del self.merged[section][key]
                    del self.origins[(section, key)]
                undone = True
        return undone

    def _section_source(self, section: str) -> str:
        rank: dict[SourceKind, int] = {"default": 0, "file": 1, "pushed": 2, "env": 3}
        found = [origin for (s, _), origin in self.origins.items() if s == section]
        return max(found, key=lambda o: rank[o[0]], default=("", "the configuration"))[1]

    def _ignore(self, text: str) -> None:
        self.ignored.append(f"not applied from the {_PUSHED}: {text}")

    def _problem(self, source: str, text: str, key: str | None = None) -> None:
        self.problems.append(f"config error in {source}: {text}")
        self.issues.append((key, text))

    def _describe(self, error: ErrorDetails) -> None:
        loc = error["loc"]
        dotted = ".".join(str(part) for part in loc)
        section = str(loc[0]) if loc else ""
        key = str(loc[1]) if len(loc) > 1 else ""
        source = self.origins.get((section, key), ("", "the configuration"))[1]
        if error["type"] == "missing":
            self._problem(source, f"{dotted} is missing", dotted)
        elif len(loc) == 1 and error["type"] == "value_error":
            # A rule across a section's keys (printer backend and the keys it needs): name the
            # layer that set some of them, the one closest to the top.
            source = self._section_source(section)
            self._problem(source, f"[{section}] {_rule_message(error)}", dotted)
        else:
            shown = "(hidden)" if dotted in SECRET_KEYS else _show(error["input"])
            self._problem(
                source, f"{dotted} = {shown} — {_expectation(error, section, key)}", dotted
            )


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
        text = _PATTERN_MESSAGES.get(pattern) or (
            f"must match {pattern}" + (f" ({hint})" if hint else "")
        )
    elif kind in {"model_type", "model_attributes_type", "dict_type"}:
        text = f"expected a table: put its keys under a [{section}] header"
    return text


def _rule_message(error: ErrorDetails) -> str:
    return str(error["msg"]).removeprefix("Value error, ")


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
