"""Receipt blocks drawn as a 1-bit image exactly as wide as the paper, in printer dots.

Thermal printers print 203 dots per inch (8 per mm): 58 mm paper has 384 printable dots, 80 mm
paper 576 (`Paper`). Text is drawn with a Chinese font found by fontconfig (`FontSet.find`) and
wrapped by measured width: Chinese may break between any two characters, Latin text at spaces,
and no line starts with closing punctuation or ends with opening punctuation. The QR code is
drawn module by module at a whole number of dots per module, at least 25 mm wide, with a quiet
zone of four modules; it is never resampled, so it scans.

The image is drawn in greyscale and then thresholded to mode "1" (black = ink), which a printer
prints without dithering.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont
from qrcode.constants import ERROR_CORRECT_M
from qrcode.exceptions import DataOverflowError
from qrcode.image.pil import PilImage

from kiosk.printing.errors import FontNotFoundError
from kiosk.printing.receipt import (
    QR,
    Block,
    Checklist,
    Rule,
    Spacer,
    Text,
    TextSize,
    Title,
)

__all__ = [
    "BASE_DPI",
    "PAPER_DOTS",
    "QR_MIN_MM",
    "QR_QUIET_MODULES",
    "DrawnText",
    "FontFace",
    "FontSet",
    "Paper",
    "ReceiptRenderer",
    "RenderedReceipt",
    "qr_image",
    "qr_matrix",
    "qr_module_dots",
    "text_pixels",
    "wrap",
]

BASE_DPI = 203
PAPER_DOTS = {58: 384, 80: 576}
QR_MIN_MM = 25.0
QR_QUIET_MODULES = 4
# A QR module narrower than this many dots blurs on a thermal head.
_QR_MIN_MODULE_DOTS = 2

# Character heights in dots at 203 dpi; "normal" is a thermal printer's own 12x24 font.
_SIZES: dict[TextSize, int] = {"small": 20, "normal": 24, "large": 32, "huge": 44}
_TITLE_SIZE = 40
_LINE_HEIGHT = 1.3  # of the character height
_BASELINE = 1.0  # of the character height, below the top of the line

# Line breaking (a small part of UAX #14 and the Chinese rules for punctuation).
_NO_START = frozenset("，。、；：！？）」』】〉》〕］｝”’…—～·,.;:!?)]}%‰°")
_NO_END = frozenset("（「『【〈《〔［｛“‘([{")

# Where distributions put a Chinese font when fontconfig cannot say (regular, bold).
_KNOWN_FONTS: tuple[tuple[str, str], ...] = (
    # Debian and Ubuntu: fonts-noto-cjk
    (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    ),
    # Arch: noto-fonts-cjk
    (
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
    ),
    # Fedora: google-noto-sans-cjk-fonts
    (
        "/usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Regular.ttc",
        "/usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Bold.ttc",
    ),
    # Debian: fonts-wqy-microhei, fonts-wqy-zenhei
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", ""),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", ""),
    # Windows: Microsoft YaHei
    ("C:/Windows/Fonts/msyh.ttc", "C:/Windows/Fonts/msyhbd.ttc"),
)
_FC_PATTERN = "Noto Sans CJK SC:lang=zh-cn"
_FC_BOLD_PATTERN = "Noto Sans CJK SC:lang=zh-cn:weight=bold"

Box = tuple[int, int, int, int]


@dataclass(frozen=True, slots=True)
class Paper:
    """The printable width in dots and the printer's resolution."""

    width_dots: int
    dpi: int = BASE_DPI

    @classmethod
    def for_mm(cls, paper_mm: int, dpi: int = BASE_DPI) -> Paper:
        """58 or 80 mm paper at 203 dpi: 384 or 576 dots (scaled for another resolution)."""
        if paper_mm not in PAPER_DOTS:
            raise ValueError(f"paper must be 58 or 80 mm wide, not {paper_mm}")
        return cls(round(PAPER_DOTS[paper_mm] * dpi / BASE_DPI), dpi)

    def dots(self, mm: float) -> int:
        return round(mm * self.dpi / 25.4)


# --- fonts ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FontFace:
    """A font file and the face to use in it (a .ttc holds several)."""

    path: Path
    index: int = 0


class FontSet:
    """The receipt font, regular and bold, loaded per pixel size on first use.

    Build one with `FontSet.find()` in the composition root and share it: loading a face and
    measuring characters is cached here. FreeType faces are not thread-safe: use a FontSet from
    one thread at a time (each printer draws under its own lock).
    """

    def __init__(self, regular: FontFace, bold: FontFace | None = None) -> None:
        self.regular = regular
        self.bold = bold or regular
        self._fonts: dict[tuple[int, bool], ImageFont.FreeTypeFont] = {}
        self._widths: dict[tuple[int, bool], dict[str, float]] = {}

    @classmethod
    def find(cls, path: str = "") -> FontSet:
        """The font at `path`, else fontconfig's Noto Sans CJK SC, else a known font file.

        Raises FontNotFoundError when there is no font with Chinese glyphs.
        """
        if path:
            if not Path(path).is_file():
                raise FontNotFoundError(f"The receipt font {path} does not exist.")
            return cls(_sc_face(Path(path)))
        regular = _fc_match(_FC_PATTERN)
        if regular is not None:
            return cls(regular, _fc_match(_FC_BOLD_PATTERN))
        for regular_path, bold_path in _KNOWN_FONTS:
            if Path(regular_path).is_file():
                bold = (
                    _sc_face(Path(bold_path)) if bold_path and Path(bold_path).is_file() else None
                )
                return cls(_sc_face(Path(regular_path)), bold)
        raise FontNotFoundError(
            "No Chinese font for receipts: install fonts-noto-cjk (Debian, Ubuntu), "
            "noto-fonts-cjk (Arch) or google-noto-sans-cjk-fonts (Fedora), "
            "or set printer.font_path."
        )

    def font(self, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
        key = (size, bold)
        font = self._fonts.get(key)
        if font is None:
            face = self.bold if bold else self.regular
            try:
                # Basic layout: no shaping is needed for Chinese and Latin, advances add up
                # (so widths can be cached per character; pair kerning, in a font that has it,
                # only narrows a line) and output does not depend on the libraqm version.
                font = ImageFont.truetype(
                    str(face.path), size, index=face.index, layout_engine=ImageFont.Layout.BASIC
                )
            except OSError as err:
                raise FontNotFoundError(f"Cannot load the receipt font {face.path}: {err}") from err
            self._fonts[key] = font
        return font

    def measure(self, text: str, size: int, bold: bool = False) -> float:
        """Advance width of `text` in dots."""
        widths = self._widths.setdefault((size, bold), {})
        total = 0.0
        for char in text:
            width = widths.get(char)
            if width is None:
                width = widths[char] = self.font(size, bold).getlength(char)
            total += width
        return total


def _fc_match(pattern: str) -> FontFace | None:
    """fontconfig's best match for `pattern`, if it is a font with Chinese glyphs."""
    exe = shutil.which("fc-match")
    if exe is None:
        return None
    try:
        done = subprocess.run(
            [exe, "--format=%{file}\n%{index}\n%{lang}", pattern],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    file, index, langs = [*done.stdout.split("\n"), "", "", ""][:3]
    # fc-match always answers; with no Chinese font installed the answer cannot write Chinese.
    if not file or "zh-cn" not in langs.split("|") or not Path(file).is_file():
        return None
    return FontFace(Path(file), int(index) if index.isdigit() else 0)


def _sc_face(path: Path) -> FontFace:
    """The Simplified Chinese face of a font collection (Noto's .ttc holds JP, KR, SC, TC…)."""
    if path.suffix.lower() != ".ttc":
        return FontFace(path)
    for index in range(16):
        try:
            family = ImageFont.truetype(str(path), 12, index=index).getname()[0] or ""
        except OSError:
            break
        if family.endswith((" SC", " GB")):
            return FontFace(path, index)
    return FontFace(path)


def text_pixels(size: TextSize, paper: Paper) -> int:
    """Character height in dots for a text size on this paper's printer."""
    return round(_SIZES[size] * paper.dpi / BASE_DPI)


# --- line breaking -------------------------------------------------------------------------------


def wrap(text: str, measure: Callable[[str], float], width: float) -> list[str]:
    """Break `text` into lines no wider than `width` (a word wider than that is split).

    Chinese (any wide character) may break between characters, other text at spaces; a line
    never starts with closing punctuation nor ends with opening punctuation. "\\n" starts a new
    line; runs of spaces count as one.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _tokens(paragraph):
            if token == " ":
                if line and not line.endswith(" "):
                    line += " "
                continue
            if measure(line + token) <= width:
                line += token
                continue
            if line.strip():
                lines.append(line.rstrip())
            rest = token
            while len(rest) > 1 and measure(rest) > width:
                cut = _fitting_prefix(rest, measure, width)
                lines.append(rest[:cut])
                rest = rest[cut:]
            line = rest
        lines.append(line.rstrip())
    return lines


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def _tokens(paragraph: str) -> list[str]:
    """Unbreakable pieces: a wide character, a run of other non-space characters, or " "."""
    raw: list[str] = []
    word = ""
    for char in paragraph:
        if char.isspace() or _is_wide(char):
            if word:
                raw.append(word)
                word = ""
            if not char.isspace():
                raw.append(char)
            elif raw and raw[-1] != " ":
                raw.append(" ")
        else:
            word += char
    if word:
        raw.append(word)
    tokens: list[str] = []
    for token in raw:
        glue = (
            tokens
            and token != " "
            and tokens[-1] != " "
            and (token[0] in _NO_START or tokens[-1][-1] in _NO_END)
        )
        if glue:
            tokens[-1] += token
        else:
            tokens.append(token)
    return tokens


def _fitting_prefix(token: str, measure: Callable[[str], float], width: float) -> int:
    """How many leading characters of `token` fit in `width` (at least one)."""
    total = 0.0
    for count, char in enumerate(token):
        total += measure(char)
        if total > width:
            return max(count, 1)
    return len(token)


# --- QR codes ------------------------------------------------------------------------------------


def qr_matrix(url: str) -> list[list[bool]]:
    """The modules of the smallest QR code holding `url` at error correction M (no border)."""
    qr: qrcode.QRCode[PilImage] = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M, box_size=1, border=0, image_factory=PilImage
    )
    qr.add_data(url)
    try:
        qr.make(fit=True)
    # qrcode 8 reports some overflows as an invalid version 41 (a ValueError).
    except (DataOverflowError, ValueError) as err:
        raise ValueError(f"{len(url)} characters do not fit in a QR code") from err
    matrix: list[list[bool]] = qr.get_matrix()
    return matrix


def qr_module_dots(modules: int, paper: Paper) -> int:
    """Dots per module: the symbol at least QR_MIN_MM wide, symbol and quiet zone on the paper."""
    wanted = math.ceil(paper.dots(QR_MIN_MM) / modules)
    fits = paper.width_dots // (modules + 2 * QR_QUIET_MODULES)
    module = min(wanted, fits)
    if module < _QR_MIN_MODULE_DOTS:
        raise ValueError(f"a QR code of {modules} modules does not fit {paper.width_dots} dots")
    return module


def qr_image(url: str, paper: Paper) -> Image.Image:
    """The QR code of `url` with its quiet zone, mode "L" (0 = dark), sized for `paper`."""
    matrix = qr_matrix(url)
    modules = len(matrix)
    module = qr_module_dots(modules, paper)
    quiet = QR_QUIET_MODULES
    side = modules + 2 * quiet
    data = bytearray(b"\xff" * side * side)
    for row, values in enumerate(matrix):
        start = (row + quiet) * side + quiet
        data[start : start + modules] = bytes(0 if dark else 255 for dark in values)
    small = Image.frombytes("L", (side, side), bytes(data))
    return small.resize((side * module, side * module), Image.Resampling.NEAREST)


# --- drawing -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DrawnText:
    """A line of text as drawn: its line box (left, top, right, bottom) in dots."""

    text: str
    box: Box
    size: int
    bold: bool


@dataclass(frozen=True, slots=True)
class RenderedReceipt:
    """The image (mode "1", `paper.width_dots` wide), with where each text line and QR code is."""

    image: Image.Image
    texts: tuple[DrawnText, ...]
    qr_boxes: tuple[Box, ...]


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    x: int
    top: int
    size: int
    bold: bool
    width: int


@dataclass(frozen=True, slots=True)
class _Rect:
    box: Box
    outline: int  # 0 = filled


@dataclass(frozen=True, slots=True)
class _Picture:
    image: Image.Image
    x: int
    y: int


class ReceiptRenderer:
    """Draws receipt blocks for one paper width.

    Attributes: `paper`, `fonts`, `margin` (dots left and right of the text).
    """

    def __init__(self, paper: Paper, fonts: FontSet, *, margin_mm: float = 1.5) -> None:
        self.paper = paper
        self.fonts = fonts
        self.margin = paper.dots(margin_mm)
        self.content_width = paper.width_dots - 2 * self.margin

    def render(self, blocks: Sequence[Block]) -> RenderedReceipt:
        lines: list[_Line] = []
        rects: list[_Rect] = []
        pictures: list[_Picture] = []
        y = self.paper.dots(2)
        for block in blocks:
            match block:
                case Title(text):
                    y = self._text(
                        lines, text, size=self._px(_TITLE_SIZE), bold=True, align="center", y=y
                    )
                case Text(text, size, bold, align):
                    size_px = text_pixels(size, self.paper)
                    y = self._text(lines, text, size=size_px, bold=bold, align=align, y=y)
                case Rule():
                    y = self._rule(rects, y)
                case QR(url):
                    symbol = qr_image(url, self.paper)
                    x = (self.paper.width_dots - symbol.width) // 2
                    pictures.append(_Picture(symbol, x, y))
                    y += symbol.height
                case Checklist():
                    y = self._checklist(lines, rects, block, y)
                case Spacer(mm):
                    y += self.paper.dots(mm)
        height = y + self.paper.dots(2)

        canvas = Image.new("L", (self.paper.width_dots, height), 255)
        draw = ImageDraw.Draw(canvas)
        for picture in pictures:
            canvas.paste(picture.image, (picture.x, picture.y))
        for rect in rects:
            if rect.outline:
                draw.rectangle(rect.box, outline=0, width=rect.outline)
            else:
                draw.rectangle(rect.box, fill=0)
        drawn = []
        for line in lines:
            baseline = line.top + round(line.size * _BASELINE)
            font = self.fonts.font(line.size, line.bold)
            draw.text((line.x, baseline), line.text, font=font, fill=0, anchor="ls")
            box = (line.x, line.top, line.x + line.width, line.top + self._line_height(line.size))
            drawn.append(DrawnText(line.text, box, line.size, line.bold))
        image = canvas.point(_THRESHOLD, "1")
        boxes = tuple((p.x, p.y, p.x + p.image.width, p.y + p.image.height) for p in pictures)
        return RenderedReceipt(image, tuple(drawn), boxes)

    def wrap(self, text: str, size: int, bold: bool, width: int) -> list[str]:
        return wrap(text, lambda s: self.fonts.measure(s, size, bold), width)

    def _px(self, dots_at_203: int) -> int:
        return round(dots_at_203 * self.paper.dpi / BASE_DPI)

    @staticmethod
    def _line_height(size: int) -> int:
        return round(size * _LINE_HEIGHT)

    def _text(
        self,
        out: list[_Line],
        text: str,
        *,
        size: int,
        bold: bool,
        y: int,
        align: str = "left",
        indent: int = 0,
    ) -> int:
        left = self.margin + indent
        width = self.content_width - indent
        for line in self.wrap(text, size, bold, width):
            measured = math.ceil(self.fonts.measure(line, size, bold))
            x = left
            if align == "center":
                x = left + (width - measured) // 2
            elif align == "right":
                x = left + width - measured
            out.append(_Line(line, x, y, size, bold, measured))
            y += self._line_height(size)
        return y

    def _rule(self, out: list[_Rect], y: int) -> int:
        gap = self.paper.dots(1.5)
        thickness = 2
        dash, space = self.paper.dots(1), self.paper.dots(0.5)
        top = y + gap
        for x in range(self.margin, self.paper.width_dots - self.margin, dash + space):
            right = min(x + dash, self.paper.width_dots - self.margin) - 1
            out.append(_Rect((x, top, right, top + thickness - 1), 0))
        return top + thickness + gap

    def _checklist(self, lines: list[_Line], rects: list[_Rect], block: Checklist, y: int) -> int:
        normal = text_pixels("normal", self.paper)
        small = text_pixels("small", self.paper)
        y = self._text(lines, block.title, size=normal, bold=True, y=y)
        side = round(normal * 0.75)
        indent = side + round(normal * 0.5)
        for item in block.items:
            box_top = y + round(normal * _BASELINE) - side
            rects.append(_Rect((self.margin, box_top, self.margin + side, box_top + side), 2))
            y = self._text(lines, item.text, size=normal, bold=False, y=y, indent=indent)
            if item.translation:
                y = self._text(lines, item.translation, size=small, bold=False, y=y, indent=indent)
            y += self.paper.dots(1)
        return y


# Greyscale to 1 bit: anti-aliased edges darker than mid-grey become ink.
_THRESHOLD = [0] * 128 + [255] * 128
