"""Importing IMDF archives into a real SQLite cache: success, refusal, and all-or-nothing swaps."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from kiosk.domain.imdf import demo_venue_path, load_venue
from kiosk.errors import KnownError
from kiosk.services.venue_import import (
    MAX_REPORTED_WARNINGS,
    ImportResult,
    VenueImportError,
    format_report,
    import_archive,
)
from kiosk.store import models as m
from kiosk.store.db import open_cache

VENUE_TABLES = (
    m.VenueMeta,
    m.Level,
    m.Unit,
    m.Opening,
    m.Store,
    m.Facility,
    m.KioskPosition,
    m.Promotion,
    m.Category,
)

Files = dict[str, bytes]


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine, factory = open_cache(tmp_path / "cache.sqlite3")
    yield factory
    engine.dispose()


@pytest.fixture
def demo_files() -> Files:
    return {p.name: p.read_bytes() for p in sorted(demo_venue_path().iterdir())}


@pytest.fixture
def make_zip(tmp_path: Path) -> Callable[..., Path]:
    def make(files: Files, name: str = "mall.zip", folder: str = "") -> Path:
        path = tmp_path / name
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for file_name, blob in files.items():
                archive.writestr(folder + file_name, blob)
        return path

    return make


@pytest.fixture
def imported(
    sessions: sessionmaker[Session], demo_files: Files, make_zip: Callable[..., Path]
) -> ImportResult:
    """The demo mall, imported from a zip, as the venue a later import must not damage."""
    return import_archive(sessions, make_zip(demo_files, "demo.zip"))


def snapshot(sessions: sessionmaker[Session]) -> dict[str, Any]:
    with sessions() as s:
        found: dict[str, Any] = {
            model.__tablename__: s.scalar(select(func.count()).select_from(model))
            for model in VENUE_TABLES
        }
        meta = s.scalars(select(m.VenueMeta)).one()
        found["version"] = meta.version
        found["source"] = meta.source
        found["loaded_at"] = meta.loaded_at
    return found


def edit(files: Files, name: str, change: Callable[[dict[str, Any]], None]) -> Files:
    doc = json.loads(files[name])
    change(doc)
    return {**files, name: json.dumps(doc).encode()}


# --- success ------------------------------------------------------------------------------------


def test_demo_zip_imports_and_counts_match(
    sessions: sessionmaker[Session], demo_files: Files, make_zip: Callable[..., Path]
) -> None:
    archive = make_zip(demo_files)
    result = import_archive(sessions, archive)
    data = load_venue(demo_venue_path())
    assert result.venue_id == data.venue.id
    assert result.name == data.venue.name
    assert result.version == data.version
    assert result.previous_version is None
    expected = {
        "levels": len(data.levels),
        "units": len(data.units),
        "openings": len(data.openings),
        "amenities": len(data.amenities),
        "occupants": len(data.occupants),
        "kiosks": len(data.kiosks),
        "promotions": len(data.promotions),
    }
    assert {k: getattr(result, k) for k in expected} == expected
    assert expected["levels"] == 6
    assert expected["occupants"] >= 150
    stored = snapshot(sessions)
    assert stored["levels"] == expected["levels"]
    assert stored["units"] == expected["units"]
    assert stored["openings"] == expected["openings"]
    assert stored["facilities"] == expected["amenities"]
    assert stored["stores"] == expected["occupants"]
    assert stored["kiosks"] == expected["kiosks"]
    assert stored["promotions"] == expected["promotions"]
    assert stored["version"] == data.version
    assert stored["source"] == str(archive.resolve())
    # The demo ships IMDF files the kiosk does not read; they are reported, not fatal.
    assert any(w.startswith("building.geojson:") for w in result.warnings)

    report = format_report(result)
    assert report.splitlines()[0] == (
        f"Imported Yunhui Plaza (venue {data.venue.id}), version {data.version}; "
        "the cache held no venue before."
    )
    assert f"{expected['occupants']} occupants" in report
    assert f"{len(result.warnings)} warnings:" in report


def test_a_zip_of_the_folder_imports_too(
    sessions: sessionmaker[Session], demo_files: Files, make_zip: Callable[..., Path]
) -> None:
    result = import_archive(sessions, make_zip(demo_files, folder="yunhui-imdf/"))
    assert result.version == load_venue(demo_venue_path()).version


def test_importing_replaces_the_previous_venue(
    sessions: sessionmaker[Session],
    imported: ImportResult,
    demo_files: Files,
    make_zip: Callable[..., Path],
) -> None:
    def rename(doc: dict[str, Any]) -> None:
        doc["features"][0]["properties"]["name"] = {"en": "Cloud Plaza", "zh-Hans": "云广场"}

    changed = import_archive(sessions, make_zip(edit(demo_files, "venue.geojson", rename)))
    assert changed.previous_version == imported.version != changed.version
    assert changed.name.en == "Cloud Plaza"
    assert f"replaces version {imported.version}" in format_report(changed)
    assert snapshot(sessions)["version"] == changed.version
    again = import_archive(sessions, make_zip(edit(demo_files, "venue.geojson", rename), "b.zip"))
    assert "same version as before, reloaded" in format_report(again)


def test_unknown_files_import_with_warnings(
    sessions: sessionmaker[Session], demo_files: Files, make_zip: Callable[..., Path]
) -> None:
    files = {
        **demo_files,
        "README.txt": b"exported by our CAD tool",
        "parking_sensor.geojson": b'{"type": "FeatureCollection", "features": []}',
        "fixture.geojson": b'{"type": "FeatureCollection", "features": []}',
    }
    result = import_archive(sessions, make_zip(files))
    assert "README.txt: not an IMDF file, ignored" in result.warnings
    assert (
        'parking_sensor.geojson: unknown feature type "parking_sensor", ignored' in result.warnings
    )
    assert "fixture.geojson: fixture features are not used by the kiosk, ignored" in result.warnings
    assert snapshot(sessions)["stores"] == result.occupants
    assert "README.txt: not an IMDF file, ignored" in format_report(result)


def test_kiosks_sharing_a_code_are_reported(
    sessions: sessionmaker[Session], demo_files: Files, make_zip: Callable[..., Path]
) -> None:
    def same_code(doc: dict[str, Any]) -> None:
        for feature in doc["features"]:
            feature["properties"]["ext"]["code"] = "K01"

    result = import_archive(sessions, make_zip(edit(demo_files, "kiosk.geojson", same_code)))
    assert 'kiosk.geojson: 2 kiosks share the code "K01"' in result.warnings


def test_long_warning_lists_are_cut_short_in_the_report(
    sessions: sessionmaker[Session], demo_files: Files, make_zip: Callable[..., Path]
) -> None:
    extra = {f"notes{i}.txt": b"" for i in range(30)}
    result = import_archive(sessions, make_zip({**demo_files, **extra}))
    report = format_report(result)
    assert len(report.splitlines()) == 3 + MAX_REPORTED_WARNINGS + 1
    assert report.endswith(f"  ... and {len(result.warnings) - MAX_REPORTED_WARNINGS} more")


# --- refusal ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Broken:
    """How to break the demo files, and where the refusal must point."""

    breaks: Callable[[Files], tuple[Files, str | None]]
    file: str
    message: str


def _bad_json(files: Files) -> tuple[Files, None]:
    return {**files, "level.geojson": b'{"type": "FeatureCollection", '}, None


def _dangling_level(files: Files) -> tuple[Files, str]:
    doc = json.loads(files["unit.geojson"])
    feature = doc["features"][3]
    feature["properties"]["level_id"] = "no-such-level"
    return {**files, "unit.geojson": json.dumps(doc).encode()}, feature["id"]


def _dangling_anchor(files: Files) -> tuple[Files, str]:
    doc = json.loads(files["occupant.geojson"])
    feature = doc["features"][-1]
    feature["properties"]["anchor_id"] = "no-such-anchor"
    return {**files, "occupant.geojson": json.dumps(doc).encode()}, feature["id"]


def _missing_level_file(files: Files) -> tuple[Files, None]:
    return {k: v for k, v in files.items() if k != "level.geojson"}, None


@pytest.mark.parametrize(
    "case",
    [
        Broken(_bad_json, "level.geojson", "is not valid JSON"),
        Broken(_dangling_level, "unit.geojson", 'level_id "no-such-level" does not match any'),
        Broken(_dangling_anchor, "occupant.geojson", 'anchor_id "no-such-anchor" does not match'),
        Broken(_missing_level_file, "level.geojson", "required file is missing"),
    ],
    ids=["bad-json", "dangling-level", "dangling-anchor", "missing-level-file"],
)
def test_a_broken_archive_is_refused_and_the_old_venue_stays(
    sessions: sessionmaker[Session],
    imported: ImportResult,
    demo_files: Files,
    make_zip: Callable[..., Path],
    case: Broken,
) -> None:
    before = snapshot(sessions)
    assert before["version"] == imported.version
    files, feature_id = case.breaks(demo_files)
    with pytest.raises(VenueImportError) as info:
        import_archive(sessions, make_zip(files, "broken.zip"))
    error = info.value
    assert isinstance(error, KnownError)
    assert (error.file, error.feature_id) == (case.file, feature_id)
    assert str(error).startswith("broken.zip was not imported, the current venue is kept: ")
    assert case.file in str(error)
    assert case.message in str(error)
    if feature_id is not None:
        assert f"{case.file}, feature {feature_id}: " in str(error)
    assert snapshot(sessions) == before


def test_not_a_zip_is_refused(
    sessions: sessionmaker[Session], imported: ImportResult, tmp_path: Path
) -> None:
    before = snapshot(sessions)
    bogus = tmp_path / "mall.zip"
    bogus.write_bytes(b"PK\x03\x04 but not really")
    with pytest.raises(VenueImportError, match=r"mall\.zip: is not a directory or a valid zip"):
        import_archive(sessions, bogus)
    with pytest.raises(VenueImportError, match="does not exist"):
        import_archive(sessions, tmp_path / "missing.zip")
    assert snapshot(sessions) == before


def test_a_database_failure_half_way_changes_nothing(
    sessions: sessionmaker[Session],
    imported: ImportResult,
    demo_files: Files,
    make_zip: Callable[..., Path],
) -> None:
    before = snapshot(sessions)
    # Fails after the old rows are deleted and the levels and units are written.
    with sessions.begin() as s:
        s.execute(
            text(
                "CREATE TRIGGER fail_stores BEFORE INSERT ON stores "
                "BEGIN SELECT RAISE(ABORT, 'simulated disk failure'); END"
            )
        )

    def rename(doc: dict[str, Any]) -> None:
        doc["features"][0]["properties"]["name"] = {"en": "Cloud Plaza"}

    with pytest.raises(VenueImportError, match="simulated disk failure") as info:
        import_archive(sessions, make_zip(edit(demo_files, "venue.geojson", rename), "new.zip"))
    assert "the local database could not be written" in str(info.value)
    assert (info.value.file, info.value.feature_id) == (None, None)
    assert snapshot(sessions) == before
