"""Replacing a file so that a crash or power cut leaves either the old content or the new."""

from __future__ import annotations

import contextlib
import glob
import os
import threading
from pathlib import Path


def write_file_atomically(path: Path, data: bytes, *, new_mode: int = 0o600) -> None:
    """Replace `path` with `data` so that a crash leaves the old file or the new one.

    The new content goes to a temporary file beside it (same file system), is flushed to disk,
    then renamed over `path`; the directory is flushed too so the rename itself survives a
    power cut. An existing file's mode and owner are kept (a root shell must not make the
    kiosk's own file unreadable to it); a symlink is followed, not replaced.
    """
    target = Path(os.path.realpath(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        old = target.stat()
    except FileNotFoundError:
        old = None
    _remove_stale_temp_files(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    tmp.unlink(missing_ok=True)  # left by a crash of an earlier process with this pid
    mode = (old.st_mode & 0o7777) if old is not None else new_mode
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)  # os.open's mode is narrowed by the umask
        if old is not None and hasattr(os, "chown"):
            with contextlib.suppress(PermissionError):
                os.chown(tmp, old.st_uid, old.st_gid)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        dir_fd = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _remove_stale_temp_files(target: Path) -> None:
    """Delete temporary files that processes killed while saving left beside `target`.

    Only those of processes that no longer exist: another one may be saving right now. (A pid
    reused since then keeps its file until the next save: harmless.)
    """
    if not hasattr(os, "getpgid"):  # no cheap way to ask whether a pid lives (Windows)
        return
    prefix = f".{target.name}."
    for leftover in target.parent.glob(f"{glob.escape(prefix)}*.tmp"):
        pid = leftover.name[len(prefix) : -len(".tmp")].partition("-")[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.getpgid(int(pid))
        except ProcessLookupError:
            leftover.unlink(missing_ok=True)
        except OSError:
            continue
