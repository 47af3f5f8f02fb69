from __future__ import annotations

from pytestqt.qtbot import QtBot

from kiosk.services.promotions import PromotionView
from kiosk.viewmodels.attract import PromotionListModel


def _row(i: int) -> PromotionView:
    return PromotionView(
        id=f"p{i}",
        title_zh=f"标题{i}",
        title_en=f"Title {i}",
        body_zh="",
        body_en="",
        store_zh="",
        store_en="",
        level="1F",
    )


def test_rows_and_roles(qtbot: QtBot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = PromotionListModel()
    with qtbot.waitSignal(model.countChanged):
        model.set_rows([_row(1), _row(2)])
    qtmodeltester.check(model)
    roles = {bytes(v.data()).decode(): k for k, v in model.roleNames().items()}
    assert model.rowCount() == 2
    assert model.data(model.index(1, 0), roles["title_en"]) == "Title 2"
    assert model.data(model.index(5, 0), roles["title_en"]) is None
    model.set_rows([])
    assert model.count == 0
