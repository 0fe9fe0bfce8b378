"""Writing output files (SPEC 2.7.4): atomically, so that a crash never leaves half a
file, and only where a file can be written, which is asked before any work."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Collection, Sequence
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
    """Return why no file can be written in ``folder``, or ``None``.

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


def output_problem(
    target: Path, formats: Sequence[str], taken: Collection[Path], inputs: Sequence[Path]
) -> str | None:
    """Return why ``target`` cannot be written, or ``None`` (SPEC 2.7.4).

    Parameters
    ----------
    target
        The output path asked for.
    formats
        The extensions the command writes (``.json``, ``.csv``...).
    taken
        Resolved paths already given as outputs: no file is written twice.
    inputs
        The command's input files: a plan never overwrites its scenario.
    """
    if target.suffix.lower() not in formats:
        return f"supported formats are {', '.join(formats)}"
    resolved = target.resolve()
    if resolved in taken:
        return "it is given twice"
    if any(resolved == source.resolve() for source in inputs):
        return "it is an input of this command"
    if target.is_dir():
        return "it is a folder"
    if not target.parent.is_dir():
        return f"the folder {target.parent} does not exist"
    return writable_problem(target.parent)


def folder_problem(folder: Path) -> str | None:
    """Return why no file can be written in ``folder`` (missing, or not writable), or
    ``None``."""
    return writable_problem(folder) if folder.is_dir() else "no such folder"


def _mode_for(target: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (umask)."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
