"""The shopper search index: every matching rule and the ranking on small hand-made venues, the
issue's query table and properties on the demo mall, and suggestions when nothing matches."""

from __future__ import annotations

import random
import string
from collections.abc import Callable, Sequence
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.categories import STORE_CATEGORIES
from kiosk.domain.imdf import demo_venue_path, load_venue
from kiosk.domain.search import (
    MatchKind,
    SearchHit,
    SearchIndex,
    _edits,
    facility_type,
    initials,
    normalize_query,
    reading,
)
from kiosk.domain.venue import Amenity, Names, Occupant, VenueData

RANK: dict[MatchKind, int] = {
    "exact": 0,
    "prefix": 1,
    "initials": 2,
    "contains": 3,
    "alt_reading": 4,
    "fuzzy": 5,
}


def store(
    id_: str,
    zh: str,
    en: str,
    *,
    category: str = "food",
    keywords: Sequence[str] = (),
    popularity: int = 50,
    pinyin: str | None = None,
) -> Occupant:
    return Occupant(
        id=id_,
        anchor_id=f"anchor-{id_}",
        name=Names(zh, en),
        category=category,
        hours=None,
        phone=None,
        website=None,
        keywords=tuple(keywords),
        popularity=popularity,
        pinyin=pinyin,
    )


def amenity(id_: str, category: str, name: Names | None = None) -> Amenity:
    return Amenity(
        id=id_,
        category=category,
        unit_ids=(f"unit-{id_}",),
        point=(0.0, 0.0),
        name=name,
        hours=None,
        phone=None,
        accessibility=(),
    )


def make_index(
    stores: Sequence[Occupant] = (),
    amenities: Sequence[Amenity] = (),
    levels: dict[str, int | tuple[int, ...]] | None = None,
    *,
    categories: bool = True,
) -> SearchIndex:
    return SearchIndex.build(
        stores, amenities, STORE_CATEGORIES if categories else (), levels or {}
    )


STARBUCKS = store(
    "starbucks", "星巴克", "Starbucks", keywords=("咖啡", "coffee", "拿铁"), popularity=96
)
NIKE = store("nike", "耐克", "Nike", category="sports", keywords=("运动鞋",), popularity=95)
MCDONALDS = store("mcd", "麦当劳", "McDonald's", keywords=("汉堡", "burgers"), popularity=95)
NOODLES = store("noodles", "重庆小面", "Chongqing Noodles", keywords=("面",), popularity=70)
BANK = store("bank", "招商银行", "China Merchants Bank", category="services", popularity=65)
TOFU = store("tofu", "长沙臭豆腐", "Changsha Stinky Tofu", popularity=60)
GREEN_TEA = store("greentea", "绿茶餐厅", "Green Tea Restaurant", popularity=70)
STARLIGHT = store(
    "starlight", "星光台球", "Starlight Billiards", category="entertainment", popularity=36
)
SMALL = make_index(
    [STARBUCKS, NIKE, MCDONALDS, NOODLES, BANK, TOFU, GREEN_TEA, STARLIGHT],
    [
        amenity("wc", "restroom"),
        amenity("wc-f", "restroom.female.wheelchair"),
        amenity("nursing", "mothersroom"),
        amenity("lift", "elevator"),
        amenity("escalator", "escalator"),
        amenity("atm", "atm"),
        amenity("desk", "information"),
        amenity("south", "entry", Names("南门", "South Entrance")),
        amenity("parking", "parking", Names("停车场 A区", "Parking Zone A")),
    ],
)


def first(index: SearchIndex, query: str, **kwargs: int) -> SearchHit:
    hits = index.search(query, **kwargs)
    assert hits, f"nothing found for {query!r}"
    return hits[0]


def first_suggestion(index: SearchIndex, query: str) -> SearchHit:
    hits = index.suggest(query)
    assert hits
    return hits[0]


def ids(hits: Sequence[SearchHit]) -> list[str]:
    return [h.id for h in hits]


# --- normalization and readings ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Starbucks", "starbucks"),
        ("McDonald's", "mcdonalds"),
        ("xīng bā kè", "xingbake"),
        ("XING BA KE", "xingbake"),
        ("ＳＴＡＲ　ＢＵＣＫＳ", "starbucks"),
        ("lǜ chá", "lvcha"),
        ("Lü", "lv"),
        ("H&M", "hm"),
        ("  星巴克·臻选 ", "星巴克臻选"),
        ("Häagen-Dazs", "haagendazs"),
        ("Lancôme", "lancome"),
        ("No.9", "no9"),
        ("  ,.!? ", ""),
    ],
)
def test_normalize_query(text: str, expected: str) -> None:
    assert normalize_query(text) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("星巴克", ("xing", "ba", "ke")),
        ("重庆", ("chong", "qing")),
        ("银行", ("yin", "hang")),
        ("长沙", ("chang", "sha")),
        ("招商银行", ("zhao", "shang", "yin", "hang")),
        ("绿茶", ("lv", "cha")),
        ("H&M童装", ("h", "m", "tong", "zhuang")),
        ("云汇星空KTV", ("yun", "hui", "xing", "kong", "ktv")),
    ],
)
def test_reading_uses_phrase_readings_of_polyphones(name: str, expected: tuple[str, ...]) -> None:
    assert reading(name) == expected


def test_reading_override_replaces_the_computed_one() -> None:
    assert reading("乐乐童装", "Yue Yue  tong zhuang") == ("yue", "yue", "tong", "zhuang")
    assert reading("乐乐童装", "  ") == reading("乐乐童装")


def test_initials_take_the_first_letter_of_each_syllable() -> None:
    assert initials(reading("招商银行")) == "zsyh"
    assert initials(reading("重庆小面")) == "cqxm"


def test_facility_type_falls_back_to_parent_categories() -> None:
    known = facility_type("restroom.female.wheelchair")
    assert known is not None
    assert known.names == Names("女洗手间", "Women's restroom")
    assert {"toilet", "女厕"} <= set(known.aliases)
    assert facility_type("unheard-of") is None


# --- matching rules ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "match"),
    [
        ("星巴克", "exact"),
        ("xingbake", "exact"),
        ("xing ba ke", "exact"),
        ("xīngbākè", "exact"),
        ("XingBaKe", "exact"),
        ("xbk", "initials"),
        ("Starbucks", "exact"),
        ("STARBUCKS", "exact"),
        ("星巴", "prefix"),
        ("xingb", "prefix"),
        ("xing ba", "prefix"),
        ("star", "prefix"),
        ("Starbuks", "fuzzy"),  # a letter missing
        ("Starbcuks", "fuzzy"),  # two swapped
        ("Starbucls", "fuzzy"),  # one wrong
        ("Starrbucks", "fuzzy"),  # one too many
        ("xingbkae", "fuzzy"),
        ("xinbgake", "fuzzy"),
        ("Strabucsk", "fuzzy"),  # two edits from eight letters on
        ("starbx", "fuzzy"),  # a typo while still typing
    ],
)
def test_starbucks_is_found_by(query: str, match: MatchKind) -> None:
    hit = first(SMALL, query)
    assert (hit.id, hit.match) == ("starbucks", match)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("McDonald's", "mcd"),
        ("mcdonalds", "mcd"),
        ("mc donalds", "mcd"),
        ("MCDONALDS", "mcd"),
        ("nike", "nike"),
        ("naike", "nike"),
        ("耐克", "nike"),
        ("chongqing", "noodles"),
        ("zhaoshangyinhang", "bank"),
        ("zsyh", "bank"),
        ("changsha", "tofu"),
        ("lvcha", "greentea"),  # ü as pinyin keyboards type it
        ("lucha", "greentea"),  # and as shoppers who do not know that do
        ("lǜchá", "greentea"),
    ],
)
def test_names_pinyin_and_polyphones(query: str, expected: str) -> None:
    assert first(SMALL, query).id == expected


def test_short_queries_allow_no_typo_and_mid_length_queries_one() -> None:
    assert SMALL.search("nkie")[0].id == "nike"  # four letters: one swap
    assert SMALL.search("nki") == []  # three letters: none
    assert all(h.id != "nike" for h in SMALL.search("nkei"))  # two edits in four letters
    assert all(h.id != "starbucks" for h in SMALL.search("stabrkcs"))  # three in eight


def test_a_keyword_finds_the_store_below_a_name() -> None:
    coffee_shop = store("coffee", "咖啡馆", "Coffee", popularity=10)
    index = make_index([STARBUCKS, coffee_shop])
    hits = index.search("coffee")
    assert ids(hits) == ["coffee", "starbucks"]
    assert (hits[1].match, hits[1].matched) == ("exact", "coffee")
    assert hits[0].score > hits[1].score
    assert first(index, "咖啡").id == "starbucks"  # a keyword beats a name prefix
    assert first(index, "kafei").id == "starbucks"  # keywords are read in pinyin too


def test_words_and_tails_of_names_are_found_as_contained() -> None:
    hit = first(SMALL, "小面")
    assert (hit.id, hit.match) == ("noodles", "contains")
    assert first(SMALL, "xiaomian").id == "noodles"
    assert first(SMALL, "billiards").id == "starlight"
    assert first(SMALL, "merchants").id == "bank"


def test_other_readings_of_polyphones_are_found_below_the_usual_one() -> None:
    hit = first(SMALL, "zhongqing")
    assert (hit.id, hit.match) == ("noodles", "alt_reading")


def test_the_pinyin_override_replaces_the_computed_reading() -> None:
    kids = store("kids", "乐乐童装", "Lele Kids", category="kids", pinyin="yue yue tong zhuang")
    index = make_index([kids], categories=False)
    assert (first(index, "yueyuetongzhuang").match, first(index, "yytz").match) == (
        "exact",
        "initials",
    )
    assert all(h.match != "exact" for h in index.search("leletongzhuang"))


@pytest.mark.parametrize(
    ("query", "category"),
    [
        ("洗手间", "restroom"),
        ("卫生间", "restroom"),
        ("厕所", "restroom"),
        ("WC", "restroom"),
        ("toilet", "restroom"),
        ("Restroom", "restroom"),
        ("xishoujian", "restroom"),
        ("母婴室", "mothersroom"),
        ("nursing room", "mothersroom"),
        ("nursing", "mothersroom"),
        ("电梯", "elevator"),
        ("lift", "elevator"),
        ("elevator", "elevator"),
        ("扶梯", "escalator"),
        ("服务台", "information"),
        ("information", "information"),
        ("service desk", "information"),
        ("停车场", "parking"),
        ("parking", "parking"),
        ("出口", "entry"),
        ("exit", "entry"),
        ("南门", "entry"),
        ("取款机", "atm"),
        ("ATM", "atm"),
    ],
)
def test_facilities_are_found_by_name_and_alias(query: str, category: str) -> None:
    hit = first(SMALL, query)
    assert (hit.kind, hit.category.split(".")[0]) == ("facility", category)


def test_a_facility_without_a_name_is_named_after_its_category() -> None:
    hit = first(SMALL, "母婴室")
    assert hit.names == Names("母婴室", "Nursing room")
    assert {h.id for h in SMALL.search("toilet")} == {"wc", "wc-f"}


@pytest.mark.parametrize("query", ["餐饮", "canyin", "cy", "food", "Food & Drink", "restaurant"])
def test_categories_are_found(query: str) -> None:
    hit = first(SMALL, query)
    assert (hit.kind, hit.id, hit.names.en) == ("category", "food", "Food & Drink")


def test_empty_and_punctuation_queries_find_nothing() -> None:
    assert SMALL.search("") == []
    assert SMALL.search(" ,.!") == []
    assert SMALL.search("星巴克", limit=0) == []
    assert SMALL.search_or_suggest("  ") == []


# --- ranking -------------------------------------------------------------------------------------


def test_exact_beats_prefix_beats_initials_beats_fuzzy_whatever_the_popularity() -> None:
    index = make_index(
        [
            store("fuzzy", "好马", "HMTX", popularity=100),
            store("initials", "华美童装", "Huamei Kids", popularity=99),
            store("prefix", "和美", "HMTZ Lab", popularity=50),
            store("exact", "恒明", "HMTZ", popularity=1),
        ],
        categories=False,
    )
    hits = index.search("hmtz")
    assert ids(hits) == ["exact", "prefix", "initials", "fuzzy"]
    assert [h.match for h in hits] == ["exact", "prefix", "initials", "fuzzy"]
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_ties_go_to_popularity_then_the_nearer_floor_then_the_name() -> None:
    cafes = [
        store("far", "阿咖啡", "A Cafe", keywords=("coffee",), popularity=50),
        store("near-b", "贝咖啡", "B Cafe", keywords=("coffee",), popularity=50),
        store("near-a", "艾咖啡", "Ai Cafe", keywords=("coffee",), popularity=50),
        store("popular", "德咖啡", "D Cafe", keywords=("coffee",), popularity=80),
    ]
    levels: dict[str, int | tuple[int, ...]] = {"far": 3, "near-b": 1, "near-a": 1, "popular": 5}
    index = make_index(cafes, levels=levels)
    assert ids(index.search("coffee")) == ["popular", "near-a", "near-b", "far"]
    assert ids(index.search("coffee", kiosk_ordinal=3)) == ["popular", "far", "near-a", "near-b"]


def test_a_facility_on_several_floors_is_as_near_as_its_nearest() -> None:
    index = make_index(
        [],
        [amenity("lift-east", "elevator"), amenity("lift-west", "elevator")],
        {"lift-east": (-1, 0, 1, 2), "lift-west": 4},
    )
    assert ids(index.search("lift", kiosk_ordinal=2)) == ["lift-east", "lift-west"]
    assert ids(index.search("lift", kiosk_ordinal=4)) == ["lift-west", "lift-east"]


def test_limit_cuts_the_list() -> None:
    assert len(SMALL.search("x", limit=2)) == 2
    assert len(SMALL.search("x")) <= 20


def _random_word(rng: random.Random, length: int) -> str:
    return "".join(rng.choices("aeiou" + "bdgklmnst", k=length))


@cache
def many_stores() -> tuple[SearchIndex, tuple[Occupant, ...], dict[str, int]]:
    """Enough stores sharing first letters that long prefix ranges and the typo search's
    variant lookups are used, not just a scan."""
    rng = random.Random(3)
    stores = tuple(
        store(
            f"s{i}",
            f"店{i}",
            ("sa" if i % 2 else "ka") + _random_word(rng, rng.randint(4, 9)),
            popularity=rng.randint(0, 9),
        )
        for i in range(1200)
    )
    levels = {s.id: rng.randint(-2, 3) for s in stores}
    return make_index(stores, levels=dict(levels), categories=False), stores, levels


@pytest.mark.parametrize("query", ["s", "sa", "k", "ka", "kab"])
@pytest.mark.parametrize("kiosk_ordinal", [0, 3])
def test_long_ranges_rank_like_a_full_sort(query: str, kiosk_ordinal: int) -> None:
    index, stores, levels = many_stores()
    expected = sorted(
        (-s.popularity, abs(levels[s.id] - kiosk_ordinal))
        for s in stores
        if normalize_query(s.name.en).startswith(query)
    )[:20]
    hits = index.search(query, kiosk_ordinal=kiosk_ordinal)
    by_id = {s.id: s for s in stores}
    got = [(-by_id[h.id].popularity, abs(levels[h.id] - kiosk_ordinal)) for h in hits]
    assert got == expected


def _one_edit(word: str, data: st.DataObject) -> str:
    i = data.draw(st.integers(0, len(word) - 2))
    kind = data.draw(st.sampled_from(["swap", "drop", "substitute", "insert"]))
    letter = data.draw(st.sampled_from(string.ascii_lowercase))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "substitute":
        return word[:i] + letter + word[i + 1 :]
    return word[:i] + letter + word[i:]


@given(st.data())
def test_one_typo_anywhere_still_finds_the_store(data: st.DataObject) -> None:
    index, stores, _ = many_stores()
    target = data.draw(st.sampled_from([s for s in stores if len(s.name.en) >= 5]))
    query = _one_edit(normalize_query(target.name.en), data)
    assert target.id in ids(index.search(query, limit=len(index)))


def _osa(a: str, b: str) -> int:
    """Textbook optimal string alignment distance, to check the fast one against."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(
                d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[len(a)][len(b)]


@given(st.text("abc", max_size=8), st.text("abc", max_size=10), st.integers(0, 3))
def test_edit_distance_matches_the_textbook_one(q: str, key: str, budget: int) -> None:
    assert _edits(q, key, budget, prefix=False) == min(_osa(q, key), budget + 1)
    nearest_prefix = min(_osa(q, key[:j]) for j in range(len(key) + 1))
    assert _edits(q, key, budget, prefix=True) == min(nearest_prefix, budget + 1)


# --- suggestions ---------------------------------------------------------------------------------


def test_nothing_found_suggests_popular_stores() -> None:
    assert SMALL.search("qqqzzz") == []
    hits = SMALL.suggest("qqqzzz")
    assert hits
    assert all(h.suggested and h.match == "popular" and h.kind == "store" for h in hits)
    popularity = {s.id: s.popularity for s in [STARBUCKS, NIKE, MCDONALDS, NOODLES]}
    assert [popularity.get(h.id) for h in hits[:3]] == [96, 95, 95]


def test_suggestions_offer_near_stores_then_their_category() -> None:
    assert SMALL.search("汉堡包") == []
    hits = SMALL.search_or_suggest("汉堡包")
    assert [(h.id, h.match) for h in hits] == [("mcd", "similar"), ("food", "related")]
    assert all(h.suggested for h in hits)


def test_a_typo_beyond_the_search_budget_is_suggested() -> None:
    assert all(h.id != "starbucks" for h in SMALL.search("strabcusk"))  # three edits
    assert first_suggestion(SMALL, "strabcusk").id == "starbucks"


def test_search_or_suggest_prefers_real_hits() -> None:
    hits = SMALL.search_or_suggest("nike")
    assert hits[0].id == "nike"
    assert not any(h.suggested for h in hits)


def test_a_venue_without_stores_still_suggests_something() -> None:
    index = make_index([], [amenity("wc", "restroom")], categories=False)
    assert ids(index.search_or_suggest("zzzz")) == ["wc"]


# --- the demo mall -------------------------------------------------------------------------------


@cache
def demo() -> tuple[VenueData, SearchIndex]:
    venue = load_venue(demo_venue_path())
    return venue, SearchIndex.from_venue(venue)


def _is_store(zh: str) -> Callable[[SearchHit], bool]:
    return lambda hit: hit.kind == "store" and hit.names.zh == zh


def _is_facility(category: str) -> Callable[[SearchHit], bool]:
    return lambda hit: hit.kind == "facility" and hit.category.split(".")[0] == category


def _is_cafe(hit: SearchHit) -> bool:
    keywords = demo()[0].occupant_by_id(hit.id).keywords if hit.kind == "store" else ()
    return hit.category == "food" and bool({"coffee", "咖啡"} & set(keywords))


def _is_food_category(hit: SearchHit) -> bool:
    return (hit.kind, hit.id) == ("category", "food")


@pytest.mark.parametrize(
    ("query", "expected", "match"),
    [
        ("星巴克", _is_store("星巴克"), "exact"),
        ("xingbake", _is_store("星巴克"), "exact"),
        ("xing ba ke", _is_store("星巴克"), "exact"),
        ("xīngbākè", _is_store("星巴克"), "exact"),
        ("xbk", _is_store("星巴克"), "initials"),
        ("Starbucks", _is_store("星巴克"), "exact"),
        ("starb", _is_store("星巴克"), "prefix"),
        ("Starbuks", _is_store("星巴克"), "fuzzy"),
        ("xingbak", _is_store("星巴克"), "prefix"),
        ("xingbkae", _is_store("星巴克"), "fuzzy"),
        ("Starbcuks", _is_store("星巴克"), "fuzzy"),
        ("chongqing", _is_store("重庆小面"), "prefix"),
        ("zhaoshangyinhang", _is_store("招商银行"), "exact"),
        ("zsyh", _is_store("招商银行"), "initials"),
        ("changsha", _is_store("长沙臭豆腐"), "prefix"),
        ("leletongzhuang", _is_store("乐乐童装"), "exact"),
        ("nike", _is_store("耐克"), "exact"),
        ("naike", _is_store("耐克"), "exact"),
        ("耐克", _is_store("耐克"), "exact"),
        ("mcdonalds", _is_store("麦当劳"), "exact"),
        ("McDonald's", _is_store("麦当劳"), "exact"),
        ("洗手间", _is_facility("restroom"), "exact"),
        ("restroom", _is_facility("restroom"), "exact"),
        ("toilet", _is_facility("restroom"), "exact"),
        ("母婴室", _is_facility("mothersroom"), "exact"),
        ("nursing", _is_facility("mothersroom"), "exact"),
        ("咖啡", _is_cafe, "exact"),
        ("coffee", _is_cafe, "exact"),
        ("餐饮", _is_food_category, "exact"),
        ("food", _is_food_category, "exact"),
    ],
)
def test_demo_mall_first_result(
    query: str, expected: Callable[[SearchHit], bool], match: MatchKind
) -> None:
    hit = first(demo()[1], query)
    assert expected(hit), hit
    assert hit.match == match


def test_demo_mall_nearest_restroom_comes_first() -> None:
    venue, index = demo()
    unit_level = {u.id: venue.level_by_id(u.level_id).ordinal for u in venue.units}
    for level in venue.levels:
        hit = first(index, "洗手间", kiosk_ordinal=level.ordinal)
        restroom = next(a for a in venue.amenities if a.id == hit.id)
        assert level.ordinal in {unit_level[u] for u in restroom.unit_ids}


def _assert_found(query: str, occupant: Occupant, worst: MatchKind) -> None:
    """Found at `worst` or better, and on the first page unless more hits rank strictly higher
    or tie with it (stores with identical names share their place)."""
    index = demo()[1]
    hits = index.search(query, limit=len(index))
    mine = next((h for h in hits if h.id == occupant.id), None)
    assert mine is not None, f"{occupant.name.zh} not found by {query!r}"
    assert RANK[mine.match] <= RANK[worst], (query, mine)
    assert sum(h.score > mine.score for h in hits) < 20, (query, mine)


@cache
def demo_stores() -> list[Occupant]:
    return list(demo()[0].occupants)


@settings(max_examples=150)
@given(st.data())
def test_every_demo_store_is_found_by_its_chinese_name(data: st.DataObject) -> None:
    occupant = data.draw(st.sampled_from(demo_stores()))
    _assert_found(occupant.name.zh, occupant, "exact")


@settings(max_examples=150)
@given(st.data(), st.booleans(), st.booleans())
def test_every_demo_store_is_found_by_its_full_pinyin(
    data: st.DataObject, spaced: bool, upper: bool
) -> None:
    occupant = data.draw(st.sampled_from(demo_stores()))
    query = (" " if spaced else "").join(reading(occupant.name.zh, occupant.pinyin))
    _assert_found(query.upper() if upper else query, occupant, "exact")


@settings(max_examples=150)
@given(st.data())
def test_every_demo_store_is_found_by_its_pinyin_initials(data: st.DataObject) -> None:
    occupant = data.draw(st.sampled_from(demo_stores()))
    if sum("\u4e00" <= c <= "\u9fff" for c in occupant.name.zh) >= 2:
        _assert_found(initials(reading(occupant.name.zh, occupant.pinyin)), occupant, "initials")


@settings(max_examples=150)
@given(st.data(), st.sampled_from([str.lower, str.upper, str.title, lambda s: s]))
def test_every_demo_store_is_found_by_its_english_name(
    data: st.DataObject, case: Callable[[str], str]
) -> None:
    occupant = data.draw(st.sampled_from(demo_stores()))
    _assert_found(case(occupant.name.en), occupant, "exact")


@settings(max_examples=200)
@given(st.text(min_size=1, max_size=12))
def test_the_search_box_never_comes_back_empty(text: str) -> None:
    hits = demo()[1].search_or_suggest(text)
    assert bool(hits) == bool(normalize_query(text))
    assert all(h.suggested for h in hits) or not any(h.suggested for h in hits)
