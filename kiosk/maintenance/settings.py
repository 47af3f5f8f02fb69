"""The device file as staff see and change it: every key with its value and source, and changes
one key at a time.

A change is validated through the real `KioskConfig` (the same limits and the same messages as
at start-up), then written to the device file with its comments and other keys kept (tomlkit),
atomically: a temporary file in the same directory, fsync, `os.replace`, fsync of the directory.
A crash at any point leaves either the old file or the new one, never a mix.

A value is refused when it adds a problem to the configuration: to the one the kiosk will run
with (defaults, file, pushed settings, environment), or to the file's own value for that key
(an environment variable may hide a bad value today and stop the kiosk tomorrow). Problems that
were there before (another bad key) do not block a change, so staff can fix them one by one.

Where a key's value comes from: "default" (config/default.toml), "file" (the device file),
"pushed" (the settings document of the central service's catalog, kept in the cache) or "env"
(`MALLKIOSK__SECTION__KEY`). A change saved to the file while the key is pushed or set in the
environment is kept there, but the other value stays in effect: `SettingChange.overridden`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
from sqlalchemy.orm import Session, sessionmaker
from tomlkit.exceptions import TOMLKitError
from tomlkit.toml_document import TOMLDocument

from kiosk.atomicfile import write_file_atomically
from kiosk.config import (
    ENV_CONFIG_FILE,
    NOT_PUSHABLE,
    POSITION_KEY,
    SECRET_KEYS,
    ConfigError,
    ConfigReport,
    SettingSource,
    explain_config,
    parse_value_text,
    setting_field,
    setting_keys,
    unknown_setting_message,
)
from kiosk.errors import KnownError
from kiosk.maintenance.audit import AuditAction, AuditError, AuditLog
from kiosk.maintenance.pin import hash_pin
from kiosk.store.pushed import settings_doc

__all__ = [
    "PIN_KEY",
    "DeviceSettings",
    "Setting",
    "SettingChange",
    "SettingsError",
    "pushed_settings",
    "show_value",
    "without_device_file",
]

PIN_KEY = "maintenance.pin_hash"
NEW_FILE_HEADER = (
    "Device file of this kiosk: only the keys it changes. Every key is documented in "
    "config/default.toml.\nChanged by `mall-kiosk config set` and the maintenance screens; "
    "comments are kept."
)
# A new device file holds the PIN hash: readable by its owner (the kiosk's user) only.
_SAVE_TRIES = 3


class SettingsError(KnownError):
    """A setting cannot be read or changed; str(err) says why, one problem per line."""


@dataclass(frozen=True, slots=True)
class Setting:
    """One key of the effective configuration.

    value: the value in effect (do not show it when `secret`: use `shown`).
    source: the layer it came from. pushable: the central service may set it.
    """

    key: str
    value: Any
    source: SettingSource
    description: str
    secret: bool
    pushable: bool

    @property
    def shown(self) -> str:
        """The value as TOML text, or "set" / "not set" for a secret."""
        return show_value(self.key, self.value)


@dataclass(frozen=True, slots=True)
class SettingChange:
    """A change written to the device file.

    old / new: the value in effect before and the value written, as shown (secrets masked).
    in_effect: where the key's effective value now comes from; overridden: the file's new value
    is not the one in effect (the environment or the central service sets the key).
    remaining: problems of the configuration that were there before and still are.
    """

    key: str
    old: str
    new: str
    in_effect: SettingSource
    overridden: bool
    remaining: tuple[str, ...]


def show_value(key: str, value: Any) -> str:
    """`value` as TOML text; a secret as "set" or "not set"."""
    if key in SECRET_KEYS:
        return "set" if value else "not set"
    if value is None:
        return "(none)"
    return str(tomlkit.item(value).as_string())


def pushed_settings(sessions: sessionmaker[Session]) -> dict[str, Any] | None:
    """The settings document the central service pushed with the catalog, None when there is
    none (never synced, or the service sends none)."""
    with sessions() as session:
        return settings_doc(session)


class DeviceSettings:
    """Reads the effective configuration with sources, and changes the device file at `path`.

    `env` (default os.environ) and `pushed` (see `pushed_settings`) are the layers above the
    file. Every change is written to `audit` as done by `who`. Blocks on the disk: call it off
    the GUI thread.
    """

    def __init__(
        self,
        path: Path,
        audit: AuditLog,
        *,
        env: Mapping[str, str] | None = None,
        pushed: Mapping[str, Any] | None = None,
    ) -> None:
        self.path = path
        self._audit = audit
        # The file is named here: $MALLKIOSK_CONFIG must not name another (or a missing) one.
        self._env = without_device_file(os.environ if env is None else env)
        self._pushed = pushed

    # --- reading ------------------------------------------------------------------------------

    def report(self) -> ConfigReport:
        """The effective configuration with sources (ConfigError when the file is unreadable)."""
        return explain_config(self._existing(), self._env, self._pushed)

    def settings(self) -> list[Setting]:
        """Every key with its value in effect and its source; SettingsError when the
        configuration cannot be used (the problems, one per line)."""
        try:
            report = self.report()
        except ConfigError as err:
            raise SettingsError(str(err)) from None
        if report.config is None:
            raise SettingsError("\n".join(report.problems))
        values = report.config.model_dump()
        result = []
        for key in setting_keys():
            section, _, name = key.partition(".")
            info = setting_field(key)
            result.append(
                Setting(
                    key=key,
                    value=values[section][name],
                    source=report.sources.get(key, SettingSource("default", "the defaults")),
                    description=(info.description or "") if info is not None else "",
                    secret=key in SECRET_KEYS,
                    pushable=section not in NOT_PUSHABLE and key not in NOT_PUSHABLE,
                )
            )
        return result

    def get(self, key: str) -> Setting:
        if setting_field(key) is None:
            raise SettingsError(unknown_setting_message(key))
        return next(s for s in self.settings() if s.key == key)

    # --- changing -----------------------------------------------------------------------------

    def set(self, key: str, text: str, who: str) -> SettingChange:
        """Set `key` to the value typed as `text` (read by the key's type: `90`, `true`,
        `en`…), validated, written atomically and audited. Raises SettingsError saying why a
        change is refused."""
        if setting_field(key) is None:
            raise SettingsError(unknown_setting_message(key))
        if key == PIN_KEY:
            raise SettingsError(
                f"{PIN_KEY} is not typed in: set the PIN with `mall-kiosk set-pin` "
                "or on the maintenance screen"
            )
        # A placement on the map is audited as such, so staff find it among the settings.
        action = AuditAction.POSITION_SET if key == POSITION_KEY else AuditAction.CONFIG_SET
        return self._change(key, parse_value_text(key, text), who, action)

    def unset(self, key: str, who: str) -> SettingChange:
        """Remove `key` from the device file (back to the default or a layer above)."""
        if setting_field(key) is None:
            raise SettingsError(unknown_setting_message(key))
        return self._change(key, None, who, AuditAction.CONFIG_UNSET)

    def set_pin(self, pin: str, who: str) -> SettingChange:
        """Make `pin` the maintenance PIN (PinRuleError when it breaks the rules): its hash is
        written to the device file, the PIN itself nowhere."""
        return self._change(PIN_KEY, hash_pin(pin), who, AuditAction.PIN_SET)

    def _change(self, key: str, value: Any, who: str, action: AuditAction) -> SettingChange:
        for _ in range(_SAVE_TRIES):
            before_bytes, document = self._read_document()
            change = self._apply(document, key, value)
            if self._save_if_unchanged(before_bytes, document):
                details = {"key": key, "old": change.old, "new": change.new}
                if change.overridden:
                    details["in_effect"] = f"{change.in_effect.kind}: {change.in_effect.where}"
                try:
                    self._audit.record(who, action, details)
                except AuditError as err:
                    raise SettingsError(f"{key} was saved, but {err}") from err
                return change
        raise SettingsError(
            f"{self.path} kept changing while it was being saved (another program is writing "
            "it): try again"
        )

    def _apply(self, document: TOMLDocument, key: str, value: Any) -> SettingChange:
        """Put the change into `document` (in memory) if the configuration allows it."""
        section, _, name = key.partition(".")
        before_file = self._explain(env={}, pushed=None, data=document.unwrap())
        before = self._explain(env=self._env, pushed=self._pushed, data=document.unwrap())
        old = _effective(before, key)
        if before.config is None:  # broken somewhere: what the file says, if anything
            table = document.unwrap().get(section)
            old = table.get(name) if isinstance(table, dict) else None

        found = document.get(section)
        if found is not None and not isinstance(found, MutableMapping):
            raise SettingsError(
                f"{self.path}: '{section}' is not a [{section}] table; fix the file by hand"
            )
        if value is None:
            if found is not None and name in found:
                del found[name]
        elif found is not None:
            found[name] = value
        else:
            table = tomlkit.table()
            table[name] = value
            document.add(section, table)

        after_file = self._explain(env={}, pushed=None, data=document.unwrap())
        after = self._explain(env=self._env, pushed=self._pushed, data=document.unwrap())
        new_problems = [text for issue, text in after.issues if (issue, text) not in before.issues]
        own = [
            text
            for issue, text in after_file.issues
            if issue in (key, section) and (issue, text) not in before_file.issues
        ]
        refused = list(dict.fromkeys([*own, *new_problems]))
        if refused:
            raise SettingsError("\n".join(refused))

        in_effect = after.sources.get(key, SettingSource("default", "the defaults"))
        written = value if value is not None else _effective(after, key)
        return SettingChange(
            key=key,
            old=show_value(key, old),
            new=show_value(key, written),
            in_effect=in_effect,
            overridden=value is not None and in_effect.kind in ("env", "pushed"),
            remaining=tuple(after.problems),
        )

    def _explain(
        self, *, env: Mapping[str, str], pushed: Mapping[str, Any] | None, data: dict[str, Any]
    ) -> ConfigReport:
        try:
            return explain_config(self.path, env, pushed, device_data=data)
        except ConfigError as err:  # a bad environment variable: nothing to do with the file
            raise SettingsError(str(err)) from None

    # --- the file -----------------------------------------------------------------------------

    def _existing(self) -> Path | None:
        return self.path if self.path.exists() else None

    def _read_document(self) -> tuple[bytes | None, TOMLDocument]:
        """The file's bytes (None when it does not exist yet) and its round-trip document."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            document = tomlkit.document()
            for line in NEW_FILE_HEADER.splitlines():
                document.add(tomlkit.comment(line))
            document.add(tomlkit.nl())
            return None, document
        except OSError as err:
            raise SettingsError(f"cannot read {self.path}: {err.strerror or err}") from None
        try:
            # Read as the config loader reads it, so a broken file is described the same way.
            explain_config(self.path, {}, None)
        except ConfigError as err:  # not UTF-8, or not TOML: nothing can be kept of it
            raise SettingsError(f"{err}; fix it by hand before changing settings") from None
        try:
            return raw, tomlkit.parse(raw.decode("utf-8-sig"))
        except (UnicodeDecodeError, TOMLKitError) as err:
            raise SettingsError(f"cannot read {self.path}: {err}") from None

    def _save_if_unchanged(self, before: bytes | None, document: TOMLDocument) -> bool:
        """Write `document` unless the file changed since it was read (False then)."""
        try:
            now = self.path.read_bytes()
        except FileNotFoundError:
            now = None
        except OSError as err:
            raise SettingsError(f"cannot read {self.path}: {err.strerror or err}") from None
        if now != before:
            return False
        try:
            write_file_atomically(self.path, document.as_string().encode("utf-8"))
        except OSError as err:
            raise SettingsError(
                f"cannot save {self.path}: {err.strerror or err} (the file was not changed)"
            ) from None
        return True


def without_device_file(env: Mapping[str, str]) -> dict[str, str]:
    """`env` less $MALLKIOSK_CONFIG, for loading a device file named explicitly or absent."""
    return {name: value for name, value in env.items() if name != ENV_CONFIG_FILE}


def _effective(report: ConfigReport, key: str) -> Any:
    if report.config is None:
        return None
    section, _, name = key.partition(".")
    return report.config.model_dump()[section][name]
