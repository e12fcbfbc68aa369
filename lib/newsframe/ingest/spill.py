"""A partitioned ingest's articles kept on disk while they are read, so that its memory does not grow with the texts.

A corpus written as a dataset (`newsframe ingest --partitioned`) may be larger than memory. Its normalised batches
are written, by month, to a folder beside the output as they come (`Spill.append`), and memory keeps only the
columns that need every article at once (`INDEX`: ids, URLs, dates, the duplicate key, and what the summary counts:
about 200 bytes an article, where the text alone is several KB). Then (`Spill.finish`):

1. identical records get distinct ids, and exact duplicates and older versions are flagged, on the index
   (`corpus.ids`, `corpus.duplicates`, the rules a corpus in memory gets);
2. near-duplicates are found in time order, a chunk of at most `CHUNK` articles at a time
   (`near_duplicates.InTimeOrder`);
3. each month is read again, given its ids, duplicates and stories, and written as the corpus's month folder
   (`write_months`), one month in memory at a time.

The corpus written is the one `ingest.read` builds in memory, row for row (tests/ingest/test_spill.py compares them).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newsframe.arrays import arrow_strings
from newsframe.corpus import duplicates, ids, layout, near_duplicates, schema
from newsframe.ingest import incremental, normalise

__all__ = ["CHUNK", "INDEX", "Spill", "beside"]

# Columns held in memory for every article: what duplicates, ids and the summary need (not the texts).
INDEX = ["article_id", "published", "url", "origin", "source", "language", normalise.TEXT_KEY]
CHUNK = 50_000  # articles shingled together when near-duplicates are looked for (about 0.5 GB at 400 words each)
BUFFER_BYTES = 128 * 2**20  # batches held before they are appended to their months' files
_TITLE_ONLY = "_title_only"
_WITHIN_FILE = "_within_file"  # an article's place among its file's articles


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
    in the order they are appended; the `INDEX` columns of every article are kept in memory."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._rows = 0
        self._schema: pa.Schema | None = None
        self._buffered: dict[str, list[pa.Table]] = {}
        self._buffered_bytes = 0
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._index: list[pa.Table] = []
        self._finder: near_duplicates.InTimeOrder | None = None  # near-duplicates found, for their similarities
        self._rows_in_order: np.ndarray | None = None  # appended row -> row in the corpus, when they differ

    def append(self, articles: pd.DataFrame) -> None:
        """Add a normalised batch: its articles take the next rows of the corpus."""
        if articles.empty:
            return
        rows = pa.array(np.arange(self._rows, self._rows + len(articles)), pa.int64())
        self._rows += len(articles)
        # Articles taken from a corpus keep their order in it within their file; others, the order they come in.
        within = (pa.array(articles[incremental.CORPUS_ROW].to_numpy(np.int64)) if incremental.CORPUS_ROW in articles
                  else rows)
        table = pa.Table.from_pandas(_conformed(articles), preserve_index=False).append_column(layout.ROW, rows)
        if self._schema is None:
            self._schema = table.schema
        table = table.cast(self._schema)
        self._index.append(table.select([*INDEX, layout.ROW]).append_column(
            _TITLE_ONLY, pc.equal(table["text"], "")).append_column(_WITHIN_FILE, within))
        months = layout.month_keys(table["published"])
        for month in pc.unique(months).to_pylist():
            part = table.filter(pc.equal(months, month))
            self._buffered.setdefault(month, []).append(part)
            self._buffered_bytes += part.nbytes
        if self._buffered_bytes > BUFFER_BYTES:
            self._flush()

    def _flush(self) -> None:
        for month, parts in self._buffered.items():
            if month not in self._writers:
                self._writers[month] = pq.ParquetWriter(self.folder / f"{month}.parquet", self._schema,
                                                        compression="lz4")
            self._writers[month].write_table(pa.concat_tables(parts))
        self._buffered, self._buffered_bytes = {}, 0

    def close(self) -> None:
        self._flush()
        for writer in self._writers.values():
            writer.close()

    def months(self) -> list[str]:
        return sorted(self._writers)

    def read_month(self, month: str, *, columns: list[str] | None = None) -> pd.DataFrame:
        """Return one month's articles as spilled, in corpus order, with their `row` in the corpus."""
        table = pq.read_table(self.folder / f"{month}.parquet", columns=columns)
        if self._rows_in_order is not None:
            table = table.set_column(table.schema.get_field_index(layout.ROW), layout.ROW,
                                     pa.array(self._rows_in_order[table[layout.ROW].to_numpy()]))
        return table.take(pc.sort_indices(table[layout.ROW])).to_pandas(types_mapper=arrow_strings)

    def _in_file_order(self, index: pd.DataFrame, files: list[str]) -> pd.DataFrame:
        """Put the index in the order of its articles' files in `files`; `read_month` then gives each article its
        row in that order."""
        order = incremental.file_order(index["origin"], files, index[_WITHIN_FILE].to_numpy())
        self._rows_in_order = np.empty(len(order), np.int64)
        self._rows_in_order[order] = np.arange(len(order))
        return index.iloc[order].reset_index(drop=True).assign(**{layout.ROW: np.arange(len(order))})

    def finish(self, *, stories: bool, threshold: float, window_days: float,
               files: list[str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Return (the index: `INDEX` columns with the final ids, `duplicate_of`, `story_id` and `title_only`, one
        row per article in corpus order; the near-duplicate pairs, None when `stories` is False). With `files`, the
        corpus order is the order of the articles' files in `files` (an incremental run appends the files read
        before the articles taken from the corpus); without, the order they were appended in.
        Stories are kept in memory as first-copy rows; `write_months` gives each month its columns."""
        self.close()
        index = (pa.concat_tables(self._index) if self._index else _empty_index()).to_pandas(
            types_mapper=arrow_strings)
        self._index = []
        if files is not None:
            index = self._in_file_order(index, files)
        index = self._separate_identical(index)
        index = duplicates.flag(index.drop(columns=normalise.TEXT_KEY), index[normalise.TEXT_KEY].to_numpy())
        heads, pairs = (self._stories(index, threshold=threshold, window_days=window_days) if stories
                        else (None, None))
        story_row = np.arange(len(index))
        if heads is not None and len(heads):
            story_row[heads.index.to_numpy()] = heads.to_numpy()
        pointing = index["duplicate_of"].notna().to_numpy() & stories
        if pointing.any():  # an exact duplicate or older version joins the story of the article it points at
            ids_ = pa.array(index["article_id"].astype("string[pyarrow]").array)
            target = pc.index_in(pa.array(index.loc[pointing, "duplicate_of"].astype("string[pyarrow]").array),
                                 value_set=ids_).to_numpy(zero_copy_only=False)
            story_row[pointing] = story_row[target.astype(np.int64)]
        story_id = pd.Series(index["article_id"].array.take(story_row), index=index.index)  # Arrow, no objects
        return index.assign(story_id=story_id, title_only=index[_TITLE_ONLY].to_numpy(bool)).drop(
            columns=[_TITLE_ONLY, _WITHIN_FILE]), pairs

    def _separate_identical(self, index: pd.DataFrame) -> pd.DataFrame:
        """Give identical records distinct ids (`ids.separate_identical`), reading their texts from the spill."""
        clash = duplicates.shared_values(index["article_id"])
        if not clash.any():
            return index
        rows = np.flatnonzero(clash)
        months = layout.month_keys(pa.array(index.loc[clash, "published"])).to_pylist()
        frames = [month[month[layout.ROW].isin(rows)]
                  for month in (self.read_month(m) for m in sorted(set(months)))]
        identical = pd.concat(frames).sort_values(layout.ROW)
        separated = ids.separate_identical(identical)
        article_id = index["article_id"].copy()
        article_id.iloc[separated[layout.ROW].to_numpy()] = separated["article_id"].to_numpy()
        return index.assign(article_id=article_id)

    def _kept_chunks(self, index: pd.DataFrame) -> Iterator[pd.DataFrame]:
        """Yield the articles kept (not duplicates) in time order, `CHUNK` at most at a time, read month by month:
        `row`, `article_id`, `published`, `title`, `text`."""
        kept = index["duplicate_of"].isna().to_numpy()
        for month in self.months():
            frame = self.read_month(month, columns=[layout.ROW, "published", "title", "text"])
            frame = frame[kept[frame[layout.ROW].to_numpy()]]
            frame = frame.assign(article_id=index["article_id"].array.take(frame[layout.ROW].to_numpy()))
            frame = frame.sort_values(["published", layout.ROW], kind="stable")
            for start in range(0, len(frame), CHUNK):
                yield frame.iloc[start : start + CHUNK]

    def _stories(self, index: pd.DataFrame, *, threshold: float,
                 window_days: float) -> tuple[pd.Series, pd.DataFrame]:
        self._finder = near_duplicates.InTimeOrder(threshold=threshold, window_days=window_days)
        for chunk in self._kept_chunks(index):
            self._finder.add(chunk)
        return self._finder.finish(index["article_id"].array)

    def write_months(self, index: pd.DataFrame, folder: str | Path) -> None:
        """Write the corpus into `folder` a month at a time: each month's articles as spilled, with the index's ids,
        `duplicate_of` and `story_id`, and their `story_similarity` (`layout.write_month`)."""
        kept = index["duplicate_of"].isna().to_numpy()
        for month in self.months():
            articles = self.read_month(month)
            rows = articles[layout.ROW].to_numpy()
            articles = articles.assign(**{name: index[name].array.take(rows)
                                          for name in ("article_id", "duplicate_of", "story_id")},
                                       story_similarity=np.nan)
            if self._finder is not None:
                ordered = articles[kept[rows]].sort_values(["published", layout.ROW], kind="stable")
                for start in range(0, len(ordered), CHUNK):
                    chunk = ordered.iloc[start : start + CHUNK]
                    articles.loc[chunk.index, "story_similarity"] = self._finder.similarities(chunk).to_numpy()
            written = schema.validate_articles(schema.conform(articles, schema.ARTICLE_COLUMNS),
                                               where=f"{folder} {month}")
            table = pa.Table.from_pandas(written, preserve_index=False).append_column(
                layout.ROW, pa.array(rows, pa.int64()))
            layout.write_month(table, folder, month)
            pa.default_memory_pool().release_unused()  # each month's memory goes back before the next is read


def _conformed(articles: pd.DataFrame) -> pd.DataFrame:
    """The batch's columns in schema order with their dtypes (batches must agree to share a file), key last."""
    columns = {name: spec for name, spec in schema.ARTICLE_COLUMNS.items() if name in articles.columns}
    return schema.conform(articles, columns).assign(**{normalise.TEXT_KEY: articles[normalise.TEXT_KEY]})


def _empty_index() -> pa.Table:
    return pa.table({**{name: pa.array([], pa.string()) for name in INDEX},
                     "published": pa.array([], pa.timestamp("us", tz="UTC")),
                     normalise.TEXT_KEY: pa.array([], pa.int64()), layout.ROW: pa.array([], pa.int64()),
                     _TITLE_ONLY: pa.array([], pa.bool_()), _WITHIN_FILE: pa.array([], pa.int64())})
