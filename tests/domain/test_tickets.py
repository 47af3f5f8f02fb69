"""Ticket numbers: shape, tolerant reading, error detection, and tracking tokens."""

from __future__ import annotations

import contextlib
import hashlib
import re
import typing

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kiosk.domain.tickets import (
    ALPHABET,
    MAX_COUNTER,
    Ticket,
    TicketFormatError,
    TicketKind,
    fold_kiosk_code,
    make_ticket,
    new_tracking_token,
    parse_ticket,
    token_sha256,
)
from sync.schemas import TicketNo

WIRE_TICKET = re.compile(typing.get_args(TicketNo)[1].pattern)
LOOK_ALIKES = {"O": "0", "I": "1", "L": "1"}

kinds = st.sampled_from(TicketKind)
kiosk_codes = st.from_regex(r"\A[A-Z0-9]{2,6}\Z")
counters = st.one_of(st.integers(0, 99_999), st.integers(0, MAX_COUNTER))


def fold(char: str) -> str:
    return LOOK_ALIKES.get(char, char)


# --- making -------------------------------------------------------------------------------------


def test_shape_of_a_ticket_number() -> None:
    text = make_ticket(TicketKind.COMPLAINT, "K07", 42)
    assert re.fullmatch(r"C-K07-0042-[0-9A-HJKMNP-Z]", text)
    assert parse_ticket(text) == Ticket(TicketKind.COMPLAINT, "K07", 42, text[-1])


@pytest.mark.parametrize(
    ("kind", "letter"),
    [
        (TicketKind.COMPLAINT, "C"),
        (TicketKind.FEEDBACK, "S"),
        (TicketKind.RETURN, "R"),
        (TicketKind.REPAIR, "W"),
    ],
)
def test_kind_letters(kind: TicketKind, letter: str) -> None:
    assert make_ticket(kind, "K01", 1).startswith(f"{letter}-K01-0001-")
    assert make_ticket(letter, "K01", 1) == make_ticket(kind, "K01", 1)


def test_counter_grows_past_four_digits() -> None:
    assert make_ticket("R", "K01", 9999).startswith("R-K01-9999-")
    text = make_ticket("R", "K01", 123_456)
    assert text.startswith("R-K01-123456-")
    assert parse_ticket(text).counter == 123_456


def test_kiosk_codes_print_without_look_alikes() -> None:
    assert fold_kiosk_code("kio5") == "K105"
    assert fold_kiosk_code("LOBBY") == "10BBY"
    assert make_ticket("C", "KOL", 5).startswith("C-K01-0005-")
    assert make_ticket("C", "KOL", 5) == make_ticket("C", "K01", 5)


@pytest.mark.parametrize(
    ("kind", "code", "counter"),
    [
        ("X", "K01", 1),
        ("C", "K", 1),
        ("C", "KIOSK12", 1),
        ("C", "K-1", 1),
        ("C", "K01", -1),
        ("C", "K01", MAX_COUNTER + 1),
        ("C", "K01", True),
    ],
)
def test_make_refuses_bad_parts(kind: str, code: str, counter: int) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - any ValueError: these are programming errors
        make_ticket(kind, code, counter)


@given(kinds, kiosk_codes, counters)
def test_every_ticket_fits_the_wire_format(kind: TicketKind, code: str, counter: int) -> None:
    text = make_ticket(kind, code, counter)
    assert WIRE_TICKET.fullmatch(text)
    assert len(text) <= 30
    assert not set(text) & set("OIL")
    assert all(char in ALPHABET for char in text.replace("-", ""))


# --- reading ------------------------------------------------------------------------------------


@given(kinds, kiosk_codes, counters)
def test_round_trip(kind: TicketKind, code: str, counter: int) -> None:
    text = make_ticket(kind, code, counter)
    ticket = parse_ticket(text)
    assert ticket.kind == kind
    assert ticket.kiosk_code == fold_kiosk_code(code)
    assert ticket.counter == counter
    assert ticket.text == str(ticket) == text


@given(kinds, kiosk_codes, counters, st.sampled_from(["", " ", "  ", "\u3000", "－", "—"]))
def test_round_trip_without_or_with_other_separators(
    kind: TicketKind, code: str, counter: int, separator: str
) -> None:
    text = make_ticket(kind, code, counter)
    typed = text.replace("-", separator).lower()
    assert parse_ticket(typed).text == text


@pytest.mark.parametrize(
    "typed",
    [
        "{t}",
        "{t_lower}",
        "  {t}  ",
        "{t_nodash}",
        "{t_spaced}",
        "{t_fullwidth}",
        "{t_zero_as_o}",
    ],
)
def test_tolerant_reading(typed: str) -> None:
    text = make_ticket("C", "K07", 42)
    variants = {
        "t": text,
        "t_lower": text.lower(),
        "t_nodash": text.replace("-", ""),
        "t_spaced": text.replace("-", " "),
        "t_fullwidth": "".join(chr(ord(c) + 0xFEE0) for c in text),
        "t_zero_as_o": text.replace("0", "O"),
    }
    assert parse_ticket(typed.format(**variants)).text == text


def test_one_as_i_or_l() -> None:
    text = make_ticket("W", "K11", 1111)
    assert parse_ticket(text.replace("1", "I")).text == text
    assert parse_ticket(text.replace("1", "l")).text == text


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("C-K07", "too_short"),
        ("C-K07-0042-X!", "bad_character"),
        ("C-K07-0042-✓", "bad_character"),
        ("X-K07-0042-5", "kind"),
        ("C-K-0042-5", "kiosk_code"),
        ("C-KIOSK77-0042-5", "kiosk_code"),
        ("C-K07-42-5", "counter"),
        ("C-K07-00042-5", "counter"),
        ("C-K07-00A2-5", "counter"),
        ("C-K07-0042-55", "check"),
        ("C-ABCDEF-X", "shape"),
        ("C-K07-0042-", "check_mismatch"),
        ("C" * 41, "too_long"),
    ],
)
def test_readable_errors(typed: str, code: str) -> None:
    with pytest.raises(TicketFormatError) as caught:
        parse_ticket(typed)
    assert caught.value.code == code
    assert caught.value.zh
    assert str(caught.value) == caught.value.en


def test_wrong_check_character_says_so() -> None:
    text = make_ticket("C", "K07", 42)
    wrong = next(c for c in ALPHABET if c != text[-1])
    with pytest.raises(TicketFormatError, match="check character does not match") as caught:
        parse_ticket(text[:-1] + wrong)
    assert caught.value.zh == "校验位不符，请核对单号。"


# --- error detection ----------------------------------------------------------------------------

TYPABLE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


@given(kinds, kiosk_codes, counters)
@example(TicketKind.COMPLAINT, "K07", 42)
def test_every_single_substitution_is_detected(kind: TicketKind, code: str, counter: int) -> None:
    text = make_ticket(kind, code, counter)
    original = parse_ticket(text)
    for index, char in enumerate(text):
        if char == "-":
            continue
        for other in TYPABLE:
            if other == char:
                continue
            typed = text[:index] + other + text[index + 1 :]
            if fold(other) == char:
                # A look-alike of the printed character is read as that character.
                assert parse_ticket(typed) == original
            else:
                with pytest.raises(TicketFormatError):
                    parse_ticket(typed)


@given(kinds, kiosk_codes, counters, st.sampled_from(["-", " ", ""]))
@example(TicketKind.COMPLAINT, "K07", 42, "-")
def test_every_adjacent_transposition_is_detected(
    kind: TicketKind, code: str, counter: int, separator: str
) -> None:
    text = make_ticket(kind, code, counter)
    original = parse_ticket(text)
    typed_form = text.replace("-", separator)
    for index in range(len(typed_form) - 1):
        first, second = typed_form[index], typed_form[index + 1]
        if first == second:
            continue
        typed = typed_form[:index] + second + first + typed_form[index + 2 :]
        if separator and separator in (first, second):
            # Moving a dash never yields another ticket: the check confirms where fields end.
            with contextlib.suppress(TicketFormatError):
                assert parse_ticket(typed) == original
        elif separator:
            with pytest.raises(TicketFormatError):
                parse_ticket(typed)
        elif _splits(typed) == [len(original.kiosk_code)]:
            # Without separators the check also has to find where the kiosk code ends; when
            # the swap leaves that boundary the only possible one, it is caught as well.
            with pytest.raises(TicketFormatError):
                parse_ticket(typed)


def _splits(compact: str) -> list[int]:
    """The kiosk-code lengths at which a dash-less ticket splits into well-formed fields."""
    middle = compact[1:-1]
    return [
        length
        for length in range(2, 7)
        if middle[length:].isdigit()
        and (len(middle) - length == 4 or (len(middle) - length > 4 and middle[length] != "0"))
    ]


def test_splits_without_dashes_are_told_apart_by_the_check() -> None:
    # "K07" + "0042" and "K0" + "70042" are both well-formed; only one carries the check.
    short, long = make_ticket("C", "K07", 42), make_ticket("C", "K0", 70042)
    assert short.replace("-", "") != long.replace("-", "")
    assert parse_ticket(short.replace("-", "")).kiosk_code == "K07"
    assert parse_ticket(long.replace("-", "")).kiosk_code == "K0"


# --- tracking tokens ------------------------------------------------------------------------------


def test_tracking_token_is_long_url_safe_and_fresh() -> None:
    tokens = {new_tracking_token() for _ in range(100)}
    assert len(tokens) == 100
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", token)


def test_token_hash_is_sha256_hex() -> None:
    assert token_sha256("abc") == hashlib.sha256(b"abc").hexdigest()
    assert token_sha256("abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    assert re.fullmatch(r"[0-9a-f]{64}", token_sha256(new_tracking_token()))


def test_every_status_of_the_protocol_has_words_in_both_languages() -> None:
    from typing import get_args

    from kiosk.domain.tickets import STATUS_NAMES, status_name
    from sync.schemas import TicketStatus

    assert set(STATUS_NAMES) == set(get_args(TicketStatus))
    for status in STATUS_NAMES:
        assert status_name(status).zh
        assert status_name(status).en
    assert len({w.zh for w in STATUS_NAMES.values()}) == len(STATUS_NAMES)  # no two read alike
    assert status_name("on_the_moon").en == "Status updated"
