"""Translations: every visible string has a Chinese translation and the shipped .qm is current."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "kiosk" / "resources" / "i18n"
sys.path.insert(0, str(ROOT / "tools"))

import i18n  # noqa: E402 - the project's own tool, not a package


def test_ts_source_covers_every_string_in_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pyside6-lupdate"),
            "-locations",
            "none",
            *i18n.sources(),
            "-ts",
            str(fresh),
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )

    def sources(path: Path) -> set[tuple[str, str]]:
        tree = ET.parse(path)
        return {
            (ctx.findtext("name") or "", msg.findtext("source") or "")
            for ctx in tree.iter("context")
            for msg in ctx.iter("message")
            if (
                msg.find("translation") is None or msg.find("translation").get("type") != "obsolete"
            )  # type: ignore[union-attr]
        }

    missing = sources(fresh) - sources(I18N / "kiosk_zh_CN.ts")
    assert not missing, f"run `python tools/i18n.py update` and translate: {sorted(missing)}"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_string_is_translated(lang: str) -> None:
    tree = ET.parse(I18N / f"kiosk_{lang}.ts")
    untranslated = [
        msg.findtext("source")
        for msg in tree.iter("message")
        if (t := msg.find("translation")) is None or t.get("type") == "unfinished" or not t.text
    ]
    assert untranslated == []


def test_shipped_qm_matches_its_source(tmp_path: Path) -> None:
    for qm in i18n.release(tmp_path):
        assert qm.read_bytes() == (I18N / qm.name).read_bytes(), (
            f"{qm.name} is stale: run `python tools/i18n.py release`"
        )


def test_switching_language_every_session_loads_each_catalogue_once(qapp) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication, QEvent, QTranslator

    from kiosk.viewmodels.i18n import Localizer

    localizer = Localizer(qapp)
    before = len(qapp.findChildren(QTranslator))
    for _ in range(50):  # a shopper picks English, the next session starts in Chinese
        localizer.apply("en")
        assert QCoreApplication.translate("MaintenanceViewModel", "Not saved.") == "Not saved."
        localizer.apply("zh_CN")
        assert QCoreApplication.translate("MaintenanceViewModel", "Not saved.") == "未保存。"
    assert len(qapp.findChildren(QTranslator)) == before + 1
    localizer.detach()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    assert len(qapp.findChildren(QTranslator)) == before
