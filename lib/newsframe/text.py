"""Clean article text and fold it for searching; vectorised over whole columns with pyarrow compute."""

from __future__ import annotations

import unicodedata

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# Invisible characters that break search: zero-width spaces and joiners, BOMs, soft hyphens.
_INVISIBLE = r"[\x{200B}\x{200C}\x{200D}\x{2060}\x{FEFF}\x{00AD}]"
# No-break spaces (French puts a narrow one before « : ; ? !) are spaces for reading and searching.
_SPACES = r"[\t\f\v\x{00A0}\x{2007}\x{202F}\x{2009}\x{200A}\x{3000}]"
_APOSTROPHES = r"[\x{2019}\x{2018}\x{02BC}\x{2032}\x{00B4}`]"
_QUOTES = r"[\x{00AB}\x{00BB}\x{201C}\x{201D}\x{201E}\x{2039}\x{203A}]"
_DASHES = r"[\x{2010}\x{2011}\x{2012}\x{2013}\x{2014}\x{2212}]"


def clean(texts: pd.Series) -> pd.Series:
    """Return texts in Unicode NFC with tidy whitespace: one space between words, a blank line between paragraphs.

    Typographic apostrophes, quotes and accents are kept as written (quotable); `fold` makes them searchable.
    """
    arr = _nfc(_as_arrow(texts))
    arr = pc.replace_substring_regex(arr, _INVISIBLE, "")
    arr = pc.replace_substring_regex(arr, r"\r\n?", "\n")
    arr = pc.replace_substring_regex(arr, _SPACES, " ")
    arr = pc.replace_substring_regex(arr, r" {2,}", " ")
    arr = pc.replace_substring_regex(arr, r" ?\n ?", "\n")
    arr = pc.replace_substring_regex(arr, r"\n{3,}", "\n\n")
    arr = pc.utf8_trim_whitespace(arr)
    return pd.Series(arr, index=texts.index, dtype="string")


def duplicate_key(texts: pd.Series) -> pd.Series:
    """Return a 64-bit hash per cleaned text that ignores case and apostrophe style, for finding exact duplicates."""
    arr = pc.utf8_lower(_as_arrow(texts))
    arr = pc.replace_substring_regex(arr, _APOSTROPHES, "'")
    return pd.util.hash_pandas_object(pd.Series(arr, index=texts.index, dtype="string"), index=False)


def _nfc(arr: pa.Array) -> pa.Array:
    # Most text arrives already composed; checking is far cheaper than normalising everything.
    needs = [value is not None and not unicodedata.is_normalized("NFC", value) for value in arr.to_pylist()]
    if not any(needs):
        return arr
    mask = pa.array(needs)
    return pc.if_else(mask, pc.utf8_normalize(arr, "NFC"), arr)


def fold(texts: pd.Series) -> pd.Series:
    """Return texts folded for matching: lower case, no accents, straight apostrophes and quotes, one space."""
    arr = pc.utf8_normalize(_as_arrow(texts), "NFKD")
    arr = pc.replace_substring_regex(arr, r"\p{Mn}", "")
    arr = pc.utf8_lower(arr)
    arr = pc.replace_substring_regex(arr, _APOSTROPHES, "'")
    arr = pc.replace_substring_regex(arr, _QUOTES, '"')
    arr = pc.replace_substring_regex(arr, _DASHES, "-")
    arr = pc.replace_substring_regex(arr, r"\s+", " ")
    arr = pc.utf8_trim_whitespace(arr)
    return pd.Series(arr, index=texts.index, dtype="string")


def _as_arrow(texts: pd.Series) -> pa.Array:
    values = pa.array(texts.astype("string").array, type=pa.large_string(), from_pandas=True)
    return pc.fill_null(values, "")
