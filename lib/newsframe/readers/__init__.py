"""Readers: one per input format, each turning a file into raw records with an origin locator.

Every reader returns a `Batch`: the records it could read (columns `RAW_FIELDS`, all strings, values as written)
and the records or whole file it had to reject, with a reason. `read` walks files and folders and picks the reader
for each file by its suffix, or by sniffing its first bytes when the suffix says nothing.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from newsframe.errors import InputError
from newsframe.schema import REJECT_COLUMNS, conform, empty_rejects

RAW_FIELDS = ("title", "text", "published", "source", "url", "section", "author", "language", "origin", "encoding")


@dataclass(frozen=True)
class Batch:
    """Records read from one file, and what was rejected from it.

    A batch read by a worker process may come back already normalised by the `then` given to `read`: `prepared`
    holds its result and `records` is then empty, `record_count` saying how many there were.
    """

    records: pd.DataFrame
    rejects: pd.DataFrame
    prepared: object = None
    record_count: int | None = None

    @property
    def read_count(self) -> int:
        """Records seen: the ones read plus the ones rejected (a whole-file reject counts as one)."""
        return (len(self.records) if self.record_count is None else self.record_count) + len(self.rejects)


def records_frame(rows: Iterable[dict] | pd.DataFrame) -> pd.DataFrame:
    """Return raw records with exactly the RAW_FIELDS columns, as strings (missing where absent)."""
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    frame = frame.reindex(columns=list(RAW_FIELDS))
    return frame.astype("string").reset_index(drop=True)


def rejects_frame(rows: Iterable[dict]) -> pd.DataFrame:
    """Return a rejects table from dicts with origin, reason, detail and optionally the raw record."""
    rows = list(rows)
    if not rows:
        return empty_rejects()
    return conform(pd.DataFrame(rows).reindex(columns=list(REJECT_COLUMNS)), REJECT_COLUMNS)


def as_json(record: dict) -> str:
    """Return a raw record as JSON for the rejects table, keeping every field and non-ASCII text readable."""
    return json.dumps(record, ensure_ascii=False, default=str)


def file_reject(origin: str, reason: str, detail: str) -> Batch:
    """Return a batch that rejects a whole file."""
    return Batch(records_frame([]), rejects_frame([{"origin": origin, "reason": reason, "detail": detail}]))


def _reader(name: str) -> Callable[..., Batch]:
    """Return the reader function for a format, importing only its module (feedparser and lxml load slowly)."""
    import importlib

    module, function = _READERS[name]
    return getattr(importlib.import_module(f"newsframe.readers.{module}"), function)


_READERS = {
    "text": ("text", "read_text"),
    "csv": ("table", "read_csv"),
    "json": ("table", "read_json"),
    "jsonl": ("table", "read_jsonl"),
    "feed": ("feed", "read_feed"),
    "html": ("html", "read_html"),
}


FORMAT_BY_SUFFIX = {
    ".txt": "text", ".text": "text",
    ".csv": "csv", ".tsv": "csv", ".tab": "csv",
    ".json": "json",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".xml": "feed", ".rss": "feed", ".atom": "feed", ".rdf": "feed",
    ".html": "html", ".htm": "html", ".xhtml": "html",
}  # fmt: skip


def detect_format(path: str | Path) -> str | None:
    """Return the reader name for a file from its suffix, else from its first bytes; None when unknown."""
    from newsframe.readers.files import open_binary, suffix

    known = FORMAT_BY_SUFFIX.get(suffix(path))
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


def expand(paths: Iterable[str | Path], *, listed: Callable[[list[str]], None] | None = None) -> list[str]:
    """Return the files under the given files and folders, sorted, skipping hidden ones; refuse missing paths.

    Files come as path strings, not `Path`s: a folder may hold a million articles, and making a `Path` of each
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
    sorting every path by its components at a quarter of the cost. A folder that cannot be listed is returned as
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


def read(paths: Iterable[str | Path], *, columns: dict[str, str] | None = None,
         then: Callable[[pd.DataFrame], object] | None = None) -> Iterator[Batch]:
    """Yield batches of records from the files under `paths`; a file that cannot be read becomes a reject.

    Text articles come one per file, so consecutive ones are read into shared batches rather than one each. A
    large folder of them is read by worker processes, which also apply `then` (a picklable function of the
    records, such as normalising them) to their batches, so that this work too is spread over the cores.
    """
    from newsframe.readers.files import locator

    texts = _TextBatches(then)
    files = expand(paths, listed=texts.count_listed)  # a large folder's workers start while it is being listed
    for path in files:
        try:
            name = detect_format(path)
        except InputError as exc:
            yield from texts.flush()
            folder = os.path.isdir(path)  # a folder `_walk` could not list
            yield _folder_reject(path) if folder else file_reject(locator(path), "unreadable file", str(exc))
            continue
        if name == "text":
            yield from texts.add(path)
            continue
        yield from texts.flush()  # batches come out in file order
        if name is None:
            yield file_reject(locator(path), "unsupported format", _unsupported(path))
            continue
        try:
            reader = _reader(name)
            path = Path(path)
            result = reader(path, columns=columns) if name in {"csv", "json", "jsonl"} else reader(path)
            yield from [result] if isinstance(result, Batch) else result  # large files come in several batches
        except InputError as exc:
            yield file_reject(locator(path), "unreadable file", str(exc))
    yield from texts.flush()


class _TextBatches:
    """Text articles, one per file, read in shared batches, in file order. In a large folder the batches are read
    by worker processes: opening and parsing 100,000 small files is Python work that threads cannot share."""

    def __init__(self, then: Callable[[pd.DataFrame], object] | None):
        self.then = then
        self.listed = 0  # text files seen while the input is listed
        self.pending: list[str] = []
        self.running: list = []  # futures of batches being read, oldest first
        self.pool = None  # worker processes, for a large folder only: they take about a second to start

    def count_listed(self, names: list[str]) -> None:
        """Count text files as the input is listed, and start the workers as soon as there are enough of them."""
        self.listed += sum(os.path.splitext(name)[1].lower() == ".txt" for name in names)
        if self.pool is None and self.listed >= WORKER_MIN_TEXT_FILES:
            self._start()

    def add(self, path: str) -> Iterator[Batch]:
        self.pending.append(path)
        if len(self.pending) >= TEXT_BATCH_FILES:
            yield from self._submit()

    def flush(self) -> Iterator[Batch]:
        if self.pending:
            yield from self._submit()
        while self.running:
            yield self.running.pop(0).result()

    def _submit(self) -> Iterator[Batch]:
        from newsframe.readers import text

        paths, self.pending = self.pending, []
        if self.pool is None:
            yield text.read_texts(paths)
            return
        self.running.append(self.pool.submit(_read_texts_then, paths, self.then))
        while len(self.running) > TEXT_WORKERS:  # bounded memory: at most one batch waiting per worker
            yield self.running.pop(0).result()

    def _start(self) -> None:
        # loky (shipped with joblib, which scikit-learn brings) starts clean worker processes without
        # re-running the caller's script, so a plain script without a __main__ guard works too; it reuses them.
        from joblib.externals.loky import get_reusable_executor

        self.pool = get_reusable_executor(max_workers=TEXT_WORKERS, timeout=60)
        for _ in range(TEXT_WORKERS):  # imports and the language model load while the folder is still listed
            self.pool.submit(_warm_up)


def _warm_up() -> None:
    from newsframe import language, normalise  # noqa: F401 - imported for the batches to come
    from newsframe.readers import text  # noqa: F401

    language.load_classifier()


def _read_texts_then(paths: list[str], then: Callable[[pd.DataFrame], object] | None) -> Batch:
    """Read text articles in a worker process, and apply `then` there; only the result travels back."""
    from newsframe.readers import text

    batch = text.read_texts(paths)
    if then is None or not len(batch.records):
        return batch
    return Batch(batch.records.iloc[0:0], batch.rejects, prepared=then(batch.records),
                 record_count=len(batch.records))


WORKER_MIN_TEXT_FILES = 20_000  # text files from which worker processes read them
TEXT_BATCH_FILES = 5_000  # text files read together (by one worker process in a large folder)
TEXT_WORKERS = min(2, os.cpu_count() or 1)


def _folder_reject(path: str) -> Batch:
    """Reject a folder that could not be listed (see `_walk`), saying why."""
    from newsframe.readers.files import locator

    try:
        os.scandir(path).close()
        problem = "it could not be listed while the input was read"
    except OSError as exc:
        problem = exc.strerror or str(exc)
    where = locator(path)
    return file_reject(where, "unreadable folder", f"{where}: cannot list this folder ({problem}), so none of its "
                       "files were read. Check its permissions, then ingest again.")


def _unsupported(path: str) -> str:
    return (
        f"{os.path.basename(path)}: not a format newsframe reads. Expected one of "
        f"{', '.join(sorted(FORMAT_BY_SUFFIX))} (optionally .gz/.xz/.bz2). Convert it, or move it out of the input."
    )
