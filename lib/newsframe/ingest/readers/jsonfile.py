"""JSON (an array of articles, or an object holding one) and JSON Lines (one article object per line).

Column names are recognised by `fields.ALIASES`; pass `columns={"text": "contenu", ...}` for the rest. JSON Lines
are read in a stream, so their size is not limited by memory: a line longer than MAX_RECORD_BYTES is a reject read
past without being held, a line nested too deeply a reject of its own.
"""

from __future__ import annotations

import codecs
import json
import mmap
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.json as pajson

from newsframe.errors import InputError
from newsframe.ingest import encoding
from newsframe.ingest.readers.files import (
    COMPRESSED,
    Overlong,
    line_blocks,
    locator,
    open_binary,
    read_bytes,
    split_long_lines,
)
from newsframe.ingest.readers.table import (
    CHUNK_ROWS,
    Lines,
    Skipped,
    from_frame,
    head,
    mixed_note,
    too_long,
    with_rejects,
)
from newsframe.ingest.records import Batch, as_json, records_frame, rejects_frame

__all__ = ["json_field_names", "jsonl_field_names", "read_json", "read_jsonl"]

_LIST_KEYS = ("items", "articles", "data", "results", "records", "docs", "documents", "entries", "posts", "news")


def read_jsonl(path: Path, *, columns: dict[str, str] | None = None) -> Iterator[Batch]:
    """Read a JSON Lines file, one article object per line, in batches; bad lines become rejects.

    UTF-8 files are parsed by pyarrow a block of lines at a time; a block it cannot take as it is (a bad line, a
    number or a nested object where text was expected, blank lines) is parsed again line by line, so every line
    still gets its own record or reject. A file in another encoding is read line by line.
    """
    where = locator(path)
    first = head(path)
    detected = encoding.detect(first, name=where)
    encoding.check_is_text(first.decode("utf-8" if detected == encoding.MIXED else detected, errors="replace"),
                           name=where)
    if detected not in {"utf-8", "utf-8-sig", "ascii"}:
        yield from _read_decoded(path, detected, columns=columns)
        return
    text_fields, mixed = _string_fields(first), _Mixed()
    for item in _byte_blocks(path):
        if isinstance(item, Overlong):
            yield with_rejects(_nothing(), [too_long(where, f"line={item.number}", item)])
            continue
        start, block, line_count = item
        frame = _arrow_block(block, line_count, text_fields)
        if frame is None:
            yield _parse_lines(_split(block, line_count), start, path=path, columns=columns, mixed=mixed)
        else:
            yield from_frame(frame, path=path, columns=columns, encoding=encoding.canonical(detected),
                             locators=[f"line={n}" for n in range(start, start + len(frame))])
    if mixed.count:
        yield with_rejects(_nothing(), [], (mixed_note(where, mixed.count, mixed.first),))


def jsonl_field_names(path: Path) -> list[str]:
    """Return the fields of the first objects of a JSON Lines file (its first megabyte)."""
    names: dict[str, None] = {}
    for line in head(path).split(b"\n")[:200]:
        try:
            value = json.loads(line)
        except (ValueError, RecursionError):
            continue
        names.update(dict.fromkeys(value) if isinstance(value, dict) else {})
    return list(names)


def json_field_names(path: Path) -> list[str]:
    """Return the fields of the first articles of a JSON document."""
    content, _ = encoding.decode(read_bytes(path), name=locator(path))
    items, _ = _json_items(content, where=locator(path))
    if isinstance(items, dict):
        items = _find_list(items, where=locator(path))
    names: dict[str, None] = {}
    for item in items[:200]:
        names.update(dict.fromkeys(item) if isinstance(item, dict) else {})
    return list(names)


def _nothing() -> Batch:
    return Batch(records_frame([]), rejects_frame([]))


def _split(block: bytes | memoryview, line_count: int) -> list[bytes]:
    return bytes(block).split(b"\n")[:line_count]


class _Mixed:
    """Lines of a UTF-8 file that were not UTF-8: how many, and the first."""

    def __init__(self):
        self.count, self.first = 0, 0

    def decode(self, line: bytes, number: int) -> tuple[str, str]:
        text, used = encoding.decode_line(line, "utf-8")
        if used != "utf-8":
            self.count += 1
            self.first = self.first or number
        return text, used


def _read_decoded(path: Path, detected: str, *, columns: dict[str, str] | None) -> Iterator[Batch]:
    """Read a JSON Lines file that is not in UTF-8 line by line, in chunks of lines."""
    where, lines = locator(path), Lines(path, detected)
    chunk, rejects = [], []
    while True:
        try:
            chunk.append((lines.number + 1, next(lines), lines.encoding))
        except StopIteration:
            break
        except Skipped as skipped:
            rejects.append(too_long(where, f"line={skipped.line.number}", skipped.line))
        except Exception:
            yield with_rejects(_parse_decoded(chunk, path=path, columns=columns), rejects)  # read before the break
            raise
        lines.record_done()
        if len(chunk) == CHUNK_ROWS:
            yield with_rejects(_parse_decoded(chunk, path=path, columns=columns), rejects)
            chunk, rejects = [], []
    notes = (mixed_note(where, lines.mixed, lines.first_mixed),) if lines.mixed else ()
    yield with_rejects(_parse_decoded(chunk, path=path, columns=columns), rejects, notes)


def _parse_decoded(chunk: list[tuple[int, str, str]], *, path: Path, columns: dict[str, str] | None) -> Batch:
    where = locator(path)
    objects, rejects, locators, encodings = [], [], [], []
    for number, line, used in chunk:
        value = _parse_line(line, where=where, loc=f"line={number}", rejects=rejects)
        if value is not None:
            objects.append(value)
            locators.append(f"line={number}")
            encodings.append(used)
    batch = from_frame(pd.DataFrame(objects), path=path, columns=columns, encoding=encodings, locators=locators)
    return with_rejects(batch, rejects)


def _parse_lines(lines: list[bytes], start: int, *, path: Path, columns: dict[str, str] | None,
                 mixed: _Mixed) -> Batch:
    """Parse UTF-8 JSON Lines one line at a time, keeping each bad line as a reject."""
    decoded = [(number, *mixed.decode(line, number)) for number, line in enumerate(lines, start)]
    return _parse_decoded([(n, text, encoding.canonical(used)) for n, text, used in decoded], path=path,
                          columns=columns)


def _parse_line(line: str, *, where: str, loc: str, rejects: list[dict]) -> dict | None:
    """Return the article object on a line, None for a blank line or a bad one (added to `rejects`)."""
    if not line.strip():
        return None
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        rejects.append(_json_reject(where, loc, line, exc))
        return None
    except RecursionError:
        rejects.append(_too_deep(where, loc, line))
        return None
    if not isinstance(value, dict):
        rejects.append(_not_object(where, loc, line))
        return None
    return _without_lone_surrogates(value) if _SURROGATE_ESCAPE.search(line) else value


# JSON may escape half of a UTF-16 pair alone (`"\ud800"`): Python then holds a lone surrogate, which no text
# may contain and pyarrow refuses. Such values get U+FFFD in its place, and the record is kept.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(value):
    """Return a parsed JSON value with every lone surrogate in its strings replaced by U+FFFD."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_lone_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_lone_surrogates(k): _without_lone_surrogates(v) for k, v in value.items()}
    return value


BLOCK_BYTES = 1 << 26  # lines parsed together: large enough to be fast, small enough to keep memory bounded
# A smaller file is cut into this many blocks (of 4 MB at least), so that it is normalised on both threads (or
# more) rather than as one batch on one (bench/README.md).
SMALL_FILE_BLOCKS = 4
MIN_BLOCK_BYTES = 1 << 22


def _block_bytes(file_size: int) -> int:
    return min(BLOCK_BYTES, max(MIN_BLOCK_BYTES, -(-file_size // SMALL_FILE_BLOCKS)))


def _byte_blocks(path: Path) -> Iterator[tuple[int, memoryview | bytes, int] | Overlong]:
    """Yield (first line number, bytes of whole lines, line count) from a UTF-8 file, BOM removed, and an
    `Overlong` in place of a line longer than MAX_RECORD_BYTES.

    A plain file is memory-mapped and each block is a view of the map: nothing is copied before pyarrow parses it.
    A compressed file is read a block at a time.
    """
    if path.suffix.lower() in COMPRESSED or path.stat().st_size == 0:
        with open_binary(path) as handle:
            first = True
            for item in line_blocks(handle, block_bytes=BLOCK_BYTES):
                if first and not isinstance(item, Overlong):
                    item, first = (item[0], bytes(item[1]).removeprefix(codecs.BOM_UTF8), item[2]), False
                yield item
        return
    with path.open("rb") as handle:
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    # Not closed here: the caller may still hold a view of the last block. The map goes when its views do.
    yield from _mapped_blocks(mapped, memoryview(mapped))


def _mapped_blocks(mapped: mmap.mmap, view: memoryview) -> Iterator[tuple[int, memoryview, int] | Overlong]:
    start, line = (len(codecs.BOM_UTF8) if mapped[:3] == codecs.BOM_UTF8 else 0), 1
    block_bytes = _block_bytes(len(mapped))
    while start < len(mapped):
        end = min(start + block_bytes, len(mapped))
        if end < len(mapped):  # finish the line the block cut through
            newline = mapped.find(b"\n", end)
            end = len(mapped) if newline < 0 else newline + 1
        for item in split_long_lines(view[start:end], line):
            yield item
            line += 1 if isinstance(item, Overlong) else item[2]
        start = end


def _string_fields(head: bytes) -> set[str]:
    """Return the fields holding text in the first lines, so pyarrow keeps them as written (not as timestamps)."""
    fields: set[str] = set()
    for line in head.removeprefix(codecs.BOM_UTF8).split(b"\n")[:200]:
        try:
            value = json.loads(line)
        except (ValueError, RecursionError):  # a bad line is the line-by-line reader's to report
            continue
        if isinstance(value, dict):
            fields.update(k for k, v in value.items() if isinstance(v, str))
    return fields


def _arrow_block(block: bytes, line_count: int, text_fields: set[str]) -> pd.DataFrame | None:
    """Return a block of JSON lines as a frame of strings, or None when it needs reading line by line.

    pyarrow turns date-like strings into timestamps; such fields are added to `text_fields` and the block is read
    again, so later blocks keep them as written from the start.
    """
    if _nested_deeply(block):
        return None
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


# pyarrow's JSON parser recurses into nested values and crashes the process (a stack overflow, not an error) past
# about 10,000 levels; Python's json module raises RecursionError instead, which becomes a reject. No article
# needs more than a few levels, so a block with a line opening more brackets than this goes line by line.
ARROW_MAX_BRACKETS = 1_000
_ALL_BUT_OPENERS = bytes(b for b in range(256) if b not in b"[{\n")


def _nested_deeply(block: bytes | memoryview) -> bool:
    """Return whether some line of the block opens more than ARROW_MAX_BRACKETS brackets (an upper bound of its
    nesting depth: brackets inside strings count too)."""
    openers = bytes(block).translate(None, _ALL_BUT_OPENERS)
    return len(openers) > ARROW_MAX_BRACKETS and max(map(len, openers.split(b"\n"))) > ARROW_MAX_BRACKETS


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
    if _SURROGATE_ESCAPE.search(content):
        items = _without_lone_surrogates(items)
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
    batch = from_frame(frame, path=path, columns=columns, encoding=detected,
                        locators=[f"item={i}" for i, _ in objects], default_source=default_source)
    return with_rejects(batch, rejects)


def _json_items(content: str, *, where: str) -> tuple[list | dict, str | None]:
    """Return the parsed document and, when a top-level array was cut off, the unparsed rest of it; refuse a
    document that is neither an array nor an object."""
    try:
        document = json.loads(content)
    except RecursionError:
        raise InputError(f"{where}: JSON nested more deeply than Python reads (thousands of levels); an article "
                         "export never is. Check what produced the file.") from None
    except json.JSONDecodeError as exc:
        if not content.lstrip().startswith("["):
            raise InputError(
                f"{where}: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}). "
                "Check that the export finished, or re-export it."
            ) from exc
        return _salvage_array(content)
    if not isinstance(document, list | dict):  # a string would be read as one "item" per character
        raise InputError(f"{where}: the top level of this JSON is {_shown_value(document)}, where an array of article "
                         f"objects, or an object holding one (under {', '.join(_LIST_KEYS[:4])}…), was expected. "
                         "Check that the file is an article export.")
    return document, None


def _shown_value(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    shown = value if isinstance(value, str) else json.dumps(value)
    shown = repr(shown) if len(shown) <= 40 else f"'{shown[:40]}…'"
    return f"a string ({shown})" if isinstance(value, str) else f"a number ({shown.strip(chr(39))})"


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


def _too_deep(where: str, loc: str, raw: str) -> dict:
    return {"origin": f"{where}#{loc}", "reason": "invalid JSON", "record": raw[:1000],
            "detail": f"{where} {loc}: JSON nested more deeply than Python reads (thousands of levels); an article "
                      "never is. Fix or remove the line."}


def _not_object(where: str, loc: str, raw: str) -> dict:
    return {"origin": f"{where}#{loc}", "reason": "not an article object", "record": raw.rstrip("\n"),
            "detail": f"{where} {loc}: expected a JSON object with article fields (title, text, date…)."}
