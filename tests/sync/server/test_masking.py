"""What of a member's identity a kiosk may show: enough to recognise one's own card, never
enough to learn someone else's."""

from __future__ import annotations

import pytest

from sync.server.masking import mask_card, mask_name, mask_phone, scrub_phones


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("王小明", "王*明"),
        ("李娜", "李*"),
        ("欧阳娜娜", "欧*娜"),
        ("买买提·艾力", "买*力"),
        ("司马 相如", "司*如"),
        ("王", "*"),
        ("Alice Wong", "A*** W***"),
        ("Madonna", "M***"),
        ("  Jean-Luc   Picard ", "J*** P***"),
        ("", "*"),
    ],
)
def test_names(name: str, shown: str) -> None:
    assert mask_name(name) == shown


def test_a_masked_name_never_tells_its_length() -> None:
    assert len(mask_name("王小明")) == len(mask_name("欧阳娜娜"))
    assert mask_name("Al Bo") == "A*** B***"


@pytest.mark.parametrize(
    ("phone", "shown"),
    [("13812345678", "138****5678"), ("15800158000", "158****8000"), ("123", "****")],
)
def test_phones(phone: str, shown: str) -> None:
    assert mask_phone(phone) == shown


@pytest.mark.parametrize(
    ("number", "shown"),
    [("886000000001", "**** 0001"), ("12345", "**** 2345"), ("1234", "****"), ("", "")],
)
def test_cards(number: str, shown: str) -> None:
    assert mask_card(number) == shown


def test_phone_numbers_in_free_text_are_masked() -> None:
    text = "carrier refused 13812345678 (quota), ref 9913812345678, call 400-820-8820"
    assert scrub_phones(text) == (
        "carrier refused 138****5678 (quota), ref 9913812345678, call 400-820-8820"
    )
