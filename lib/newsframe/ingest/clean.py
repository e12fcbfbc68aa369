"""Clean article text as it is ingested: HTML entities decoded, control characters dropped, Unicode NFC and tidy
white space, vectorised over whole columns."""

from __future__ import annotations

import html

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsframe.arrays import as_arrow

__all__ = ["clean"]

# Invisible characters that break search: zero-width spaces and joiners, BOMs, soft hyphens.
_INVISIBLE = r"[\x{200B}\x{200C}\x{200D}\x{2060}\x{FEFF}\x{00AD}]"
# No-break spaces (French puts a narrow one before « : ; ? !) are spaces for reading and searching.
_SPACES = r"[\t\f\v\x{00A0}\x{2007}\x{202F}\x{2009}\x{200A}\x{3000}]"
# Characters that may change under NFC: combining marks, and the blocks holding every character that Unicode
# composes or replaces (Greek, Indic, Hangul jamo, compatibility ideographs, a few symbols). A superset, checked
# against unicodedata in tests/ingest/test_clean.py; text without any of them is already NFC.
_MAYBE_NOT_NFC = (
    r"[\p{M}\x{0370}-\x{03FF}\x{0900}-\x{0FFF}\x{1100}-\x{11FF}\x{1F00}-\x{1FFF}\x{2000}\x{2001}\x{2126}"
    r"\x{212A}\x{212B}\x{2329}\x{232A}\x{2ADC}\x{A960}-\x{A97F}\x{D7B0}-\x{D7FF}\x{F900}-\x{FAFF}\x{FB1D}-\x{FB4F}"
    r"\x{1D15E}-\x{1D1C0}\x{2F800}-\x{2FA1F}]"
)
_EDGE_SPACE = r"[\s\p{Z}\x{85}]"
# Control characters (NUL among them) are never text: files and exports leave them behind.
_CONTROLS = r"[\x00-\x08\x0e-\x1f\x7f]"
# A named or numeric HTML entity (`&amp;`, `&#39;`, `&#x2019;`): feeds and exports escape text once too often.
_ENTITY = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
# One pass tells which texts `clean` would change; only those pay for the passes that change them.
_NEEDS_CLEANING = "|".join(
    [_INVISIBLE, _SPACES, _CONTROLS, _ENTITY, _MAYBE_NOT_NFC, r"\r", "  ", r" \n", r"\n ", r"\n\n\n",
     f"^{_EDGE_SPACE}", f"{_EDGE_SPACE}$"]
)


def clean(texts: pd.Series) -> pd.Series:
    """Return texts with HTML entities decoded (`AT&amp;T`, `Côte d&#39;Azur`), control characters such as NUL
    dropped, in Unicode NFC, with tidy whitespace: one space between words, a blank line between paragraphs.

    Typographic apostrophes, quotes and accents are kept as written (quotable); `newsframe.words` folds them for
    searching. Missing values become empty strings.
    """
    arr = as_arrow(texts)
    needs = pc.match_substring_regex(arr, _NEEDS_CLEANING)
    if pc.any(needs).as_py():
        arr = pc.replace_with_mask(arr, needs, _clean_all(pc.filter(arr, needs)))
    return pd.Series(arr, index=texts.index, dtype="string")


def _clean_all(arr: pa.Array) -> pa.Array:
    arr = _unescape(arr)
    arr = pc.replace_substring_regex(arr, _CONTROLS, "")
    arr = pc.utf8_normalize(arr, "NFC")
    arr = pc.replace_substring_regex(arr, _INVISIBLE, "")
    arr = pc.replace_substring_regex(arr, r"\r\n?", "\n")
    arr = pc.replace_substring_regex(arr, _SPACES, " ")
    arr = pc.replace_substring_regex(arr, r" {2,}", " ")
    arr = pc.replace_substring_regex(arr, r" ?\n ?", "\n")
    arr = pc.replace_substring_regex(arr, r"\n{3,}", "\n\n")
    return pc.utf8_trim_whitespace(arr)


def _unescape(arr: pa.Array) -> pa.Array:
    """Decode HTML entities, in the values that hold one only (`html.unescape` is Python, one value at a time)."""
    escaped = pc.match_substring_regex(arr, _ENTITY)
    if not pc.any(escaped).as_py():
        return arr
    values = pc.filter(arr, escaped).to_pylist()
    return pc.replace_with_mask(arr, escaped, pa.array([html.unescape(v) for v in values], arr.type))
