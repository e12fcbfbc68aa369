"""Atomic file writes: write a temporary file in the same folder, then rename it over the target.

A killed run or a full disk never leaves a half-written file where a good one was. Files written together (a
corpus, its rejects and its summary) are committed as one generation: their temporary files are listed in a
journal before the first is renamed, so that a run killed between two renames is completed by the next one
(`recover`), and never leaves a summary describing another corpus. Temporary files a killed run left behind are
removed by the next run. This guards against a process that dies, not against a power cut (nothing is fsync'd).
Two runs writing to one place take turns through a `Lock`, so that one never removes the other's temporary files.
"""

from __future__ import annotations

import errno
import fcntl
import functools
import json
import os
import shutil
import stat
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from newsframe.errors import NewsframeError

__all__ = [
    "Folder", "Lock", "pending", "prepare", "recover", "remove_leftovers", "write_together", "write_text", "write_with",
]

_FULL = (errno.ENOSPC, errno.EDQUOT)


@dataclass(frozen=True)
class Folder:
    """A writer whose target is a folder (a partitioned corpus): `write_to(temporary_folder)` fills an empty folder,
    which then replaces the target as a file would."""

    write_to: Callable[[str], object]


def write_with(path: str | Path, write_to: Callable[[str], object] | Folder) -> Path:
    """Call `write_to(temporary_path)`, then move the result to `path`; on failure `path` is left untouched.

    The file gets the permissions an ordinary write would give it: those of the file it replaces, else the
    default the umask allows. A temporary file is private (0600), and a report a web server or a colleague
    should read must not stay so.
    """
    path = Path(path)
    tmp = prepare(path, write_to)
    _replace(tmp, path)
    return path


def write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text to `path` atomically."""
    return write_with(path, lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))


def prepare(path: str | Path, write_to: Callable[[str], object] | Folder) -> Path:
    """Write the file (or `Folder`) that is to become `path` as a temporary one beside it, with the permissions
    `path` will have; return the temporary path. On failure nothing is left; a full disk is a clear error."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = isinstance(write_to, Folder)
    if folder:
        tmp = tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    else:
        handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(handle)
    try:
        (write_to.write_to if folder else write_to)(tmp)
        os.chmod(tmp, _mode_for(path, folder=folder))
    except BaseException as exc:
        _remove(Path(tmp))
        if _disk_full(exc):
            raise NewsframeError(f"{path}: the disk is full (no space left on the device or over quota), so it was "
                                 "not written; what was there before is left as it was. Free some space, then run "
                                 "again.") from exc
        raise
    return Path(tmp)


def write_together(files: dict[Path, Callable[[str], object] | Folder]) -> list[Path]:
    """Write several files as one generation: all are written as temporary files first, then a journal names
    them, then each is renamed over its target. Return the targets.

    If anything fails before the journal, no target changes. If the run dies after it, `recover` (which this
    calls first, and which readers may call) completes the renames.
    """
    targets = list(files)
    journal = _journal(targets[0])
    recover(journal)
    prepared: list[Path] = []
    try:
        for target, write_to in files.items():
            prepared.append(prepare(target, write_to))
        write_text(journal, json.dumps([[str(tmp), str(t)] for tmp, t in zip(prepared, targets, strict=True)]))
    except BaseException:
        for tmp in prepared:
            tmp.unlink(missing_ok=True)
        raise
    _commit(journal)
    return targets


def recover(journal_or_target: Path) -> None:
    """Finish a generation a killed run left half-renamed (its journal is still there), then remove the temporary
    files such runs leave. Given the journal, or the first target of the generation."""
    path = Path(journal_or_target)
    journal = path if path.name.endswith(".commit.json") else _journal(path)
    if journal.exists():
        _commit(journal)


def pending(journal_or_target: Path) -> bool:
    """Return whether a generation was left half-renamed (its journal is there), for `recover` to finish."""
    path = Path(journal_or_target)
    return (path if path.name.endswith(".commit.json") else _journal(path)).exists()


def remove_leftovers(folder: Path, names: list[str] | None = None) -> list[Path]:
    """Remove the temporary files a killed run left in `folder` for the files named `names` (all of them when
    None); return them. Only for a folder no other run is writing to."""
    # A temporary name is the target's, 8 random characters (tempfile's), then `.tmp`: never another target's, such
    # as `corpus.parquet`'s beside a partitioned `corpus`.
    patterns = ([pattern for name in names for pattern in (f".{name}.????????.tmp", f".{name}.????????.old.tmp")]
                if names is not None else [".*.tmp"])
    removed = [leftover for pattern in patterns for leftover in Path(folder).glob(pattern)]
    for leftover in removed:
        _remove(leftover)
    return removed


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _replace(tmp: Path, target: Path) -> None:
    """Rename `tmp` over `target`. A folder cannot be renamed over a folder, nor a file over a folder or the other
    way, so the old one is first moved aside under a temporary name, which a killed run leaves for
    `remove_leftovers`."""
    if target.exists() and (target.is_dir() or tmp.is_dir()) and not target.is_symlink():
        aside = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.old.tmp")
        os.rename(target, aside)
        os.replace(tmp, target)
        _remove(aside)
    else:
        os.replace(tmp, target)


def _journal(first_target: Path) -> Path:
    return first_target.with_name(f".{first_target.name}.commit.json")


def _commit(journal: Path) -> None:
    try:
        pairs = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pairs = []  # a journal cut short was never complete: its generation never began to replace anything
    for tmp, target in pairs:
        if Path(tmp).exists():
            _replace(Path(tmp), Path(target))
    journal.unlink(missing_ok=True)


def _disk_full(exc: BaseException) -> bool:
    while exc is not None:
        if isinstance(exc, OSError) and exc.errno in _FULL:
            return True
        if "No space left on device" in str(exc) or "Disk quota exceeded" in str(exc):
            return True  # pyarrow and pandas pass the OS error on as text
        exc = exc.__cause__ or exc.__context__
    return False


def _mode_for(path: Path, *, folder: bool = False) -> int:
    try:
        if path.is_dir() == folder:
            return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        pass
    return (0o777 if folder else 0o666) & ~_umask()


@functools.cache
def _umask() -> int:
    # The umask can only be read by setting it; done once, and set straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


class Lock:
    """An exclusive `flock` on the file `path`, which names the process holding it.

    The kernel grants the lock to one process at a time and releases it when that process ends, however it ends:
    two runs never hold it together, and a killed run leaves no lock to clear by hand. When another process holds
    it, `busy(holder)` is called with that process's id (None when unknown): it may raise to give up, or return to
    wait until the lock is free. With `remove`, the file goes when the lock is released (so that nothing is left
    beside what it guards); otherwise it stays, and an empty or stale file is just a file.
    """

    def __init__(self, path: str | Path, *, busy: Callable[[int | None], None], remove: bool = False):
        self.path = Path(path)
        self.busy = busy
        self.remove = remove
        self.handle = None

    def __enter__(self) -> Lock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self._locked()
        while self.remove and not _same_file(handle, self.path):  # its holder removed it: lock the new one
            handle.close()
            handle = self._locked()
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self.handle = handle
        return self

    def _locked(self):
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held open for as long as the lock
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                self.busy(_holder(handle))
                fcntl.flock(handle, fcntl.LOCK_EX)
        except BaseException:
            handle.close()
            raise
        return handle

    def __exit__(self, *exc) -> None:
        if self.remove:
            self.path.unlink(missing_ok=True)  # while still held: a run waiting on it sees it gone and starts over
        self.handle.truncate(0)  # no longer names a holder
        fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()
        self.handle = None


def _same_file(handle, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(handle.fileno()), os.stat(path))
    except FileNotFoundError:
        return False


def _holder(handle) -> int | None:
    handle.seek(0)
    try:
        return int(handle.read().split()[0])
    except (ValueError, IndexError):
        return None  # the holder has not written its id yet
