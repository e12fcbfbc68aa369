"""Boilerplate: the lines and sentences a source repeats across many of its articles (share buttons, sign-up
prompts, programme notices, agency datelines, "Cet article est paru dans…"), found so that analyses can leave them
out. Topics, key terms and term counts read `strip`ped articles; the corpus keeps its text.

The rule that `find` applies:

- **Pieces.** Each text is cut into lines (at a line break) and each line into sentences. A sentence ends with `.`,
  `!`, `?` or `…` (closing quotes, guillemets or brackets may follow) before white space and a capital letter
  (opening quotes or guillemets may come between), and after a web address. "M. Barnier" is cut after "M.": such
  rare mis-splits do no harm, since every text is cut the same way. A piece is a `line` where it stands alone on
  its line, else a `sentence`.
- **Edges.** Only the first and last `EDGE_PARAGRAPHS` paragraphs of a text (paragraphs end at a blank line) are
  read: boilerplate sits at the edges, and this bounds the work on long articles. A text in one paragraph is read
  whole (the dw.com share buttons of NewsArticles.csv sit mid-text). `strip` removes a flagged piece anywhere.
- **Folding.** Pieces are compared word by word as `words.fold` folds every word (lower case, no accents, straight
  apostrophes, no punctuation at a word's edges, no French elision), with each run of digits made `0` and each web
  address made `url`: "Retrouvez BFMTV du lundi au vendredi à 18h" and "…à 19h" are the same piece.
- **Counting.** A piece counts once per article. Articles marked as exact copies (`duplicate_of` set) are not
  counted, as analyses leave them out (ingest marks as copies the clips of one programme sharing a description).
- **Flagged** when, within one source, a piece is held by at least `min_articles` articles and at least `min_share`
  of the source's articles, has at least `MIN_WORDS` words (shorter ones, "Lire aussi", are for stop words), and
  appears on at least `MIN_DAYS` distinct days (fewer when the source covers fewer): a sentence shared only by one
  day's articles is a story's lead repeated by its updates, not boilerplate. A source with fewer than
  `min_articles` articles has none.

A corpus too large for memory is read in parts (a partitioned corpus's months, `partitions.boilerplate`), in two
passes that give what `find` gives on the whole: `key_counts` of each part (its pieces' byte keys, by source), added
up (`KeyCounts.added`), name the `candidates`; `piece_counts` of each part folds and counts those exactly; `flagged`
adds them up and applies the rule once.

Speed: texts are cut with numpy on their UTF-8 bytes, looking closely only at the few bytes that matter (end marks,
line breaks, colons). A byte key picks the candidate pieces: the sequence of the letters b f g h k v w x in a
piece, hashed (folding never changes, adds or drops these, so pieces that fold alike share it). Only candidates are
folded with `words.fold` and counted exactly. Letters folded from rare ones (ĥ, ŵ, the ligature ﬀ) are the one
exception: copies that differ by such a letter are counted apart. No Python loop runs per article, so that the
time grows with the text and not with Python steps (timings: bench/README.md, Boilerplate).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsframe import words
from newsframe.arrays import as_arrow

__all__ = ["EDGE_PARAGRAPHS", "MIN_DAYS", "MIN_WORDS", "KeyCounts", "candidates", "find", "flagged", "key_counts",
           "name_keys", "piece_counts", "strip"]

MIN_WORDS = 3  # words of a flagged piece, once folded
MIN_DAYS = 2  # distinct publication days of a flagged piece (at most the days its source covers)
EDGE_PARAGRAPHS = 3  # paragraphs read at each end of a text

_KEY_LETTERS = b"bfghkvwx"  # letters that `words.fold` keeps as they are (lower-cased), never adds and never drops
_ASCII_CASE = 0x20  # the bit that tells an ASCII letter's two cases apart: key letters and web addresses in any case
_KEY_SEED = 20250213
_MIX = np.uint64(0x9E3779B97F4A7C15)  # spreads a source's code over the 64 bits of a key
_PAD = 8  # zero bytes around a batch: looking a few bytes ahead or back never leaves it
_LETTER, _END, _COLON, _BREAK = 0x0F, 0x10, 0x20, 0x40  # a byte's class: key letter code, or one of the marks
_CLOSERS, _OPENERS = b"\"')]-", b"\"'(["  # ASCII marks that may close a sentence before its end mark, or open one
_CLOSING = ("»", " »", "\u00a0", "”", "’")  # the same beyond ASCII (French puts a space before »)
_OPENING = ("«", "\u00a0", "“", "‘")
_URL = r"^(?:https?://|www\.)"
_DIGITS = r"\p{Nd}+"
_PIECE_COLUMNS = {"source": "string", "text": "string", "articles": "int64", "share": "float64", "where": "string"}


def find(articles: pd.DataFrame, *, by: str = "source", min_articles: int = 5,
         min_share: float = 0.02) -> pd.DataFrame:
    """Return the lines and sentences repeated across many articles of one `by` value (a source).

    Columns: `source` (the `by` value), `text` (the piece as it is most often written), `articles` (how many of the
    source's articles hold it), `share` (of the source's articles), `where` (`line` when it mostly stands alone on
    its line, else `sentence`); sorted by source, then articles from most to fewest. The rule is in the module's
    docstring. Exact copies (`duplicate_of` set) are not counted. On the real test sets a `min_share` of 0.02 flags
    no news sentence and finds prompts that 0.05 misses (BBC's "Please include a contact number…", in 4 % of its
    articles); at 0.01 a fact box reused by 5 of dw.com's 434 articles comes in.
    """
    articles = _originals(articles)
    group, names = _groups(articles[by])
    days, texts = _days(articles), as_arrow(articles["text"])
    size = np.bincount(group, minlength=len(names))
    need = _need(size, min_articles=min_articles, min_share=min_share)
    pieces = _edge_pieces(texts)
    candidates = pieces.take(_often(group[pieces.row], pieces.key, need))
    tally = _tally(candidates, _data(texts), group, days)
    known_days = pd.Series(np.where(days >= 0, days, np.nan)).groupby(group).nunique()
    known_days = known_days.reindex(range(len(names)), fill_value=0).to_numpy()
    return _flagged(tally, names, size, need=need, known_days=known_days)


def _originals(articles: pd.DataFrame) -> pd.DataFrame:
    return articles[articles["duplicate_of"].isna()] if "duplicate_of" in articles.columns else articles


def _need(size: np.ndarray, *, min_articles: int, min_share: float) -> np.ndarray:
    """Return the articles a piece needs in each source of `size` articles."""
    return np.maximum(min_articles, np.ceil(min_share * size - 1e-9)).astype(np.int64)


def _edge_pieces(texts: pa.LargeStringArray) -> _Pieces:
    pieces = _cut(texts).at_edges()
    return pieces.take(pieces.end - pieces.start >= 2 * MIN_WORDS - 1)  # fewer bytes cannot hold MIN_WORDS words


def _flagged(tally: pd.DataFrame, names: np.ndarray, size: np.ndarray, *, need: np.ndarray,
             known_days: np.ndarray) -> pd.DataFrame:
    """Return the pieces of `tally` (`_tally`) that the rule flags, as `find` shows them."""
    need_days = np.minimum(MIN_DAYS, known_days)
    at = tally["group"].to_numpy()
    kept = tally[(tally["articles"].to_numpy() >= need[at]) & (tally["days"].to_numpy() >= need_days[at])
                 & (tally["words"].to_numpy() >= MIN_WORDS)]
    return _pieces_frame(kept, names, size)


# -- in parts: a corpus too large for memory, a month at a time ----------------------------------------------------


@dataclass(frozen=True)
class KeyCounts:
    """What `find` counts in part of a corpus (a month) before it folds anything: each source's articles
    (`sizes`, copies left out), its known publication days (`days`: `source`, `day`), and how many of its pieces
    have each byte key (`keys`: `source`, `key`, `n`; sources by their `name_keys`, byte keys mixed with them)."""

    sizes: pd.Series
    days: pd.DataFrame
    keys: pd.DataFrame

    @staticmethod
    def added(parts: list[KeyCounts]) -> KeyCounts:
        """Return the counts of the parts together."""
        sizes = pd.concat([part.sizes for part in parts]).groupby(level=0, sort=False).sum()
        days = pd.concat([part.days for part in parts], ignore_index=True).drop_duplicates(ignore_index=True)
        keys = pd.concat([part.keys for part in parts], ignore_index=True)
        return KeyCounts(sizes, days, keys.groupby(["source", "key"], sort=False, as_index=False)["n"].sum())


def key_counts(articles: pd.DataFrame, *, by: str = "source") -> KeyCounts:
    """Return the first of `find`'s two passes over part of a corpus: the byte keys of its pieces, by source."""
    articles = _originals(articles)
    group, names = _groups(articles[by])
    days, hashes = _days(articles), name_keys(names)
    pieces = _edge_pieces(as_arrow(articles["text"]))
    source = hashes[group[pieces.row]]
    keys = pd.DataFrame({"source": source, "key": pieces.key ^ (source * _MIX)})
    known = pd.DataFrame({"source": names[group], "day": days})
    return KeyCounts(sizes=pd.Series(np.bincount(group, minlength=len(names)), index=names, dtype="int64"),
                     days=known[known["day"] >= 0].drop_duplicates(ignore_index=True),
                     keys=keys.groupby(["source", "key"], sort=False, as_index=False).size().rename(
                         columns={"size": "n"}))


def name_keys(names: np.ndarray) -> np.ndarray:
    """Return a hash of each source name that every part of a corpus computes alike (unlike a code per part)."""
    return pd.util.hash_array(np.asarray(names, dtype=object)).astype(np.uint64)


def candidates(counts: KeyCounts, *, min_articles: int = 5, min_share: float = 0.02) -> np.ndarray:
    """Return the mixed byte keys (`KeyCounts.keys`) that `find` folds and counts exactly: those held by enough
    pieces of their source (a piece repeated in an article counting each time, so none is missed)."""
    need = pd.Series(_need(counts.sizes.to_numpy(), min_articles=min_articles, min_share=min_share),
                     index=name_keys(counts.sizes.index.to_numpy()))
    keys = counts.keys
    wanted = keys["n"].to_numpy() >= need.reindex(keys["source"].to_numpy()).to_numpy()
    return np.unique(keys["key"].to_numpy()[wanted])


def piece_counts(articles: pd.DataFrame, *, wanted: np.ndarray, by: str = "source") -> tuple[pd.DataFrame, ...]:
    """Return the second pass over part of a corpus: its pieces whose mixed byte key is `wanted` (`candidates`),
    folded and counted exactly, as frames that add up over the parts: the pieces (`source`, `key`, `articles`,
    `words`, `lines`), their spellings (`source`, `key`, `raw`, `n`) and their days (`source`, `key`, `day`)."""
    articles = _originals(articles)
    group, names = _groups(articles[by])
    days, texts = _days(articles), as_arrow(articles["text"])
    pieces = _edge_pieces(texts)
    pieces = pieces.take(np.isin(pieces.key ^ (name_keys(names)[group[pieces.row]] * _MIX), wanted))
    rows = _piece_rows(pieces, _data(texts), group, days)
    named = rows.assign(source=names[rows["group"].to_numpy()] if len(rows) else "")
    stats = named.groupby(["source", "key"], as_index=False).agg(articles=("row", "size"), words=("words", "first"),
                                                                  lines=("line", "sum"))
    spelled = named.groupby(["source", "key", "raw"], as_index=False).size().rename(columns={"size": "n"})
    return stats, spelled, named[["source", "key", "day"]].dropna().drop_duplicates(ignore_index=True)


def flagged(counts: KeyCounts, parts: list[tuple[pd.DataFrame, ...]], *, min_articles: int = 5,
            min_share: float = 0.02) -> pd.DataFrame:
    """Return what `find` returns on the whole corpus, from its parts' `key_counts` added up and `piece_counts`."""
    names = counts.sizes.index.to_numpy(dtype=object)
    size = counts.sizes.to_numpy()
    stats, spelled, days = (pd.concat([part[i] for part in parts], ignore_index=True) for i in range(3))
    stats = stats.groupby(["source", "key"], as_index=False).agg(articles=("articles", "sum"),
                                                                 words=("words", "first"), lines=("lines", "sum"))
    stats = stats.merge(days.groupby(["source", "key"], as_index=False).agg(days=("day", "nunique")),
                        on=["source", "key"], how="left").fillna({"days": 0})
    spelled = spelled.groupby(["source", "key", "raw"], as_index=False)["n"].sum()
    code = pd.Index(names)
    tally = _usual(stats.assign(group=code.get_indexer(stats["source"])).drop(columns="source"),
                   spelled.assign(group=code.get_indexer(spelled["source"])).drop(columns="source"))
    known = counts.days.groupby("source")["day"].nunique().reindex(names, fill_value=0).to_numpy()
    return _flagged(tally, names, size, need=_need(size, min_articles=min_articles, min_share=min_share),
                    known_days=known)


def strip(articles: pd.DataFrame, found: pd.DataFrame, *, by: str = "source") -> pd.DataFrame:
    """Return the articles with every piece of `found` (from `find`) removed from the texts of its source.

    A flagged piece goes wherever it stands in the text, with the white space that kept it apart, so that no double
    space or empty paragraph is left; the rest of the text is untouched, byte for byte. A title is emptied only when
    the whole title is a flagged piece of its source. The input frame is not changed; all its columns come back.
    """
    out = articles.copy()
    group, names = _groups(articles[by])
    wanted = pd.Index(names).get_indexer(found["source"].astype("string").fillna("").to_numpy(dtype=object))
    if not (wanted >= 0).any():
        return out
    flagged = _Flagged.of(found["text"][wanted >= 0], wanted[wanted >= 0])
    rows = np.flatnonzero(np.isin(group, flagged.groups))
    changed, values = [], []
    for start in range(0, len(rows), words.BATCH_ARTICLES):
        batch = rows[start : start + words.BATCH_ARTICLES]
        some, stripped = _strip_texts(as_arrow(articles["text"].iloc[batch]), group[batch], flagged)
        changed.append(batch[some])
        values.append(stripped)
    out["text"] = _replaced(articles["text"], np.concatenate(changed) if changed else rows, values)
    if "title" in out.columns:  # a title goes only when the whole of it is boilerplate
        emptied = rows[_whole_hits(as_arrow(articles["title"].iloc[rows]), group[rows], flagged)]
        out["title"] = _replaced(articles["title"], emptied, [pa.array([""] * len(emptied), pa.large_string())])
    return out


def _replaced(column: pd.Series, rows: np.ndarray, values: list[pa.Array]) -> pd.Series:
    """Return a text column with the values at positions `rows` (in order) replaced.

    The column keeps its dtype and its missing values.
    """
    if len(rows) == 0:
        return column.copy()
    new = pa.concat_arrays(values)
    if not isinstance(column.dtype, pd.StringDtype):  # as given, e.g. Python objects: slower, but kept as they are
        kept = column.to_numpy(dtype=object, copy=True)
        kept[rows] = new.to_numpy(zero_copy_only=False)
        return pd.Series(kept, index=column.index, name=column.name, dtype=column.dtype)
    mask = np.zeros(len(column), bool)
    mask[rows] = True
    original = pa.array(column.array, type=pa.large_string(), from_pandas=True)
    replaced = pc.replace_with_mask(original, pa.array(mask), new)
    return pd.Series(pd.array(replaced, dtype=column.dtype), index=column.index, name=column.name)


# -- cutting texts into pieces -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pieces:
    """The pieces (lines and sentences) of some texts: one entry per piece, in text order."""

    row: np.ndarray  # the text holding it
    start: np.ndarray  # its first byte in the texts' data buffer
    end: np.ndarray  # just past its last byte (white space around it excluded)
    newlines: np.ndarray  # line breaks between the previous piece of its text and this one (0 for the first)
    paragraph: np.ndarray  # its paragraph in its text, from 0
    line: np.ndarray  # whether it stands alone on its line
    key: np.ndarray  # the byte key: equal for pieces that fold alike

    def take(self, which: np.ndarray) -> _Pieces:
        """Return the pieces selected by a boolean mask or positions."""
        return _Pieces(**{f.name: getattr(self, f.name)[which] for f in fields(self)})

    @property
    def first(self) -> np.ndarray:
        """Whether each piece is the first of its text."""
        return np.r_[True, self.row[1:] != self.row[:-1]][: len(self.row)]

    @property
    def last(self) -> np.ndarray:
        """Whether each piece is the last of its text."""
        return np.r_[self.row[1:] != self.row[:-1], True][-len(self.row) :] if len(self.row) else self.first

    def at_edges(self) -> _Pieces:
        """Return the pieces of the first and last `EDGE_PARAGRAPHS` paragraphs of each text."""
        ends = np.flatnonzero(self.last)
        last_paragraph = np.repeat(self.paragraph[ends], np.diff(np.r_[-1, ends]))
        return self.take((self.paragraph < EDGE_PARAGRAPHS) | (self.paragraph > last_paragraph - EDGE_PARAGRAPHS))

    @staticmethod
    def concat(parts: list[_Pieces]) -> _Pieces:
        """Return the pieces of several batches, in order."""
        return _Pieces(**{f.name: np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(_Pieces)})


@dataclass(frozen=True)
class _Batch:
    """A batch of texts as bytes, with the positions of the bytes that matter for cutting."""

    chunk: np.ndarray  # the texts' bytes, with _PAD zero bytes on each side
    bounds: np.ndarray  # where each text starts, and where the last one ends, in `chunk`
    origin: int  # where the batch's bytes would start in the texts' data buffer: positions differ by it
    breaks: np.ndarray  # each line break
    marks: np.ndarray  # each `.`, `!`, `?` and last byte of `…`
    colons: np.ndarray
    letters: np.ndarray  # each key letter
    codes: np.ndarray  # the code (1-8) of each key letter

    @staticmethod
    def of(data: np.ndarray, bounds: np.ndarray) -> _Batch:
        """Return the batch of the texts whose bytes lie between `bounds` in `data`."""
        pad = np.zeros(_PAD, np.uint8)
        chunk = np.concatenate([pad, data[bounds[0] : bounds[-1]], pad])
        classes = _tables().classes
        spots = np.flatnonzero(classes[chunk] != 0)  # numpy finds the True of a boolean array much faster
        kind = classes[chunk[spots]]
        code = kind & _LETTER
        letters = code != 0
        marks, kind = spots[~letters], kind[~letters]  # marks, colons and line breaks: no key letter is one
        return _Batch(chunk, bounds - bounds[0] + _PAD, int(bounds[0]) - _PAD, marks[kind == _BREAK],
                      marks[kind == _END], marks[kind == _COLON], spots[letters], code[letters])

    def text_end(self, at: np.ndarray) -> np.ndarray:
        """Return where the text holding each position ends (a text's end holds the next one's start)."""
        return self.bounds[np.minimum(np.searchsorted(self.bounds, at, side="right"), len(self.bounds) - 1)]

    def word_at(self, at: np.ndarray) -> np.ndarray:
        """Return where the first word at or after each position starts within its text (-1 for none)."""
        stop = self.text_end(at)
        found = _scan(self.chunk, at, stop, step=1, over_space=True)
        return np.where(found != stop, found, -1)


def _scan(chunk: np.ndarray, at: np.ndarray, stop: np.ndarray, *, step: int, over_space: bool) -> np.ndarray:
    """Return each position moved by `step` over white space (`over_space`) or over a word, up to its `stop`.

    Runs of white space are short: few positions take more than a step or two.
    """
    at = at.copy()
    active = np.flatnonzero(((chunk[at] <= words.SPACE) == over_space) & (at != stop))
    while len(active):
        at[active] += step
        active = active[((chunk[at[active]] <= words.SPACE) == over_space) & (at[active] != stop[active])]
    return at


def _data(texts: pa.LargeStringArray) -> np.ndarray:
    """Return the texts' data buffer as bytes (positions in pieces point into it)."""
    buffer = texts.buffers()[2]
    return np.frombuffer(buffer, np.uint8) if buffer is not None else np.zeros(0, np.uint8)


def _offsets(texts: pa.LargeStringArray) -> np.ndarray:
    """Return the texts' bounds in their data buffer (one more than there are texts)."""
    buffer = texts.buffers()[1]
    if buffer is None or len(texts) == 0:
        return np.zeros(len(texts) + 1, np.int64)
    return np.frombuffer(buffer, np.int64)[texts.offset : texts.offset + len(texts) + 1]


def _cut(texts: pa.LargeStringArray, *, whole: bool = False) -> _Pieces:
    """Return the pieces of `texts` (each whole text with `whole`), cut batch by batch to bound memory."""
    data, offsets, size = _data(texts), _offsets(texts), words.BATCH_ARTICLES
    return _Pieces.concat([_cut_batch(_Batch.of(data, offsets[lo : lo + size + 1]), lo, whole=whole)
                           for lo in range(0, max(len(texts), 1), size)])


def _cut_batch(batch: _Batch, first_row: int, *, whole: bool) -> _Pieces:
    """Return the pieces of a batch whose first text is numbered `first_row`."""
    urls = _Urls.of(batch)
    heads = _heads(batch, urls, whole=whole)
    row = np.searchsorted(batch.bounds, heads, side="right") - 1
    limit = np.minimum(np.r_[heads[1:], len(batch.chunk)], batch.bounds[row + 1])
    end = _scan(batch.chunk, limit - 1, heads, step=-1, over_space=True) + 1
    first = np.r_[True, row[1:] != row[:-1]][: len(row)]
    newlines = np.searchsorted(batch.breaks, heads) - np.searchsorted(batch.breaks, np.r_[0, end[:-1]][: len(row)])
    newlines = np.where(first, 0, newlines)
    starts_line = first | (newlines > 0)
    paragraphs = np.cumsum(newlines >= 2)  # an empty line ends a paragraph
    text_first = np.maximum.accumulate(np.where(first, np.arange(len(row)), 0)) if len(row) else row
    return _Pieces(row=row + first_row, start=heads + batch.origin, end=end + batch.origin, newlines=newlines,
                   paragraph=paragraphs - paragraphs[text_first], line=starts_line & np.r_[starts_line[1:], True],
                   key=_keys(batch, urls, heads, end))


def _heads(batch: _Batch, urls: _Urls, *, whole: bool) -> np.ndarray:
    """Return where each piece starts: at each text's first word, and unless `whole` at each line's first word.

    Unless `whole`, a piece also starts at each sentence and after each web address.
    """
    heads = [batch.word_at(batch.bounds[:-1])]
    if not whole:
        heads += [batch.word_at(batch.breaks + 1), _sentence_heads(batch), batch.word_at(urls.end)]
    heads = np.concatenate(heads)
    heads = np.sort(heads[heads >= 0])  # none in a text of white space, or after a line break ending its text
    return heads[np.r_[True, heads[1:] != heads[:-1]]] if len(heads) else heads


def _sentence_heads(batch: _Batch) -> np.ndarray:
    """Return where each sentence starts that follows an end mark in its line.

    An end mark is `.`, `!`, `?` or `…`; closing marks may follow it, then white space and a capital letter, with
    opening marks before it.
    """
    chunk, marks, tables = batch.chunk, batch.marks, _tables()
    ellipsis = np.flatnonzero(chunk[marks] == 0xA6)  # the last byte of `…`, and of a few rare letters
    marks = np.delete(marks, ellipsis[~_is_bytes(chunk, marks[ellipsis] - 2, "…".encode())])
    after = marks + 1
    for _ in range(2):
        after = after + _mark_width(chunk, after, tables.closers, _CLOSING)
    heads = batch.word_at(after[chunk[after] <= words.SPACE])
    heads = heads[heads >= 0]
    return heads[_is_capital(chunk, heads)]


def _is_capital(chunk: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Return whether the word at each position opens with a capital letter, opening marks aside.

    A word of opening marks alone (`« Bonjour`) counts when the word one space after it opens with a capital.
    """
    for _ in range(2):
        at = at + _mark_width(chunk, at, _tables().openers, _OPENING)
    return _capital_at(chunk, at + (chunk[at] <= words.SPACE))


def _mark_width(chunk: np.ndarray, at: np.ndarray, ascii_marks: np.ndarray, marks: tuple[str, ...]) -> np.ndarray:
    """Return the width in bytes of the mark opening at each position: an ASCII one or one of `marks` (0 for none).

    `ascii_marks` says which bytes are ASCII marks.
    """
    first = chunk[at]
    width = ascii_marks[first].astype(np.int64)
    for mark in marks:
        encoded = mark.encode()
        maybe = np.flatnonzero(first == encoded[0])
        width[maybe[_is_bytes(chunk, at[maybe] + 1, encoded[1:])]] = len(encoded)
    return width


def _capital_at(chunk: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Return whether a capital letter starts at each position: A-Z, À-Þ, Œ, Greek and Cyrillic capitals."""
    lead, second = chunk[at], chunk[np.minimum(at + 1, len(chunk) - 1)]
    latin = (lead == 0xC3) & (second >= 0x80) & (second <= 0x9E) & (second != 0x97)  # À-Þ but ×
    return (((lead >= 0x41) & (lead <= 0x5A)) | latin | ((lead == 0xC5) & (second == 0x92))
            | ((lead == 0xD0) & (second <= 0xAF)) | ((lead == 0xCE) & (second >= 0x86) & (second <= 0xAB)))


def _is_bytes(chunk: np.ndarray, at: np.ndarray, sequence: bytes, *, lower: bool = False) -> np.ndarray:
    """Return whether `sequence` starts at each position (ASCII letters in any case with `lower`).

    The padding keeps every position looked at inside the batch.
    """
    still = np.arange(len(at))
    for i, byte in enumerate(sequence):  # most positions fail at once: look further only at the others
        still = still[(chunk[at[still] + i] | (_ASCII_CASE if lower else 0)) == byte]
    hit = np.zeros(len(at), bool)
    hit[still] = True
    return hit


@dataclass(frozen=True)
class _Urls:
    """The web addresses of a batch: words opening with http://, https:// or www., in any case."""

    start: np.ndarray
    end: np.ndarray

    @staticmethod
    def of(batch: _Batch) -> _Urls:
        """Return the web addresses of a batch, found from its colons and full stops."""
        chunk, colon = batch.chunk, batch.colons
        dot = batch.marks[chunk[batch.marks] == ord(".")]
        dot = dot[(chunk[dot - 1] | _ASCII_CASE) == ord("w")]
        start = np.concatenate([
            (colon - 4)[_is_bytes(chunk, colon - 4, b"http://", lower=True)],
            (colon - 5)[_is_bytes(chunk, colon - 5, b"https://", lower=True)],
            (dot - 3)[_is_bytes(chunk, dot - 3, b"www.", lower=True)],
        ])
        text_start = batch.bounds[np.searchsorted(batch.bounds, start, side="right") - 1]
        start = np.sort(start[(chunk[start - 1] <= words.SPACE) | (start == text_start)])  # at a word start, as split
        return _Urls(start=start, end=_scan(chunk, start, batch.text_end(start), step=1, over_space=False))


# -- the byte key and the exact fold -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Tables:
    """Lookup tables by byte value, and the random weights of the byte key."""

    classes: np.ndarray  # a key letter's code (either case), or the bit of an end mark, colon or line break
    closers: np.ndarray  # whether an ASCII byte may close a sentence before its end mark
    openers: np.ndarray  # whether an ASCII byte may open a sentence
    first_weights: np.ndarray  # of a piece's first key letter, by code
    pair_weights: np.ndarray  # of each pair of successive key letters, by code * 16 + code


@functools.cache
def _tables() -> _Tables:
    """Return the lookup tables (built once, on first use)."""
    classes = np.zeros(256, np.uint8)
    for code, letter in enumerate(_KEY_LETTERS, start=1):
        classes[letter] = classes[letter ^ _ASCII_CASE] = code
    classes[list(b".!?\xa6")] |= _END
    classes[ord(":")] |= _COLON
    classes[ord("\n")] |= _BREAK
    closers, openers = np.zeros(256, bool), np.zeros(256, bool)
    closers[list(_CLOSERS)], openers[list(_OPENERS)] = True, True
    weights = np.random.default_rng(_KEY_SEED).integers(0, 2**64, (2, _LETTER + 1, _LETTER + 1), np.uint64)
    return _Tables(classes, closers, openers, weights[0, 0], weights[1].ravel())


def _keys(batch: _Batch, urls: _Urls, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Return the byte key of each piece [start, end).

    The key hashes the piece's first key letter and the count of each pair of successive key letters; web addresses
    are left out, as folding makes them all `url`.
    """
    letters, codes, tables = batch.letters, batch.codes, _tables()
    if len(urls.start):  # drop the letters of web addresses: a few ranges of the sorted letters
        lo, hi = np.searchsorted(letters, urls.start), np.searchsorted(letters, urls.end)
        inside = np.repeat(lo - np.cumsum(np.r_[0, (hi - lo)[:-1]]), hi - lo) + np.arange((hi - lo).sum())
        letters, codes = np.delete(letters, inside), np.delete(codes, inside)
    pairs = np.zeros(len(codes) + 1, np.uint64)  # pairs[i]: the weights of the pairs ending before letter i
    np.cumsum(tables.pair_weights[(codes[:-1].astype(np.uint16) << 4) | codes[1:]], out=pairs[2:])
    opening, closing = np.searchsorted(letters, start), np.searchsorted(letters, end)
    keys = pairs[closing] - pairs[np.minimum(opening + 1, closing)]  # the pairs with both letters in the piece
    held = closing > opening
    keys[held] += tables.first_weights[codes[opening[held]]]
    return keys


def _often(group: np.ndarray, key: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Return whether each piece's byte key comes at least `need[group]` times in its group.

    Pieces repeated within an article count each time: this only picks candidates, which the exact fold then counts
    once per article.
    """
    mixed = key ^ (group.astype(np.uint64) * _MIX)  # a clash only adds candidates, which the exact fold sorts out
    codes, _ = pd.factorize(mixed)
    return np.bincount(codes)[codes] >= need[group]


def _strings(data: np.ndarray, start: np.ndarray, end: np.ndarray) -> pa.LargeStringArray:
    """Return the pieces' text, read from the data buffer (pieces in order, not overlapping)."""
    if len(start) == 0:
        return pa.array([], pa.large_string())
    bounds = np.empty(2 * len(start), np.int64)
    bounds[0::2], bounds[1::2] = start, end
    spans = pa.LargeStringArray.from_buffers(len(bounds) - 1, pa.py_buffer(bounds), pa.py_buffer(data))
    return spans.take(pa.array(np.arange(0, len(bounds), 2)))  # the odd ones are the gaps between pieces


def _fold_pieces(pieces: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Return each piece folded word by word, words one space apart, and its number of folded words.

    Words fold as `words.fold` folds them, with digit runs as `0` and web addresses as `url`.
    """
    tokens, owners = words.split(pieces.cast(pa.large_string()))
    encoded = pc.dictionary_encode(tokens)
    vocabulary = pc.replace_substring_regex(words.fold(encoded.dictionary), _DIGITS, "0")
    is_url = pc.match_substring_regex(encoded.dictionary, _URL, ignore_case=True)
    vocabulary = pc.if_else(is_url, pa.scalar("url", pa.large_string()), vocabulary)
    folded = vocabulary.take(encoded.indices)
    kept = pc.greater(pc.binary_length(folded), 0).to_numpy(zero_copy_only=False)
    counts = np.bincount(owners[kept], minlength=len(pieces))
    joined = pa.LargeListArray.from_arrays(pa.array(np.r_[0, np.cumsum(counts)], pa.int64()), folded.filter(kept))
    return pc.binary_join(joined, pa.scalar(" ", pa.large_string())), counts


# -- counting ------------------------------------------------------------------------------------------------------


def _groups(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return the code of each row's group and the group names (missing values make the group "")."""
    codes, names = pd.factorize(values.astype("string").fillna("").to_numpy(dtype=object))
    return codes.astype(np.int64), np.asarray(names, dtype=object)


def _days(articles: pd.DataFrame) -> np.ndarray:
    """Return each article's publication day (days since 1970), -1 when unknown."""
    if "published" not in articles.columns:
        return np.full(len(articles), -1, np.int64)
    published = pd.to_datetime(articles["published"], utc=True, errors="coerce")
    days = published.dt.tz_localize(None).to_numpy("datetime64[D]")
    return np.where(np.isnat(days), -1, days.astype(np.int64))


def _tally(candidates: _Pieces, data: np.ndarray, group: np.ndarray, days: np.ndarray) -> pd.DataFrame:
    """Return each folded candidate piece per group, with what decides whether it is flagged.

    Columns: `group`, `key` (the folded piece), `text` (as most often written), `articles`, `days` (distinct known
    publication days), `words`, `line` (the share of its articles where it stands alone on its line).
    """
    return _usual(*_counted(candidates, data, group, days))


def _counted(candidates: _Pieces, data: np.ndarray, group: np.ndarray,
             days: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the folded candidate pieces per group (`group`, `key`, `articles`, `days`, `words`, `lines`: the
    articles where it stands alone on its line) and their spellings (`group`, `key`, `raw`, `n`: articles)."""
    frame = _piece_rows(candidates, data, group, days)
    spelled = frame.groupby(["group", "key", "raw"]).size().reset_index(name="n")
    stats = frame.groupby(["group", "key"]).agg(articles=("row", "size"), days=("day", "nunique"),
                                                words=("words", "first"), lines=("line", "sum")).reset_index()
    return stats, spelled


def _piece_rows(candidates: _Pieces, data: np.ndarray, group: np.ndarray, days: np.ndarray) -> pd.DataFrame:
    """Return the candidate pieces folded, once per article: `group`, `key`, `row`, `raw`, `day`, `words`, `line`."""
    raw = _strings(data, candidates.start, candidates.end)
    keys, counts = _fold_pieces(raw)
    day = days[candidates.row]
    return pd.DataFrame({
        "group": group[candidates.row], "key": keys.to_pandas(), "row": candidates.row, "raw": raw.to_pandas(),
        "day": np.where(day >= 0, day, np.nan), "words": counts, "line": candidates.line.astype(np.int64),
    }).drop_duplicates(["row", "key"])


def _usual(stats: pd.DataFrame, spelled: pd.DataFrame) -> pd.DataFrame:
    """Return `_counted`'s pieces with their usual spelling (`text`) and the share of line (`line`)."""
    usual = spelled.sort_values(["n", "raw"], ascending=[False, True]).drop_duplicates(["group", "key"])
    stats = stats.assign(line=stats["lines"] / np.maximum(stats["articles"], 1)).drop(columns="lines")
    return stats.merge(usual[["group", "key", "raw"]].rename(columns={"raw": "text"}), on=["group", "key"])


def _pieces_frame(kept: pd.DataFrame, names: np.ndarray, size: np.ndarray) -> pd.DataFrame:
    """Return the flagged pieces as `find` shows them."""
    group = kept["group"].to_numpy()
    frame = pd.DataFrame({
        "source": names[group] if len(group) else np.array([], object), "text": kept["text"].to_numpy(),
        "articles": kept["articles"].to_numpy(), "share": kept["articles"].to_numpy() / np.maximum(size[group], 1),
        "where": np.where(kept["line"].to_numpy() >= 0.5, "line", "sentence"),
    }).astype(_PIECE_COLUMNS)
    return frame.sort_values(["source", "articles", "text"], ascending=[True, False, True], ignore_index=True)


# -- stripping -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Flagged:
    """The pieces to strip, per group: their folded form and their byte key."""

    groups: np.ndarray
    folded: pd.MultiIndex
    keys: np.ndarray

    @staticmethod
    def of(texts: pd.Series, group: np.ndarray) -> _Flagged:
        """Return the flagged pieces `texts` of the groups `group`."""
        values = as_arrow(texts)
        folded, _ = _fold_pieces(values)
        pieces = _cut(values, whole=True)
        return _Flagged(groups=np.unique(group), folded=pd.MultiIndex.from_arrays([group, folded.to_pandas()]),
                        keys=pieces.key ^ (group[pieces.row].astype(np.uint64) * _MIX))

    def hits(self, pieces: _Pieces, group: np.ndarray, data: np.ndarray) -> np.ndarray:
        """Return which pieces (of texts in groups `group`) are flagged: their byte key first, then their fold."""
        maybe = np.flatnonzero(np.isin(pieces.key ^ (group[pieces.row].astype(np.uint64) * _MIX), self.keys))
        folded, _ = _fold_pieces(_strings(data, pieces.start[maybe], pieces.end[maybe]))
        hit = np.zeros(len(pieces.row), bool)
        hit[maybe[pd.MultiIndex.from_arrays([group[pieces.row[maybe]], folded.to_pandas()]).isin(self.folded)]] = True
        return hit


def _whole_hits(texts: pa.LargeStringArray, group: np.ndarray, flagged: _Flagged) -> np.ndarray:
    """Return the positions of the texts that are, whole, a flagged piece of their group."""
    pieces = _cut(texts, whole=True)
    return pieces.row[flagged.hits(pieces, group, _data(texts))]


def _strip_texts(texts: pa.LargeStringArray, group: np.ndarray, flagged: _Flagged) -> tuple[np.ndarray, pa.Array]:
    """Return which texts lose a flagged piece, and their new text."""
    pieces = _cut(texts)
    hit = flagged.hits(pieces, group, _data(texts))
    changed = np.unique(pieces.row[hit])
    if len(changed) == 0:
        return changed, pa.array([], pa.large_string())
    start, end = _removed_spans(pieces, hit, _offsets(texts))
    return changed, _cut_out(texts.take(pa.array(changed)), changed, start, end, _offsets(texts))


def _removed_spans(pieces: _Pieces, hit: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the byte spans to remove for the `hit` pieces, in order: the text stays as tidy as it was.

    Flagged sentences among others on their line go with the space on one side. Lines of flagged pieces only go
    together with the break on one side, the weaker one: the stronger break keeps their neighbours apart as before.
    """
    before = np.where(pieces.first, offsets[pieces.row], np.r_[0, pieces.end[:-1]])  # the end of the piece before
    after = np.where(pieces.last, offsets[pieces.row + 1], np.r_[pieces.start[1:], 0])  # the start of the next
    opens_line = pieces.first | (pieces.newlines > 0)
    line = np.cumsum(opens_line) - 1
    cleared = (np.bincount(line, weights=hit) == np.bincount(line))[line]  # every piece of its line is flagged
    s, e = _runs(hit & ~cleared, joined=~opens_line)  # within a line: the space after, or before at its end
    followed = ~pieces.last[e] & ~opens_line[np.minimum(e + 1, len(hit) - 1)]
    spans = [np.where(followed, pieces.start[s], before[s]), np.where(followed, after[e], pieces.end[e])]
    s, e = _runs(cleared, joined=~pieces.first)  # whole lines, one after another
    outer = pieces.first[s] | pieces.last[e]
    next_newlines = np.where(pieces.last[e], 0, pieces.newlines[np.minimum(e + 1, len(hit) - 1)])
    take_before = outer | (next_newlines > pieces.newlines[s])
    start = np.r_[spans[0], np.where(take_before, before[s], pieces.start[s])]
    end = np.r_[spans[1], np.where(outer, after[e], np.where(take_before, pieces.end[e], after[e]))]
    order = np.argsort(start, kind="stable")
    return start[order], end[order]


def _runs(selected: np.ndarray, *, joined: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the first and last index of each run of selected pieces.

    A selected piece joins the run before it where `joined` says it may.
    """
    goes_on = selected & np.r_[False, selected[:-1]] & joined
    ends_here = selected & ~np.r_[goes_on[1:], False]
    return np.flatnonzero(selected & ~goes_on), np.flatnonzero(ends_here)


def _cut_out(texts: pa.LargeStringArray, rows: np.ndarray, start: np.ndarray, end: np.ndarray,
             offsets: np.ndarray) -> pa.LargeStringArray:
    """Return `texts` without the byte spans [start, end).

    The spans are positions in the buffer the texts were taken from (as its `rows`, in order), whose text bounds
    are `offsets`.
    """
    new = _offsets(texts)
    row = np.searchsorted(offsets, start, side="right") - 1  # spans never run from one text into the next
    shift = new[np.searchsorted(rows, row)] - offsets[row]
    toggles = np.zeros(int(new[-1] - new[0]) + 1, np.int8)  # the spans are sorted and do not overlap
    toggles[start + shift - new[0]] += 1
    toggles[end + shift - new[0]] -= 1
    keep = np.cumsum(toggles[:-1], dtype=np.int8) == 0
    removed = np.bincount(row, weights=end - start, minlength=offsets.size - 1)[rows].astype(np.int64)
    bounds = np.r_[0, np.cumsum(np.diff(new) - removed)]
    data = _data(texts)[new[0] : new[-1]][keep]
    return pa.LargeStringArray.from_buffers(len(texts), pa.py_buffer(bounds), pa.py_buffer(data))
