"""The connections that carry finished ESC/POS jobs to a printer and ask it how it is.

Each is opened for one job or status query and closed again, so a re-plugged or restarted
printer is found next time: python-escpos' File, Usb and Serial printers (`EscposTransport`);
a plain TCP socket for network printers (`NetworkTransport`); CUPS through `lp -o raw`
(`LpTransport`: python-escpos' LP class ignores lp's exit status, its CupsPrinter needs pycups);
and `DummyTransport`, which keeps jobs in memory.

Status is asked with DLE EOT 1, 2 and 4 (`state_from_status`). A printer that does not answer
is "unknown", never "paper present" as python-escpos' paper_status() would say.
"""

from __future__ import annotations

import logging
import shutil
import socket
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kiosk.printing._escpos import EscposDevice, device_errors, escpos_module
from kiosk.printing.errors import PrinterError
from kiosk.printing.printer import PrinterState

__all__ = [
    "STATUS_OFFLINE_CAUSE",
    "STATUS_PAPER",
    "STATUS_PRINTER",
    "DummyTransport",
    "EscposTransport",
    "LpTransport",
    "NetworkTransport",
    "Probe",
    "Transport",
    "file_transport",
    "network_transport",
    "serial_transport",
    "state_from_status",
    "usb_transport",
]

log = logging.getLogger(__name__)

# Real-time status requests (DLE EOT n); each is answered with one byte.
STATUS_PRINTER = b"\x10\x04\x01"
STATUS_OFFLINE_CAUSE = b"\x10\x04\x02"
STATUS_PAPER = b"\x10\x04\x04"


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
        self, description: str, make_device: Callable[[], EscposDevice], *, can_read: bool
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
        except device_errors() as err:
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
        no_answer: tuple[type[Exception], ...] = (NotImplementedError, *device_errors())
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

    def _open(self) -> EscposDevice:
        try:
            device = self._make_device()
            device.open()
        except device_errors() as err:
            raise PrinterError(
                f"The receipt printer ({self._description}) cannot be reached: {_reason(err)}."
            ) from err
        return device

    def _close(self, device: EscposDevice) -> None:
        try:
            device.close()
        except device_errors() as err:
            log.warning("closing the receipt printer (%s): %s", self._description, err)


def _reason(err: BaseException) -> str:
    """The most useful words about a failure: the OS's reason, else python-escpos' message."""
    cause: BaseException | None = err
    while cause is not None:
        if type(cause).__name__ == "NoBackendError":  # pyusb without libusb
            return "libusb is not installed (apt install libusb-1.0-0)"
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
        f"file {path}", lambda: escpos_module("printer").File(devfile=path), can_read=False
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

    def make() -> EscposDevice:
        module = escpos_module("printer")
        if not module.Usb.is_usable():
            raise PrinterError("USB receipt printing needs pyusb: install python-escpos[usb].")
        device: EscposDevice = module.Usb(
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

    def make() -> EscposDevice:
        module = escpos_module("printer")
        if not module.Serial.is_usable():
            raise PrinterError(
                "Serial receipt printing needs pyserial: install python-escpos[serial]."
            )
        device: EscposDevice = module.Serial(devfile=port, baudrate=baudrate, timeout=timeout_s)
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
