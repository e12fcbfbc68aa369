"""Topics and topics over time, in French and English, with the numbers to defend them.

The path is `vectors.vectorise` (words counted per article, French and English stop words and news boilerplate left
out, elision and accents handled, document-frequency cut-offs that follow the corpus size) → `fit` (NMF on TF-IDF by
default, LDA as an option, reproducible with a seed) → tidy frames: topic weights per article, a table of topics
with their coherence, shares over time and by source, representative articles. `sweep` fits several k and
`recommend` picks one, saying why. `identify` matches a refitted model's topics to the previous run's, so that a
topic keeps its number and label as the corpus grows.

Coherence is NPMI (normalised pointwise mutual information of the top terms' co-occurrence in the corpus's
articles, -1 to 1; Bouma 2009, as in Röder et al. 2015's C_NPMI with whole articles as windows). Diversity is the
share of unique words among all topics' top 10 (Dieng et al. 2020 take the top 25); their product is the topic
quality the same paper ranks models by. Diversity is measured over the same top 10 words as coherence, the words a
reader sees: past a topic's first distinctive words, a top 25 fills with words every topic shares, and diversity
falls for every k that splits a theme finely. On the demo the top 25 merged two planted themes (k=9 of 6-11) where
the top 10 finds all ten (k=10, NMI 1.0 with the planted labels); on Reuters-21578's labelled articles both mostly
pick k=5 of 5-30 (NMI 0.38; the best, k=20-25, reaches 0.46), the top 10 once picking k=20 and never a worse k;
on the real French feeds and English news set both pick the same k (10 of 5-15).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from newsframe import paths
from newsframe.analysis import timeline
from newsframe.analysis.numbers import articles_for_topics, parse_k
from newsframe.analysis.vectors import Vectors
from newsframe.errors import ParameterError

__all__ = [
    "CATCH_ALL_NOTE", "COHERENCE_TERMS", "DIVERSITY_TERMS", "MATCH_SIMILARITY", "METHODS",
    "MIN_PERIOD_ARTICLES", "Model", "agreement", "by_source", "catch_all", "coherence", "diversity", "dominant",
    "fit", "identify", "labels", "npmi", "numbered_labels", "over_time", "over_time_of", "parse_k", "read_labels",
    "recommend", "representative", "sweep", "table", "terms_over_time", "tfidf", "topic_terms", "weight_tally",
    "weights",
]

METHODS = ("nmf", "lda")
COHERENCE_TERMS = 10  # top words per topic for NPMI
DIVERSITY_TERMS = 10  # top words per topic for diversity: those coherence scores (module docstring)
MIN_PERIOD_ARTICLES = 30  # per-period results (a topic's words, shares) need at least this many articles
MATCH_SIMILARITY = 0.3  # cosine of topic-word weights above which a refitted topic is the previous run's topic


@dataclass(frozen=True)
class Model:
    """A fitted topic model: topic-word weights, each article's topic weights, and the words behind them.

    `topic_ids` are the topics' numbers as shown (stable across runs once `identify` has matched them); row i of
    `components` and column i of `weights` belong to topic `topic_ids[i]`.
    """

    method: str
    components: np.ndarray  # topics x words, non-negative
    weights: np.ndarray  # articles x topics, each row sums to 1 (0 for an article with no kept word)
    vectors: Vectors
    topic_ids: np.ndarray
    seed: int

    @property
    def k(self) -> int:
        return len(self.topic_ids)

    def top_terms(self, n: int = 10) -> dict[int, list[str]]:
        """Return each topic's `n` heaviest words, heaviest first."""
        order = np.argsort(-self.components, axis=1, kind="stable")[:, :n]
        return {int(t): list(self.vectors.terms[row]) for t, row in zip(self.topic_ids, order, strict=True)}


def fit(vectors: Vectors, *, k: int = 10, method: str = "nmf", seed: int = 0) -> Model:
    """Fit `k` topics to the articles' word counts with `method` ("nmf": NMF on TF-IDF, the fast default; or "lda":
    online LDA on counts); the same `seed` gives the same topics."""
    if method not in METHODS:
        raise ParameterError(f"method={method!r} is not a topic model newsframe knows; use one of "
                             f"{', '.join(METHODS)}.")
    usable = int((~vectors.empty).sum())
    if usable < articles_for_topics(max(k, 2)):
        raise ParameterError(f"k={k} topics need at least {articles_for_topics(max(k, 2))} articles with words; "
                             f"the selection has {usable}. Add articles, widen the selection, or ask for fewer topics.")
    if k < 2 or k > min(usable, vectors.counts.shape[1]):
        raise ParameterError(f"k={k} topics cannot be fitted to {usable} articles with words and "
                             f"{vectors.counts.shape[1]} distinct words; choose k from 2 to "
                             f"{max(2, min(usable, vectors.counts.shape[1]))}.")
    document_topics, components = (_nmf if method == "nmf" else _lda)(vectors.counts, k=k, seed=seed)
    totals = document_topics.sum(axis=1, keepdims=True)
    weights = np.divide(document_topics, totals, out=np.zeros_like(document_topics), where=totals > 0)
    return Model(method, components, weights, vectors, np.arange(1, k + 1), seed)


def _nmf(counts: sparse.csr_matrix, *, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.decomposition import NMF

    # nndsvda starts from the data's own structure (fewer iterations than random), and topics this stable need no
    # tighter tolerance than 1e-3.
    model = NMF(n_components=k, init="nndsvda", tol=1e-3, max_iter=400, random_state=seed)
    document_topics = model.fit_transform(tfidf(counts))
    return document_topics, model.components_


def _lda(counts: sparse.csr_matrix, *, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.decomposition import LatentDirichletAllocation

    model = LatentDirichletAllocation(n_components=k, learning_method="online", random_state=seed, n_jobs=1)
    document_topics = model.fit_transform(counts)
    document_topics[np.diff(counts.indptr) == 0] = 0  # LDA spreads an empty article evenly: it has no topic
    return document_topics, model.components_


def tfidf(counts: sparse.csr_matrix) -> sparse.csr_matrix:
    """Return TF-IDF rows of unit length: log-scaled counts (a word said ten times is not ten times the topic)
    times smoothed inverse document frequency."""
    from sklearn.feature_extraction.text import TfidfTransformer

    return TfidfTransformer(sublinear_tf=True).fit_transform(counts).astype(np.float32)


def npmi(presence: sparse.spmatrix, topics: list[list[int]]) -> np.ndarray:
    """Return each topic's mean NPMI over the pairs of its words.

    `presence` is articles x words (non-zero: the word is in the article); a topic is a list of its word columns.
    A pair never seen together scores -1; a pair always together 1.
    """
    columns = sorted({c for topic in topics for c in topic})
    position = {c: i for i, c in enumerate(columns)}
    seen = (presence[:, columns] > 0).astype(np.float64).tocsc()
    together = (seen.T @ seen).toarray() / max(presence.shape[0], 1)
    alone = np.diag(together)
    scores = []
    for topic in topics:
        at = [position[c] for c in topic]
        i, j = np.triu_indices(len(at), k=1)
        joint, first, second = together[np.ix_(at, at)][i, j], alone[at][i], alone[at][j]
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.log(joint / (first * second)) / -np.log(joint)
        value = np.where(joint == 0, -1.0, np.where(joint >= 1, 1.0, value))
        scores.append(float(value.mean()) if len(value) else math.nan)
    return np.array(scores)


def coherence(model: Model, *, n: int = COHERENCE_TERMS) -> pd.Series:
    """Return each topic's NPMI over its top `n` words, in the model's own articles (index: topic)."""
    order = np.argsort(-model.components, axis=1, kind="stable")[:, :n]
    return pd.Series(npmi(model.vectors.counts, [list(row) for row in order]), index=model.topic_ids, name="coherence")


def diversity(top_terms: Mapping[int, list[str]] | list[list[str]]) -> float:
    """Return the share of distinct words among all topics' top words (1: no two topics share a word)."""
    lists = list(top_terms.values()) if isinstance(top_terms, Mapping) else list(top_terms)
    words = [w for terms in lists for w in terms]
    return len(set(words)) / len(words) if words else math.nan


def agreement(model: Model, labels: pd.Series) -> float:
    """Return the normalised mutual information between each article's dominant topic and its `labels` (a series
    indexed by article_id; articles without a label or a topic are left out)."""
    from sklearn.metrics import normalized_mutual_info_score

    main = dominant(model).set_index("article_id")["topic"]
    both = pd.DataFrame({"topic": main, "label": labels.reindex(main.index)}).dropna()
    return float(normalized_mutual_info_score(both["label"], both["topic"])) if len(both) else math.nan


def sweep(vectors: Vectors, *, ks: Iterable[int], method: str = "nmf", seed: int = 0,
          labels: pd.Series | None = None) -> pd.DataFrame:
    """Fit a model for each k and measure it: `k`, `coherence` (mean NPMI of the top 10 words), `diversity` (unique
    share of the top 10), `quality` (their product), `agreement` (NMI with `labels`, when given), `seconds`."""
    import time

    rows = []
    for k in sorted(set(ks)):
        started = time.perf_counter()
        model = fit(vectors, k=k, method=method, seed=seed)
        seconds = time.perf_counter() - started
        row = {"k": k, "coherence": float(coherence(model).mean()),
               "diversity": diversity(model.top_terms(DIVERSITY_TERMS)), "seconds": seconds}
        row["quality"] = row["coherence"] * row["diversity"]
        if labels is not None:
            row["agreement"] = agreement(model, labels)
        rows.append(row)
    columns = ["k", "coherence", "diversity", "quality"] + (["agreement"] if labels is not None else []) + ["seconds"]
    return pd.DataFrame(rows, columns=columns)


def recommend(swept: pd.DataFrame) -> tuple[int, str]:
    """Return the k with the highest topic quality (coherence x diversity; the smaller k on a tie) and the reason."""
    best = swept.sort_values(["quality", "k"], ascending=[False, True]).iloc[0]
    others = swept[swept["k"] != best["k"]]
    runner = (f"; next best k={int(others.loc[others['quality'].idxmax(), 'k'])} at "
              f"{others['quality'].max():.3f}") if len(others) else ""
    return int(best["k"]), (f"k={int(best['k'])} has the highest topic quality, coherence x diversity "
                            f"({best['coherence']:.3f} x {best['diversity']:.2f} = {best['quality']:.3f}){runner}.")


def weights(model: Model, *, minimum: float = 0.0) -> pd.DataFrame:
    """Return each article's topic weights as a long frame: `article_id`, `topic`, `weight` (weights of an article
    sum to 1; only weights above `minimum` are listed; an article with no kept word has no row, see `dominant`)."""
    rows, columns = np.nonzero(model.weights > minimum)
    return pd.DataFrame({
        "article_id": pd.array(model.vectors.article_ids[rows], dtype="string"),
        "topic": model.topic_ids[columns].astype("int64"),
        "weight": model.weights[rows, columns],
    })


def dominant(model: Model) -> pd.DataFrame:
    """Return each article's heaviest topic: `article_id`, `topic` (missing when the article has no kept word, so
    nothing is left out silently), `weight`."""
    best = model.weights.argmax(axis=1)
    weight = model.weights[np.arange(len(best)), best]
    topic = pd.array(model.topic_ids[best], dtype="Int64")
    topic[weight == 0] = pd.NA
    return pd.DataFrame({"article_id": pd.array(model.vectors.article_ids, dtype="string"), "topic": topic,
                         "weight": weight})


def labels(model: Model, overrides: Mapping[int, str] | str | Path | None = None, *, words: int = 3) -> dict[int, str]:
    """Return each topic's label: its top `words` words joined by " · ", or the researcher's own from `overrides`
    (a mapping or a labels file with lines `7: Russia and Africa`)."""
    chosen = read_labels(overrides) if isinstance(overrides, str | Path) and str(overrides) else dict(overrides or {})
    top = model.top_terms(words * 4)
    return {t: chosen.get(t) or " · ".join(_distinct(top[t], words)) for t in top}


def _distinct(terms: list[str], n: int) -> list[str]:
    """Return the first `n` terms that say something new: a pair of words replaces its words already chosen
    (`réseaux sociaux`, not `réseaux · sociaux · réseaux sociaux`); a word or pair overlapping a chosen pair is
    skipped."""
    chosen: list[str] = []
    for term in terms:
        words = term.split()
        in_phrases = {w for c in chosen if " " in c for w in c.split()}
        if (len(words) == 1 and any(term in c.split() for c in chosen)) or in_phrases & set(words):
            continue
        chosen = [c for c in chosen if c not in words] + [term]
        if len(chosen) == n:
            break
    return chosen


def numbered_labels(model: Model, topic_labels: Mapping[int, str] | None = None) -> dict[int, str]:
    """Return each topic's number and label as charts show them (`3. céréales · prix · pain`), in topic order."""
    topic_labels = topic_labels or labels(model)
    return {int(t): f"{t}. {topic_labels[t]}" for t in sorted(model.topic_ids)}


def read_labels(path: str | Path) -> dict[int, str]:
    """Read a labels file: one topic a line, `number: label`; `#` starts a comment."""
    path = paths.resolve(path)
    if not path.is_file():
        raise ParameterError(f"labels file {path} not found. Write one topic a line: `7: Russia and Africa`.")
    found = {}
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        topic, colon, label = line.partition(":")
        if not colon or not topic.strip().isdigit() or not label.strip():
            raise ParameterError(f"{path}, line {number}: expected `number: label` (e.g. `7: Russia and Africa`), "
                                 f"got {line!r}.")
        found[int(topic)] = label.strip()
    return found


def table(model: Model, topic_labels: Mapping[int, str] | None = None, *, n: int = 10) -> pd.DataFrame:
    """Return one row per topic: `topic`, `label`, `top_terms`, `articles` (whose dominant topic it is), `share`
    (mean weight over all articles: its part of the coverage), `coherence` (NPMI of the top `n` words) and `note`
    (a catch-all topic, see `catch_all`, is said so, with what to try)."""
    topic_labels = topic_labels or labels(model)
    counts = dominant(model)["topic"].value_counts()
    frame = pd.DataFrame({
        "topic": model.topic_ids.astype("int64"),
        "label": [topic_labels[t] for t in model.topic_ids],
        "top_terms": [", ".join(words) for words in model.top_terms(n).values()],
        "articles": [int(counts.get(t, 0)) for t in model.topic_ids],
        "share": model.weights.mean(axis=0) if len(model.weights) else np.zeros(model.k),
        "coherence": coherence(model, n=n).to_numpy(),
    })
    note = np.where(catch_all(frame["share"], frame["coherence"]), CATCH_ALL_NOTE, "")
    return frame.assign(note=note).astype({"label": "string", "top_terms": "string", "note": "string"})


CATCH_ALL_NOTE = ("catch-all: much coverage at low coherence, articles no other topic took; try a larger k, "
                  "extra_stop_words, or look for boilerplate or a source that dominates")


def catch_all(share: pd.Series, coherence: pd.Series) -> pd.Series:
    """Return which topics are catch-alls: a large share of the coverage (at least twice an even share and 15 %)
    at a coherence well below the other topics' (under their median minus 0.05 NPMI)."""
    k = len(share)
    if k < 3:
        return pd.Series(False, index=share.index)
    others = [coherence.drop(i).median() for i in coherence.index]
    return (share >= max(2 / k, 0.15)) & (coherence < pd.Series(others, index=coherence.index) - 0.05)


def representative(model: Model, articles: pd.DataFrame, topic_labels: Mapping[int, str] | None = None, *,
                   n: int = 5) -> pd.DataFrame:
    """Return each topic's `n` articles with the highest weight: `topic`, `label`, `rank`, `date`, `title`,
    `source`, `weight`, `article_id`."""
    topic_labels = topic_labels or labels(model)
    meta = articles.set_index("article_id").reindex(model.vectors.article_ids)
    rows = []
    for column, topic in enumerate(model.topic_ids):
        order = np.argsort(-model.weights[:, column], kind="stable")[:n]
        for rank, row in enumerate(order[model.weights[order, column] > 0], start=1):
            rows.append({"topic": int(topic), "label": topic_labels[topic], "rank": rank,
                         "date": f"{meta['published'].iloc[row]:%Y-%m-%d}", "title": meta["title"].iloc[row],
                         "source": meta["source"].iloc[row], "weight": float(model.weights[row, column]),
                         "article_id": model.vectors.article_ids[row]})
    columns = ["topic", "label", "rank", "date", "title", "source", "weight", "article_id"]
    return pd.DataFrame(rows, columns=columns).astype({c: "string" for c in ("label", "date", "title", "source",
                                                                               "article_id")})


def over_time(model: Model, articles: pd.DataFrame, topic_labels: Mapping[int, str] | None = None, *,
              freq: str = "M", by: str | None = None, min_articles: int = 1) -> pd.DataFrame:
    """Return each topic's share of coverage per period (and `by` value): `period_start`, [`by`], `topic`,
    `label`, `name` (number and label), `weight` (sum of the period's topic weights), `articles` (all the period's
    articles: the denominator), `share` (weight / articles; missing for a period with no article, or fewer than
    `min_articles`, whose share would say little: a chart leaves it blank instead of drawing a 0) and
    `is_complete`."""
    tallied, sums = weight_tally(model, articles, freq=freq, by=by)
    return over_time_of(model, tallied, sums, topic_labels, freq=freq, by=by, min_articles=min_articles)


def weight_tally(model: Model, articles: pd.DataFrame, *, freq: str = "M",
                 by: str | None = None) -> tuple[timeline.Tally, pd.DataFrame]:
    """Return what `over_time` adds up over the model's articles: their `timeline.tally`, and the sums of their
    topic weights per period start [and `by` value] (one column per topic). Parts of a corpus (its months) add up,
    the tallies with `+`, the sums by index, to the corpus's."""
    aligned = articles.set_index("article_id").reindex(model.vectors.article_ids).reset_index()
    keys = [timeline.periods(aligned["published"], freq=freq).dt.start_time.rename("period_start")]
    keys += [aligned[by].fillna("unknown").rename(by)] if by else []
    sums = pd.DataFrame(model.weights, columns=model.topic_ids).groupby(keys).sum()
    return timeline.tally(aligned, freq=freq, by=by), sums


def over_time_of(model: Model, tallied: timeline.Tally, sums: pd.DataFrame,
                 topic_labels: Mapping[int, str] | None = None, *, freq: str = "M", by: str | None = None,
                 min_articles: int = 1) -> pd.DataFrame:
    """Return `over_time`'s frame from `weight_tally`'s (of the model's articles, or added up over parts)."""
    topic_labels = topic_labels or labels(model)
    totals = timeline.counted(tallied, freq=freq, by=by)
    long = sums.stack().rename("weight").rename_axis(sums.index.names + ["topic"]).reset_index()
    grid = totals.merge(pd.DataFrame({"topic": model.topic_ids.astype("int64")}), how="cross")
    out = grid.merge(long, on=["period_start"] + ([by] if by else []) + ["topic"], how="left").fillna({"weight": 0})
    out["share"] = (out["weight"] / out["articles"]).where(out["articles"] >= max(min_articles, 1))
    out.insert(out.columns.get_loc("topic") + 1, "label", out["topic"].map(topic_labels).astype("string"))
    out["name"] = out["topic"].map(numbered_labels(model, topic_labels)).astype("string")
    order = ["period_start"] + ([by] if by else []) + ["topic", "label", "name", "weight", "articles", "share",
                                                      "is_complete"]
    return out[order]


def by_source(model: Model, articles: pd.DataFrame, topic_labels: Mapping[int, str] | None = None, *,
              by: str = "source") -> pd.DataFrame:
    """Return each topic's share of the articles of each value of `by` (a source, or a section…): columns `by`
    (named as the column), `topic`, `label`, `name`, `articles` (of that value), `share`."""
    topic_labels = topic_labels or labels(model)
    values = articles.set_index("article_id")[by].reindex(model.vectors.article_ids).fillna("unknown")
    frame = pd.DataFrame(model.weights, columns=model.topic_ids)
    shares = frame.groupby(values.to_numpy()).mean().rename_axis(by)
    sizes = values.value_counts()
    out = shares.stack().rename("share").rename_axis([by, "topic"]).reset_index()
    out["articles"] = out[by].map(sizes).astype("int64")
    out.insert(2, "label", out["topic"].map(topic_labels).astype("string"))
    out["name"] = out["topic"].map(numbered_labels(model, topic_labels)).astype("string")
    return out[[by, "topic", "label", "name", "articles", "share"]].astype({by: "string"})


def terms_over_time(model: Model, articles: pd.DataFrame, *, freq: str = "Y", n: int = 8,
                    min_articles: int = MIN_PERIOD_ARTICLES) -> pd.DataFrame:
    """Return how each topic's vocabulary moved: per period and topic, the `n` words weighing most in that
    period's articles of the topic (TF-IDF weighted by the articles' topic weights), for the periods with at least
    `min_articles` articles (a period of one article would show that article's words). Columns `period_start`,
    `period` (its name), `topic`, `terms`."""
    aligned = articles.set_index("article_id").reindex(model.vectors.article_ids)
    period = timeline.periods(aligned["published"], freq=freq).dt.start_time.to_numpy()
    values = tfidf(model.vectors.counts)
    rows = []
    starts, sizes = np.unique(period, return_counts=True)
    for start in pd.DatetimeIndex(starts[sizes >= min_articles]):
        inside = np.flatnonzero(period == start)
        mass = sparse.csr_matrix(model.weights[inside].T) @ values[inside]  # topics x words
        for column, topic in enumerate(model.topic_ids):
            row = mass[column].toarray().ravel() * (model.components[column] > 0)
            top = np.argsort(-row, kind="stable")[:n]
            rows.append({"period_start": pd.Timestamp(start), "period": timeline.period_label(start, freq=freq),
                         "topic": int(topic), "terms": ", ".join(model.vectors.terms[top[row[top] > 0]])})
    return pd.DataFrame(rows, columns=["period_start", "period", "topic", "terms"]).astype(
        {"period": "string", "terms": "string"})


def topic_terms(model: Model, topic_labels: Mapping[int, str] | None = None, *, n: int = 50) -> pd.DataFrame:
    """Return each topic's `n` heaviest words with their weights (each topic's weights sum to 1 over all words):
    `topic`, `label`, `rank`, `term`, `weight`. Saved beside the report, it lets the next run keep topic numbers."""
    topic_labels = topic_labels or labels(model)
    totals = model.components.sum(axis=1, keepdims=True)
    share = np.divide(model.components, totals, out=np.zeros_like(model.components), where=totals > 0)
    rows = []
    for column, topic in enumerate(model.topic_ids):
        order = np.argsort(-share[column], kind="stable")[:n]
        rows += [{"topic": int(topic), "label": topic_labels[topic], "rank": rank, "term": model.vectors.terms[i],
                  "weight": float(share[column, i])} for rank, i in enumerate(order, start=1)]
    return pd.DataFrame(rows, columns=["topic", "label", "rank", "term", "weight"]).astype(
        {"label": "string", "term": "string"})


def identify(model: Model, previous: pd.DataFrame | None) -> tuple[Model, pd.DataFrame]:
    """Renumber the model's topics after the previous run's (`topic_terms` of that run), so that a topic keeps its
    number and label as the corpus grows.

    Topics are paired one to one by the cosine similarity of their word weights (Hungarian assignment); a pair
    below MATCH_SIMILARITY is no match. Unmatched new topics get numbers never used before. Returns the renumbered
    model and the changes: `topic`, `status` ("kept", "new", "gone" or "first run"), `previous_topic`,
    `similarity`, `previous_label`.
    """
    if previous is None or previous.empty:
        changes = pd.DataFrame({"topic": pd.array(model.topic_ids, dtype="Int64"), "status": "first run",
                                "previous_topic": pd.array([pd.NA] * model.k, dtype="Int64"),
                                "similarity": np.nan, "previous_label": pd.array([pd.NA] * model.k, dtype="string")})
        return model, changes
    similarity, previous_ids = _similarity(model, previous)
    from scipy.optimize import linear_sum_assignment

    rows, columns = linear_sum_assignment(-similarity)
    matched = {r: c for r, c in zip(rows, columns, strict=True) if similarity[r, c] >= MATCH_SIMILARITY}
    fresh = iter(range(int(previous_ids.max()) + 1, int(previous_ids.max()) + 1 + model.k))
    numbers = np.array([previous_ids[matched[i]] if i in matched else next(fresh) for i in range(model.k)])
    order = np.argsort(numbers, kind="stable")
    renumbered = replace(model, components=model.components[order], weights=model.weights[:, order],
                         topic_ids=numbers[order])
    return renumbered, _changes(numbers, matched, similarity, previous_ids, previous)


def _similarity(model: Model, previous: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return the cosine similarity of each topic (rows) with each previous topic (columns), both as their top 50
    words' weights, and the previous topics' numbers."""
    now = topic_terms(model, dict.fromkeys(model.topic_ids.tolist(), ""))
    both = pd.concat([now.assign(run="now"), previous.assign(run="before")])
    wide = both.pivot_table(index=["run", "topic"], columns="term", values="weight", aggfunc="sum", fill_value=0.0)
    current, before = wide.loc["now"].reindex(model.topic_ids).to_numpy(), wide.loc["before"]
    norms = np.linalg.norm(current, axis=1, keepdims=True) * np.linalg.norm(before.to_numpy(), axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        similarity = np.where(norms > 0, current @ before.to_numpy().T / norms, 0.0)
    return similarity, before.index.to_numpy()


def _changes(numbers: np.ndarray, matched: dict[int, int], similarity: np.ndarray, previous_ids: np.ndarray,
             previous: pd.DataFrame) -> pd.DataFrame:
    previous_labels = previous.groupby("topic")["label"].first() if "label" in previous else pd.Series(dtype="string")
    rows = [{"topic": int(numbers[i]), "status": "kept" if i in matched else "new",
             "previous_topic": int(previous_ids[matched[i]]) if i in matched else pd.NA,
             "similarity": float(similarity[i, matched[i]]) if i in matched else float(similarity[i].max()),
             "previous_label": previous_labels.get(previous_ids[matched[i]], pd.NA) if i in matched else pd.NA}
            for i in range(len(numbers))]
    gone = sorted(set(range(len(previous_ids))) - set(matched.values()))
    rows += [{"topic": pd.NA, "status": "gone", "previous_topic": int(previous_ids[j]),
              "similarity": float(similarity[:, j].max()) if len(similarity) else np.nan,
              "previous_label": previous_labels.get(previous_ids[j], pd.NA)} for j in gone]
    frame = pd.DataFrame(rows, columns=["topic", "status", "previous_topic", "similarity", "previous_label"])
    return frame.astype({"topic": "Int64", "previous_topic": "Int64", "status": "string", "previous_label": "string"})
