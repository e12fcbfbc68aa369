"""Key terms: the words most over-represented in some articles (a period, a spike) against the rest of the corpus.

Dunning's log-likelihood (G², one degree of freedom) ranks them, with the log ratio (base 2) as the effect size.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pandas as pd
import pyarrow as pa

from newsframe import words
from newsframe.analysis import phrases, stopwords

__all__ = ["compared", "key_terms", "tallied"]


def key_terms(articles: pd.DataFrame, *, target: pd.Series, top: int = 25, min_count: int = 5,
              stop_words: frozenset[str] | None = None, min_articles: int = 1,
              names: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return the words most over-represented in the `target` articles against the others.

    The statistic is Dunning's log-likelihood (G², one degree of freedom) with the log ratio (base 2) as the
    effect size; stop words are left out, and so are words that do not count as terms (`words.countable`: one
    letter, no letter); words are compared folded and shown in their usual spelling, accents included; no rows when
    the target has fewer than `min_articles` articles. `names` (what `phrases.find` returns) makes each name of
    several words one term (`Al Jazeera`, `États-Unis`). Columns: `term`, `target_count`, `reference_count`,
    `target_per_10k`, `reference_per_10k`, `log_likelihood`, `log_ratio`, `p_value`.
    """
    target = target.reindex(articles.index).fillna(False).astype(bool)
    if target.sum() < min_articles:  # a period of a handful of articles would show their words, not its own
        return _keyness_frame(pd.DataFrame({"a": [], "b": []}), 0, 0)
    inside, outside = tallied(articles, target=target, names=names)
    return compared(inside, outside, top=top, min_count=min_count, stop_words=stop_words)


def tallied(articles: pd.DataFrame, *, target: pd.Series, names: pd.DataFrame | None = None) -> tuple[pd.DataFrame,
                                                                                                     pd.DataFrame]:
    """Return how often each word occurs in the `target` articles and in the others, by spelling (`words.tallies`'
    columns `key`, `shown`, `count`; each name of `names` one word, as `phrases.tallies` counts it). The tallies of
    parts of a corpus (its months), summed by key and spelling, are the corpus's."""
    tallies = words.tallies if names is None or names.empty else functools.partial(phrases.tallies, found=names)
    return tallies(articles[target]), tallies(articles[~target])


def compared(inside: pd.DataFrame, outside: pd.DataFrame, *, top: int = 25, min_count: int = 5,
             stop_words: frozenset[str] | None = None) -> pd.DataFrame:
    """Return `key_terms`' table from the tallies of the target articles and of the others (`tallied`)."""
    stop = stopwords.words() if stop_words is None else stop_words
    counts = pd.DataFrame({"a": inside.groupby("key")["count"].sum(),
                           "b": outside.groupby("key")["count"].sum()}).fillna(0)
    shown = words.usual_spellings(pd.concat([inside, outside]))
    c, d = counts["a"].sum(), counts["b"].sum()
    terms = counts.index.to_series()
    keep = (~terms.isin(stop) & words.countable(pa.array(terms.to_numpy(dtype=object), pa.large_string()))
            & (counts["a"] >= min_count))
    counts = counts[keep]
    if counts.empty or c == 0 or d == 0:
        return _keyness_frame(counts.iloc[0:0], c, d)
    expected_a, expected_b = c * (counts["a"] + counts["b"]) / (c + d), d * (counts["a"] + counts["b"]) / (c + d)
    g2 = 2 * (_xlogy(counts["a"], expected_a) + _xlogy(counts["b"], expected_b))
    over = counts["a"] / c > counts["b"] / d
    best = counts[over].assign(g2=g2[over]).nlargest(top, "g2")
    return _keyness_frame(best.set_axis(shown.reindex(best.index).fillna(pd.Series(best.index, best.index))), c, d)


def _xlogy(observed: pd.Series, expected: pd.Series) -> pd.Series:
    return (observed * np.log(observed.where(observed > 0, 1) / expected)).where(observed > 0, 0.0)


def _keyness_frame(counts: pd.DataFrame, c: float, d: float) -> pd.DataFrame:
    g2 = counts.get("g2", pd.Series(dtype="float64"))
    return pd.DataFrame({
        "term": counts.index.astype("string"),
        "target_count": counts["a"].astype("int64").to_numpy(),
        "reference_count": counts["b"].astype("int64").to_numpy(),
        "target_per_10k": (counts["a"] / max(c, 1) * 10_000).to_numpy(),
        "reference_per_10k": (counts["b"] / max(d, 1) * 10_000).to_numpy(),
        "log_likelihood": g2.to_numpy(),
        "log_ratio": np.log2(((counts["a"] + 0.5) / max(c, 1)) / ((counts["b"] + 0.5) / max(d, 1))).to_numpy(),
        "p_value": [math.erfc(math.sqrt(max(v, 0) / 2)) for v in g2],
    })
