"""Exact duplicates and versions: the copies of one article that a corpus holds more than once.

- An **older version** of an article has the same URL as a later record: a feed read on several days gives one
  item per snapshot, edited or not. Each points at the latest version (the last one read when the dates
  are equal), which is the article kept; how many versions there were is in the ingest summary.
- An **exact duplicate** has the same cleaned text as another record, kept or not: it points at the earliest
  published copy (ties broken by origin).

Near-duplicates (the same wire story reprinted with changes) are `near_duplicates`' business: they are kept, and
grouped into stories.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

__all__ = ["MAX_VERSIONS", "duplicate_key", "flag", "older_versions", "pointers", "url_keys", "version_pointers"]

# More records than this under one URL are not versions of one article: a feed that gives its home page, or a
# section's address, as every item's link. They are left to the text rule.
MAX_VERSIONS = 20


def duplicate_key(text_digests: list[bytes]) -> np.ndarray:
    """Return a 64-bit key of each text from its digest (`ids.text_digests`): equal for exact duplicates.

    At a million articles the chance that two different texts share a key is about one in 30 million.
    """
    if not text_digests:
        return np.zeros(0, dtype=np.int64)
    return np.frombuffer(b"".join(d[:8] for d in text_digests), dtype=np.int64)


def flag(articles: pd.DataFrame, keys: np.ndarray | pd.Series) -> pd.DataFrame:
    """Return the articles with `duplicate_of`: the latest version's id for an older version of a URL
    (`older_versions`), else the earliest copy's id for an exact duplicate text (the same `keys`, one per row);
    missing for the articles kept."""
    codes = pd.factorize(articles["article_id"])[0]
    target = pointers(_micros(articles["published"]), url_keys(articles["url"]), np.asarray(keys), codes,
                      origin_of=lambda rows: articles["origin"].iloc[rows].to_numpy())
    return articles.assign(duplicate_of=_ids_at(articles["article_id"], target))


def older_versions(articles: pd.DataFrame) -> pd.Series:
    """Return, for each record that a later record of the same URL replaces, the id of the latest version (rows in
    input order break ties: the last read is the latest); missing for the others."""
    codes = pd.factorize(articles["article_id"])[0]
    return _ids_at(articles["article_id"],
                   version_pointers(_micros(articles["published"]), url_keys(articles["url"]), codes))


def pointers(published: np.ndarray, url_key: np.ndarray, keys: np.ndarray, ids: np.ndarray, *,
             origin_of: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Return the row each article points at (-1 for the articles kept), from one array per column, a row each:
    `published` (microseconds), `url_key` (`url_keys`), the texts' `keys` (`duplicate_key`), `ids` (equal numbers
    for equal ids), and `origin_of`, which gives the origins of some rows (the tie-break of copies published at the
    same time; asked only for the few texts held more than once, so that a corpus on disk reads only theirs).

    An older version points at its URL's latest version; a text held more than once at its earliest copy; and an
    article pointing at one that itself points on, at that one's target."""
    target = version_pointers(published, url_key, ids)
    free = np.flatnonzero(target < 0)  # an older version already points at the article kept
    rows = free[_repeated(keys[free])]  # only these need sorting: most texts are unique
    if len(rows):
        copies = pd.DataFrame({"key": keys[rows], "published": published[rows], "origin": origin_of(rows),
                               "row": rows}).astype({"origin": "string"})
        copies = copies.sort_values(["published", "origin"], kind="stable")
        first = copies.groupby("key", sort=False)["row"].transform("first").to_numpy()
        copy_rows = copies["row"].to_numpy()
        points = ids[first] != ids[copy_rows]
        target[copy_rows[points]] = first[points]
    pointing = np.flatnonzero(target >= 0)
    onward = target[target[pointing]]  # a latest version may itself be an exact duplicate: on to the copy kept
    target[pointing] = np.where(onward >= 0, onward, target[pointing])
    return target


def version_pointers(published: np.ndarray, url_key: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Return, for each record that a later record of the same URL replaces, the row of the latest version (rows
    break ties: the last read is the latest), -1 for the others. A URL held by more than `MAX_VERSIONS` records
    is left alone."""
    target = np.full(len(url_key), -1, np.int64)
    rows = np.flatnonzero(url_key != 0)
    rows = rows[_repeated(url_key[rows])]  # most URLs are unique: only these are grouped
    if not len(rows):
        return target
    rows = rows[np.lexsort((rows, published[rows], url_key[rows]))]  # by URL, then time, then row
    starts = np.flatnonzero(np.r_[True, url_key[rows][1:] != url_key[rows][:-1]])
    sizes = np.diff(np.r_[starts, len(rows)])
    latest = np.repeat(rows[starts + sizes - 1], sizes)
    versions = np.repeat(sizes <= MAX_VERSIONS, sizes) & (ids[rows] != ids[latest])
    target[rows[versions]] = latest[versions]
    return target


def url_keys(urls: pd.Series) -> np.ndarray:
    """Return a 64-bit key of each URL (equal for equal URLs; 0 for none, missing or empty), so that a corpus too
    large to hold its URLs as text can still find versions. At ten million URLs, the chance that two different
    ones share a key is about one in 300,000."""
    keys = np.zeros(len(urls), np.uint64)
    for start in range(0, len(urls), _HASHED_AT_ONCE):  # as Python strings a slice at a time, not a corpus at once
        values = urls.iloc[start : start + _HASHED_AT_ONCE]
        values = values.astype(object).where(values.notna(), "").to_numpy(object)
        hashed = pd.util.hash_array(values, categorize=False)
        hashed[hashed == 0] = 1  # 0 is kept for "no URL"
        hashed[values == ""] = 0
        keys[start : start + len(values)] = hashed
    return keys


_HASHED_AT_ONCE = 100_000


def _repeated(values: np.ndarray) -> np.ndarray:
    """Return whether each value occurs more than once."""
    return pd.Series(values).duplicated(keep=False).to_numpy()


def _micros(published: pd.Series) -> np.ndarray:
    return pd.DatetimeIndex(published).as_unit("us").asi8


def _ids_at(article_id: pd.Series, target: np.ndarray) -> pd.Series:
    """The ids of the rows `target` points at, missing where it is -1."""
    pointing = target >= 0
    values = pd.Series(pd.NA, index=article_id.index, dtype="string")
    values[pointing] = article_id.to_numpy()[target[pointing]]
    return values
