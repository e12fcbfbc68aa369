"""Tabular inputs: CSV/TSV, JSON (an array, or an object holding one) and JSON Lines, one record per row or item.

Column names are recognised by `fields.ALIASES`; pass `columns={"text": "contenu", ...}` for the rest.
CSV and JSON Lines are read in a stream, so their size is not limited by memory.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from newsframe import encoding
from newsframe.errors import InputError
from newsframe.readers import Batch, as_json, records_frame, rejects_frame
from newsframe.readers import fields as fieldmap
from newsframe.readers.files import locator, open_binary, read_bytes

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


def read_jsonl(path: Path, *, columns: dict[str, str] | None = None) -> Batch:
    """Read a JSON Lines file, one article object per line; bad lines become rejects."""
    where = locator(path)
    batches: list[Batch] = []
    detected = None
    for start, lines, chunk_encoding in _line_chunks(path):
        detected = detected or chunk_encoding
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
        batch = _from_frame(pd.DataFrame(objects), path=path, columns=columns, encoding=encoding.canonical(detected),
                            locators=locators)
        batches.append(_with_rejects(batch, rejects))
    if not batches:
        raise InputError(f"{where}: the file is empty. Remove it or fill it in, then ingest again.")
    return Batch(pd.concat([b.records for b in batches], ignore_index=True),
                 pd.concat([b.rejects for b in batches], ignore_index=True))


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
    from newsframe.readers.files import suffix

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


def _line_chunks(path: Path) -> Iterator[tuple[int, list[str], str]]:
    """Yield (first line number, decoded lines, encoding) in chunks, so that large files stream."""
    where = locator(path)
    with open_binary(path) as handle:
        head = handle.read(1 << 20)
        detected = encoding.detect(head, name=where)
        encoding.check_is_text(head.decode(detected, errors="replace"), name=where)
        handle.seek(0)
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
