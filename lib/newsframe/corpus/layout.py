"""How a corpus lies on disk: one Parquet file, or a Parquet dataset partitioned by month.

One file suits most corpora. A dataset (`newsframe ingest --partitioned`) is a folder of `month=YYYY-MM/` folders,
the hive layout that pyarrow, Dask, DuckDB, Spark and R's arrow read as one table, filtering months without opening
the others. Its files also hold a `row` column, each article's place in the corpus, so that reading it whole gives
the rows in the order a one-file corpus keeps (input order): both forms read back as the same frame.

Everything here needs pyarrow only, not pandas: a scheduled run with nothing to do reads a corpus's ids in a
fraction of a second.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["INDEX", "INDEX_COLUMNS", "PARTITION", "ROW", "count_rows", "is_dataset", "month_keys", "months",
           "read_index", "read_month", "read_table", "schema_names", "write_dataset", "write_index", "write_month"]

PARTITION = "month"  # the hive partition key: the UTC month of `published`, YYYY-MM
ROW = "row"  # each article's place in the corpus, stored in a dataset's files only


def is_dataset(path: str | Path) -> bool:
    """Return whether `path` is a partitioned corpus (a folder) rather than one Parquet file."""
    return Path(path).is_dir()


def read_table(path: str | Path, *, columns: list[str] | None = None, ordered: bool = True):
    """Return the articles of the corpus at `path` (file or dataset) as a pyarrow Table with `columns` (all when
    None), rows in corpus order unless `ordered` is False (for counts and sets, which do not need it); a dataset's
    `month` and `row` columns are left out."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if not is_dataset(path):
        return pq.read_table(path, columns=columns)
    dataset = _dataset(path)
    wanted = [name for name in dataset.schema.names if name not in (PARTITION, ROW)] if columns is None else columns
    if not ordered:
        return dataset.to_table(columns=list(wanted))
    table = dataset.to_table(columns=[*wanted, ROW])
    return table.take(pc.sort_indices(table[ROW])).select(list(wanted))


def months(path: str | Path) -> list[Path]:
    """Return the month folders of a partitioned corpus, in order."""
    return sorted(folder for folder in Path(path).iterdir() if folder.name.startswith(f"{PARTITION}="))


def read_month(folder: str | Path, *, columns: list[str]):
    """Return one month folder's articles as a pyarrow Table of `columns` (for counts: rows in no set order)."""
    return _dataset(folder, partitioning=None).to_table(columns=columns)


def count_rows(path: str | Path) -> int:
    """Return how many articles the corpus at `path` holds, from the files' metadata."""
    import pyarrow.parquet as pq

    return _dataset(path).count_rows() if is_dataset(path) else pq.ParquetFile(path).metadata.num_rows


def schema_names(path: str | Path) -> list[str]:
    """Return the article columns the corpus at `path` stores."""
    import pyarrow.parquet as pq

    if not is_dataset(path):
        return pq.read_schema(path).names
    return [name for name in _dataset(path).schema.names if name not in (PARTITION, ROW)]


def write_dataset(table, folder: str | Path) -> None:
    """Write the articles `table` (pyarrow, corpus order) under `folder` as a dataset partitioned by month."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    table = table.append_column(ROW, pa.array(range(table.num_rows), pa.int64()))
    table = table.append_column(PARTITION, month_keys(table["published"]))
    ds.write_dataset(table, folder, format="parquet", partitioning=_partitioning(), existing_data_behavior="error",
                     basename_template="part-{i}.parquet", max_partitions=100_000,
                     file_options=ds.ParquetFileFormat().make_write_options(compression="zstd"))


def month_keys(published):
    """Return the partition key (`YYYY-MM`, the UTC month) of each of the `published` times (a pyarrow array)."""
    import pyarrow.compute as pc

    return pc.strftime(published, format="%Y-%m", locale="C")


def write_month(table, folder: str | Path, month: str) -> None:
    """Write one month's articles `table` (pyarrow, with their `row`) into the dataset at `folder`, as
    `write_dataset` lays it out: for a corpus written a month at a time (`ingest.spill`)."""
    import pyarrow.parquet as pq

    target = Path(folder, f"{PARTITION}={month}")
    target.mkdir()
    pq.write_table(table, target / "part-0.parquet", compression="zstd")


# What an incremental run needs of every article without reading its text (`ingest.update`), kept in a partitioned
# corpus's folder as `_index.parquet`, a row per article in corpus order. Ids are 64-bit numbers (`ids.as_numbers`).
INDEX = "_index.parquet"
INDEX_COLUMNS = {
    "article_id": "uint64",  # as the corpus gives it
    "raw_id": "uint64",  # before identical records were told apart (`ids.separate_identical`)
    "published": "int64",  # microseconds, UTC
    "url_key": "uint64",  # `duplicates.url_keys`
    "text_key": "int64",  # `duplicates.duplicate_key`
    "file": "int64",  # the article's file's place in the corpus's list of files (`_files.parquet`)
    "source": "dictionary<values=string, indices=int32, ordered=0>",
    "language": "dictionary<values=string, indices=int32, ordered=0>",
    "title_only": "bool",
    "duplicate_of": "uint64",  # the id it points at, 0 for an article kept
    "story_id": "uint64",
    "story_similarity": "double",
}


def write_index(table, folder: str | Path) -> None:
    """Write the index of a partitioned corpus's articles (`INDEX_COLUMNS`, corpus order) into its `folder`."""
    import pyarrow.parquet as pq

    pq.write_table(table.select(list(INDEX_COLUMNS)), Path(folder, INDEX), compression="lz4")


def read_index(path: str | Path):
    """Return the index of the partitioned corpus at `path` as a pyarrow Table (`INDEX_COLUMNS`), or None when it
    has none (a one-file corpus, or one written before it was kept) or one of other columns."""
    import pyarrow.parquet as pq

    found = Path(path, INDEX)
    if not is_dataset(path) or not found.is_file():
        return None
    table = pq.read_table(found)
    if {name: str(kind) for name, kind in zip(table.schema.names, table.schema.types, strict=True)} != INDEX_COLUMNS:
        return None
    return table


def _partitioning():
    import pyarrow as pa
    import pyarrow.dataset as ds

    return ds.partitioning(pa.schema([(PARTITION, pa.string())]), flavor="hive")


def _dataset(path: str | Path, *, partitioning="hive"):
    import pyarrow.dataset as ds

    # Files a killed run left (`.name.tmp`), and the rejects and summary (`_…`), are not articles.
    return ds.dataset(path, format="parquet", partitioning=_partitioning() if partitioning else None,
                      ignore_prefixes=[".", "_"])
