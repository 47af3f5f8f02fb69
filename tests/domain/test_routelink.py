"""Route-to-phone links: short ids, the URL and its inverse, QR size and a real decoder."""

from __future__ import annotations

import io
import re
import uuid
from urllib.parse import urlsplit

import pytest
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from kiosk.domain.imdf import demo_venue_path, load_venue
from kiosk.domain.routelink import (
    MAX_QR_VERSION,
    KioskOrigin,
    Origin,
    PlaceOrigin,
    RouteLink,
    RouteLinkError,
    ShortIdCollisionError,
    check_unique,
    make_qr_png,
    parse_route_path,
    qr_version,
    route_link,
    route_url,
    short_id,
)
from kiosk.domain.venue import VenueData

BASE = "https://m.yunhui-plaza.example/r"
# The longest base URL we promise to fit (40 characters), with a lowercase path so the QR code
# has to switch to byte mode for part of it.
LONG_BASE = "https://wayfinding.yunhui-plaza.cn:443/r"
QR_ALPHANUMERIC = re.compile(r"[0-9A-Z $%*+\-./:]*")

kiosk_codes = st.from_regex(r"\A[A-Z0-9](?:[A-Z0-9-]{0,14}[A-Z0-9])?\Z")
uuids = st.uuids().map(str)
origins: st.SearchStrategy[Origin] = st.one_of(kiosk_codes.map(KioskOrigin), uuids.map(PlaceOrigin))


@pytest.fixture(scope="module")
def demo() -> VenueData:
    return load_venue(demo_venue_path())


def path_after(base: str, url: str) -> str:
    base_path = urlsplit(base).path.rstrip("/")
    path = urlsplit(url).path
    assert path.startswith(base_path)
    return path[len(base_path) :]


# --- short ids ----------------------------------------------------------------------------------


def test_short_id_is_stable_and_uppercase_base32() -> None:
    key = short_id("9e79be39-4723-5edd-87e6-6dd586464d55")
    assert key == short_id("9E79BE39-4723-5EDD-87E6-6DD586464D55")
    assert key == short_id("{9e79be39-4723-5edd-87e6-6dd586464d55}")
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{8}", key)
    assert len(short_id("not-a-uuid", length=5)) == 5
    assert short_id("not-a-uuid") != short_id("Not-a-uuid")


@pytest.mark.parametrize("length", [3, 52])
def test_short_id_length_is_bounded(length: int) -> None:
    with pytest.raises(ValueError, match="length"):
        short_id("x", length)


@given(st.uuids(), st.integers(4, 51))
def test_short_id_is_a_prefix_of_longer_ones(value: uuid.UUID, length: int) -> None:
    assert short_id(str(value), 51).startswith(short_id(str(value), length))


def test_check_unique_gives_the_lookup_table(demo: VenueData) -> None:
    ids = [o.id for o in demo.occupants] + [a.id for a in demo.amenities]
    table = check_unique([*ids, ids[0]])  # the same id twice is no collision
    assert len(table) == len(ids)
    assert all(table[short_id(i)] == i for i in ids)


def test_check_unique_reports_collisions() -> None:
    # Four characters are 20 bits: among 5 000 ids collisions are all but certain.
    ids = [str(uuid.UUID(int=n)) for n in range(5000)]
    with pytest.raises(ShortIdCollisionError) as info:
        check_unique(ids, length=4)
    assert info.value.collisions
    for key, clashing in info.value.collisions.items():
        assert len(clashing) >= 2
        assert {short_id(i, 4) for i in clashing} == {key}
    assert isinstance(info.value, ValueError)


# --- URL and path -------------------------------------------------------------------------------


def test_url_shape(demo: VenueData) -> None:
    occupant = demo.occupants[0]
    url = route_url(BASE, demo.venue.id, KioskOrigin("K01"), occupant.id, step_free=False)
    venue, dest = short_id(demo.venue.id), short_id(occupant.id)
    assert url == f"HTTPS://M.YUNHUI-PLAZA.EXAMPLE/r/{venue}/K-K01/{dest}/W"
    amenity = demo.amenities[0]
    step_free = route_url(
        "https://M.Yunhui-Plaza.example/R/",
        demo.venue.id,
        PlaceOrigin(amenity.id),
        occupant.id,
        True,
    )
    origin = short_id(amenity.id)
    assert step_free == f"HTTPS://M.YUNHUI-PLAZA.EXAMPLE/R/{venue}/P-{origin}/{dest}/A"
    assert QR_ALPHANUMERIC.fullmatch(step_free)


@given(
    venue=uuids,
    origin=origins,
    destination=uuids,
    step_free=st.booleans(),
    base=st.sampled_from([BASE, LONG_BASE, "http://10.0.0.5:8080", "https://x.example/R/route/"]),
)
def test_round_trip(
    venue: str, origin: Origin, destination: str, step_free: bool, base: str
) -> None:
    url = route_url(base, venue, origin, destination, step_free)
    link = parse_route_path(path_after(base, url))
    assert link == route_link(venue, origin, destination, step_free)
    assert link.venue_key == short_id(venue)
    assert link.destination_key == short_id(destination)
    assert link.step_free is step_free
    if isinstance(origin, KioskOrigin):
        assert (link.origin_kiosk, link.origin_key) == (origin.code, None)
    else:
        assert (link.origin_kiosk, link.origin_key) == (None, short_id(origin.feature_id))
    # Scanners and people may lower-case the tokens; they are case-insensitive by design.
    assert parse_route_path(link.path.lower()) == link
    assert QR_ALPHANUMERIC.fullmatch(link.path)


@pytest.mark.parametrize(
    "path",
    [
        "",
        "/PE940CJ2/K-K01/W3H5JHJP",
        "/PE940CJ2/K-K01/W3H5JHJP/W/X",
        "/PE940CJ2/K-K01/W3H5JHJP/S",
        "/PE940CJ2/K01/W3H5JHJP/W",
        "/PE940CJ2/X-K01/W3H5JHJP/W",
        "/PE940CJ2/K-/W3H5JHJP/W",
        "/PE940CJ2/K-K_1/W3H5JHJP/W",
        "/PE940CJ2/P-SHORT!/W3H5JHJP/W",
        "/PE94/K-K01/W3H5JHJU/W",
        "/PE9/K-K01/W3H5JHJP/W",
    ],
)
def test_bad_paths_are_refused(path: str) -> None:
    with pytest.raises(RouteLinkError):
        parse_route_path(path)


@pytest.mark.parametrize(
    ("base", "origin"),
    [
        ("ftp://m.example/r", KioskOrigin("K01")),
        ("m.example/r", KioskOrigin("K01")),
        ("https://m.example/r?x=1", KioskOrigin("K01")),
        ("https://m.example/r#top", KioskOrigin("K01")),
        ("https://user@m.example/r", KioskOrigin("K01")),
        ("https://商场.example/r", KioskOrigin("K01")),
        (BASE, KioskOrigin("k01")),
        (BASE, KioskOrigin("")),
        (BASE, KioskOrigin("K/01")),
        (BASE, KioskOrigin("-K01")),
    ],
)
def test_bad_bases_and_kiosk_codes_are_refused(base: str, origin: Origin) -> None:
    with pytest.raises(RouteLinkError):
        route_url(base, "v", origin, "d", False)


def test_a_link_has_exactly_one_origin() -> None:
    with pytest.raises(RouteLinkError, match="exactly one origin"):
        RouteLink("PE940CJ2", None, None, "W3H5JHJP", False)
    with pytest.raises(RouteLinkError, match="exactly one origin"):
        RouteLink("PE940CJ2", "K01", "N64QDB10", "W3H5JHJP", False)


# --- QR codes -----------------------------------------------------------------------------------


def test_every_demo_route_fits_a_small_qr_code(demo: VenueData) -> None:
    assert len(LONG_BASE) == 40
    places = [o.id for o in demo.occupants] + [a.id for a in demo.amenities]
    check_unique(places)
    assert {k.code for k in demo.kiosks} == {"K01", "K02"}
    worst = 0
    for base in (BASE, LONG_BASE):
        for kiosk in demo.kiosks:
            for occupant in demo.occupants:
                for step_free in (False, True):
                    url = route_url(
                        base, demo.venue.id, KioskOrigin(kiosk.code), occupant.id, step_free
                    )
                    worst = max(worst, qr_version(url))
        # A place as origin is the longest form a link takes.
        url = route_url(base, demo.venue.id, PlaceOrigin(places[0]), places[-1], True)
        worst = max(worst, qr_version(url))
    assert worst <= MAX_QR_VERSION


def test_qr_version_grows_with_the_data() -> None:
    assert qr_version("HTTPS://A.EXAMPLE/R") == 1
    # Version 6 at M holds 106 bytes, or 154 characters in alphanumeric mode.
    assert qr_version("x" * 106) == 6
    assert qr_version("x" * 107) == 7
    assert qr_version("X" * 154) == 6
    assert qr_version("X" * 155) == 7
    with pytest.raises(RouteLinkError, match="do not fit"):
        qr_version("x" * 3000)
    with pytest.raises(RouteLinkError, match="do not fit"):
        make_qr_png("x" * 3000)


@given(venue=uuids, origin=origins, destination=uuids, step_free=st.booleans())
def test_png_decodes_to_the_same_url(
    venue: str, origin: Origin, destination: str, step_free: bool
) -> None:
    url = route_url(LONG_BASE, venue, origin, destination, step_free)
    png = make_qr_png(url, box_size=4)
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG"
        found = zxingcpp.read_barcodes(image)
    assert [(r.format, r.text) for r in found] == [(zxingcpp.BarcodeFormat.QRCode, url)]
    assert found[0].ec_level == "M"


def test_png_size_follows_box_size_and_border(demo: VenueData) -> None:
    url = route_url(BASE, demo.venue.id, KioskOrigin("K01"), demo.occupants[0].id, False)
    modules = 17 + 4 * qr_version(url)
    with Image.open(io.BytesIO(make_qr_png(url, box_size=10, border=4))) as image:
        assert image.size == ((modules + 8) * 10,) * 2
