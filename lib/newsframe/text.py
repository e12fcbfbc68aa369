"""Clean article text and fold it for searching; vectorised over whole columns with pyarrow compute."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Invisible characters that break search: zero-width spaces and joiners, BOMs, soft hyphens.
_INVISIBLE = r"[\x{200B}\x{200C}\x{200D}\x{2060}\x{FEFF}\x{00AD}]"
# No-break spaces (French puts a narrow one before « : ; ? !) are spaces for reading and searching.
_SPACES = r"[\t\f\v\x{00A0}\x{2007}\x{202F}\x{2009}\x{200A}\x{3000}]"
APOSTROPHES = r"[\x{2019}\x{2018}\x{02BC}\x{2032}\x{00B4}`]"
_QUOTES = r"[\x{00AB}\x{00BB}\x{201C}\x{201D}\x{201E}\x{2039}\x{203A}]"
_DASHES = r"[\x{2010}\x{2011}\x{2012}\x{2013}\x{2014}\x{2212}]"
# Characters that may change under NFC: combining marks, and the blocks holding every character that Unicode
# composes or replaces (Greek, Indic, Hangul jamo, compatibility ideographs, a few symbols). A superset, checked
# against unicodedata in tests/test_text.py; text without any of them is already NFC.
_MAYBE_NOT_NFC = (
    r"[\p{M}\x{0370}-\x{03FF}\x{0900}-\x{0FFF}\x{1100}-\x{11FF}\x{1F00}-\x{1FFF}\x{2000}\x{2001}\x{2126}"
    r"\x{212A}\x{212B}\x{2329}\x{232A}\x{2ADC}\x{A960}-\x{A97F}\x{D7B0}-\x{D7FF}\x{F900}-\x{FAFF}\x{FB1D}-\x{FB4F}"
    r"\x{1D15E}-\x{1D1C0}\x{2F800}-\x{2FA1F}]"
)
_EDGE_SPACE = r"[\s\p{Z}\x{85}]"
# One pass tells which texts `clean` would change; only those pay for the passes that change them.
_NEEDS_CLEANING = "|".join(
    [_INVISIBLE, _SPACES, _MAYBE_NOT_NFC, r"\r", "  ", r" \n", r"\n ", r"\n\n\n", f"^{_EDGE_SPACE}",
     f"{_EDGE_SPACE}$"]
)


def clean(texts: pd.Series) -> pd.Series:
    """Return texts in Unicode NFC with tidy whitespace: one space between words, a blank line between paragraphs.

    Typographic apostrophes, quotes and accents are kept as written (quotable); `fold` makes them searchable.
    Missing values become empty strings.
    """
    arr = as_arrow(texts)
    needs = pc.match_substring_regex(arr, _NEEDS_CLEANING)
    if pc.any(needs).as_py():
        arr = pc.replace_with_mask(arr, needs, _clean_all(pc.filter(arr, needs)))
    return pd.Series(arr, index=texts.index, dtype="string")


def _clean_all(arr: pa.Array) -> pa.Array:
    arr = pc.utf8_normalize(arr, "NFC")
    arr = pc.replace_substring_regex(arr, _INVISIBLE, "")
    arr = pc.replace_substring_regex(arr, r"\r\n?", "\n")
    arr = pc.replace_substring_regex(arr, _SPACES, " ")
    arr = pc.replace_substring_regex(arr, r" {2,}", " ")
    arr = pc.replace_substring_regex(arr, r" ?\n ?", "\n")
    arr = pc.replace_substring_regex(arr, r"\n{3,}", "\n\n")
    return pc.utf8_trim_whitespace(arr)


def digests(texts: pd.Series) -> list[bytes]:
    """Return the SHA-1 digest of each text's UTF-8 bytes (missing as empty), read once for both ids and duplicates.

    SHA-1 because it is the fastest hash in hashlib on CPUs with SHA extensions (1.4 GB/s here against 0.8 GB/s
    for BLAKE2b); it is a content key, not a security measure.
    """
    return [hashlib.sha1(value, usedforsecurity=False).digest() for value in byte_slices(as_arrow(texts))]


def duplicate_key(texts: pd.Series, *, text_digests: list[bytes] | None = None) -> np.ndarray:
    """Return a 64-bit key of each cleaned text, equal for exact duplicates (from `digests`, when already made).

    At a million articles the chance that two different texts share a key is about one in 30 million.
    """
    text_digests = digests(texts) if text_digests is None else text_digests
    if not text_digests:
        return np.zeros(0, dtype=np.int64)
    return np.frombuffer(b"".join(d[:8] for d in text_digests), dtype=np.int64)


def byte_slices(arr: pa.Array) -> list[memoryview]:
    """Return each string of a pyarrow string array as a view of its UTF-8 bytes (nulls as empty), without copying."""
    arr = pc.fill_null(arr.cast(pa.large_string()), "")
    if len(arr) == 0:
        return []
    _, offsets, data = arr.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1].tolist()
    view = memoryview(data) if data is not None else memoryview(b"")
    return [view[start:end] for start, end in zip(bounds[:-1], bounds[1:], strict=True)]


def fold(texts: pd.Series) -> pd.Series:
    """Return texts folded for matching: lower case, no accents, straight apostrophes and quotes, one space."""
    arr = pc.utf8_normalize(as_arrow(texts), "NFKD")
    arr = pc.replace_substring_regex(arr, r"\p{Mn}", "")
    arr = pc.utf8_lower(arr)
    arr = pc.replace_substring_regex(arr, APOSTROPHES, "'")
    arr = pc.replace_substring_regex(arr, _QUOTES, '"')
    arr = pc.replace_substring_regex(arr, _DASHES, "-")
    arr = pc.replace_substring_regex(arr, r"\s+", " ")
    arr = pc.utf8_trim_whitespace(arr)
    return pd.Series(arr, index=texts.index, dtype="string")


def as_arrow(texts: pd.Series) -> pa.Array:
    """Return a text column as one pyarrow large_string array, missing values as empty strings."""
    values = pa.array(texts.astype("string").array, type=pa.large_string(), from_pandas=True)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return pc.fill_null(values, "")
