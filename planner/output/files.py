"""Atomic file writing: a crash never leaves half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, then rename.

    Readers see either the old file or the whole new one.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    try:
        os.chmod(temporary, _mode_for(target))
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def writable_problem(folder: Path) -> str | None:
    """Why no file can be written in ``folder``, or None.

    Asked by writing a temporary file, since permissions alone do not tell (a
    read-only file system, or an administrator whom permissions do not stop).
    """
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=".planner-probe.", dir=folder)
    except OSError as error:
        return f"cannot write in {folder}: {error.strerror or error}"
    os.close(descriptor)
    Path(temporary).unlink(missing_ok=True)
    return None


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (umask)."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
