"""The shopper's search box: stores, brands, categories and facilities as they type.

Matches Chinese names, pinyin (with or without spaces or tone marks, or just the initials),
English names, prefixes of each and small typos. All keys are normalized once when the index is
built; a keystroke costs a few binary searches over sorted keys and, only when those find too
little, lookups of the query's one-edit variants. When nothing matches at all, `suggest` offers
similar names, the category that fits and popular stores instead.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import Final, Literal

from kiosk.domain.categories import STORE_CATEGORIES, StoreCategory
from kiosk.domain.venue import Amenity, Names, Occupant, VenueData

HitKind = Literal["store", "facility", "category"]
MatchKind = Literal[
    # search(): best first
    "exact",
    "prefix",
    "initials",
    "contains",
    "alt_reading",
    "fuzzy",
    # suggest(): what was offered instead
    "similar",
    "related",
    "popular",
]


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result. `category` is the store category code, the amenity category or, for a category
    hit, its own code; `matched` is the indexed text that matched (a name, keyword, alias or
    reading; empty for a related category or a popular store); `score` is in [0, 1], higher is
    better, and compares only hits of one call."""

    kind: HitKind
    id: str
    names: Names
    category: str
    match: MatchKind
    score: float
    matched: str
    suggested: bool = False


@dataclass(frozen=True, slots=True)
class FacilityType:
    names: Names
    aliases: tuple[str, ...]


_RESTROOM_ALIASES = (
    "洗手间", "卫生间", "厕所", "公厕", "盥洗室", "WC", "toilet", "toilets", "restroom",
    "restrooms", "washroom", "lavatory", "bathroom", "loo",
)  # fmt: skip

# IMDF amenity categories (OGC 20-094) shoppers ask for, with what they call them. A dotted
# category also answers to its parents' aliases ("restroom.female" is still a "toilet").
FACILITY_TYPES: Final[Mapping[str, FacilityType]] = MappingProxyType(
    {
        "restroom": FacilityType(Names("洗手间", "Restroom"), _RESTROOM_ALIASES),
        "restroom.male": FacilityType(
            Names("男洗手间", "Men's restroom"), ("男厕", "men", "gents")
        ),
        "restroom.female": FacilityType(
            Names("女洗手间", "Women's restroom"), ("女厕", "women", "ladies")
        ),
        "restroom.family": FacilityType(
            Names("家庭洗手间", "Family restroom"), ("第三卫生间", "family")
        ),
        "restroom.unisex": FacilityType(Names("洗手间", "Restroom"), ()),
        "restroom.wheelchair": FacilityType(
            Names("无障碍洗手间", "Accessible restroom"),
            ("无障碍", "残疾人洗手间", "accessible", "wheelchair", "disabled"),
        ),
        "restroom.unisex.wheelchair": FacilityType(
            Names("无障碍洗手间", "Accessible restroom"),
            ("无障碍", "残疾人洗手间", "accessible", "wheelchair", "disabled"),
        ),
        "mothersroom": FacilityType(
            Names("母婴室", "Nursing room"),
            (
                "哺乳室",
                "育婴室",
                "母婴",
                "nursing",
                "nursing room",
                "mother's room",
                "baby care",
                "breastfeeding",
                "parents room",
            ),
        ),
        "babychanging": FacilityType(
            Names("婴儿护理台", "Baby changing"),
            ("尿布台", "换尿布", "baby changing", "diaper", "nappy"),
        ),
        "elevator": FacilityType(
            Names("电梯", "Elevator"), ("直梯", "升降梯", "垂直电梯", "lift", "lifts", "elevators")
        ),
        "escalator": FacilityType(
            Names("扶梯", "Escalator"), ("自动扶梯", "手扶梯", "手扶电梯", "escalators")
        ),
        "stairs": FacilityType(
            Names("楼梯", "Stairs"), ("步梯", "楼梯间", "stair", "stairway", "staircase")
        ),
        "atm": FacilityType(
            Names("取款机", "ATM"),
            ("自动取款机", "提款机", "自助银行", "ATM机", "cash machine", "cashpoint", "cash"),
        ),
        "information": FacilityType(
            Names("服务台", "Service desk"),
            (
                "问询处",
                "咨询台",
                "客服中心",
                "服务中心",
                "总服务台",
                "info",
                "information",
                "help desk",
                "customer service",
                "service desk",
                "help",
            ),
        ),
        "guestservices": FacilityType(
            Names("客户服务中心", "Guest services"),
            ("服务台", "客服", "customer service", "guest services", "service desk"),
        ),
        "entry": FacilityType(
            Names("出入口", "Entrance"),
            ("出口", "入口", "大门", "门口", "exit", "exits", "entrance", "entry", "way out"),
        ),
        "exit": FacilityType(Names("出口", "Exit"), ("出入口", "大门", "exit", "way out")),
        "parking": FacilityType(
            Names("停车场", "Parking"),
            ("停车", "车库", "地库", "parking", "car park", "carpark", "garage", "parking lot"),
        ),
        "parking.bicycle": FacilityType(
            Names("自行车停车处", "Bicycle parking"), ("自行车", "单车", "bike", "bicycle")
        ),
        "firstaid": FacilityType(Names("医务室", "First aid"), ("急救", "first aid", "medical")),
        "lostandfound": FacilityType(
            Names("失物招领", "Lost and found"), ("失物", "lost property", "lost and found")
        ),
        "drinkingfountain": FacilityType(
            Names("饮水处", "Drinking water"), ("饮水机", "直饮水", "water", "drinking fountain")
        ),
        "defibrillator": FacilityType(Names("除颤仪", "Defibrillator"), ("AED",)),
        "smokingarea": FacilityType(Names("吸烟区", "Smoking area"), ("吸烟室", "smoking")),
        "coinlocker": FacilityType(Names("储物柜", "Lockers"), ("寄存", "locker", "storage")),
        "wheelchairassist": FacilityType(
            Names("轮椅借用", "Wheelchair loan"), ("轮椅", "wheelchair")
        ),
        "childplayarea": FacilityType(Names("儿童游乐区", "Play area"), ("游乐区", "playground")),
        "seating": FacilityType(Names("休息区", "Seating"), ("休息", "座椅", "rest area")),
        "wifi": FacilityType(Names("无线网络", "Wi-Fi"), ("wifi", "无线")),
        "taxi": FacilityType(Names("出租车", "Taxi"), ("打车", "taxi rank")),
        "rideshare": FacilityType(Names("网约车", "Ride share"), ("打车", "滴滴", "pickup")),
        "bus": FacilityType(Names("公交", "Bus"), ("公交车", "巴士", "bus stop")),
    }
)

# Words a shopper may type for a store category beyond its own names; the English name's words
# ("Food & Drink" → food, drink) are added too.
CATEGORY_ALIASES: Final[Mapping[str, tuple[str, ...]]] = MappingProxyType(
    {
        "fashion": ("服装", "衣服", "鞋包", "clothing", "clothes", "apparel"),
        "food": ("美食", "餐厅", "吃饭", "饮品", "restaurant", "restaurants", "dining", "eat"),
        "beauty": ("美妆", "个护", "化妆品", "cosmetics", "makeup"),
        "kids": ("儿童", "亲子", "children", "kids", "toys"),
        "sports": ("运动", "户外", "sport", "outdoor", "outdoors"),
        "electronics": ("数码", "电器", "digital", "gadgets"),
        "home": ("家居", "生活用品", "百货", "homeware", "household", "living"),
        "entertainment": ("娱乐", "休闲", "leisure", "fun"),
        "services": ("服务", "便民服务", "service"),
    }
)


def facility_type(category: str) -> FacilityType | None:
    """The names and aliases of an IMDF amenity category, most specific first
    ("restroom.female.wheelchair" falls back to "restroom.female", then "restroom")."""
    names: Names | None = None
    aliases: list[str] = []
    parts = category.split(".")
    for end in range(len(parts), 0, -1):
        known = FACILITY_TYPES.get(".".join(parts[:end]))
        if known is not None:
            names = names or known.names
            aliases.extend(known.aliases)
    return None if names is None else FacilityType(names, tuple(aliases))


# --- normalization -------------------------------------------------------------------------------

_TO_V = str.maketrans({c: "v" for c in "üǖǘǚǜ"})
_APOSTROPHES = str.maketrans("", "", "'’ʼ`´")
_WORD_SPLIT = re.compile(r"[\W_]+")


def normalize_query(text: str) -> str:
    """What both queries and keys are compared as: NFKC, lowercase, tone marks and accents gone,
    ü as v (as pinyin keyboards type it), spaces and punctuation removed."""
    text = unicodedata.normalize("NFKC", text).lower().translate(_TO_V)
    return "".join(c for c in unicodedata.normalize("NFD", text) if c.isalnum())


@lru_cache(maxsize=65536)
def _key(text: str) -> str:
    """`normalize_query` for indexed text, which repeats a lot (keywords, aliases). Queries are
    not cached: what a shopper typed is not kept."""
    return normalize_query(text)


def _is_hanzi(c: str) -> bool:
    o = ord(c)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x3134F
        or o == 0x3007
    )


@lru_cache(maxsize=65536)
def _run_reading(run: str) -> tuple[str, ...]:
    """Pinyin of a run of hanzi, one syllable per character, phrases read as phrases."""
    # pypinyin loads its phrase dictionary on import (~0.2 s): only when an index is built,
    # which happens off the start-up path.
    from pypinyin import Style, lazy_pinyin  # noqa: PLC0415

    syllables = lazy_pinyin(run, style=Style.NORMAL)
    if len(syllables) != len(run):
        syllables = [lazy_pinyin(c, style=Style.NORMAL)[0] for c in run]
    return tuple(normalize_query(s) or c for s, c in zip(syllables, run, strict=True))


@lru_cache(maxsize=16384)
def _readings_of(hanzi: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin  # noqa: PLC0415 - see _run_reading

    found = pinyin(hanzi, style=Style.NORMAL, heteronym=True)[0]
    return tuple(dict.fromkeys(normalize_query(s) for s in found if normalize_query(s)))


@dataclass(frozen=True, slots=True)
class _Token:
    surface: str  # a hanzi or a normalized word
    reading: str  # its pinyin, or the word again
    hanzi: bool


@lru_cache(maxsize=65536)
def _tokens(text: str) -> tuple[_Token, ...]:
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    out: list[_Token] = []
    i = 0
    while i < len(text):
        j = i
        hanzi = _is_hanzi(text[i])
        while j < len(text) and _is_hanzi(text[j]) == hanzi:
            j += 1
        run = text[i:j]
        if hanzi:
            out.extend(_Token(c, s, True) for c, s in zip(run, _run_reading(run), strict=True))
        else:
            words = (_key(w) for w in _WORD_SPLIT.split(run))
            out.extend(_Token(w, w, False) for w in words if w)
        i = j
    return tuple(out)


def reading(text: str, override: str | None = None) -> tuple[str, ...]:
    """The pinyin of `text` as the index reads it: a syllable per hanzi, non-Chinese words as
    they are. `override` ("le le tong zhuang") replaces the computed reading when given."""
    if override and override.strip():
        return tuple(w for w in (_key(p) for p in override.split()) if w)
    return tuple(t.reading for t in _tokens(text))


def initials(syllables: Sequence[str]) -> str:
    """Pinyin initials as shoppers type them: the first letter of each syllable or word."""
    return "".join(s[0] for s in syllables if s)


# --- the index -----------------------------------------------------------------------------------

# Key tables, and the tiers a hit in them earns (lower is better). An entity keeps its best tier.
_NAME, _KEYWORD, _INITIALS, _PART, _ALT = range(5)
_PLAN: Final = (
    (_NAME, True, 0),
    (_KEYWORD, True, 1),
    (_NAME, False, 2),
    (_KEYWORD, False, 3),
    (_INITIALS, True, 4),
    (_INITIALS, False, 5),
    (_PART, True, 6),
    (_PART, False, 7),
    (_ALT, True, 8),
    (_ALT, False, 9),
)
_FUZZY1, _FUZZY2 = 10, 11
_TIER_MATCH: Final[tuple[MatchKind, ...]] = (
    "exact", "exact", "prefix", "prefix", "initials", "initials",
    "contains", "contains", "alt_reading", "alt_reading", "fuzzy", "fuzzy",
)  # fmt: skip
_TIERS = len(_TIER_MATCH)

_TOP: Final = "\U0010ffff"  # sorts after every key character: [q, q + _TOP) are q's extensions
_SCAN = 256  # ranges up to this many keys are scanned; longer ones use a pre-ranked list
_MAX_ALT_READINGS = 8
# Facilities and categories win popularity ties: asked for by name, they are what is meant.
_PLACE_POPULARITY = 100
_VERIFY = 96  # typo candidates checked one by one at most, per range
_TWO_TYPO_POOL = 48  # names sharing the most letter pairs, checked for two typos
_SIMILAR_MIN = 0.4
_SIMILAR_POOL = 256  # keys scored for suggestions
_SIMILAR_CHECKED = 32  # of those, checked for a looser edit distance


def _typo_budget(n: int) -> int:
    """Edits allowed for a query of n characters (none below 4: too many short words collide)."""
    return 0 if n < 4 else 1 if n <= 7 else 2


@dataclass(frozen=True, slots=True)
class _Entity:
    kind: HitKind
    id: str
    names: Names
    category: str
    popularity: int
    ordinals: tuple[int, ...]
    sort_name: str

    @property
    def static_rank(self) -> tuple[int, str, str]:
        """Rank before the kiosk's floor is known: popularity, then name."""
        return -self.popularity, self.sort_name, self.id

    def floor_distance(self, kiosk_ordinal: int) -> int:
        return min((abs(o - kiosk_ordinal) for o in self.ordinals), default=0)


class _Table:
    """Sorted keys with their owners. Entities are numbered best-ranked first (popularity, then
    name), so identical keys list their owners in rank order, and long prefix ranges keep their
    distinct owners pre-ranked in `hot`."""

    __slots__ = ("hot", "keys", "owners", "sources")

    def __init__(self, entries: Iterable[tuple[str, int, str]]) -> None:
        rows = sorted(set(entries))
        self.keys = [r[0] for r in rows]
        self.owners = [r[1] for r in rows]
        self.sources = [r[2] for r in rows]
        self.hot: dict[str, tuple[int, ...]] = {}
        self._rank_long_ranges()

    def _rank_long_ranges(self) -> None:
        keys, owners = self.keys, self.owners
        pending = [(0, len(keys), 1)]
        while pending:
            i, stop, length = pending.pop()
            while i < stop:
                if len(keys[i]) < length:
                    i += 1
                    continue
                head = keys[i][:length]
                end = bisect_left(keys, head + _TOP, i, stop)
                if end - i > _SCAN:
                    # Walked backwards, each owner ends up with its first key.
                    first = dict(
                        zip(reversed(owners[i:end]), range(end - 1, i - 1, -1), strict=True)
                    )
                    self.hot[head] = tuple(first[e] for e in sorted(first))
                    pending.append((i, end, length + 1))
                i = end

    def exact(self, q: str) -> tuple[int, int]:
        lo = bisect_left(self.keys, q)
        return lo, bisect_right(self.keys, q, lo)

    def prefix(self, q: str) -> tuple[int, int]:
        lo = bisect_left(self.keys, q)
        if lo == len(self.keys) or not self.keys[lo].startswith(q):
            return lo, lo
        return lo, bisect_left(self.keys, q + _TOP, lo)


_Best = dict[int, tuple[int, str]]  # entity -> (tier, matched text)


class SearchIndex:
    """Every store, facility and category of one venue, ready to search. Build it once per venue
    version (`from_venue` or `build`); queries do not change it and may run from any thread."""

    def __init__(
        self,
        entities: Sequence[_Entity],
        tables: Sequence[_Table],
        fuzzy: _Table,
        alphabet: str,
        similar_keys: Sequence[tuple[str, str, tuple[int, ...], frozenset[str]]],
    ) -> None:
        self._entities = tuple(entities)
        self._tables = tuple(tables)
        self._fuzzy = fuzzy
        self._alphabet = alphabet
        self._similar_keys = tuple(similar_keys)
        postings: dict[str, list[int]] = {}
        for key_id, (*_, grams) in enumerate(self._similar_keys):
            for gram in grams:
                postings.setdefault(gram, []).append(key_id)
        self._postings = {g: tuple(ids) for g, ids in postings.items()}
        # Entities come best-ranked first (see _Table).
        self._popular = tuple(i for i, e in enumerate(self._entities) if e.kind == "store")
        self._category_at = {e.id: i for i, e in enumerate(self._entities) if e.kind == "category"}

    @classmethod
    def from_venue(
        cls, venue: VenueData, categories: Sequence[StoreCategory] = STORE_CATEGORIES
    ) -> SearchIndex:
        level_ordinal = {level.id: level.ordinal for level in venue.levels}
        unit_ordinal = {u.id: level_ordinal[u.level_id] for u in venue.units}
        anchor_ordinal = {a.id: unit_ordinal[a.unit_id] for a in venue.anchors}
        ordinals: dict[str, int | Sequence[int]] = {
            o.id: anchor_ordinal[o.anchor_id] for o in venue.occupants
        }
        for a in venue.amenities:
            ordinals[a.id] = sorted({unit_ordinal[u] for u in a.unit_ids})
        return cls.build(venue.occupants, venue.amenities, categories, ordinals)

    @classmethod
    def build(
        cls,
        occupants: Iterable[Occupant],
        amenities: Iterable[Amenity],
        categories: Iterable[StoreCategory],
        level_ordinals: Mapping[str, int | Sequence[int]],
    ) -> SearchIndex:
        """`level_ordinals` gives each occupant's and amenity's level ordinal (several for an
        amenity that spans levels, such as an elevator); an id left out counts as on the kiosk's
        floor."""
        builder = _Builder(level_ordinals)
        for occupant in occupants:
            builder.add_occupant(occupant)
        for amenity in amenities:
            builder.add_amenity(amenity)
        for category in categories:
            builder.add_category(category)
        return builder.finish()

    def __len__(self) -> int:
        return len(self._entities)

    # --- search ----------------------------------------------------------------------------------

    def search(self, query: str, *, kiosk_ordinal: int = 0, limit: int = 20) -> list[SearchHit]:
        """Hits best first: exact > prefix > initials > contains > other reading > typo; ties by
        popularity, then floor distance from the kiosk, then name. Empty when nothing matches."""
        q = normalize_query(query)
        if not q or limit <= 0:
            return []
        best: _Best = {}
        for table_no, exact, tier in _PLAN:
            # Every later tier ranks below all hits so far: once the page is full, stop.
            need = limit - len(best)
            if need <= 0:
                break
            table = self._tables[table_no]
            if exact:
                lo, hi = table.exact(q)
                self._take(table, range(lo, hi), need, tier, best)
            else:
                self._collect_prefix(table, q, need, tier, best)
        if len(best) < limit and q.isascii() and _typo_budget(len(q)):
            self._fuzzy_search(q, limit, best)
        ranked = self._ranked({e: tier for e, (tier, _) in best.items()}, kiosk_ordinal, limit)
        return [
            self._hit(e, _TIER_MATCH[best[e][0]], (_TIERS - best[e][0]) / _TIERS, best[e][1])
            for e in ranked
        ]

    def search_or_suggest(
        self, query: str, *, kiosk_ordinal: int = 0, limit: int = 20
    ) -> list[SearchHit]:
        """What the search box shows: the hits, or suggestions when there are none. Empty only
        for an empty query."""
        hits = self.search(query, kiosk_ordinal=kiosk_ordinal, limit=limit)
        if hits or not normalize_query(query):
            return hits
        return self.suggest(query, kiosk_ordinal=kiosk_ordinal, limit=limit)

    def _collect_prefix(self, table: _Table, q: str, need: int, tier: int, best: _Best) -> None:
        lo, hi = table.prefix(q)
        if hi - lo <= _SCAN:
            sources, owners = table.sources, table.owners
            for k in range(lo, hi):
                best.setdefault(owners[k], (tier, sources[k]))
        else:
            self._take(table, table.hot[q], need, tier, best)

    def _take(
        self, table: _Table, ranked: Iterable[int], need: int, tier: int, best: _Best
    ) -> None:
        """Add the best `need` new owners of keys given in rank order, plus any tied with the last
        one on popularity (floor distance, known only now, may still put those first)."""
        owners, sources, entities = table.owners, table.sources, self._entities
        taken = 0
        last_popularity = -1
        for k in ranked:
            e = owners[k]
            if e in best:
                continue
            popularity = entities[e].popularity
            if taken >= need and popularity != last_popularity:
                return
            best[e] = (tier, sources[k])
            taken += 1
            last_popularity = popularity

    def _fuzzy_search(self, q: str, limit: int, best: _Best) -> None:
        """Keys within the typo budget of q, as a prefix from five letters on. A typo at or after
        the point where q's prefix range gets short is found by checking that range; a typo
        before it, by looking up each one-edit variant of q that puts it there."""
        table = self._fuzzy
        n = len(q)
        budget = _typo_budget(n)
        # Short queries must match a whole key: as a prefix, one typo in four letters would
        # match half the directory.
        as_prefix = n >= 5
        need = limit - len(best)
        split = self._narrowing_point(table, q)
        keys, owners, sources = table.keys, table.owners, table.sources
        distances: dict[str, int] = {}
        two_edits: _Best = {}  # merged last, so that one edit found later still wins

        def verify(span: tuple[int, int]) -> None:
            for k in range(*span):
                key = keys[k]
                d = distances.get(key)
                if d is None:
                    d = distances[key] = _edits(q, key, budget, as_prefix)
                if d <= 1:
                    best.setdefault(owners[k], (_FUZZY1, sources[k]))
                elif d <= budget:
                    two_edits.setdefault(owners[k], (_FUZZY2, sources[k]))

        span = table.prefix(q[:split])
        if span[1] - span[0] > _VERIFY:
            split = n + 1  # q itself starts too many keys: every edit goes through a variant
        elif split < n or not as_prefix:
            verify(span)
        for v in _one_edit_variants(q, self._alphabet, split, as_prefix):
            if budget > 1:
                # One edit spent before `split`: a second one after it leaves this head intact.
                # (Two typos both in the first few letters are not found.)
                head = table.prefix(v[: split + 1])
                if head[1] - head[0] <= _VERIFY:
                    verify(head)
                    continue
            if as_prefix:
                self._collect_prefix(table, v, need, _FUZZY1, best)
            else:
                lo, hi = table.exact(v)
                self._take(table, range(lo, hi), need, _FUZZY1, best)
        if budget > 1 and len(best) + len(two_edits) < limit:
            # Both typos before `split` escape the lookups above; such a query still shares its
            # tail's letter pairs with the name.
            for key_id in self._sharing_grams(frozenset(_grams(q)), _TWO_TYPO_POOL):
                key, source, key_owners, _ = self._similar_keys[key_id]
                if key.isascii() and _edits(q, key, budget, as_prefix) <= budget:
                    for e in key_owners:
                        two_edits.setdefault(e, (_FUZZY2, source))
        for e, found in two_edits.items():
            best.setdefault(e, found)

    @staticmethod
    def _narrowing_point(table: _Table, q: str) -> int:
        """The shortest prefix of q that at most _VERIFY keys start with (len(q) if none)."""
        lo, hi = 0, len(q)
        while lo < hi:
            mid = (lo + hi) // 2
            start, stop = table.prefix(q[:mid])
            if stop - start <= _VERIFY:
                hi = mid
            else:
                lo = mid + 1
        return lo

    # --- suggestions -----------------------------------------------------------------------------

    def suggest(self, query: str, *, kiosk_ordinal: int = 0, limit: int = 20) -> list[SearchHit]:
        """Something to offer when `search` finds nothing; never empty for a non-empty index.
        Near matches under a looser measure first, then the category that fits best, and popular
        stores when nothing is near. Every hit has `suggested` set."""
        if limit <= 0:
            return []
        q = normalize_query(query)
        near = self._similar(q) if q else {}
        category = self._best_category(near)
        if category in near:
            category = None
        room = limit if category is None else limit - 1
        order = self._ranked({e: -s for e, (s, _) in near.items()}, kiosk_ordinal, room)
        hits = [self._hit(e, "similar", near[e][0], near[e][1], suggested=True) for e in order]
        if category is not None:
            hits.append(self._hit(category, "related", 0.0, "", suggested=True))
        if not near:
            popular = self._top_popular(limit - len(hits))
            for e in self._ranked(dict.fromkeys(popular, 0.0), kiosk_ordinal, limit - len(hits)):
                hits.append(self._hit(e, "popular", 0.0, "", suggested=True))
        if not hits:  # a venue without stores: offer what there is
            hits = [self._hit(e, "popular", 0.0, "", suggested=True) for e in range(len(self))]
        return hits[:limit]

    def _best_category(self, near: Mapping[int, tuple[float, str]]) -> int | None:
        """The category most voted for by the near matches, its own names counting double."""
        votes: dict[str, float] = {}
        for e, (similarity, _) in near.items():
            entity = self._entities[e]
            if entity.kind != "facility":
                weight = similarity * (2 if entity.kind == "category" else 1)
                votes[entity.category] = votes.get(entity.category, 0.0) + weight
        if not votes:
            return None
        return self._category_at.get(max(votes, key=lambda code: (votes[code], code)))

    def _top_popular(self, need: int) -> list[int]:
        """The most popular stores, with everyone tied with the last one on popularity."""
        out: list[int] = []
        for e in self._popular:
            popularity = self._entities[e].popularity
            if len(out) >= need and popularity != self._entities[out[-1]].popularity:
                break
            out.append(e)
        return out

    def _similar(self, q: str) -> dict[int, tuple[float, str]]:
        """Entities with a name or keyword like q: shared character pairs (Dice), or for Latin
        text a looser edit distance than search allows, whichever says more."""
        grams = frozenset(_grams(q))
        scored: list[tuple[float, int]] = []
        for key_id in self._sharing_grams(grams, _SIMILAR_POOL):
            key_grams = self._similar_keys[key_id][3]
            scored.append((2 * len(grams & key_grams) / (len(grams) + len(key_grams)), key_id))
        scored.sort(reverse=True)
        budget = _typo_budget(len(q)) + 1 if q.isascii() and len(q) >= 3 else 0
        found: dict[int, tuple[float, str]] = {}
        for rank, (dice, key_id) in enumerate(scored):
            key, source, owners, _ = self._similar_keys[key_id]
            similarity = dice
            if budget and rank < _SIMILAR_CHECKED and key.isascii():
                distance = _edits(q, key, budget, prefix=True)
                if distance <= budget:
                    similarity = max(similarity, 1 - distance / len(q))
            if similarity < _SIMILAR_MIN:
                continue
            for e in owners:
                if similarity > found.get(e, (0.0, ""))[0]:
                    found[e] = (round(similarity, 3), source)
        return found

    def _sharing_grams(self, grams: frozenset[str], pool: int) -> list[int]:
        """Up to `pool` similar-key ids sharing the most of `grams`, most first. Pairs found in a
        large share of the keys ("an", "ng") cost much and say little: they are not counted."""
        postings = sorted((self._postings.get(g, ()) for g in grams), key=len)
        common = max(_SCAN, len(self._similar_keys) // 16)
        shared: Counter[int] = Counter()
        for ids in [p for p in postings if len(p) <= common] or postings[:2]:
            shared.update(ids)
        return [key_id for key_id, _ in shared.most_common(pool)]

    # --- shared ----------------------------------------------------------------------------------

    def _ranked(self, first: Mapping[int, float], kiosk_ordinal: int, limit: int) -> list[int]:
        """Entities ordered by `first` (lower is better), then popularity, floor, name."""
        entities = self._entities

        def order(e: int) -> tuple[float, int, int, str, str]:
            x = entities[e]
            return first[e], -x.popularity, x.floor_distance(kiosk_ordinal), x.sort_name, x.id

        return sorted(first, key=order)[: max(limit, 0)]

    def _hit(
        self, e: int, match: MatchKind, score: float, matched: str, suggested: bool = False
    ) -> SearchHit:
        x = self._entities[e]
        return SearchHit(x.kind, x.id, x.names, x.category, match, score, matched, suggested)


# --- building ------------------------------------------------------------------------------------


class _Builder:
    def __init__(self, level_ordinals: Mapping[str, int | Sequence[int]]) -> None:
        self._level_ordinals = level_ordinals
        self.entities: list[_Entity] = []
        self.rows: list[list[tuple[str, int, str]]] = [[] for _ in range(_ALT + 1)]
        self.fuzzy: list[tuple[str, int, str]] = []
        self.similar: dict[str, tuple[str, set[int]]] = {}  # key -> (a source, owners)

    def _add(
        self,
        kind: HitKind,
        id_: str,
        names: Names,
        category: str,
        *,
        popularity: int = _PLACE_POPULARITY,
        pinyin: str | None = None,
    ) -> int:
        found = self._level_ordinals.get(id_, ())
        ordinals = (found,) if isinstance(found, int) else tuple(found)
        sort_name = "".join(reading(names.zh, pinyin)) or _key(names.en)
        self.entities.append(_Entity(kind, id_, names, category, popularity, ordinals, sort_name))
        return len(self.entities) - 1

    def add_occupant(self, o: Occupant) -> None:
        e = self._add("store", o.id, o.name, o.category, popularity=o.popularity, pinyin=o.pinyin)
        self.add_text(e, o.name.zh, _NAME, override=o.pinyin, with_initials=True)
        self.add_text(e, o.name.en, _NAME)
        for keyword in o.keywords:
            self.add_text(e, keyword, _KEYWORD)

    def add_amenity(self, a: Amenity) -> None:
        known = facility_type(a.category)
        names = a.name or (known.names if known else Names(a.category, a.category))
        e = self._add("facility", a.id, names, a.category)
        labels = [names.zh, names.en]
        if known:
            labels += [known.names.zh, known.names.en, *known.aliases]
        for text in dict.fromkeys(labels):
            self.add_text(e, text, _NAME, with_initials=True)

    def add_category(self, c: StoreCategory) -> None:
        names = Names(c.name_zh, c.name_en)
        e = self._add("category", c.code, names, c.code)
        words = [t.surface for t in _tokens(c.name_en)]
        for text in dict.fromkeys(
            (c.name_zh, c.name_en, *CATEGORY_ALIASES.get(c.code, ()), *words)
        ):
            self.add_text(e, text, _NAME, with_initials=True)

    def add_text(
        self,
        e: int,
        text: str,
        table: int,
        *,
        override: str | None = None,
        with_initials: bool = False,
    ) -> None:
        """Index one label: itself, its pinyin, initials, the tails after each word or hanzi
        (so 小面 and "coffee" find 重庆小面 and "luckin coffee") and other readings."""
        rows = self.rows
        key = _key(text)
        if not key:
            return
        rows[table].append((key, e, text))
        if "ü" in text.lower():  # "Müller" typed without the dots; pinyin keyboards give v
            rows[table].append((_key(re.sub("[üÜ]", "u", text)), e, text))
        self._similar_key(key, e, text)
        tokens = _tokens(text)
        surfaces = [t.surface for t in tokens]
        syllables = list(reading(text, override))
        has_hanzi = any(t.hanzi for t in tokens)
        if has_hanzi and syllables:
            spoken = " ".join(syllables)
            full = "".join(syllables)
            rows[table].append((full, e, spoken))
            self._similar_key(full, e, spoken)
            self.fuzzy.append((full, e, spoken))
            if "v" in full:  # ü typed as u
                rows[table].append((full.replace("v", "u"), e, spoken))
            if with_initials and sum(t.hanzi for t in tokens) >= 2:
                rows[_INITIALS].append((initials(syllables), e, text))
            for i in range(1, len(syllables)):
                rows[_PART].append(("".join(syllables[i:]), e, spoken))
            self._alternate_readings(e, tokens, syllables, spoken)
        elif key.isascii():
            self.fuzzy.append((key, e, text))
        for i in range(1, len(surfaces)):
            rows[_PART].append(("".join(surfaces[i:]), e, text))
        for t in tokens:
            if not t.hanzi and len(t.surface) >= 4 and t.surface != key:
                self.fuzzy.append((t.surface, e, text))

    def _alternate_readings(
        self, e: int, tokens: Sequence[_Token], syllables: Sequence[str], spoken: str
    ) -> None:
        if len(tokens) != len(syllables):
            return
        made = 0
        for i, t in enumerate(tokens):
            if not t.hanzi:
                continue
            for other in _readings_of(t.surface):
                if other == syllables[i]:
                    continue
                alt = [*syllables[:i], other, *syllables[i + 1 :]]
                self.rows[_ALT].append(("".join(alt), e, " ".join(alt)))
                made += 1
                if made >= _MAX_ALT_READINGS:
                    return

    def _similar_key(self, key: str, e: int, source: str) -> None:
        self.similar.setdefault(key, (source, set()))[1].add(e)

    def finish(self) -> SearchIndex:
        order = sorted(range(len(self.entities)), key=lambda i: self.entities[i].static_rank)
        renumber = [0] * len(order)
        for rank, i in enumerate(order):
            renumber[i] = rank

        def table(rows: Iterable[tuple[str, int, str]]) -> _Table:
            return _Table((key, renumber[e], source) for key, e, source in rows)

        fuzzy = table(self.fuzzy)
        alphabet = "".join(sorted({c for key in fuzzy.keys for c in key}))
        similar = [
            (key, source, tuple(sorted(renumber[e] for e in owners)), frozenset(_grams(key)))
            for key, (source, owners) in self.similar.items()
        ]
        return SearchIndex(
            [self.entities[i] for i in order],
            [table(rows) for rows in self.rows],
            fuzzy,
            alphabet,
            similar,
        )


# --- matching helpers ----------------------------------------------------------------------------


def _one_edit_variants(q: str, alphabet: str, before: int, as_prefix: bool) -> set[str]:
    """Strings one deletion, transposition, substitution or insertion away from q, the edit at a
    position below `before`. For prefix matching, edits of the last character are left out:
    dropping it (also a variant) already finds every key those would."""
    n = len(q)
    out: set[str] = set()
    for i in range(min(before, n)):
        out.add(q[:i] + q[i + 1 :])
        if i + 1 < n:
            out.add(q[:i] + q[i + 1] + q[i] + q[i + 2 :])
    for i in range(min(before, n - 1 if as_prefix else n)):
        head, tail = q[:i], q[i + 1 :]
        out.update([head + c + tail for c in alphabet])
    for i in range(min(before, n - 1 if as_prefix else n + 1)):
        head, tail = q[:i], q[i:]
        out.update([head + c + tail for c in alphabet])
    out.discard(q)
    return out


def _edits(q: str, key: str, budget: int, prefix: bool) -> int:
    """Optimal-string-alignment (restricted Damerau-Levenshtein) distance from q to key, or to
    the nearest prefix of key when `prefix`; anything above `budget` comes back as budget + 1.
    Equal leading characters are always matched, so only the first mismatch branches."""
    n, m = len(q), len(key)
    if not prefix and abs(n - m) > budget:
        return budget + 1
    p = 0
    shorter = min(n, m)
    while p < shorter and q[p] == key[p]:
        p += 1
    if p == n:
        return 0 if prefix else min(m - n, budget + 1)
    if p == m:
        return min(n - m, budget + 1)
    if budget == 0:
        return 1
    q, key = q[p:], key[p:]
    best = _edits(q[1:], key[1:], budget - 1, prefix)  # substitution
    if best:
        best = min(best, _edits(q[1:], key, budget - 1, prefix))  # q has an extra character
    if best:
        best = min(best, _edits(q, key[1:], budget - 1, prefix))  # q lacks one
    if best and len(q) > 1 and len(key) > 1 and q[0] == key[1] and q[1] == key[0]:
        best = min(best, _edits(q[2:], key[2:], budget - 1, prefix))  # transposition
    return min(best + 1, budget + 1)


def _grams(s: str) -> set[str]:
    """Character pairs of s, anchored at its start, plus each hanzi on its own (one shared
    character says a lot in Chinese)."""
    padded = "^" + s
    grams = {padded[i : i + 2] for i in range(len(s))}
    grams.update(c for c in s if _is_hanzi(c))
    return grams
