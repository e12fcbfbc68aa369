"""Read and write the corpus: the articles frame as Parquet, its rejects and ingest summary beside it.

Writes are atomic (a temporary file in the same folder, then a rename), so a failed run leaves the last good corpus
in place.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from newsframe import atomic, schema
from newsframe.errors import InputError


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
    schema.validate_articles(articles, where=str(path))
    return atomic.write_with(path, lambda tmp: articles.to_parquet(tmp, index=False, compression="zstd"))


def write_rejects(rejects: pd.DataFrame, path: str | Path) -> Path:
    """Validate and write a rejects table to Parquet atomically; return the path."""
    schema.validate_rejects(rejects, where=str(path))
    return atomic.write_with(path, lambda tmp: rejects.to_parquet(tmp, index=False, compression="zstd"))


def write_json(data: dict, path: str | Path) -> Path:
    """Write a JSON document atomically; return the path."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return atomic.write_text(path, text + "\n")


def read(path: str | Path, *, columns: list[str] | None = None) -> pd.DataFrame:
    """Read a corpus written by `newsframe ingest` and check it against the schema."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no corpus here. Build one with `newsframe ingest data/raw --out {path}`.")
    articles = pd.read_parquet(path, columns=columns)
    return articles if columns else schema.validate_articles(articles, where=str(path))


def read_rejects(corpus_path: str | Path) -> pd.DataFrame:
    """Read the rejects table written beside a corpus."""
    return schema.validate_rejects(pd.read_parquet(rejects_path(corpus_path)), where=str(rejects_path(corpus_path)))


def fingerprint(articles: pd.DataFrame) -> str:
    """Return a short hash of the corpus content (its article ids, which hash the content), order-independent."""
    import pyarrow as pa

    from newsframe import fingerprint as fingerprints

    return fingerprints.of_ids(pa.array(articles["article_id"].astype("string").array, type=pa.large_string()))

