"""Atomic file writes: write a temporary file in the same folder, then rename it over the target."""

from __future__ import annotations

import functools
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["write_text", "write_with"]


def write_with(path: str | Path, write_to: Callable[[str], object]) -> Path:
    """Call `write_to(temporary_path)`, then move the result to `path`; on failure `path` is left untouched.

    The file gets the permissions an ordinary write would give it: those of the file it replaces, else the
    default the umask allows. A temporary file is private (0600), and a report a web server or a colleague
    should read must not stay so.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        write_to(tmp)
        os.chmod(tmp, _mode_for(path))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text to `path` atomically."""
    return write_with(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_umask()


@functools.cache
def _umask() -> int:
    # The umask can only be read by setting it; done once, and set straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
