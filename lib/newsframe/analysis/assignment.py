"""Topics for articles outside a model's fit: a model fitted on a sample of a large corpus (`sample`) gives every
article its topic weights, a batch (a month) at a time.

An article's words are counted over the model's terms (`vectors.recount`, with the options the sample was vectorised
with), weighted by TF-IDF with the sample's inverse document frequencies, and its topic weights are the
non-negative least-squares fit of that row by the model's topic-word weights (what NMF's `transform` solves), by
coordinate descent until no weight moves by more than TOLERANCE (at most SWEEPS sweeps), then scaled to sum to 1 as
`topics.fit` scales them. Each article stops on its own: scikit-learn's `NMF.transform` stops when the whole batch has
converged, so an article's weights would depend on the articles assigned with it, and a month's on the month. NMF
models only (`topics.fit`'s default): LDA's weights come from its own inference, which is not done here.

The sample is the same in memory and on a partitioned corpus (`partitions.sample`): the SAMPLE_ARTICLES articles
whose article ids have the smallest seeded hash, every article when there are no more; a uniform random sample
without replacement that does not depend on how the corpus is split.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from newsframe.analysis import topics, vectors
from newsframe.errors import ParameterError

__all__ = ["SAMPLE_ARTICLES", "SWEEPS", "TOLERANCE", "Assigner", "assign", "assigner", "sample", "sample_keys",
           "smallest"]

SAMPLE_ARTICLES = 100_000  # fitted in about 6.5 s (bench/README.md, Topics); topics of a larger corpus are this big
SWEEPS = 500
TOLERANCE = 1e-7  # of a weight before scaling; TF-IDF rows have length 1


def sample_keys(article_ids: pd.Series, *, seed: int = 0) -> np.ndarray:
    """Return each article's place in the sample's order: a hash of its id and `seed` (the smallest are sampled)."""
    ids = pd.Series(article_ids, dtype="string").reset_index(drop=True)
    return pd.util.hash_pandas_object(ids, index=False, hash_key=f"{seed:016d}"[-16:]).to_numpy()


def sample(articles: pd.DataFrame, *, size: int = SAMPLE_ARTICLES, seed: int = 0) -> pd.DataFrame:
    """Return the `size` articles whose ids hash smallest with `seed` (all of them when there are no more), by date."""
    keyed = pd.DataFrame({"article_id": articles["article_id"].to_numpy(),
                          "key": sample_keys(articles["article_id"], seed=seed)})
    chosen = articles["article_id"].isin(smallest(keyed, size=size)["article_id"]).to_numpy()
    return articles[chosen].sort_values(["published", "article_id"], kind="stable", ignore_index=True)


def smallest(keyed: pd.DataFrame, *, size: int) -> pd.DataFrame:
    """Return the `size` rows of `keyed` (`article_id`, `key`) with the smallest keys, ids breaking ties."""
    return keyed.sort_values(["key", "article_id"], kind="stable").head(size)


@dataclass(frozen=True)
class Assigner:
    """What giving articles a fitted model's topics needs, small enough to send to every Dask task: the model without
    its articles, each term's inverse document frequency in the fit's articles, and the counting options."""

    model: topics.Model  # weights and counts of no article
    idf: np.ndarray
    extra_stop_words: tuple[str, ...] = ()
    bigrams: bool = False
    names: pd.DataFrame | None = None


def assigner(model: topics.Model, *, extra_stop_words: Iterable[str] = (), bigrams: bool = False,
             names: pd.DataFrame | None = None) -> Assigner:
    """Return what assigns `model`'s topics to other articles; give the options `topics.vectorise` was given."""
    from sklearn.feature_extraction.text import TfidfTransformer

    if model.method != "nmf":
        raise ParameterError(f"topics of a {model.method} model cannot be given to articles outside its fit; fit "
                             "with method='nmf' (the default), or fit on all the articles in memory.")
    if model.vectors.keys is None:
        raise ParameterError("this model's words were not counted by topics.vectorise; vectorise the articles again.")
    idf = TfidfTransformer(sublinear_tf=True).fit(model.vectors.counts).idf_
    slim = vectors.Vectors(model.vectors.counts[:0], model.vectors.terms, model.vectors.article_ids[:0],
                           model.vectors.keys)
    bare = topics.Model(model.method, model.components, model.weights[:0], slim, model.topic_ids, model.seed)
    return Assigner(bare, idf, tuple(extra_stop_words), bigrams, names)


def assign(rule: Assigner, articles: pd.DataFrame) -> topics.Model:
    """Return the model with `articles` as its articles: their word counts and topic weights (each row summing to
    1, or 0 for an article with none of the model's words), for `topics.over_time`, `dominant`, `weights`…"""
    counted = vectors.recount(rule.model.vectors, articles, extra_stop_words=rule.extra_stop_words,
                              bigrams=rule.bigrams, names=rule.names)
    found = _least_squares(_tfidf(counted.counts, rule.idf), rule.model.components)
    totals = found.sum(axis=1, keepdims=True)
    weights = np.divide(found, totals, out=np.zeros_like(found), where=totals > 0)
    return topics.Model(rule.model.method, rule.model.components, weights, counted, rule.model.topic_ids,
                        rule.model.seed)


def _tfidf(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Return `topics.tfidf`'s rows (log-scaled counts times idf, unit length) with the fit's idf."""
    from sklearn.preprocessing import normalize

    scaled = counts.astype(np.float64)
    scaled.data = (np.log(scaled.data) + 1) * idf[scaled.indices]
    return normalize(scaled, copy=False).astype(np.float32)


def _least_squares(rows: sparse.csr_matrix, components: np.ndarray) -> np.ndarray:
    """Return, per row, the non-negative weights of the components that best rebuild it (least squares), each row
    solved on its own by coordinate descent."""
    gram = components @ components.T
    projected = np.asarray(rows @ components.T, dtype=np.float64)
    weights = np.zeros_like(projected)
    active = np.flatnonzero(projected.max(axis=1, initial=0) > 0)  # a row of no word stays at 0
    for _ in range(SWEEPS):
        if not len(active):
            break
        current, before = weights[active], weights[active].copy()
        for topic in np.flatnonzero(np.diag(gram) > 0):
            gradient = (current * gram[topic]).sum(axis=1) - projected[active, topic]
            current[:, topic] = np.maximum(0.0, current[:, topic] - gradient / gram[topic, topic])
        weights[active] = current
        active = active[np.abs(current - before).max(axis=1) > TOLERANCE]
    return weights
