"""The corpus: the one articles frame, stored as Parquet with its rejects and ingest summary beside it.

    schema       the articles and rejects columns: names, dtypes, meaning, checks
    ids          article ids (content hashes) and text digests
    duplicates   exact duplicates: each copy points at the earliest
    select       the articles a report is about (dates, sources, language, duplicates) and a description of them
    fingerprint  a short hash of a corpus's content, the same whatever the row order

This module reads and writes it. Writes are atomic (a temporary file in the same folder, then a rename), so a
failed run leaves the last good corpus in place.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from newsframe import atomic
from newsframe.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

# pandas and the schema are imported inside the functions that need them: importing this package must stay cheap,
# because a scheduled run with nothing to do reads only a corpus's fingerprint (corpus.fingerprint, pyarrow only).

__all__ = ["read", "read_rejects", "rejects_path", "summary_path", "write", "write_json", "write_rejects"]


def rejects_path(corpus_path: str | Path) -> Path:
    """Return where the rejects table of a corpus lives: `corpus.parquet` -> `corpus.rejects.parquet`."""
    path = Path(corpus_path)
    return path.with_name(f"{path.stem}.rejects.parquet")


def summary_path(corpus_path: str | Path) -> Path:
    """Return where the ingest summary of a corpus lives: `corpus.parquet` -> `corpus.summary.json`."""
    path = Path(corpus_path)
    return path.with_name(f"{path.stem}.summary.json")


def write(articles: pd.DataFrame, path: str | Path) -> Path:
    """Validate and write the articles frame to Parquet atomically; return the path."""
    from newsframe.corpus import schema

    schema.validate_articles(articles, where=str(path))
    return atomic.write_with(path, lambda tmp: articles.to_parquet(tmp, index=False, compression="zstd"))


def write_rejects(rejects: pd.DataFrame, path: str | Path) -> Path:
    """Validate and write a rejects table to Parquet atomically; return the path."""
    from newsframe.corpus import schema

    schema.validate_rejects(rejects, where=str(path))
    return atomic.write_with(path, lambda tmp: rejects.to_parquet(tmp, index=False, compression="zstd"))


def write_json(data: dict, path: str | Path) -> Path:
    """Write a JSON document atomically; return the path."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return atomic.write_text(path, text + "\n")


def read(path: str | Path, *, columns: list[str] | None = None, **selection) -> pd.DataFrame:
    """Read a corpus written by `newsframe ingest` and check it against the schema.

    `selection` keeps the articles a report is about: `start`, `end`, `sources`, `language` and
    `include_duplicates`, as `select.select` takes them. Without it every article is returned, duplicates too.
    """
    import pandas as pd

    from newsframe.corpus import schema, select

    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no corpus here. Build one with `newsframe ingest data/raw --out {path}`.")
    articles = pd.read_parquet(path, columns=columns)
    if not columns:
        schema.validate_articles(articles, where=str(path))
    return select.select(articles, **selection) if selection else articles


def read_rejects(corpus_path: str | Path) -> pd.DataFrame:
    """Read the rejects table written beside a corpus."""
    import pandas as pd

    from newsframe.corpus import schema

    return schema.validate_rejects(pd.read_parquet(rejects_path(corpus_path)), where=str(rejects_path(corpus_path)))
