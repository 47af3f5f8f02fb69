"""Store categories as shoppers browse them, in the order the category screen shows them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StoreCategory:
    code: str
    name_zh: str
    name_en: str


STORE_CATEGORIES: tuple[StoreCategory, ...] = (
    StoreCategory("fashion", "服饰", "Fashion"),
    StoreCategory("food", "餐饮", "Food & Drink"),
    StoreCategory("beauty", "美妆个护", "Beauty"),
    StoreCategory("kids", "儿童亲子", "Kids"),
    StoreCategory("sports", "运动户外", "Sports"),
    StoreCategory("electronics", "数码电器", "Electronics"),
    StoreCategory("home", "家居生活", "Home"),
    StoreCategory("entertainment", "休闲娱乐", "Entertainment"),
    StoreCategory("services", "生活服务", "Services"),
)
