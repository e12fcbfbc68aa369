"""Article ids: a hash of each article's content, so that re-ingesting the same input gives the same ids."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsframe.arrays import as_arrow, byte_slices

__all__ = ["article_ids", "as_numbers", "as_text", "separate_identical", "separated_ids", "text_digests"]

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
    ids[clash] = separated_ids(articles[clash])
    return articles.assign(article_id=ids)


def separated_ids(articles: pd.DataFrame) -> list[str]:
    """Return the id each article gets when an identical record shares its id (`separate_identical`): a hash of its
    content and its `origin`, whatever the other rows given."""
    content = _content(articles).to_pylist()
    origins = articles["origin"].fillna("")
    return [_digest((c + "\x1f" + o).encode("utf-8")) for c, o in zip(content, origins, strict=True)]


def _content(articles: pd.DataFrame) -> pa.Array:
    """Return what an article's id is a hash of: source, date, title and text, separated by a unit separator."""
    codes, stamps = pd.factorize(articles["published"])
    stamp = pa.array(stamps.strftime("%Y-%m-%dT%H:%M:%S.%f"), type=pa.large_string()).take(pa.array(codes))
    parts = [as_arrow(articles["source"]), stamp, as_arrow(articles["title"]), as_arrow(articles["text"])]
    return pc.binary_join_element_wise(*parts, _SEPARATOR_UNIT)


def _digest(value: bytes | memoryview) -> str:
    return hashlib.sha1(value, usedforsecurity=False).hexdigest()[:16]


# Ids as 64-bit numbers, for a corpus too large to keep ten million of them as text (`ingest.spill`): the 16 hex
# digits are the number's 8 bytes, big-endian, so the numbers sort as the ids do.
_HEX_DIGITS = np.frombuffer(b"0123456789abcdef", np.uint8)
_NIBBLE = np.full(256, 255, np.uint8)
_NIBBLE[_HEX_DIGITS] = np.arange(16, dtype=np.uint8)
ID_LENGTH = 16


def as_numbers(ids) -> np.ndarray:
    """Return article ids (a pyarrow or pandas string array of 16 lowercase hex digits each, as `article_ids` makes
    them) as unsigned 64-bit numbers; ValueError names the first id that is not one."""
    array = pa.array(ids.array if isinstance(ids, pd.Series) else ids)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    array = array.cast(pa.large_string())
    digits = np.zeros((0, ID_LENGTH), np.uint8)
    if len(array) and not array.null_count:
        _, offsets, data = array.buffers()
        bounds = np.frombuffer(offsets, np.int64)[array.offset : array.offset + len(array) + 1]
        if (np.diff(bounds) == ID_LENGTH).all():
            digits = _NIBBLE[np.frombuffer(data, np.uint8)[bounds[0] : bounds[-1]]].reshape(-1, ID_LENGTH)
    if len(digits) != len(array) or (digits == 255).any():
        bad = next((i for i in array.to_pylist() if i is None or len(i) != ID_LENGTH
                    or any(c not in "0123456789abcdef" for c in i)), None)
        raise ValueError(f"article id {bad!r} is not {ID_LENGTH} hex digits")
    pairs = (digits[:, 0::2] << 4) | digits[:, 1::2]
    return np.ascontiguousarray(pairs).view(">u8").ravel().astype(np.uint64)


def as_text(numbers: np.ndarray) -> pa.Array:
    """Return ids kept as numbers (`as_numbers`) as a pyarrow large_string array of their 16 hex digits."""
    numbers = np.asarray(numbers, np.uint64)
    octets = numbers.astype(">u8").view(np.uint8).reshape(-1, 8)
    digits = np.empty((len(numbers), ID_LENGTH), np.uint8)
    digits[:, 0::2] = _HEX_DIGITS[octets >> 4]
    digits[:, 1::2] = _HEX_DIGITS[octets & 15]
    offsets = np.arange(0, ID_LENGTH * len(numbers) + 1, ID_LENGTH, dtype=np.int64)
    return pa.LargeStringArray.from_buffers(len(numbers), pa.py_buffer(offsets), pa.py_buffer(digits.tobytes()))
