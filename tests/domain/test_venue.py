"""Venue value objects: bilingual names, lookups and promotion dates."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from kiosk.domain.venue import (
    Anchor,
    Kiosk,
    Level,
    Names,
    Occupant,
    Promotion,
    Unit,
    Venue,
    VenueData,
)

SQUARE = ((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0))


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh_CN", "咖啡"),
        ("zh", "咖啡"),
        ("zh-Hans", "咖啡"),
        ("ZH_cn", "咖啡"),
        ("en_US", "Coffee"),
        ("en", "Coffee"),
        ("fr_FR", "Coffee"),
        ("", "Coffee"),
    ],
)
def test_names_pick_chinese_only_for_chinese_locales(lang: str, expected: str) -> None:
    assert Names(zh="咖啡", en="Coffee").get(lang) == expected


def test_values_are_frozen() -> None:
    names = Names("一层", "Level 1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        names.zh = "二层"  # type: ignore[misc]


def _data() -> VenueData:
    level0 = Level("L0", 0, Names("一层", "Level 1"), Names("1F", "1F"), "unspecified", False)
    level1 = Level("L1", 1, Names("二层", "Level 2"), Names("2F", "2F"), "unspecified", False)
    unit = Unit("U1", "L1", "room", None, (SQUARE,), (0.5, 0.5), ())
    corridor = Unit("U2", "L0", "walkway", None, (SQUARE,), None, ())
    anchor = Anchor("A1", "U1", (0.5, 0.5))
    shop = Occupant(
        "O1", "A1", Names("星巴克", "Starbucks"), "food", None, None, None, ("coffee",), 90, None
    )
    return VenueData(
        venue=Venue(
            "V", Names("云汇广场", "Yunhui Plaza"), "shoppingcenter", None, None, None, (0, 0)
        ),
        levels=(level0, level1),
        units=(unit, corridor),
        openings=(),
        amenities=(),
        anchors=(anchor,),
        occupants=(shop,),
        kiosks=(Kiosk("K", "K01", "L0", (0.1, 0.1), 0.0, None),),
        promotions=(),
        version="0123456789abcdef",
    )


def test_lookups_by_id() -> None:
    data = _data()
    assert data.level_by_id("L1").short_name.en == "2F"
    assert data.unit_by_id("U2").category == "walkway"
    assert data.anchor_by_id("A1").unit_id == "U1"
    assert data.occupant_by_id("O1").name.en == "Starbucks"
    with pytest.raises(KeyError):
        data.unit_by_id("nope")


def test_occupant_unit_and_level_follow_the_anchor() -> None:
    data = _data()
    shop = data.occupant_by_id("O1")
    assert data.occupant_unit(shop).id == "U1"
    assert data.occupant_level(shop).id == "L1"


def test_level_by_short_name_units_on_and_kiosk_by_code() -> None:
    data = _data()
    assert data.level_by_short_name("1F").id == "L0"
    assert [u.id for u in data.units_on("L0")] == ["U2"]
    assert data.kiosk_by_code("K01").level_id == "L0"
    with pytest.raises(KeyError):
        data.level_by_short_name("9F")
    with pytest.raises(KeyError):
        data.kiosk_by_code("K99")


def test_promotion_is_current_on_its_first_and_last_day_only() -> None:
    promo = Promotion(
        "P",
        Names("半价", "Half price"),
        Names("第二杯半价", "Second cup half price"),
        None,
        datetime.date(2026, 1, 1),
        datetime.date(2026, 1, 31),
    )
    assert promo.is_current(datetime.date(2026, 1, 1))
    assert promo.is_current(datetime.date(2026, 1, 31))
    assert not promo.is_current(datetime.date(2025, 12, 31))
    assert not promo.is_current(datetime.date(2026, 2, 1))
