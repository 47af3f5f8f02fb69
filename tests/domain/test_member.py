"""Member rules without a network: scanned input, the SMS code, expiry windows, masking."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.member import (
    EXPIRY_WINDOWS,
    ExpiryWindow,
    check_sms_code,
    expiry_windows,
    mask_numbers,
    private_channel,
    read_scan,
)
from kiosk.domain.validation import Problem

TODAY = dt.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("886000000001", "886000000001"),
        ("8860 0000 0001", "886000000001"),
        ("8860-0000-0001\n", "886000000001"),
        ("  886000000001\r\n", "886000000001"),
        ("８８６０００００００01", "886000000001"),  # full-width digits from an IME
        ("YHM:7f3a9c2e", "YHM:7f3a9c2e"),
        ("MK1.member_ab-12", "MK1.member_ab-12"),
        ("", None),
        ("12", None),
        ("abc def", None),
        ("886000000001; DROP TABLE", None),
        ("x" * 129, None),
        ("会员卡", None),
    ],
)
def test_read_scan(typed: str, expected: str | None) -> None:
    assert read_scan(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("123456", "123456"), (" 123 456 ", "123456"), ("１２３４５６", "123456")],
)
def test_sms_code_accepted(typed: str, expected: str) -> None:
    assert check_sms_code(typed) == expected


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "12a456", "------"])
def test_sms_code_refused_with_words(typed: str) -> None:
    problem = check_sms_code(typed)
    assert isinstance(problem, Problem)
    assert "6" in problem.zh
    assert "6 digits" in problem.en


def test_expiry_windows_are_cumulative_and_skip_the_past() -> None:
    lots = [
        (TODAY - dt.timedelta(days=1), 500),  # already lapsed: not the shopper's to lose
        (TODAY, 10),
        (TODAY + dt.timedelta(days=30), 20),
        (TODAY + dt.timedelta(days=31), 40),
        (TODAY + dt.timedelta(days=75), 80),
        (TODAY + dt.timedelta(days=91), 160),
        (TODAY + dt.timedelta(days=20), 0),
    ]
    assert expiry_windows(lots, TODAY) == [
        ExpiryWindow(30, 30, TODAY),
        ExpiryWindow(60, 70, TODAY),
        ExpiryWindow(90, 150, TODAY),
    ]


def test_expiry_windows_when_nothing_lapses() -> None:
    assert expiry_windows([], TODAY) == [ExpiryWindow(d, 0, None) for d in EXPIRY_WINDOWS]


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=-30, max_value=200), st.integers(min_value=0, max_value=10**6)
        ),
        max_size=30,
    )
)
def test_expiry_windows_match_a_plain_count(raw: list[tuple[int, int]]) -> None:
    lots = [(TODAY + dt.timedelta(days=d), p) for d, p in raw]
    windows = expiry_windows(lots, TODAY)
    for window in windows:
        inside = [(d, p) for d, p in raw if 0 <= d <= window.days and p > 0]
        assert window.points == sum(p for _, p in inside)
        assert window.first == (
            TODAY + dt.timedelta(days=min(d for d, _ in inside)) if inside else None
        )
    assert [w.points for w in windows] == sorted(w.points for w in windows)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("138****5678", "138****5678"),
        ("13812345678", "138****5678"),
        ("call 13812345678 or 13987654321", "call 138****5678 or 139****4321"),
        ("**** 0001", "**** 0001"),
        ("886000000001", "****0001"),
        ("王*明", "王*明"),
        ("12345", "12345"),
    ],
)
def test_mask_numbers(text: str, expected: str) -> None:
    assert mask_numbers(text) == expected


@pytest.mark.parametrize(
    ("url", "private"),
    [
        ("https://central.mall.example", True),
        ("https://10.0.0.5:8700", True),
        ("http://127.0.0.1:8700", True),
        ("http://localhost:8700", True),
        ("http://[::1]:8700", True),
        ("http://10.0.0.5:8700", False),
        ("http://central.mall.example", False),
        ("ftp://127.0.0.1", False),
        ("", False),
    ],
)
def test_member_data_goes_only_over_a_private_channel(url: str, private: bool) -> None:
    assert private_channel(url) is private
