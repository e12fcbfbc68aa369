"""Open input files safely: compression, size limits, lines of bounded length, and a locator for every record."""

from __future__ import annotations

import bz2
import functools
import gzip
import lzma
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from newsframe.errors import InputError

__all__ = [
    "COMPRESSED", "MAX_RECORD_BYTES", "MAX_WHOLE_FILE_BYTES", "Overlong", "line_blocks", "locator", "open_binary",
    "printable", "read_bytes", "read_salvaging", "split_long_lines", "suffix", "too_large",
]

COMPRESSED = {".gz": gzip.open, ".xz": lzma.open, ".bz2": bz2.open}
# Formats read whole into memory (one article, one feed, one page, one JSON document) must fit comfortably;
# record-per-line formats (CSV, JSONL) stream and have no limit.
MAX_WHOLE_FILE_BYTES = 256 * 2**20
# A line, row or field longer than this is a reject, read past without being held: no article comes near it, and
# a 1 GB line hidden in a 1 MB .gz must not take the machine's memory.
MAX_RECORD_BYTES = 32 * 2**20
_PIECE_BYTES = 1 << 20  # how much of an overlong line is read at a time while it is skipped
# Compressed streams are read in small pieces: when one breaks off (a file cut short), only the piece being read is
# lost, as the decompressors drop what they decoded in the call that fails.
_SALVAGE_PIECE_BYTES = 1 << 13
_DECOMPRESSING = (gzip.GzipFile, lzma.LZMAFile, bz2.BZ2File)


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
    shown = printable(name if folder == "." else f"{folder.rstrip('/')}/{name}")
    return f"{shown}#{record}" if record else shown


def printable(name: str) -> str:
    """Return a file or folder name as text that can be stored and shown: bytes of a name that are not UTF-8
    (which Python keeps as lone surrogates, `a\\udcff.txt`) are written as `\\xff`, so `a\\xff.txt`."""
    if name.isascii():
        return name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return name


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


@dataclass(frozen=True)
class Overlong:
    """A line longer than MAX_RECORD_BYTES, read past without being kept: its number (from 1), its size in bytes,
    and how many `"` it held (a CSV reader needs to know whether it left a quoted field open)."""

    number: int
    size: int
    quotes: int


def line_blocks(handle: BinaryIO, *, block_bytes: int, limit: int = MAX_RECORD_BYTES,
                ) -> Iterator[tuple[int, bytes, int] | Overlong]:
    """Yield a stream's lines in blocks of about `block_bytes`: (number of the first line, the lines' bytes, how
    many lines), each block ending with a newline; a line longer than `limit` comes alone as an `Overlong`.

    Memory holds one block and at most `limit` bytes of a line carried to the next one, whatever the line lengths.
    When the stream breaks off (a truncated or corrupt compressed file), the complete lines read before the break
    are yielded first, then the error is raised: a download cut short keeps what it holds.
    """
    number, carried = 1, b""
    while True:
        block, error = read_salvaging(handle, block_bytes)
        if not block and error is None:
            break
        data = carried + block
        end = data.rfind(b"\n") + 1
        whole, carried = data[:end], data[end:]
        for item in split_long_lines(whole, number, limit=limit):
            yield item
            number += 1 if isinstance(item, Overlong) else item[2]
        if error is not None:
            raise error
        if len(carried) > limit:  # a line too long to keep: read to its end without holding it
            overlong, carried = _skip_line(handle, carried, number)
            yield overlong
            number += 1
    if carried:
        yield number, carried + b"\n", 1  # the last line, without its newline


def read_salvaging(handle: BinaryIO, size: int) -> tuple[bytes, Exception | None]:
    """Read up to `size` bytes a megabyte at a time; return them and the error that stopped the reading, if any
    (the bytes before it are kept)."""
    pieces, total = [], 0
    step = _SALVAGE_PIECE_BYTES if isinstance(handle, _DECOMPRESSING) else _PIECE_BYTES
    try:
        while total < size and (piece := handle.read(min(step, size - total))):
            pieces.append(piece)
            total += len(piece)
    except (OSError, EOFError, zlib.error, lzma.LZMAError) as exc:
        return b"".join(pieces), exc
    return b"".join(pieces), None


def split_long_lines(block: bytes | memoryview, number: int, *, limit: int = MAX_RECORD_BYTES,
                     ) -> Iterator[tuple[int, bytes | memoryview, int] | Overlong]:
    """Yield a block of whole lines as it is, or, when some line is longer than `limit`, the runs of lines around
    it and an `Overlong` in its place (numbers as in `line_blocks`)."""
    if len(block) == 0:
        return
    ends = np.flatnonzero(np.frombuffer(block, np.uint8) == 0x0A) + 1
    if ends[-1] != len(block):
        ends = np.append(ends, len(block))
    lengths = np.diff(ends, prepend=0)
    if lengths.max() <= limit:
        yield number, block, len(ends)
        return
    start, first = 0, 0
    for index in np.flatnonzero(lengths > limit).tolist():
        line_start = int(ends[index - 1]) if index else 0
        if index > first:
            yield number + first, block[start:line_start], index - first
        line = bytes(block[line_start : int(ends[index])])
        yield Overlong(number + index, len(line), line.count(b'"'))
        start, first = int(ends[index]), index + 1
    if first < len(ends):
        yield number + first, block[start:], len(ends) - first


def _skip_line(handle: BinaryIO, begun: bytes, number: int) -> tuple[Overlong, bytes]:
    """Read to the end of a line of which `begun` was read, keeping nothing; return it as an `Overlong` and the
    bytes read after its end."""
    size, quotes = len(begun), begun.count(b'"')
    while piece := handle.read(_PIECE_BYTES):
        end = piece.find(b"\n")
        if end >= 0:
            return Overlong(number, size + end + 1, quotes + piece.count(b'"', 0, end)), piece[end + 1 :]
        size, quotes = size + len(piece), quotes + piece.count(b'"')
    return Overlong(number, size, quotes), b""
