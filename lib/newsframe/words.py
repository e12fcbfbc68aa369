"""Words: the one rule for splitting articles into words and folding them, used by terms, keyness, topics, stop
words, phrases and boilerplate alike, so that a word means the same thing in every analysis, and by near-duplicates
(shingles) and language detection (French elisions). It sits beside the steps, below all of them, and holds the
rule's constants too, for the modules that read the same bytes with numpy or the same words with a regex.

Splitting: at white space (and, for topics, also at hyphens, slashes and apostrophes). Folding a word: lower case,
accents removed (or kept, for showing a word as written), typographic apostrophes made straight, punctuation at its
edges dropped, and a French elision removed (`l'Afrique`, `d’un`, `qu'il`, `jusqu'à` -> `afrique`, `un`, `il`, `à`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsframe.arrays import as_arrow

__all__ = [
    "APOSTROPHES", "BATCH_ARTICLES", "COMPOUND_BYTES", "ELIDED", "FOLD_CHARACTERS", "MIN_LENGTH",
    "NON_WORD_CHARACTER", "PY_WORD_CHARACTER", "SEPARATOR_BYTES", "SPACE", "TYPOGRAPHIC_APOSTROPHE", "WORD_CHARACTER",
    "contents", "countable", "counts", "encode", "fold", "fold_word", "separators", "split", "tallies",
    "usual_spellings", "written",
]

APOSTROPHES = r"[\x{2019}\x{2018}\x{02BC}\x{2032}\x{00B4}`]"
# Elided French words, folded: l'Afrique, d'un, qu'il, jusqu'à, lorsqu'elle…
ELIDED = ("l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu")
_ELISION = rf"^(?:{'|'.join(ELIDED)})'"
# What a word is made of (RE2, as pyarrow reads it); anything else at a word's edges is punctuation.
WORD_CHARACTER = r"[\p{L}\p{N}]"
NON_WORD_CHARACTER = r"[^\p{L}\p{N}]"
PY_WORD_CHARACTER = r"[^\W_]"  # the same for Python's `re` (letters and numbers), tested to agree on each character
_EDGE_PUNCTUATION = rf"^{NON_WORD_CHARACTER}+|{NON_WORD_CHARACTER}+$"
MIN_LENGTH = 2  # characters of a word counted as a term (key terms, topics): one letter alone says nothing
_LETTER = r"\p{L}"  # ... and a letter in it: numbers and punctuation are not terms
# How `split` finds words in UTF-8 bytes. Bytes up to SPACE separate words (cleaned text has no other white space);
# with `compounds`, so do COMPOUND_BYTES and the TYPOGRAPHIC_APOSTROPHE (three bytes).
SPACE = 0x20
COMPOUND_BYTES = b"-/'"
TYPOGRAPHIC_APOSTROPHE = "\u2019".encode()
_NEWLINE = pa.scalar("\n", pa.large_string())
BATCH_ARTICLES = 10_000  # articles split together: bounded memory (about 250 MB each) and few Python steps


def contents(articles: pd.DataFrame) -> pa.LargeStringArray:
    """Return each article's title and text, a line apart: what terms, keyness and topics read."""
    return pc.binary_join_element_wise(as_arrow(articles["title"]), as_arrow(articles["text"]), _NEWLINE)


def fold(words: pa.Array, *, keep_accents: bool = False) -> pa.Array:
    """Return words folded for comparing: lower case, no accents (NFC-composed ones with `keep_accents`, for
    showing), straight apostrophes, no punctuation at the edges, no French elision."""
    words = _fold_characters(words.cast(pa.large_string()), keep_accents=keep_accents)
    words = pc.replace_substring_regex(words, _EDGE_PUNCTUATION, "")
    return pc.replace_substring_regex(words, _ELISION, "")


def written(words: pa.Array) -> pa.Array:
    """Return words as written, for showing: NFC-composed, straight apostrophes and no punctuation at the edges,
    but their case and any French elision kept."""
    straight = pc.replace_substring_regex(pc.utf8_normalize(words, "NFC"), APOSTROPHES, "'")
    return pc.replace_substring_regex(straight, _EDGE_PUNCTUATION, "")


def _fold_characters(words: pa.Array, *, keep_accents: bool) -> pa.Array:
    """Fold character by character: accents, case and apostrophes (the part of `fold` that keeps word edges)."""
    if keep_accents:
        words = pc.utf8_normalize(words, "NFC")
    else:
        words = pc.replace_substring_regex(pc.utf8_normalize(words, "NFKD"), r"\p{Mn}", "")
    return pc.replace_substring_regex(pc.utf8_lower(words), APOSTROPHES, "'")


def countable(keys: pa.Array) -> np.ndarray:
    """Return, per folded word, whether it counts as a term: `MIN_LENGTH` characters or more, a letter among them."""
    keys = keys.cast(pa.large_string())
    usable = pc.and_(pc.greater_equal(pc.utf8_length(keys), MIN_LENGTH), pc.match_substring_regex(keys, _LETTER))
    return usable.to_numpy(zero_copy_only=False).astype(bool)


def fold_word(value: str) -> str:
    """Return a word or phrase folded as `fold` folds each of its words (empty words dropped)."""
    parts = value.split()
    if not parts:
        return ""
    return " ".join(word for word in fold(pa.array(parts, pa.large_string())).to_pylist() if word)


class _CharacterFolds(dict):
    """str.translate table folding each character as `fold` does (case, accents, apostrophes), one character to
    one: keeping the length lets a match in the folded text be cut out of the original text at the same place.
    A character that folds to several (`ß`, `ﬁ`) or to none is left as it is, lower-cased where that keeps it one."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = _fold_characters(pa.array([char], pa.large_string()), keep_accents=False)[0].as_py()
        if len(folded) != 1:
            folded = char.lower() if len(char.lower()) == 1 else char
        self[code] = folded
        return folded


FOLD_CHARACTERS = _CharacterFolds()


def separators(content: np.ndarray, *, compounds: bool = True) -> np.ndarray:
    """Return, per UTF-8 byte, whether it separates words as `split` cuts them, the typographic apostrophe (several
    bytes) apart. Compared byte by byte: numpy compares faster than it looks up a table."""
    found = content <= SPACE
    if compounds:
        for byte in COMPOUND_BYTES:
            found |= content == byte
    return found


# The same as a table of the 256 byte values, for the few bytes looked up one by one.
SEPARATOR_BYTES = separators(np.arange(256, dtype=np.uint8))


def split(texts: pa.LargeStringArray, *, compounds: bool = False) -> tuple[pa.LargeStringArray, np.ndarray]:
    """Return the words of `texts` and, for each, the index of its text.

    Word starts are found with numpy on the UTF-8 bytes, and the words are views of the texts' own buffer, so
    nothing is copied. A word keeps the white space after it, which folding strips. Bytes up to 0x20 separate words;
    cleaned text has no other white space, and a no-break space left inside a word still separates the parts of a
    compound. With `compounds`, hyphens, slashes and apostrophes (straight or typographic) separate words too:
    `Saint-Pétersbourg` is two words, `l’Afrique` is `l` and `Afrique`.
    """
    _, offsets_buffer, data = texts.buffers()
    offsets = np.frombuffer(offsets_buffer, np.int64)[texts.offset : texts.offset + len(texts) + 1]
    first, last = int(offsets[0]), int(offsets[-1])
    content = np.frombuffer(data, np.uint8, count=last - first, offset=first) if data else np.zeros(0, np.uint8)
    separator = separators(content, compounds=compounds)
    if compounds:
        one, two, three = TYPOGRAPHIC_APOSTROPHE
        typographic = np.flatnonzero((content[:-2] == one) & (content[1:-1] == two) & (content[2:] == three))
        for byte in range(len(TYPOGRAPHIC_APOSTROPHE)):
            separator[typographic + byte] = True
    starts = ~separator
    starts[1:] &= separator[:-1]
    text_starts = offsets[:-1] - first
    starts[text_starts[text_starts < len(content)]] = True  # a word never runs from one text into the next
    bounds = np.flatnonzero(starts)
    word_offsets = np.append(bounds, len(content)) + first
    words = pa.LargeStringArray.from_buffers(len(bounds), pa.py_buffer(word_offsets), data)
    per_text = np.diff(np.searchsorted(bounds, offsets - first))
    return words, np.repeat(np.arange(len(texts), dtype=np.int64), per_text)


def encode(articles: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """Return the words of the articles' titles and texts as ids into their distinct words: (the id of each word,
    the row of its article, the distinct words folded). Spellings that fold alike keep ids of their own."""
    tokens, owners = split(contents(articles))
    encoded = pc.dictionary_encode(tokens)
    return encoded.indices.to_numpy(zero_copy_only=False), owners, fold(encoded.dictionary)


def tallies(articles: pd.DataFrame) -> pd.DataFrame:
    """Return how often each word occurs in the articles' titles and texts, by spelling: columns `key` (folded),
    `shown` (lower case with its accents, as `fold(keep_accents=True)` writes it) and `count`."""
    frames = []
    for start in range(0, len(articles), BATCH_ARTICLES):
        tokens, _ = split(contents(articles.iloc[start : start + BATCH_ARTICLES]))
        encoded = pc.dictionary_encode(tokens)
        shown = fold(encoded.dictionary, keep_accents=True)
        found = np.bincount(encoded.indices.to_numpy(zero_copy_only=False), minlength=len(shown))
        frames.append(pd.DataFrame({"key": fold(shown).to_pandas(), "shown": shown.to_pandas(), "count": found}))
    if not frames:
        return pd.DataFrame({"key": pd.Series([], dtype=object), "shown": pd.Series([], dtype=object),
                             "count": pd.Series([], dtype="int64")})
    totals = pd.concat(frames).groupby(["key", "shown"], sort=False, as_index=False)["count"].sum()
    return totals[totals["key"] != ""]  # punctuation alone, and the white space opening a text, fold to nothing


def counts(articles: pd.DataFrame) -> pd.Series:
    """Return how often each folded word occurs in the articles' titles and texts (index: word, sorted)."""
    return tallies(articles).groupby("key")["count"].sum().rename_axis(None)


def usual_spellings(found: pd.DataFrame) -> pd.Series:
    """Return each folded word's most frequent spelling, from `tallies` (index: key)."""
    ordered = found.sort_values(["count", "shown"], ascending=[False, True], kind="stable")
    return ordered.drop_duplicates("key").set_index("key")["shown"]
