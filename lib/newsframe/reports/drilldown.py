"""The articles an interactive chart lists when a reader clicks a period: a bounded, seeded sample of the corpus,
embedded once per report, and each chart's series for those articles.

A report cannot carry 100,000 titles, so each period keeps at most `cap` articles, drawn at random with a fixed seed
(every source and topic can appear, and a rerun embeds the same ones); the page says how many the period has.

A term group is often in a few of a period's articles only, so the shared sample would list few of them (5 of the
39 that mention Ukraine one day on the French feeds). Its charts list, in each period, up to `cap` of the articles
that mention it (`mentioned`): drawn in the same seeded order, so the sampled ones come first and the rest are
embedded beside the sample, once for all the groups.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

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
    each payload row) and `key` (names the payload in the page, so that charts on the same articles share it); for
    drawing more of the same articles in the same order (`mentioned`), each article's (in the frame's order)
    `period` index and `rank` in the seeded shuffle, its `published` time, and the payload rows' `positions`."""

    payload: dict
    rows: list
    key: str
    positions: np.ndarray = field(default_factory=lambda: np.array([], dtype="int64"), repr=False, compare=False)
    period: np.ndarray = field(default_factory=lambda: np.array([], dtype="int64"), repr=False, compare=False)
    rank: np.ndarray = field(default_factory=lambda: np.array([], dtype="int64"), repr=False, compare=False)
    published: np.ndarray = field(default_factory=lambda: np.array([], dtype="int64"), repr=False, compare=False)


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
    period = timeline.periods(articles["published"], freq=freq).dt.start_time.map(index).to_numpy(dtype="int64")
    shuffle = np.random.default_rng(seed).permutation(len(articles))
    rank = np.empty(len(articles), dtype="int64")
    rank[shuffle] = np.arange(len(articles))
    published = articles["published"].to_numpy(dtype="datetime64[ns]") if len(articles) else np.array([], "int64")
    order = pd.DataFrame({"period": period, "published": published}).iloc[shuffle]
    kept = order.groupby("period", sort=False).head(cap).sort_values(["period", "published"], kind="stable")
    positions = kept.index.to_numpy()
    sources = sorted(articles["source"].fillna("unknown").iloc[positions].unique())
    payload = {"cap": cap, "period": timeline.FREQUENCY_NAMES[freq], "periods": [f"{s:%Y-%m-%d}" for s in starts],
               "labels": [timeline.period_label(s, freq=freq) for s in starts],
               "totals": [int(n) for n in counted["articles"]], "sources": sources,
               "rows": _payload_rows(articles.iloc[positions], period[positions], sources)}
    digest = hashlib.sha1(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()[:12]
    return Sample(payload, list(articles.index[positions]), digest, positions, period, rank, published)


def _payload_rows(frame: pd.DataFrame, period: np.ndarray, sources: list) -> list[list]:
    """Return the page's row of each article: `[period index, date, source index, title, url]`."""
    source_index = {source: i for i, source in enumerate(sources)}
    return [[p, day, source_index[source], str(title), _link(url)] for p, day, source, title, url
            in zip(period.tolist(), frame["published"].dt.strftime("%Y-%m-%d").tolist(),
                   frame["source"].fillna("unknown").tolist(), frame["title"].fillna("").tolist(),
                   _urls(frame).tolist(), strict=True)]


def mentioned(drawn: Sample, articles: pd.DataFrame, found: pd.DataFrame, term_groups: dict, *,
              sets: list[tuple[str, ...]] | None = None, width: int = CONTEXT, snippets: int = SNIPPETS,
              texts: Callable[[pd.DataFrame], pd.DataFrame] | None = None) -> dict:
    """Return the articles a click on a period lists for each set of term groups (one group, or the two of a
    co-mention; each group alone when `sets` is None): in each period, the first `cap` articles that mention every
    group of the set, in the sample's seeded order, with the context of each group's first mention in the first
    `snippets` of them (by date).

    The sample's articles come first in that order, so a set lists every sampled article that mentions it, and as
    many more as the cap allows: those are embedded here (`extra`), not in the shared sample. The page's
    `{"sets": [[group, …], …], "snippets": snippets, "sources": […], "extra": [[period index, date, source index,
    title, url], …], "rows": [[row, set index, left, keyword, right, …], …]}`: a row below the sample's length is
    the sample's, the rest are `extra`'s in turn; a row holds one (left, keyword, right) per group of its set when
    it is shown in context, none otherwise. Bounded by `cap` articles a period and set, however large the corpus.
    Articles without their `text` (a report on a partitioned corpus holds none) get it from `texts`
    (`partitions.texts`), for the few shown in context only.
    """
    present = set(found["group"].unique())
    names = [name for name in term_groups if name in present]
    sets = [(name,) for name in names] if sets is None else [tuple(s) for s in sets]
    where = _where(articles, found)
    by_group = {name: np.unique(where[(found["group"] == name).to_numpy() & (where >= 0)]) for name in term_groups}
    listed = {i: _first(drawn, functools.reduce(np.intersect1d, [by_group.get(g, []) for g in group_set]),
                        cap=drawn.payload["cap"]) for i, group_set in enumerate(sets)}
    row_of, extra = _rows_of(drawn, np.concatenate([np.array([], dtype="int64"), *listed.values()]))
    lines = _in_context(drawn, articles, found, term_groups, listed, sets, row_of, width=width, snippets=snippets,
                        texts=texts)
    rows = sorted([row, i, *lines.get((i, position), ())] for i, positions in listed.items()
                  for row, position in zip(row_of[positions].tolist(), positions.tolist(), strict=True))
    sources = sorted(articles["source"].fillna("unknown").iloc[extra].unique())
    return {"sets": [list(s) for s in sets], "snippets": snippets, "sources": sources,
            "extra": _payload_rows(articles.iloc[extra], drawn.period[extra], sources), "rows": rows}


def _where(articles: pd.DataFrame, found: pd.DataFrame) -> np.ndarray:
    """Return the position in `articles` of each row of `found` (-1: not among them)."""
    ids = pd.Index(articles["article_id"])
    if ids.is_unique:
        return ids.get_indexer(found["article_id"])
    first = pd.Series(np.arange(len(ids)), index=ids).groupby(level=0).first()  # an id twice: its first row
    return found["article_id"].map(first).fillna(-1).to_numpy(dtype="int64")


def _first(drawn: Sample, positions: np.ndarray, *, cap: int) -> np.ndarray:
    """Return the first `cap` of `positions` in each period, in the seeded order the sample was drawn in."""
    positions = np.asarray(positions, dtype="int64")
    chosen = pd.DataFrame({"position": positions, "period": drawn.period[positions], "rank": drawn.rank[positions]})
    return chosen.sort_values(["period", "rank"]).groupby("period").head(cap)["position"].to_numpy()


def _rows_of(drawn: Sample, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return each article's payload row (the sample's, else after them in `extra`; -1: not listed) and the extra
    articles' positions, in period and date order as the sample's."""
    row_of = np.full(len(drawn.period), -1, dtype="int64")
    row_of[drawn.positions] = np.arange(len(drawn.positions))
    extra = np.unique(positions[~np.isin(positions, drawn.positions)])
    extra = extra[np.lexsort((drawn.published[extra], drawn.period[extra]))]
    row_of[extra] = len(drawn.positions) + np.arange(len(extra))
    return row_of, extra


def _in_context(drawn: Sample, articles: pd.DataFrame, found: pd.DataFrame, term_groups: dict, listed: dict,
                sets: list, row_of: np.ndarray, *, width: int, snippets: int,
                texts: Callable[[pd.DataFrame], pd.DataFrame] | None = None) -> dict:
    """Return {(set index, position): (left, keyword, right) for each group of the set} for the first `snippets`
    articles each period lists for each set, in the page's order (by day, then row); the texts of these articles
    only are read again."""
    first = {}
    for i, positions in listed.items():
        rows = pd.DataFrame({"position": positions, "row": row_of[positions],
                             "day": drawn.published[positions].astype("datetime64[D]"),
                             "period": drawn.period[positions]}).sort_values(["day", "row"])
        first[i] = rows.groupby("period").head(snippets)["position"].to_numpy()
    shown = articles.iloc[np.unique(np.concatenate([np.array([], dtype="int64"), *first.values()]))]
    if "text" not in shown and texts is not None:
        shown = texts(shown)
    pairs = found[found["article_id"].isin(shown["article_id"])]
    context = {(a, g): _whole_words(left, keyword, right, width=width) for a, g, left, keyword, right
               in terms.first_mentions(shown, pairs, term_groups, width=width).itertuples(index=False)}
    ids = articles["article_id"].to_numpy()
    lines = {}
    for i, positions in first.items():
        for position in positions.tolist():
            found_all = [context.get((ids[position], group)) for group in sets[i]]
            if any(found_all):  # a group whose mention the context pattern misses is shown without
                lines[(i, position)] = tuple(part for line in found_all for part in (line or ("", "", "")))
    return lines


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
