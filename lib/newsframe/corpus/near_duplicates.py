"""Near-duplicates: one wire story printed by several papers, the web and print versions of an article.

Articles are compared by their 5-word shingles (runs of five words, folded by `newsframe.words`, so case, accents
and French elision do not matter). Two articles are copies of one story when the Jaccard similarity of their
shingle sets is at least `THRESHOLD` and they were published at most `WINDOW_DAYS` apart; a story is a group of
articles linked by such pairs, and its first copy is its earliest article. Measured on planted copies and on real
wire copy (bench/README.md): reprints with a new headline, a trimmed or added paragraph or a byline score 0.5 to
1.0; an updated version of a story, rewritten in places, scores 0.15 to 0.5; different articles on the same news,
however close their vocabulary, stay under 0.05. So 0.5 means "the same text, reprinted"; lower it to 0.3 to
also join updated versions.

How it stays fast (vectorised numpy, batch by batch): one-permutation MinHash signatures (Li, Owen & Zhang 2012)
with rotation densification (Shrivastava & Li 2014), LSH bands chosen so that a pair at the threshold becomes a
candidate with probability 0.99, candidates only within the time window, then the exact Jaccard of each candidate
pair on the stored shingle sets. Written first by a helper session as a prototype, measured against datasketch.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow.compute as pc
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from newsframe import words

__all__ = [
    "MAX_BUCKET", "PAIR_COLUMNS", "SHINGLE", "THRESHOLD", "WINDOW_DAYS", "find", "first_copies", "flag", "involving",
    "jaccard", "lsh_parameters", "review", "shingle_sets",
]

THRESHOLD = 0.5  # Jaccard of 5-word shingles from which two articles are copies of one story
WINDOW_DAYS = 3  # copies are published at most this many days apart
SHINGLE = 5  # words a shingle
SIGNATURE = 128  # MinHash values an article
_U64 = np.uint64
_MASK32 = _U64(0xFFFFFFFF)
_DAY_US = 86_400 * 1_000_000
_Q = _U64(0x9E3779B97F4A7C15)  # chains token hashes into a shingle hash
_EMPTY = np.uint32(0xFFFFFFFF)
_BATCH = 2_000  # articles shingled together
# Under this many shingles (about 100 words, title included: a feed item's headline and standfirst), two articles
# that share most of their text are copies only if their titles are alike too. Feeds give different items the same
# description (a running story's recap, a template: "Découvrez le défilé X…"), and on texts this short that
# description is most of the shingles.
SHORT_SHINGLES = 100
# The pairs table stored beside a corpus: one row per pair of near-duplicates confirmed.
PAIR_COLUMNS = {"article_id": "string", "other_id": "string", "jaccard": "float64", "days_apart": "float64"}


def flag(articles: pd.DataFrame, *, threshold: float = THRESHOLD,
         window_days: float = WINDOW_DAYS) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the articles with `story_id` and `story_similarity` set (see `corpus.schema`), and the pairs found.

    Only the articles kept are compared (`duplicate_of` missing); an exact duplicate or older version joins the
    story of the article it points at."""
    kept = articles["duplicate_of"].isna().to_numpy()
    stories, pairs = find(articles.loc[kept, ["article_id", "published", "title", "text"]], threshold=threshold,
                          window_days=window_days)
    ids = articles["article_id"].astype("string")
    found = stories.set_index("article_id")
    story_id = found["story_id"].reindex(ids.to_numpy()).set_axis(articles.index).fillna(ids).astype("string")
    pointing = articles["duplicate_of"].notna()
    if pointing.any():
        by_id = pd.Series(story_id.to_numpy(), index=ids.to_numpy())
        story_id[pointing] = by_id.reindex(articles.loc[pointing, "duplicate_of"].to_numpy()).to_numpy()
    similarity = found["story_similarity"].reindex(ids.to_numpy()).set_axis(articles.index).astype("float64")
    return articles.assign(story_id=story_id, story_similarity=similarity), pairs


def review(articles: pd.DataFrame, pairs: pd.DataFrame, *, first_words: int = 30) -> pd.DataFrame:
    """Return the pairs as a researcher checks them before trusting the threshold, most similar first.

    Columns: `jaccard` and `days_apart` (rounded), `article_id` and `other_id`, then for the article and the other
    one side by side: `title`, `other_title`, `source`, `other_source`, `published`, `other_published`, `opening`,
    `other_opening` (the first `first_words` words of the text).
    """
    described = articles.set_index("article_id")
    opening = described["text"].str.split(n=first_words).str[:first_words].str.join(" ")
    columns = {"title": described["title"], "source": described["source"], "published": described["published"],
               "opening": opening}
    table = pairs.sort_values(["jaccard", "article_id"], ascending=[False, True]).reset_index(drop=True)
    table = table.assign(jaccard=table["jaccard"].round(3), days_apart=table["days_apart"].round(2))
    first = {f"{name}": values.reindex(table["article_id"]).to_numpy() for name, values in columns.items()}
    second = {f"other_{name}": values.reindex(table["other_id"]).to_numpy() for name, values in columns.items()}
    return table.assign(**first, **second)[["jaccard", "days_apart", "article_id", "other_id", "title", "other_title",
                                            "source", "other_source", "published", "other_published", "opening",
                                            "other_opening"]]


def find(articles: pd.DataFrame, *, threshold: float = THRESHOLD, window_days: int = WINDOW_DAYS,
         seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (stories, pairs) for the articles (`article_id`, `published`, `title`, `text`).

    `stories` has one row per article in a story of two or more: `article_id`, `story_id` (the story's first,
    earliest, copy) and `story_similarity` (the Jaccard of the article with that first copy: 1 for the first copy).
    `pairs` has every confirmed pair: `article_id` (the earlier), `other_id`, `jaccard`, `days_apart`.
    """
    order = np.argsort(articles["published"].to_numpy(), kind="stable")  # time order: windows and first copies
    ordered = articles.iloc[order]
    ci, cj, similarity, values, offsets, t_us = _confirmed(ordered, threshold=threshold, window_days=window_days,
                                                           seed=seed)
    ids = ordered["article_id"].to_numpy(dtype=object)
    pairs = _pairs_frame(ids[ci], ids[cj], similarity, (t_us[cj] - t_us[ci]) / _DAY_US)
    return _stories(ci, cj, len(order), values, offsets, ids), pairs


def _confirmed(ordered: pd.DataFrame, *, threshold: float, window_days: float,
               seed: int) -> tuple[np.ndarray, ...]:
    """Return the confirmed pairs of the articles `ordered` (in time order) as rows (ci earlier, cj), with their
    Jaccard, and the shingle sets (values, offsets) and times (µs) of the articles."""
    t_us = _micros(ordered["published"])
    bands, rows = lsh_parameters(threshold, SIGNATURE)
    values, offsets, keys = _signed(ordered, bands=bands, rows=rows, seed=seed)
    ci, cj = _candidates(keys, offsets, t_us, window_us=int(window_days * _DAY_US))
    return (*_confirm(ordered, values, offsets, ci, cj, threshold=threshold, seed=seed), values, offsets, t_us)


def involving(ordered: pd.DataFrame, changed: np.ndarray, *, threshold: float, window_days: float,
              seed: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Return the confirmed pairs of the articles `ordered` (in time order, as `InTimeOrder.add` takes them) that
    have at least one article `changed` (a mask): rows (ci earlier, cj), their Jaccard and the articles' times (µs).
    None when a band key is shared by more than `MAX_BUCKET` of them: a full run links such a bucket as a star,
    whose pairs depend on which articles it compares together, so these articles' pairs cannot be told apart."""
    t_us = _micros(ordered["published"])
    bands, rows = lsh_parameters(threshold, SIGNATURE)
    values, offsets, keys = _signed(ordered, bands=bands, rows=rows, seed=seed)
    has = np.diff(offsets) > 0
    if has.any() and max(np.unique(keys[has, band], return_counts=True)[1].max()
                         for band in range(keys.shape[1])) > MAX_BUCKET:
        return None
    ci, cj = _candidates(keys, offsets, t_us, window_us=int(window_days * _DAY_US))
    wanted = changed[ci] | changed[cj]  # the others' pairs are known already
    ci, cj, similarity = _confirm(ordered, values, offsets, ci[wanted], cj[wanted], threshold=threshold, seed=seed)
    return ci, cj, similarity, t_us


def _confirm(ordered: pd.DataFrame, values: np.ndarray, offsets: np.ndarray, ci: np.ndarray, cj: np.ndarray, *,
             threshold: float, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the candidate pairs (ci, cj) whose Jaccard is at least `threshold` (short texts: titles alike too),
    with their Jaccard."""
    size = np.diff(offsets)
    hopeful = np.minimum(size[ci], size[cj]) >= threshold * np.maximum(size[ci], size[cj])  # bounds the Jaccard
    ci, cj = ci[hopeful], cj[hopeful]
    similarity = jaccard(values, offsets, ci, cj)
    confirmed = similarity >= threshold
    short = confirmed & (np.minimum(size[ci], size[cj]) < SHORT_SHINGLES)
    if short.any():  # a feed's items: the same headline too, or they only share a standfirst or a template
        confirmed[short] = _titles_alike(ordered, ci[short], cj[short], threshold=threshold, seed=seed)
    return ci[confirmed], cj[confirmed], similarity[confirmed]


def _micros(published: pd.Series) -> np.ndarray:
    return published.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("datetime64[us]").astype(np.int64)


def _pairs_frame(first_ids, other_ids, similarity: np.ndarray, days_apart: np.ndarray) -> pd.DataFrame:
    # Ids already in a pandas string array stay as they are (Arrow-backed ones too: millions of pairs' ids as
    # Python strings would weigh several times their characters).
    def typed(ids):
        return ids if isinstance(ids.dtype, pd.StringDtype) else pd.array(ids, dtype="string")

    return pd.DataFrame({"article_id": typed(first_ids), "other_id": typed(other_ids), "jaccard": similarity,
                         "days_apart": days_apart})


def _titles_alike(articles: pd.DataFrame, ci: np.ndarray, cj: np.ndarray, *, threshold: float,
                  seed: int) -> np.ndarray:
    """Return, for each pair of rows, whether the two titles' shingles are at least `threshold` alike."""
    rows = np.unique(np.concatenate([ci, cj]))
    titles = articles.iloc[rows][["title"]].assign(text="")
    values, counts = shingle_sets(titles, seed=seed)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return jaccard(values, offsets, np.searchsorted(rows, ci), np.searchsorted(rows, cj)) >= threshold


def _signed(articles: pd.DataFrame, *, bands: int, rows: int, seed: int) -> tuple[np.ndarray, np.ndarray,
                                                                                     np.ndarray]:
    """Return the shingle sets of the articles (values, CSR offsets) and their LSH band keys, batch by batch."""
    values, counts, keys = [], [], []
    for start in range(0, len(articles), _BATCH):
        batch_values, batch_counts = shingle_sets(articles.iloc[start : start + _BATCH], seed=seed)
        values.append(batch_values)
        counts.append(batch_counts)
        keys.append(_band_keys(_signatures(batch_values, batch_counts), bands, rows, seed))
    counts_all = np.concatenate(counts) if counts else np.zeros(0, np.int64)
    offsets = np.concatenate([[0], np.cumsum(counts_all)]).astype(np.int64)
    empty = np.zeros((0, bands), np.uint32)
    return (np.concatenate(values) if values else np.zeros(0, np.uint32), offsets,
            np.concatenate(keys) if keys else empty)


def shingle_sets(articles: pd.DataFrame, *, shingle: int = SHINGLE, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Return the sorted, distinct `shingle`-word shingle hashes (32 bits) of each article's title and text,
    concatenated in row order, and how many each article has. Words are folded by `words.fold`; an article of
    fewer words than a shingle gets one shingle of all its words."""
    ids, owners, vocabulary = words.encode(articles)
    hashes = _mix(pd.util.hash_array(vocabulary.to_numpy(zero_copy_only=False)).astype(_U64), seed)
    kept = np.flatnonzero(pc.greater(pc.utf8_length(vocabulary), 0).to_numpy(zero_copy_only=False))
    usable = np.isin(ids, kept)  # punctuation alone folds to nothing: it is not a word
    token, owner = hashes[ids[usable]], owners[usable]
    n, m = len(token), len(articles)
    per_article = np.bincount(owner, minlength=m)
    if n >= shingle:
        inside = owner[: n - shingle + 1] == owner[shingle - 1 :]  # a shingle never runs across two articles
        shingles = _chained([token[j : n - shingle + 1 + j] for j in range(shingle)], seed)[inside]
        shingle_owner = owner[: n - shingle + 1][inside]
    else:
        shingles, shingle_owner = np.zeros(0, np.uint32), np.zeros(0, np.int64)
    short = np.flatnonzero((per_article > 0) & (per_article < shingle))
    if short.size:  # headlines and stubs: one shingle of all their words
        first = np.concatenate([[0], np.cumsum(per_article)])
        extra = [_chained([token[first[a] + j : first[a] + j + 1] for j in range(per_article[a])], seed)
                 for a in short]
        shingles = np.concatenate([shingles, *extra])
        shingle_owner = np.concatenate([shingle_owner, short])
    key = _sorted_unique((shingle_owner.astype(_U64) << _U64(32)) | shingles.astype(_U64))
    return (key & _MASK32).astype(np.uint32), np.bincount((key >> _U64(32)).astype(np.int64), minlength=m)


def _mix(x: np.ndarray, seed: int) -> np.ndarray:
    """splitmix64's finaliser, seeded: spreads a hash over all 64 bits."""
    with np.errstate(over="ignore"):
        x = x ^ _U64((seed * 0xD1B54A32D192ED03) & 0xFFFFFFFFFFFFFFFF)
        x = (x ^ (x >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> _U64(27))) * _U64(0x94D049BB133111EB)
        return x ^ (x >> _U64(31))


def _chained(parts: list[np.ndarray], seed: int) -> np.ndarray:
    """Chain word hashes into one 32-bit shingle hash (in their order)."""
    with np.errstate(over="ignore"):
        chain = parts[0].copy()
        for part in parts[1:]:
            chain = chain * _Q + part
    return (_mix(chain, seed + 1) >> _U64(32)).astype(np.uint32)


def _signatures(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Return each sorted set's one-permutation MinHash (articles x SIGNATURE); an empty set is all _EMPTY.

    A value's bin is monotone in the value, so in a sorted set the first value of each bin is its minimum; empty
    bins borrow the next filled bin (circularly), shifted by the distance, so that identical sets agree."""
    m = len(counts)
    owner = np.repeat(np.arange(m, dtype=np.int64), counts)
    cell = owner * SIGNATURE + ((values.astype(_U64) * _U64(SIGNATURE)) >> _U64(32)).astype(np.int64)
    first = np.ones(len(cell), dtype=bool)
    first[1:] = cell[1:] != cell[:-1]
    signature = np.full(m * SIGNATURE, _EMPTY, dtype=np.uint32)
    signature[cell[first]] = values[first]
    return _densified(signature.reshape(m, SIGNATURE))


def _densified(signature: np.ndarray) -> np.ndarray:
    m, k = signature.shape
    empty = signature == _EMPTY
    if not empty.any():
        return signature
    wide = np.concatenate([signature, signature], axis=1)
    position = np.where(np.concatenate([~empty, ~empty], axis=1), np.arange(2 * k), 2 * k)
    following = np.minimum.accumulate(position[:, ::-1], axis=1)[:, ::-1][:, :k]
    rows = np.flatnonzero(following[:, 0] < 2 * k)  # articles with at least one filled bin
    source = following[rows]
    with np.errstate(over="ignore"):
        filled = wide[rows[:, None], source] + (source - np.arange(k)).astype(np.uint32) * np.uint32(0x9E3779B1)
    out = signature.copy()
    out[rows] = np.where(empty[rows], filled, signature[rows])
    return out


def lsh_parameters(threshold: float, signature: int, target: float = 0.99) -> tuple[int, int]:
    """Return (bands, rows): the most rows a band (fewest false candidates) with which a pair at `threshold` is a
    candidate with probability `target` at least: 1 - (1 - threshold**rows)**bands."""
    best = (signature, 1)
    for rows in range(1, signature + 1):
        bands = signature // rows
        if 1 - (1 - threshold**rows) ** bands >= target:
            best = (bands, rows)
    return best


def _band_keys(signature: np.ndarray, bands: int, rows: int, seed: int) -> np.ndarray:
    m = signature.shape[0]
    block = signature[:, : bands * rows].reshape(m, bands, rows).astype(_U64)
    with np.errstate(over="ignore"):
        chain = np.zeros((m, bands), dtype=_U64)
        for j in range(rows):
            chain = chain * _Q + block[:, :, j]
        chain = chain + np.arange(bands, dtype=_U64)  # two bands never share a key by accident
    return (_mix(chain, seed + 2) >> _U64(32)).astype(np.uint32)


def _candidates(keys: np.ndarray, offsets: np.ndarray, t_us: np.ndarray, *, window_us: int) -> tuple[np.ndarray,
                                                                                                    np.ndarray]:
    """Return the pairs of articles (rows, earlier first) that share a band key and are within the window."""
    has = np.flatnonzero(np.diff(offsets) > 0)  # an article without a word is no one's copy
    found = np.zeros(0, _U64)
    for band in range(keys.shape[1]):
        found = _sorted_unique(np.concatenate([found, _band_pairs(keys[has, band], t_us[has], window_us)]))
    return has[(found >> _U64(32)).astype(np.int64)], has[(found & _MASK32).astype(np.int64)]


# A band key shared by more articles than this (a template a feed prints thousands of times) would give all their
# pairs, n² of them: each is linked instead to the bucket's earliest article within the window only. A star joins
# the same articles into one story as all pairs do, with a few thousand pairs to confirm instead of half a billion.
MAX_BUCKET = 1_000


def _band_pairs(keys: np.ndarray, t_us: np.ndarray, window_us: int) -> np.ndarray:
    """Return pairs (i << 32 | j, i < j) of rows sharing a key, at most `window_us` apart (rows are in time order):
    all pairs of a bucket of up to MAX_BUCKET rows, a star in a larger one."""
    order = np.argsort(keys, kind="stable")  # by key, then by row: in time order within a bucket
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]]) if len(order) else order
    sizes = np.diff(np.r_[starts, len(order)])
    large = np.repeat(sizes > MAX_BUCKET, sizes)
    return np.concatenate([_all_pairs(order[~large], keys, t_us, window_us),
                           _star_pairs(order[large], keys, t_us, window_us)])


def _all_pairs(order: np.ndarray, keys: np.ndarray, t_us: np.ndarray, window_us: int) -> np.ndarray:
    """Return every pair of rows sharing a key within the window, `order` sorting the rows by key: each bucket is
    walked in time order and stops at the end of the window."""
    sorted_keys, times = keys[order], t_us[order]
    active, out, step = np.arange(len(order) - 1), [], 1
    while active.size:
        active = active[active + step < len(order)]
        following = active + step
        active = active[(sorted_keys[following] == sorted_keys[active])
                        & (times[following] - times[active] <= window_us)]
        if active.size:
            i, j = order[active].astype(_U64), order[active + step].astype(_U64)
            out.append((np.minimum(i, j) << _U64(32)) | np.maximum(i, j))
        step += 1
    return np.concatenate(out) if out else np.zeros(0, _U64)


def _star_pairs(order: np.ndarray, keys: np.ndarray, t_us: np.ndarray, window_us: int) -> np.ndarray:
    """Return, for each row of `order` (sorted by key, then row), the pair it makes with the earliest row of its
    bucket published at most `window_us` before it."""
    bucket = keys[order].astype(_U64) << _U64(32)
    earliest = np.searchsorted(t_us, t_us[order] - window_us, side="left")  # rows are in time order
    head = order[np.searchsorted(bucket | order.astype(_U64), bucket | earliest.astype(_U64), side="left")]
    linked = head != order
    return (head[linked].astype(_U64) << _U64(32)) | order[linked].astype(_U64)


def _sorted_unique(x: np.ndarray) -> np.ndarray:
    x = np.sort(x)
    return x[np.r_[True, x[1:] != x[:-1]]] if len(x) else x


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Return the concatenation of arange(s, s + length) for each start and length, without a Python loop."""
    nonempty = np.flatnonzero(lengths > 0)
    if nonempty.size == 0:
        return np.zeros(0, np.int64)
    s, n = starts[nonempty].astype(np.int64), lengths[nonempty].astype(np.int64)
    step = np.ones(int(n.sum()), dtype=np.int64)
    step[0] = s[0]
    step[np.cumsum(n)[:-1]] = s[1:] - (s[:-1] + n[:-1] - 1)  # jump from one range's end to the next start
    return np.cumsum(step)


def jaccard(values: np.ndarray, offsets: np.ndarray, i: np.ndarray, j: np.ndarray,
            chunk: int = 4_000_000) -> np.ndarray:
    """Return the exact Jaccard of the sorted sets i[p] and j[p] stored CSR-style (values, offsets): both sets of
    each pair, tagged with the pair, are sorted together, and a shared value shows as two equal neighbours."""
    i, j = np.asarray(i, np.int64), np.asarray(j, np.int64)
    out = np.zeros(len(i), dtype=np.float64)
    size_i, size_j = offsets[i + 1] - offsets[i], offsets[j + 1] - offsets[j]
    cumulative = np.cumsum(size_i + size_j)
    start = 0
    while start < len(i):
        base = cumulative[start - 1] if start else 0
        stop = max(start + 1, int(np.searchsorted(cumulative, base + chunk, side="right")))
        part = slice(start, stop)
        tag = np.arange(stop - start, dtype=_U64)
        both = np.concatenate([
            (np.repeat(tag, size_i[part]) << _U64(32)) | values[_ranges(offsets[i[part]], size_i[part])],
            (np.repeat(tag, size_j[part]) << _U64(32)) | values[_ranges(offsets[j[part]], size_j[part])]])
        both.sort()
        shared = both[1:][both[1:] == both[:-1]]
        inter = np.bincount((shared >> _U64(32)).astype(np.int64), minlength=stop - start)
        union = size_i[part] + size_j[part] - inter
        out[part] = np.divide(inter, union, out=np.zeros(len(inter)), where=union > 0)
        start = stop
    return out


def _stories(ci: np.ndarray, cj: np.ndarray, n: int, values: np.ndarray, offsets: np.ndarray,
             ids: np.ndarray) -> pd.DataFrame:
    """Return the stories: groups of articles linked by confirmed pairs, headed by their earliest article."""
    columns = {"article_id": "string", "story_id": "string", "story_similarity": "float64"}
    if len(ci) == 0:
        return pd.DataFrame({name: pd.Series([], dtype=dtype) for name, dtype in columns.items()})
    _, label = connected_components(coo_matrix((np.ones(len(ci), np.int8), (ci, cj)), shape=(n, n)), directed=False)
    members = _sorted_unique(np.concatenate([ci, cj]))  # rows, in time order
    head_of = np.full(label.max() + 1, n, dtype=np.int64)
    np.minimum.at(head_of, label[members], members)
    head = head_of[label[members]]
    similarity = jaccard(values, offsets, head, members)  # exact, also for members linked to it through others
    order = np.lexsort((members, head))
    return pd.DataFrame({"article_id": ids[members[order]], "story_id": ids[head[order]],
                         "story_similarity": similarity[order]}).astype(columns)


def first_copies(row_i: np.ndarray, row_j: np.ndarray, t_i: np.ndarray, t_j: np.ndarray) -> tuple[np.ndarray,
                                                                                                  np.ndarray]:
    """Return (the rows in a pair, sorted; each one's story's first copy), from pairs of rows and their times (µs):
    a story is a group of rows linked by pairs, its first copy the earliest, ties going to the lower row."""
    members, index = np.unique(np.concatenate([row_i, row_j]), return_inverse=True)
    times = np.zeros(len(members), np.int64)
    times[index] = np.concatenate([t_i, t_j])
    _, label = connected_components(coo_matrix((np.ones(len(row_i), np.int8), (index[: len(row_i)],
                                                                                index[len(row_i):])),
                                               shape=(len(members),) * 2), directed=False)
    rank = np.empty(len(members), np.int64)
    rank[np.lexsort((members, times))] = np.arange(len(members))  # time order, then row
    first = np.full(label.max() + 1, len(members), np.int64)
    np.minimum.at(first, label, rank)
    return members, members[np.argsort(rank)[first[label]]]


class InTimeOrder:
    """Near-duplicates of a corpus too large for memory, found from its articles a chunk at a time, in time order.

    `find` holds the shingles of every article at once (8 GB on top of the corpus at a million articles). Copies are
    published at most `window_days` apart, so each chunk need only be compared with itself and with the articles of
    the window before it: this holds one chunk's shingles and that window's. It gives `find`'s pairs and stories
    (one caveat: a band key shared by more than `MAX_BUCKET` articles is linked as a star within a chunk, and a chunk
    may hold fewer of its articles than the corpus).

    1. `add` each chunk of articles (`row`, a number unique in the corpus; `published`, `title`, `text`),
       sorted by (`published`, `row`), every chunk after the one before;
    2. `finish`: the pairs, and each article's story as the row of its first copy;
    3. `similarities` of the same chunks again, in the same order: each member's Jaccard with its story's first copy.
    """

    def __init__(self, *, threshold: float = THRESHOLD, window_days: float = WINDOW_DAYS, seed: int = 1) -> None:
        self.threshold, self.window_days, self.seed = threshold, window_days, seed
        self._carried: pd.DataFrame | None = None  # the articles of the window before the next chunk
        self._found: list[tuple[np.ndarray, ...]] = []  # per chunk: rows and times of its new pairs, and their Jaccard
        self._head_of: pd.Series | None = None  # member row -> its story's first copy's row
        self._known: pd.Series | None = None  # member row -> its similarity when a pair gave it, else missing
        self._waiting: dict[int, int] = {}  # first copy's row -> members still to be given a similarity
        self._head_sets: dict[int, np.ndarray] = {}  # first copies' shingle sets, kept for later chunks' members

    def add(self, chunk: pd.DataFrame) -> None:
        """Find the pairs of `chunk`'s articles with each other and with the window of articles before them."""
        if chunk.empty:
            return
        carried = 0 if self._carried is None else len(self._carried)
        working = chunk if not carried else pd.concat([self._carried, chunk], ignore_index=True)
        ci, cj, similarity, _, _, t_us = _confirmed(working, threshold=self.threshold, window_days=self.window_days,
                                                    seed=self.seed)
        new = cj >= carried  # a pair of two carried articles was found with the chunk before
        rows = working["row"].to_numpy(np.int64)
        ci, cj = ci[new], cj[new]
        self._found.append((rows[ci], rows[cj], t_us[ci], t_us[cj], similarity[new]))
        window_start = t_us[-1] - int(self.window_days * _DAY_US)  # the next chunk starts at this chunk's end or later
        self._carried = working.iloc[np.flatnonzero(t_us >= window_start)].reset_index(drop=True)

    def finish(self, ids_of: Callable[[np.ndarray], pd.api.extensions.ExtensionArray]
               ) -> tuple[pd.Series, pd.DataFrame]:
        """Return (each member's story, as its first copy's row, indexed by the member's row; the pairs, as `find`
        gives them, their ids given by `ids_of`: the ids of some rows, as a pandas string array, kept in Arrow when
        it is). A story's first copy is its earliest article, ties going to the lower row."""
        self._carried = None
        parts = [np.concatenate(column) for column in zip(*self._found, strict=True)] if self._found else None
        if parts is None or not len(parts[0]):
            self._head_of, self._known = pd.Series([], dtype=np.int64), pd.Series([], dtype=np.float64)
            return self._head_of, _pairs_frame(*(ids_of(np.zeros(0, np.int64)),) * 2, np.zeros(0), np.zeros(0))
        row_i, row_j, t_i, t_j, similarity = parts
        order = np.lexsort((row_j, t_j, row_i, t_i))  # as `find` gives them: by the earlier's time, then the later's
        pairs = _pairs_frame(ids_of(row_i[order]), ids_of(row_j[order]), similarity[order],
                             (t_j - t_i)[order] / _DAY_US)
        members, heads = first_copies(row_i, row_j, t_i, t_j)
        self._head_of = pd.Series(heads, index=members)
        # A member paired with its first copy has its similarity in that pair (stored earlier, later: the first copy
        # is the earliest), and the first copy has 1 (it is in a pair, so it has shingles). Only the members joined
        # to their first copy through others need their shingles again (`similarities`).
        paired = pd.Series(similarity, index=(row_i.astype(np.uint64) << np.uint64(32)) | row_j.astype(np.uint64))
        known = paired.reindex((heads.astype(np.uint64) << np.uint64(32)) | members.astype(np.uint64)).to_numpy(
            copy=True)
        known[heads == members] = 1.0
        self._known = pd.Series(known, index=members)
        self._waiting = pd.Series(heads[np.isnan(known)]).value_counts().to_dict()
        return self._head_of, pairs

    def similarities(self, chunk: pd.DataFrame) -> pd.Series:
        """Return, for the articles of `chunk` (columns as `add` takes them; chunks in time order, each after the
        one before, as for `add`), each member's Jaccard with its story's first copy (1 for that copy), missing for
        the articles in no story."""
        rows = chunk["row"].to_numpy(np.int64)
        out = pd.Series(self._known.reindex(rows).to_numpy(), index=chunk.index)
        unknown = np.isin(rows, self._known.index[self._known.isna()].to_numpy())
        first_copies = np.isin(rows, np.fromiter(self._waiting, np.int64, len(self._waiting)))
        needed = unknown | first_copies
        if not needed.any():
            return out
        values, counts = shingle_sets(chunk.loc[needed, ["title", "text"]], seed=self.seed)
        local = dict(zip(rows[needed].tolist(), np.split(values, np.cumsum(counts)[:-1]), strict=True))
        members = rows[unknown].tolist()
        heads = self._head_of.reindex(rows[unknown]).tolist()
        stacked = [*(local[m] for m in members), *(local.get(h, self._head_sets.get(h)) for h in heads)]
        offsets = np.concatenate([[0], np.cumsum([len(s) for s in stacked])]).astype(np.int64)
        flat = np.concatenate(stacked) if stacked else np.zeros(0, np.uint32)
        n = len(members)
        out[unknown] = jaccard(flat, offsets, np.arange(n), np.arange(n, 2 * n))
        for head in heads:
            self._waiting[head] -= 1
        for row in rows[first_copies].tolist():  # first copies whose members come in later chunks
            if self._waiting[row] > 0:
                self._head_sets[row] = local[row]
        for head in set(heads):
            if self._waiting[head] == 0:
                self._head_sets.pop(head, None)
                del self._waiting[head]
        return out
