"""device.position: the kiosk's position set on the device, one key in the device file; read
back, refused with readable messages, never taken from the central service, and saved as one
audited value by the device settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from kiosk import config
from kiosk.config import ConfigError, KioskConfig, explain_config, load_config
from kiosk.domain.placement import KioskPosition
from kiosk.maintenance.audit import AuditAction, AuditLog
from kiosk.maintenance.settings import DeviceSettings, SettingsError
from kiosk.store.db import open_cache

ON_2F = KioskPosition("54f56dfa-9e8e-5128-a1ff-4353a6dd11f6", (121.4696323, 31.2297649), 90.0)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "device.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def sessions(tmp_path: Path) -> sessionmaker[Session]:
    engine, factory = open_cache(tmp_path / "cache.sqlite3")
    yield factory
    engine.dispose()


def test_by_default_the_venue_data_places_the_kiosk() -> None:
    cfg = load_config(env={})
    assert cfg.device.position == ""
    assert cfg.device.kiosk_position() is None
    assert KioskConfig().device.kiosk_position() is None


def test_a_position_in_the_device_file_is_read(tmp_path: Path) -> None:
    device = write(tmp_path, f'[device]\nposition = "{ON_2F.text()}"\n')
    assert load_config(device, env={}).device.kiosk_position() == ON_2F


def test_the_environment_can_set_it(tmp_path: Path) -> None:
    cfg = load_config(env={"MALLKIOSK__DEVICE__POSITION": ON_2F.text()})
    assert cfg.device.kiosk_position() == ON_2F


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("level=L1", "needs level=, lon=, lat= and heading= together (missing lon=, lat="),
        ("level=L1 lon=200 lat=31 heading=0", "lon must be a longitude between -180 and 180"),
        ("level=L1 lon=121 lat=95 heading=0", "lat must be a latitude between -90 and 90"),
        ("level=L1 lon=121 lat=31 heading=400", "heading must be between 0 and 360 degrees"),
        ("121.47 31.23", "'121.47' is not one of level=…, lon=…, lat=…, heading=…"),
    ],
)
def test_a_bad_position_is_a_clear_config_error(tmp_path: Path, value: str, says: str) -> None:
    device = write(tmp_path, f'[device]\nposition = "{value}"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(device, env={})
    message = str(caught.value)
    assert message.startswith(f"config error in {device}: device.position = '{value}' — ")
    assert says in message
    assert "Input should be" not in message
    assert "Value error" not in message


def test_numbers_instead_of_text_say_to_quote(tmp_path: Path) -> None:
    device = write(tmp_path, "[device]\nposition = 121.47\n")
    with pytest.raises(ConfigError, match="expected text in double quotes"):
        load_config(device, env={})


def test_the_central_service_cannot_move_a_kiosk(tmp_path: Path) -> None:
    assert "device.position" in config.NOT_PUSHABLE
    report = explain_config(None, {}, {"device": {"position": ON_2F.text()}})
    assert report.config is not None
    assert report.config.device.kiosk_position() is None
    assert report.ignored == (
        "not applied from the settings pushed by the central service: "
        "device.position is set on the kiosk only",
    )


def test_device_settings_save_it_as_one_audited_value(
    tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    device = write(tmp_path, '[device]\ncode = "K01"\n')
    audit = AuditLog(sessions)
    settings = DeviceSettings(device, audit, env={})
    assert settings.get("device.position").pushable is False
    change = settings.set("device.position", ON_2F.text(), "Li Lei")
    assert change.new == f'"{ON_2F.text()}"'
    assert load_config(device, env={}).device.kiosk_position() == ON_2F
    (entry,) = audit.recent(5, AuditAction.POSITION_SET)
    assert (entry.who, entry.details["key"]) == ("Li Lei", "device.position")

    with pytest.raises(SettingsError, match="lon must be a longitude"):
        settings.set("device.position", "level=L1 lon=999 lat=1 heading=0", "Li Lei")
    assert load_config(device, env={}).device.kiosk_position() == ON_2F

    settings.set("device.position", "", "Li Lei")
    assert load_config(device, env={}).device.kiosk_position() is None
