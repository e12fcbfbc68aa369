"""Find terms in articles: named groups of variants, matched as whole words without case or accents.

A group is a name and its variants: `{"Russie": ["Russie", "russe*", "Moscou", "Kremlin"]}`. A variant is

- a word (`Moscou`): matches the word in any case, with or without accents, after a French elision
  (`l'Afrique`, `d’Afrique` match `Afrique`) and inside hyphenated compounds (`russo-malien` matches `malien`);
- a word ending in `*` (`russe*`): any word starting so (`russe`, `russes`, `russes-ukrainiens`);
- several words (`Union africaine`, `Vladimir Pout*`): those words in a row;
- `re:` and a regular expression (`re:sahel(ien|ienne)s?`): whole words matching it, compared in lower case
  without accents.

How it stays fast on a million articles: each batch's texts are split into words once, with numpy on their UTF-8
bytes and without copying them. Everything else (folding case and accents, elision, punctuation, matching each
variant) happens on the batch's distinct words, a few hundred thousand, not on the text: one regular expression
holding every variant shortlists them, and each variant runs on the shortlist. Matches are then counted per article
with numpy, on the few matching words only, and batches run on two threads.
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsframe import text as textops
from newsframe.errors import ParameterError

BATCH_ARTICLES = 10_000  # articles tokenised together: bounded memory (about 250 MB each) and few Python steps
WORKERS = min(2, os.cpu_count() or 1)  # batches at once; each holds its word arrays
# Elided French words, folded: l'Afrique, d'un, qu'il, jusqu'à, lorsqu'elle…
_ELISION = r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)'"
_EDGE_PUNCTUATION = r"^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$"
_PART = r"[\p{L}\p{N}]"  # what a word is made of; anything else separates the parts of a compound


@dataclass(frozen=True)
class Variant:
    """One way of writing a term: its words (folded), each a pattern matched against a whole word or part."""

    text: str
    words: tuple[str, ...]  # RE2 patterns, one per word in a row


def groups(terms: Mapping[str, Iterable[str]] | Iterable[str] | str | Path | None) -> dict[str, list[str]]:
    """Return term groups from a mapping, a list (each term its own group) or a terms file.

    A terms file has one group a line, `name: variant, variant, …`, or just a term; `#` starts a comment.
    """
    if terms is None or terms == "" or terms == []:
        return {}
    if isinstance(terms, str | Path) and (isinstance(terms, Path) or "\n" in terms or Path(terms).suffix == ".txt"):
        return _read_terms_file(Path(terms))
    if isinstance(terms, str):
        terms = [terms]
    if isinstance(terms, Mapping):
        found = {str(name): [str(v) for v in ([variants] if isinstance(variants, str) else variants)]
                 for name, variants in terms.items()}
    else:
        found = {str(term): [str(term)] for term in terms}
    empty = [name for name, variants in found.items() if not [v for v in variants if v.strip()]]
    if empty:
        raise ParameterError(f"term group(s) {', '.join(empty)} have no variants; give at least one word each.")
    return found


def _read_terms_file(path: Path) -> dict[str, list[str]]:
    if not path.is_file():
        raise ParameterError(f"terms file {path} not found. Write one group a line: `Russie: Russie, russe*, Moscou`.")
    found: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, _, variants = line.partition(":") if ":" in line and not line.startswith("re:") else (line, "", line)
        found[name.strip()] = [v.strip() for v in variants.split(",") if v.strip()]
    return groups(found)


def parse_variant(variant: str) -> Variant:
    """Return a variant as patterns for whole words, raising ParameterError for an unusable one."""
    raw = variant.strip()
    if raw.startswith("re:"):
        pattern = raw[3:].strip()
        _check_regex(pattern, variant=variant)
        return Variant(raw, (f"(?:{pattern})",))
    words = fold_word(raw).split()
    if not words:
        raise ParameterError(f"term variant {variant!r} has no word in it.")
    patterns = []
    for word in words:
        stem = word.rstrip("*")
        if not stem:
            raise ParameterError(f"term variant {variant!r}: `*` must follow at least one letter.")
        patterns.append(re.escape(stem) + (rf"{_PART}*" if word.endswith("*") else ""))
    return Variant(raw, tuple(patterns))


def _check_regex(pattern: str, *, variant: str) -> None:
    try:
        pc.match_substring_regex(pa.array(["x"]), pattern)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise ParameterError(f"term variant {variant!r} is not a regular expression newsframe can use: {exc}") from exc


def fold_word(value: str) -> str:
    """Return a word or phrase folded for matching: lower case, no accents, straight apostrophes, no elision."""
    decomposed = unicodedata.normalize("NFKD", value)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    folded = re.sub(r"[\u2019\u2018\u02bc\u2032\u00b4`]", "'", folded)
    return " ".join(re.sub(_ELISION, "", word) for word in folded.split())


def mentions(articles: pd.DataFrame, term_groups: Mapping[str, Iterable[str]]) -> pd.DataFrame:
    """Count each group's mentions in each article's title and text.

    Returns a long frame, one row per article and group mentioned: `article_id`, `group`, `mentions` (how many
    times; overlapping variants of one group count once). Articles without a mention have no row.
    """
    parsed = {name: [parse_variant(v) for v in variants] for name, variants in groups(term_groups).items()}
    starts = range(0, len(articles) if parsed else 0, BATCH_ARTICLES)
    # numpy and Arrow release the GIL for their work on whole batches, so batches run on all cores.
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        frames = list(pool.map(lambda start: _batch_mentions(articles.iloc[start : start + BATCH_ARTICLES], parsed),
                               starts))
    found = [f for f in frames if len(f)]
    if not found:
        return pd.DataFrame({"article_id": pd.Series([], dtype="string"), "group": pd.Series([], dtype="string"),
                             "mentions": pd.Series([], dtype="int64")})
    return pd.concat(found, ignore_index=True)


def _batch_mentions(batch: pd.DataFrame, parsed: dict[str, list[Variant]]) -> pd.DataFrame:
    words = _Words.of(batch)
    patterns = sorted({word for variants in parsed.values() for v in variants for word in v.words})
    found = words.find(patterns)
    rows = []
    for name, variants in parsed.items():
        per_article = found.count(variants)
        hit = np.flatnonzero(per_article)
        rows.append(pd.DataFrame({"article_id": batch["article_id"].to_numpy()[hit], "group": name,
                                  "mentions": per_article[hit]}))
    frame = pd.concat(rows, ignore_index=True)
    return frame.astype({"article_id": "string", "group": "string", "mentions": "int64"})


@dataclass(frozen=True)
class _Words:
    """The words of a batch of articles: each word's id in the batch vocabulary, and the article it is in."""

    ids: np.ndarray  # per word, index into `vocabulary`
    owners: np.ndarray  # per word, row of the article in the batch
    vocabulary: pa.Array  # distinct words, folded (lower case, no accents, no elision or edge punctuation)
    articles: int

    @classmethod
    def of(cls, batch: pd.DataFrame) -> _Words:
        tokens, owners = _tokens(contents(batch))
        encoded = pc.dictionary_encode(tokens)
        return cls(
            ids=encoded.indices.to_numpy(zero_copy_only=False),
            owners=owners,
            vocabulary=_fold_vocabulary(encoded.dictionary),
            articles=len(batch),
        )

    def find(self, patterns: list[str]) -> _Found:
        """Return the words that match any of `patterns`, and which vocabulary words each pattern matches."""
        if not patterns:
            return _Found(*(np.zeros(0, np.int64),) * 3, {}, self.articles)
        # One pass with all patterns picks the few candidate words; each pattern then runs on those alone.
        candidates = np.flatnonzero(_vocabulary_matches(self.vocabulary, "|".join(f"(?:{p})" for p in patterns)))
        shortlist = self.vocabulary.take(candidates)
        matches = {}
        for pattern in patterns:
            matches[pattern] = np.zeros(len(self.vocabulary), dtype=bool)
            matches[pattern][candidates[_vocabulary_matches(shortlist, pattern)]] = True
        positions = np.flatnonzero(np.logical_or.reduce(list(matches.values()))[self.ids])  # the one pass over all
        return _Found(positions, self.ids[positions], self.owners[positions], matches, self.articles)


@dataclass(frozen=True)
class _Found:
    """Words of a batch that match some pattern: position in the batch, vocabulary id, article; the rest is sparse."""

    positions: np.ndarray
    ids: np.ndarray
    owners: np.ndarray
    matches: dict[str, np.ndarray]  # per pattern, bool per vocabulary word
    articles: int

    def count(self, variants: list[Variant]) -> np.ndarray:
        """Return, per article, the mentions of any of `variants`; a word inside a longer match counts once."""
        mine = np.logical_or.reduce([self.matches[w] for v in variants for w in v.words])[self.ids]
        group = _Found(self.positions[mine], self.ids[mine], self.owners[mine], self.matches, self.articles)
        if all(len(v.words) == 1 for v in variants):  # each matching word is one mention
            return np.bincount(group.owners, minlength=self.articles)
        return group._count_phrases(variants)

    def _count_phrases(self, variants: list[Variant]) -> np.ndarray:
        following: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        starts = np.zeros(len(self.positions), dtype=bool)
        covered = np.zeros(len(self.positions), dtype=bool)
        for variant in sorted(variants, key=lambda v: -len(v.words)):  # phrases first: they cover their words
            at = self.matches[variant.words[0]][self.ids] & ~covered
            for offset, word in enumerate(variant.words[1:], start=1):
                if offset not in following:
                    following[offset] = self._following(offset)
                nxt, present = following[offset]
                at &= present & self.matches[word][self.ids[nxt]] & ~covered[nxt]
            starts |= at
            covered |= at
            for offset in range(1, len(variant.words)):
                covered[following[offset][0][at]] = True
        return np.bincount(self.owners[starts], minlength=self.articles)

    def _following(self, offset: int) -> tuple[np.ndarray, np.ndarray]:
        """Return, for each word, the index of the word `offset` places later, and whether there is one (in the same
        article and among these words)."""
        target = self.positions + offset
        index = np.minimum(np.searchsorted(self.positions, target), max(len(self.positions) - 1, 0))
        present = (self.positions[index] == target) & (self.owners[index] == self.owners)
        return index, present


def contents(batch: pd.DataFrame) -> pa.LargeStringArray:
    """Return each article's title and text, a line apart: what terms and topics read."""
    return pc.binary_join_element_wise(textops.as_arrow(batch["title"]), textops.as_arrow(batch["text"]),
                                       pa.scalar("\n", pa.large_string()))


def _tokens(texts: pa.LargeStringArray, *, split_compounds: bool = False) -> tuple[pa.LargeStringArray, np.ndarray]:
    """Return the words of `texts` and, for each, the index of its text.

    Ten times faster than `pc.utf8_split_whitespace`: word starts are found with numpy on the UTF-8 bytes, and the
    words are views of the texts' own buffer, so nothing is copied. A word keeps the white space after it, which
    folding strips. Bytes up to 0x20 separate words; cleaned text has no other white space, and a no-break space
    left inside a word still separates the parts of a compound. With `split_compounds`, hyphens, slashes and
    apostrophes (straight or typographic) separate words too: `Saint-Pétersbourg` is two words, `l’Afrique` is
    `l` and `Afrique`.
    """
    _, offsets_buffer, data = texts.buffers()
    offsets = np.frombuffer(offsets_buffer, np.int64)[texts.offset : texts.offset + len(texts) + 1]
    first, last = int(offsets[0]), int(offsets[-1])
    content = np.frombuffer(data, np.uint8, count=last - first, offset=first) if data else np.zeros(0, np.uint8)
    separator = content <= 0x20
    if split_compounds:
        separator |= (content == ord("-")) | (content == ord("/")) | (content == ord("'"))
        typographic = np.flatnonzero((content[:-2] == 0xE2) & (content[1:-1] == 0x80) & (content[2:] == 0x99))
        for byte in range(3):  # U+2019 is E2 80 99 in UTF-8
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


def _vocabulary_matches(vocabulary: pa.Array, pattern: str) -> np.ndarray:
    # The word itself, or a part of a compound (`russo-malien`, `Mali/Niger`).
    compound = f"(?:^|[^\\p{{L}}\\p{{N}}])(?:{pattern})(?:[^\\p{{L}}\\p{{N}}]|$)"
    return pc.fill_null(pc.match_substring_regex(vocabulary, compound), False).to_numpy(zero_copy_only=False)


def _fold_vocabulary(words: pa.Array) -> pa.Array:
    words = pc.utf8_normalize(words.cast(pa.large_string()), "NFKD")
    words = pc.replace_substring_regex(words, r"\p{Mn}", "")
    words = pc.utf8_lower(words)
    words = pc.replace_substring_regex(words, textops.APOSTROPHES, "'")
    words = pc.replace_substring_regex(words, _EDGE_PUNCTUATION, "")
    return pc.replace_substring_regex(words, _ELISION, "")


def kwic(articles: pd.DataFrame, term_groups: Mapping[str, Iterable[str]], *, group: str | None = None,
         width: int = 60, limit: int = 500) -> pd.DataFrame:
    """Return each mention of `group` (default: the first group) in its context, by date.

    Columns: `date` (YYYY-MM-DD), `published`, `source`, `left`, `keyword`, `right`, `article_id`, `title`; at
    most `limit` rows
    (the earliest), with `width` characters of context on each side, line breaks shown as spaces. No groups, no rows.
    """
    found = groups(term_groups)
    group = group or next(iter(found), None)
    if group is None:
        return _kwic_frame([])
    if group not in found:
        raise ParameterError(f"KWIC group {group!r} is not one of the term groups ({', '.join(found) or 'none'}).")
    pattern = _python_pattern([parse_variant(v) for v in found[group]])
    hits = mentions(articles, {group: found[group]})
    matched = articles[articles["article_id"].isin(hits["article_id"])].sort_values(["published", "article_id"])
    rows = []
    for article in matched.itertuples(index=False):
        content = f"{article.title}\n{article.text}" if isinstance(article.title, str) else article.text
        for match in pattern.finditer(content.translate(_FOLD)):
            start, end = match.span()
            rows.append({"date": f"{article.published:%Y-%m-%d}", "published": article.published,
                         "source": article.source,
                         "left": _one_line(content[max(0, start - width) : start]),
                         "keyword": content[start:end], "right": _one_line(content[end : end + width]),
                         "article_id": article.article_id, "title": article.title})
            if len(rows) >= limit:
                return _kwic_frame(rows)
    return _kwic_frame(rows)


def _python_pattern(variants: list[Variant]) -> re.Pattern:
    # The same words as the counting patterns, for Python's regex engine and a text folded character by character.
    alternatives = []
    for variant in sorted(variants, key=lambda v: -len(v.words)):
        words = [w.replace(_PART, r"[^\W_]") for w in variant.words]
        alternatives.append(r"\s+".join(words))
    try:
        return re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + r")(?![^\W_])")
    except re.error as exc:
        raise ParameterError(
            f"a term variant cannot be shown in context ({exc}); simplify its regular expression."
        ) from exc


def _kwic_frame(rows: list[dict]) -> pd.DataFrame:
    columns = ["date", "published", "source", "left", "keyword", "right", "article_id", "title"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"published": "datetime64[us, UTC]", **{c: "string" for c in columns if c != "published"}})


def _one_line(value: str) -> str:
    return re.sub(r"\s+", " ", value)


class _FoldTable(dict):
    """str.translate table folding one character to one character: lower case, no accent, straight apostrophe.

    Keeping the length lets a match in the folded text be cut out of the original text at the same place.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)).lower()
        folded = base if len(base) == 1 else (char.lower() if len(char.lower()) == 1 else char)
        folded = "'" if folded in "\u2019\u2018\u02bc\u2032\u00b4`" else folded
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def word_counts(articles: pd.DataFrame) -> pd.Series:
    """Return how often each folded word occurs in the articles' titles and texts (index: word)."""
    totals = []
    for start in range(0, len(articles), BATCH_ARTICLES):
        words = _Words.of(articles.iloc[start : start + BATCH_ARTICLES])
        counts = np.bincount(words.ids, minlength=len(words.vocabulary))
        totals.append(pd.Series(counts, index=words.vocabulary.to_pandas()).groupby(level=0).sum())
    if not totals:
        return pd.Series([], dtype="int64")
    counts = pd.concat(totals).groupby(level=0).sum()
    return counts[counts.index != ""]  # punctuation alone, and the white space opening a text, fold to nothing


def keyness(articles: pd.DataFrame, *, target: pd.Series, top: int = 25, min_count: int = 5,
            stop_words: frozenset[str] | None = None) -> pd.DataFrame:
    """Return the words most over-represented in the `target` articles against the others.

    The statistic is Dunning's log-likelihood (G², one degree of freedom) with the log ratio (base 2) as the
    effect size; stop words, one-letter words and numbers are left out. Columns: `term`, `target_count`,
    `reference_count`, `target_per_10k`, `reference_per_10k`, `log_likelihood`, `log_ratio`, `p_value`.
    """
    from newsframe import stopwords

    stop = stopwords.words() if stop_words is None else stop_words
    target = target.reindex(articles.index).fillna(False).astype(bool)
    counts = pd.DataFrame({"a": word_counts(articles[target]), "b": word_counts(articles[~target])}).fillna(0)
    c, d = counts["a"].sum(), counts["b"].sum()
    words = counts.index.to_series()
    keep = (~words.isin(stop) & words.str.contains(r"[^\W\d_]", regex=True) & (words.str.len() > 1)
            & (counts["a"] >= min_count))
    counts = counts[keep]
    if counts.empty or c == 0 or d == 0:
        return _keyness_frame(counts.iloc[0:0], c, d)
    expected_a, expected_b = c * (counts["a"] + counts["b"]) / (c + d), d * (counts["a"] + counts["b"]) / (c + d)
    g2 = 2 * (_xlogy(counts["a"], expected_a) + _xlogy(counts["b"], expected_b))
    over = counts["a"] / c > counts["b"] / d
    return _keyness_frame(counts[over].assign(g2=g2[over]).nlargest(top, "g2"), c, d)


def _xlogy(observed: pd.Series, expected: pd.Series) -> pd.Series:
    return (observed * np.log(observed.where(observed > 0, 1) / expected)).where(observed > 0, 0.0)


def _keyness_frame(counts: pd.DataFrame, c: float, d: float) -> pd.DataFrame:
    g2 = counts.get("g2", pd.Series(dtype="float64"))
    return pd.DataFrame({
        "term": counts.index.astype("string"),
        "target_count": counts["a"].astype("int64").to_numpy(),
        "reference_count": counts["b"].astype("int64").to_numpy(),
        "target_per_10k": (counts["a"] / max(c, 1) * 10_000).to_numpy(),
        "reference_per_10k": (counts["b"] / max(d, 1) * 10_000).to_numpy(),
        "log_likelihood": g2.to_numpy(),
        "log_ratio": np.log2(((counts["a"] + 0.5) / max(c, 1)) / ((counts["b"] + 0.5) / max(d, 1))).to_numpy(),
        "p_value": [math.erfc(math.sqrt(max(v, 0) / 2)) for v in g2],
    })
