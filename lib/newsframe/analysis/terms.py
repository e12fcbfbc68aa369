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

import functools
import os
import re
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsframe import paths, words
from newsframe.analysis import timeline
from newsframe.errors import ParameterError

__all__ = ["KWIC_LINES_PER_ARTICLE", "Variant", "first_mentions", "groups", "kwic", "kwic_candidates", "kwic_choice",
           "kwic_group", "kwic_lines", "mentioning", "mentions", "parse_variant"]

WORKERS = min(2, os.cpu_count() or 1)  # batches at once; each holds its word arrays
# What a word is made of, for RE2 and for Python's `re`; anything else separates the parts of a compound.
_PART, _PY_PART = words.WORD_CHARACTER, words.PY_WORD_CHARACTER
# Between the words of a phrase shown in context: what `words.split` splits at.
_PY_GAP = f"[\\x00-\\x{words.SPACE:02x}]+"


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
        return _read_terms_file(paths.resolve(terms))
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


@functools.lru_cache(maxsize=4096)  # folding a word costs a few pyarrow calls; a partitioned corpus asks once a month
def parse_variant(variant: str) -> Variant:
    """Return a variant as patterns for whole words, raising ParameterError for an unusable one."""
    raw = variant.strip()
    if raw.startswith("re:"):
        pattern = raw[3:].strip()
        _check_regex(pattern, variant=variant)
        return Variant(raw, (f"(?:{pattern})",))
    patterns = []
    for word in raw.split():
        stem = words.fold_word(word.rstrip("*"))  # folded as the articles' words are: `*` is not punctuation here
        if word.endswith("*") and not stem:
            raise ParameterError(f"term variant {variant!r}: `*` must follow at least one letter.")
        if stem:  # an elided article alone (`l'`) folds to nothing, as it does in the text
            patterns.append(re.escape(stem) + (rf"{_PART}*" if word.endswith("*") else ""))
    if not patterns:
        raise ParameterError(f"term variant {variant!r} has no word in it.")
    return Variant(raw, tuple(patterns))


def _check_regex(pattern: str, *, variant: str) -> None:
    try:
        pc.match_substring_regex(pa.array(["x"]), pattern)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise ParameterError(f"term variant {variant!r} is not a regular expression newsframe can use: {exc}") from exc


def mentions(articles: pd.DataFrame, term_groups: Mapping[str, Iterable[str]]) -> pd.DataFrame:
    """Count each group's mentions in each article's title and text.

    Returns a long frame, one row per article and group mentioned: `article_id`, `group`, `mentions` (how many
    times; overlapping variants of one group count once). Articles without a mention have no row.
    """
    parsed = {name: [parse_variant(v) for v in variants] for name, variants in groups(term_groups).items()}
    starts = range(0, len(articles) if parsed else 0, words.BATCH_ARTICLES)
    # numpy and Arrow release the GIL for their work on whole batches, so batches run on all cores.
    size = words.BATCH_ARTICLES
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        frames = list(pool.map(lambda start: _batch_mentions(articles.iloc[start : start + size], parsed), starts))
    found = [f for f in frames if len(f)]
    if not found:
        return pd.DataFrame({"article_id": pd.Series([], dtype="string"), "group": pd.Series([], dtype="string"),
                             "mentions": pd.Series([], dtype="int64")})
    return pd.concat(found, ignore_index=True)


def _batch_mentions(batch: pd.DataFrame, parsed: dict[str, list[Variant]]) -> pd.DataFrame:
    batch_words = _BatchWords.of(batch)
    patterns = sorted({word for variants in parsed.values() for v in variants for word in v.words})
    found = batch_words.find(patterns)
    rows = []
    for name, variants in parsed.items():
        per_article = found.count(variants)
        hit = np.flatnonzero(per_article)
        rows.append(pd.DataFrame({"article_id": batch["article_id"].to_numpy()[hit], "group": name,
                                  "mentions": per_article[hit]}))
    frame = pd.concat(rows, ignore_index=True)
    return frame.astype({"article_id": "string", "group": "string", "mentions": "int64"})


@dataclass(frozen=True)
class _BatchWords:
    """The words of a batch of articles: each word's id in the batch vocabulary, and the article it is in."""

    ids: np.ndarray  # per word, index into `vocabulary`
    owners: np.ndarray  # per word, row of the article in the batch
    vocabulary: pa.Array  # distinct words, folded (lower case, no accents, no elision or edge punctuation)
    articles: int

    @classmethod
    def of(cls, batch: pd.DataFrame) -> _BatchWords:
        ids, owners, vocabulary = words.encode(batch)
        return cls(ids=ids, owners=owners, vocabulary=vocabulary, articles=len(batch))

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


def _vocabulary_matches(vocabulary: pa.Array, pattern: str) -> np.ndarray:
    # The word itself, or a part of a compound (`russo-malien`, `Mali/Niger`).
    compound = f"(?:^|{words.NON_WORD_CHARACTER})(?:{pattern})(?:{words.NON_WORD_CHARACTER}|$)"
    return pc.fill_null(pc.match_substring_regex(vocabulary, compound), False).to_numpy(zero_copy_only=False)


def kwic(articles: pd.DataFrame, term_groups: Mapping[str, Iterable[str]], *, group: str | None = None,
         width: int = 60, limit: int = 500, freq: str = "M") -> pd.DataFrame:
    """Return mentions of `group` (default: the first group) in their context, spread over the whole range.

    When there are more than `limit` mentions, the lines are shared out evenly among the periods (`freq`) that have
    mentions, each period giving its earliest articles (at most `KWIC_LINES_PER_ARTICLE` lines each) and passing on
    what it cannot use, so that a late summit is not cut off by early coverage. Columns: `date` (YYYY-MM-DD),
    `published`, `source`, `left`, `keyword`, `right`, `article_id`, `title`, by date; `width` characters of
    context on each side, line breaks shown as spaces. No groups, no rows.

    It runs in three steps that parts of a corpus (a partitioned corpus's months) can share: `kwic_candidates` of
    each part, `kwic_choice` of all the candidates, `kwic_lines` of each part.
    """
    found = groups(term_groups)
    group = kwic_group(found, group)
    if group is None:
        return _kwic_frame([])
    candidates = kwic_candidates(articles, found, group=group, limit=limit, freq=freq)
    chosen = kwic_choice(candidates, limit=limit, freq=freq)
    return kwic_lines(articles, found, chosen, group=group, width=width)


def kwic_group(found: dict[str, list[str]], group: str | None) -> str | None:
    """Return the group `kwic` shows from the term groups `found` (`groups`): `group`, or the first; None for none."""
    group = group or next(iter(found), None)
    if group is not None and group not in found:
        raise ParameterError(f"KWIC group {group!r} is not one of the term groups ({', '.join(found) or 'none'}).")
    return group


def kwic_candidates(articles: pd.DataFrame, term_groups: Mapping[str, Iterable[str]], *, group: str | None = None,
                    limit: int = 500, freq: str = "M") -> pd.DataFrame:
    """Return the articles `kwic` may take lines from: those that mention `group`, the earliest `limit` of each
    period (it never takes more from one period), by date: `article_id`, `published`, `mentions` (of the group).
    The candidates of the parts of a corpus (its months), put together, are the corpus's."""
    found = groups(term_groups)
    group = kwic_group(found, group)
    hits = mentions(articles, {group: found[group]} if group else {})  # no groups: no mentions
    matched = articles[articles["article_id"].isin(hits["article_id"])].sort_values(["published", "article_id"])
    counts = hits.set_index("article_id")["mentions"].reindex(matched["article_id"]).to_numpy()
    rank = matched.groupby(timeline.periods(matched["published"], freq=freq).to_numpy()).cumcount().to_numpy()
    candidates = pd.DataFrame({"article_id": matched["article_id"], "published": matched["published"],
                               "mentions": counts})[rank < limit]
    return candidates.astype({"article_id": "string", "mentions": "int64"}).reset_index(drop=True)


def kwic_choice(candidates: pd.DataFrame, *, limit: int = 500, freq: str = "M") -> pd.DataFrame:
    """Return the articles `kwic` shows among the `candidates` (`kwic_candidates`) and how many lines of each, by
    `kwic`'s rule of spreading `limit` lines over the periods: `article_id`, `published`, `lines`, by date."""
    matched = candidates.sort_values(["published", "article_id"], ignore_index=True)
    positions, lines = _spread(timeline.periods(matched["published"], freq=freq).to_numpy(),
                               matched["mentions"].to_numpy(), limit)
    return matched.iloc[positions][["article_id", "published"]].assign(lines=lines).reset_index(drop=True)


def kwic_lines(articles: pd.DataFrame, term_groups: Mapping[str, Iterable[str]], chosen: pd.DataFrame, *,
               group: str | None = None, width: int = 60) -> pd.DataFrame:
    """Return `kwic`'s lines of the `chosen` articles (`kwic_choice`) that are among `articles`, by date: each
    article's first `lines` mentions in context."""
    found = groups(term_groups)
    group = kwic_group(found, group)
    if group is None:
        return _kwic_frame([])
    pattern = _python_pattern([parse_variant(v) for v in found[group]])
    take = dict(zip(chosen["article_id"], chosen["lines"].tolist(), strict=True))
    shown = articles[articles["article_id"].isin(list(take))].sort_values(["published", "article_id"])
    rows = [row for article in shown.itertuples(index=False)
            for row in _in_context(article, pattern, width)[: take[article.article_id]]]
    return _kwic_frame(rows)


KWIC_LINES_PER_ARTICLE = 3  # when lines must be chosen: more articles, rather than every mention of a long one


def _spread(period: np.ndarray, counts: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Return which articles (positions, in date order) to show, and how many of each one's mentions, so that at
    most `limit` lines are spread evenly over the periods: each round gives every period with mentions left (or,
    when there are more such periods than lines to give, periods evenly spaced over the range) its share, earliest
    articles first, each giving at most `KWIC_LINES_PER_ARTICLE` lines."""
    if counts.sum() <= limit:
        return np.arange(len(counts)), counts.astype(np.int64)
    queues = [list(np.flatnonzero(period == p)) for p in pd.unique(period)]
    taken, budget = {}, limit
    while budget > 0 and any(queues):
        queues = [queue for queue in queues if queue]
        if budget < len(queues):
            queues = [queues[i] for i in np.unique(np.round(np.linspace(0, len(queues) - 1, budget)).astype(int))]
        share = max(1, budget // len(queues))
        for queue in queues:
            allowance = min(share, budget)
            while allowance > 0 and queue:
                position = queue.pop(0)
                take = int(min(counts[position], allowance, KWIC_LINES_PER_ARTICLE))
                taken[position] = take
                allowance -= take
                budget -= take
    positions = np.array(sorted(taken), dtype=np.int64)
    return positions, np.array([taken[p] for p in positions], dtype=np.int64)


def _in_context(article, pattern: re.Pattern, width: int) -> list[dict]:
    content = _content(article)
    rows = []
    for match in pattern.finditer(content.translate(words.FOLD_CHARACTERS)):
        rows.append({"date": f"{article.published:%Y-%m-%d}", "published": article.published,
                     "source": article.source, **_around(content, match.span(), width),
                     "article_id": article.article_id, "title": article.title})
    return rows


def first_mentions(articles: pd.DataFrame, found: pd.DataFrame, term_groups: Mapping[str, Iterable[str]], *,
                   width: int = 60) -> pd.DataFrame:
    """Return the first mention in context of each group an article mentions (the pairs of `found`, from
    `mentions`), as `kwic` shows it: `article_id`, `group`, `left`, `keyword`, `right`. The text's first mention
    comes before the title's (a title is usually shown beside it). Meant for the few thousand articles a report
    lists; an article counted whose mention the context pattern does not find has no row."""
    patterns = {name: _python_pattern([parse_variant(v) for v in variants])
                for name, variants in groups(term_groups).items()}
    wanted = found[found["group"].isin(patterns)].groupby("article_id", sort=False)["group"].agg(list)
    rows = []
    for article in articles[articles["article_id"].isin(wanted.index)].itertuples(index=False):
        content = _content(article)
        folded = content.translate(words.FOLD_CHARACTERS)
        body = len(article.title) + 1 if isinstance(article.title, str) else 0
        for name in wanted[article.article_id]:
            match = patterns[name].search(folded, body) or patterns[name].search(folded)
            if match:
                rows.append({"article_id": article.article_id, "group": name, **_around(content, match.span(), width)})
    columns = ["article_id", "group", "left", "keyword", "right"]
    return pd.DataFrame(rows, columns=columns).astype("string")


def _content(article) -> str:
    return f"{article.title}\n{article.text}" if isinstance(article.title, str) else article.text


def _around(content: str, span: tuple[int, int], width: int) -> dict:
    start, end = span
    return {"left": _one_line(content[max(0, start - width) : start]), "keyword": content[start:end],
            "right": _one_line(content[end : end + width])}


def mentioning(articles: pd.DataFrame, found: pd.DataFrame, *, group: str | None = None) -> pd.DataFrame:
    """Return the articles that mention `group` (default: the first group of `found`, from `mentions`), every one:
    `article_id`, `published`, `source`, `mentions`, by date."""
    group = group or (found["group"].iloc[0] if len(found) else None)
    hits = found[found["group"] == group][["article_id", "mentions"]]
    joined = hits.merge(articles[["article_id", "published", "source"]], on="article_id")
    return joined[["article_id", "published", "source", "mentions"]].sort_values("published").reset_index(drop=True)


def _python_pattern(variants: list[Variant]) -> re.Pattern:
    # The same words as the counting patterns, for Python's regex engine and a text folded character by character.
    alternatives = []
    for variant in sorted(variants, key=lambda v: -len(v.words)):
        parts = [w.replace(_PART, _PY_PART) for w in variant.words]
        alternatives.append(_PY_GAP.join(parts))
    try:
        return re.compile(f"(?<!{_PY_PART})(?:" + "|".join(alternatives) + f")(?!{_PY_PART})")
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
