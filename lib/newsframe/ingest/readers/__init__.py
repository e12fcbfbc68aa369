"""Readers: one module per input format, each turning a file into raw records (`ingest.records.Batch`).

    text      articles in the seed's format, one a file      csvfile   CSV and TSV, one article a row
    jsonfile  JSON documents and JSON Lines                  feed      RSS, RDF and Atom, one article an item
    html      saved article pages                            press/    Europresse, Factiva and LexisNexis exports
    files     opening files: compression, limits, locators   fields    column names -> raw fields
    table     what the tabular readers share

`detect_format` picks the reader for a file by its suffix, by its content where the suffix is shared (a Europresse
`.html` is an export, not a saved page), or by sniffing its first bytes when the suffix says nothing; `read_file`
runs it, turning a file that cannot be read into a reject. Readers know nothing of normalising: that is
`ingest.normalise`'s work.
"""

from __future__ import annotations

import gzip
import importlib
import lzma
import os
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from newsframe.errors import InputError
from newsframe.ingest.readers.files import locator, open_binary, suffix
from newsframe.ingest.records import Batch, file_reject

__all__ = [
    "FORMAT_BY_SUFFIX", "column_names", "detect_format", "read_file", "reader_for", "unreadable", "unsupported",
]

FORMAT_BY_SUFFIX = {
    ".txt": "text", ".text": "text",
    ".csv": "csv", ".tsv": "csv", ".tab": "csv",
    ".json": "json",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".xml": "feed", ".rss": "feed", ".atom": "feed", ".rdf": "feed",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".rtf": "export", ".pdf": "export", ".docx": "export",
}  # fmt: skip
# Suffixes a press-database export shares with other formats: such a file is recognised by its content.
_MAYBE_EXPORT = {".html", ".htm", ".xhtml", ".xml"}

# format -> (module, function). Each module is imported when a file of its format comes: feedparser, lxml and
# trafilatura load slowly, and most inputs need one or two formats.
_READERS = {
    "text": ("text", "read_text"),
    "csv": ("csvfile", "read_csv"),
    "json": ("jsonfile", "read_json"),
    "jsonl": ("jsonfile", "read_jsonl"),
    "feed": ("feed", "read_feed"),
    "html": ("html", "read_html"),
    "export": ("press", "read_export"),
}
_TAKES_COLUMNS = {"csv", "json", "jsonl"}  # formats whose field names `--column` can map


def detect_format(path: str | Path) -> str | None:
    """Return the reader name for a file from its suffix, else from its first bytes; None when unknown."""
    found = suffix(path)
    if found in _MAYBE_EXPORT and _is_export(path):
        return "export"
    known = FORMAT_BY_SUFFIX.get(found)
    if known:
        return known
    with open_binary(path) as handle:
        head = handle.read(2048).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if head.startswith(b"date "):
        return "text"
    if head.startswith(b"["):
        return "json"
    if head.startswith(b"{"):
        return "jsonl" if b"\n{" in head else "json"
    return None


def _is_export(path: str | Path) -> bool:
    """Return whether a page or XML file is a press-database export (Europresse, Factiva, LexisNexis), by its
    first bytes: an export is read as many articles, not as one page or a feed."""
    from newsframe.ingest.readers.press import sniff

    with open_binary(path) as handle:
        head = handle.read(sniff.HEAD_BYTES)
    return sniff.detect(head, suffix(path)) is not None


def reader_for(name: str) -> Callable[..., Batch | Iterator[Batch]]:
    """Return the reader function for a format, importing only its module."""
    module, function = _READERS[name]
    return getattr(importlib.import_module(f"newsframe.ingest.readers.{module}"), function)


_COLUMN_NAMES = {"csv": ("csvfile", "column_names"), "json": ("jsonfile", "json_field_names"),
                 "jsonl": ("jsonfile", "jsonl_field_names")}


def column_names(path: str | Path, name: str) -> list[str] | None:
    """Return the column names of a tabular file (its header, or the fields of its first objects); None for a
    format whose fields are not named by the file (text articles, feeds, pages)."""
    if name not in _COLUMN_NAMES:
        return None
    module, function = _COLUMN_NAMES[name]
    return getattr(importlib.import_module(f"newsframe.ingest.readers.{module}"), function)(Path(path))


def read_file(path: str | Path, name: str, *, columns: dict[str, str] | None = None) -> Iterator[Batch]:
    """Yield the batches of one file of format `name` (a large file comes in several); a file that cannot be read,
    or stops being readable part way, becomes a reject naming it and the problem, and ingest goes on. The records
    read before the problem are kept."""
    kept = 0
    try:
        reader = reader_for(name)
        result = reader(Path(path), columns=columns) if name in _TAKES_COLUMNS else reader(Path(path))
        for batch in [result] if isinstance(result, Batch) else result:
            kept += len(batch.records)
            yield batch
    except InputError as exc:
        yield file_reject(locator(path), "unreadable file", str(exc) + _kept(kept))
    except Exception as exc:  # noqa: BLE001 - one bad file must not stop the ingest: it is named in the rejects
        yield file_reject(locator(path), "unreadable file", unreadable(locator(path), exc) + _kept(kept))


def unreadable(where: str, exc: BaseException) -> str:
    """Say why a file could not be read, in a researcher's terms, from the exception its reading raised."""
    problem = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, EOFError | zlib.error | lzma.LZMAError | gzip.BadGzipFile) or (
            isinstance(exc, OSError) and "compressed" in str(exc).lower() + " " + type(exc).__name__.lower()):
        return (f"{where}: the compressed file is cut short or is not what its name says ({problem}). Download or "
                "compress it again, or name it by its real format.")
    if isinstance(exc, RecursionError):
        return f"{where}: nested more deeply than Python reads ({problem}); an article export never is."
    if isinstance(exc, MemoryError):
        return f"{where}: too large to read in this machine's memory. Split it, or convert it to JSON Lines or CSV."
    if isinstance(exc, UnicodeError):
        return f"{where}: text that cannot be decoded ({problem}). Re-save the file as UTF-8 and ingest it again."
    if isinstance(exc, OSError):
        return f"{where}: cannot read ({exc.strerror or problem}); the file may be truncated, corrupt or unreachable."
    return (f"{where}: could not be read ({problem}). If the file looks fine, this is a newsframe bug: please report "
            "it with the file.")


def _kept(count: int) -> str:
    return f" The {count:,} record(s) read before the problem were kept." if count else ""


def unsupported(path: str) -> str:
    """Say that a file is not in a format newsframe reads, and what to do."""
    return (
        f"{os.path.basename(path)}: not a format newsframe reads. Expected one of "
        f"{', '.join(sorted(FORMAT_BY_SUFFIX))} (optionally .gz/.xz/.bz2). Convert it, or move it out of the input."
    )
