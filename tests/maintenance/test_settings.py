"""Device settings: values with their sources, changes validated like the config loader does,
written atomically with comments kept, audited; a crash while saving leaves the old file."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from kiosk.atomicfile import write_file_atomically
from kiosk.maintenance.audit import AuditAction, AuditLog
from kiosk.maintenance.pin import PinRuleError, verify_pin
from kiosk.maintenance.settings import DeviceSettings, SettingsError, pushed_settings
from kiosk.store import models as m
from kiosk.store import sync_repo

DEVICE = """\
# Kiosk 7, east entrance.
[device]
code = "K07"  # printed on tickets

[display]
# The tourist desk.
language = "en"
"""


@pytest.fixture
def device_file(tmp_path: Path) -> Path:
    path = tmp_path / "etc" / "device.toml"
    path.parent.mkdir()
    path.write_text(DEVICE, encoding="utf-8")
    return path


def settings_for(
    path: Path, audit: AuditLog, env: dict[str, str] | None = None, **kwargs: Any
) -> DeviceSettings:
    return DeviceSettings(path, audit, env=env or {}, **kwargs)


def read(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def leftovers(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


# --- reading ------------------------------------------------------------------------------------


def test_every_key_with_its_value_and_source(device_file: Path, audit: AuditLog) -> None:
    env = {"MALLKIOSK__SESSION__COUNTDOWN_S": "30"}
    pushed = {"display": {"width": 1920}}
    found = {s.key: s for s in settings_for(device_file, audit, env, pushed=pushed).settings()}
    assert (found["device.code"].value, found["device.code"].source.kind) == ("K07", "file")
    assert found["device.code"].source.where == str(device_file)
    assert (found["display.width"].value, found["display.width"].source.kind) == (1920, "pushed")
    assert found["session.countdown_s"].source.kind == "env"
    assert "MALLKIOSK__SESSION__COUNTDOWN_S" in found["session.countdown_s"].source.where
    assert found["session.idle_timeout_s"].source.kind == "default"
    assert found["maintenance.pin_hash"].shown == "not set"
    assert found["maintenance.pin_hash"].secret
    assert not found["paths.data_dir"].pushable
    assert found["display.language"].shown == '"en"'
    assert found["session.idle_timeout_s"].description


def test_get_one_key_or_be_told_the_nearest(device_file: Path, audit: AuditLog) -> None:
    settings = settings_for(device_file, audit)
    assert settings.get("display.language").value == "en"
    with pytest.raises(SettingsError, match=r"did you mean 'display\.language'"):
        settings.get("display.langauge")


# --- changing -----------------------------------------------------------------------------------


def test_a_valid_value_is_saved_with_comments_and_other_keys_kept(
    device_file: Path, audit: AuditLog
) -> None:
    change = settings_for(device_file, audit).set("session.idle_timeout_s", "90", "Wang Li")
    assert (change.old, change.new, change.overridden) == ("60", "90", False)
    text = device_file.read_text(encoding="utf-8")
    assert text.startswith("# Kiosk 7, east entrance.\n")
    assert 'code = "K07"  # printed on tickets' in text
    assert "# The tourist desk." in text
    assert read(device_file)["session"] == {"idle_timeout_s": 90}
    assert read(device_file)["display"] == {"language": "en"}
    [entry] = audit.recent()
    assert (entry.who, entry.action) == ("Wang Li", AuditAction.CONFIG_SET)
    assert entry.details == {"key": "session.idle_timeout_s", "old": "60", "new": "90"}
    assert leftovers(device_file) == []


@pytest.mark.parametrize(
    ("key", "typed", "stored"),
    [
        ("display.fullscreen", "false", False),
        ("display.language", "zh_CN", "zh_CN"),
        ("session.accessible_timeout_factor", "3", 3.0),
        ("session.accessible_timeout_factor", "2.5", 2.5),
        ("printer.paper_mm", "58", 58),
        ("printer.usb_vendor_id", "0x0416", 0x0416),
        ("device.code", "123", "123"),  # a text key keeps digits as text
        ("sync.server_url", "https://central.example/kiosk", "https://central.example/kiosk"),
        ("printer.font_path", r"C:\Fonts\msyh.ttc", r"C:\Fonts\msyh.ttc"),
        ("submissions.extra_phone_patterns", r"['^852\d{8}$']", [r"^852\d{8}$"]),
    ],
)
def test_text_is_read_by_the_keys_type(
    device_file: Path, audit: AuditLog, key: str, typed: str, stored: object
) -> None:
    settings_for(device_file, audit).set(key, typed, "x")
    section, _, name = key.partition(".")
    value = read(device_file)[section][name]
    assert value == stored
    assert type(value) is type(stored)


@pytest.mark.parametrize(
    ("key", "typed", "message"),
    [
        ("session.idle_timeout_s", "5", "session.idle_timeout_s = 5 — must be between 10 and"),
        ("session.idle_timeout_s", "soon", "expected a whole number between 10 and 3600"),
        ("display.language", "fr", "expected one of 'zh_CN', 'en'"),
        ("display.fullscreen", "yes", "expected true or false"),
        ("device.code", "k7", "2 to 6 capital letters"),
        ("sync.server_url", "central.example", "sync.server_url"),
        ("printer.backend", "network", 'backend "network" needs printer.host'),
        ("session.idle_timout_s", "90", "did you mean 'session.idle_timeout_s'?"),
        ("sesion.idle_timeout_s", "90", "did you mean 'session'?"),
        ("idle_timeout_s", "90", "did you mean 'session.idle_timeout_s'?"),
        ("display", "en", "is a section"),
        ("maintenance.pin_hash", "246810", "set-pin"),
    ],
)
def test_a_bad_change_is_refused_with_the_loaders_message_and_nothing_changes(
    device_file: Path, audit: AuditLog, key: str, typed: str, message: str
) -> None:
    before = device_file.read_bytes()
    with pytest.raises(SettingsError) as err:
        settings_for(device_file, audit).set(key, typed, "x")
    assert message in str(err.value)
    assert "Traceback" not in str(err.value)
    assert "Input should be" not in str(err.value)
    assert device_file.read_bytes() == before
    assert audit.recent() == []
    assert leftovers(device_file) == []


def test_keys_that_depend_on_each_other_can_be_set_in_order(
    device_file: Path, audit: AuditLog
) -> None:
    settings = settings_for(device_file, audit)
    settings.set("printer.host", "10.0.0.7", "x")
    settings.set("printer.backend", "network", "x")
    assert read(device_file)["printer"] == {"host": "10.0.0.7", "backend": "network"}
    with pytest.raises(SettingsError, match=r"needs printer\.host"):
        settings.set("printer.host", "", "x")


def test_a_missing_file_is_created_readable_by_its_owner_only(
    tmp_path: Path, audit: AuditLog
) -> None:
    path = tmp_path / "new" / "device.toml"
    settings_for(path, audit).set("display.language", "en", "x")
    assert read(path) == {"display": {"language": "en"}}
    assert path.read_text(encoding="utf-8").startswith("# Device file of this kiosk")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_existing_files_mode_is_kept(device_file: Path, audit: AuditLog) -> None:
    device_file.chmod(0o640)
    settings_for(device_file, audit).set("display.language", "zh_CN", "x")
    assert stat.S_IMODE(device_file.stat().st_mode) == 0o640


def test_a_symlinked_device_file_is_followed(tmp_path: Path, audit: AuditLog) -> None:
    real = tmp_path / "real.toml"
    real.write_text(DEVICE, encoding="utf-8")
    link = tmp_path / "device.toml"
    link.symlink_to(real)
    settings_for(link, audit).set("display.language", "zh_CN", "x")
    assert link.is_symlink()
    assert read(real)["display"]["language"] == "zh_CN"


def test_unset_goes_back_to_the_default(device_file: Path, audit: AuditLog) -> None:
    change = settings_for(device_file, audit).unset("display.language", "x")
    assert (change.old, change.new) == ('"en"', '"zh_CN"')
    assert "language" not in read(device_file)["display"]
    assert audit.recent()[0].action == AuditAction.CONFIG_UNSET


def test_a_key_set_in_the_environment_stays_in_effect_and_says_so(
    device_file: Path, audit: AuditLog
) -> None:
    env = {"MALLKIOSK__SESSION__IDLE_TIMEOUT_S": "120"}
    change = settings_for(device_file, audit, env).set("session.idle_timeout_s", "90", "x")
    assert change.overridden
    assert change.in_effect.kind == "env"
    assert (change.old, change.new) == ("120", "90")
    assert read(device_file)["session"]["idle_timeout_s"] == 90
    assert "MALLKIOSK__SESSION__IDLE_TIMEOUT_S" in audit.recent()[0].details["in_effect"]


def test_an_environment_variable_cannot_hide_a_bad_value_in_the_file(
    device_file: Path, audit: AuditLog
) -> None:
    env = {"MALLKIOSK__SESSION__IDLE_TIMEOUT_S": "120"}
    with pytest.raises(SettingsError, match="must be between 10 and 3600"):
        settings_for(device_file, audit, env).set("session.idle_timeout_s", "5", "x")


def test_a_pushed_key_stays_in_effect_and_says_so(
    device_file: Path, audit: AuditLog, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as session:
        session.add(m.CatalogDoc(name=sync_repo.SETTINGS, doc={"display": {"width": 1200}}))
    pushed = pushed_settings(sessions)
    assert pushed == {"display": {"width": 1200}}
    change = settings_for(device_file, audit, pushed=pushed).set("display.width", "1080", "x")
    assert change.overridden
    assert change.in_effect.kind == "pushed"


def test_no_pushed_settings_before_the_first_sync(sessions: sessionmaker[Session]) -> None:
    assert pushed_settings(sessions) is None


def test_problems_already_in_the_file_do_not_block_fixing_them_one_by_one(
    device_file: Path, audit: AuditLog
) -> None:
    device_file.write_text(
        DEVICE + "[session]\nidle_timeout_s = 5\ncountdown_s = 5\n", encoding="utf-8"
    )
    settings = settings_for(device_file, audit)
    first = settings.set("session.idle_timeout_s", "60", "x")
    assert len(first.remaining) == 1
    assert "session.countdown_s = 5" in first.remaining[0]
    second = settings.set("session.countdown_s", "30", "x")
    assert second.remaining == ()
    assert settings.get("session.countdown_s").value == 30


def test_a_file_that_is_not_toml_is_not_touched(device_file: Path, audit: AuditLog) -> None:
    device_file.write_text("[display\nlanguage = 'en'\n", encoding="utf-8")
    before = device_file.read_bytes()
    with pytest.raises(SettingsError, match="line 1"):
        settings_for(device_file, audit).set("display.language", "zh_CN", "x")
    assert device_file.read_bytes() == before


def test_the_device_file_named_in_the_environment_does_not_matter_here(
    tmp_path: Path, audit: AuditLog
) -> None:
    path = tmp_path / "device.toml"
    env = {"MALLKIOSK_CONFIG": str(tmp_path / "elsewhere.toml")}
    settings_for(path, audit, env).set("display.language", "en", "x")
    assert settings_for(path, audit, env).get("display.language").source.kind == "file"


def test_set_pin_writes_only_the_hash_and_audits_without_it(
    device_file: Path, audit: AuditLog
) -> None:
    change = settings_for(device_file, audit).set_pin("246810", "Wang Li")
    assert (change.old, change.new) == ("not set", "set")
    stored = read(device_file)["maintenance"]["pin_hash"]
    assert verify_pin("246810", stored)
    assert "246810" not in device_file.read_text(encoding="utf-8")
    [entry] = audit.recent()
    assert entry.action == AuditAction.PIN_SET
    assert stored not in repr(entry.details)
    assert "246810" not in repr(entry.details)
    with pytest.raises(PinRuleError):
        settings_for(device_file, audit).set_pin("111111", "x")


def test_another_writer_between_read_and_save_is_not_overwritten(
    device_file: Path, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = DeviceSettings._apply
    calls = []

    def racing_apply(self: DeviceSettings, document: Any, key: str, value: Any) -> Any:
        if not calls:  # another program saves the file just after it was read
            with device_file.open("a", encoding="utf-8") as f:
                f.write('\n[logging]\nlevel = "DEBUG"\n')
        calls.append(key)
        return original(self, document, key, value)

    monkeypatch.setattr(DeviceSettings, "_apply", racing_apply)
    settings_for(device_file, audit).set("display.language", "zh_CN", "x")
    assert len(calls) == 2
    assert read(device_file)["logging"] == {"level": "DEBUG"}
    assert read(device_file)["display"] == {"language": "zh_CN"}


# --- crashes while saving -----------------------------------------------------------------------


def test_a_failure_between_write_and_rename_leaves_the_old_file(
    device_file: Path, audit: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = device_file.read_bytes()

    def no_rename(src: object, dst: object) -> None:
        assert Path(str(src)).read_bytes() != before  # the new content was written first
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_rename)
    with pytest.raises(SettingsError, match="No space left on device"):
        settings_for(device_file, audit).set("display.language", "zh_CN", "x")
    monkeypatch.undo()
    assert device_file.read_bytes() == before
    assert read(device_file)["display"]["language"] == "en"
    assert leftovers(device_file) == []
    assert audit.recent() == []


_KILLED_SAVE = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from kiosk import atomicfile

    def die(src, dst):
        # The new file is written and flushed; the process dies before the rename.
        print(Path(src).name, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

    os.replace = die
    payload = b"[display]\\n" + b'language = "zh_CN"\\n' * 50_000
    atomicfile.write_file_atomically(Path(sys.argv[1]), payload)
    """
)


def test_a_process_killed_while_saving_leaves_the_old_file(
    device_file: Path, audit: AuditLog
) -> None:
    before = device_file.read_bytes()
    done = subprocess.run(
        [sys.executable, "-c", _KILLED_SAVE, str(device_file)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    temp_name = done.stdout.strip()
    assert temp_name.startswith(".device.toml.")
    assert device_file.read_bytes() == before
    assert read(device_file)["display"]["language"] == "en"
    assert leftovers(device_file) == [temp_name]
    # The next save works, and clears what the dead process left beside the file.
    settings_for(device_file, audit).set("display.language", "zh_CN", "x")
    assert read(device_file)["display"]["language"] == "zh_CN"
    assert leftovers(device_file) == []


def test_write_file_atomically_replaces_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_bytes(b"old content that is longer than the new one")
    write_file_atomically(path, b"new")
    assert path.read_bytes() == b"new"
    assert leftovers(path) == []
