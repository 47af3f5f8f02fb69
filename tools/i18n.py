"""Refresh the translation sources from the code, and compile them.

python tools/i18n.py update    # pyside6-lupdate: collect qsTr()/tr() strings into the .ts files
python tools/i18n.py release   # pyside6-lrelease: compile .ts into the shipped .qm files
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "kiosk" / "resources" / "i18n"
LANGUAGES = ("zh_CN",)
BIN = Path(sys.executable).parent


def sources() -> list[str]:
    files = sorted((ROOT / "kiosk" / "views").rglob("*.qml"))
    files += sorted((ROOT / "kiosk" / "viewmodels").glob("*.py"))
    return [str(f.relative_to(ROOT)) for f in files]


def ts_file(lang: str) -> Path:
    return I18N / f"kiosk_{lang}.ts"


def update() -> None:
    for lang in LANGUAGES:
        subprocess.run(
            [
                str(BIN / "pyside6-lupdate"),
                "-locations",
                "none",
                "-no-obsolete",
                *sources(),
                "-ts",
                str(ts_file(lang)),
            ],
            check=True,
            cwd=ROOT,
        )


def release(out_dir: Path = I18N) -> list[Path]:
    written = []
    for lang in LANGUAGES:
        qm = out_dir / f"kiosk_{lang}.qm"
        subprocess.run(
            [str(BIN / "pyside6-lrelease"), "-silent", str(ts_file(lang)), "-qm", str(qm)],
            check=True,
        )
        written.append(qm)
    return written


if __name__ == "__main__":
    {"update": update, "release": release}[sys.argv[1]]()
