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

import numpy as np
import pandas as pd

__all__ = ["MAX_VERSIONS", "duplicate_key", "flag", "older_versions", "shared_values"]

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
    duplicate_of = older_versions(articles)
    keys = pd.Series(np.asarray(keys), index=articles.index)
    keys = keys[duplicate_of.isna()]  # an older version already points at the article kept
    shared = keys.index[keys.duplicated(keep=False)]  # only these need sorting: most texts are unique
    if len(shared):
        copies = articles.loc[shared, ["published", "origin", "article_id"]].assign(_key=keys[shared])
        copies = copies.sort_values(["published", "origin"], kind="stable")
        first_id = copies.groupby("_key", sort=False)["article_id"].transform("first")
        duplicate_of[copies.index] = first_id.where(first_id != copies["article_id"]).astype("string")
    pointing = duplicate_of.notna()
    if pointing.any():  # a latest version may itself be an exact duplicate: point its versions at the copy kept
        # Only an article that points somewhere can pass its pointer on: look the targets up among those (at ten
        # million articles, a lookup over every id would first make a Python string of each).
        onward_of = pd.Series(duplicate_of[pointing].to_numpy(), index=articles.loc[pointing, "article_id"].to_numpy())
        onward = duplicate_of[pointing].map(onward_of)
        duplicate_of[pointing] = onward.fillna(duplicate_of[pointing])
    return articles.assign(duplicate_of=duplicate_of)


def older_versions(articles: pd.DataFrame) -> pd.Series:
    """Return, for each record that a later record of the same URL replaces, the id of the latest version (rows in
    input order break ties: the last read is the latest); missing for the others."""
    duplicate_of = pd.Series(pd.NA, index=articles.index, dtype="string")
    url = articles["url"]
    has_url = (url.notna() & (url != "")).fillna(False).to_numpy(dtype=bool)
    shared = has_url & shared_values(url)  # most URLs are unique: only these are grouped
    if not shared.any():
        return duplicate_of
    versions = articles.loc[shared, ["url", "published", "article_id"]].assign(_row=np.flatnonzero(shared))
    versions = versions[versions.groupby("url", sort=False)["article_id"].transform("size").between(2, MAX_VERSIONS)]
    if versions.empty:
        return duplicate_of
    versions = versions.sort_values(["published", "_row"], kind="stable")
    latest = versions.groupby("url", sort=False)["article_id"].transform("last")
    duplicate_of[versions.index] = latest.where(latest != versions["article_id"]).astype("string")
    return duplicate_of


def shared_values(values: pd.Series) -> np.ndarray:
    """Return whether each value occurs more than once (missing ones included, as pandas' `duplicated` counts them).

    Arrow-backed strings are counted in Arrow: pandas would first make a Python string of each (at ten million
    URLs, gigabytes)."""
    if not isinstance(values.dtype, pd.StringDtype) or values.dtype.storage != "pyarrow":
        return values.duplicated(keep=False).to_numpy()
    import pyarrow as pa
    import pyarrow.compute as pc

    array = pa.array(values.array)  # zero-copy
    counts = pc.value_counts(array)
    repeated = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
    found = pc.is_in(array, value_set=repeated, skip_nulls=False)
    if array.null_count > 1:  # `is_in` cannot look for nulls in a value set: count them apart
        found = pc.or_kleene(found, pc.is_null(array))
    return found.to_numpy(zero_copy_only=False)
