"""Tabular inputs: CSV/TSV, JSON (an array, or an object holding one) and JSON Lines, one record per row or item.

Column names are recognised by `fields.ALIASES`; pass `columns={"text": "contenu", ...}` for the rest.
CSV and JSON Lines are read in a stream, so their size is not limited by memory.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import mmap
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.json as pajson

from newsframe.errors import InputError
from newsframe.ingest import encoding
from newsframe.ingest.readers import fields as fieldmap
from newsframe.ingest.readers.files import COMPRESSED, locator, open_binary, read_bytes
from newsframe.ingest.records import Batch, as_json, records_frame, rejects_frame

__all__ = ["read_csv", "read_json", "read_jsonl"]

CHUNK_ROWS = 50_000
_LIST_KEYS = ("items", "articles", "data", "results", "records", "docs", "documents", "entries", "posts", "news")


def read_csv(path: Path, *, columns: dict[str, str] | None = None) -> Batch:
    """Read a CSV or TSV file (separator and encoding detected), one article per row."""
    where = locator(path)
    sample = _head(path)
    detected = encoding.detect(sample, name=where)
    encoding.check_is_text(sample.decode(detected, errors="replace"), name=where)
    sep = _separator(path, sample.decode(detected, errors="replace"))
    try:
        chunks, bad_lines = list(_csv_chunks(path, sep=sep, encoding=detected, strict=True)), []
    except pd.errors.ParserError:
        # Some rows have the wrong number of fields: read again, keeping those rows as rejects.
        bad_lines = []
        chunks = list(_csv_chunks(path, sep=sep, encoding=detected, strict=False, bad_lines=bad_lines))
    except UnicodeDecodeError:
        detected = "cp1252"
        chunks, bad_lines = list(_csv_chunks(path, sep=sep, encoding=detected, strict=True)), []
    frame = pd.concat(chunks, ignore_index=True) if chunks else pd.DataFrame()
    batch = _from_frame(frame, path=path, columns=columns, encoding=encoding.canonical(detected),
                        locators=[f"row={i + 1}" for i in range(len(frame))])
    return _with_rejects(batch, [_bad_line_reject(where, i, fields) for i, fields in enumerate(bad_lines, 1)])


def read_jsonl(path: Path, *, columns: dict[str, str] | None = None) -> Iterator[Batch]:
    """Read a JSON Lines file, one article object per line, in batches; bad lines become rejects.

    UTF-8 files are parsed by pyarrow a block of lines at a time; a block it cannot take as it is (a bad line, a
    number or a nested object where text was expected, blank lines) is parsed again line by line, so every line
    still gets its own record or reject.
    """
    where = locator(path)
    head = _head(path)
    detected = encoding.detect(head, name=where)
    encoding.check_is_text(head.decode(detected, errors="replace"), name=where)
    if detected not in {"utf-8", "utf-8-sig", "ascii"}:
        for start, lines, _ in _line_chunks(path, detected):
            yield _parse_lines(lines, start, path=path, columns=columns, encoding=encoding.canonical(detected))
        return
    text_fields = _string_fields(head)
    for start, block, line_count in _byte_blocks(path):
        frame = _arrow_block(block, line_count, text_fields)
        if frame is None:
            lines = bytes(block).decode("utf-8", errors="replace").split("\n")[:line_count]
            batch = _parse_lines(lines, start, path=path, columns=columns, encoding=encoding.canonical(detected))
        else:
            batch = _from_frame(frame, path=path, columns=columns, encoding=encoding.canonical(detected),
                                locators=[f"line={n}" for n in range(start, start + len(frame))])
        yield batch


def _parse_lines(lines: list[str], start: int, *, path: Path, columns: dict[str, str] | None,
                 encoding: str | None) -> Batch:
    """Parse JSON Lines one line at a time, keeping each bad line as a reject."""
    where = locator(path)
    objects, rejects, locators = [], [], []
    for number, line in enumerate(lines, start):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            rejects.append(_json_reject(where, f"line={number}", line, exc))
            continue
        if not isinstance(value, dict):
            rejects.append(_not_object(where, f"line={number}", line))
            continue
        objects.append(value)
        locators.append(f"line={number}")
    batch = _from_frame(pd.DataFrame(objects), path=path, columns=columns, encoding=encoding, locators=locators)
    return _with_rejects(batch, rejects)


BLOCK_BYTES = 1 << 26  # lines parsed together: large enough to be fast, small enough to keep memory bounded
# A smaller file is cut into this many blocks (of 4 MB at least), so that it is normalised on both threads (or
# more) rather than as one batch on one (bench/README.md).
SMALL_FILE_BLOCKS = 4
MIN_BLOCK_BYTES = 1 << 22


def _block_bytes(file_size: int) -> int:
    return min(BLOCK_BYTES, max(MIN_BLOCK_BYTES, -(-file_size // SMALL_FILE_BLOCKS)))


def _byte_blocks(path: Path) -> Iterator[tuple[int, memoryview | bytes, int]]:
    """Yield (first line number, bytes of whole lines, line count) from a UTF-8 file, BOM removed.

    A plain file is memory-mapped and each block is a view of the map: nothing is copied before pyarrow parses it.
    A compressed file is read a block at a time.
    """
    if path.suffix.lower() in COMPRESSED or path.stat().st_size == 0:
        yield from _read_blocks(path)
        return
    with path.open("rb") as handle:
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    # Not closed here: the caller may still hold a view of the last block. The map goes when its views do.
    yield from _mapped_blocks(mapped, memoryview(mapped))


def _mapped_blocks(mapped: mmap.mmap, view: memoryview) -> Iterator[tuple[int, memoryview, int]]:
    start, line = (len(codecs.BOM_UTF8) if mapped[:3] == codecs.BOM_UTF8 else 0), 1
    block_bytes = _block_bytes(len(mapped))
    while start < len(mapped):
        end = min(start + block_bytes, len(mapped))
        if end < len(mapped):  # finish the line the block cut through
            newline = mapped.find(b"\n", end)
            end = len(mapped) if newline < 0 else newline + 1
        block = view[start:end]
        lines = int(np.count_nonzero(np.frombuffer(block, np.uint8) == 0x0A)) + (mapped[end - 1] != 0x0A)
        yield line, block, lines
        line += lines
        start = end


def _read_blocks(path: Path) -> Iterator[tuple[int, bytes, int]]:
    start = 1
    with open_binary(path) as handle:
        first = True
        while block := handle.read(BLOCK_BYTES):
            block += handle.readline()  # finish the line the block cut through
            if first:
                block, first = block.removeprefix(codecs.BOM_UTF8), False
            if not block.endswith(b"\n"):
                block += b"\n"
            lines = block.count(b"\n")
            yield start, block, lines
            start += lines


def _string_fields(head: bytes) -> set[str]:
    """Return the fields holding text in the first lines, so pyarrow keeps them as written (not as timestamps)."""
    fields: set[str] = set()
    for line in head.removeprefix(codecs.BOM_UTF8).split(b"\n")[:200]:
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            fields.update(k for k, v in value.items() if isinstance(v, str))
    return fields


def _arrow_block(block: bytes, line_count: int, text_fields: set[str]) -> pd.DataFrame | None:
    """Return a block of JSON lines as a frame of strings, or None when it needs reading line by line.

    pyarrow turns date-like strings into timestamps; such fields are added to `text_fields` and the block is read
    again, so later blocks keep them as written from the start.
    """
    table = _arrow_table(block, text_fields)
    dated = {f.name for f in table.schema if pa.types.is_temporal(f.type)} if table is not None else set()
    if dated:
        text_fields |= dated
        table = _arrow_table(block, text_fields)
    if table is None or table.num_rows != line_count:
        return None  # a bad line, or blank lines (row numbers would not match line numbers)
    columns = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_integer(column.type) or pa.types.is_null(column.type):
            column = column.cast(pa.large_string())  # the same digits Python's str() gives
        elif not pa.types.is_large_string(column.type) and not pa.types.is_string(column.type):
            return None  # floats, booleans, nested values: written the way Python writes them, line by line
        columns[name] = pd.Series(column, dtype="string")
    return pd.DataFrame(columns)


def _arrow_table(block: bytes, text_fields: set[str]) -> pa.Table | None:
    schema = pa.schema([(name, pa.large_string()) for name in sorted(text_fields)])
    options = pajson.ParseOptions(explicit_schema=schema, unexpected_field_behavior="infer")
    try:
        return pajson.read_json(pa.BufferReader(pa.py_buffer(block)), parse_options=options)
    except pa.ArrowInvalid:
        return None


def read_json(path: Path, *, columns: dict[str, str] | None = None) -> Batch:
    """Read a JSON document holding article objects: an array, or an object with an `items`-like list."""
    where = locator(path)
    content, detected = encoding.decode(read_bytes(path), name=where)
    items, leftover = _json_items(content, where=where)
    default_source = None
    if isinstance(items, dict):
        default_source = items.get("title") if isinstance(items.get("title"), str) else None
        items = _find_list(items, where=where)
    objects = [(i, item) for i, item in enumerate(items, 1) if isinstance(item, dict)]
    rejects = [_not_object(where, f"item={i}", as_json(item)) for i, item in enumerate(items, 1)
               if not isinstance(item, dict)]
    if leftover is not None:
        rejects.append({"origin": f"{where}#item={len(items) + 1}", "reason": "truncated file", "record": leftover,
                        "detail": f"{where}: the JSON stops in the middle after item {len(items)} "
                                  f"({leftover[:40]!r}…); "
                                  "the complete items before it were kept. Re-export the file to recover the rest."})
    frame = pd.DataFrame([item for _, item in objects])
    batch = _from_frame(frame, path=path, columns=columns, encoding=detected,
                        locators=[f"item={i}" for i, _ in objects], default_source=default_source)
    return _with_rejects(batch, rejects)


def _from_frame(frame: pd.DataFrame, *, path: Path, columns: dict[str, str] | None, encoding: str | None,
                locators: list[str], default_source: str | None = None) -> Batch:
    """Map a frame of a file's rows onto raw records, or reject the file when no usable column is there."""
    where = locator(path)
    if frame.empty:
        return Batch(records_frame([]), rejects_frame([]))
    mapping = fieldmap.resolve([str(c) for c in frame.columns], explicit=columns, where=where)
    _require(mapping, frame, where=where)
    records = fieldmap.apply(frame, mapping)
    records["source"] = fieldmap.derive_source(records, fallback=default_source or path.stem)
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


def _with_rejects(batch: Batch, rejects: list[dict]) -> Batch:
    if not rejects:
        return batch
    return Batch(batch.records, pd.concat([batch.rejects, rejects_frame(rejects)], ignore_index=True))


def _head(path: Path, size: int = 1 << 20) -> bytes:
    with open_binary(path) as handle:
        data = handle.read(size)
    if not data.strip():
        raise InputError(f"{locator(path)}: the file is empty. Remove it or fill it in, then ingest again.")
    return data


def _separator(path: Path, sample: str) -> str:
    from newsframe.ingest.readers.files import suffix

    if suffix(path) in {".tsv", ".tab"}:
        return "\t"
    try:
        return csv.Sniffer().sniff(sample[:65536].split("\n", 20)[0], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _csv_chunks(path: Path, *, sep: str, encoding: str, strict: bool, bad_lines: list | None = None):
    handle = io.TextIOWrapper(open_binary(path), encoding=encoding, newline="")
    options = {"engine": "c", "on_bad_lines": "error"} if strict else {
        "engine": "python", "on_bad_lines": lambda fields: bad_lines.append(fields)}
    with handle:
        yield from pd.read_csv(handle, sep=sep, dtype=str, keep_default_na=False, chunksize=CHUNK_ROWS, **options)


def _line_chunks(path: Path, detected: str) -> Iterator[tuple[int, list[str], str]]:
    """Yield (first line number, decoded lines, encoding) in chunks, so that large files stream."""
    with open_binary(path) as handle:
        text = io.TextIOWrapper(handle, encoding=detected, errors="replace")
        start, lines = 1, []
        for line in text:
            lines.append(line)
            if len(lines) == CHUNK_ROWS:
                yield start, lines, detected
                start, lines = start + len(lines), []
        if lines:
            yield start, lines, detected


def _json_items(content: str, *, where: str) -> tuple[list | dict, str | None]:
    """Return the parsed document and, when a top-level array was cut off, the unparsed rest of it."""
    try:
        return json.loads(content), None
    except json.JSONDecodeError as exc:
        if not content.lstrip().startswith("["):
            raise InputError(
                f"{where}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}). "
                "Check that the export finished, or re-export it."
            ) from exc
        return _salvage_array(content)


def _salvage_array(content: str) -> tuple[list, str]:
    """Return the complete items at the start of a cut-off JSON array, and the text that could not be parsed."""
    decoder = json.JSONDecoder()
    position = content.index("[") + 1
    items = []
    while True:
        while position < len(content) and content[position] in " \t\r\n,":
            position += 1
        try:
            item, position = decoder.raw_decode(content, position)
        except json.JSONDecodeError:
            return items, content[position:]
        items.append(item)


def _find_list(document: dict, *, where: str) -> list:
    for name in _LIST_KEYS:
        if isinstance(document.get(name), list):
            return document[name]
    lists = [k for k, v in document.items() if isinstance(v, list) and v and isinstance(v[0], dict)]
    if len(lists) == 1:
        return document[lists[0]]
    raise InputError(
        f"{where}: a JSON object without a list of articles. Expected an array of article objects, "
        f"or an object with one of {', '.join(_LIST_KEYS)}; found keys {', '.join(list(document)[:12])}."
    )


def _json_reject(where: str, loc: str, raw: str, exc: json.JSONDecodeError) -> dict:
    return {"origin": f"{where}#{loc}", "reason": "invalid JSON", "record": raw.rstrip("\n"),
            "detail": f"{where} {loc}: not valid JSON ({exc.msg} at column {exc.colno}). Fix or remove the line."}


def _not_object(where: str, loc: str, raw: str) -> dict:
    return {"origin": f"{where}#{loc}", "reason": "not an article object", "record": raw.rstrip("\n"),
            "detail": f"{where} {loc}: expected a JSON object with article fields (title, text, date…)."}


def _bad_line_reject(where: str, number: int, fields: list[str]) -> dict:
    return {"origin": f"{where}#bad-row={number}", "reason": "malformed CSV row", "record": as_json(fields),
            "detail": f"{where}: a row with {len(fields)} fields does not match the header; check its quoting."}
