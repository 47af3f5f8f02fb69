"""Search-as-you-type benchmark: 5 000 stores, ~200 queries replayed keystroke by keystroke.

The venue is the demo mall's stores and facilities plus branches of its stores ("星巴克臻选店",
"Starbucks Reserve") and generated brands with Chinese names, their pinyin and English names.
Queries are Chinese names (typed a character at a time, as the pinyin keyboard commits them),
full pinyin with and without spaces, initials, English names, names with a typo, facility and
category words and nonsense (which falls through to suggestions). Each keystroke calls
`search_or_suggest`, as the search box does. Prints JSON; the budget is 5 ms per keystroke (p95).

    python bench/search.py [--stores 5000] [--seed 7]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import statistics
import string
import time
from collections import defaultdict

from kiosk.domain.categories import STORE_CATEGORIES
from kiosk.domain.imdf import demo_venue_path, load_venue
from kiosk.domain.search import SearchIndex, initials, reading
from kiosk.domain.venue import Names, Occupant

BUDGET_MS = 5.0

BRANCHES = (
    ("臻选店", "Reserve"),
    ("旗舰店", "Flagship"),
    ("体验店", "Experience Store"),
    ("精品店", "Boutique"),
    ("二店", "II"),
    ("概念店", "Concept Store"),
    ("集合店", "Collection"),
    ("快闪店", "Pop-up"),
)
BRAND_CHARS = (
    "云汇佳华美乐金星光明德福瑞丰嘉盛和泰安康宝利兴隆顺达鑫源创新优品尚雅韵风尚格林森海蓝天"
    "青春悦享初心拾味小大东西南北中山水月花竹梅兰菊松柏鹿鸣凤凰龙虎熊猫喜多"
)
CATEGORY_WORDS = {
    "fashion": (("服饰", "Apparel"), ("女装", "Women"), ("男装", "Menswear"), ("鞋履", "Shoes")),
    "food": (("咖啡", "Coffee"), ("面馆", "Noodles"), ("茶饮", "Tea"), ("烘焙", "Bakery")),
    "beauty": (("美妆", "Beauty"), ("护肤", "Skincare"), ("香氛", "Fragrance")),
    "kids": (("童装", "Kids"), ("玩具", "Toys"), ("母婴", "Baby")),
    "sports": (("运动", "Sports"), ("户外", "Outdoor"), ("瑜伽", "Yoga")),
    "electronics": (("数码", "Digital"), ("手机", "Mobile"), ("影音", "Audio")),
    "home": (("家居", "Home"), ("生活馆", "Living"), ("餐具", "Tableware")),
    "entertainment": (("娱乐", "Fun"), ("游戏", "Games"), ("书店", "Books")),
    "services": (("洗衣", "Laundry"), ("维修", "Repair"), ("照相", "Photo")),
}
PLACES = (
    "洗手间",
    "restroom",
    "toilet",
    "母婴室",
    "nursing",
    "atm",
    "parking",
    "电梯",
    "food",
    "餐饮",
)


def synthetic_stores(demo: list[Occupant], count: int, rng: random.Random) -> list[Occupant]:
    stores = list(demo)
    for base in demo:
        for zh, en in BRANCHES:
            if len(stores) >= count // 3:
                break
            stores.append(
                dataclasses.replace(
                    base,
                    id=f"{base.id}-{len(stores)}",
                    name=Names(base.name.zh + zh, f"{base.name.en} {en}"),
                    popularity=max(0, base.popularity - rng.randint(5, 40)),
                    pinyin=None,
                )
            )
    by_category = defaultdict(list)
    for o in demo:
        by_category[o.category].append(o)
    while len(stores) < count:
        category = rng.choice(STORE_CATEGORIES).code
        brand = "".join(rng.choices(BRAND_CHARS, k=rng.choice((2, 2, 3, 4))))
        noun_zh, noun_en = rng.choice(CATEGORY_WORDS[category])
        syllables = reading(brand)
        en_brand = "".join(syllables).capitalize()
        if rng.random() < 0.3:
            en_brand = " ".join(s.capitalize() for s in syllables)
        template = rng.choice(by_category[category])
        stores.append(
            dataclasses.replace(
                template,
                id=f"gen-{len(stores)}",
                name=Names(brand + noun_zh, f"{en_brand} {noun_en}"),
                keywords=template.keywords,
                popularity=int(rng.triangular(0, 100, 30)),
                pinyin=None,
            )
        )
    return stores


def typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("swap", "drop", "sub", "add"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    letter = rng.choice(string.ascii_lowercase)
    if kind == "sub":
        return word[:i] + letter + word[i + 1 :]
    return word[:i] + letter + word[i:]


def queries(stores: list[Occupant], rng: random.Random) -> list[tuple[str, str]]:
    def pick(n: int) -> list[Occupant]:
        return rng.sample(stores, n)

    out: list[tuple[str, str]] = []
    out += [("zh", o.name.zh) for o in pick(40)]
    for i, o in enumerate(pick(40)):
        syllables = reading(o.name.zh, o.pinyin)
        out.append(("pinyin", (" " if i % 2 else "").join(syllables)))
    out += [("initials", initials(reading(o.name.zh, o.pinyin))) for o in pick(25)]
    out += [("english", o.name.en) for o in pick(30)]
    for i, o in enumerate(pick(45)):
        word = o.name.en.lower() if i % 2 else "".join(reading(o.name.zh, o.pinyin))
        out.append(("typo", typo(word, rng) if len(word) >= 4 else word))
    out += [("place", p) for p in PLACES]
    for _ in range(10):
        out.append(("nonsense", "".join(rng.choices("qxzjvwk", k=rng.randint(4, 9)))))
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stores", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    demo = load_venue(demo_venue_path())
    stores = synthetic_stores(list(demo.occupants), args.stores, rng)
    ordinals = [level.ordinal for level in demo.levels]
    level_of: dict[str, int | tuple[int, ...]] = {o.id: rng.choice(ordinals) for o in stores}
    level_of.update({a.id: tuple(ordinals) for a in demo.amenities})

    started = time.perf_counter()
    index = SearchIndex.build(stores, demo.amenities, STORE_CATEGORIES, level_of)
    build_ms = (time.perf_counter() - started) * 1000

    typed = queries(stores, rng)
    times: list[float] = []
    by_kind: dict[str, list[float]] = defaultdict(list)
    empty = 0
    for kind, text in typed:
        for end in range(1, len(text) + 1):
            started = time.perf_counter()
            hits = index.search_or_suggest(text[:end], kiosk_ordinal=0)
            elapsed = (time.perf_counter() - started) * 1000
            times.append(elapsed)
            by_kind[kind].append(elapsed)
            empty += not hits and bool(text[:end].strip())
    p95 = percentile(times, 95)
    print(
        json.dumps(
            {
                "benchmark": "search_as_you_type",
                "stores": len(stores),
                "facilities": len(demo.amenities),
                "build_ms": round(build_ms, 1),
                "queries": len(typed),
                "keystrokes": len(times),
                "p50_ms": round(statistics.median(times), 3),
                "p95_ms": round(p95, 3),
                "p99_ms": round(percentile(times, 99), 3),
                "max_ms": round(max(times), 3),
                "p95_ms_by_query_kind": {
                    k: round(percentile(v, 95), 3) for k, v in by_kind.items()
                },
                "empty_results": empty,
                "budget_p95_ms": BUDGET_MS,
                "within_budget": p95 <= BUDGET_MS,
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
