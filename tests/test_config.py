"""Device configuration: layering, env parsing, readable errors, and schema/docs staying in sync."""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
import pytest
from pydantic import ValidationError

from kiosk import config
from kiosk.config import (
    ConfigError,
    KioskConfig,
    SettingSource,
    default_config_path,
    explain_config,
    load_config,
    resolved_data_dir,
    resolved_database,
    resolved_log_dir,
    resolved_venue_source,
    write_json_schema,
)
from kiosk.errors import KnownError

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "config" / "example-device.toml"
SCHEMA = REPO / "config" / "schema.json"


def write(tmp_path: Path, text: str, name: str = "device.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- layering ------------------------------------------------------------------------------------


def test_default_config_path_is_the_repository_file() -> None:
    assert default_config_path() == REPO / "config" / "default.toml"
    assert default_config_path().is_file()


def test_default_config_path_prefers_the_copy_inside_an_installed_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packaged = tmp_path / "_config" / "default.toml"
    packaged.parent.mkdir()
    packaged.write_text("", encoding="utf-8")
    monkeypatch.setattr("importlib.resources.files", lambda _package: tmp_path)
    assert default_config_path() == packaged


def test_defaults_load_and_equal_documented_values() -> None:
    cfg = load_config(env={})
    assert cfg.device.code == "K01"
    assert cfg.device.venue_source == ""
    assert cfg.display.language == "zh_CN"
    assert cfg.display.fullscreen is True
    assert (cfg.display.width, cfg.display.height) == (1080, 1920)
    assert cfg.session.idle_timeout_s == 60
    assert cfg.session.form_idle_timeout_s == 180
    assert cfg.session.member_idle_timeout_s == 30
    assert cfg.session.countdown_s == 20
    assert cfg.session.accessible_timeout_factor == 2.0
    assert cfg.attract.promotion_interval_s == 8
    assert (cfg.paths.data_dir, cfg.paths.database, cfg.paths.log_dir) == ("", "", "")
    assert cfg.logging.level == "INFO"
    assert cfg.logging.max_bytes == 2_000_000
    assert cfg.logging.backup_count == 5


def test_default_file_matches_model_defaults() -> None:
    # Code that builds KioskConfig() directly (tests, tools) must see what the file says.
    assert load_config(env={}) == KioskConfig()


def test_device_file_overrides_defaults_key_by_key(tmp_path: Path) -> None:
    device = write(tmp_path, '[session]\nidle_timeout_s = 90\n[display]\nlanguage = "en"\n')
    cfg = load_config(device, env={})
    assert cfg.session.idle_timeout_s == 90
    assert cfg.display.language == "en"
    assert cfg.session.form_idle_timeout_s == 180
    assert cfg.display.fullscreen is True


def test_env_overrides_device_file(tmp_path: Path) -> None:
    device = write(tmp_path, "[session]\nidle_timeout_s = 90\ncountdown_s = 30\n")
    cfg = load_config(device, env={"MALLKIOSK__SESSION__IDLE_TIMEOUT_S": "120"})
    assert cfg.session.idle_timeout_s == 120
    assert cfg.session.countdown_s == 30


def test_device_file_from_env_var(tmp_path: Path) -> None:
    device = write(tmp_path, '[device]\ncode = "K09"\n')
    assert load_config(env={"MALLKIOSK_CONFIG": str(device)}).device.code == "K09"


def test_explicit_device_file_wins_over_env_var(tmp_path: Path) -> None:
    named = write(tmp_path, '[device]\ncode = "K09"\n', "named.toml")
    given = write(tmp_path, '[device]\ncode = "K10"\n', "given.toml")
    assert load_config(given, env={"MALLKIOSK_CONFIG": str(named)}).device.code == "K10"


def test_empty_config_env_var_means_no_device_file() -> None:
    assert load_config(env={"MALLKIOSK_CONFIG": ""}) == KioskConfig()


def test_unrelated_env_vars_are_ignored() -> None:
    assert load_config(env={"MALLKIOSK_OTHER": "x", "PATH": "/bin"}) == KioskConfig()


def test_os_environ_is_used_when_env_is_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MALLKIOSK_CONFIG", raising=False)
    monkeypatch.setenv("MALLKIOSK__ATTRACT__PROMOTION_INTERVAL_S", "12")
    assert load_config().attract.promotion_interval_s == 12


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("SESSION__IDLE_TIMEOUT_S", "90", 90),
        ("SESSION__ACCESSIBLE_TIMEOUT_FACTOR", "3", 3.0),
        ("SESSION__ACCESSIBLE_TIMEOUT_FACTOR", "2.5", 2.5),
        ("DISPLAY__FULLSCREEN", "false", False),
        ("DISPLAY__FULLSCREEN", "true", True),
        ("DISPLAY__LANGUAGE", "en", "en"),
        ("DISPLAY__LANGUAGE", '"en"', "en"),
        ("DISPLAY__LANGUAGE", "'en'", "en"),
        ("LOGGING__LEVEL", "DEBUG", "DEBUG"),
        ("DEVICE__CODE", "K07", "K07"),
        # A text key keeps what was typed even when it would parse as a TOML number or date.
        ("DEVICE__CODE", "123", "123"),
        ("PATHS__DATA_DIR", "2024-01-01", "2024-01-01"),
        ("PATHS__DATA_DIR", "/srv/mall kiosk", "/srv/mall kiosk"),
        ("PATHS__DATA_DIR", r"C:\ProgramData\MallKiosk", r"C:\ProgramData\MallKiosk"),
        ("PATHS__DATA_DIR", "", ""),
    ],
)
def test_env_value_parsing(name: str, raw: str, expected: object) -> None:
    cfg = load_config(env={f"MALLKIOSK__{name}": raw})
    section, key = name.lower().split("__")
    value = getattr(getattr(cfg, section), key)
    assert value == expected
    assert type(value) is type(expected)


def test_example_device_file_loads() -> None:
    cfg = load_config(EXAMPLE, env={})
    assert cfg.device.code == "K07"
    assert cfg.display.language == "en"
    assert cfg.paths.data_dir
    assert cfg.paths.log_dir


def test_bom_is_tolerated(tmp_path: Path) -> None:
    device = tmp_path / "device.toml"
    device.write_bytes(b'\xef\xbb\xbf[device]\ncode = "K02"\n')
    assert load_config(device, env={}).device.code == "K02"


def test_config_is_frozen() -> None:
    cfg = load_config(env={})
    with pytest.raises(ValidationError):
        cfg.session.idle_timeout_s = 5  # type: ignore[misc]


# --- paths ---------------------------------------------------------------------------------------


def test_empty_paths_resolve_under_the_user_data_dir() -> None:
    cfg = load_config(env={})
    data = Path(platformdirs.user_data_dir("mall-kiosk", appauthor=False))
    assert resolved_data_dir(cfg) == data
    assert resolved_database(cfg) == data / "cache.sqlite3"
    assert resolved_log_dir(cfg) == data / "logs"
    assert resolved_venue_source(cfg) is None


def test_configured_paths(tmp_path: Path) -> None:
    env = {
        "MALLKIOSK__PATHS__DATA_DIR": str(tmp_path / "data"),
        "MALLKIOSK__PATHS__DATABASE": "db/kiosk.sqlite3",
        "MALLKIOSK__PATHS__LOG_DIR": str(tmp_path / "logs"),
        "MALLKIOSK__DEVICE__VENUE_SOURCE": str(tmp_path / "imdf.zip"),
    }
    cfg = load_config(env=env)
    assert resolved_data_dir(cfg) == tmp_path / "data"
    assert resolved_database(cfg) == tmp_path / "data" / "db" / "kiosk.sqlite3"
    assert resolved_log_dir(cfg) == tmp_path / "logs"
    assert resolved_venue_source(cfg) == tmp_path / "imdf.zip"


# --- errors --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bad:
    """A broken configuration and the fragments its error message must contain."""

    device: str | None = None  # text of device.toml in tmp_path
    env: dict[str, str] = field(default_factory=dict)
    expected: tuple[str, ...] = ()


BAD_CASES: dict[str, Bad] = {
    "string for int": Bad(
        '[session]\nidle_timeout_s = "60"\n',
        expected=(
            "device.toml",
            "session.idle_timeout_s = '60'",
            "expected a whole number between 10 and 3600 seconds",
            "without quotes",
        ),
    ),
    "float for int": Bad(
        "[display]\nwidth = 1080.5\n",
        expected=("device.toml", "display.width = 1080.5", "expected a whole number"),
    ),
    "string for bool": Bad(
        '[display]\nfullscreen = "yes"\n',
        expected=("device.toml", "display.fullscreen = 'yes'", "expected true or false"),
    ),
    "quoted bool": Bad(
        '[display]\nfullscreen = "true"\n',
        expected=("display.fullscreen", "expected true or false", "without quotes"),
    ),
    "bool for int": Bad(
        "[logging]\nbackup_count = true\n",
        expected=("logging.backup_count = true", "expected a whole number"),
    ),
    "int for string": Bad(
        "[device]\ncode = 7\n",
        expected=("device.toml", "device.code = 7", "expected text in double quotes"),
    ),
    "string for float": Bad(
        '[session]\naccessible_timeout_factor = "2"\n',
        expected=("session.accessible_timeout_factor = '2'", "expected a number", "quotes"),
    ),
    "unknown key with suggestion": Bad(
        "[session]\nidle_timeout = 60\n",
        expected=(
            "device.toml",
            "unknown key 'session.idle_timeout'",
            "did you mean 'session.idle_timeout_s'?",
        ),
    ),
    "key in the wrong section": Bad(
        "[display]\ncountdown_s = 30\n",
        expected=("unknown key 'display.countdown_s'", "did you mean 'session.countdown_s'?"),
    ),
    "unknown key without suggestion": Bad(
        "[attract]\nzzz = 1\n",
        expected=("unknown key 'attract.zzz'", "'promotion_interval_s'"),
    ),
    "unknown section": Bad(
        "[sesion]\nidle_timeout_s = 60\n",
        expected=("device.toml", "unknown section 'sesion'", "did you mean 'session'?"),
    ),
    "key outside any section": Bad(
        'language = "en"\n',
        expected=("device.toml", "unknown key 'language'", "'display.language'", "[display]"),
    ),
    "section that is not a table": Bad(
        "session = 5\n",
        expected=("device.toml", "session = 5", "expected a table", "[session]"),
    ),
    "out of range low": Bad(
        "[session]\nidle_timeout_s = 5\n",
        expected=(
            "device.toml",
            "session.idle_timeout_s = 5",
            "must be between 10 and 3600 seconds",
        ),
    ),
    "out of range in pixels": Bad(
        "[display]\nwidth = 100\n",
        expected=("display.width = 100", "must be between 480 and 7680 pixels"),
    ),
    "out of range high": Bad(
        "[logging]\nmax_bytes = 1_000_000_000\n",
        expected=("logging.max_bytes = 1000000000", "between 10000 and 100000000 bytes"),
    ),
    "countdown below WCAG minimum": Bad(
        "[session]\ncountdown_s = 10\n",
        expected=("session.countdown_s = 10", "between 20 and 120 seconds"),
    ),
    "float out of range": Bad(
        "[session]\naccessible_timeout_factor = 9.0\n",
        expected=("session.accessible_timeout_factor = 9.0", "between 1.0 and 5.0"),
    ),
    "bad enum": Bad(
        '[display]\nlanguage = "fr"\n',
        expected=("device.toml", "display.language = 'fr'", "expected one of 'zh_CN', 'en'"),
    ),
    "bad log level": Bad(
        '[logging]\nlevel = "debug"\n',
        expected=("logging.level = 'debug'", "'DEBUG', 'INFO', 'WARNING', 'ERROR'"),
    ),
    "bad pattern": Bad(
        '[device]\ncode = "k-1"\n',
        expected=(
            "device.toml",
            "device.code = 'k-1'",
            "must match ^[A-Z0-9]{2,6}$",
            "capital letters",
        ),
    ),
    "TOML syntax error": Bad(
        "[session]\nidle_timeout_s = = 5\n",
        expected=("cannot read config file", "device.toml", "TOML syntax error at line 2"),
    ),
    "TOML syntax error at end": Bad(
        '[device]\ncode = "K01\n',
        expected=("cannot read config file", "device.toml", "TOML syntax error"),
    ),
    "bad env value": Bad(
        env={"MALLKIOSK__DISPLAY__LANGUAGE": "fr"},
        expected=(
            "config error in environment variable MALLKIOSK__DISPLAY__LANGUAGE",
            "display.language = 'fr'",
            "expected one of 'zh_CN', 'en'",
        ),
    ),
    "env value of the wrong type": Bad(
        env={"MALLKIOSK__SESSION__IDLE_TIMEOUT_S": "soon"},
        expected=(
            "environment variable MALLKIOSK__SESSION__IDLE_TIMEOUT_S",
            "session.idle_timeout_s = 'soon'",
            "expected a whole number",
        ),
    ),
    "env value out of range": Bad(
        env={"MALLKIOSK__SESSION__IDLE_TIMEOUT_S": "5"},
        expected=("MALLKIOSK__SESSION__IDLE_TIMEOUT_S", "between 10 and 3600 seconds"),
    ),
    "env unknown key": Bad(
        env={"MALLKIOSK__SESSION__IDLE_TIMEOUT": "60"},
        expected=(
            "environment variable MALLKIOSK__SESSION__IDLE_TIMEOUT",
            "unknown key 'session.idle_timeout'",
            "did you mean 'session.idle_timeout_s'?",
        ),
    ),
    "env unknown section": Bad(
        env={"MALLKIOSK__SESION__IDLE_TIMEOUT_S": "60"},
        expected=("MALLKIOSK__SESION__IDLE_TIMEOUT_S", "unknown section 'sesion'", "'session'"),
    ),
    "env name without key": Bad(
        env={"MALLKIOSK__SESSION": "60"},
        expected=("environment variable MALLKIOSK__SESSION", "MALLKIOSK__<SECTION>__<KEY>"),
    ),
}


@pytest.mark.parametrize("case", BAD_CASES.values(), ids=BAD_CASES.keys())
def test_bad_config_raises_readable_error(tmp_path: Path, case: Bad) -> None:
    device = write(tmp_path, case.device) if case.device is not None else None
    with pytest.raises(ConfigError) as caught:
        load_config(device, env=case.env)
    assert_readable(str(caught.value), case.expected)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("missing", "No such file or directory"),
        ("directory", "Is a directory"),
        ("unreadable", "Permission denied"),
        ("not utf-8", "not UTF-8 text"),
    ],
)
def test_unreadable_device_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str, expected: str
) -> None:
    path = tmp_path / "device.toml"
    if kind == "directory":
        path.mkdir()
    elif kind == "not utf-8":
        path.write_bytes(b'[device]\ncode = "\xff"\n')
    elif kind == "unreadable":
        path.write_text("", encoding="utf-8")
        # chmod cannot stop root (CI containers), so fail the read itself.
        real_read_bytes = Path.read_bytes

        def read_bytes(self: Path) -> bytes:
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real_read_bytes(self)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    assert_readable(str(caught.value), (f"cannot read config file {path}: {expected}",))


def test_missing_file_named_by_env_var_says_so(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as caught:
        load_config(env={"MALLKIOSK_CONFIG": str(path)})
    assert_readable(str(caught.value), (str(path), "MALLKIOSK_CONFIG", "No such file"))


def test_error_names_the_layer_the_bad_value_came_from(tmp_path: Path) -> None:
    device = write(tmp_path, "[session]\nidle_timeout_s = 90\n")
    env = {"MALLKIOSK__SESSION__IDLE_TIMEOUT_S": "5"}
    with pytest.raises(ConfigError) as caught:
        load_config(device, env=env)
    message = str(caught.value)
    assert "environment variable MALLKIOSK__SESSION__IDLE_TIMEOUT_S" in message
    assert "device.toml" not in message


def test_good_env_value_repairs_bad_device_value(tmp_path: Path) -> None:
    device = write(tmp_path, "[session]\nidle_timeout_s = 5\n")
    cfg = load_config(device, env={"MALLKIOSK__SESSION__IDLE_TIMEOUT_S": "60"})
    assert cfg.session.idle_timeout_s == 60


def test_bad_value_in_defaults_file_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    defaults = write(tmp_path, "[attract]\npromotion_interval_s = 1\n", "default.toml")
    monkeypatch.setattr(config, "default_config_path", lambda: defaults)
    with pytest.raises(ConfigError) as caught:
        load_config(env={})
    assert_readable(
        str(caught.value),
        (f"config error in {defaults}:", "attract.promotion_interval_s = 1", "between 3 and 120"),
    )


def test_several_errors_are_listed_one_per_line(tmp_path: Path) -> None:
    device = write(tmp_path, '[session]\nidle_timeout_s = 5\nidle = 1\n[display]\nwidth = "x"\n')
    env = {"MALLKIOSK__DISPLAY__LANGUAGE": "fr"}
    with pytest.raises(ConfigError) as caught:
        load_config(device, env=env)
    lines = str(caught.value).splitlines()
    assert len(lines) == 4
    assert caught.value.problems == tuple(lines)
    assert all(line.startswith("config error in ") for line in lines)
    assert_readable(
        str(caught.value),
        ("session.idle_timeout_s", "session.idle", "display.width", "display.language"),
    )


def test_config_error_is_a_known_error() -> None:
    assert issubclass(ConfigError, KnownError)


# --- maintenance section -------------------------------------------------------------------------


def test_maintenance_defaults() -> None:
    cfg = load_config(env={})
    assert cfg.maintenance.pin_hash == ""
    assert cfg.maintenance.idle_timeout_s == 180
    assert cfg.maintenance.allow_exit is False
    assert cfg.maintenance.lockout_attempts == 5
    assert cfg.maintenance.lockout_minutes == 5


def test_a_pin_typed_into_pin_hash_is_refused_without_showing_it(tmp_path: Path) -> None:
    device = write(tmp_path, '[maintenance]\npin_hash = "246810"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(device, env={})
    assert_readable(str(caught.value), ("maintenance.pin_hash", "mall-kiosk set-pin"))
    assert "246810" not in str(caught.value)


def test_a_real_pin_hash_loads(tmp_path: Path) -> None:
    stored = "scrypt$n=32768,r=8,p=1$c2FsdHNhbHRzYWx0c2E=$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U="
    device = write(tmp_path, f'[maintenance]\npin_hash = "{stored}"\n')
    assert load_config(device, env={}).maintenance.pin_hash == stored


def test_a_rule_across_keys_names_the_section_not_a_dump_of_it(tmp_path: Path) -> None:
    device = write(tmp_path, '[printer]\nbackend = "network"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(device, env={})
    assert str(caught.value) == (
        f'config error in {device}: [printer] backend "network" needs printer.host'
    )


# --- settings pushed by the central service -------------------------------------------------------


def test_pushed_settings_sit_between_the_file_and_the_environment(tmp_path: Path) -> None:
    device = write(tmp_path, "[session]\nidle_timeout_s = 90\ncountdown_s = 30\n")
    pushed = {"session": {"idle_timeout_s": 120, "countdown_s": 40}, "display": {"width": 1920}}
    env = {"MALLKIOSK__SESSION__COUNTDOWN_S": "50"}
    cfg = load_config(device, env=env, pushed=pushed)
    assert cfg.session.idle_timeout_s == 120  # pushed beats the file
    assert cfg.session.countdown_s == 50  # the environment beats pushed
    assert cfg.display.width == 1920


def test_explain_config_names_each_keys_source(tmp_path: Path) -> None:
    device = write(tmp_path, "[session]\nidle_timeout_s = 90\n")
    report = explain_config(
        device,
        {"MALLKIOSK__SESSION__COUNTDOWN_S": "50"},
        {"display": {"width": 1920}},
    )
    assert report.config is not None
    assert report.problems == ()
    sources = report.sources
    assert sources["session.idle_timeout_s"] == SettingSource("file", str(device))
    assert sources["session.countdown_s"] == SettingSource(
        "env", "environment variable MALLKIOSK__SESSION__COUNTDOWN_S"
    )
    assert sources["display.width"].kind == "pushed"
    assert sources["display.language"] == SettingSource("default", str(default_config_path()))
    assert set(sources) == set(config.setting_keys())


def test_a_pushed_setting_that_cannot_be_used_is_left_out_not_fatal(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    device = write(tmp_path, "[session]\nidle_timeout_s = 90\n")
    pushed = {
        "session": {"idle_timeout_s": 5, "countdown_s": 30, "idle_seconds": 90},
        "paths": {"data_dir": "/elsewhere"},
        "device": {"code": "K99"},
        "sync": {"server_url": "https://evil.example"},
        "maintenance": {"pin_hash": "", "idle_timeout_s": 300},
        "printer": {"backend": "network", "paper_mm": 58},
        "colours": {"accent": "red"},
        "flat": 1,
    }
    report = explain_config(device, {}, pushed)
    assert report.config is not None
    cfg = report.config
    assert cfg.session.idle_timeout_s == 90  # the file's value comes back
    assert report.sources["session.idle_timeout_s"].kind == "file"
    assert cfg.session.countdown_s == 30
    assert cfg.maintenance.idle_timeout_s == 180  # maintenance mode is the device's own
    assert cfg.printer.paper_mm == 58
    assert cfg.paths.data_dir == ""
    assert cfg.device.code == "K01"
    assert cfg.sync.server_url == ""
    assert cfg.printer.backend == "none"
    ignored = "\n".join(report.ignored)
    for fragment in (
        "session.idle_timeout_s = 5 — must be between 10 and 3600 seconds",
        "unknown key 'session.idle_seconds'",
        "[paths] is set on the kiosk only",
        "device.code is set on the kiosk only",
        "sync.server_url is set on the kiosk only",
        "[maintenance] is set on the kiosk only",
        "printer.backend is set on the kiosk only",
        "unknown section 'colours'",
        "'flat' is not a section",
    ):
        assert fragment in ignored
    with caplog.at_level("WARNING", logger="kiosk.config"):
        assert load_config(device, env={}, pushed=pushed) == cfg
    assert "not applied from the settings pushed by the central service" in caplog.text


def test_a_bad_file_value_is_still_an_error_when_a_pushed_one_is_dropped(tmp_path: Path) -> None:
    device = write(tmp_path, "[session]\ncountdown_s = 5\n")
    with pytest.raises(ConfigError, match=r"session\.countdown_s = 5"):
        load_config(device, env={}, pushed={"session": {"idle_timeout_s": 1}})


def test_explain_config_reports_problems_and_still_finds_the_paths(tmp_path: Path) -> None:
    device = write(
        tmp_path, f'[paths]\ndata_dir = "{tmp_path.as_posix()}"\n[session]\nidle_timeout_s = 5\n'
    )
    report = explain_config(device, {})
    assert report.config is None
    assert len(report.problems) == 1
    assert report.issues == (
        (
            "session.idle_timeout_s",
            "session.idle_timeout_s = 5 — must be between 10 and 3600 seconds",
        ),
    )
    assert report.paths.data_dir == tmp_path.as_posix()
    broken_paths = write(tmp_path, "[paths]\ndata_dir = 5\n", "paths.toml")
    assert explain_config(broken_paths, {}).paths == config.PathsConfig()


def test_explain_config_raises_for_a_file_it_cannot_read(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="line 1"):
        explain_config(write(tmp_path, "[session\n"), {})


def test_explain_config_can_check_content_not_yet_written(tmp_path: Path) -> None:
    path = tmp_path / "not-yet.toml"
    report = explain_config(path, {}, device_data={"display": {"language": "fr"}})
    assert report.config is None
    assert str(path) in report.problems[0]
    assert "expected one of 'zh_CN', 'en'" in report.problems[0]


# --- single keys, for tools ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "raw", "expected"),
    [
        ("session.idle_timeout_s", "90", 90),
        ("session.idle_timeout_s", " 90 ", 90),
        ("session.accessible_timeout_factor", "2", 2.0),
        ("display.fullscreen", "false", False),
        ("display.language", "en", "en"),
        ("device.code", "123", "123"),
        ("printer.usb_vendor_id", "0x0416", 0x0416),
        ("printer.paper_mm", "58", 58),
        ("submissions.extra_phone_patterns", "['^852\\d{8}$']", ["^852\\d{8}$"]),
        ("session.idle_timeout_s", "soon", "soon"),  # left for validation to refuse
    ],
)
def test_parse_value_text(key: str, raw: str, expected: object) -> None:
    value = config.parse_value_text(key, raw)
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("session.idle_timout_s", "did you mean 'session.idle_timeout_s'?"),
        ("sesion.idle_timeout_s", "did you mean 'session'?"),
        ("idle_timeout_s", "did you mean 'session.idle_timeout_s'?"),
        ("session.", "is a section"),
        ("session", "is a section"),
    ],
)
def test_unknown_setting_message(key: str, hint: str) -> None:
    assert config.setting_field(key) is None
    assert hint in config.unknown_setting_message(key)


def test_setting_keys_and_fields() -> None:
    keys = config.setting_keys()
    assert keys[0] == "device.code"
    assert "maintenance.pin_hash" in keys
    assert len(keys) == len(set(keys))
    info = config.setting_field("session.idle_timeout_s")
    assert info is not None
    assert info.default == 60
    assert set(keys) >= config.SECRET_KEYS


def test_named_device_file(tmp_path: Path) -> None:
    given = tmp_path / "given.toml"
    assert config.named_device_file(given, {"MALLKIOSK_CONFIG": "/x.toml"}) == given
    assert config.named_device_file(None, {"MALLKIOSK_CONFIG": "/x.toml"}) == Path("/x.toml")
    assert config.named_device_file(None, {"MALLKIOSK_CONFIG": ""}) is None
    assert config.named_device_file(None, {}) is None


def assert_readable(message: str, expected: tuple[str, ...]) -> None:
    for fragment in expected:
        assert fragment in message
    assert "Traceback" not in message
    assert "pydantic" not in message.lower()
    assert "http" not in message
    assert "Input should be" not in message  # pydantic's own wording, meant for programmers


# --- schema and documentation --------------------------------------------------------------------


def test_committed_schema_is_up_to_date(tmp_path: Path) -> None:
    fresh = tmp_path / "schema.json"
    write_json_schema(fresh)
    assert SCHEMA.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), (
        "regenerate: python -m kiosk.config --write-schema config/schema.json"
    )


def schema_keys() -> list[tuple[str, str, dict[str, Any]]]:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    keys = []
    for section, prop in schema["properties"].items():
        ref = prop.get("$ref") or prop["allOf"][0]["$ref"]
        definition = schema["$defs"][ref.rsplit("/", 1)[-1]]
        keys += [(section, key, spec) for key, spec in definition["properties"].items()]
    return keys


def test_schema_lists_every_section_and_key() -> None:
    assert {(s, k) for s, k, _ in schema_keys()} == {
        (s, k) for s, model in config._SECTIONS.items() for k in model.model_fields
    }


def test_every_field_has_a_description() -> None:
    for section, key, spec in schema_keys():
        assert spec.get("description"), f"{section}.{key} has no description"


def test_every_key_is_documented_in_default_toml() -> None:
    lines = default_config_path().read_text(encoding="utf-8").splitlines()
    documented: dict[tuple[str, str], bool] = {}
    section = ""
    for i, line in enumerate(lines):
        if header := re.fullmatch(r"\[(\w+)\]", line.strip()):
            section = header[1]
        elif assignment := re.match(r"(\w+)\s*=", line):
            documented[(section, assignment[1])] = i > 0 and lines[i - 1].startswith("#")
    for section, key, _ in schema_keys():
        assert (section, key) in documented, f"{section}.{key} is missing from default.toml"
        assert documented[(section, key)], f"{section}.{key} has no comment line above it"


def test_default_toml_sets_every_key_explicitly() -> None:
    data = tomllib.loads(default_config_path().read_text(encoding="utf-8"))
    assert {(s, k) for s, table in data.items() for k in table} == {
        (s, k) for s, k, _ in schema_keys()
    }


# --- command line --------------------------------------------------------------------------------


def test_cli_writes_schema(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    assert config.main(["--write-schema", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == SCHEMA.read_text(encoding="utf-8")


def test_cli_checks_a_device_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in [n for n in os.environ if n.startswith("MALLKIOSK")]:
        monkeypatch.delenv(name)
    assert config.main([str(EXAMPLE)]) == 0
    assert json.loads(capsys.readouterr().out)["device"]["code"] == "K07"
    bad = write(tmp_path, "[session]\nidle_timeout_s = 5\n")
    assert config.main([str(bad)]) == 2
    assert "session.idle_timeout_s = 5" in capsys.readouterr().err
