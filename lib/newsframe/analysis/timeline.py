"""Coverage over time as tidy frames: article counts, term mentions and shares per calendar period, smoothing and
spikes. Every function takes a frame and returns a new one; `reports.plots` draws them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from newsframe.analysis.periods import FREQUENCIES, FREQUENCY_NAMES, frequency_code
from newsframe.errors import ParameterError

__all__ = [
    "FREQUENCIES", "FREQUENCY_NAMES", "SHARE_COLUMNS", "SHARE_FLOOR_RULE", "SPIKE_RULE", "Tally", "co_mentions",
    "count", "count_mentions", "counted", "counted_mentions", "in_period", "key_period", "mark_spikes", "period_label",
    "periods", "share_floor", "shares", "smooth", "sparse", "spike_table", "tally", "wide", "wilson",
]



def periods(published: pd.Series, *, freq: str) -> pd.Series:
    """Return the calendar period of each timestamp (a day-only date stays on its day: no timezone shift)."""
    code = frequency_code(freq)
    if code is None:
        raise ParameterError(f"freq={freq!r} is not a period newsframe knows; use one of {', '.join(FREQUENCIES)}.")
    return published.dt.tz_convert("UTC").dt.tz_localize(None).dt.to_period(FREQUENCIES[code])


def count(articles: pd.DataFrame, *, freq: str = "M", by: str | None = None) -> pd.DataFrame:
    """Count articles per period (and per value of `by`), empty periods kept as zeros.

    Returns columns `period_start` (timestamp), the `by` column when given, `articles` (count) and
    `is_complete` (False for a final period that the corpus does not cover to its end).
    """
    return counted(tally(articles, freq=freq, by=by), freq=freq, by=by)


@dataclass(frozen=True)
class Tally:
    """What `count` and `count_mentions` need from some articles, added up over parts of a corpus (a partitioned
    corpus's months, `analysis.partitions`) to give what the whole corpus gives at once."""

    articles: pd.Series  # articles per period (and `by` value), periods with none left out
    by_values: frozenset = frozenset()
    last_published: pd.Timestamp | None = None
    mentions: pd.DataFrame | None = None  # per period, [`by`] and group: articles_mentioning, mentions
    groups: frozenset = frozenset()

    def __add__(self, other: Tally) -> Tally:
        last = [t for t in (self.last_published, other.last_published) if t is not None]
        both = [m for m in (self.mentions, other.mentions) if m is not None]
        return Tally(_summed([self.articles, other.articles]), self.by_values | other.by_values,
                     max(last) if last else None, _summed(both) if both else None, self.groups | other.groups)


def tally(articles: pd.DataFrame, *, freq: str = "M", by: str | None = None,
          found: pd.DataFrame | None = None) -> Tally:
    """Return the counts of `articles` (and, given `found` = `terms.mentions(articles, ...)`, of their mentions) per
    period and `by` value, to be added to other parts' and finished by `counted` or `counted_mentions`."""
    if by is not None and by not in articles.columns:
        raise ParameterError(f"by={by!r} is not a column of the articles; use one of {', '.join(articles.columns)}.")
    period = periods(articles["published"], freq=freq)
    keys = [period.rename("period")] + ([articles[by].fillna("unknown").rename(by)] if by else [])
    counts = articles.groupby(keys, observed=True).size()
    by_values = frozenset(articles[by].fillna("unknown").unique()) if by else frozenset()
    last = articles["published"].max() if len(articles) else None
    if found is None:
        return Tally(counts, by_values, last)
    joined = found.merge(articles[["article_id", "published"] + ([by] if by else [])], on="article_id")
    joined = joined.assign(period=periods(joined["published"], freq=freq))
    if by:
        joined[by] = joined[by].fillna("unknown")
    sums = joined.groupby(["period"] + ([by] if by else []) + ["group"], observed=True).agg(
        articles_mentioning=("article_id", "size"), mentions=("mentions", "sum"))
    return Tally(counts, by_values, last, sums, frozenset(found["group"].unique() if len(found) else ()))


def counted(tallied: Tally, *, freq: str = "M", by: str | None = None) -> pd.DataFrame:
    """Return `count`'s frame from a `Tally` (of a whole corpus, or added up over its parts)."""
    counts = tallied.articles
    period = pd.Series(counts.index.get_level_values("period") if len(counts) else [],
                       dtype=pd.PeriodDtype(FREQUENCIES[frequency_code(freq)]))
    full = _full_index(period, by_values=sorted(tallied.by_values) if by else None, by=by)
    counts = counts.reindex(full, fill_value=0).rename("articles").reset_index()
    # The corpus covers its last day in full (a day-only date is midnight, but the day counts).
    last = tallied.last_published
    covered_until = (last.tz_convert("UTC").tz_localize(None).normalize() + pd.Timedelta(days=1)
                     if last is not None else pd.NaT)
    counts["is_complete"] = counts["period"].dt.end_time < covered_until
    counts.insert(0, "period_start", counts.pop("period").dt.start_time)
    return counts


def count_mentions(articles: pd.DataFrame, found: pd.DataFrame, *, freq: str = "M",
                   by: str | None = None, min_articles: int = 1) -> pd.DataFrame:
    """Count, per period (and `by` value) and term group, the articles mentioning it and its mentions.

    `found` is `terms.mentions(articles, ...)`. Returns `period_start`, [`by`], `group`, `articles_mentioning`,
    `mentions`, `articles` (all articles of the period: the denominator), `share` (articles_mentioning / articles),
    `share_low` and `share_high` (95 % Wilson interval) and `is_complete`. Empty periods are rows of zeros; the
    shares of periods with fewer than `min_articles` articles are missing (`sparse`).
    """
    return counted_mentions(tally(articles, freq=freq, by=by, found=found), freq=freq, by=by,
                            min_articles=min_articles)


def counted_mentions(tallied: Tally, *, freq: str = "M", by: str | None = None,
                     min_articles: int = 1) -> pd.DataFrame:
    """Return `count_mentions`'s frame from a `Tally` taken with `found` (of a whole corpus, or added up)."""
    totals = counted(tallied, freq=freq, by=by)
    keys = ["period"] + ([by] if by else [])
    sums = tallied.mentions.reset_index()
    sums["period"] = sums["period"].dt.start_time
    names = pd.Index(sorted(tallied.groups), name="group", dtype=sums["group"].dtype)
    grid = totals.rename(columns={"period_start": "period"}).merge(pd.DataFrame({"group": names}), how="cross")
    out = grid.merge(sums, on=keys + ["group"], how="left").fillna({"articles_mentioning": 0, "mentions": 0})
    out = out.astype({"articles_mentioning": "int64", "mentions": "int64"}).rename(columns={"period": "period_start"})
    low, high = wilson(out["articles_mentioning"], out["articles"])
    out = out.assign(share=_ratio(out["articles_mentioning"], out["articles"]), share_low=low, share_high=high)
    order = ["period_start"] + ([by] if by else []) + ["group", "articles_mentioning", "mentions", "articles",
                                                      "share", "share_low", "share_high", "is_complete"]
    out = sparse(out, min_articles=min_articles)
    return out[order].sort_values(order[: len(keys) + 1], kind="stable").reset_index(drop=True)


def _summed(parts: list[pd.Series | pd.DataFrame]):
    # Counts of several parts, added where their keys meet; integer counts stay integers.
    parts = [part for part in parts if len(part)] or parts[:1]
    if len(parts) == 1:
        return parts[0]
    joined = pd.concat(parts)
    return joined.groupby(level=list(range(joined.index.nlevels)), observed=True).sum()


def co_mentions(found: pd.DataFrame, *, anchor: str, others: list[str] | None = None) -> pd.DataFrame:
    """Return the articles that mention `anchor` together with each other group, as groups named `anchor × other`.

    Same columns as `terms.mentions`; `mentions` is the smaller of the two groups' mentions in the article.
    An empty `anchor` gives no rows.
    """
    if not anchor:
        return found.iloc[0:0]
    if anchor not in set(found["group"]):
        known = ", ".join(sorted(found["group"].unique())) or "none found"
        raise ParameterError(f"co-mention anchor {anchor!r} is not a term group with mentions ({known}).")
    with_anchor = found[found["group"] == anchor][["article_id", "mentions"]]
    rest = found[(found["group"] != anchor) & (found["group"].isin(others) if others else True)]
    pairs = rest.merge(with_anchor, on="article_id", suffixes=("", "_anchor"))
    return pd.DataFrame({
        "article_id": pairs["article_id"],
        "group": anchor + " × " + pairs["group"],
        "mentions": np.minimum(pairs["mentions"], pairs["mentions_anchor"]),
    }).astype({"article_id": "string", "group": "string", "mentions": "int64"})


def shares(counts: pd.DataFrame, *, by: str, min_articles: int = 1) -> pd.DataFrame:
    """Add each `by` value's share of the period's articles: `period_articles`, `share`, `share_low`, `share_high`
    (missing for a period with fewer than `min_articles` articles: see `sparse`)."""
    total = counts.groupby("period_start")["articles"].transform("sum")
    low, high = wilson(counts["articles"], total)
    return sparse(counts.assign(period_articles=total, share=_ratio(counts["articles"], total), share_low=low,
                                share_high=high), denominator="period_articles", min_articles=min_articles)


SHARE_COLUMNS = ("share", "share_low", "share_high")
SHARE_FLOOR_RULE = ("a period's shares are left blank when it has fewer articles than a tenth of a typical period's "
                    "(the period the median article falls in), at least 2 and at most 10")


def share_floor(counts: pd.DataFrame, minimum: int = 0) -> int:
    """Return the fewest articles a period needs for its shares: `minimum` when given, else `SHARE_FLOOR_RULE`
    applied to `count`'s frame (`articles` per period). The typical period is weighed by its articles, so that a
    trickle of old items in many near-empty periods does not make one article look typical."""
    if minimum > 0:
        return minimum
    sizes = np.sort(counts.loc[counts["articles"] > 0, "articles"].to_numpy())
    if not len(sizes):
        return 2
    running = np.cumsum(sizes)
    typical = sizes[np.searchsorted(running, running[-1] / 2)]
    return int(min(10, max(2, round(0.1 * typical))))


def sparse(frame: pd.DataFrame, *, denominator: str = "articles", min_articles: int = 1) -> pd.DataFrame:
    """Return `frame` with its shares and their bands missing for the periods whose `denominator` (the period's
    articles) is under `min_articles`: one article gives a share of 0 or 100 % and a band from 0 to 80 %, which
    says nothing and hides every other period. A chart draws a gap there."""
    if min_articles <= 1 or frame.empty:
        return frame
    few = frame[denominator] < min_articles
    return frame.assign(**{column: frame[column].where(~few) for column in SHARE_COLUMNS if column in frame})


def spike_table(*flagged: tuple[pd.DataFrame, str, str | None]) -> pd.DataFrame:
    """Return the spikes of one or more frames marked by `mark_spikes`, strongest first; each is given as (frame,
    the column its spikes are in, the column naming its series or None). Columns: `period_start`, `series` (the
    series' name, or "all articles"), `value`, `baseline`, `spike_score`."""
    parts = []
    for frame, column, series in flagged:
        marked = frame[frame["is_spike"]] if "is_spike" in frame else frame.iloc[0:0]
        names = marked[series].astype("string") if series else pd.Series("all articles", index=marked.index)
        parts.append(pd.DataFrame({"period_start": marked["period_start"], "series": names, "value": marked[column],
                                   "baseline": marked["baseline"], "spike_score": marked["spike_score"].round(1)}))
    columns = ["period_start", "series", "value", "baseline", "spike_score"]
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    return out.sort_values("spike_score", ascending=False).reset_index(drop=True)


def key_period(counts: pd.DataFrame, *, freq: str, date: str = "") -> pd.Timestamp | None:
    """Return the start of the period to find key terms for: the one holding `date`, else the strongest spike of
    `counts` (from `mark_spikes`), else the busiest period; None for an empty corpus."""
    if date:
        return periods(pd.Series([pd.Timestamp(date, tz="UTC")]), freq=freq).dt.start_time.iloc[0]
    if counts.empty:
        return None
    ranked = counts.sort_values(["is_spike", "spike_score", "articles"] if "is_spike" in counts else ["articles"],
                                ascending=False)
    return ranked["period_start"].iloc[0]


def in_period(articles: pd.DataFrame, start: pd.Timestamp | None, *, freq: str) -> pd.Series:
    """Return whether each article was published in the period starting at `start`."""
    if start is None:
        return pd.Series(False, index=articles.index)
    return periods(articles["published"], freq=freq).dt.start_time == start


def wilson(successes: pd.Series, trials: pd.Series, *, z: float = 1.96) -> tuple[pd.Series, pd.Series]:
    """Return the Wilson score interval of a binomial proportion (low, high); missing where trials is 0."""
    n = trials.astype("float64").where(trials > 0)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (centre - half).clip(lower=0), (centre + half).clip(upper=1)


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return numerator / denominator.astype("float64").where(denominator > 0)


def smooth(frame: pd.DataFrame, *, column: str, window: int, centre: bool = False,
           by: list[str] | None = None) -> pd.DataFrame:
    """Add `<column>_smoothed`: the rolling mean over `window` periods within each series (one per `by` values).

    Trailing by default (each period and the ones before it); `centre=True` centres the window.
    """
    if window < 1:
        raise ParameterError(f"smoothing window {window} must be 1 period or more.")
    ordered = frame.sort_values([*(by or []), "period_start"], kind="stable")
    grouped = ordered.groupby(by, sort=False, observed=True)[column] if by else ordered[column]
    rolled = grouped.rolling(window, min_periods=1, center=centre).mean()
    if by:
        rolled = rolled.reset_index(level=list(range(len(by))), drop=True)
    # A period left blank (`sparse`) stays blank: its neighbours' mean would draw a value it does not have.
    return frame.assign(**{f"{column}_smoothed": rolled.reindex(frame.index).where(frame[column].notna())})


SPIKE_RULE = (
    "a period is a spike when its value is at least `minimum` and exceeds the median of the `window` periods before "
    "it by `threshold` times their spread (1.4826 × median absolute deviation, at least the square root of the "
    "median and at least 1, so that a quiet series does not spike on a single article); a period needs at least "
    "half a window of history."
)


def mark_spikes(frame: pd.DataFrame, *, column: str, window: int = 8, threshold: float = 4.0, minimum: int = 5,
           by: list[str] | None = None) -> pd.DataFrame:
    """Add `baseline`, `spread`, `spike_score` and `is_spike` to each row, by the rule in `SPIKE_RULE`."""
    if window < 2:
        raise ParameterError(f"spike window {window} must be 2 periods or more.")
    if frame.empty:
        return frame.assign(baseline=np.nan, spread=np.nan, spike_score=np.nan, is_spike=False)
    ordered = frame.sort_values([*(by or []), "period_start"], kind="stable")
    series = ordered.groupby(by, sort=False, observed=True)[column] if by else [(None, ordered[column])]
    parts = [_spike_columns(values.astype("float64"), window=window) for _, values in series]
    scored = pd.concat(parts).reindex(frame.index) if parts else pd.DataFrame(index=frame.index)
    out = frame.assign(baseline=scored["baseline"], spread=scored["spread"])
    out["spike_score"] = (out[column] - out["baseline"]) / out["spread"]
    out["is_spike"] = (out["spike_score"] >= threshold).fillna(False) & (out[column] >= minimum)
    return out


def _spike_columns(values: pd.Series, *, window: int) -> pd.DataFrame:
    history = values.shift(1).rolling(window, min_periods=max(window // 2, 2))
    baseline = history.median()
    mad = history.apply(
        lambda past: np.nanmedian(np.abs(past - np.nanmedian(past))), raw=True)  # the shift leaves a NaN first
    spread = np.maximum.reduce([1.4826 * mad, np.sqrt(baseline.clip(lower=0)), pd.Series(1.0, index=values.index)])
    return pd.DataFrame({"baseline": baseline, "spread": pd.Series(spread, index=values.index).where(
        baseline.notna())})


def period_label(start: pd.Timestamp | None, *, freq: str) -> str:
    """Return a period's name for titles: week of 2023-07-24, 2023-07, 2023-Q3, 2023 (`no period` for None)."""
    if start is None:
        return "no period"
    if freq == "W":
        return f"week of {start:%Y-%m-%d}"
    return {"D": f"{start:%Y-%m-%d}", "M": f"{start:%Y-%m}", "Q": f"{start.year}-Q{math.ceil(start.month / 3)}",
            "Y": f"{start.year}"}[freq]


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
