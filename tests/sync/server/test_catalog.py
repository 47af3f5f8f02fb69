"""Reference data pulls: full snapshots, deltas after a cursor, ETags and compression."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from kiosk.domain.imdf import demo_venue_path, load_venue, parse_files
from sync.schemas import CatalogReply
from sync.server.catalog import canonical_json, load_document, prune_changes
from sync.server.cli import main
from sync.server.db import open_database
from sync.server.models import Venue
from tests.central import Central
from tests.sync.server.conftest import Kiosk


def pull(kiosk: Kiosk, since: str | None = None, **headers: str) -> CatalogReply:
    reply = kiosk.get("/v1/catalog", params={"since": since} if since else None, headers=headers)
    assert reply.status_code == 200, reply.text
    catalog = CatalogReply.model_validate(reply.json())
    assert reply.headers["ETag"] == f'"{catalog.cursor}"'
    return catalog


@pytest.fixture
def mall(tmp_path: Path) -> Path:
    """A copy of the demo mall's IMDF folder to edit and load again."""
    return Path(shutil.copytree(demo_venue_path(), tmp_path / "mall"))


def edit_json(path: Path, change: Any) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def load(central: Central, path: Path, command: str = "load-venue") -> None:
    assert main(["--db", central.db_url, command, str(path)]) == 0


def test_the_first_pull_is_a_full_snapshot_the_kiosk_importer_reads(kiosk: Kiosk) -> None:
    catalog = pull(kiosk)
    assert catalog.full
    assert catalog.venue is not None
    assert catalog.return_policy is None
    assert catalog.settings is None
    demo = load_venue(demo_venue_path())
    files = catalog.venue.files
    assert {"manifest.json", "venue.geojson", "level.geojson", "unit.geojson"} <= set(files)
    assert "promotions.json" not in files
    # What the kiosk does with the files: json.dumps(...).encode() into parse_files.
    parsed = parse_files({name: json.dumps(doc).encode() for name, doc in files.items()})
    assert parsed.warnings == ()
    assert parsed.data.venue == demo.venue
    assert parsed.data.occupants == demo.occupants
    assert parsed.data.units == demo.units
    canonical = parse_files({name: canonical_json(doc) for name, doc in files.items()})
    assert canonical.data.version == catalog.venue.version
    assert catalog.promotions is not None
    assert [p.id for p in catalog.promotions] == [p.id for p in demo.promotions]
    assert catalog.promotions[0].title_zh == demo.promotions[0].title.zh
    assert catalog.promotions[0].store_id == demo.promotions[0].occupant_id


def test_if_none_match_with_the_current_etag_is_304_without_a_body(kiosk: Kiosk) -> None:
    first = kiosk.get("/v1/catalog")
    etag = first.headers["ETag"]
    cursor = first.json()["cursor"]
    again = kiosk.get("/v1/catalog", params={"since": cursor}, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == etag
    stale = kiosk.get("/v1/catalog", headers={"If-None-Match": '"0000.1"'})
    assert stale.status_code == 200


def test_a_pull_at_the_current_cursor_is_an_empty_delta(kiosk: Kiosk) -> None:
    cursor = pull(kiosk).cursor
    delta = pull(kiosk, cursor)
    assert delta == CatalogReply(cursor=cursor, full=False)


def test_a_promotions_change_is_sent_as_the_whole_new_list(
    central: Central, kiosk: Kiosk, mall: Path
) -> None:
    first = pull(kiosk)

    def retitle(doc: list[dict[str, Any]]) -> None:
        doc[0]["title"]["en"] = "Half price all day"
        del doc[-1]

    edit_json(mall / "promotions.json", retitle)
    load(central, mall)
    delta = pull(kiosk, first.cursor)
    assert not delta.full
    assert delta.cursor != first.cursor
    assert delta.venue is None
    assert delta.promotions is not None
    assert first.promotions is not None
    assert len(delta.promotions) == len(first.promotions) - 1
    assert delta.promotions[0].title_en == "Half price all day"
    assert kiosk.get("/v1/catalog", headers={"If-None-Match": f'"{first.cursor}"'}).ok


def test_a_venue_change_shows_up_and_an_identical_reload_changes_nothing(
    central: Central, kiosk: Kiosk, mall: Path
) -> None:
    first = pull(kiosk)
    load(central, mall)
    assert pull(kiosk, first.cursor) == CatalogReply(cursor=first.cursor, full=False)

    def rename(doc: dict[str, Any]) -> None:
        doc["features"][0]["properties"]["name"]["en"] = "Renamed Mall"

    edit_json(mall / "venue.geojson", rename)
    load(central, mall)
    delta = pull(kiosk, first.cursor)
    assert not delta.full
    assert delta.promotions is None
    assert delta.venue is not None
    assert first.venue is not None
    assert delta.venue.version != first.venue.version
    parsed = parse_files({n: json.dumps(d).encode() for n, d in delta.venue.files.items()})
    assert parsed.data.venue.name.en == "Renamed Mall"


def test_policy_and_settings_documents_come_as_they_were_loaded(
    central: Central, kiosk: Kiosk, tmp_path: Path
) -> None:
    first = pull(kiosk)
    policy = {"no_reason_days": 7, "exclusions": ["food", "内衣"], "sanbao": {"phone": 365}}
    (tmp_path / "policy.json").write_text(json.dumps(policy, ensure_ascii=False), "utf-8")
    load(central, tmp_path / "policy.json", "load-policy")
    delta = pull(kiosk, first.cursor)
    assert delta.return_policy == policy
    assert delta.settings is None
    assert delta.venue is None
    assert delta.promotions is None
    db = open_database(central.db_url)
    assert load_document(db, "settings", {"idle_seconds": 90}, central.venue_id)
    assert not load_document(db, "settings", {"idle_seconds": 90}, central.venue_id)
    db.dispose()
    latest = pull(kiosk, delta.cursor)
    assert latest.settings == {"idle_seconds": 90}
    assert latest.return_policy is None
    full = pull(kiosk)
    assert full.full
    assert full.return_policy == policy
    assert full.settings == {"idle_seconds": 90}


@pytest.mark.parametrize(
    "cursor", ["", "garbage", "deadbeef.1", "1", "{epoch}.999999", "{epoch}.x"]
)
def test_an_unknown_cursor_gets_a_full_snapshot(kiosk: Kiosk, cursor: str) -> None:
    current = pull(kiosk).cursor
    epoch = current.partition(".")[0]
    catalog = pull(kiosk, cursor.format(epoch=epoch))
    assert catalog.full
    assert catalog.venue is not None
    assert catalog.cursor == current


def test_a_cursor_older_than_the_kept_changes_gets_a_full_snapshot(
    central: Central, kiosk: Kiosk, mall: Path
) -> None:
    first = pull(kiosk)
    edit_json(mall / "promotions.json", lambda doc: doc.pop())
    load(central, mall)
    middle = pull(kiosk, first.cursor)
    edit_json(mall / "promotions.json", lambda doc: doc.pop())
    load(central, mall)
    db = open_database(central.db_url)
    with db.write() as session:
        venue = session.get(Venue, central.venue_id)
        assert venue is not None
        prune_changes(session, venue, keep=1)
    db.dispose()
    assert pull(kiosk, first.cursor).full
    delta = pull(kiosk, middle.cursor)
    assert not delta.full
    assert delta.promotions is not None


def test_replies_are_gzipped_when_asked(kiosk: Kiosk) -> None:
    zipped = kiosk.get("/v1/catalog", headers={"Accept-Encoding": "gzip"}, stream=True)
    assert zipped.headers["Content-Encoding"] == "gzip"
    raw = zipped.raw.read(decode_content=False)
    assert int(zipped.headers["Content-Length"]) == len(raw)
    body = gzip.decompress(raw)
    assert len(raw) * 4 < len(body)
    plain = kiosk.get("/v1/catalog", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert plain.content == body
    small = kiosk.get("/v1/catalog", params={"since": plain.json()["cursor"]})
    assert "Content-Encoding" not in small.headers


def test_two_kiosks_of_the_venue_get_the_same_snapshot(kiosk: Kiosk, enroll: Any) -> None:
    other = enroll("K08")
    assert kiosk.get("/v1/catalog").content == other.get("/v1/catalog").content
