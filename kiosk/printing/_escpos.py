"""A narrow, typed wrapper around python-escpos, which has no type hints.

python-escpos is imported on first use: its import parses its printer database (about 0.2 s)
and calls logging.basicConfig(), which should happen after the kiosk has set up its logging.
"""

from __future__ import annotations

import copy
import difflib
import importlib
from typing import Any, Protocol, cast

from PIL import Image

from kiosk.printing.errors import PrinterError

__all__ = [
    "EscposCollector",
    "EscposDevice",
    "device_errors",
    "escpos_module",
    "profile_data",
    "profile_names",
    "receipt_profile",
]


def escpos_module(name: str) -> Any:
    """A python-escpos module ("printer", "capabilities"…), imported on first use."""
    return importlib.import_module(f"escpos.{name}")


class EscposDevice(Protocol):
    """The part of a python-escpos printer object used by the kiosk."""

    def open(self) -> None: ...

    def close(self) -> None: ...

    def _raw(self, msg: bytes) -> None: ...

    def query_status(self, mode: bytes) -> bytes: ...

    def image(
        self, img_source: Image.Image, *, impl: str, fragment_height: int, center: bool
    ) -> None: ...

    def cut(self, mode: str) -> None: ...

    def print_and_feed(self, n: int) -> None: ...


class EscposCollector(EscposDevice, Protocol):
    """python-escpos' Dummy printer: keeps what it is sent."""

    @property
    def output(self) -> bytes: ...


def device_errors() -> tuple[type[Exception], ...]:
    """What a python-escpos device raises for a machine problem (pyusb's and pyserial's errors
    are OSErrors too, except pyusb's "no backend": libusb is not installed)."""
    errors: list[type[Exception]] = [
        OSError,
        cast(type[Exception], escpos_module("exceptions").Error),
    ]
    try:
        import usb.core  # noqa: PLC0415 - optional, with python-escpos[usb]
    except ImportError:
        pass
    else:
        errors.append(usb.core.NoBackendError)
    return tuple(errors)


def profile_names() -> list[str]:
    """The printer profiles python-escpos knows (its printer database)."""
    return sorted(escpos_module("capabilities").CAPABILITIES["profiles"])


def profile_data(name: str) -> dict[str, Any]:
    """The database entry of printer profile `name`; PrinterError for an unknown name."""
    profiles: dict[str, Any] = escpos_module("capabilities").CAPABILITIES["profiles"]
    if name not in profiles:
        close = difflib.get_close_matches(name, list(profiles), n=3)
        hint = f"did you mean {', '.join(close)}?" if close else "see python-escpos' profiles"
        raise PrinterError(f'Unknown receipt printer profile "{name}" ({hint}).')
    data: dict[str, Any] = profiles[name]
    return data


def receipt_profile(name: str, width_dots: int) -> Any:
    """The python-escpos profile `name` with its media width set to `width_dots`, so an image
    is checked against, and centred on, the real paper."""
    capabilities = escpos_module("capabilities")
    data = copy.deepcopy(profile_data(name))
    data.setdefault("media", {}).setdefault("width", {})["pixels"] = width_dots
    profile_class = type("ReceiptProfile", (capabilities.Profile,), {"profile_data": data})
    return profile_class(features=dict(data.get("features", {})))
