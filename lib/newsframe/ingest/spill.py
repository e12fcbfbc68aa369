"""A partitioned ingest's articles kept on disk while they are read, so that its memory does not grow with the texts.

A corpus written as a dataset (`newsframe ingest --partitioned`) may be larger than memory. Its normalised batches
are written, by month, to a folder beside the output as they come (`Spill.append`), and memory keeps only the
columns that need every article at once (`Index`: ids as numbers, URLs as keys, dates, the duplicate key, and what
the summary counts: about 40 bytes an article, where the text alone is several KB). Then (`Spill.finish`):

1. identical records get distinct ids, and exact duplicates and older versions are flagged, on the index
   (`corpus.ids`, `corpus.duplicates`, the rules a corpus in memory gets);
2. near-duplicates are found in time order, a chunk of at most `CHUNK` articles at a time
   (`near_duplicates.InTimeOrder`);
3. each month is read again, given its ids, duplicates and stories, and written as the corpus's month folder
   (`write_months`), one month in memory at a time; then the corpus's index (`layout.INDEX`), from which the next
   incremental run starts (`ingest.update`).

Rejects, raw records included, go to disk as they come too (`Rejects`): a wrong date column can reject ten million
records, and memory keeps only their files' places, counts and the first reject of each reason.

The corpus written is the one `ingest.read` builds in memory, row for row (tests/ingest/test_spill.py compares them).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newsframe import memory
from newsframe.arrays import arrow_strings
from newsframe.corpus import duplicates, ids, layout, near_duplicates, schema
from newsframe.ingest import incremental, normalise

__all__ = ["CHUNK", "Index", "Rejects", "Spill", "beside", "id_strings", "index_table", "text_ids"]

CHUNK = 50_000  # articles shingled together when near-duplicates are looked for (about 0.5 GB at 400 words each)
BUFFER_BYTES = 128 * 2**20  # batches held before they are appended to their months' files


@contextlib.contextmanager
def beside(out: str | Path) -> Iterator[Path]:
    """Yield a new folder beside `out` for a spill (on the output's disk: a spill is as large as the corpus, and the
    system's temporary folder may be a small one in memory), removed afterwards whatever happens; spills that killed
    runs left beside `out` are removed first."""
    out = Path(out).absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{out.name}.spill-"
    for leftover in out.parent.glob(f"{prefix}*"):
        pid = leftover.name[len(prefix):].split(".")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}.", dir=out.parent))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive, and not ours to clean
        return True
    return True


class Spill:
    """Normalised batches (`normalise.normalise_batch`'s articles) appended to one Parquet file a month in `folder`,
    in the order they are appended; memory keeps an `Index` of every article.

    With `files` (an incremental run: the articles read now come before those taken from the corpus), the corpus
    order is the order of the articles' files in `files`, each file's articles in their old order; without, the
    order they were appended in."""

    def __init__(self, folder: str | Path, files: list[str] | None = None) -> None:
        self.folder = Path(folder)
        self._rows = 0
        self._schema: pa.Schema | None = None
        self._buffered: dict[str, list[pa.Table]] = {}
        self._buffered_bytes = 0
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._parts: dict[str, list[Path]] = {}  # each month's files: appending after `close` opens new ones
        self._files = incremental.locators(files) if files is not None else None
        self._index = _IndexBuilder(files=self._files)
        self._finder: near_duplicates.InTimeOrder | None = None  # near-duplicates found, for their similarities
        self._rows_in_order: np.ndarray | None = None  # appended row -> row in the corpus, when they differ
        self._stored: dict | None = None  # what `finish` found that the corpus's index keeps (`layout.INDEX`)
        self.older_versions = 0  # counted by `finish`
        self.rejects = Rejects(self.folder / "rejects.parquet")

    def append(self, articles: pd.DataFrame) -> None:
        """Add a normalised batch: its articles take the next rows of the corpus."""
        if articles.empty:
            return
        rows = np.arange(self._rows, self._rows + len(articles))
        self._rows += len(articles)
        table = pa.Table.from_pandas(_conformed(articles), preserve_index=False).append_column(layout.ROW,
                                                                                            pa.array(rows))
        if self._schema is None:
            self._schema = table.schema
        table = table.cast(self._schema)
        self._index.add(table, articles, rows)
        months = layout.month_keys(table["published"])
        for month in pc.unique(months).to_pylist():
            part = table.filter(pc.equal(months, month))
            self._buffered.setdefault(month, []).append(part)
            self._buffered_bytes += part.nbytes
        if self._buffered_bytes > BUFFER_BYTES:
            self._flush()

    def _flush(self) -> None:
        for month, tables in self._buffered.items():
            if month not in self._writers:
                files = self._parts.setdefault(month, [])
                files.append(self.folder / f"{month}.{len(files)}.parquet")
                self._writers[month] = pq.ParquetWriter(files[-1], self._schema, compression="lz4")
            self._writers[month].write_table(pa.concat_tables(tables))
        self._buffered, self._buffered_bytes = {}, 0
        memory.give_back()  # what the batches freed, lest the process grow with their number

    def close(self) -> None:
        self._flush()
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def months(self) -> list[str]:
        return sorted(self._parts)

    def index(self) -> Index:
        """Return the index of the articles appended, in the order they were appended (`Index`)."""
        return self._index.built()

    def put_in_order(self, rows: np.ndarray | None) -> None:
        """Give the articles appended their rows in the corpus (`rows[appended row]`; None: the order appended), as
        `read_month` gives them."""
        self._rows_in_order = rows

    def read_month(self, month: str, *, columns: list[str] | None = None) -> pd.DataFrame:
        """Return one month's articles as spilled, in corpus order, with their `row` in the corpus."""
        table = pa.concat_tables([pq.read_table(part, columns=columns) for part in self._parts[month]])
        if self._rows_in_order is not None:
            table = table.set_column(table.schema.get_field_index(layout.ROW), layout.ROW,
                                     pa.array(self._rows_in_order[table[layout.ROW].to_numpy()]))
        return table.take(pc.sort_indices(table[layout.ROW])).to_pandas(types_mapper=arrow_strings)

    def _read_rows(self, rows: np.ndarray, published: np.ndarray, *, columns: list[str] | None = None
                   ) -> pd.DataFrame:
        """Return the articles at corpus `rows` (published at `published`, microseconds), in the order of `rows`,
        reading only their months."""
        wanted = pa.array(rows, pa.int64())
        months = layout.month_keys(pa.array(published, pa.timestamp("us", tz="UTC"))).to_pylist()
        frames = [month[pc.is_in(pa.array(month[layout.ROW].to_numpy()), value_set=wanted).to_numpy(
            zero_copy_only=False)] for month in (self.read_month(m, columns=columns) for m in sorted(set(months)))]
        return pd.concat(frames).set_index(layout.ROW, drop=False).loc[rows].reset_index(drop=True)

    def finish(self, *, stories: bool, threshold: float, window_days: float,
               files: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Return (the articles without their texts, one row each in corpus order: `article_id`, `published`,
        `source`, `language`, `duplicate_of`, `story_id`, `title_only`, ids as numbers (`Index.articles`); the
        near-duplicate pairs, None when `stories` is False), and count the older versions (`older_versions`).
        Stories are kept in memory as first-copy rows; `write_months` gives each month its columns, and writes the
        corpus's index (`files`: the run's input files, which its `file` column counts in)."""
        self.close()
        index = self._index.built()
        if self._files is not None:
            order = np.lexsort((index.within, index.file))
            index = index.take(order)
            self._rows_in_order = np.empty(len(order), np.int64)
            self._rows_in_order[order] = np.arange(len(order))
        raw_id = index.id
        index.id = self._separate_identical(index)
        target = duplicates.pointers(index.published, index.url_key, index.text_key, index.id,
                                     origin_of=lambda rows: self._read_rows(rows, index.published[rows],
                                                                            columns=[layout.ROW, "origin"])["origin"])
        self.older_versions = int((duplicates.version_pointers(index.published, index.url_key, index.id) >= 0).sum())
        heads, pairs = (self._stories(index, target < 0, threshold=threshold, window_days=window_days) if stories
                        else (None, None))
        story_row = np.arange(len(target))
        if heads is not None and len(heads):
            story_row[heads.index.to_numpy()] = heads.to_numpy()
        pointing = np.flatnonzero(target >= 0) if stories else np.zeros(0, np.int64)
        story_row[pointing] = story_row[target[pointing]]  # a copy joins the story of the article it points at
        self._stored = {"index": index, "raw_id": raw_id, "target": target, "story_row": story_row,
                        "files": incremental.locators(files)}
        return index.articles(target, story_row), pairs

    def _separate_identical(self, index: Index) -> np.ndarray:
        """Return the ids, identical records given distinct ones (`ids.separate_identical`, their texts read from
        the spill)."""
        rows = np.flatnonzero(pd.Series(index.id).duplicated(keep=False).to_numpy())
        if not len(rows):
            return index.id
        separated = ids.separate_identical(self._read_rows(rows, index.published[rows]))
        numbers = index.id.copy()
        numbers[separated[layout.ROW].to_numpy()] = ids.as_numbers(separated["article_id"])
        return numbers

    def _kept_chunks(self, kept: np.ndarray) -> Iterator[pd.DataFrame]:
        """Yield the articles kept (not duplicates) in time order, `CHUNK` at most at a time, read month by month:
        `row`, `published`, `title`, `text`."""
        for month in self.months():
            frame = self.read_month(month, columns=[layout.ROW, "published", "title", "text"])
            frame = frame[kept[frame[layout.ROW].to_numpy()]]
            frame = frame.sort_values(["published", layout.ROW], kind="stable")
            for start in range(0, len(frame), CHUNK):
                yield frame.iloc[start : start + CHUNK]

    def _stories(self, index: Index, kept: np.ndarray, *, threshold: float,
                 window_days: float) -> tuple[pd.Series, pd.DataFrame]:
        self._finder = near_duplicates.InTimeOrder(threshold=threshold, window_days=window_days)
        for chunk in self._kept_chunks(kept):
            self._finder.add(chunk)
            memory.give_back()
        return self._finder.finish(lambda rows: id_strings(index.id[rows]))

    def write_months(self, index: pd.DataFrame, folder: str | Path) -> None:
        """Write the corpus into `folder` a month at a time: each month's articles as spilled, with the index's ids,
        `duplicate_of` and `story_id`, and their `story_similarity` (`layout.write_month`); then the corpus's index
        (`layout.write_index`)."""
        kept = index["duplicate_of"].isna().to_numpy()
        file, similarity = np.zeros(len(index), np.int64), np.full(len(index), np.nan)
        for month in self.months():
            articles = self.read_month(month)
            rows = articles[layout.ROW].to_numpy()
            articles = articles.assign(**{name: text_ids(index[name], rows)
                                          for name in ("article_id", "duplicate_of", "story_id")},
                                       story_similarity=np.nan)
            if self._finder is not None:
                ordered = articles[kept[rows]].sort_values(["published", layout.ROW], kind="stable")
                for start in range(0, len(ordered), CHUNK):
                    chunk = ordered.iloc[start : start + CHUNK]
                    articles.loc[chunk.index, "story_similarity"] = self._finder.similarities(chunk).to_numpy()
            file[rows] = incremental.file_positions(articles["origin"], self._stored["files"])
            similarity[rows] = articles["story_similarity"].to_numpy()
            written = schema.validate_articles(schema.conform(articles, schema.ARTICLE_COLUMNS),
                                               where=f"{folder} {month}")
            table = pa.Table.from_pandas(written, preserve_index=False).append_column(
                layout.ROW, pa.array(rows, pa.int64()))
            layout.write_month(table, folder, month)
            memory.give_back()  # each month's memory goes back before the next is read
        stored = self._stored
        layout.write_index(index_table(stored["index"], raw_id=stored["raw_id"], target=stored["target"],
                                       story_row=stored["story_row"], file=file, similarity=similarity), folder)


class Rejects:
    """Rejects appended (`append`, as a list of rejects frames takes them) to one Parquet file as they come, and
    written in the order a full ingest gives (its files' order, each file's rejects as they came) by `finish`'s
    writer. Memory holds a batch of rejects at most, and each reject's file's place once they are all in."""

    ROW_GROUP = 10_000  # rejects read back at a time
    BUFFER_BYTES = 32 * 2**20

    def __init__(self, path: Path) -> None:
        self.path = path
        self._buffered: list[pd.DataFrame] = []
        self._buffered_rows = self._buffered_bytes = 0
        self._writer: pq.ParquetWriter | None = None

    def append(self, rejects: pd.DataFrame) -> None:
        if not len(rejects):
            return
        self._buffered.append(schema.validate_rejects(schema.conform(rejects, schema.REJECT_COLUMNS)))
        self._buffered_rows += len(rejects)
        self._buffered_bytes += int(rejects.memory_usage(deep=True).sum())
        if self._buffered_rows >= self.ROW_GROUP or self._buffered_bytes > self.BUFFER_BYTES:
            self._flush()

    def _flush(self) -> None:
        if not self._buffered:
            return
        table = pa.Table.from_pandas(pd.concat(self._buffered, ignore_index=True), preserve_index=False)
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, table.schema, compression="lz4")
        self._writer.write_table(table.cast(self._writer.schema), row_group_size=self.ROW_GROUP)
        self._buffered, self._buffered_rows, self._buffered_bytes = [], 0, 0
        memory.give_back()  # lest the process grow with the number of rejects (`memory`)

    def finish(self, files: list[str]) -> tuple[pd.DataFrame, dict[str, int], Callable[[str | Path], None] | None]:
        """Return (the first reject of each reason, in the order written; how many rejects each reason has, most
        first; what writes them all, in the order of their files in `files`, to a Parquet file: None when there
        are none)."""
        self._flush()
        if self._writer is None:
            return schema.empty_rejects(), {}, None
        self._writer.close()
        self._writer = None
        stored = pq.ParquetFile(self.path)
        names, places, codes, reasons = incremental.locators(files), [], [], {}
        for batch in stored.iter_batches(columns=["origin", "reason"], batch_size=self.ROW_GROUP):
            places.append(incremental.file_positions(batch.column("origin").to_pandas(), names))
            encoded = pc.dictionary_encode(batch.column("reason"))  # a few reasons, repeated
            known = np.array([reasons.setdefault(r, len(reasons)) for r in encoded.dictionary.to_pylist()], np.int64)
            codes.append(known[encoded.indices.to_numpy(zero_copy_only=False)])
        order = np.concatenate(places).argsort(kind="stable")
        in_order = np.concatenate(codes)[order]
        reason_codes, first = np.unique(in_order, return_index=True)
        first_seen = reason_codes[np.argsort(first)]  # each reason's first reject, in the order written
        counts = np.bincount(in_order, minlength=len(reasons))
        names_of = list(reasons)
        counted = {names_of[code]: int(counts[code])  # most first; ties in the order first seen, as pandas counts
                   for code in sorted(first_seen, key=lambda code: -counts[code])}
        examples = _gathered(stored, order[np.sort(first)]).to_pandas(types_mapper=arrow_strings)
        return (schema.conform(examples, schema.REJECT_COLUMNS), counted,
                lambda path: _write_in_order(stored, order, path))


def _group_starts(stored: pq.ParquetFile) -> np.ndarray:
    """Return the first row of each row group of a Parquet file, and its number of rows last."""
    return np.cumsum([0] + [stored.metadata.row_group(g).num_rows for g in range(stored.num_row_groups)])


def _gathered(stored: pq.ParquetFile, rows: np.ndarray, starts: np.ndarray | None = None) -> pa.Table:
    """Return the rows `rows` of a Parquet file in that order, reading only the row groups that hold them."""
    starts = _group_starts(stored) if starts is None else starts
    groups = np.unique(np.searchsorted(starts, rows, side="right") - 1)
    table = stored.read_row_groups(groups.tolist())
    first_of = np.cumsum([0] + [int(starts[g + 1] - starts[g]) for g in groups])  # each group's place in `table`
    at = np.searchsorted(groups, np.searchsorted(starts, rows, side="right") - 1)
    return table.take(pa.array(first_of[at] + rows - starts[groups[at]]))


def _write_in_order(stored: pq.ParquetFile, order: np.ndarray, path: str | Path) -> None:
    """Write the rows of `stored` in `order` to `path` (zstd, as a corpus's rejects), `_WRITTEN_AT_ONCE` at a time.
    Rejects come nearly in file order, so each slice reads a few row groups; a slice spread over more than
    `_MAX_GROUPS_READ` is halved until it is not, so memory stays bounded however they came."""
    with pq.ParquetWriter(path, stored.schema_arrow, compression="zstd") as writer:
        starts = _group_starts(stored)
        at_once = _WRITTEN_AT_ONCE
        pending = [order[start : start + at_once] for start in range(0, len(order), at_once)][::-1]
        while pending:
            part = pending.pop()
            spread = len(np.unique(np.searchsorted(starts, part, side="right") - 1))
            if spread > _MAX_GROUPS_READ and len(part) > 1:
                half = len(part) // 2
                pending += [part[half:], part[:half]]
                continue
            writer.write_table(_gathered(stored, part, starts))
            memory.give_back()


_WRITTEN_AT_ONCE = 50_000
_MAX_GROUPS_READ = 16


@dataclasses.dataclass
class Index:
    """What duplicates, ids and the summary need of every article, a row each, in about 40 bytes an article (not
    its texts, URL or origin: at ten million articles those alone would take gigabytes). Ids are kept as numbers
    (`ids.as_numbers`), URLs as keys (`duplicates.url_keys`), sources and languages as codes into their names; an
    article's origin is read back from the spill for the few duplicates whose tie-break needs it."""

    id: np.ndarray
    published: np.ndarray  # microseconds, UTC
    url_key: np.ndarray
    text_key: np.ndarray
    source: np.ndarray  # codes into `names["source"]`, -1 for none
    language: np.ndarray  # codes into `names["language"]`
    title_only: np.ndarray
    file: np.ndarray  # the article's file's place in the run's files (incremental runs), else empty
    within: np.ndarray  # its place among its file's articles (incremental runs), else empty
    names: dict[str, list] = dataclasses.field(default_factory=dict)

    @classmethod
    def joined(cls, first: Index, second: Index) -> Index:
        """Return the rows of `first`, then those of `second`, their sources' and languages' codes into one list of
        names."""
        names, recoded = {}, {}
        for name in ("source", "language"):
            codes = {value: at for at, value in enumerate(first.names[name])}
            again = np.array([codes.setdefault(value, len(codes)) for value in second.names[name]] + [-1], np.int32)
            names[name], recoded[name] = list(codes), again[getattr(second, name)]
        return cls(**{name: np.concatenate([values, recoded.get(name, getattr(second, name))])
                      for name, values in first._columns().items()}, names=names)

    def take(self, order: np.ndarray) -> Index:
        return dataclasses.replace(self, **{name: values.take(order) for name, values in self._columns().items()
                                            if len(values)})

    def _columns(self) -> dict[str, np.ndarray]:
        return {field.name: getattr(self, field.name) for field in dataclasses.fields(self) if field.name != "names"}

    def articles(self, target: np.ndarray, story_row: np.ndarray) -> pd.DataFrame:
        """The articles frame `Spill.finish` returns, in about 35 bytes an article (the write phase holds it whole,
        and a frame of ids as text takes three times that): `article_id` and `story_id` the ids as numbers,
        `duplicate_of` the number of the article `target` points at (missing where -1: kept), sources and languages
        as categories. `text_ids` gives a month's ids as text again."""
        def named(name: str) -> pa.DictionaryArray:
            codes = getattr(self, name)
            return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32(), mask=codes < 0),
                                                  pa.array(self.names[name], pa.large_string()))

        pointing = target >= 0
        table = pa.table({"article_id": self.id,
                          "published": pa.array(self.published, pa.timestamp("us", tz="UTC")),
                          "source": named("source"), "language": named("language"),
                          "duplicate_of": pa.array(self.id[np.where(pointing, target, 0)], mask=~pointing),
                          "story_id": self.id[story_row], "title_only": pa.array(self.title_only)})
        return table.to_pandas(types_mapper={pa.uint64(): pd.UInt64Dtype()}.get)


def text_ids(numbers: pd.Series, rows: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Return the ids at `rows` of a column of ids as numbers (`Index.articles`), as text (missing stays missing)."""
    taken = numbers.array.take(rows)
    return id_strings(taken.to_numpy(np.uint64, na_value=0), missing=taken.isna())


def id_strings(numbers: np.ndarray, *, missing: np.ndarray | None = None) -> pd.api.extensions.ExtensionArray:
    """Return ids kept as numbers as a corpus's string column (`ids.as_text`), missing where `missing`, kept in
    Arrow."""
    text = ids.as_text(numbers)
    if missing is not None and missing.any():
        text = pc.if_else(pa.array(missing), pa.scalar(None, pa.large_string()), text)
    return pd.array(text, dtype=pd.ArrowDtype(pa.large_string())).astype("string[pyarrow]")


class _IndexBuilder:
    """An `Index` grown a batch at a time. Each column is one array that doubles when full: a few large
    allocations, given back whole when freed. Small arrays kept from each batch would each pin the memory the
    batch freed around them (at ten million articles, gigabytes of the process's memory held by a few bytes an
    article)."""

    def __init__(self, *, files: list[str] | None) -> None:
        self._files = files
        self._columns = {name: _Growing(dtype) for name, dtype in (
            ("id", np.uint64), ("published", np.int64), ("url_key", np.uint64), ("text_key", np.int64),
            ("source", np.int32), ("language", np.int32), ("title_only", np.bool_), ("file", np.int64),
            ("within", np.int64))}
        self._codes: dict[str, dict] = {"source": {}, "language": {}}

    def add(self, table: pa.Table, articles: pd.DataFrame, rows: np.ndarray) -> None:
        """Add one spilled batch: `table`, made of the normalised `articles`, at corpus `rows`."""
        columns = {"id": ids.as_numbers(table["article_id"]),
                   "published": table["published"].cast(pa.int64()).to_numpy(),
                   "url_key": duplicates.url_keys(articles["url"]),
                   "text_key": articles[normalise.TEXT_KEY].to_numpy(np.int64),
                   "source": self._coded("source", table["source"]),
                   "language": self._coded("language", table["language"]),
                   "title_only": pc.fill_null(pc.equal(table["text"], ""), False).to_numpy()}
        if self._files is not None:
            # Articles taken from a corpus keep their order in it within their file; others, the order they come in.
            columns["file"] = incremental.file_positions(articles["origin"], self._files)
            columns["within"] = (articles[incremental.CORPUS_ROW].to_numpy(np.int64)
                                 if incremental.CORPUS_ROW in articles else rows)
        for name, values in columns.items():
            self._columns[name].extend(values)

    def _coded(self, name: str, values: pa.ChunkedArray) -> np.ndarray:
        """Return the codes of `values` (a few names, repeated) in this index's list of names, -1 for none."""
        encoded = pc.dictionary_encode(values.combine_chunks())
        codes = self._codes[name]
        known = np.array([codes.setdefault(v, len(codes)) for v in encoded.dictionary.to_pylist()] + [-1], np.int32)
        return known[encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)]

    def built(self) -> Index:
        names = {name: list(codes) for name, codes in self._codes.items()}
        return Index(**{name: column.values() for name, column in self._columns.items()}, names=names)


class _Growing:
    """An array grown at its end, its capacity doubled when full."""

    def __init__(self, dtype) -> None:
        self._values = np.empty(0, dtype)
        self._size = 0

    def extend(self, values: np.ndarray) -> None:
        end = self._size + len(values)
        if end > len(self._values):
            grown = np.empty(max(end, 2 * len(self._values), 1024), self._values.dtype)
            grown[: self._size] = self._values[: self._size]
            self._values = grown
        self._values[self._size : end] = values
        self._size = end

    def values(self) -> np.ndarray:
        return self._values[: self._size]


def index_table(index: Index, *, raw_id: np.ndarray, target: np.ndarray, story_row: np.ndarray, file: np.ndarray,
                similarity: np.ndarray) -> pa.Table:
    """Return the corpus's index (`layout.INDEX_COLUMNS`) from an `Index` of its articles in corpus order (their
    final ids), their ids before identical records were told apart, the rows they point at (`target`, -1: kept)
    and their stories' first copies (`story_row`), their files' places and their similarities."""
    def names(name: str) -> pa.DictionaryArray:
        codes = getattr(index, name)
        return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32(), mask=codes < 0),
                                              pa.array(index.names[name], pa.string()))

    pointing = target >= 0
    return pa.table({"article_id": index.id, "raw_id": raw_id, "published": index.published,
                     "url_key": index.url_key, "text_key": index.text_key, "file": file,
                     "source": names("source"), "language": names("language"), "title_only": index.title_only,
                     "duplicate_of": np.where(pointing, index.id[np.where(pointing, target, 0)], 0).astype(np.uint64),
                     "story_id": index.id[story_row], "story_similarity": similarity})


def _conformed(articles: pd.DataFrame) -> pd.DataFrame:
    """The batch's columns in schema order with their dtypes (batches must agree to share a file), key last."""
    columns = {name: spec for name, spec in schema.ARTICLE_COLUMNS.items() if name in articles.columns}
    return schema.conform(articles, columns).assign(**{normalise.TEXT_KEY: articles[normalise.TEXT_KEY]})
