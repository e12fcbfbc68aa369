"""Article ids: a hash of each article's content, so that re-ingesting the same input gives the same ids."""

from __future__ import annotations

import hashlib

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsframe.arrays import as_arrow, byte_slices

__all__ = ["article_ids", "separate_identical", "text_digests"]

_SEPARATOR_UNIT = pa.scalar("\x1f", pa.large_string())  # between the parts hashed into an id


def text_digests(texts: pd.Series) -> list[bytes]:
    """Return the SHA-1 digest of each text's UTF-8 bytes (missing as empty), read once for both ids and duplicates.

    SHA-1 because it is the fastest hash in hashlib on CPUs with SHA extensions (bench/README.md); it is a content
    key, not a security measure.
    """
    return [hashlib.sha1(value, usedforsecurity=False).digest() for value in byte_slices(as_arrow(texts))]


def article_ids(articles: pd.DataFrame, digests: list[bytes]) -> pd.Series:
    """Return each article's id: 16 hex digits of a SHA-1 of its source, date, title and its text's digest (from
    `text_digests`), separated by a unit separator, so that the text, most of the bytes, is read once."""
    if articles.empty:
        return pd.Series([], index=articles.index, dtype="string")
    codes, stamps = pd.factorize(articles["published"])
    stamp_text = [s.encode("ascii") for s in stamps.strftime("%Y-%m-%dT%H:%M:%S.%f")]
    parts = zip(byte_slices(as_arrow(articles["source"])), codes.tolist(), byte_slices(as_arrow(articles["title"])),
                digests, strict=True)
    ids = [_digest(b"\x1f".join((source, stamp_text[code], title, text))) for source, code, title, text in parts]
    return pd.Series(ids, index=articles.index, dtype="string")


def separate_identical(articles: pd.DataFrame) -> pd.DataFrame:
    """Give identical records (the same article saved twice) distinct ids by adding where each came from."""
    clash = articles["article_id"].duplicated(keep=False)
    if not clash.any():
        return articles
    ids = articles["article_id"].copy()
    content = _content(articles[clash]).to_pylist()
    origins = articles.loc[clash, "origin"].fillna("")
    ids[clash] = [_digest((c + "\x1f" + o).encode("utf-8")) for c, o in zip(content, origins, strict=True)]
    return articles.assign(article_id=ids)


def _content(articles: pd.DataFrame) -> pa.Array:
    """Return what an article's id is a hash of: source, date, title and text, separated by a unit separator."""
    codes, stamps = pd.factorize(articles["published"])
    stamp = pa.array(stamps.strftime("%Y-%m-%dT%H:%M:%S.%f"), type=pa.large_string()).take(pa.array(codes))
    parts = [as_arrow(articles["source"]), stamp, as_arrow(articles["title"]), as_arrow(articles["text"])]
    return pc.binary_join_element_wise(*parts, _SEPARATOR_UNIT)


def _digest(value: bytes | memoryview) -> str:
    return hashlib.sha1(value, usedforsecurity=False).hexdigest()[:16]
