"""Which articles a report is about: a date range, some sources, one language, with or without exact duplicates,
every article or one per story."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from newsframe.errors import ParameterError

__all__ = [
    "COUNTS", "COVERAGE_SHARE", "MAX_LEFT_OUT", "Coverage", "between", "coverage", "one_per_story", "originals",
    "rows", "select", "split_column", "with_top", "within",
]


def between(articles: pd.DataFrame, *, start: str | None = None, end: str | None = None) -> pd.DataFrame:
    """Return the articles published from `start` to `end` inclusive (calendar dates, either may be empty)."""
    published = articles["published"]
    keep = pd.Series(True, index=articles.index)
    if start:
        keep &= published >= pd.Timestamp(start, tz="UTC")
    if end:
        keep &= published < pd.Timestamp(end, tz="UTC") + pd.Timedelta(days=1)
    return articles[keep].copy()


# What a report counts: every article, or each story once (near-duplicates: a wire story printed by ten papers).
COUNTS = ("articles", "stories")


def select(articles: pd.DataFrame, *, start: str | None = None, end: str | None = None,
           sources: list[str] | None = None, include_duplicates: bool = False, language: str = "",
           count: str = "articles") -> pd.DataFrame:
    """Return the articles a report is about: a date range, some sources, one language (ISO 639-1, e.g. "fr"; empty
    or "all" for every language), with or without exact duplicates, every article or one per story (`count`)."""
    if count not in COUNTS:
        raise ParameterError(f"count={count!r}: expected one of {', '.join(COUNTS)}.")
    _check_present(articles, language=language, sources=sources)
    chosen = rows(articles, start=start, end=end, sources=sources, language=language,
                  include_duplicates=include_duplicates)
    return one_per_story(chosen) if count == "stories" else chosen


def rows(articles: pd.DataFrame, *, start: str | None = None, end: str | None = None, sources: list[str] | None = None,
         language: str = "", include_duplicates: bool = False) -> pd.DataFrame:
    """Return the articles `select` keeps, row by row, without checking that the language and sources are in the
    corpus: for a part of a corpus (a month of a partitioned one), which cannot tell."""
    chosen = between(articles, start=start, end=end)
    if language and language != "all":
        chosen = chosen[chosen["language"] == language]
    if sources:
        chosen = chosen[chosen["source"].isin(sources)]
    return chosen if include_duplicates else originals(chosen)


def _check_present(articles: pd.DataFrame, *, language: str, sources: list[str] | None) -> None:
    if language and language != "all" and language not in set(articles["language"].dropna()):
        raise ParameterError(f"language={language!r} is not in the corpus; its languages are "
                             f"{', '.join(sorted(articles['language'].dropna().unique()))}.")
    unknown = sorted(set(sources or []) - set(articles["source"].dropna()))
    if unknown:
        raise ParameterError(f"source(s) {', '.join(unknown)} are not in the corpus; its sources are "
                             f"{', '.join(sorted(articles['source'].dropna().unique())[:20])}.")


def originals(articles: pd.DataFrame) -> pd.DataFrame:
    """Return the articles that are not exact duplicates of another (`duplicate_of` missing)."""
    return articles[articles["duplicate_of"].isna()].copy()


def one_per_story(articles: pd.DataFrame) -> pd.DataFrame:
    """Return each story's earliest article among these (`story_id`, `corpus.near_duplicates`): a story reprinted
    by several outlets counts once, for the outlet that published it first among those selected."""
    if not articles["story_id"].duplicated().any():
        return articles
    first = articles.sort_values(["published", "article_id"], kind="stable").drop_duplicates("story_id")
    return articles.loc[articles.index.isin(first.index)].copy()


def with_top(articles: pd.DataFrame, column: str, *, top: int = 8, noun: str = "sources") -> pd.DataFrame:
    """Return the articles with the values of `column` outside its `top` most frequent replaced by one value,
    `other (N sources)`, so that a chart by source stays readable whatever the number of sources."""
    counts = articles[column].fillna("unknown").value_counts()
    if top <= 0 or len(counts) <= top + 1:  # one "other" for a single value would hide a name for nothing
        return articles
    kept = counts.index[:top]
    other = f"other ({len(counts) - top:,} {noun})"
    values = articles[column].fillna("unknown")
    return articles.assign(**{column: values.where(values.isin(kept), other).astype("string")})


@dataclass(frozen=True)
class Coverage:
    """The span a report's charts cover, and what falls outside it: `left_out` counts the articles before `start`
    and after `end` (with their first and last dates), `gaps` the long empty stretches inside."""

    start: pd.Timestamp | None
    end: pd.Timestamp | None
    before: tuple[int, pd.Timestamp | None, pd.Timestamp | None]
    after: tuple[int, pd.Timestamp | None, pd.Timestamp | None]
    gaps: list[tuple[pd.Timestamp, pd.Timestamp, int]]
    chosen: bool  # True when the researcher gave start or end; False when the span is the corpus's own


COVERAGE_SHARE = 0.05  # a month with fewer articles than this share of a typical month is outside real coverage…
MAX_LEFT_OUT = 0.2  # …unless that would leave out more than this share of the articles: then they are no stragglers
MIN_COVERED = 2  # …and a month with a single article is no coverage, however small the corpus
GAP_MONTHS = 3  # an empty stretch of at least this many months inside the span is reported


def coverage(published: pd.Series, *, start: str = "", end: str = "") -> Coverage:
    """Return the span of real coverage: from the first to the last month holding at least COVERAGE_SHARE of the
    articles of a typical month (the month an article typically lives in: the article-weighted median of monthly
    counts), and MIN_COVERED at least, so that a few isolated early or late items do not stretch every chart over
    decades; the whole range when that would leave out more than MAX_LEFT_OUT of the articles. `start` and `end`
    (YYYY-MM-DD), when given, set the span instead."""
    stamps = published.dt.tz_convert("UTC").dt.tz_localize(None)
    if stamps.empty:
        return Coverage(None, None, (0, None, None), (0, None, None), [], bool(start or end))
    months = stamps.dt.to_period("M").value_counts().sort_index()
    if start or end:
        first = pd.Timestamp(start) if start else stamps.min().normalize()
        last = pd.Timestamp(end) + pd.Timedelta(days=1) - pd.Timedelta(microseconds=1) if end else stamps.max()
    else:
        covered = months.index[months >= max(COVERAGE_SHARE * _typical(months), MIN_COVERED)]
        first, last = (covered.min().start_time, covered.max().end_time) if len(covered) else (stamps.min(),
                                                                                               stamps.max())
        first, last = max(first, stamps.min().normalize()), min(last, stamps.max())
        if ((stamps < first) | (stamps > last)).mean() > MAX_LEFT_OUT:
            first, last = stamps.min().normalize(), stamps.max()
    return Coverage(first.tz_localize("UTC"), last.tz_localize("UTC"), _outside(stamps[stamps < first]),
                    _outside(stamps[stamps > last]), _gaps(months, first, last), bool(start or end))


def _typical(months: pd.Series) -> float:
    """Return the monthly count of the month a typical article is in (median weighted by articles)."""
    ordered = months.sort_values()
    return float(ordered[ordered.cumsum() >= ordered.sum() / 2].iloc[0])


def _outside(stamps: pd.Series) -> tuple[int, pd.Timestamp | None, pd.Timestamp | None]:
    return (len(stamps), stamps.min(), stamps.max()) if len(stamps) else (0, None, None)


def _gaps(months: pd.Series, first: pd.Timestamp, last: pd.Timestamp) -> list[tuple[pd.Timestamp, pd.Timestamp, int]]:
    calendar = pd.period_range(first, last, freq="M")
    empty = ~calendar.isin(months.index)
    gaps, run = [], []
    for period, is_empty in zip(calendar, empty, strict=True):
        if is_empty:
            run.append(period)
            continue
        if len(run) >= GAP_MONTHS:
            gaps.append((run[0].start_time, run[-1].end_time.normalize(), len(run)))
        run = []
    return gaps


def within(articles: pd.DataFrame, span: Coverage) -> pd.DataFrame:
    """Return the articles published inside the span."""
    if span.start is None:
        return articles
    published = articles["published"]
    return articles[(published >= span.start) & (published <= span.end)]


def split_column(articles: pd.DataFrame, by: str) -> str:
    """Return the column to split views by: `by`, or `section` when `by` is source and the corpus has a single
    source but several sections (one daily's archive: a chart of one source says nothing)."""
    if by == "source" and articles["source"].nunique() == 1 and articles["section"].nunique() > 1:
        return "section"
    return by
