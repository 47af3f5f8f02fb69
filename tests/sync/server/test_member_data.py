"""Loading member data: relative dates, replacing a member on reload, and one-line refusals of
a file that does not hold together."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from sync.server.cli import main
from sync.server.db import Database, open_database
from sync.server.errors import CentralError
from sync.server.member_data import demo_members, load_members, parse_day, parse_moment
from sync.server.members import CHINA_TIME
from sync.server.models import Coupon, Member, MemberIdentifier, PointsEntry, Tier

TODAY = dt.date(2030, 1, 15)
STARBUCKS = "2eb40182-9c1e-5467-91c1-0a81c0df7454"


@pytest.fixture
def db(central_db: tuple[str, Path, str]) -> Iterator[Database]:
    """The demo mall and members (loaded for the session), on a fresh copy."""
    database = open_database(central_db[0])
    yield database
    database.dispose()


def counts(db: Database) -> dict[str, int]:
    with db.reads() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Tier, Member, MemberIdentifier, PointsEntry, Coupon)
        }


def small(**member: Any) -> dict[str, Any]:
    """A file with one member (13512345678) and the demo's tiers."""
    base: dict[str, Any] = {
        "name": "张三",
        "mobile": "13512345678",
        "tier": "silver",
        "cards": ["886000000099"],
        "points": [
            {"at": "today-3 14:30", "points": 100, "description": {"zh": "积", "en": "earned"}}
        ],
    }
    base.update(member)
    return {"members": [base]}


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("today", TODAY),
        ("today+25", dt.date(2030, 2, 9)),
        ("today-15", dt.date(2029, 12, 31)),
        (" 2026-03-01 ", dt.date(2026, 3, 1)),
    ],
)
def test_days(text: str, day: dt.date) -> None:
    assert parse_day(text, TODAY) == day


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("today-1 14:30", dt.datetime(2030, 1, 14, 14, 30, tzinfo=CHINA_TIME)),
        ("today", dt.datetime(2030, 1, 15, tzinfo=CHINA_TIME)),
        ("2026-03-01", dt.datetime(2026, 3, 1, tzinfo=CHINA_TIME)),
        ("2026-03-01 09:15", dt.datetime(2026, 3, 1, 9, 15, tzinfo=CHINA_TIME)),
        ("2026-03-01T09:15:00+00:00", dt.datetime(2026, 3, 1, 9, 15, tzinfo=dt.UTC)),
    ],
)
def test_moments(text: str, moment: dt.datetime) -> None:
    assert parse_moment(text, TODAY, CHINA_TIME) == moment


@pytest.mark.parametrize("text", ["yesterday", "today+", "today*2", "2026-02-30", "today 25:00"])
def test_a_date_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(CentralError, match="today"):
        parse_moment(text, TODAY, CHINA_TIME)


def test_the_demo_loads_on_any_day_and_again_to_the_same_result(db: Database) -> None:
    first = counts(db)
    assert first == {
        "member_tiers": 3,
        "members": 4,
        "member_identifiers": 7,
        "points_entries": 20,
        "member_coupons": 9,
    }
    result = load_members(db, demo_members(), today=TODAY)
    assert (result.tiers, result.members, result.entries, result.coupons) == (3, 4, 20, 9)
    assert result.warnings == ()
    assert counts(db) == first
    with db.reads() as session:
        wang = session.scalars(select(Member).where(Member.mobile == "13800138000")).one()
        entries = session.scalars(
            select(PointsEntry).where(PointsEntry.member_id == wang.id).order_by(PointsEntry.at)
        ).all()
        sbux = session.scalars(select(Coupon).where(Coupon.code == "YH-C-0001-SBUX")).one()
    # "today-3 20:10" in Shanghai is 12:10 UTC.
    assert entries[-1].at == dt.datetime(2030, 1, 12, 12, 10, tzinfo=dt.UTC)
    assert entries[-1].expires_on == TODAY + dt.timedelta(days=362)
    assert (sbux.valid_from, sbux.valid_until) == (dt.date(2030, 1, 10), dt.date(2030, 2, 4))
    assert sbux.store_ids == [STARBUCKS]


def test_every_coupon_of_the_demo_names_stores_of_the_demo_mall(
    db: Database, central_db: tuple[str, Path, str]
) -> None:
    # Loading checks them; here, that the demo has some of each kind.
    with db.reads() as session:
        coupons = session.scalars(select(Coupon)).all()
    assert {c.venue_id for c in coupons} == {central_db[2]}
    assert any(c.store_ids == [] for c in coupons)
    assert any(len(c.store_ids) > 1 for c in coupons)


def test_a_member_in_the_file_replaces_the_one_with_that_number(db: Database) -> None:
    load_members(db, small(), today=TODAY)
    before = counts(db)
    moved = copy.deepcopy(small(name="张三丰", tier="gold", cards=["886000000098"]))
    load_members(db, moved, today=TODAY)
    assert counts(db) == before
    with db.reads() as session:
        member = session.scalars(select(Member).where(Member.mobile == "13512345678")).one()
        codes = session.scalars(
            select(MemberIdentifier.code).where(MemberIdentifier.member_id == member.id)
        ).all()
    assert (member.name, member.tier_code, codes) == ("张三丰", "gold", ["886000000098"])


def test_tiers_are_updated_by_code(db: Database) -> None:
    doc = demo_members()
    doc["tiers"][1]["min_points"] = 6000
    doc["tiers"][0]["rank"], doc["tiers"][1]["rank"] = 2, 1  # ranks may swap
    load_members(db, {"tiers": doc["tiers"][:2]}, today=TODAY)
    with db.reads() as session:
        tiers = {t.code: (t.rank, t.min_points) for t in session.scalars(select(Tier))}
    assert tiers == {"silver": (2, 0), "gold": (1, 6000), "diamond": (3, 20000)}


def test_a_ledger_spending_more_than_it_earned_is_loaded_with_a_warning(db: Database) -> None:
    points = [
        {"at": "today-3", "points": 100, "description": {"zh": "积", "en": "earned"}},
        {"at": "today-2", "points": -150, "description": {"zh": "用", "en": "spent"}},
    ]
    result = load_members(db, small(points=points), today=TODAY)
    assert result.warnings == ("135****5678 spends 50 points more than they earned",)


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"tier": "platinum"}, "no tier 'platinum'"),
        ({"cards": ["886000000001"]}, "886000000001 is another member's"),
        ({"mobile": "12345678901"}, "members.0.mobile"),
        ({"nickname": "x"}, "members.0.nickname"),
        ({"joined": "someday"}, '"someday" is not a date'),
        (
            {"points": [{"at": "today", "points": 0, "description": {"zh": "零", "en": "zero"}}]},
            "points must not be 0",
        ),
        (
            {
                "points": [
                    {
                        "at": "today-1",
                        "points": -5,
                        "description": {"zh": "用", "en": "spent"},
                        "expires_on": "today+5",
                    }
                ]
            },
            "only earned points expire",
        ),
        (
            {
                "points": [
                    {
                        "at": "today-1",
                        "points": 5,
                        "description": {"zh": "积", "en": "earned"},
                        "expires_on": "today-2",
                    }
                ]
            },
            "expire before they are earned",
        ),
    ],
)
def test_a_member_that_does_not_hold_together_is_refused(
    db: Database, change: dict[str, Any], needle: str
) -> None:
    before = counts(db)
    with pytest.raises(CentralError) as refused:
        load_members(db, small(**change), today=TODAY)
    assert needle in str(refused.value)
    assert "\n" not in str(refused.value)
    # Nothing of the file was stored.
    assert counts(db) == before


def _coupon(**fields: Any) -> dict[str, Any]:
    coupon: dict[str, Any] = {
        "code": "T-0001",
        "title": {"zh": "券", "en": "Coupon"},
        "terms": {"zh": "条款", "en": "Terms"},
        "valid_from": "today",
        "valid_until": "today+10",
    }
    coupon.update(fields)
    return coupon


@pytest.mark.parametrize(
    ("coupon", "needle"),
    [
        (_coupon(store_ids=["no-such-store"]), "has no store no-such-store"),
        (_coupon(valid_until="today-1"), "valid_until is before valid_from"),
        (_coupon(code="YH-C-0001-SBUX"), "YH-C-0001-SBUX is another member's"),
    ],
)
def test_a_coupon_that_does_not_hold_together_is_refused(
    db: Database, coupon: dict[str, Any], needle: str
) -> None:
    with pytest.raises(CentralError, match=needle):
        load_members(db, small(coupons=[coupon]), today=TODAY)


def test_a_code_given_twice_in_a_file_is_refused(db: Database) -> None:
    doc = small()
    doc["members"].append({**doc["members"][0], "mobile": "13512345679"})
    with pytest.raises(CentralError, match="886000000099 is given twice"):
        load_members(db, doc, today=TODAY)


def test_coupons_need_a_venue(tmp_path: Path) -> None:
    empty = open_database(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    try:
        with pytest.raises(CentralError, match="no venue is loaded yet"):
            load_members(empty, demo_members() | {"venue_id": None}, today=TODAY)
    finally:
        empty.dispose()


# --- the command line -------------------------------------------------------------------------


def test_load_members_from_a_file_or_the_demo(
    central_db: tuple[str, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = central_db[0]
    path = tmp_path / "members.json"
    path.write_text(json.dumps(small(coupons=[_coupon(store_ids=[STARBUCKS])])), encoding="utf-8")
    assert main(["--db", url, "load-members", str(path)]) == 0
    assert capsys.readouterr().out.strip() == (
        "members loaded: 0 tiers, 1 members, 1 points entries, 1 coupons"
    )
    assert main(["--db", url, "load-members", "--demo", "--venue", central_db[2]]) == 0
    assert "4 members, 20 points entries, 9 coupons" in capsys.readouterr().out
    for args in ([], ["--demo", str(path)], ["--demo", "--venue", "nowhere"]):
        assert main(["--db", url, "load-members", *args]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
