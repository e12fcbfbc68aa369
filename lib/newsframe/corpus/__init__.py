"""The corpus: the one articles frame, stored as Parquet with its rejects and ingest summary beside it.

    layout       one Parquet file, or a dataset partitioned by month: how either is read and written
    schema       the articles and rejects columns: names, dtypes, meaning, checks
    ids          article ids (content hashes) and text digests
    duplicates   exact duplicates and older versions of a URL: each points at the article kept
    near_duplicates  wire copies and other reprints grouped into stories, with the pairs found
    select       the articles a report is about (dates, sources, language, duplicates)
    sources      sources maps: feed and file names grouped into the outlets a researcher counts
    fingerprint  a short hash of a corpus's content, the same whatever the row order

This module reads and writes it. The corpus, its rejects, its near-duplicate pairs and its summary are written
together as one generation (`atomic.write_together`): a failed or killed run leaves the last good ones in place, never
a summary describing another corpus.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from newsframe import atomic, paths
from newsframe.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

# pandas and the schema are imported inside the functions that need them: importing this package must stay cheap,
# because a scheduled run with nothing to do reads only a corpus's fingerprint (corpus.fingerprint, pyarrow only).

__all__ = [
    "files_path", "pairs_path", "read", "read_pairs", "read_rejects", "read_summary", "rejects_path", "summary_path",
    "unreadable_as_input_error", "write", "write_generation",
]


def _beside(corpus_path: str | Path, suffix: str) -> Path:
    # What ingest writes beside a corpus file shares its name: `corpus.parquet` -> `corpus.<suffix>`. A partitioned
    # corpus holds them in its folder as `_<suffix>`, which pyarrow, Dask and DuckDB leave out of the articles.
    path = Path(corpus_path)
    return path / f"_{suffix}" if path.is_dir() else _next_to(path, suffix)


def _next_to(path: Path, suffix: str) -> Path:
    return path.with_name(f"{path.stem}.{suffix}")


def rejects_path(corpus_path: str | Path) -> Path:
    """Return where the rejects table of a corpus lives: `corpus.parquet` -> `corpus.rejects.parquet`."""
    return _beside(corpus_path, "rejects.parquet")


def summary_path(corpus_path: str | Path) -> Path:
    """Return where the ingest summary of a corpus lives: `corpus.parquet` -> `corpus.summary.json`."""
    return _beside(corpus_path, "summary.json")


def pairs_path(corpus_path: str | Path) -> Path:
    """Return where the near-duplicate pairs of a corpus live: `corpus.parquet` -> `corpus.pairs.parquet`."""
    return _beside(corpus_path, "pairs.parquet")


def files_path(corpus_path: str | Path) -> Path:
    """Return where the list of a corpus's input files lives (`ingest.incremental`): `corpus.files.parquet`."""
    return _beside(corpus_path, "files.parquet")


def write_generation(articles: pd.DataFrame, rejects: pd.DataFrame | Callable[[str], object], summary: dict,
                     path: str | Path, *,
                     pairs: pd.DataFrame | None = None, files: pd.DataFrame | None = None,
                     partitioned: bool = False, months: Callable[[str], object] | None = None) -> Path:
    """Validate and write the corpus to `path` with its rejects, its near-duplicate pairs (an empty table when none
    were looked for), the list of its input files (when given: without one, the next ingest reads everything) and its
    summary beside it, as one generation; temporary files a killed run left there are removed first. With
    `partitioned`, `path` is a folder holding a dataset partitioned by month (`layout`); `months`, when given,
    writes its month folders into a folder, for a corpus too large to hold (`ingest.spill`: `articles` then holds
    the columns the summary counts, and each month is checked as it is written); `rejects` may likewise be what writes
    them to a file, checked as they were spilled. Return the corpus path."""
    from newsframe.corpus import near_duplicates, schema

    path = Path(path)
    if months is None:
        schema.validate_articles(articles, where=str(path))
    if not callable(rejects):
        schema.validate_rejects(rejects, where=str(rejects_path(path)))
    pairs = _empty(near_duplicates.PAIR_COLUMNS) if pairs is None else pairs
    tables = {"rejects.parquet": rejects, "pairs.parquet": pairs, **({"files.parquet": files} if files is not None
                                                                     else {})}
    if partitioned:  # one folder holds the whole generation, renamed into place at once
        written = {path: atomic.Folder(lambda folder: _fill(folder, months or _dataset_writer(articles), tables,
                                                            summary))}
    else:
        written = {path: _table_writer(articles), **{_next_to(path, name): _table_writer(table)
                                                      for name, table in tables.items()},
                   _next_to(path, "summary.json"): lambda tmp: Path(tmp).write_text(_json(summary), encoding="utf-8")}
    with atomic.Lock(_lock_path(path), busy=lambda holder: _say_waiting(path, holder), remove=True):
        was_file = path.is_file()
        atomic.recover(path)
        atomic.remove_leftovers(path.parent, [path.name, *(_next_to(path, suffix).name for suffix in _SIDECARS)])
        if files is None and not partitioned:
            _next_to(path, "files.parquet").unlink(missing_ok=True)  # an earlier generation's list describes others
        atomic.write_together(written)
        if partitioned and was_file:  # what the one-file corpus kept beside it describes it no more
            for suffix in _SIDECARS:
                _next_to(path, suffix).unlink(missing_ok=True)
    return path


def _lock_path(path: Path) -> Path:
    # Beside the corpus, not in it: a partitioned corpus is a folder that each generation replaces whole.
    return path.with_name(f".{path.name}.lock")


def _say_waiting(path: Path, holder: int | None) -> None:
    # Two runs writing one corpus take turns: the second would otherwise remove the first's temporary files as a
    # killed run's leftovers.
    who = f"process {holder}" if holder else "a process"
    print(f"newsframe: another ingest is writing {path}; waiting for it ({who}) to finish…", file=sys.stderr,
          flush=True)


_SIDECARS = ("rejects.parquet", "pairs.parquet", "files.parquet", "summary.json")


def _table_writer(table: pd.DataFrame | Callable[[str], object]):
    # A table too large to hold comes as what writes it (`ingest.spill.Rejects`).
    return table if callable(table) else lambda tmp: table.to_parquet(tmp, index=False, compression="zstd")


def _fill(folder: str, write_articles: Callable[[str], object], tables: dict[str, pd.DataFrame],
          summary: dict) -> None:
    """Write a partitioned corpus's articles and, beside them in its folder, its rejects, pairs, files and summary."""
    write_articles(folder)
    for name, table in tables.items():
        _table_writer(table)(Path(folder, f"_{name}"))
    Path(folder, "_summary.json").write_text(_json(summary), encoding="utf-8")


def _dataset_writer(articles: pd.DataFrame) -> Callable[[str], object]:
    def write_to(folder: str) -> None:
        import pyarrow as pa

        from newsframe.corpus import layout

        layout.write_dataset(pa.Table.from_pandas(articles, preserve_index=False), folder)

    return write_to


def _articles_writer(articles: pd.DataFrame, *, partitioned: bool):
    return atomic.Folder(_dataset_writer(articles)) if partitioned else _table_writer(articles)


def _empty(columns: dict[str, str]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in columns.items()})


def write(articles: pd.DataFrame, path: str | Path, *, partitioned: bool = False) -> Path:
    """Validate and write the articles frame to Parquet atomically (with `partitioned`, a dataset partitioned by
    month in the folder `path`); return the path."""
    from newsframe.corpus import schema

    schema.validate_articles(articles, where=str(path))
    return atomic.write_with(path, _articles_writer(articles, partitioned=partitioned))


def _json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def read(path: str | Path, *, columns: list[str] | None = None, sources_map: str | Path = "",
         **selection) -> pd.DataFrame:
    """Read a corpus written by `newsframe ingest` (one file or a partitioned dataset) and check it against the
    schema.

    `sources_map` (a file, see `sources`) names the outlets anew, `feed` keeping the names the corpus had.
    `selection` keeps the articles a report is about: `start`, `end`, `sources`, `language` and
    `include_duplicates`, as `select.select` takes them. Without it every article is returned, duplicates too.
    """
    import pandas as pd

    from newsframe.corpus import layout, schema, select, sources

    path = paths.resolve(path)
    _recover(path)
    if not path.exists():
        raise InputError(f"{path}: no corpus here. Build one with `newsframe ingest data/raw --out {path}`.")
    with unreadable_as_input_error(path):
        if layout.is_dataset(path):
            articles = layout.read_table(path, columns=columns).to_pandas()
        else:
            articles = pd.read_parquet(path, columns=columns)
    if not columns:
        articles = schema.validate_articles(schema.upgrade(articles), where=str(path))
    if sources_map:
        articles = articles.assign(source=sources.apply(articles["source"], sources.read_map(sources_map)))
    return select.select(articles, **selection) if selection else articles


@contextlib.contextmanager
def unreadable_as_input_error(path: Path) -> Iterator[None]:
    """Turn pyarrow's error on a corpus it cannot read (cut short, overwritten, not Parquet) into an InputError that
    names the corpus and says what to do."""
    import pyarrow as pa

    try:
        yield
    except (pa.ArrowInvalid, OSError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        problem = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(f"{path}: this corpus cannot be read ({problem}); it was cut short or damaged after it was "
                         f"written: ingest again (`newsframe ingest … --out {path}`) to write it anew.") from exc


def read_summary(corpus_path: str | Path) -> dict:
    """Read the ingest summary written beside a corpus (counts, reasons, dates, languages, sources, notes)."""
    path = paths.resolve(corpus_path)
    _recover(path)
    return json.loads(_sidecar(summary_path(path), path, "ingest summary").read_text(encoding="utf-8"))


def _sidecar(found: Path, corpus_path: Path, what: str) -> Path:
    # Ingest writes these beside the corpus; a corpus copied alone leaves them behind.
    if not found.exists():
        raise InputError(f"{found}: no {what} beside the corpus {corpus_path}. Copy {found.name} with the corpus, "
                         f"or run `newsframe ingest` again to write both.")
    return found


def _recover(path: Path) -> None:
    # A reader finishes a generation a killed ingest left half-renamed, unless an ingest is writing it now (that run
    # finishes its own renames); where it may not write, it reads as is.
    if not atomic.pending(path):
        return
    try:
        with atomic.Lock(_lock_path(path), busy=_give_up, remove=True):
            atomic.recover(path)
    except (OSError, _Busy):
        pass


class _Busy(Exception):
    """Another process holds the corpus's lock."""


def _give_up(holder: int | None) -> None:
    raise _Busy


def read_pairs(corpus_path: str | Path) -> pd.DataFrame:
    """Read the near-duplicate pairs written beside a corpus (empty for a corpus written before they were)."""
    import pandas as pd

    from newsframe.corpus import near_duplicates

    path = paths.resolve(corpus_path)
    _recover(path)
    found = pairs_path(path)
    return pd.read_parquet(found) if found.exists() else _empty(near_duplicates.PAIR_COLUMNS)


def read_rejects(corpus_path: str | Path) -> pd.DataFrame:
    """Read the rejects table written beside a corpus."""
    import pandas as pd

    from newsframe.corpus import schema

    path = paths.resolve(corpus_path)
    _recover(path)
    found = _sidecar(rejects_path(path), path, "rejects table")
    return schema.validate_rejects(pd.read_parquet(found), where=str(found))
