"""CSV and TSV files, one article per row, read in a stream by Python's csv module.

Every row ends up a record or a reject: a row whose number of fields differs from the header's is a reject naming
its row and line (never dropped, and the next rows never shift); a row or field longer than MAX_RECORD_BYTES is a
reject read past without being held; a line that is not in the file's encoding is read in Windows-1252 on its
own and noted, never the whole file again. Column names are recognised by `fields.ALIASES`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from newsframe.ingest import encoding as encodings
from newsframe.ingest.readers.files import MAX_RECORD_BYTES, locator, suffix
from newsframe.ingest.readers.table import CHUNK_ROWS, Lines, Skipped, from_frame, head, mixed_note, too_long
from newsframe.ingest.records import Batch, as_json, records_frame, rejects_frame

__all__ = ["column_names", "read_csv"]


def read_csv(path: Path, *, columns: dict[str, str] | None = None) -> Iterator[Batch]:
    """Read a CSV or TSV file (separator and encoding detected), one article per row, in batches of rows."""
    where = locator(path)
    sample = head(path)
    detected = encodings.detect(sample, name=where)
    text = sample.decode("utf-8" if detected == encodings.MIXED else detected, errors="replace")
    encodings.check_is_text(text, name=where)
    csv.field_size_limit(MAX_RECORD_BYTES)  # the module's default, 128 KB, is shorter than some articles
    lines = Lines(path, detected)
    rows = _rows(csv.reader(lines, delimiter=_separator(path, text)), lines, where=where)
    header = _header(next(rows, None))
    chunk, rejects = [], []
    try:
        for row in rows:
            if isinstance(row, dict):
                rejects.append(row)
            elif len(row[2]) != len(header):
                rejects.append(_wrong_width(where, row, len(header)))
            else:
                chunk.append(row)
            if len(chunk) + len(rejects) >= CHUNK_ROWS:
                yield _batch(chunk, rejects, header, path=path, columns=columns)
                chunk, rejects = [], []
    except Exception:
        yield _batch(chunk, rejects, header, path=path, columns=columns)  # the rows read before the file broke off
        raise
    notes = (mixed_note(where, lines.mixed, lines.first_mixed),) if lines.mixed else ()
    yield _batch(chunk, rejects, header, path=path, columns=columns, notes=notes)


def column_names(path: Path) -> list[str]:
    """Return the column names of a CSV or TSV file, as `read_csv` reads them."""
    sample = head(path)
    detected = encodings.detect(sample, name=locator(path))
    text = sample.decode("utf-8" if detected == encodings.MIXED else detected, errors="replace")
    first = next(csv.reader(text.splitlines()[:1], delimiter=_separator(path, text)), [])
    return _header((0, 1, first, detected))


def _rows(reader, lines: Lines, *, where: str) -> Iterator[tuple[int, int, list[str], str] | dict]:
    """Yield (row number, line number, fields, encoding) for each record after the header, or a reject dict for
    a record that could not be read. Row 0 is the header; blank lines are not records."""
    number = 0
    while True:
        start = lines.number + 1  # the line the next record starts on
        try:
            fields = next(reader)
        except StopIteration:
            return
        except Skipped as skipped:  # a line too long to read
            yield too_long(where, f"row={number}", skipped.line) if number else _header_too_long(where)
            number += 1
            lines.skip_open_field()
            continue
        except csv.Error as exc:  # a quoted field longer than the limit, or bad quoting
            yield _unreadable_row(where, number, start, exc)
            number += 1
            lines.skip_open_field()
            continue
        if fields:
            pending = (number, start, fields, lines.encoding)
            # The csv module ends a quoted field left open at the end of the file, holding every line after it.
            if lines.quotes and lines.number > start and _at_end(lines):
                yield _never_closed(where, pending, lines.number)
            else:
                yield pending
            number += 1
        lines.record_done()


def _at_end(lines: Lines) -> bool:
    """Return whether every line of the file has been read."""
    try:
        lines.peek()
    except StopIteration:
        return True
    return False


def _never_closed(where: str, row: tuple[int, int, list[str], str], last_line: int) -> dict:
    number, line, fields, _ = row
    return {"origin": f"{where}#row={number}", "reason": "malformed CSV row", "record": as_json(fields),
            "detail": f"{where} row {number:,} (line {line:,}) opens a quote that is never closed, so lines {line:,} "
                      f"to {last_line:,} were read into it. Close the quote (or double the `\"` inside the field) and "
                      "ingest again."}


def _header(first: tuple[int, int, list[str], str] | dict | None) -> list[str]:
    """Return the column names, made unique and never empty (a blank name becomes `column 3`)."""
    from newsframe.errors import InputError

    if first is None:
        return []
    if isinstance(first, dict):
        raise InputError(first["detail"])
    names, seen = [], set()
    for position, raw in enumerate(first[2], start=1):
        name = raw.strip() or f"column {position}"
        while name in seen:
            name += "'"
        seen.add(name)
        names.append(name)
    return names


def _batch(rows: list, rejects: list[dict], header: list[str], *, path: Path, columns: dict[str, str] | None,
           notes: tuple[str, ...] = ()) -> Batch:
    if rows:
        frame = pd.DataFrame([fields for _, _, fields, _ in rows], columns=header, dtype="string")
        batch = from_frame(frame, path=path, columns=columns, encoding=[enc for _, _, _, enc in rows],
                           locators=[f"row={number}" for number, _, _, _ in rows])
    else:
        batch = Batch(records_frame([]), rejects_frame([]))
    frames = [batch.rejects, rejects_frame(rejects)] if rejects else [batch.rejects]
    return Batch(batch.records, pd.concat(frames, ignore_index=True), notes)


def _wrong_width(where: str, row: tuple[int, int, list[str], str], width: int) -> dict:
    number, line, fields, _ = row
    return {"origin": f"{where}#row={number}", "reason": "malformed CSV row", "record": as_json(fields),
            "detail": f"{where} row {number:,} (line {line:,}) has {len(fields)} fields where the header has {width}; "
                      "a field holding the separator must be in double quotes. Fix the row and ingest again."}


def _unreadable_row(where: str, number: int, line: int, exc: csv.Error) -> dict:
    return {"origin": f"{where}#row={number}", "reason": "malformed CSV row",
            "detail": f"{where} row {number:,} (line {line:,}) cannot be read ({exc}). A field longer than "
                      f"{MAX_RECORD_BYTES / 2**20:,.0f} MB, or a quote that is never closed, runs records together."}


def _header_too_long(where: str) -> dict:
    return {"origin": where, "reason": "malformed CSV row",
            "detail": f"{where}: the header line is longer than {MAX_RECORD_BYTES / 2**20:,.0f} MB; "
                      "is this a CSV file?"}


def _separator(path: Path, sample: str) -> str:
    if suffix(path) in {".tsv", ".tab"}:
        return "\t"
    try:
        return csv.Sniffer().sniff(sample[:65536].split("\n", 20)[0], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","
