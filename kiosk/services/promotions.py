"""Promotions for the attract screen: what is running today, in both languages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.store import models as m
from kiosk.store import venue_repo


@dataclass(frozen=True, slots=True)
class PromotionView:
    id: str
    title_zh: str
    title_en: str
    body_zh: str
    body_en: str
    store_zh: str
    store_en: str
    level: str


class PromotionService:
    def __init__(
        self, sessions: sessionmaker[Session], today: Callable[[], dt.date] = dt.date.today
    ) -> None:
        self._sessions = sessions
        self._today = today

    def current(self) -> list[PromotionView]:
        with self._sessions() as session:
            promos = venue_repo.current_promotions(session, self._today())
            store_ids = {p.store_id for p in promos if p.store_id}
            stores = {
                s.id: (s, lv)
                for s, lv in session.execute(
                    select(m.Store, m.Level)
                    .join(m.Level, m.Store.level_id == m.Level.id)
                    .where(m.Store.id.in_(store_ids))
                )
            }
            out = []
            for p in promos:
                store, level = stores.get(p.store_id or "", (None, None))
                out.append(
                    PromotionView(
                        id=p.id,
                        title_zh=p.title_zh,
                        title_en=p.title_en,
                        body_zh=p.body_zh,
                        body_en=p.body_en,
                        store_zh=store.name_zh if store else "",
                        store_en=store.name_en if store else "",
                        level=level.short_en if level else "",
                    )
                )
            return out
