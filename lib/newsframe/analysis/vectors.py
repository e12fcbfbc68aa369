"""Word counts per article for topic models: the words of `words` (one folding rule), names of several words
(`phrases`: États-Unis, Jean-Luc Mélenchon) counted as one term when given, stop words and news boilerplate left out,
and document-frequency cut-offs that follow the corpus size."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy import sparse

from newsframe import words
from newsframe.analysis import phrases, stopwords

__all__ = ["MAX_DF", "MAX_TERMS", "Vectors", "min_df", "recount", "vectorise"]

MAX_DF = 0.5  # a word in more than half the articles says nothing about which topic an article is in
MAX_TERMS = 20_000  # the most frequent words kept: enough for topics, and the fit stays fast at a million articles


def min_df(articles: int) -> int:
    """Return the fewest articles a word must be in to be kept: 1 in 10,000 articles (1 below 20,000 articles, 100
    at a million), so that rare words do not swamp a large corpus and a small one keeps its vocabulary."""
    return max(1, articles // 10_000)


@dataclass(frozen=True)
class Vectors:
    """Word counts per article: rows follow `article_ids`, columns `terms` (shown with their accents)."""

    counts: sparse.csr_matrix
    terms: np.ndarray
    article_ids: np.ndarray
    keys: np.ndarray | None = None  # each term as counted: folded words (and pairs), to count other articles alike

    @property
    def empty(self) -> np.ndarray:
        """Return, per article, whether none of its words was kept (it cannot be given a topic)."""
        return np.diff(self.counts.indptr) == 0


def vectorise(articles: pd.DataFrame, *, extra_stop_words: Iterable[str] = (), bigrams: bool = False,
              min_articles: int | None = None, max_share: float = MAX_DF, max_terms: int = MAX_TERMS,
              names: pd.DataFrame | None = None) -> Vectors:
    """Count each article's words (title and text) for topic modelling.

    Words are compared in lower case without accents, after French elision (`l'Afrique` is `afrique`); stop words
    of both languages, news boilerplate and `extra_stop_words` are left out, as are words that do not count as
    terms (`words.countable`: one letter, no letter). `bigrams` adds pairs of neighbouring kept words (`union
    africaine`). A word must be in at least `min_articles` articles (default `min_df`) and at most `max_share` of
    them; the `max_terms` most frequent are kept. `names` (what `phrases.find` returns) makes each name one term,
    shown as usually written.
    """
    vocabulary = _Vocabulary(stopwords.words(extra=extra_stop_words), names=names)
    counts = _counted_articles(articles, vocabulary, bigrams=bigrams)
    languages = (articles["language"].astype("string").fillna("").to_numpy(dtype=object)
                 if "language" in articles else None)  # an unknown language is "", a group of its own
    keep = _frequent_enough(counts, languages, low=min_articles or min_df(len(articles)), max_share=max_share,
                            top=max_terms)
    return Vectors(counts[:, keep].tocsr(), vocabulary.shown()[keep], articles["article_id"].to_numpy(),
                   vocabulary.keys(keep))


def recount(vectors: Vectors, articles: pd.DataFrame, *, extra_stop_words: Iterable[str] = (), bigrams: bool = False,
            names: pd.DataFrame | None = None) -> Vectors:
    """Return the counts of `vectors`' terms (those a topic model was fitted on) in `articles`, counted as
    `vectorise` counted them with the same options: for giving other articles (the rest of a corpus whose sample was
    fitted) the model's topics. Each article's row depends on its own words only, whatever the other articles."""
    vocabulary = _Vocabulary(stopwords.words(extra=extra_stop_words), names=names)
    found = _counted_articles(articles, vocabulary, bigrams=bigrams).tocoo()
    column = pd.Index(vectors.keys).get_indexer(vocabulary.keys())[found.col]
    kept = column >= 0
    counts = sparse.csr_matrix((found.data[kept], (found.row[kept], column[kept])),
                               shape=(len(articles), len(vectors.terms)))
    counts.sort_indices()  # the same order in a row whatever the batch's own vocabulary: the same sums downstream
    return Vectors(counts, vectors.terms, articles["article_id"].to_numpy(), vectors.keys)


def _counted_articles(articles: pd.DataFrame, vocabulary: _Vocabulary, *, bigrams: bool) -> sparse.csr_matrix:
    """Return each article's counts of the vocabulary's words, then of its pairs of words, in batches."""
    found, pairs = [], []
    for start in range(0, len(articles), words.BATCH_ARTICLES):
        batch_words, batch_pairs = vocabulary.count(articles.iloc[start : start + words.BATCH_ARTICLES],
                                                    bigrams=bigrams)
        found.append(batch_words)
        pairs.append(batch_pairs)
    counts = sparse.hstack([_stacked(found, width=len(vocabulary.words)),
                            _stacked(pairs, width=len(vocabulary.pairs))], format="csr")
    return counts if counts.shape[0] == len(articles) else sparse.csr_matrix((len(articles), counts.shape[1]))


def _stacked(batches: list[sparse.csr_matrix], *, width: int) -> sparse.csr_matrix:
    """Stack the batches' counts, each widened to the final vocabulary (ids only grow from batch to batch)."""
    resized = [sparse.csr_matrix((m.data, m.indices, m.indptr), shape=(m.shape[0], width)) for m in batches]
    return sparse.vstack(resized, format="csr") if resized else sparse.csr_matrix((0, width), dtype=np.int32)


def _frequent_enough(counts: sparse.csr_matrix, languages: np.ndarray | None, *, low: int, max_share: float,
                     top: int) -> np.ndarray:
    """Return the columns of the words in at least `low` articles and in at most `max_share` of the articles, also
    within each language holding a tenth of the corpus or more (in a French-English corpus, a word in most French
    articles is French filler, even if it is in under half of all articles); the `top` most frequent of them."""
    df = _document_frequency(counts)
    common = df > max(max_share * counts.shape[0], low)
    if languages is not None:
        for language in pd.unique(languages):
            rows = np.flatnonzero(languages == language)
            if len(rows) >= max(50, counts.shape[0] / 10):
                common |= _document_frequency(counts[rows]) > max_share * len(rows)
    candidates = np.flatnonzero((df >= low) & ~common)
    return np.sort(candidates[np.argsort(-df[candidates], kind="stable")[:top]])


def _document_frequency(counts: sparse.csr_matrix) -> np.ndarray:
    return np.bincount(counts.indices, minlength=counts.shape[1])


class _Vocabulary:
    """Word ids shared by all batches (folded words, then pairs of them); each word is shown in its most frequent
    spelling."""

    def __init__(self, stop: frozenset[str], *, names: pd.DataFrame | None = None):
        self.stop = pa.array(sorted(stop), pa.large_string())
        self.names = names if names is not None and len(names) else None  # each one word, shown as `phrase`
        self.words = pd.Index([], dtype=object)  # folded words; position is the id
        self.pairs = pd.Index([], dtype="int64")  # first id << 32 | second id
        self.spellings: list[pd.DataFrame] = []  # id, spelling, frequency, per batch

    def count(self, batch: pd.DataFrame, *, bigrams: bool) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """Return the batch's counts of words and of pairs of neighbouring words (empty unless `bigrams`)."""
        tokens, owners = words.split(words.contents(batch), compounds=True)
        if self.names is not None:
            tokens, owners = phrases.join(tokens, owners, self.names)
        encoded = pc.dictionary_encode(tokens)
        indices = encoded.indices.to_numpy(zero_copy_only=False)
        ids = self._ids(encoded.dictionary, np.bincount(indices, minlength=len(encoded.dictionary)))
        word_ids = ids[indices]
        kept = word_ids >= 0
        word_ids, owners = word_ids[kept], owners[kept]
        pair_ids, pair_owners = self._pairs(word_ids, owners) if bigrams else (word_ids[:0], owners[:0])
        return (_counted(owners, word_ids, rows=len(batch), width=len(self.words)),
                _counted(pair_owners, pair_ids, rows=len(batch), width=len(self.pairs)))

    def _ids(self, dictionary: pa.Array, frequency: np.ndarray) -> np.ndarray:
        """Return the shared id of each of the batch's distinct words, -1 for words left out."""
        spelling = words.fold(dictionary, keep_accents=True)
        keys = words.fold(spelling)
        usable = words.countable(keys) & ~pc.is_in(keys, self.stop).to_numpy(zero_copy_only=False)
        use = np.flatnonzero(usable)
        ids = np.full(len(keys), -1, dtype=np.int64)
        ids[use], self.words = _lookup(self.words, keys.take(use).to_numpy(zero_copy_only=False))
        self.spellings.append(pd.DataFrame({"id": ids[use], "spelling": spelling.take(use).to_pandas(),
                                            "frequency": frequency[use]}))
        return ids

    def _pairs(self, word_ids: np.ndarray, owners: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return a pair id for each two neighbouring kept words of an article, and the article."""
        at = np.flatnonzero(owners[1:] == owners[:-1])
        pair_ids, self.pairs = _lookup(self.pairs, (word_ids[at] << 32) | word_ids[at + 1])
        return pair_ids, owners[at]

    def keys(self, columns: np.ndarray | None = None) -> np.ndarray:
        """Return the folded form of each word, then of each pair (its two words joined by a unit separator); of
        the `columns` only (ascending) when given, so that a corpus's many pairs are not all spelled out."""
        folded = self.words.to_numpy(dtype=object)
        columns = np.arange(len(folded) + len(self.pairs)) if columns is None else np.asarray(columns)
        codes = self.pairs.to_numpy()[columns[columns >= len(folded)] - len(folded)]
        pairs = (pd.Series(folded[codes >> 32], dtype=object) + "\x1f"
                 + pd.Series(folded[codes & 0xFFFFFFFF], dtype=object))
        return np.concatenate([folded[columns[columns < len(folded)]], pairs.to_numpy(dtype=object)])

    def shown(self) -> np.ndarray:
        """Return how each word (then each pair) is shown: its most frequent spelling."""
        spellings = pd.concat(self.spellings) if self.spellings else pd.DataFrame(columns=["id", "spelling",
                                                                                            "frequency"])
        totals = spellings.groupby(["id", "spelling"], sort=False)["frequency"].sum().reset_index()
        best = totals.sort_values("frequency", ascending=False, kind="stable").drop_duplicates("id")
        shown = best.set_index("id")["spelling"].reindex(range(len(self.words))).fillna("").to_numpy(dtype=object)
        if self.names is not None:  # a name as usually written: États-Unis, not états-unis
            usual = self.words.map(self.names.set_index("key")["phrase"]).to_numpy(dtype=object)
            shown = np.where(pd.isna(usual), shown, usual)
        codes = self.pairs.to_numpy()
        pairs = [f"{shown[c >> 32]} {shown[c & 0xFFFFFFFF]}" for c in codes.tolist()]
        return np.concatenate([shown, np.array(pairs, dtype=object)])


def _lookup(index: pd.Index, values: np.ndarray) -> tuple[np.ndarray, pd.Index]:
    """Return the position of each value in `index`, adding the new ones at its end, and the grown index."""
    positions = index.get_indexer(values)
    new = positions < 0
    if new.any():
        index = index.append(pd.Index(pd.unique(values[new])))
        positions[new] = index.get_indexer(values[new])
    return positions.astype(np.int64), index


def _counted(owners: np.ndarray, ids: np.ndarray, *, rows: int, width: int) -> sparse.csr_matrix:
    """Return how often each id occurs in each row (duplicates summed)."""
    return sparse.csr_matrix((np.ones(len(ids), dtype=np.int32), (owners, ids)), shape=(rows, width))
