"""ESC/POS print jobs built with python-escpos, and the printer that sends them.

A job is built whole, as bytes, through python-escpos' Dummy printer (`EscposEncoder`), then
handed to a `Transport` in one write, so a job that cannot be built is never half printed:

- image mode (the default): `ESC @`, the receipt drawn by `kiosk.printing.image` as raster bit
  images (`GS v 0`, in bands of `FRAGMENT_LINES`), a feed and a cut. The QR code travels inside
  the image: many 58 mm printers have no QR command.
- text mode: the printer's own font. Chinese mode (`FS &`) is switched on explicitly and text
  is sent as GB18030, so the bytes do not depend on how the printer was left (python-escpos'
  `text()` picks GB18030 only for chunks with U+4E00–U+9FA5 and assumes Chinese mode is on).
  Only the QR code is an image. Needs a printer with a Chinese (GB18030) font.

`EscposPrinter` puts it together: layout, image (or text), job, and a `Transport`
(kiosk.printing.transports) that carries the job to the printer.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Literal

from PIL import Image

from kiosk.printing._escpos import (
    EscposCollector,
    EscposDevice,
    device_errors,
    escpos_module,
    profile_data,
    receipt_profile,
)
from kiosk.printing.errors import PrinterError
from kiosk.printing.image import BASE_DPI, FontSet, Paper, ReceiptRenderer, qr_image, wrap
from kiosk.printing.printer import (
    BLOCKING_STATES,
    Document,
    PrinterState,
    PrintResult,
    state_message,
)
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
from kiosk.printing.transports import Transport

__all__ = [
    "CHINESE_MODE_OFF",
    "CHINESE_MODE_ON",
    "FRAGMENT_LINES",
    "RASTER_IMAGE",
    "CutMode",
    "EscposEncoder",
    "EscposPrinter",
    "PrintMode",
    "resolve_paper",
]

log = logging.getLogger(__name__)

CutMode = Literal["full", "partial", "none"]
PrintMode = Literal["image", "text"]

RASTER_IMAGE = b"\x1dv0"  # GS v 0
CHINESE_MODE_ON = b"\x1c&"  # FS &
CHINESE_MODE_OFF = b"\x1c."  # FS .
# Raster bands small enough for the input buffer of cheap printers.
FRAGMENT_LINES = 256

_INIT = b"\x1b@"  # ESC @
_ALIGN = {"left": b"\x1ba\x00", "center": b"\x1ba\x01", "right": b"\x1ba\x02"}
_BOLD = {False: b"\x1bE\x00", True: b"\x1bE\x01"}
# GS ! n (character size) and how many columns a character then takes per normal column.
_TEXT_SIZE: dict[TextSize, tuple[bytes, int]] = {
    "small": (b"\x1d!\x00", 1),
    "normal": (b"\x1d!\x00", 1),
    "large": (b"\x1d!\x01", 1),  # double height
    "huge": (b"\x1d!\x11", 2),  # double width and height
}
_TITLE_SIZE = _TEXT_SIZE["huge"]
_FONT_A_DOTS = 12  # width of a column in the printer's 12x24 font
_FEED_LINES = 4  # past the tear bar when there is no cut
_CHECKBOX = "□ "


# --- profiles and paper --------------------------------------------------------------------------


def resolve_paper(profile: str, paper_mm: int, width_dots: int = 0, dpi: int = 0) -> Paper:
    """The printable width and resolution: `width_dots`/`dpi` when set (not 0), else what the
    printer profile says, else 58 mm → 384 and 80 mm → 576 dots at 203 dpi."""
    media = profile_data(profile).get("media", {})
    known_dpi = media.get("dpi")
    known_width = media.get("width", {}).get("pixels")
    dpi = dpi or (known_dpi if isinstance(known_dpi, int) else BASE_DPI)
    if not width_dots:
        if isinstance(known_width, int):
            return Paper(known_width, dpi)
        return Paper.for_mm(paper_mm, dpi)
    if isinstance(known_width, int) and width_dots > known_width:
        raise PrinterError(
            f"The receipt is set {width_dots} dots wide but a {profile} prints {known_width}."
        )
    return Paper(width_dots, dpi)


# --- encoding ------------------------------------------------------------------------------------


class EscposEncoder:
    """Builds whole ESC/POS jobs as bytes for one printer profile and paper."""

    def __init__(
        self,
        profile: str,
        paper: Paper,
        *,
        cut: CutMode = "full",
        fragment_height: int = FRAGMENT_LINES,
    ) -> None:
        self.paper = paper
        self.cut = cut
        self.fragment_height = fragment_height
        self._profile = receipt_profile(profile, paper.width_dots)

    def image_job(self, image: Image.Image) -> bytes:
        """Print `image` (exactly the paper's width) as raster bit images, then feed and cut."""
        if image.width != self.paper.width_dots:
            raise ValueError(f"image is {image.width} dots wide, paper {self.paper.width_dots}")
        printer = self._printer()
        printer._raw(_INIT)
        self._image(printer, image, center=False)
        self._finish(printer)
        return printer.output

    def text_job(self, blocks: Sequence[Block]) -> bytes:
        """Print `blocks` in the printer's font (Chinese mode, GB18030), QR codes as images."""
        columns = self.paper.width_dots // _FONT_A_DOTS
        printer = self._printer()
        out: list[bytes] = [_INIT, CHINESE_MODE_ON]
        for block in blocks:
            match block:
                case Title(text):
                    out += _text_lines(text, columns, _TITLE_SIZE, bold=True, align="center")
                case Text(text, size, bold, align):
                    out += _text_lines(text, columns, _TEXT_SIZE[size], bold=bold, align=align)
                case Rule():
                    out += [_ALIGN["left"], b"-" * columns, b"\n"]
                case QR(url):
                    printer._raw(b"".join(out))
                    out = [_ALIGN["left"]]
                    self._image(printer, qr_image(url, self.paper), center=True)
                case Checklist(title, items):
                    out += _text_lines(title, columns, _TEXT_SIZE["normal"], bold=True)
                    indent = " " * _columns(_CHECKBOX)
                    for item in items:
                        width = columns - len(indent)
                        lines = wrap(item.text, _columns, width)
                        if item.translation:
                            lines += wrap(item.translation, _columns, width)
                        for number, line in enumerate(lines):
                            out += [(_CHECKBOX if number == 0 else indent).encode("gb18030")]
                            out += [line.encode("gb18030"), b"\n"]
                case Spacer(mm):
                    out.append(b"\x1bJ" + bytes((min(255, self.paper.dots(mm)),)))
        out += [_ALIGN["left"], _TEXT_SIZE["normal"][0], _BOLD[False], CHINESE_MODE_OFF]
        printer._raw(b"".join(out))
        self._finish(printer)
        return printer.output

    def _printer(self) -> EscposCollector:
        printer: EscposCollector = escpos_module("printer").Dummy(profile=self._profile)
        return printer

    def _image(self, printer: EscposDevice, image: Image.Image, *, center: bool) -> None:
        try:
            printer.image(
                image,
                impl="bitImageRaster",
                fragment_height=self.fragment_height,
                center=center,
            )
        except device_errors() as err:  # ImageWidthError: a profile narrower than the image
            raise PrinterError(f"The receipt image does not fit the printer: {err}") from err

    def _finish(self, printer: EscposDevice) -> None:
        if self.cut == "none":
            printer.print_and_feed(_FEED_LINES)
        else:
            # python-escpos feeds first, then cuts if the profile says the printer can.
            printer.cut("FULL" if self.cut == "full" else "PART")


def _columns(text: str) -> int:
    """Columns in the printer's font: in Chinese mode every non-ASCII character is double."""
    return sum(1 if ord(char) < 0x80 else 2 for char in text)


def _text_lines(
    text: str, columns: int, size: tuple[bytes, int], *, bold: bool = False, align: str = "left"
) -> list[bytes]:
    command, factor = size
    out = [_ALIGN[align], command, _BOLD[bold]]
    for line in wrap(text, _columns, columns // factor):
        out += [line.encode("gb18030"), b"\n"]
    return [*out, _TEXT_SIZE["normal"][0], _BOLD[False]]


# --- the printer ---------------------------------------------------------------------------------


class EscposPrinter:
    """A receipt printer spoken to in ESC/POS: layout, image (or text), bytes, transport.

    The profile, paper and font are looked up on first use. Before sending, the printer is asked
    how it is (`check_status`); one that reports no paper, an open cover or offline gets
    nothing (PrinterError), one that does not answer gets the job.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        backend: str,
        profile: str = "default",
        paper_mm: int = 80,
        width_dots: int = 0,
        dpi: int = 0,
        mode: PrintMode = "image",
        cut: CutMode = "full",
        check_status: bool = True,
        fonts: FontSet | None = None,
        font_path: str = "",
    ) -> None:
        self.transport = transport
        self.backend = backend
        self.mode = mode
        self.check_status = check_status
        self._paper_settings = (profile, paper_mm, width_dots, dpi)
        self._cut: CutMode = cut
        self._fonts = fonts
        self._font_path = font_path
        self._encoder: EscposEncoder | None = None
        self._renderer: ReceiptRenderer | None = None
        # One job or status query at a time on the connection.
        self._lock = threading.Lock()

    def encode(self, receipt: Document) -> bytes:
        """The whole ESC/POS job for `receipt`."""
        encoder = self._get_encoder()
        blocks = receipt.blocks()
        if self.mode == "text":
            return encoder.text_job(blocks)
        return encoder.image_job(self._get_renderer().render(blocks).image)

    def print_receipt(self, receipt: Document) -> PrintResult:
        with self._lock:
            job = self.encode(receipt)
            if self.check_status:
                probe = self.transport.probe()
                if probe.state in BLOCKING_STATES:
                    description = self.transport.description
                    raise PrinterError(probe.reason or state_message(probe.state, description))
            self.transport.send(job)
        return PrintResult(receipt.ticket_no, self.backend, len(job))

    def status(self) -> PrinterState:
        with self._lock:
            probe = self.transport.probe()
        if probe.reason:
            log.info("receipt printer: %s", probe.reason)
        return probe.state

    def _get_encoder(self) -> EscposEncoder:
        if self._encoder is None:
            profile, paper_mm, width_dots, dpi = self._paper_settings
            paper = resolve_paper(profile, paper_mm, width_dots, dpi)
            self._encoder = EscposEncoder(profile, paper, cut=self._cut)
        return self._encoder

    def _get_renderer(self) -> ReceiptRenderer:
        if self._renderer is None:
            fonts = self._fonts or FontSet.find(self._font_path)
            self._renderer = ReceiptRenderer(self._get_encoder().paper, fonts)
        return self._renderer
