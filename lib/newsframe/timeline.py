"""Coverage over time as tidy frames: article counts per calendar period, overall or by any column."""

from __future__ import annotations

import pandas as pd

from newsframe.errors import ParameterError

FREQUENCIES = {"D": "D", "W": "W-SUN", "M": "M", "Q": "Q-DEC", "Y": "Y-DEC"}


def between(articles: pd.DataFrame, *, start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Return the articles published from `start` to `end` inclusive (calendar dates, either may be empty)."""
    published = articles["published"]
    keep = pd.Series(True, index=articles.index)
    if start:
        keep &= published >= pd.Timestamp(start, tz="UTC")
    if end:
        keep &= published < pd.Timestamp(end, tz="UTC") + pd.Timedelta(days=1)
    return articles[keep].copy()


def originals(articles: pd.DataFrame) -> pd.DataFrame:
    """Return the articles that are not exact duplicates of another (`duplicate_of` missing)."""
    return articles[articles["duplicate_of"].isna()].copy()


def periods(published: pd.Series, *, freq: str) -> pd.Series:
    """Return the calendar period of each timestamp (a day-only date stays on its day: no timezone shift)."""
    if freq not in FREQUENCIES:
        raise ParameterError(f"freq={freq!r} is not a period newsframe knows; use one of {', '.join(FREQUENCIES)}.")
    return published.dt.tz_convert("UTC").dt.tz_localize(None).dt.to_period(FREQUENCIES[freq])


def count(articles: pd.DataFrame, *, freq: str = "M", by: str | None = None) -> pd.DataFrame:
    """Count articles per period (and per value of `by`), empty periods kept as zeros.

    Returns columns `period_start` (timestamp), the `by` column when given, `articles` (count) and
    `is_complete` (False for a final period that the corpus does not cover to its end).
    """
    if by is not None and by not in articles.columns:
        raise ParameterError(f"by={by!r} is not a column of the articles; use one of {', '.join(articles.columns)}.")
    period = periods(articles["published"], freq=freq)
    keys = [period.rename("period")] + ([articles[by].fillna("unknown").rename(by)] if by else [])
    counts = articles.groupby(keys, observed=True).size()
    full = _full_index(period, by_values=sorted(articles[by].fillna("unknown").unique()) if by else None, by=by)
    counts = counts.reindex(full, fill_value=0).rename("articles").reset_index()
    # The corpus covers its last day in full (a day-only date is midnight, but the day counts).
    covered_until = articles["published"].max().tz_convert("UTC").tz_localize(None).normalize() + pd.Timedelta(days=1)
    counts["is_complete"] = counts["period"].dt.end_time < covered_until
    counts.insert(0, "period_start", counts.pop("period").dt.start_time)
    return counts


def _full_index(period: pd.Series, *, by_values: list | None, by: str | None) -> pd.Index:
    if period.empty:
        return pd.MultiIndex.from_arrays([[], []], names=["period", by]) if by else pd.PeriodIndex([], name="period")
    calendar = pd.period_range(period.min(), period.max(), name="period")
    if by is None:
        return calendar
    return pd.MultiIndex.from_product([calendar, by_values], names=["period", by])


def wide(counts: pd.DataFrame, *, by: str | None = None) -> pd.DataFrame:
    """Return counts as a table with one row per period and one column per value of `by`, plus a total."""
    if by is None:
        return counts.set_index("period_start")[["articles"]]
    table = counts.pivot(index="period_start", columns=by, values="articles")
    table.columns.name = None
    return table.assign(total=table.sum(axis=1))


def describe(articles: pd.DataFrame) -> pd.DataFrame:
    """Return a one-column table describing the corpus: size, dates, sources, languages, duplicates."""
    facts = {
        "articles": f"{len(articles):,}",
        "exact duplicates flagged": f"{articles['duplicate_of'].notna().sum():,}",
        "first published": f"{articles['published'].min():%Y-%m-%d}" if len(articles) else "",
        "last published": f"{articles['published'].max():%Y-%m-%d}" if len(articles) else "",
        "sources": f"{articles['source'].nunique():,}",
        "languages": ", ".join(f"{k} ({v:,})" for k, v in _counts(articles["language"])),
    }
    return pd.DataFrame({"value": facts}).rename_axis("corpus")


def _counts(values: pd.Series) -> list[tuple[str, int]]:
    return list(values.fillna("unknown").value_counts().items())
