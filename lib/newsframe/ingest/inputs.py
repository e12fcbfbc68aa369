"""The input: every file under the files and folders given, in a stable order, hidden ones skipped."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from newsframe.errors import InputError
from newsframe.ingest.readers.files import locator
from newsframe.ingest.records import Batch, file_reject

__all__ = ["expand", "folder_reject", "not_regular", "special_kind"]


def expand(paths: Iterable[str | Path], *, listed: Callable[[list[str]], None] | None = None) -> list[str]:
    """Return the files under the given files and folders, sorted, skipping hidden ones; refuse missing paths.

    Anything that is neither a file nor a folder (a named pipe, a socket, a device) is listed too, so that reading
    it is a reject that names it (`not_regular`), not a file gone missing unnoticed. Files come as path strings, not
    `Path`s: a folder may hold a million articles, and making a `Path` of each
    costs more than listing it. `listed`, when given, is called with the names of files as they are found,
    before the whole list is known.
    """
    files: list[str] = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise InputError(f"{path}: no such file or folder. Check the path (it is read relative to {Path.cwd()}).")
        if path.is_dir():
            files.extend(_walk(path, listed=listed))
        else:
            files.append(os.fspath(path))
            if listed is not None:
                listed([path.name])
    return files


def _walk(folder: Path, *, listed: Callable[[list[str]], None] | None = None) -> list[str]:
    """Return the files under a folder in the order of their path components, skipping hidden (`.`) and private
    (`_`) names.

    Each folder's entries are sorted by name and its subfolders visited in their place, which gives the order of
    sorting every path by its components at a fraction of the cost. A folder that cannot be listed is returned as
    if it were a file, so that reading it fails and the rejects name it, rather than its articles going missing
    unnoticed. Links to folders are not followed.
    """
    found: list[str] = []

    def visit(path: str) -> None:
        try:
            with os.scandir(path) as listing:
                entries = sorted((e for e in listing if not _hidden(e.name)), key=lambda e: e.name)
        except OSError:
            found.append(path)
            return
        if listed is not None:
            listed([e.name for e in entries if not _is_folder(e)])
        for entry in entries:
            if not _is_folder(entry):
                found.append(entry.path)
            elif not entry.is_symlink():
                visit(entry.path)

    visit(os.fspath(folder))
    return found


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # cached by scandir: no second system call
    except OSError:
        return False


def _hidden(name: str) -> bool:
    return name.startswith((".", "_"))


def folder_reject(path: str) -> Batch:
    """Reject a folder that could not be listed (see `_walk`), saying why."""
    try:
        os.scandir(path).close()
        problem = "it could not be listed while the input was read"
    except OSError as exc:
        problem = exc.strerror or str(exc)
    where = locator(path)
    return file_reject(where, "unreadable folder", f"{where}: cannot list this folder ({problem}), so none of its "
                       "files were read. Check its permissions, then ingest again.")


_SPECIAL_KINDS = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket", stat.S_IFCHR: "a character device",
                  stat.S_IFBLK: "a block device"}


def special_kind(path: str) -> str | None:
    """Return what a path is when it is not a regular file or a folder ("a named pipe (FIFO)", "a socket", …),
    following links; None for a file, a folder, or a path that cannot be looked at (reading it will say why).

    Such a path must never be opened: opening a named pipe waits for a writer that may never come, and a device
    can be read forever.
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    return _SPECIAL_KINDS.get(stat.S_IFMT(mode), None if stat.S_ISREG(mode) or stat.S_ISDIR(mode) else "not a file")


def not_regular(path: str) -> Batch | None:
    """Reject a path that is not a regular file (see `special_kind`), without opening it; None for a file."""
    kind = special_kind(path)
    if kind is None:
        return None
    where = locator(path)
    return file_reject(where, "not a regular file", f"{where}: not a regular file: {kind}; newsframe reads files "
                       "only. Remove it from the input (or give the file it stands for), then ingest again.")
