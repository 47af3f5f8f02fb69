"""ESC/POS print jobs built with python-escpos, and the connections that carry them.

A job is built whole, as bytes, through python-escpos' Dummy printer (`EscposEncoder`), then
handed to a `Transport` in one write, so a job that cannot be built is never half printed:

- image mode (the default): `ESC @`, the receipt drawn by `kiosk.printing.image` as raster bit
  images (`GS v 0`, in bands of `FRAGMENT_LINES`), a feed and a cut. The QR code travels inside
  the image: many 58 mm printers have no QR command.
- text mode: the printer's own font. Chinese mode (`FS &`) is switched on explicitly and text
  is sent as GB18030, so the bytes do not depend on how the printer was left (python-escpos'
  `text()` picks GB18030 only for chunks with U+4E00–U+9FA5 and assumes Chinese mode is on).
  Only the QR code is an image. Needs a printer with a Chinese (GB18030) font.

Transports, each opened for one job or status query and closed again (a re-plugged or restarted
printer is found next time): python-escpos' File, Usb and Serial printers; a plain TCP socket
for network printers (`NetworkTransport`); CUPS through `lp -o raw` (python-escpos' LP class
ignores lp's exit status, its CupsPrinter needs pycups); and `DummyTransport`, which keeps jobs
in memory. Status is asked with DLE EOT 1, 2 and 4 (`state_from_status`); a printer that does
not answer is "unknown", never "paper present" as python-escpos' paper_status() would say.

python-escpos is imported on first use: the import parses its printer database (about 0.2 s)
and calls logging.basicConfig(), which should happen after the kiosk has set up its logging.
"""

from __future__ import annotations

import copy
import difflib
import importlib
import logging
import shutil
import socket
import subprocess
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, cast

from PIL import Image

from kiosk.printing.errors import PrinterError
from kiosk.printing.image import BASE_DPI, FontSet, Paper, ReceiptRenderer, qr_image, wrap
from kiosk.printing.printer import BLOCKING_STATES, PrinterState, PrintResult, state_message
from kiosk.printing.receipt import (
    QR,
    Block,
    Checklist,
    Receipt,
    Rule,
    Spacer,
    Text,
    TextSize,
    Title,
    layout,
)

__all__ = [
    "CHINESE_MODE_OFF",
    "CHINESE_MODE_ON",
    "FRAGMENT_LINES",
    "RASTER_IMAGE",
    "STATUS_OFFLINE_CAUSE",
    "STATUS_PAPER",
    "STATUS_PRINTER",
    "CutMode",
    "DummyTransport",
    "EscposEncoder",
    "EscposPrinter",
    "EscposTransport",
    "LpTransport",
    "NetworkTransport",
    "PrintMode",
    "Probe",
    "Transport",
    "file_transport",
    "network_transport",
    "profile_names",
    "resolve_paper",
    "serial_transport",
    "state_from_status",
    "usb_transport",
]

log = logging.getLogger(__name__)

CutMode = Literal["full", "partial", "none"]
PrintMode = Literal["image", "text"]

RASTER_IMAGE = b"\x1dv0"  # GS v 0
CHINESE_MODE_ON = b"\x1c&"  # FS &
CHINESE_MODE_OFF = b"\x1c."  # FS .
# Real-time status requests (DLE EOT n); each is answered with one byte.
STATUS_PRINTER = b"\x10\x04\x01"
STATUS_OFFLINE_CAUSE = b"\x10\x04\x02"
STATUS_PAPER = b"\x10\x04\x04"
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


def _escpos(module: str) -> Any:
    """A python-escpos module, imported on first use (see the module docstring)."""
    return importlib.import_module(f"escpos.{module}")


class _Device(Protocol):
    """The part of a python-escpos printer object used here (python-escpos has no type hints)."""

    def open(self) -> None: ...

    def close(self) -> None: ...

    def _raw(self, msg: bytes) -> None: ...

    def query_status(self, mode: bytes) -> bytes: ...

    def image(
        self, img_source: Image.Image, *, impl: str, fragment_height: int, center: bool
    ) -> None: ...

    def cut(self, mode: str) -> None: ...

    def print_and_feed(self, n: int) -> None: ...


class _Collector(_Device, Protocol):
    @property
    def output(self) -> bytes: ...


def _device_errors() -> tuple[type[Exception], ...]:
    """What a python-escpos device raises for a machine problem (pyusb's and pyserial's errors
    are OSErrors too)."""
    return (OSError, cast(type[Exception], _escpos("exceptions").Error))


# --- profiles and paper --------------------------------------------------------------------------


def profile_names() -> list[str]:
    """The printer profiles python-escpos knows (its printer database)."""
    return sorted(_escpos("capabilities").CAPABILITIES["profiles"])


def _profile_data(name: str) -> dict[str, Any]:
    profiles: dict[str, Any] = _escpos("capabilities").CAPABILITIES["profiles"]
    if name not in profiles:
        close = difflib.get_close_matches(name, list(profiles), n=3)
        hint = f"did you mean {', '.join(close)}?" if close else "see python-escpos' profiles"
        raise PrinterError(f'Unknown receipt printer profile "{name}" ({hint}).')
    data: dict[str, Any] = profiles[name]
    return data


def resolve_paper(profile: str, paper_mm: int, width_dots: int = 0, dpi: int = 0) -> Paper:
    """The printable width and resolution: `width_dots`/`dpi` when set (not 0), else what the
    printer profile says, else 58 mm → 384 and 80 mm → 576 dots at 203 dpi."""
    media = _profile_data(profile).get("media", {})
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


def _profile(name: str, paper: Paper) -> Any:
    """The python-escpos profile `name`, with its media width set to the paper's dots (so that
    an image is checked against, and centred on, the real paper)."""
    capabilities = _escpos("capabilities")
    data = copy.deepcopy(_profile_data(name))
    data.setdefault("media", {}).setdefault("width", {})["pixels"] = paper.width_dots
    profile_class = type("ReceiptProfile", (capabilities.Profile,), {"profile_data": data})
    return profile_class(features=dict(data.get("features", {})))


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
        self._profile = _profile(profile, paper)

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

    def _printer(self) -> _Collector:
        printer: _Collector = _escpos("printer").Dummy(profile=self._profile)
        return printer

    def _image(self, printer: _Device, image: Image.Image, *, center: bool) -> None:
        try:
            printer.image(
                image,
                impl="bitImageRaster",
                fragment_height=self.fragment_height,
                center=center,
            )
        except _device_errors() as err:  # ImageWidthError: a profile narrower than the image
            raise PrinterError(f"The receipt image does not fit the printer: {err}") from err

    def _finish(self, printer: _Device) -> None:
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


# --- transports ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Probe:
    """A printer's state, and why when it could not be asked (for the error message)."""

    state: PrinterState
    reason: str = ""


class Transport(Protocol):
    """Carries finished jobs to a printer and asks it how it is."""

    @property
    def description(self) -> str:
        """The printer in words, for messages ("network printer 10.0.0.7:9100")."""
        ...

    def send(self, job: bytes) -> None:
        """Deliver one whole job, or raise PrinterError."""
        ...

    def probe(self) -> Probe:
        """Ask the printer how it is; never raises PrinterError."""
        ...


def state_from_status(printer: bytes, offline_cause: bytes, paper: bytes) -> PrinterState:
    """The state from the answers to STATUS_PRINTER, STATUS_OFFLINE_CAUSE and STATUS_PAPER
    (b"" where the printer did not answer).

    No answer to the paper request means "unknown": python-escpos' paper_status() reports
    paper present then.
    """
    status, cause, roll = (_status_byte(r) for r in (printer, offline_cause, paper))
    if status is None:
        return "unknown"
    if cause is not None and cause & 0x04:  # cover open
        return "cover_open"
    if (roll is not None and roll & 0x60) or (cause is not None and cause & 0x20):
        return "paper_out"
    if status & 0x08 or (cause is not None and cause & 0x40):  # offline, or an error
        return "offline"
    return "unknown" if roll is None else "ok"


def _status_byte(reply: bytes) -> int | None:
    """The status byte, if `reply` ends with one (bits 1 and 4 set, bits 0 and 7 clear)."""
    if not reply:
        return None
    value = reply[-1]
    return value if value & 0x93 == 0x12 else None


class EscposTransport:
    """A python-escpos printer class as a connection, opened for each job or status query."""

    def __init__(
        self, description: str, make_device: Callable[[], _Device], *, can_read: bool
    ) -> None:
        self._description = description
        self._make_device = make_device
        self.can_read = can_read

    @property
    def description(self) -> str:
        return self._description

    def send(self, job: bytes) -> None:
        device = self._open()
        try:
            device._raw(job)
        except _device_errors() as err:
            raise PrinterError(
                f"Printing on the receipt printer ({self._description}) failed: {_reason(err)}."
            ) from err
        finally:
            self._close(device)

    def probe(self) -> Probe:
        if not self.can_read:
            return Probe("unknown")
        try:
            device = self._open()
        except PrinterError as err:
            return Probe("offline", str(err))
        replies: list[bytes] = []
        no_answer: tuple[type[Exception], ...] = (NotImplementedError, *_device_errors())
        try:
            for request in (STATUS_PRINTER, STATUS_OFFLINE_CAUSE, STATUS_PAPER):
                try:
                    reply = bytes(device.query_status(request))
                except no_answer:
                    reply = b""
                if not reply:
                    break  # a printer that does not answer costs one timeout, not three
                replies.append(reply)
        finally:
            self._close(device)
        replies += [b""] * (3 - len(replies))
        return Probe(state_from_status(*replies))

    def _open(self) -> _Device:
        try:
            device = self._make_device()
            device.open()
        except _device_errors() as err:
            raise PrinterError(
                f"The receipt printer ({self._description}) cannot be reached: {_reason(err)}."
            ) from err
        return device

    def _close(self, device: _Device) -> None:
        try:
            device.close()
        except _device_errors() as err:
            log.warning("closing the receipt printer (%s): %s", self._description, err)


def _reason(err: BaseException) -> str:
    """The most useful words about a failure: the OS's reason, else python-escpos' message."""
    cause: BaseException | None = err
    while cause is not None:
        if isinstance(cause, TimeoutError):
            return "it did not answer in time"
        if isinstance(cause, OSError) and cause.strerror:
            return cause.strerror
        cause = cause.__cause__ or cause.__context__
    text = getattr(err, "msg", "") or str(err)
    return " ".join(str(text).split()) or type(err).__name__


def file_transport(path: str) -> EscposTransport:
    """Write jobs to a file or a device node (/dev/usb/lp0: the usblp driver)."""
    return EscposTransport(
        f"file {path}", lambda: _escpos("printer").File(devfile=path), can_read=False
    )


def network_transport(host: str, port: int = 9100, timeout_s: float = 3.0) -> NetworkTransport:
    """A printer listening for raw jobs on TCP (usually port 9100)."""
    return NetworkTransport(host, port, timeout_s)


def usb_transport(
    vendor_id: int,
    product_id: int,
    *,
    in_ep: int = 0x82,
    out_ep: int = 0x01,
    timeout_s: float = 3.0,
) -> EscposTransport:
    """A USB printer by its ids, through pyusb (needs python-escpos[usb] and a udev rule)."""

    def make() -> _Device:
        module = _escpos("printer")
        if not module.Usb.is_usable():
            raise PrinterError("USB receipt printing needs pyusb: install python-escpos[usb].")
        device: _Device = module.Usb(
            idVendor=vendor_id,
            idProduct=product_id,
            timeout=round(timeout_s * 1000),  # pyusb counts milliseconds
            in_ep=in_ep,
            out_ep=out_ep,
        )
        return device

    return EscposTransport(f"USB printer {vendor_id:04x}:{product_id:04x}", make, can_read=True)


def serial_transport(port: str, baudrate: int = 9600, timeout_s: float = 3.0) -> EscposTransport:
    """A printer on a serial port (needs python-escpos[serial])."""

    def make() -> _Device:
        module = _escpos("printer")
        if not module.Serial.is_usable():
            raise PrinterError(
                "Serial receipt printing needs pyserial: install python-escpos[serial]."
            )
        device: _Device = module.Serial(devfile=port, baudrate=baudrate, timeout=timeout_s)
        return device

    return EscposTransport(f"serial printer {port}", make, can_read=True)


class NetworkTransport:
    """A printer taking raw jobs on TCP, over a plain socket per job or status query.

    (python-escpos' Network printer leaves its socket open when it cannot connect, which leaks
    a file descriptor, with a ResourceWarning, on every retry against a printer that is off.)
    """

    def __init__(self, host: str, port: int = 9100, timeout_s: float = 3.0) -> None:
        self.host = host
        self.port = port
        self.timeout_s = timeout_s

    @property
    def description(self) -> str:
        return f"network printer {self.host}:{self.port}"

    def send(self, job: bytes) -> None:
        with self._connect() as connection:
            try:
                connection.sendall(job)
                # Close only once the printer has everything: a close with unread status bytes
                # from the printer would reset the connection and could drop the job's tail.
                connection.shutdown(socket.SHUT_WR)
            except OSError as err:
                raise PrinterError(
                    f"Printing on the receipt printer ({self.description}) failed: {_reason(err)}."
                ) from err
            _drain(connection, min(self.timeout_s, 1.0))

    def probe(self) -> Probe:
        try:
            connection = self._connect()
        except PrinterError as err:
            return Probe("offline", str(err))
        replies: list[bytes] = []
        with connection:
            for request in (STATUS_PRINTER, STATUS_OFFLINE_CAUSE, STATUS_PAPER):
                try:
                    connection.sendall(request)
                    reply = connection.recv(16)
                except OSError:
                    reply = b""
                if not reply:
                    break  # a printer that does not answer costs one timeout, not three
                replies.append(reply)
        replies += [b""] * (3 - len(replies))
        return Probe(state_from_status(*replies))

    def _connect(self) -> socket.socket:
        try:
            return socket.create_connection((self.host, self.port), timeout=self.timeout_s)
        except OSError as err:
            raise PrinterError(
                f"The receipt printer ({self.description}) cannot be reached: {_reason(err)}."
            ) from err


def _drain(connection: socket.socket, timeout_s: float) -> None:
    """Read until the peer closes or `timeout_s` passes; what it says is of no interest."""
    connection.settimeout(timeout_s)
    try:
        while connection.recv(4096):
            pass
    except OSError:
        pass


class LpTransport:
    """A CUPS queue, printed to with `lp -o raw` (the lp command: Debian's cups-client).

    CUPS cannot report paper or cover, so the best status is "unknown" (or "offline" for a
    missing or disabled queue).
    """

    def __init__(self, printer_name: str = "", timeout_s: float = 30.0) -> None:
        self.printer_name = printer_name
        self.timeout_s = timeout_s

    @property
    def description(self) -> str:
        return f"CUPS printer {self.printer_name}" if self.printer_name else "default CUPS printer"

    def send(self, job: bytes) -> None:
        lp = shutil.which("lp")
        if lp is None:
            raise PrinterError("Printing through CUPS needs the lp command (package cups-client).")
        command = [lp, "-o", "raw", "-t", "MallKiosk receipt"]
        if self.printer_name:
            command += ["-d", self.printer_name]
        try:
            done = subprocess.run(
                command, input=job, capture_output=True, timeout=self.timeout_s, check=False
            )
        except subprocess.TimeoutExpired as err:
            raise PrinterError(
                f"CUPS did not take the receipt for the {self.description} "
                f"within {self.timeout_s:g} s."
            ) from err
        except OSError as err:
            raise PrinterError(f"Cannot run lp for the {self.description}: {err}.") from err
        if done.returncode != 0:
            detail = " ".join(done.stderr.decode(errors="replace").split()) or "no reason given"
            raise PrinterError(f"CUPS refused the receipt for the {self.description}: {detail}")

    def probe(self) -> Probe:
        lpstat = shutil.which("lpstat")
        if lpstat is None:
            return Probe("offline", "CUPS is not installed (no lpstat command).")
        name = self.printer_name
        try:
            if not name:
                default = self._run([lpstat, "-d"])
                name = default.partition(":")[2].strip() if default else ""
            queue = self._run([lpstat, "-p", name]) if name else None
        except (OSError, subprocess.SubprocessError) as err:
            return Probe("offline", f"Cannot ask CUPS about the {self.description}: {err}.")
        if not queue:
            return Probe("offline", f"CUPS has no queue for the {self.description}.")
        if "disabled" in queue:
            return Probe("offline", f"The CUPS queue of the {self.description} is disabled.")
        return Probe("unknown")

    def _run(self, command: list[str]) -> str | None:
        done = subprocess.run(command, capture_output=True, text=True, timeout=5, check=False)
        return done.stdout if done.returncode == 0 else None


class DummyTransport:
    """Keeps jobs in memory (`jobs`): tests, benchmarks, development without a printer."""

    description = "dummy printer"

    def __init__(self) -> None:
        self.jobs: list[bytes] = []

    @property
    def output(self) -> bytes:
        return b"".join(self.jobs)

    def send(self, job: bytes) -> None:
        self.jobs.append(job)

    def probe(self) -> Probe:
        return Probe("ok")


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

    def encode(self, receipt: Receipt) -> bytes:
        """The whole ESC/POS job for `receipt`."""
        encoder = self._get_encoder()
        blocks = layout(receipt)
        if self.mode == "text":
            return encoder.text_job(blocks)
        return encoder.image_job(self._get_renderer().render(blocks).image)

    def print_receipt(self, receipt: Receipt) -> PrintResult:
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
