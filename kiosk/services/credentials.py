"""The kiosk's device credentials: the token the central service issued at enrollment.

They live in `<data_dir>/device.json` (mode 0600, replaced atomically), not in the cache: a
corrupt cache is rebuilt from the service, which needs the token to survive. A token is only
ever sent to the service that issued it.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kiosk.atomicfile import write_file_atomically

log = logging.getLogger(__name__)

CREDENTIALS_FILE = "device.json"


class DeviceCredentials(BaseModel):
    """What `device.json` holds. The token is only good for the service that issued it."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    base_url: str
    kiosk_code: str
    venue_id: str
    device_token: str = Field(repr=False)
    enrolled_at: dt.datetime


def load_credentials(path: Path) -> DeviceCredentials | None:
    """The saved credentials, or None when there are none or the file is unreadable."""
    try:
        return DeviceCredentials.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.error("device credentials %s cannot be read, enroll the kiosk: %s", path, exc)
        return None
    except ValidationError as exc:
        # Never the error's text: it quotes the input, the device token with it.
        fields = ", ".join(".".join(map(str, e["loc"])) or "(file)" for e in exc.errors())
        log.error("device credentials %s are unusable (%s), enroll the kiosk", path, fields)
        return None


def save_credentials(path: Path, creds: DeviceCredentials) -> None:
    """Write `path` atomically, readable by the owner only."""
    write_file_atomically(path, creds.model_dump_json(indent=1).encode())


def device_token(data_dir: Path, base_url: str) -> str | None:
    """The device token for the service at `base_url`, or None (not enrolled with it)."""
    creds = load_credentials(data_dir / CREDENTIALS_FILE)
    if creds is None or creds.base_url.rstrip("/") != base_url.rstrip("/"):
        return None
    return creds.device_token
