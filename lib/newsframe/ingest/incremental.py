"""Incremental ingest: read again only the input files that are new or changed since the corpus was written.

A corpus keeps, beside it, the list of the files it was read from (`corpus.files.parquet`: path, size, modification
time, and the content's digest of the files an incremental run read; a full run does not read every file twice to
hash it). The next ingest into the same corpus, with the same options, lists the input again and sorts its files:

    unchanged   same size and modification time, or the same content digest (a file touched, or copied back):
                its articles and rejects are taken from the corpus as they are
    to read     new files, and files whose size, time and content changed
    removed     files of the last run that are no longer in the input: their articles and rejects leave the corpus,
                as they would in a full ingest

The articles taken from the corpus and those read now are then joined in the order of the input files, and
everything that depends on the whole corpus is done again on all of them: telling identical records apart, exact
duplicates and older versions, near-duplicates. So the corpus is the one a full ingest would write (a test compares
them). A partitioned corpus with an index (`layout.INDEX`) is updated from it instead (`ingest.update`), reading the
texts of the new articles' days only. Anything that would make the corpus differ from a full ingest's makes this a
full ingest: other options or sources map, another working folder (the files' names in the corpus are relative to
it), another newsframe version, no list of files, or a record of the corpus whose file cannot be told.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsframe import __version__, corpus
from newsframe.arrays import arrow_strings
from newsframe.corpus import duplicates, ids, layout, schema
from newsframe.ingest import inputs, normalise
from newsframe.ingest.readers.files import locator

__all__ = ["FILE_COLUMNS", "Plan", "TEXT_COLUMNS", "digest", "file_list", "file_order", "in_file_order", "joined",
           "options_key", "plan", "reused_batch", "reused_months", "started", "CORPUS_ROW"]

FILE_COLUMNS = {"path": "string", "locator": "string", "size": "int64", "mtime_ns": "int64", "digest": "string"}
_DERIVED = ["duplicate_of", "story_id", "story_similarity"]  # done again on the whole corpus


@dataclass(frozen=True)
class Plan:
    """What an incremental ingest reads and what it takes from the corpus already written."""

    files: list[str]  # every input file, in input order
    to_read: list[str]
    # Of the unchanged files, as the corpus holds them; of a partitioned corpus, without their texts (a corpus may be
    # larger than memory): `reused_months` gives them whole, a month at a time.
    articles: pd.DataFrame
    rejects: pd.DataFrame
    notes: tuple[str, ...]
    removed: int
    retimed: int = 0  # unchanged files whose time changed: the list of files must be written again
    digests: dict[str, str | None] = field(default_factory=dict)  # of the files read now and those hashed to compare
    corpus: str = ""  # the partitioned corpus the articles are taken from, a month at a time; empty: one file
    kept: tuple[str, ...] = ()  # the unchanged files, as their records' `origin` names them
    # A partitioned corpus's index (`layout.INDEX`), when it has one: `ingest.update` starts from it, not from the
    # texts. Its `file` column counts in `index_files` (the corpus's list of files, as `origin` names them).
    index: pa.Table | None = None
    index_files: tuple[str, ...] = ()

    def counts(self) -> dict:
        return {"files": len(self.files), "read": len(self.to_read), "unchanged": len(self.files) - len(self.to_read),
                "removed": self.removed}

    @property
    def up_to_date(self) -> bool:
        """Whether the corpus already is what this run would write: no file new, changed, retimed or gone."""
        return not (self.to_read or self.removed or self.retimed)


def options_key(options: dict) -> str:
    """Return a key of what shapes the articles besides the files: the options, the sources map's content, the
    working folder (names in the corpus are relative to it) and newsframe's version."""
    sources_map = options.get("sources_map")
    mapped = Path(sources_map).read_bytes() if sources_map and Path(sources_map).is_file() else b""
    shaped = {name: value for name, value in sorted(options.items()) if name != "sources_map"}
    text = json.dumps([shaped, hashlib.sha1(mapped, usedforsecurity=False).hexdigest(), os.getcwd(), __version__],
                      sort_keys=True, default=str)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]


def started() -> int:
    """Return the time a run starts, on the clock the kernel stamps files with (coarse, ahead of no file written
    after it): see `file_list`."""
    return time.clock_gettime_ns(getattr(time, "CLOCK_REALTIME_COARSE", time.CLOCK_REALTIME))


def file_list(files: list[str], digests: dict[str, str | None] | None = None, *,
              since: int | None = None) -> pd.DataFrame:
    """Return the list of files a corpus was read from, as stored beside it: absolute path, the name its records'
    `origin` gives it, size, modification time in nanoseconds, and the content digest where one was taken.

    The files are listed while they are read, so a file may change between its read and its listing. Whatever was
    modified at or after `since` (the run's start, `started`) is stored with no time: the next run reads it again
    unless its digest shows it unchanged (git calls such entries "racily clean").
    """
    rows, cwd = [], os.getcwd()
    for path in files:
        try:
            found = os.stat(path)
            size, mtime = found.st_size, found.st_mtime_ns
        except OSError:  # a file that could not be read is a reject; it is read again next time
            size, mtime = -1, -1
        if since is not None and mtime >= since:
            mtime = -1
        rows.append((_stored(path, cwd), locator(path, cwd=cwd), size, mtime, (digests or {}).get(path)))
    frame = pd.DataFrame(rows, columns=list(FILE_COLUMNS))
    return frame.astype(FILE_COLUMNS)


def plan(paths: list[str | Path], *, out: str | Path, key: str) -> Plan | None:
    """Return what to read again of the files under `paths` for the corpus at `out`, or None when only a full
    ingest gives the corpus a full ingest would (see the module's docstring)."""
    if not Path(out).exists():  # nothing there yet (files beside the path may belong to another corpus)
        return None
    try:
        summary = corpus.read_summary(out)
        if summary.get("ingest_key") != key:
            return None
        before = pd.read_parquet(corpus.files_path(out))
    except Exception:  # noqa: BLE001 - no corpus, no list of files, or one that cannot be read: read everything
        return None
    files = inputs.expand(paths)
    known = dict(zip(before["path"], zip(before["size"], before["mtime_ns"], before["digest"].fillna(""),
                                         strict=True), strict=True))
    cwd = os.getcwd()
    stored = [_stored(path, cwd) for path in files]
    unchanged, to_read, digests, retimed = [], [], {}, 0
    for path, name in zip(files, stored, strict=True):
        same = _same(path, *known[name], digests) if name in known else ""
        if same:
            unchanged.append(path)
            retimed += same == "by content"
        else:
            to_read.append(path)
            digests[path] = digest(path)  # read now anyway: next time, a touch without a change is known as such
    kept = [locator(path, cwd=cwd) for path in unchanged]
    partitioned, every = layout.is_dataset(out), before["locator"].tolist()
    index = _index(out, every) if partitioned else None
    rejects, kept_names = corpus.read_rejects(out), set(kept)
    if index is not None:
        articles = _from_index(index, every)
        kept_articles = np.isin(index["file"].to_numpy(), [at for at, name in enumerate(every) if name in kept_names])
    else:
        articles = _without_texts(out) if partitioned else corpus.read(out)
        if _file_index(articles["origin"], every).isna().any():
            return None  # a record whose file cannot be told: only a full ingest accounts for it
        kept_articles = _file_index(articles["origin"], kept).notna().to_numpy()
    if _file_index(rejects["origin"], every).isna().any():
        return None
    reject_files = _file_index(rejects["origin"], kept)
    notes = tuple(note for note in summary.get("notes", []) if _about(note, kept_names))
    removed = len(set(known) - set(stored))
    return Plan(files, to_read, articles[kept_articles].reset_index(drop=True),
                rejects[reject_files.notna().to_numpy()].reset_index(drop=True), notes, removed, retimed, digests,
                corpus=str(out) if partitioned else "", kept=tuple(kept), index=index, index_files=tuple(every))


def _index(path: str | Path, files: list[str]) -> pa.Table | None:
    """Return a partitioned corpus's index (`layout.read_index`) when it describes this corpus: a row per article,
    each naming one of its `files`; else None (the articles are then read from the months)."""
    try:
        index = layout.read_index(path)
        if index is None or index.num_rows != layout.count_rows(path):
            return None
    except Exception:  # noqa: BLE001 - an index that cannot be read: the corpus's months can
        return None
    file = index["file"].to_numpy()
    return index if not len(file) or (file.min() >= 0 and file.max() < len(files)) else None


def _from_index(index: pa.Table, files: list[str]) -> pd.DataFrame:
    """Return the articles of a corpus's index as a partitioned ingest holds them (`spill.Index.articles`: ids as
    numbers, sources, languages and `origin`, the name of the article's file, as categories), for the summary of a
    run that writes nothing: at ten million articles, ids and names as text would take gigabytes."""
    pointing = index["duplicate_of"].to_numpy() != 0
    table = pa.table({
        "article_id": index["article_id"], "published": pc.cast(index["published"], pa.timestamp("us", tz="UTC")),
        "source": index["source"], "language": index["language"],
        "origin": pa.DictionaryArray.from_arrays(index["file"].combine_chunks().cast(pa.int32()),
                                                 pa.array(files, pa.large_string())),
        "duplicate_of": pa.array(index["duplicate_of"].to_numpy(), mask=~pointing),
        "story_id": index["story_id"], "title_only": index["title_only"]})
    return table.to_pandas(types_mapper={pa.uint64(): pd.UInt64Dtype()}.get)


TEXT_COLUMNS = ["title", "text", "subtitle"]  # what a partitioned corpus's plan leaves out of memory


def _without_texts(path: str | Path) -> pd.DataFrame:
    """Return the articles of a partitioned corpus without `TEXT_COLUMNS`, read a month at a time, with `title_only`
    (no text) for the summary."""
    months, columns = [], [n for n in layout.schema_names(path) if n not in TEXT_COLUMNS]
    for month in layout.months(path):
        table = layout.read_month(month, columns=[*columns, "text", layout.ROW])
        months.append(table.append_column("title_only", pc.equal(table["text"], "")).drop_columns(["text"]))
    table = pa.concat_tables(months)
    return table.take(pc.sort_indices(table[layout.ROW])).drop_columns([layout.ROW]).to_pandas(
        types_mapper=arrow_strings)


def reused_months(previous: Plan) -> Iterator[pd.DataFrame]:
    """Yield the articles of a partitioned corpus's unchanged files, whole, a month at a time (`reused_batch`
    makes each a normalised batch), with their row in that corpus (`CORPUS_ROW`)."""
    columns = [*layout.schema_names(previous.corpus), layout.ROW]
    for month in layout.months(previous.corpus):
        articles = layout.read_month(month, columns=columns).to_pandas()
        articles = schema.upgrade(articles.sort_values(layout.ROW).rename(columns={layout.ROW: CORPUS_ROW}))
        kept = _file_index(articles["origin"], list(previous.kept)).notna().to_numpy()
        if kept.any():
            yield articles[kept].reset_index(drop=True)


# Each article's row in the corpus it was taken from: a file's articles span several months, and their order in the
# file is this one, not the order of the months they are taken in.
CORPUS_ROW = "_corpus_row"


def file_order(origins: pd.Series, files: list[str], within: np.ndarray | None = None) -> np.ndarray:
    """Return the positions that put records (by their `origin`) in the order of their files in `files`, each
    file's records as they were (in the order of `within` when given, else as they come): the order a full ingest
    gives."""
    order = file_positions(origins, locators(files))
    return order.argsort(kind="stable") if within is None else np.lexsort((within, order))


def locators(files: list[str]) -> list[str]:
    """Return the files as records' origins name them (`locator`)."""
    cwd = os.getcwd()
    return [locator(path, cwd=cwd) for path in files]


def file_positions(origins: pd.Series, names: list[str]) -> np.ndarray:
    """Return the place in `names` (`locators`) of each record's file, one past the last for a file not in it."""
    return _file_index(origins, names).fillna(len(names)).to_numpy("int64")


def _about(note: str, names: set[str]) -> bool:
    """Return whether a reader's note is about one of the files `names`: notes start with the file, `raw/x.csv: …`
    (a name may hold `: ` itself, so each place is tried)."""
    return any(note[:at] in names for at in range(len(note)) if note.startswith(": ", at))


def _stored(path: str, cwd: str | None = None) -> str:
    # A file name's bytes need not be UTF-8 (`a\xff.txt`): stored as text, they are escaped.
    absolute = path if os.path.isabs(path) else os.path.join(cwd or os.getcwd(), path)
    return os.fsencode(os.path.normpath(absolute)).decode("utf-8", "backslashreplace")


def _same(path: str, size: int, mtime_ns: int, stored_digest: str, digests: dict[str, str | None]) -> str:
    """Return how a file is known unchanged: "by time" (size and time), "by content" (the digest, its time having
    changed), or "" when it changed or cannot be told."""
    try:
        found = os.stat(path)
    except OSError:
        return ""
    if found.st_size == size and found.st_mtime_ns == mtime_ns:
        if stored_digest:
            digests[path] = stored_digest
        return "by time"
    if not stored_digest or found.st_size != size:
        return ""
    digests[path] = digest(path)
    return "by content" if digests[path] == stored_digest else ""


def digest(path: str) -> str | None:
    """Return the SHA-1 of a file's content (None when it cannot be read: reading it will say why)."""
    if inputs.special_kind(path):  # a named pipe would never be read to its end
        return None
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha1").hexdigest()
    except OSError:
        return None


def _file_index(origins: pd.Series, names: list[str]) -> pd.Series:
    """Return the position in `names` (files as `locator` shows them) of each record's file, missing when it is
    none of them. An origin is a file's name, or its name and a record: `raw/x.csv#row=12` (a file's name may hold a
    `#`, so the whole origin is tried first)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    whole = pa.array(origins.fillna("").astype(str).to_numpy(), type=pa.large_string())
    value_set = pa.array(names, type=pa.large_string())
    found = pc.index_in(whole, value_set=value_set)
    file_part = pc.replace_substring_regex(whole, pattern="#[^#]*$", replacement="")
    found = pc.coalesce(found, pc.index_in(file_part, value_set=value_set))
    return pd.Series(found.to_pandas(), index=origins.index).astype("Int64")


def reused_batch(articles: pd.DataFrame) -> pd.DataFrame:
    """Return articles taken from the corpus as a normalised batch is: ids before identical records were told
    apart, each text's duplicate key, and nothing that is done again on the whole corpus.

    Columns: those of `articles` but `duplicate_of`, `story_id` and `story_similarity` (done again), with
    `article_id` recomputed and `_text_key` added (each text's duplicate key, for `normalise.combine_batches`).
    """
    digests = ids.text_digests(articles["text"])
    return articles.drop(columns=_DERIVED).assign(article_id=ids.article_ids(articles, digests),
                                                  **{normalise.TEXT_KEY: duplicates.duplicate_key(digests)})


def joined(batches: list[pd.DataFrame], files: list[str]) -> list[pd.DataFrame]:
    """Return normalised batches (those read now, and `reused_batch`) as one, in the order of `files`."""
    batches = [batch for batch in batches if len(batch)]
    return [in_file_order(pd.concat(batches, ignore_index=True), files)] if batches else []


def in_file_order(frame: pd.DataFrame, files: list[str]) -> pd.DataFrame:
    """Return rows (articles or rejects) in the order of their files in `files`, each file's rows as they were:
    the order a full ingest gives."""
    return frame.iloc[file_order(frame["origin"], files)].reset_index(drop=True)
