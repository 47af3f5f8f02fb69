"""Receipts drawn as images: the QR code scans back, Chinese renders, lines fit the paper."""

from __future__ import annotations

import unicodedata

import pytest
import zxingcpp
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageChops

from kiosk.errors import KnownError
from kiosk.printing import image as image_module
from kiosk.printing.errors import FontNotFoundError
from kiosk.printing.image import (
    QR_MIN_MM,
    QR_QUIET_MODULES,
    FontSet,
    Paper,
    ReceiptRenderer,
    qr_matrix,
    qr_module_dots,
    wrap,
)
from kiosk.printing.receipt import QR, Language, Text, layout
from tests.printing.conftest import make_receipt

PAPERS = {58: Paper.for_mm(58), 80: Paper.for_mm(80)}


def ink(image: Image.Image, box: tuple[int, int, int, int] | None = None) -> int:
    """Black pixels in `box` (all of `image` when None)."""
    part = image.crop(box) if box else image
    return part.convert("L").histogram()[0]


def decode(image: Image.Image) -> list[str]:
    return [
        b.text for b in zxingcpp.read_barcodes(image) if b.format == zxingcpp.BarcodeFormat.QRCode
    ]


@pytest.mark.parametrize("mm", [58, 80])
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_qr_code_decodes_to_the_tracking_url(fonts: FontSet, mm: int, language: Language) -> None:
    receipt = make_receipt(language=language)
    rendered = ReceiptRenderer(PAPERS[mm], fonts).render(layout(receipt))

    assert rendered.image.mode == "1"
    assert rendered.image.width == {58: 384, 80: 576}[mm]
    assert decode(rendered.image) == [receipt.tracking_url]


@pytest.mark.parametrize("mm", [58, 80])
def test_qr_code_is_at_least_25_mm_with_a_quiet_zone_of_4_modules(fonts: FontSet, mm: int) -> None:
    paper = PAPERS[mm]
    receipt = make_receipt()
    rendered = ReceiptRenderer(paper, fonts).render(layout(receipt))
    modules = len(qr_matrix(receipt.tracking_url))
    module = qr_module_dots(modules, paper)

    assert modules * module >= paper.dots(QR_MIN_MM)
    (box,) = rendered.qr_boxes
    left, top, right, bottom = box
    assert right - left == (modules + 2 * QR_QUIET_MODULES) * module
    quiet = QR_QUIET_MODULES * module
    inner = (left + quiet, top + quiet, right - quiet, bottom - quiet)
    assert ink(rendered.image, box) == ink(rendered.image, inner)  # the quiet zone is blank
    # The top-left finder pattern starts exactly inside the quiet zone.
    assert rendered.image.getpixel((inner[0], inner[1])) == 0
    # Nothing drawn next to the code: the rows of the code hold only the code.
    assert ink(rendered.image, (0, top, paper.width_dots, bottom)) == ink(rendered.image, box)


def test_a_url_too_long_for_the_paper_is_refused() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        qr_module_dots(177, Paper(300))


@pytest.mark.parametrize("mm", [58, 80])
def test_chinese_text_is_drawn_where_the_layout_says(fonts: FontSet, mm: int) -> None:
    rendered = ReceiptRenderer(PAPERS[mm], fonts).render(layout(make_receipt()))
    chinese = [t for t in rendered.texts if any("\u4e00" <= c <= "\u9fff" for c in t.text)]

    assert len(chinese) > 10
    for line in chinese:
        assert ink(rendered.image, line.box) > 20 * len(line.text.replace(" ", "")), line.text


def test_chinese_characters_are_real_glyphs_not_boxes(fonts: FontSet) -> None:
    renderer = ReceiptRenderer(PAPERS[58], fonts)
    one = renderer.render([Text("云", "huge")]).image
    other = renderer.render([Text("汇", "huge")]).image
    assert ink(one) > 50
    assert ImageChops.difference(one.convert("L"), other.convert("L")).getbbox() is not None


@pytest.mark.parametrize("mm", [58, 80])
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_wrapped_lines_stay_within_the_paper(fonts: FontSet, mm: int, language: Language) -> None:
    paper = PAPERS[mm]
    renderer = ReceiptRenderer(paper, fonts)
    rendered = renderer.render(layout(make_receipt(language=language)))

    assert any(
        t.text.startswith("请于7天内") or t.text.startswith("Bring the") for t in rendered.texts
    )
    for line in rendered.texts:
        left, _, right, _ = line.box
        assert renderer.margin <= left
        assert right <= paper.width_dots - renderer.margin, line.text
    # No ink in the outer half of either margin.
    edge = renderer.margin // 2
    height = rendered.image.height
    assert ink(rendered.image, (0, 0, edge, height)) == 0
    assert ink(rendered.image, (paper.width_dots - edge, 0, paper.width_dots, height)) == 0


def test_the_ticket_number_is_drawn(fonts: FontSet) -> None:
    receipt = make_receipt()
    renderer = ReceiptRenderer(PAPERS[58], fonts)
    whole = renderer.render(layout(receipt))
    alone = renderer.render([Text(receipt.ticket_no, "huge", bold=True, align="center")])

    (in_receipt,) = [t for t in whole.texts if t.text == receipt.ticket_no]
    (by_itself,) = alone.texts
    assert in_receipt.box[0] == by_itself.box[0]
    drawn = whole.image.crop(in_receipt.box)
    expected = alone.image.crop(by_itself.box)
    assert ink(drawn) > 500
    assert drawn.tobytes() == expected.tobytes()


def test_a_qr_block_alone_renders_and_decodes(fonts: FontSet) -> None:
    url = make_receipt().tracking_url
    rendered = ReceiptRenderer(PAPERS[80], fonts).render([QR(url)])
    assert decode(rendered.image) == [url]


# --- line breaking -------------------------------------------------------------------------------


def columns(text: str) -> float:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def test_chinese_breaks_between_characters_but_not_before_closing_punctuation() -> None:
    lines = wrap("商品：保温杯（黑色，500毫升），购买于3月10日", columns, 10)
    assert "".join(lines) == "商品：保温杯（黑色，500毫升），购买于3月10日"
    assert all(columns(line) <= 10 for line in lines)
    assert not any(line[0] in "，。：）" for line in lines)
    assert not any(line[-1] in "（" for line in lines)


def test_latin_breaks_at_spaces() -> None:
    assert wrap("Bring the item to the desk", columns, 10) == ["Bring the", "item to", "the desk"]


def test_a_word_wider_than_the_line_is_split() -> None:
    assert wrap("Supercalifragilistic", columns, 8) == ["Supercal", "ifragili", "stic"]


def test_mixed_text_and_explicit_newlines() -> None:
    assert wrap("请带上POS小票\nand ID", columns, 8) == ["请带上", "POS小票", "and ID"]
    assert wrap("", columns, 8) == [""]


_TEXT = st.text(
    alphabet=st.sampled_from("商品保温杯黑色购买日 abcdefgXYZ0123456789，。（）“”,.()-"),
    max_size=120,
)


@given(text=_TEXT, width=st.integers(min_value=2, max_value=40))
def test_wrap_fits_every_line_and_loses_nothing(text: str, width: int) -> None:
    lines = wrap(text, columns, width)
    assert all(columns(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(line == line.strip() for line in lines)


# --- fonts and paper -----------------------------------------------------------------------------


def test_paper_widths_in_dots() -> None:
    assert Paper.for_mm(58).width_dots == 384
    assert Paper.for_mm(80).width_dots == 576
    assert Paper.for_mm(80, dpi=180) == Paper(511, 180)
    assert Paper(384).dots(25) == 200
    with pytest.raises(ValueError, match="58 or 80"):
        Paper.for_mm(76)


def test_fontconfig_finds_the_simplified_chinese_face(fonts: FontSet) -> None:
    assert fonts.regular.path.is_file()
    assert fonts.font(24).getname()[0] == "Noto Sans CJK SC"
    assert fonts.font(24, bold=True).getname() == ("Noto Sans CJK SC", "Bold")


def test_without_fontconfig_a_known_font_file_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(image_module.shutil, "which", lambda name: None)
    found = FontSet.find()
    assert found.font(24).getname()[0] == "Noto Sans CJK SC"


def test_no_chinese_font_is_a_known_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(image_module.shutil, "which", lambda name: None)
    monkeypatch.setattr(image_module, "_KNOWN_FONTS", ())
    with pytest.raises(FontNotFoundError, match="fonts-noto-cjk") as caught:
        FontSet.find()
    assert isinstance(caught.value, KnownError)


def test_a_configured_font_path_must_exist() -> None:
    with pytest.raises(FontNotFoundError, match="does not exist"):
        FontSet.find("/nonexistent/font.ttc")
