"""60-mall-kiosk.rules: a parse check of every rule (udev's syntax: comma-separated
KEY[{attr}] OP "value" terms), `udevadm verify` where this udev has it, and what the rules are
for: printers for the kiosk's groups, the serial printer's name, the rotation example."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.installer.conftest import INSTALLER

RULES = INSTALLER / "udev/60-mall-kiosk.rules"

# udev(7): keys that match, keys that assign, and those that can do both.
MATCH_KEYS = {
    "ACTION", "DEVPATH", "KERNEL", "KERNELS", "NAME", "SYMLINK", "SUBSYSTEM", "SUBSYSTEMS",
    "DRIVER", "DRIVERS", "ATTR", "ATTRS", "SYSCTL", "ENV", "CONST", "TAG", "TAGS", "TEST",
    "PROGRAM", "RESULT",
}  # fmt: skip
ASSIGN_KEYS = {
    "NAME", "SYMLINK", "OWNER", "GROUP", "MODE", "SECLABEL", "ATTR", "SYSCTL", "ENV", "TAG",
    "RUN", "LABEL", "GOTO", "IMPORT", "OPTIONS",
}  # fmt: skip
WITH_ATTRIBUTE = {"ATTR", "ATTRS", "SYSCTL", "ENV", "CONST", "TEST", "RUN", "IMPORT", "SECLABEL"}
TERM = re.compile(
    r'(?P<key>[A-Z_]+)(?:\{(?P<attr>[^}]+)\})?\s*(?P<op>==|!=|\+=|-=|:=|=)\s*"(?P<value>[^"]*)"'
)


def parse(line: str) -> list[tuple[str, str | None, str, str]]:
    """The terms of one rule; AssertionError naming what is wrong."""
    terms = []
    rest = line.strip()
    while rest:
        found = TERM.match(rest)
        assert found, f"not a udev term at: {rest!r}"
        key, attr, op, value = found.group("key", "attr", "op", "value")
        if op in ("==", "!="):
            assert key in MATCH_KEYS, f"{key} cannot match"
        else:
            assert key in ASSIGN_KEYS, f"{key} cannot be assigned"
        assert (attr is not None) == (key in WITH_ATTRIBUTE) or key == "RUN", f"{key}{{{attr}}}"
        terms.append((key, attr, op, value))
        rest = rest[found.end() :].lstrip()
        if rest:
            assert rest.startswith(","), f"expected a comma at: {rest!r}"
            rest = rest[1:].lstrip()
    return terms


def rules(text: str) -> list[list[tuple[str, str | None, str, str]]]:
    joined = text.replace("\\\n", "")
    return [
        parse(line) for line in joined.splitlines() if line.strip() and not line.startswith("#")
    ]


def test_every_rule_parses_and_every_goto_has_its_label() -> None:
    parsed = rules(RULES.read_text(encoding="utf-8"))
    assert len(parsed) >= 5
    labels = {v for rule in parsed for k, _, _, v in rule if k == "LABEL"}
    gotos = {v for rule in parsed for k, _, _, v in rule if k == "GOTO"}
    assert gotos <= labels
    for rule in parsed:
        for key, _, op, value in rule:
            if key == "MODE":
                assert op == "="
                assert re.fullmatch(r"0[0-7]{3}", value), value
            if key == "GROUP":
                assert value in ("lp", "dialout"), value  # the kiosk user's groups


def test_the_parse_check_rejects_broken_rules() -> None:
    for broken in (
        'SUBSYSTEM=="usb" GROUP="lp"',  # missing comma
        'SUBSYSTEM="usb", GROUP="lp"',  # assignment to a match-only key
        'GROUP=="lp"',  # matching on an assign-only key
        'ATTR=="x", GROUP="lp"',  # ATTR without {attribute}
        "SUBSYSTEM==usb",  # unquoted
    ):
        with pytest.raises(AssertionError):
            parse(broken)


def test_printers_are_opened_to_group_lp_by_class_and_by_vendor() -> None:
    parsed = rules(RULES.read_text(encoding="utf-8"))
    usb = [dict(((k, a), v) for k, a, _, v in rule) for rule in parsed]
    by_class = [r for r in usb if r.get(("ENV", "ID_USB_INTERFACES")) == "*:0701??:*"]
    assert len(by_class) == 1
    assert by_class[0][("GROUP", None)] == "lp"
    assert by_class[0][("MODE", None)] == "0660"
    by_vendor = [r for r in usb if ("ATTR", "idVendor") in r]
    assert len(by_vendor) == 1
    vendors = set(by_vendor[0][("ATTR", "idVendor")].split("|"))
    assert {"04b8", "0519", "0483", "0416", "1fc9"} <= vendors
    assert by_vendor[0][("GROUP", None)] == "lp"
    for rule in (*by_class, *by_vendor):
        assert rule[("SUBSYSTEM", None)] == "usb"
        assert rule[("ENV", "DEVTYPE")] == "usb_device"


def test_a_usb_serial_printer_gets_a_stable_name() -> None:
    parsed = rules(RULES.read_text(encoding="utf-8"))
    named = [r for r in parsed if ("SYMLINK", None, "+=", "mallkiosk-printer") in r]
    assert len(named) >= 3
    for rule in named:
        assert ("SUBSYSTEM", None, "==", "tty") in rule


def test_the_rotation_example_is_a_valid_rule_once_uncommented() -> None:
    lines = [
        line[1:]
        for line in RULES.read_text(encoding="utf-8").splitlines()
        if line.startswith("#") and "LIBINPUT_CALIBRATION_MATRIX}=" in line
    ]
    assert len(lines) == 1
    (rule,) = rules(lines[0] + "\n")
    matrix = dict(((k, a), v) for k, a, _, v in rule)[("ENV", "LIBINPUT_CALIBRATION_MATRIX")]
    assert len([float(n) for n in matrix.split()]) == 6
    assert ("ENV", "ID_INPUT_TOUCHSCREEN", "==", "1") in rule


def test_the_usblp_choice_is_explained_where_it_is_made() -> None:
    text = RULES.read_text(encoding="utf-8")
    assert "usblp" in text
    assert "--keep-usblp" in text
    modprobe = (INSTALLER / "modprobe.d/mall-kiosk-usblp.conf").read_text(encoding="utf-8")
    assert [line for line in modprobe.splitlines() if not line.startswith("#")] == [
        "blacklist usblp"
    ]


def _udevadm_has_verify() -> bool:
    if shutil.which("udevadm") is None:
        return False
    done = subprocess.run(
        ["udevadm", "verify", "--help"], capture_output=True, text=True, check=False
    )
    return done.returncode == 0


@pytest.mark.skipif(not _udevadm_has_verify(), reason="udevadm verify needs systemd 254 or newer")
def test_udevadm_verify_accepts_the_rules() -> None:
    done = subprocess.run(
        ["udevadm", "verify", "--resolve-names=never", str(RULES)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
