"""Lint every QML file with pyside6-qmllint, warnings counted as failures.

qmllint only knows the types registered from Python (`import MallKiosk`) through their type
information, so first dump the view models' metaobjects and run qmltyperegistrar into a QML
module directory under build/ (what `pyside6-project build` does for a QML module).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIEWMODELS = ROOT / "kiosk" / "viewmodels"
VIEWS = ROOT / "kiosk" / "views"
IMPORT_NAME = "MallKiosk"
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    found = BIN / name
    return str(found) if found.exists() else name


def qt_metatypes_dir() -> Path:
    import PySide6  # noqa: PLC0415 - only this tool needs it

    return Path(PySide6.__file__).parent / "Qt" / "metatypes"


_CONSTANT = re.compile(r"^\s*(\w+) = Property\((?:[^()]|\([^()]*\))*constant=True", re.M)


_PY_TO_QT = {"dict": "QVariantMap", "list": "QVariantList"}


def restore_constants(json_file: Path, source: Path) -> None:
    """metaobjectdump of PySide6 6.11 drops `constant=True` and keeps Python type names; put
    the constants back from the source and name the Qt types, so qmllint reads them right."""
    constants = set(_CONSTANT.findall(source.read_text(encoding="utf-8")))
    data = json.loads(json_file.read_text(encoding="utf-8"))
    for module in data:
        for cls in module.get("classes", []):
            for prop in cls.get("properties", []):
                if prop["name"] in constants:
                    prop["constant"] = True
                # PySide6 converts these Python types to their QVariant containers.
                prop["type"] = _PY_TO_QT.get(prop["type"], prop["type"])
    json_file.write_text(json.dumps(data, indent=4), encoding="utf-8")


def build_type_info(out_root: Path) -> Path:
    module_dir = out_root / IMPORT_NAME
    shutil.rmtree(module_dir, ignore_errors=True)
    module_dir.mkdir(parents=True)
    meta = qt_metatypes_dir()
    foreign = ",".join(
        str(next(meta.glob(f"qt6{mod}_*metatypes.json"))) for mod in ("core", "qml", "gui")
    )
    typeinfos = []
    for source in sorted(VIEWMODELS.glob("*.py")):
        if "@QmlElement" not in source.read_text(encoding="utf-8"):
            continue
        json_file = module_dir / f"{source.stem}.metatypes.json"
        subprocess.run(
            [tool("pyside6-metaobjectdump"), "-o", str(json_file), str(source)], check=True
        )
        restore_constants(json_file, source)
        qmltypes = module_dir / f"{source.stem}.qmltypes"
        subprocess.run(
            [
                tool("pyside6-qmltyperegistrar"),
                "--generate-qmltypes",
                str(qmltypes),
                "-o",
                str(module_dir / f"{source.stem}_qmltyperegistrations.cpp"),
                str(json_file),
                "--import-name",
                IMPORT_NAME,
                "--major-version",
                "1",
                "--minor-version",
                "0",
                f"--foreign-types={foreign}",
            ],
            check=True,
        )
        typeinfos.append(qmltypes.name)
    lines = [f"module {IMPORT_NAME}", *(f"typeinfo {name}" for name in typeinfos)]
    (module_dir / "qmldir").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out_root


def main() -> int:
    out_root = build_type_info(ROOT / "build" / "qml")
    files = sorted(str(p) for p in VIEWS.rglob("*.qml"))
    cmd = [tool("pyside6-qmllint"), "-W", "0", "-I", str(out_root), "-I", str(ROOT), *files]
    result = subprocess.run(cmd, check=False)
    if result.returncode == 0:
        print(f"qmllint: {len(files)} QML files clean")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
