"""Exact duplicates: articles whose cleaned text is identical point at the earliest published copy."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["duplicate_key", "flag"]


def duplicate_key(text_digests: list[bytes]) -> np.ndarray:
    """Return a 64-bit key of each text from its digest (`ids.text_digests`): equal for exact duplicates.

    At a million articles the chance that two different texts share a key is about one in 30 million.
    """
    if not text_digests:
        return np.zeros(0, dtype=np.int64)
    return np.frombuffer(b"".join(d[:8] for d in text_digests), dtype=np.int64)


def flag(articles: pd.DataFrame, keys: np.ndarray | pd.Series) -> pd.DataFrame:
    """Return the articles with `duplicate_of`: for an exact duplicate text (the same `keys`, one per row), the id of
    the earliest published copy (ties broken by origin); missing for the copy kept and for unique texts."""
    keys = pd.Series(np.asarray(keys), index=articles.index)
    shared = keys.duplicated(keep=False)  # only these need sorting: most texts are unique
    duplicate_of = pd.Series(pd.NA, index=articles.index, dtype="string")
    if shared.any():
        copies = articles.loc[shared, ["published", "origin", "article_id"]].assign(_key=keys[shared])
        copies = copies.sort_values(["published", "origin"], kind="stable")
        first_id = copies.groupby("_key", sort=False)["article_id"].transform("first")
        duplicate_of[copies.index] = first_id.where(first_id != copies["article_id"]).astype("string")
    return articles.assign(duplicate_of=duplicate_of)
