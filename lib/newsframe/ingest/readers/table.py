"""What the tabular readers (CSV, JSON, JSON Lines) share: a file's rows mapped onto raw records, and lines read
one at a time in the file's encoding, a stray byte of another encoding read as such and noted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from newsframe.errors import InputError
from newsframe.ingest import encoding as encodings
from newsframe.ingest.readers import fields as fieldmap
from newsframe.ingest.readers.files import (
    MAX_RECORD_BYTES,
    Overlong,
    line_blocks,
    locator,
    open_binary,
    printable,
    read_salvaging,
)
from newsframe.ingest.records import Batch, records_frame, rejects_frame

__all__ = ["CHUNK_ROWS", "Lines", "Skipped", "from_frame", "head", "mixed_note", "too_long", "with_rejects"]

CHUNK_ROWS = 50_000  # rows turned into one batch: bounded memory, few pandas steps
_BLOCK_BYTES = 1 << 22


def from_frame(frame: pd.DataFrame, *, path: Path, columns: dict[str, str] | None, encoding: str | list[str] | None,
               locators: list[str], default_source: str | None = None) -> Batch:
    """Map a frame of a file's rows onto raw records, or reject the file when no usable column is there.

    `encoding` is the file's, or one per row when some rows were read in another (see `Lines`).
    """
    where = locator(path)
    if frame.empty:
        return Batch(records_frame([]), rejects_frame([]))
    mapping = fieldmap.resolve([str(c) for c in frame.columns], explicit=columns, where=where)
    _require(mapping, frame, where=where)
    records = fieldmap.apply(frame, mapping)
    records["source"] = fieldmap.derive_source(records, fallback=default_source or printable(path.stem))
    records["origin"] = [f"{where}#{loc}" for loc in locators]
    records["encoding"] = encoding
    return Batch(records_frame(records), rejects_frame([]))


def _require(mapping: dict[str, list[str]], frame: pd.DataFrame, *, where: str) -> None:
    for field, what in (("text", "the article text"), ("published", "the publication date")):
        if not mapping[field]:
            raise InputError(
                f"{where}: found no column for {what}. Its columns are {', '.join(map(str, frame.columns))}; "
                f"name the right one with `--column {field}=COLUMN` (or columns={{'{field}': 'COLUMN'}})."
            )


def with_rejects(batch: Batch, rejects: list[dict], notes: tuple[str, ...] = ()) -> Batch:
    """Return the batch with more rejects (dicts as `records.rejects_frame` takes them) and notes."""
    if not rejects and not notes:
        return batch
    frames = [batch.rejects, rejects_frame(rejects)] if rejects else [batch.rejects]
    return Batch(batch.records, pd.concat(frames, ignore_index=True), batch.notes + notes)


def head(path: Path, size: int = 1 << 20) -> bytes:
    """Return a file's first bytes (decompressed), refusing an empty file; of a compressed file cut short, what
    could be read (reading it further raises the error, once its complete records are out)."""
    with open_binary(path) as handle:
        data, error = read_salvaging(handle, size)
    if error is not None and not data:
        raise error  # nothing readable at all: the reader's caller names the file and the problem
    if not data.strip():
        raise InputError(f"{locator(path)}: the file is empty. Remove it or fill it in, then ingest again.")
    return data


def too_long(where: str, locator_: str, line: Overlong, *, what: str = "line") -> dict:
    """Return the reject of a line or record longer than MAX_RECORD_BYTES."""
    return {"origin": f"{where}#{locator_}", "reason": "record too long",
            "detail": f"{where} {what} {line.number:,}: {line.size / 2**20:,.0f} MB, more than the "
                      f"{MAX_RECORD_BYTES / 2**20:,.0f} MB newsframe reads for one record, so it was skipped "
                      "unread. Check the export (a missing quote or line end runs records together)."}


def mixed_note(where: str, count: int, first: int) -> str:
    """Say that some lines of a file were read in another encoding than the rest."""
    return (f"{where}: {count:,} line(s) are not UTF-8 like the rest of the file (the first is line {first:,}); "
            "they were read as Windows-1252. The file mixes encodings: check those records' accents.")


class Lines:
    """A file's lines as text, one at a time, for the readers that parse lines (CSV, JSON Lines not in UTF-8).

    Each line is decoded on its own, so a stray byte of another encoding changes that line only, never the whole
    file; `encoding` says how the lines of the current record were read, `mixed`/`first_mixed` count those read
    otherwise. A line longer than MAX_RECORD_BYTES raises `Overlong` from `__next__` and is not kept. `number` is
    the number of the last line given out. For CSV, `quotes` is the parity of `"` in the current record's lines.
    """

    def __init__(self, path: Path, encoding: str):
        self.path, self.file_encoding = path, encoding
        self.number, self.quotes, self.mixed, self.first_mixed = 0, 0, 0, 0
        self.encoding = encodings.canonical(encoding)
        self._lines = self._read()
        self._ahead: bytes | Overlong | None = None

    def _read(self) -> Iterator[bytes | Overlong]:
        with open_binary(self.path) as handle:
            first = True
            for item in line_blocks(handle, block_bytes=_BLOCK_BYTES):
                if isinstance(item, Overlong):
                    yield item
                    continue
                block = bytes(item[1])
                if first:
                    block, first = block.removeprefix(b"\xef\xbb\xbf"), False
                yield from block.splitlines(keepends=True)

    def __iter__(self) -> Lines:
        return self

    def peek(self) -> bytes | Overlong:
        """Return the next line without reading past it; raise StopIteration at the end of the file."""
        if self._ahead is None:
            self._ahead = next(self._lines)
        return self._ahead

    def __next__(self) -> str:
        item, self._ahead = (self._ahead, None) if self._ahead is not None else (next(self._lines), None)
        self.number += 1
        if isinstance(item, Overlong):
            self.quotes ^= item.quotes & 1
            raise Skipped(Overlong(self.number, item.size, item.quotes))
        self.quotes ^= item.count(b'"') & 1
        text, used = encodings.decode_line(item, self.file_encoding)
        if used != self.file_encoding:
            self.mixed += 1
            self.first_mixed = self.first_mixed or self.number
            self.encoding = encodings.canonical(used)
        return text

    def record_done(self) -> None:
        """Start a new record: its quote parity and encoding start afresh."""
        self.quotes, self.encoding = 0, encodings.canonical(self.file_encoding)

    def skip_open_field(self) -> None:
        """After a record that could not be read, skip the rest of a quoted field it left open (odd quotes), so
        that the next record starts where it really starts."""
        while self.quotes:
            try:
                next(self)
            except Skipped:
                continue
            except StopIteration:
                break
        self.record_done()


class Skipped(Exception):
    """A line too long to read: raised through the csv module's reader to the loop that drives it."""

    def __init__(self, line: Overlong):
        super().__init__(f"line {line.number} too long")
        self.line = line
