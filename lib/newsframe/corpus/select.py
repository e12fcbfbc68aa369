"""Which articles a report is about: a date range, some sources, one language, with or without exact duplicates."""

from __future__ import annotations

import pandas as pd

from newsframe.errors import ParameterError

__all__ = ["between", "originals", "select"]


def between(articles: pd.DataFrame, *, start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Return the articles published from `start` to `end` inclusive (calendar dates, either may be empty)."""
    published = articles["published"]
    keep = pd.Series(True, index=articles.index)
    if start:
        keep &= published >= pd.Timestamp(start, tz="UTC")
    if end:
        keep &= published < pd.Timestamp(end, tz="UTC") + pd.Timedelta(days=1)
    return articles[keep].copy()


def select(articles: pd.DataFrame, *, start: str | None = None, end: str | None = None,
           sources: list[str] | None = None, include_duplicates: bool = False, language: str = "") -> pd.DataFrame:
    """Return the articles a report is about: a date range, some sources, one language (ISO 639-1, e.g. "fr") or
    all, with or without exact duplicates."""
    chosen = between(articles, start=start, end=end)
    if language:
        if language not in set(articles["language"].dropna()):
            raise ParameterError(f"language={language!r} is not in the corpus; its languages are "
                                 f"{', '.join(sorted(articles['language'].dropna().unique()))}.")
        chosen = chosen[chosen["language"] == language]
    if sources:
        unknown = sorted(set(sources) - set(articles["source"].dropna()))
        if unknown:
            raise ParameterError(f"source(s) {', '.join(unknown)} are not in the corpus; its sources are "
                                 f"{', '.join(sorted(articles['source'].dropna().unique())[:20])}.")
        chosen = chosen[chosen["source"].isin(sources)]
    return chosen if include_duplicates else originals(chosen)


def originals(articles: pd.DataFrame) -> pd.DataFrame:
    """Return the articles that are not exact duplicates of another (`duplicate_of` missing)."""
    return articles[articles["duplicate_of"].isna()].copy()
