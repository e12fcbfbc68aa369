"""The articles an interactive chart lists when a reader clicks a period: a bounded, seeded sample of the corpus,
embedded once per report, and each chart's series for those articles.

A report cannot carry 100,000 titles, so each period keeps at most `cap` articles, drawn at random with a fixed seed
(every source and topic can appear, and a rerun embeds the same ones); the page says how many the period has.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from newsframe.analysis import terms, timeline

__all__ = ["CAP", "CONTEXT", "SNIPPETS", "Sample", "members", "mentioned", "positions", "sample", "series_totals"]

CAP = 50  # articles embedded per period: about 200 bytes each, 3.3 MB at 100,000 articles over three years of weeks
CONTEXT = 30  # characters of context either side of a mention, cut back to whole words: about 75 bytes a snippet
SNIPPETS = 5  # mentions shown in context per period and term group: a group in every article adds 5, not 50
_LINK = ("http://", "https://")  # only web links become links: never `javascript:` or a local file


@dataclass(frozen=True)
class Sample:
    """The embedded articles: `payload` (what the page holds, as JSON), `rows` (the articles frame's index label of
    each payload row) and `key` (names the payload in the page, so that charts on the same articles share it)."""

    payload: dict
    rows: list
    key: str


def sample(articles: pd.DataFrame, *, freq: str, cap: int = CAP, seed: int = 0) -> Sample:
    """Return at most `cap` articles per period (a seeded random sample), oldest first in each period.

    The payload holds `cap`, `period` (its name: week, month…), `periods` (ISO start of every calendar period, empty
    ones included, as `timeline.count` counts them), `labels`, `totals` (articles per period), `sources` and `rows`:
    `[period index, date, source index, title, url]`.
    """
    counted = timeline.count(articles, freq=freq) if len(articles) else pd.DataFrame(
        {"period_start": pd.Series([], dtype="datetime64[ns]"), "articles": []})
    starts = list(counted["period_start"])
    index = {start: i for i, start in enumerate(starts)}
    period = timeline.periods(articles["published"], freq=freq).dt.start_time.map(index)
    shuffled = articles.assign(_period=period).iloc[np.random.default_rng(seed).permutation(len(articles))]
    kept = shuffled.groupby("_period", sort=False).head(cap).sort_values(["_period", "published"], kind="stable")
    sources = sorted(kept["source"].fillna("unknown").unique())
    source_index = {source: i for i, source in enumerate(sources)}
    rows = [[int(p), f"{day:%Y-%m-%d}", source_index[source], str(title), _link(url)] for p, day, source, title, url
            in zip(kept["_period"], kept["published"], kept["source"].fillna("unknown"), kept["title"].fillna(""),
                   _urls(kept), strict=True)]
    payload = {"cap": cap, "period": timeline.FREQUENCY_NAMES[freq], "periods": [f"{s:%Y-%m-%d}" for s in starts],
               "labels": [timeline.period_label(s, freq=freq) for s in starts],
               "totals": [int(n) for n in counted["articles"]], "sources": sources, "rows": rows}
    digest = hashlib.sha1(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:12]
    return Sample(payload, list(kept.index), digest)


def mentioned(drawn: Sample, articles: pd.DataFrame, found: pd.DataFrame, term_groups: dict, *,
              width: int = CONTEXT, snippets: int = SNIPPETS) -> dict:
    """Return which embedded articles mention each term group, with the context of its first mention in the first
    `snippets` of them each period: the page's `{"groups": names, "snippets": snippets, "rows": [[payload row,
    group index, left, keyword, right] or [payload row, group index], …]}`.

    `found` is `terms.mentions(articles, term_groups)`, which says who mentions what; only the sample's articles
    are read again, for their context on the original text. So this is bounded by the sample (at most `cap`
    articles a period) and the snippets by `snippets` a period and group, however common a group is.
    """
    names = [name for name in term_groups if name in set(found["group"])]
    embedded = articles.loc[drawn.rows]
    row_of = {article_id: i for i, article_id in enumerate(embedded["article_id"])}
    hits = found[found["article_id"].isin(row_of) & found["group"].isin(names)]
    hits = hits.assign(row=hits["article_id"].map(row_of)).sort_values("row", kind="stable")
    period = np.array([row[0] for row in drawn.payload["rows"]], dtype="int64")
    shown = hits[hits.groupby([period[hits["row"].to_numpy()], hits["group"].to_numpy()]).cumcount() < snippets]
    lines = terms.first_mentions(embedded, shown, term_groups, width=width)
    context = {(a, g): _whole_words(left, keyword, right, width=width)
               for a, g, left, keyword, right in lines.itertuples(index=False)}
    position = {name: g for g, name in enumerate(names)}
    rows = [[row, position[group], *context.get((article_id, group), ())]
            for row, article_id, group in zip(hits["row"], hits["article_id"], hits["group"], strict=True)]
    return {"groups": names, "snippets": snippets, "rows": sorted(rows)}


def _whole_words(left: str, keyword: str, right: str, *, width: int) -> tuple[str, str, str]:
    """Return the context without the words cut at its ends, an ellipsis saying where it was cut."""
    if len(left) >= width:
        left = "…" + (left.split(" ", 1)[1] if " " in left else left)
    if len(right) >= width:
        right = (right.rsplit(" ", 1)[0] if " " in right else right) + "…"
    return left, keyword, right


def members(drawn: Sample, series: pd.Series, names: list) -> list[int]:
    """Return the index in `names` of each embedded article's series (`series`: one value per article, on the
    articles' index), -1 for none."""
    return positions(series.loc[drawn.rows], names).tolist()


def series_totals(articles: pd.DataFrame, series: pd.Series, names: list, *, freq: str, drawn: Sample) -> dict:
    """Return every period's articles in each series (all of them, not the sample) as {"period:series": n}, for the
    page to say "12 of 98 articles"."""
    period_index = {start: i for i, start in enumerate(pd.to_datetime(drawn.payload["periods"]))}
    period = timeline.periods(articles["published"], freq=freq).dt.start_time.map(period_index)
    counted = pd.DataFrame({"p": period.to_numpy(), "s": positions(series.loc[articles.index], names)})
    counted = counted[counted["s"] >= 0].value_counts()
    return {f"{int(p)}:{int(s)}": int(n) for (p, s), n in counted.items()}


def positions(values: pd.Series, names: list) -> np.ndarray:
    """Return each value's index in `names`; a value not drawn on its own falls in the chart's "other (…)" series
    when it has one, a missing value nowhere (-1)."""
    position = {name: i for i, name in enumerate(names)}
    other = next((i for i, name in enumerate(names) if str(name).startswith("other (")), -1)
    return np.array([position.get(v, other) if pd.notna(v) else -1 for v in values], dtype="int64")


def _urls(frame: pd.DataFrame) -> pd.Series:
    return frame["url"].fillna("") if "url" in frame else pd.Series("", index=frame.index)


def _link(url) -> str:
    text = str(url).strip()
    return text if text.lower().startswith(_LINK) else ""
