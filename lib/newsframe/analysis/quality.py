"""What is in a corpus, and what is wrong with it: the facts a researcher checks before trusting a timeline.

    presence     articles per source per period, gaps kept as zeros (a feed that stopped shows as an empty row end)
    sources      each source's span and what is odd about it: stopped early, started late, silent for months
    dates        dates to doubt: outside the corpus's real coverage, in the future, days with far too many articles,
                 dates given without a time
    lengths      text lengths by source: headlines kept without text, very short texts
    rejects      the records ingest could not keep, by reason and by file
    overlaps     duplicates by the files they come from: two exports that overlap
    stories      the stories printed most often (near-duplicates found at ingest)
    findings     the few things to know first, each with what to do about it

Every function takes tidy frames (the articles, the rejects) and returns a new one; `reports.about` words them and
`reports.plots` draws them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from newsframe.analysis import timeline
from newsframe.analysis.periods import FREQUENCY_NAMES, frequency_code
from newsframe.corpus import select

__all__ = [
    "BUSY_DAY_FACTOR", "QUIET_DAYS", "QUIET_PERIODS", "SHORT_WORDS", "dates", "findings", "frequency_for", "lengths",
    "overlaps", "presence", "rejects", "sources", "stories",
]

QUIET_PERIODS = 3  # a source silent for this many periods running (where it usually publishes) has a gap…
QUIET_DAYS = 7  # …or, on a grid of days, for this many days
BUSY_DAY_FACTOR = 5  # a day with this many times a busy day's articles (and 20 at least) is suspicious
SHORT_WORDS = 30  # a text under this many words is a standfirst or a stub, not an article


def frequency_for(published: pd.Series) -> str:
    """Return the period that gives a coverage grid a readable number of columns for these dates: days up to three
    months, weeks up to two years, months beyond."""
    if published.empty:
        return "M"
    days = (published.max() - published.min()).days
    return "D" if days <= 92 else "W" if days <= 730 else "M"


def presence(articles: pd.DataFrame, *, freq: str = "M", top: int = 30) -> pd.DataFrame:
    """Return articles per period for each of the `top` largest sources (the others together as "other"), with
    empty periods as zeros: columns `period_start`, `source`, `articles`, `is_complete`."""
    return timeline.count(select.with_top(articles, "source", top=top), freq=freq, by="source")


def sources(articles: pd.DataFrame, *, freq: str = "M") -> pd.DataFrame:
    """Return one row per source: `source`, `articles`, `first`, `last` (published), `active_periods`, and `note`:
    what is odd about its coverage, or empty. A source *stopped* when its last article is `QUIET_PERIODS` periods
    (`QUIET_DAYS` days) or more before the corpus's last period; it *started late* when its first is that far after
    the corpus's first; it has a *gap* when, inside its own span, it is silent that long although it usually
    publishes in most periods. Sorted by articles, most first."""
    if articles.empty:
        return pd.DataFrame(columns=["source", "articles", "first", "last", "active_periods", "note"])
    period = timeline.periods(articles["published"], freq=freq)
    first_period, last_period = period.min(), period.max()
    rows = []
    for source, periods in period.groupby(articles["source"].fillna("unknown"), sort=False):
        published = articles.loc[periods.index, "published"]
        active = periods.drop_duplicates().sort_values()
        notes = _span_notes(active, first_period, last_period, freq=freq) + _gap_notes(active, freq=freq)
        rows.append({"source": source, "articles": len(periods), "first": published.min(), "last": published.max(),
                     "active_periods": len(active), "note": "; ".join(notes)})
    return pd.DataFrame(rows).sort_values(["articles", "source"], ascending=[False, True], ignore_index=True)


def _label(period: pd.Period, freq: str) -> str:
    """A period as a reader says it: `2024-10`, `week of 2024-10-07`, `2024-10-07`."""
    code = frequency_code(freq)
    return f"week of {period.start_time:%Y-%m-%d}" if code == "W" else str(period)


def _span_notes(active: pd.Series, first: pd.Period, last: pd.Period, *, freq: str) -> list[str]:
    notes = []
    period_name = FREQUENCY_NAMES.get(frequency_code(freq), freq)
    after = (last - active.iloc[-1]).n
    quiet = _quiet(freq)
    if after >= quiet and len(active) >= QUIET_PERIODS:
        notes.append(f"stopped: no article in the last {after} {period_name}s (from "
                     f"{_label(active.iloc[-1] + 1, freq)})")
    before = (active.iloc[0] - first).n
    if before >= quiet and len(active) >= QUIET_PERIODS:  # a source with an article or two is no late starter
        notes.append(f"starts late: {before} {period_name}s after the corpus (from {_label(active.iloc[0], freq)})")
    return notes


def _gap_notes(active: pd.Series, *, freq: str) -> list[str]:
    """Silent stretches inside a source's own span, for a source present in most periods of that span."""
    span = (active.iloc[-1] - active.iloc[0]).n + 1
    if len(active) < 2 or len(active) < 0.5 * span:  # an occasional source: silence is its habit, not a gap
        return []
    steps = np.array([(b - a).n for a, b in zip(active.iloc[:-1], active.iloc[1:], strict=True)])
    period_name = FREQUENCY_NAMES.get(frequency_code(freq), freq)
    return [f"silent {step - 1} {period_name}s ({_label(active.iloc[i] + 1, freq)} to "
            f"{_label(active.iloc[i + 1] - 1, freq)})"
            for i, step in enumerate(steps) if step - 1 >= _quiet(freq)]


def _quiet(freq: str) -> int:
    return QUIET_DAYS if frequency_code(freq) == "D" else QUIET_PERIODS


def dates(articles: pd.DataFrame, *, now: pd.Timestamp | None = None) -> pd.DataFrame:
    """Return the dates to doubt, one row per kind found: `kind`, `articles`, `first`, `last`, `detail`.

    Kinds: `before the coverage` and `after the coverage` (isolated articles far from the months where the corpus
    has real coverage: `select.coverage`), `in the future` (after `now`, default the current time), `busy day`
    (a day with `BUSY_DAY_FACTOR` times the articles of a busy day, the 90th percentile, and 20 at least: a dump of a
    whole archive at one date, a feed's default date), `no time of day` (dates given without a time: hours mean
    nothing)."""
    now = now or pd.Timestamp.now(tz="UTC")
    published = articles["published"]
    rows = []
    span = select.coverage(published)
    for (count, first, last), kind in ((span.before, "before the coverage"), (span.after, "after the coverage")):
        if count:
            rows.append(_date_row(kind, count, first, last, "isolated articles far from the rest: the reports leave "
                                                            "them out of their charts unless `start`/`end` say so"))
    future = published[published > now]
    if len(future):
        rows.append(_date_row("in the future", len(future), future.min(), future.max(),
                              f"published after {now:%Y-%m-%d}: a wrong date, or the wrong --date-order"))
    rows += _busy_days(select.within(articles, span)["published"])
    untimed = ~articles["is_time_known"].astype(bool)
    if untimed.any():
        rows.append(_date_row("no time of day", int(untimed.sum()), published[untimed].min(), published[untimed].max(),
                              f"{untimed.mean():.0%} of the articles have a date only: count them by day or longer"))
    return pd.DataFrame(rows, columns=["kind", "articles", "first", "last", "detail"])


def _date_row(kind: str, count: int, first, last, detail: str) -> dict:
    return {"kind": kind, "articles": int(count), "first": _utc(first), "last": _utc(last), "detail": detail}


def _utc(stamp: pd.Timestamp) -> pd.Timestamp:
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def _busy_days(published: pd.Series) -> list[dict]:
    """Days with far more articles than even a busy day (the 90th percentile of days with any): a corpus collected
    in bursts has many quiet days, which would make every ordinary collecting day look suspicious."""
    days = published.dt.tz_convert("UTC").dt.floor("D").value_counts()
    if len(days) < 7:  # too few days to know what a busy one is
        return []
    busy_day = float(days.quantile(0.9))
    busy = days[days >= max(20, BUSY_DAY_FACTOR * busy_day)].sort_index()
    return [_date_row("busy day", int(count), day, day, f"{count:,} articles on one day, where a busy day has "
                                                          f"{busy_day:,.0f}: a dump of an archive at one date?")
            for day, count in busy.items()]


def lengths(articles: pd.DataFrame) -> pd.DataFrame:
    """Return text lengths by source: `source`, `articles`, `median_words`, `p10_words`, `p90_words`,
    `title_only` (kept without text), `short` (texts under `SHORT_WORDS` words, title-only excepted); largest
    sources first."""
    words = articles["text"].fillna("").str.count(r"\S+")
    frame = pd.DataFrame({"source": articles["source"].fillna("unknown"), "words": words,
                          "title_only": words == 0, "short": (words > 0) & (words < SHORT_WORDS)})
    grouped = frame.groupby("source", sort=False)
    table = pd.DataFrame({
        "articles": grouped.size(),
        "median_words": grouped["words"].median(),
        "p10_words": grouped["words"].quantile(0.1),
        "p90_words": grouped["words"].quantile(0.9),
        "title_only": grouped["title_only"].sum(),
        "short": grouped["short"].sum(),
    }).reset_index()
    return table.sort_values(["articles", "source"], ascending=[False, True], ignore_index=True)


def rejects(rejected: pd.DataFrame) -> pd.DataFrame:
    """Return the rejects counted by reason and file: `reason`, `file`, `records`, `example` (the first one's
    detail: what was found and what to do); most records first."""
    if rejected.empty:
        return pd.DataFrame(columns=["reason", "file", "records", "example"])
    frame = rejected.assign(file=rejected["origin"].fillna("").str.replace(r"#.*$", "", regex=True))
    grouped = frame.groupby(["reason", "file"], sort=False)
    table = pd.DataFrame({"records": grouped.size(), "example": grouped["detail"].first()}).reset_index()
    return table.sort_values(["records", "reason", "file"], ascending=[False, True, True], ignore_index=True)


def overlaps(articles: pd.DataFrame) -> pd.DataFrame:
    """Return the duplicates counted by the file they come from and the file of the article kept: `file`,
    `copies_of`, `articles`; two exports, or two collections of one feed, that overlap show as one large row."""
    copies = articles[articles["duplicate_of"].notna()]
    if copies.empty:
        return pd.DataFrame(columns=["file", "copies_of", "articles"])
    files = articles.set_index("article_id")["origin"].fillna("").str.replace(r"#.*$", "", regex=True)
    table = pd.DataFrame({"file": files.reindex(copies["article_id"]).to_numpy(),
                          "copies_of": files.reindex(copies["duplicate_of"]).to_numpy()})
    table = table.groupby(["file", "copies_of"]).size().rename("articles").reset_index()
    return table.sort_values("articles", ascending=False, ignore_index=True)


def stories(articles: pd.DataFrame, *, top: int = 20) -> pd.DataFrame:
    """Return the `top` stories printed most often: `story_id`, `copies` (articles kept), `outlets`, `first`
    (published), `title` (of its first copy), `sources` (the outlets, most copies first)."""
    kept = articles[articles["duplicate_of"].isna() & articles["story_similarity"].notna()]
    if kept.empty:
        return pd.DataFrame(columns=["story_id", "copies", "outlets", "first", "title", "sources"])
    grouped = kept.groupby("story_id", sort=False)
    table = pd.DataFrame({"copies": grouped.size(), "outlets": grouped["source"].nunique(),
                          "first": grouped["published"].min(),
                          "sources": grouped["source"].agg(lambda s: ", ".join(s.value_counts().index))})
    titles = kept.set_index("article_id")["title"]
    table = table.assign(title=titles.reindex(table.index).to_numpy()).reset_index()
    return table.sort_values(["copies", "first"], ascending=[False, True], ignore_index=True).head(top)[
        ["story_id", "copies", "outlets", "first", "title", "sources"]]


def findings(articles: pd.DataFrame, *, rejected: pd.DataFrame, read: int, by_source: pd.DataFrame,
             doubtful: pd.DataFrame, repeated: pd.DataFrame, top_sources: int = 8) -> pd.DataFrame:
    """Return the few things a researcher must know before reading the other reports, most important first:
    `finding` and `what_to_do`. `read` is how many records ingest read; the other frames are what `sources`,
    `dates` and `boilerplate.find` return for these articles."""
    rows: list[tuple[str, str]] = []
    if read and len(rejected) > 0.05 * read:
        reason, count = next(iter(rejected["reason"].value_counts().items()))
        rows.append((f"{len(rejected):,} of {read:,} records ({len(rejected) / read:.0%}) were rejected, most for "
                     f"{reason} ({count:,})",
                     "read the rejects below: each says what was expected (e.g. `--date-order MDY`, `--column`)"))
    stopped = by_source[by_source["note"].str.contains("stopped", na=False)]
    if len(stopped):
        listed = "; ".join(f"{row.source} (last article {row.last:%Y-%m-%d})" for row in stopped.head(5).itertuples())
        more = f" and {len(stopped) - 5} more" if len(stopped) > 5 else ""
        rows.append((f"{len(stopped)} source(s) stopped before the corpus ends: {listed}{more}",
                     "a feed no longer collected, or an export that missed months: the other sources' shares rise "
                     "for that reason alone; collect the missing months, or leave it out (`sources`)"))
    late = by_source[by_source["note"].str.contains("starts late", na=False)]
    if len(late) >= max(2, 0.2 * len(by_source)):
        rows.append((f"{len(late)} of {len(by_source)} sources start late, e.g. " + "; ".join(
                     f"{row.source} (first article {row.first:%Y-%m-%d})" for row in late.head(3).itertuples()),
                     "before they start, the other sources make up all the coverage: compare sources from the date "
                     "all are present (`start`)"))
    for row in overlaps(articles).head(3).itertuples():
        if row.file != row.copies_of and row.articles >= 10:
            rows.append((f"{row.articles:,} articles of {row.file} are copies of articles of {row.copies_of}",
                         "overlapping exports or collections: the copies are left out of the reports (nothing to "
                         "do), but check that the files are the ones you meant"))
    far = doubtful[doubtful["kind"].isin(["before the coverage", "after the coverage", "in the future"])]
    for row in far.itertuples():
        rows.append((f"{row.articles:,} article(s) dated {row.kind} ({row.first:%Y-%m-%d} to {row.last:%Y-%m-%d})",
                     "check their source; reports leave isolated dates out of their charts and say so"))
    for row in doubtful[doubtful["kind"] == "busy day"].head(3).itertuples():
        rows.append((f"{row.articles:,} articles on {row.first:%Y-%m-%d} alone",
                     "an archive dumped at one date, or a feed's default date: check them before reading a spike"))
    rows += _copy_findings(articles)
    outlets = articles["source"].nunique()
    if outlets > 2 * top_sources:
        rows.append((f"{outlets:,} sources: the reports draw the {top_sources} largest and group the rest as "
                     "\"other\"", "group feeds into outlets with a sources map (`newsframe sources --suggest-map`)"))
    if len(repeated):
        rows.append((f"boilerplate repeated in {repeated['source'].nunique():,} source(s), e.g. "
                     f"\"{str(repeated['text'].iloc[0])[:60]}\"",
                     "nothing to do: term counts and topics leave it out (listed below)"))
    return pd.DataFrame(rows, columns=["finding", "what_to_do"])


def _copy_findings(articles: pd.DataFrame) -> list[tuple[str, str]]:
    kept = articles[articles["duplicate_of"].isna()]
    copies = int(kept["story_similarity"].notna().sum())
    if not len(kept) or copies < 0.05 * len(kept):
        return []
    stories = kept.loc[kept["story_similarity"].notna(), "story_id"].nunique()
    return [(f"{copies:,} articles ({copies / len(kept):.0%}) are near-duplicates: {stories:,} stories printed more "
             "than once", "count each story once with `count: stories` in a report's parameters")]
