"""Staff accounts: people at the service desk, kept apart from kiosk devices.

Passwords are stored as salted scrypt hashes (`scrypt$n$r$p$salt$hash`, hex).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select

from sync.server.db import Database
from sync.server.errors import CentralError
from sync.server.models import Staff, utcnow

_N, _R, _P = 2**14, 8, 1
MIN_PASSWORD = 10


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        computed = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p)
        )
    except ValueError:
        return False
    return hmac.compare_digest(computed, bytes.fromhex(digest))


def add_staff(db: Database, name: str, password: str) -> None:
    name = name.strip()
    if not name or len(name) > 100:
        raise CentralError("a staff name must have 1 to 100 characters")
    if len(password) < MIN_PASSWORD:
        raise CentralError(f"a staff password must have at least {MIN_PASSWORD} characters")
    with db.write() as session:
        if session.scalar(select(Staff.id).where(Staff.name == name)) is not None:
            raise CentralError(f'a staff account "{name}" already exists')
        session.add(Staff(name=name, password_hash=hash_password(password), created_at=utcnow()))
