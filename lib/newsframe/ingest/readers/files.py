"""Open input files safely: compression, size limits, and a locator for every record."""

from __future__ import annotations

import bz2
import functools
import gzip
import lzma
import os
from pathlib import Path
from typing import BinaryIO

from newsframe.errors import InputError

__all__ = ["COMPRESSED", "MAX_WHOLE_FILE_BYTES", "locator", "open_binary", "read_bytes", "suffix", "too_large"]

COMPRESSED = {".gz": gzip.open, ".xz": lzma.open, ".bz2": bz2.open}
# Formats read whole into memory (one article, one feed, one page, one JSON document) must fit comfortably;
# record-per-line formats (CSV, JSONL) stream and have no limit.
MAX_WHOLE_FILE_BYTES = 256 * 2**20


def suffix(path: str | Path) -> str:
    """Return the format suffix of a path, looking through a compression suffix (`a.jsonl.xz` -> `.jsonl`)."""
    stem, last = os.path.splitext(os.path.basename(path))  # os.path: this runs once per file of big folders
    last = last.lower()
    return os.path.splitext(stem)[1].lower() if last in COMPRESSED else last


def open_binary(path: str | Path) -> BinaryIO:
    """Open a file for reading bytes, decompressing .gz, .xz and .bz2 on the fly."""
    opener = COMPRESSED.get(os.path.splitext(path)[1].lower())
    try:
        return opener(path, "rb") if opener else open(path, "rb")
    except OSError as exc:
        problem = exc.strerror or exc
        raise InputError(f"{locator(path)}: cannot open ({problem}). Check the file's permissions.") from exc


def read_bytes(path: str | Path, *, limit: int = MAX_WHOLE_FILE_BYTES) -> bytes:
    """Return a whole file's bytes, refusing files (or decompressed contents) larger than `limit`."""
    if os.path.splitext(path)[1].lower() in COMPRESSED:  # os.path: this runs once per file of big folders
        data = _read_compressed(path, limit)
    else:
        data = _read_plain(path, limit)
    if len(data) > limit:
        raise InputError(too_large(path, len(data), limit))
    if not data or data.isspace():  # not data.strip(): that copies every file
        raise InputError(f"{locator(path)}: the file is empty. Remove it or fill it in, then ingest again.")
    return data


def _read_plain(path: str | Path, limit: int) -> bytes:
    # With a bare file descriptor, not open(): in a folder of small articles the file object's layers cost more
    # than the read itself (bench/README.md).
    try:
        handle = os.open(path, os.O_RDONLY)
    except OSError as exc:
        problem = exc.strerror or exc
        raise InputError(f"{locator(path)}: cannot open ({problem}). Check the file's permissions.") from exc
    try:
        size = os.fstat(handle).st_size
        if size > limit:
            raise InputError(too_large(path, size, limit))
        data = os.read(handle, size + 1)  # one call for a regular file: fewer bytes than asked means the end
        if len(data) != size:  # grown or shrunk since, or a short read (a network file system): read to the end
            with os.fdopen(os.dup(handle), "rb") as rest:
                data += _read_at_most(rest, limit + 1 - len(data))
        return data
    except OSError as exc:
        raise InputError(f"{locator(path)}: cannot read ({exc}); the file may be truncated or corrupt.") from exc
    finally:
        os.close(handle)


def _read_compressed(path: str | Path, limit: int) -> bytes:
    with open_binary(path) as handle:
        try:
            return _read_at_most(handle, limit + 1)
        except (OSError, EOFError, lzma.LZMAError) as exc:
            raise InputError(f"{locator(path)}: cannot read ({exc}); the file may be truncated or corrupt.") from exc


def _read_at_most(handle: BinaryIO, limit: int) -> bytes:
    # In pieces: a decompressed size is unknown until read, and read(limit) would allocate `limit` bytes up front.
    pieces, total = [], 0
    while total < limit and (piece := handle.read(1 << 20)):
        pieces.append(piece)
        total += len(piece)
    return b"".join(pieces)


def too_large(path: str | Path, size: int, limit: int) -> str:
    """Say that a file is too large to read whole, and what to do instead."""
    return (
        f"{locator(path)}: {size / 2**20:,.0f} MB is more than the {limit / 2**20:,.0f} MB newsframe reads whole "
        "for this format. Split it, or convert it to JSON Lines or CSV, which are read in a stream."
    )


def locator(path: str | Path, record: str | None = None, *, cwd: str | None = None) -> str:
    """Return `path` relative to the working directory when inside it, with an optional `#record` locator.

    `cwd`, when given, is the working directory, looked up once by a caller that locates many files.
    """
    parent, name = os.path.split(os.fspath(path))  # not pathlib: this runs once per file of large folders
    folder = _shown_folder(parent or ".", cwd or os.getcwd())
    shown = name if folder == "." else f"{folder.rstrip('/')}/{name}"
    return f"{shown}#{record}" if record else shown


@functools.lru_cache(maxsize=4096)
def _shown_folder(folder: str, cwd: str) -> str:
    # Once per folder, not per file: a folder of 100,000 articles would otherwise resolve the same path each time.
    try:
        shown = os.path.relpath(folder, cwd)
        if shown.startswith(".."):
            shown = str(Path(folder).resolve())
    except ValueError:
        shown = folder
    return shown
