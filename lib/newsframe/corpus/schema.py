"""The one articles frame and the rejects table: column names, dtypes and meaning, written once."""

from __future__ import annotations

import pandas as pd

from newsframe.errors import SchemaError

__all__ = [
    "ARTICLE_COLUMNS", "REJECT_COLUMNS", "conform", "empty_articles", "empty_rejects", "upgrade", "validate_articles",
    "validate_rejects",
]

STRING = "string"
UTC_TIMESTAMP = "datetime64[us, UTC]"

# name -> (dtype, meaning). One row per article; derived tables are separate long frames keyed by article_id.
ARTICLE_COLUMNS: dict[str, tuple[str, str]] = {
    "article_id": (STRING, "stable id: 16 hex digits of a SHA-1 of source, published, title and the text's SHA-1"),
    "published": (UTC_TIMESTAMP, "publication time in UTC; a date given without a time is midnight UTC of that day"),
    "is_time_known": ("bool", "False when the source gave only a calendar date: use the date, not the hour"),
    "title": (STRING, "headline, cleaned; may be empty"),
    "text": (STRING, "body text: Unicode NFC, tidy whitespace, paragraphs split by a blank line; empty for a headline "
                     "kept without text (`--keep-title-only`)"),
    "source": (STRING, "the outlet: its name as the input gave it (feed title, column, host name, folder), or the "
                       "outlet a sources map gave that name"),
    "feed": (STRING, "the source's name as the input gave it (a feed, file or section name), kept beside `source` "
                     "when a sources map groups several under one outlet"),
    "url": (STRING, "link to the article, when known"),
    "language": (STRING, "ISO 639-1 code detected from the text (declared language when the text is too short)"),
    "section": (STRING, "section, rubric or categories as given by the source"),
    "author": (STRING, "author or byline as given by the source"),
    "subtitle": (STRING, "subtitle, standfirst or highlight, when the source gives one"),
    "page": (STRING, "page of the print edition, as given (12, A3), when known"),
    "edition": (STRING, "edition, as given (Final, Web), when known"),
    "word_count": ("Int64", "length in words as the source declares it (press databases), else missing"),
    "document_id": (STRING, "the database's own id of the document (Factiva AN, Europresse number), to cite it and "
                            "to find one article in overlapping exports"),
    "origin": (STRING, "where the record came from: file path and locator, e.g. raw/x.csv#row=12"),
    "encoding": (STRING, "the file's text encoding as detected (e.g. utf-8, utf-8-sig, utf-16, cp1252)"),
    "duplicate_of": (STRING, "article_id of the copy kept when the text is an exact duplicate (the earliest copy) or "
                             "an older version of the same URL (the latest version), else missing"),
    "story_id": (STRING, "article_id of the story's first copy when the text is a near-duplicate (wire copy, print and "
                         "web versions; `corpus.near_duplicates`), else the article's own id: one story per id"),
    "story_similarity": ("float64", "Jaccard similarity of the text with the story's first copy (1 for that copy), "
                                    "missing when the article has no near-duplicate"),
}

REJECT_COLUMNS: dict[str, tuple[str, str]] = {
    "origin": (STRING, "file and record locator of the rejected input"),
    "reason": (STRING, "short category, e.g. 'empty text', 'unparseable date', 'unreadable file'"),
    "detail": (STRING, "what was found, what was expected and what to do"),
    "record": (STRING, "the raw record as JSON, so nothing is lost (missing for whole-file rejects)"),
}


# Columns added after corpora were first written: a corpus that lacks one gets it on read, filled as shown here,
# so that an older corpus keeps working without being ingested again.
_ADDED_COLUMNS = {
    "feed": lambda frame: frame["source"],
    "subtitle": lambda frame: pd.Series(pd.NA, index=frame.index, dtype=STRING),
    "page": lambda frame: pd.Series(pd.NA, index=frame.index, dtype=STRING),
    "edition": lambda frame: pd.Series(pd.NA, index=frame.index, dtype=STRING),
    "word_count": lambda frame: pd.Series(pd.NA, index=frame.index, dtype="Int64"),
    "document_id": lambda frame: pd.Series(pd.NA, index=frame.index, dtype=STRING),
    "story_id": lambda frame: frame["article_id"],
    "story_similarity": lambda frame: pd.Series(float("nan"), index=frame.index, dtype="float64"),
}


def upgrade(articles: pd.DataFrame) -> pd.DataFrame:
    """Return an articles frame with the columns added in later versions, filled from what it holds."""
    missing = {name: fill(articles) for name, fill in _ADDED_COLUMNS.items() if name not in articles.columns}
    return articles.assign(**missing)[[c for c in ARTICLE_COLUMNS if c in articles.columns or c in missing]] \
        if missing else articles


def empty_articles() -> pd.DataFrame:
    """Return an articles frame with no rows and every column typed."""
    return _empty(ARTICLE_COLUMNS)


def empty_rejects() -> pd.DataFrame:
    """Return a rejects table with no rows and every column typed."""
    return _empty(REJECT_COLUMNS)


def _empty(columns: dict[str, tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, (dtype, _) in columns.items()})


def validate_articles(articles: pd.DataFrame, *, where: str = "articles") -> pd.DataFrame:
    """Check an articles frame against the schema and return it; raise SchemaError naming what is wrong."""
    _check_columns(articles, ARTICLE_COLUMNS, where=where)
    if articles["article_id"].isna().any():
        raise SchemaError(f"{where}: some rows have no article_id; rebuild the corpus with `newsframe ingest`.")
    if articles["article_id"].duplicated().any():
        dup = articles.loc[articles["article_id"].duplicated(), "article_id"].iloc[0]
        raise SchemaError(f"{where}: article_id {dup} appears twice; each article must have its own id.")
    if articles["published"].isna().any():
        raise SchemaError(f"{where}: some rows have no publication date; undated records belong in the rejects.")
    return articles


def validate_rejects(rejects: pd.DataFrame, *, where: str = "rejects") -> pd.DataFrame:
    """Check a rejects table against the schema and return it, unchanged.

    Columns checked: those of `REJECT_COLUMNS` (`origin`, `reason`, `detail`, `record`); raise SchemaError naming
    a missing column or a wrong dtype.
    """
    _check_columns(rejects, REJECT_COLUMNS, where=where)
    return rejects


def _check_columns(frame: pd.DataFrame, columns: dict[str, tuple[str, str]], *, where: str) -> None:
    missing = [name for name in columns if name not in frame.columns]
    if missing:
        raise SchemaError(
            f"{where}: missing column(s) {', '.join(missing)}; expected {', '.join(columns)}. "
            "Was this file written by `newsframe ingest`?"
        )
    for name, (dtype, _) in columns.items():
        if str(frame[name].dtype) != dtype and not _compatible(frame[name].dtype, dtype):
            raise SchemaError(f"{where}: column {name!r} has dtype {frame[name].dtype}, expected {dtype}.")


def _compatible(actual, expected: str) -> bool:
    # Parquet round trips may change the time unit (ns/us) or string storage; the meaning is the same.
    if expected == UTC_TIMESTAMP:
        return isinstance(actual, pd.DatetimeTZDtype) and str(actual.tz) == "UTC"
    if expected == STRING:
        return isinstance(actual, pd.StringDtype)
    return False


def conform(frame: pd.DataFrame, columns: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """Return the frame's schema columns, in schema order, cast to their dtypes."""
    return frame.loc[:, list(columns)].astype({name: dtype for name, (dtype, _) in columns.items()})
