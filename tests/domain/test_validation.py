"""Shopper input: phone numbers, names and masking, free text, slips, amounts and dates."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.validation import (
    MAX_TEXT_CODE_POINTS,
    Problem,
    char_count,
    check_amount,
    check_name,
    check_occurred_at,
    check_phone,
    check_purchase_date,
    check_quantity,
    check_slip_number,
    check_text,
    clean_text,
    compile_phone_patterns,
    graphemes,
    mask_name,
    mask_phone,
    normalise_phone,
    parse_date,
    problems,
)
from sync.schemas import MAX_TEXT

TODAY = dt.date(2026, 5, 20)


def code_of(result: object) -> str:
    assert isinstance(result, Problem), result
    assert result.zh
    assert result.en
    return result.code


# --- Problem ------------------------------------------------------------------------------------


def test_problem_speaks_both_languages() -> None:
    problem = Problem("phone", "required", "此项必填。", "Please fill this in.")
    assert problem.text("zh_CN") == "此项必填。"
    assert problem.text("zh") == "此项必填。"
    assert problem.text("en") == "Please fill this in."


def test_problems_collects_only_problems() -> None:
    found = problems(check_phone("12"), check_phone("13812345678"), check_slip_number(""))
    assert [p.field for p in found] == ["phone", "slip_no"]


def test_text_limit_matches_the_wire() -> None:
    assert MAX_TEXT_CODE_POINTS == MAX_TEXT


# --- phone numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "+86-13812345678",
        "008613812345678",
        "8613812345678",
        "(+86) 138.1234.5678",
        "１３８１２３４５６７８",
    ],
)
def test_mainland_mobiles_are_normalised(typed: str) -> None:
    assert check_phone(typed) == "13812345678"


@pytest.mark.parametrize("first_two", ["13", "14", "15", "16", "17", "18", "19"])
def test_every_mobile_prefix(first_two: str) -> None:
    number = first_two + "912345678"
    assert check_phone(number) == number


@pytest.mark.parametrize(
    "typed",
    [
        "12812345678",  # 12x is not a mobile prefix
        "10012345678",
        "1381234567",  # 10 digits
        "138123456789",  # 12 digits
        "+1 138 1234 5678",
        "+8613812345678 ext",
        "abc",
        "021-12345678",  # a landline, unless configured
        "١٣٨١٢٣٤٥٦٧٨",  # Arabic-Indic digits
    ],
)
def test_not_a_mainland_mobile(typed: str) -> None:
    assert code_of(check_phone(typed)) == "phone_invalid"


def test_empty_phone_is_none_unless_required() -> None:
    assert check_phone("  ") is None
    assert code_of(check_phone(" ", required=True)) == "required"


def test_extra_phone_formats_from_configuration() -> None:
    patterns = compile_phone_patterns([r"\+852[5-9]\d{7}", r"0\d{2,3}\d{7,8}"])
    assert check_phone("+852 9123 4567", extra_patterns=patterns) == "+85291234567"
    assert check_phone("021-1234 5678", extra_patterns=patterns) == "02112345678"
    assert check_phone("13812345678", extra_patterns=patterns) == "13812345678"
    problem = check_phone("+852 1234", extra_patterns=patterns)
    assert code_of(problem) == "phone_invalid"
    assert isinstance(problem, Problem)
    assert "11" not in problem.en  # no longer claims only mobiles are accepted


def test_bad_phone_pattern_is_named() -> None:
    with pytest.raises(ValueError, match=r"phone pattern '\(\+852' is not a regular expression"):
        compile_phone_patterns([r"\d+", "(+852"])


def test_normalise_phone_keeps_foreign_prefixes() -> None:
    assert normalise_phone("+852 9123-4567") == "+85291234567"
    assert normalise_phone("86 138 1234 5678") == "13812345678"


@given(st.from_regex(r"\A1[3-9][0-9]{9}\Z"), st.sampled_from(["", "+86", "0086", "+86 "]))
def test_any_mobile_with_any_prefix(number: str, prefix: str) -> None:
    spaced = f"{prefix}{number[:3]} {number[3:7]} {number[7:]}"
    assert check_phone(spaced) == number


# --- masking ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("+85291234567", "+852****4567"),
        ("02112345678", "021****5678"),
        ("91234567", "91****67"),
        ("12345", "****45"),
        ("", ""),
    ],
)
def test_mask_phone(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


@given(st.from_regex(r"\A1[3-9][0-9]{9}\Z"))
def test_masked_mobile_hides_the_middle(number: str) -> None:
    masked = mask_phone(number)
    assert masked == number[:3] + "****" + number[7:]
    assert number[3:7] not in masked[3:7]


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("王小明", "王*明"),
        ("王明", "王*"),
        ("王", "*"),
        ("欧阳小明", "欧**明"),
        ("阿依古丽·买买提", "阿***·**提"),
        ("John Smith", "J*** S****"),
        ("Mary-Jane O'Neil", "M***-J*** O'****"),
        ("madonna", "m******"),
        ("  John   Smith ", "J*** S****"),
        ("", ""),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@given(st.text(alphabet=st.characters(categories=["Lo", "Lu", "Ll"]), min_size=3, max_size=12))
def test_masked_names_hide_their_middle(name: str) -> None:
    masked = mask_name(name)
    assert "*" in masked
    assert char_count(masked) == char_count(name)


# --- characters and free text -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("abc", 3),
        ("商场很好", 4),
        ("👍", 1),
        ("👍🏽", 1),  # skin tone
        ("👨\u200d👩\u200d👧", 1),  # family (ZWJ sequence)
        ("🇨🇳🇺🇸", 2),  # two flags
        ("🇨", 1),  # a lone regional indicator
        ("e\u0301", 1),  # e + combining acute
        ("❤\ufe0f", 1),  # variation selector
        ("1\ufe0f\u20e3", 1),  # keycap
        ("🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f", 1),  # England flag
        ("\u1100\u1161\u11a8", 1),  # Hangul jamo 각
        ("a\r\nb", 3),
        ("好的👌OK", 5),
    ],
)
def test_char_count(text: str, count: int) -> None:
    assert char_count(text) == count


@given(st.text())
def test_graphemes_cover_the_text(text: str) -> None:
    clusters = graphemes(text)
    assert "".join(clusters) == text
    assert all(clusters)
    assert len(clusters) <= len(text)


def test_clean_text() -> None:
    assert clean_text("  hello\r\nworld\t!  ") == "hello\nworld !"
    assert clean_text("a\x00b\x1bc\x7f") == "abc"
    assert clean_text("evil\u202etxt.exe") == "eviltxt.exe"  # bidi override removed
    assert clean_text("\ufeffbom") == "bom"
    assert clean_text("a\n\n\n\n\nb") == "a\n\nb"
    assert clean_text("👨\u200d👩\u200d👧") == "👨\u200d👩\u200d👧"  # joiners kept
    assert clean_text("e\u0301") == "é"  # NFC


@given(st.text())
def test_clean_text_leaves_no_controls(text: str) -> None:
    cleaned = clean_text(text)
    assert cleaned == cleaned.strip()
    for char in cleaned:
        assert char == "\n" or unicodedata.category(char) not in ("Cc", "Cs")
    cleaned.encode("utf-8")  # no lone surrogates left


def test_text_required_and_optional() -> None:
    assert code_of(check_text("", field="description", max_chars=10)) == "required"
    assert code_of(check_text(" \n\t\u3000 ", field="description", max_chars=10)) == "required"
    assert check_text("  ", field="note", max_chars=10, required=False) is None
    assert check_text(" hi ", field="note", max_chars=10, required=False) == "hi"


def test_text_length_counts_what_people_see() -> None:
    ten_emoji = "👨\u200d👩\u200d👧" * 10
    assert check_text(ten_emoji, field="d", max_chars=10) == ten_emoji
    problem = check_text(ten_emoji + "!", field="d", max_chars=10)
    assert code_of(problem) == "too_long"
    assert isinstance(problem, Problem)
    assert "11" in problem.en
    assert "11" in problem.zh


def test_text_mixed_scripts_and_emoji_are_welcome() -> None:
    text = "店员态度很好 very helpful 👍 ありがとう"
    assert check_text(text, field="d", max_chars=100) == text


def test_text_minimum() -> None:
    assert code_of(check_text("短", field="d", max_chars=100, min_chars=5)) == "too_short"


def test_text_code_points_never_exceed_the_wire_limit() -> None:
    # One "character" of 50 combining marks: few graphemes, many code points.
    zalgo = ("a" + "\u0301" * 50) * 100
    assert char_count(zalgo) == 100
    assert code_of(check_text(zalgo, field="d", max_chars=1000)) == "too_long"


def test_names() -> None:
    assert check_name("  王   小明 ") == "王 小明"
    assert check_name("") is None
    assert code_of(check_name("", required=True)) == "required"
    assert code_of(check_name("12345")) == "name_invalid"
    assert code_of(check_name("名" * 41)) == "too_long"
    assert check_name("阿依古丽·买买提") == "阿依古丽·买买提"


# --- slips --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "slip"),
    [
        ("202405010123\r", "202405010123"),
        ("202405010123\r\n", "202405010123"),
        ("202405010123\n", "202405010123"),
        ("\x02202405010123\x03", "202405010123"),  # STX/ETX framing
        ("]C1202405010123\r", "202405010123"),  # AIM symbology identifier
        ("  2024 0501 0123 ", "202405010123"),
        ("ab-1234-cd", "AB1234CD"),
        ("ＡＢ１２３４", "AB1234"),
    ],
)
def test_slip_numbers_are_normalised(typed: str, slip: str) -> None:
    assert check_slip_number(typed) == slip


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "required"),
        ("\r\n", "required"),
        ("12#45", "slip_invalid"),
        ("小票1234", "slip_invalid"),
        ("123", "slip_length"),
        ("1" * 33, "slip_length"),
    ],
)
def test_bad_slip_numbers(typed: str, code: str) -> None:
    assert code_of(check_slip_number(typed)) == code


# --- amounts ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("199", "199.00"),
        ("199.9", "199.90"),
        ("199.99", "199.99"),
        ("199.", "199.00"),
        ("¥1,299.00", "1299.00"),
        ("￥1299", "1299.00"),
        ("1299元", "1299.00"),
        ("RMB 88", "88.00"),
        ("CNY88.5", "88.50"),
        ("１２３", "123.00"),
        (" 0.01 ", "0.01"),
        ("1000000", "1000000.00"),
        (Decimal("12.5"), "12.50"),
        (12, "12.00"),
    ],
)
def test_amounts(typed: str | Decimal | int, amount: str) -> None:
    result = check_amount(typed)
    assert result == Decimal(amount)
    assert isinstance(result, Decimal)
    assert str(result) == amount


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "amount_invalid"),
        ("abc", "amount_invalid"),
        ("1,2,3", "amount_invalid"),
        ("12,34.00", "amount_invalid"),
        ("1e5", "amount_invalid"),
        ("NaN", "amount_invalid"),
        (Decimal("NaN"), "amount_invalid"),
        (Decimal("Infinity"), "amount_invalid"),
        ("12.345", "amount_decimals"),
        (Decimal("0.001"), "amount_decimals"),
        ("0", "amount_not_positive"),
        ("0.00", "amount_not_positive"),
        ("-5", "amount_not_positive"),
        (0, "amount_not_positive"),
        ("1000000.01", "amount_too_large"),
        ("9" * 30, "amount_invalid"),
    ],
)
def test_bad_amounts(typed: str | Decimal | int, code: str) -> None:
    assert code_of(check_amount(typed)) == code


def test_amount_maximum_is_configurable() -> None:
    assert code_of(check_amount("600", max_amount=Decimal(500))) == "amount_too_large"


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal(1_000_000), places=2))
def test_any_two_decimal_amount_round_trips(amount: Decimal) -> None:
    assert check_amount(f"{amount:,.2f}") == amount
    assert check_amount(str(amount)) == amount


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2026-05-01", dt.date(2026, 5, 1)),
        ("2026/5/1", dt.date(2026, 5, 1)),
        ("2026.05.01", dt.date(2026, 5, 1)),
        ("2026年5月1日", dt.date(2026, 5, 1)),
        ("2026 年 5 月 1 日", dt.date(2026, 5, 1)),
        ("20260501", dt.date(2026, 5, 1)),
        ("２０２６－０５－０１", dt.date(2026, 5, 1)),
    ],
)
def test_parse_date(typed: str, day: dt.date) -> None:
    assert parse_date(typed) == day


@pytest.mark.parametrize("typed", ["", "yesterday", "2026-02-30", "2026-13-01", "26-5-1"])
def test_unreadable_dates(typed: str) -> None:
    assert parse_date(typed) is None
    assert code_of(check_purchase_date(typed, today=TODAY)) == "date_invalid"


def test_purchase_date_bounds() -> None:
    assert check_purchase_date(TODAY, today=TODAY) == TODAY
    assert check_purchase_date("2026-05-19", today=TODAY) == dt.date(2026, 5, 19)
    assert check_purchase_date(dt.datetime(2026, 5, 1, 12, 0), today=TODAY) == dt.date(2026, 5, 1)
    assert code_of(check_purchase_date("2026-05-21", today=TODAY)) == "date_future"
    assert code_of(check_purchase_date("2019-01-01", today=TODAY)) == "date_too_old"
    assert check_purchase_date("2021-01-01", today=TODAY) == dt.date(2021, 1, 1)
    earliest = dt.date(2024, 1, 1)
    assert code_of(check_purchase_date("2023-12-31", today=TODAY, earliest=earliest)) == (
        "date_too_old"
    )
    problem = check_purchase_date("1999-12-31", today=TODAY)
    assert isinstance(problem, Problem)
    assert re.search(r"\d{4}-\d{2}-\d{2}", problem.en)


def test_occurred_at() -> None:
    tz = dt.timezone(dt.timedelta(hours=8))
    now = dt.datetime(2026, 5, 20, 15, 0, tzinfo=tz)
    assert check_occurred_at(now - dt.timedelta(hours=2), now=now) == now - dt.timedelta(hours=2)
    assert check_occurred_at(now + dt.timedelta(minutes=4), now=now) == now + dt.timedelta(
        minutes=4
    )
    assert code_of(check_occurred_at(now + dt.timedelta(hours=1), now=now)) == "time_future"
    assert code_of(check_occurred_at(now - dt.timedelta(days=400), now=now)) == "time_too_old"


# --- quantities ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "number"), [(1, 1), ("2", 2), ("９９", 99), (" 3 ", 3)])
def test_quantities(typed: int | str, number: int) -> None:
    assert check_quantity(typed) == number


@pytest.mark.parametrize("typed", [0, 100, -1, "0", "1.5", "", "x", True])
def test_bad_quantities(typed: int | str) -> None:
    assert code_of(check_quantity(typed)) == "quantity_invalid"
