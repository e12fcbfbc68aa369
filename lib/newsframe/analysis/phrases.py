"""Phrases: the names of several words a corpus uses (États-Unis, Jean-Luc Mélenchon, Donald Trump, Côte d'Ivoire),
found from its own text, so that analyses count each as one term.

    found = phrases.find(articles)                                 # phrase, key, words, count, cohesion
    tokens, owners = phrases.join(*words.split(texts, compounds=True), found)   # names made one word each

The rule. Words are the parts `words.split(..., compounds=True)` cuts (at white space, hyphens, slashes and
apostrophes). A run is 2 to `max_words` words, each capitalised (`Donald`, `ÉTATS`; not an initial such as `W.`)
or, inside the run, a particle of names (`PARTICLES`: `de`, `d'`, `al`, `von`, `of`…), each tied to the next by a
space or a hyphen (a particle also by an apostrophe: `Côte d'Ivoire`), never by punctuation or a line break. A run
is a name when:

- it occurs at least `min_count` times (`MIN_COUNT`, 5) outside longer names (`join` merges those first);
- its words belong together: its `cohesion`, the share of the capitalised occurrences of its rarer part that are
  in the run, is at least `min_cohesion` (`MIN_COHESION`, 0.5). A run of three words is cut in two both ways (its
  first word | the rest, the first two | the last) and must pass both: `Jean-Luc Mélenchon` passes, while
  `President Donald Trump` does not, as `Donald Trump` mostly goes without `President`;
- it does not start with a title or an honorific (`TITLES`: `President Barack Obama` gives `Barack Obama`);
- it is no fragment: not nearly always (90 %) part of one longer run (`Luc Mélenchon`, `Ministry of Foreign`).

Capitals are evidence only inside a sentence of an article's text. A capital that opens a sentence, or follows a
colon, a quotation mark or a dash, is grammar's (`Le Président a dit`, `The Government`); headlines are left out, as
many outlets write them In Title Case (`Tie-Breaking Vote`), and so are words in capitals throughout (`SCAN SPORT`).
Counts take every occurrence, as `join` merges them all, and equal what it merges.

Thresholds, tuned on the French and English test corpora (Feb 2025 RSS, 3,487 items; 2017 news, 3,788 articles).
Cohesion of names: White House 0.94, Emmanuel Macron 0.94, Trump Tower 0.90, North Korea 0.57, Mike Pence 0.53; of
pairs that are no name: US President 0.07, President Trump 0.12, La France 0.06, The White House 0.005. Between 0.5
and 0.6 come names whose words also belong to other names (North Korea, Mike Pence, John McCain, Wall Street, XV de
France, Serie A, Bayern Munich); below 0.5, pieces of a title and a name (`Syrian President Bashar`) and of longer
names (`Marie Le`) start to come in. The few capitalised offices that pass (`Prime Minister`, `Vice President`,
`Attorney General`) read well as one term. At least 5 occurrences: fewer are chance, and too rare to matter.

Left out: names whose later words are in lower case (`Union africaine`, `Assemblée nationale`, `Nations unies`):
capitals alone cannot tell them from `Trump a` or `Paris accueille`, and a list of such adjectives would be French
only and never complete; names tied by an apostrophe after a capital (`O'Brien`, `L'Oréal`); names of more than
`max_words` words (`Mathieu van der Poel`) and of one word; lower-case parts after a hyphen (`Kim Jong-un` gives
`Kim Jong`). Menus and other boilerplate repeated word for word (`Newsvine Permalink`) are names to this rule:
boilerplate removal should drop them first.

Names are compared folded (lower case, no accents), so `Etats-Unis`, `États-Unis` and `ETATS UNIS` are one name,
shown in its most frequent spelling (`phrase`), in capitals throughout only if it is never written otherwise. `key`
is that spelling folded as `words.fold` folds a word (`etats-unis`, `jean-luc melenchon`, `cote d'ivoire`): the term
the analyses count once `join` has made the name one word.

Speed: the articles are read in batches of `words.BATCH_ARTICLES`, split once each. Capitals, punctuation and line
breaks are read with numpy from the words' UTF-8 bytes; only the words that may be in a name (about one in five)
go through pyarrow's exact tests, once per distinct word; runs are counted with numpy on word ids, and their totals
added up with pyarrow and numpy.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsframe import words

__all__ = ["MAX_WORDS", "MIN_COHESION", "MIN_COUNT", "PARTICLES", "TITLES", "find", "join", "tallies"]

MIN_COUNT = 5  # fewer occurrences are chance, and too few to matter as a term
# Half the capitalised uses of the rarer word at least: `Korea` in `North Korea`, not `Trump` in `President Trump`.
MIN_COHESION = 0.5
MAX_WORDS = 3  # Jean-Luc Mélenchon, Affordable Care Act; runs of four are mostly a title and a name
# Folded lower-case words inside names (Charles de Gaulle, Côte d'Ivoire, Île-de-France, Bachar al-Assad, Ursula von
# der Leyen, Bank of England), never at their edges. `la`, `le` and `l` are left out: `la France` is no name.
PARTICLES = frozenset({"al", "bin", "d", "da", "de", "del", "der", "des", "di", "du", "el", "of", "van", "von"})
# Titles and honorifics, folded: capitalised before a name but no part of it (President Barack Obama, Chancellor
# Angela Merkel, Ms Shortall, le Président Macron); a name does not start with one. Roles that also open names of
# institutions (General Motors, Justice Department, Premier League) are left out.
TITLES = frozenset("""
mr mrs ms miss dr prof sir dame rev sgt lt col gen capt adm cpl pres sen rep gov president chancellor minister
secretary senator congressman congresswoman governor mayor judge king queen prince princess pope sheikh emir ayatollah
leader speaker spokesman spokeswoman chairman chairwoman taoiseach tanaiste
m mme mlle mgr me monsieur madame presidente ministre chancelier chanceliere secretaire senateur senatrice depute
deputee maire juge roi reine princesse pape cheikh
""".split())
_FRAGMENT = 0.9  # a run nearly always within one longer run (`Luc Mélenchon`, `Ministry of Foreign`) is a piece of it
_FIELDS = {"phrase": "string", "key": "string", "words": "int64", "count": "int64", "cohesion": "float64"}
_PAD = 4  # zero bytes around a batch's text, so that reading a few bytes before or after any word is safe
_CAPITAL = rf"^{words.NON_WORD_CHARACTER}*\p{{Lu}}"  # punctuation in front aside
_INITIAL = rf"{_CAPITAL}\.{words.NON_WORD_CHARACTER}*$"  # George W. Bush: `W.` is no word of a name
_SPACE, _NOTHING = pa.scalar(" ", pa.large_string()), pa.scalar("", pa.large_string())
_PARTICLES = pa.array(sorted(PARTICLES), pa.large_string())
_TITLES = pa.array(sorted(TITLES), pa.large_string())
_NONE, _SPACE_TIE, _HYPHEN_TIE, _APOSTROPHE_TIE = 0, 1, 2, 3  # what ties a word to the next
_GLUE = pa.array(["", " ", "-", "'"], pa.large_string())  # the same ties, as written in a name
_RUNS = pa.schema({"key": pa.large_string(), "spelling": pa.large_string(), "words": pa.int64(),
                   "edges": pa.bool_(), "count": pa.int64(), "inside": pa.int64(), "opening": pa.int64()})


def _byte_table(values: bytes) -> np.ndarray:
    """Return a table of the 256 bytes, true for `values`."""
    table = np.zeros(256, bool)
    table[np.frombuffer(values, np.uint8)] = True
    return table


_ALNUM = _byte_table(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_SEPARATOR = words.SEPARATOR_BYTES  # of `words.split(..., compounds=True)`, but for the typographic apostrophe:
_TYPOGRAPHIC = words.TYPOGRAPHIC_APOSTROPHE  # three bytes, tested apart


def _starts_table(prefixes: list[str]) -> np.ndarray:
    """Return a table of the 65,536 pairs of bytes (first << 8 | second), true for the first two bytes of a word
    that starts with one of `prefixes` (a one-letter prefix: then a separator)."""
    table = np.zeros(1 << 16, bool)
    for prefix in prefixes:
        head, *rest = prefix.encode()
        seconds = rest or [*np.flatnonzero(_SEPARATOR), _TYPOGRAPHIC[0]]  # the latter as in d’Ivoire
        table[[head << 8 | second for second in seconds]] = True
    return table


# The first two bytes of the particles, so that the words that may be one are found without reading them all.
_PARTICLE_STARTS = _starts_table(sorted({particle[:2] for particle in PARTICLES}))
# After these a word may be capitalised for grammar's sake: sentence ends, colons, brackets, quotation marks, dashes.
_CLOSING_ASCII = _byte_table(b'.!?:;"()[]|*')
_CLOSING_LATIN1 = _byte_table(b"\xab\xbb")  # « », as the last byte of C2 AB, C2 BB
_CLOSING_GENERAL = _byte_table(b"\x93\x94\xa2\xa6\x9c\x9d")  # – — • … “ ”, as the last byte of E2 80 xx


def find(articles: pd.DataFrame, *, min_count: int = MIN_COUNT, min_cohesion: float = MIN_COHESION,
         max_words: int = MAX_WORDS) -> pd.DataFrame:
    """Return the names of several words the articles use (titles and texts), most frequent first.

    Columns: `phrase` (the usual spelling: "États-Unis", "Jean-Luc Mélenchon"), `key` (the phrase folded as
    `words.fold` folds a word: "etats-unis", "jean-luc melenchon"), `words` (how many words), `count` (occurrences
    that `join` merges into the name: outside longer names), `cohesion` (the share of the capitalised occurrences,
    inside sentences, of its rarer part that are in the name). The rule is in the module's docstring.
    """
    runs = _counted(articles, longest=max_words + 1, min_count=int(np.floor(_FRAGMENT * min_count)))
    named = pc.and_(pc.and_(pc.greater_equal(runs["count"], min_count), runs["edges"]),
                    pc.and_(pc.greater(runs["words"], 1), pc.less_equal(runs["words"], max_words)))
    candidates = runs.filter(named)
    candidates = candidates.filter(pc.invert(_led_by_title(candidates["key"])))
    candidates = candidates.append_column("cohesion", pa.array(_cohesion(candidates, runs)))
    candidates = candidates.filter(pc.greater_equal(candidates["cohesion"], min_cohesion))
    candidates = candidates.filter(pa.array(~_fragments(candidates, runs, min_count=min_count)))
    names = _merged_counts(candidates.to_pandas(), runs, min_count=min_count)
    names = names.assign(phrase=names["spelling"], key=words.fold(pa.array(names["spelling"], pa.large_string()))
                         .to_numpy(zero_copy_only=False))
    names = names.sort_values(["count", "phrase"], ascending=[False, True], kind="stable")
    return names.drop_duplicates("key")[list(_FIELDS)].astype(_FIELDS).reset_index(drop=True)


def join(tokens: pa.Array, owners: np.ndarray, found: pd.DataFrame, *,
         compounds: bool = True) -> tuple[pa.LargeStringArray, np.ndarray]:
    """Return the words with each occurrence of a found name merged into one word, its usual spelling (`phrase`),
    and the owner of each word.

    `tokens` and `owners` are what `words.split(texts, compounds=True)` returns, `found` what `find` returns.
    Occurrences are matched as `find` counts them (folded words, capitalised or particles, tied by spaces or
    hyphens), the longest names first, then from left to right. The other words are left as they are; with
    `compounds=False` they are put back together as `words.split(texts)` cuts them, at white space only (`l'Élysée`
    stays one word, `d'Emmanuel Macron` becomes `d'` and `Emmanuel Macron`).
    """
    tokens = (tokens.combine_chunks() if isinstance(tokens, pa.ChunkedArray) else tokens).cast(pa.large_string())
    names = _Names(found)
    if len(tokens) and names.longest > 1:
        at, size, phrase = _matches(tokens, owners, names)
    else:
        at = size = phrase = np.zeros(0, np.int64)
    return _rebuilt(tokens, owners, names.phrases, (at, size, phrase), compounds=compounds)


def tallies(articles: pd.DataFrame, found: pd.DataFrame) -> pd.DataFrame:
    """Return how often each word occurs in the articles' titles and texts, by spelling, as `words.tallies` does
    (columns `key`, `shown`, `count`), but with each found name one word: `key` as `find` gives it, `shown` its usual
    spelling (`États-Unis`), while other words are cut at white space only, as `words.tallies` cuts them."""
    frames = [pd.DataFrame({"key": pd.Series([], dtype=object), "shown": pd.Series([], dtype=object),
                            "count": pd.Series([], dtype="int64")})]
    named = pa.array(found["phrase"].astype(object).tolist() if len(found) else [], pa.large_string())
    for begin in range(0, len(articles), words.BATCH_ARTICLES):
        tokens, owners = words.split(words.contents(articles.iloc[begin : begin + words.BATCH_ARTICLES]),
                                     compounds=True)
        encoded = pc.dictionary_encode(join(tokens, owners, found, compounds=False)[0])
        shown = pc.if_else(pc.is_in(encoded.dictionary, named), encoded.dictionary,
                           words.fold(encoded.dictionary, keep_accents=True))
        count = np.bincount(encoded.indices.to_numpy(zero_copy_only=False), minlength=len(shown))
        frames.append(pd.DataFrame({"key": words.fold(shown).to_pandas(), "shown": shown.to_pandas(), "count": count}))
    totals = pd.concat(frames).groupby(["key", "shown"], sort=False, as_index=False)["count"].sum()
    return totals[totals["key"] != ""]  # punctuation alone folds to nothing


def _counted(articles: pd.DataFrame, *, longest: int, min_count: int) -> pa.Table:
    """Return the capitalised words and the runs of up to `longest` words of the articles: `key` (the folded words,
    a space apart), `spelling` (the most frequent, for keys of `min_count` occurrences or more), `words`, `edges`
    (whether that spelling starts and ends with a capital), `count`, and of the occurrences that are evidence (not
    in a headline, nor in capitals throughout), `inside` (inside a sentence) and `opening` (opening one)."""
    batches = [_RUNS.empty_table()]
    for begin in range(0, len(articles), words.BATCH_ARTICLES):
        tokens, owners = words.split(words.contents(articles.iloc[begin : begin + words.BATCH_ARTICLES]),
                                     compounds=True)
        if len(tokens):
            batches.append(_batch_counts(_Parts(tokens, owners, spread=longest - 2), longest=longest))
    return _totals(pa.concat_tables(batches), min_count=min_count)


def _totals(runs: pa.Table, *, min_count: int) -> pa.Table:
    """Return the batches' counts added up per key (columns as `_counted`'s). Keys are made ids once, then numpy adds
    up: a large corpus has millions of runs. The spelling is resolved only for keys of `min_count` occurrences or
    more (the others keep one of theirs): the most frequent not in capitals throughout, if the key has one."""
    if not runs.num_rows:
        return runs
    key = pc.dictionary_encode(runs["key"].combine_chunks())
    key_id = key.indices.to_numpy().astype(np.int64)
    totals = {name: np.bincount(key_id, runs[name].to_numpy(), minlength=len(key.dictionary)).astype(np.int64)
              for name in ("count", "inside", "opening")}
    row = np.zeros(len(key.dictionary), np.int64)
    row[key_id[::-1]] = np.arange(len(key_id))[::-1]  # the first row of each key
    frequent = np.flatnonzero(totals["count"][key_id] >= min_count)
    keys, best = _best_rows(runs["spelling"].take(pa.array(frequent)), key_id[frequent],
                            runs["count"].to_numpy()[frequent], frequent)
    row[keys] = best
    return pa.table([key.dictionary, runs["spelling"].take(pa.array(row)), runs["words"].take(pa.array(row)),
                     runs["edges"].take(pa.array(row)), *map(pa.array, totals.values())], schema=_RUNS)


def _best_rows(spellings: pa.ChunkedArray, key_id: np.ndarray, count: np.ndarray,
               rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the keys among `key_id` and, for each, a row of its most frequent spelling, not in capitals throughout
    if it has one (LE POINT is shown Le Point); ties go to the spelling seen first."""
    if not len(rows):
        return rows, rows
    spelling = pc.dictionary_encode(spellings.combine_chunks())
    width = max(len(spelling.dictionary), 1)
    pair, unique = pd.factorize(key_id * width + spelling.indices.to_numpy())
    pair_key, shouted = unique // width, _flag(pc.utf8_is_upper(spelling.dictionary))[unique % width]
    best = np.lexsort((-np.bincount(pair, count, minlength=len(unique)), shouted, pair_key))
    best = best[np.append(True, pair_key[best][1:] != pair_key[best][:-1])]
    first = np.zeros(len(unique), np.int64)
    first[pair[::-1]] = rows[::-1]  # a row of each (key, spelling)
    return pair_key[best], first[best]


def _batch_counts(parts: _Parts, *, longest: int) -> pa.Table:
    """Return the batch's capitalised words and its runs of up to `longest` words with a capital, counted by their
    distinct words (columns as `_counted`'s, for each spelling)."""
    reach = _reach(parts.linked)
    capitals = np.cumsum(np.append(0, parts.capital))
    shouted = np.cumsum(np.append(0, parts.shouted))
    found = []
    for size in range(1, longest + 1):
        start = np.flatnonzero(parts.capital if size == 1 else reach >= size)
        start = start[capitals[start + size] > capitals[start]]  # particles alone make no name
        evidence = ~parts.in_title[start] & (shouted[start + size] == shouted[start])
        found.append(_grouped(parts, start, size, evidence & ~parts.opening[start], evidence & parts.opening[start]))
    return pa.concat_tables(found)


def _grouped(parts: _Parts, start: np.ndarray, size: int, inside: np.ndarray, opening: np.ndarray) -> pa.Table:
    """Return the runs of `size` words from `start` counted by their distinct words (columns as `_counted`'s)."""
    code = np.zeros(len(start), np.int64)
    for step in range(size):  # a run's id from the ids of its words, one word at a time
        code = pd.factorize(code * len(parts.written) + parts.index[start + step])[0]
    first = np.zeros(code.max() + 1 if len(code) else 0, np.int64)
    first[code[::-1]] = start[::-1]  # where each distinct run first occurs
    at = [pa.array(parts.index[first + step]) for step in range(size)]
    pieces = [piece for a in at for piece in (parts.written.take(a), parts.glue.take(a))][:-1]
    return pa.table([
        pc.binary_join_element_wise(*[parts.keys.take(a) for a in at], _SPACE),
        pc.binary_join_element_wise(*pieces, _NOTHING),
        pa.array(np.full(len(first), size, np.int64)),
        pa.array(parts.capital[first] & parts.capital[first + size - 1]),
        pa.array(np.bincount(code, minlength=len(first))),
        pa.array(np.bincount(code, inside, minlength=len(first)).astype(np.int64)),
        pa.array(np.bincount(code, opening, minlength=len(first)).astype(np.int64)),
    ], schema=_RUNS)


def _led_by_title(keys: pa.ChunkedArray) -> pa.ChunkedArray:
    """Return whether each run starts with a title (`TITLES`)."""
    return pc.is_in(pc.replace_substring_regex(keys, " .*$", ""), _TITLES)


def _cuts(keys: pa.ChunkedArray) -> list[pa.Array]:
    """Return the two ways of cutting each run in two: its first word and the rest, all but its last word and the
    last (four arrays of keys)."""
    return [pc.replace_substring_regex(keys, pattern, "").combine_chunks()
            for pattern in (" .*$", "^[^ ]* ", " [^ ]*$", "^.* ")]


def _looked_up(keys: pa.Array, runs: pa.Table, column: str) -> np.ndarray:
    """Return `column` of the run (or capitalised word) of each key, 0 for keys not counted."""
    found = pc.index_in(keys, value_set=runs["key"].combine_chunks())
    return runs[column].combine_chunks().take(found).fill_null(0).to_numpy()


def _cohesion(candidates: pa.Table, runs: pa.Table) -> np.ndarray:
    """Return, per candidate, the share of the occurrences inside sentences of its rarer part that are in the
    candidate, for the lower of its two cuts (`_cuts`). Where the candidate opens a sentence its later words are
    still inside one: those occurrences are taken off theirs, so that a name often opening sentences is not
    made less cohesive than one that does not."""
    inside = _looked_up(pa.concat_arrays(_cuts(candidates["key"])), runs, "inside").reshape(4, -1)
    opening = candidates["opening"].to_numpy()
    rarer = np.maximum(np.minimum(inside[0], inside[1] - opening), np.minimum(inside[2], inside[3] - opening))
    within = candidates["inside"].to_numpy().astype(float)
    return np.divide(within, rarer, out=np.zeros(len(within)), where=(within > 0) & (rarer > 0))


def _fragments(candidates: pa.Table, runs: pa.Table, *, min_count: int) -> np.ndarray:
    """Return, per candidate, whether it is nearly always (`_FRAGMENT`) within one particular longer run: one word
    longer to the right, that word a capital, or to the left, that word a capital or a particle not elided (`of
    State Rex Tillerson`), and not led by a title (`Barack Obama` is no fragment of `President Barack Obama`, nor
    `Emmanuel Macron` of `d'Emmanuel Macron`). All occurrences count: the word before a fragment may well open the
    sentence (`China Daily European Weekly`)."""
    longer = runs.filter(pc.and_(pc.greater(runs["words"], 2), pc.greater_equal(runs["count"], _FRAGMENT * min_count)))
    longer = longer.filter(pc.invert(_led_by_title(longer["key"])))  # a fragment's longer run is that frequent
    _, rest, most, _ = _cuts(longer["key"])
    spelling = longer["spelling"]
    grows = (pc.match_substring_regex(spelling, r"(^|[ '-])\p{Lu}[^ '-]*$"),  # to the right
             pc.invert(pc.match_substring_regex(spelling, r"^\p{Ll}+'")))  # to the left
    keys, count = candidates["key"].combine_chunks(), candidates["count"].to_numpy()
    share = np.zeros(len(keys))
    for part, grown in zip((most, rest), grows, strict=True):
        at = pc.index_in(part, value_set=keys).fill_null(-1).to_numpy()
        known = np.flatnonzero((at >= 0) & _flag(grown))
        np.maximum.at(share, at[known], longer["count"].to_numpy()[known] / count[at[known]])
    return share >= _FRAGMENT


def _merged_counts(names: pd.DataFrame, runs: pa.Table, *, min_count: int) -> pd.DataFrame:
    """Return the names `join` merges, counted as it merges them: longest first, so without the occurrences within
    a longer name or overlapping one, and without the names left too rare."""
    names = names.sort_values("words", ascending=False, kind="stable")
    kept, taken, known = [names.iloc[:0]], pd.Series(dtype="int64"), set()
    for size, level in names.groupby("words", sort=False):
        lost = pd.concat([taken, _overlapped(runs, level["key"], size=size, names=known | set(level["key"]))])
        lost = lost.groupby(level=0).sum().reindex(level["key"]).fillna(0).to_numpy().astype(np.int64)
        level = level.assign(count=level["count"] - lost)
        level = level[level["count"] >= min_count]
        kept.append(level)
        known |= set(level["key"])
        taken = pd.concat([taken, _within(level)]).groupby(level=0).sum()
    return pd.concat(kept)


def _overlapped(runs: pa.Table, keys: pd.Series, *, size: int, names: set[str]) -> pd.Series:
    """Return how many occurrences of the names of `size` words (`keys`) `join` gives to an overlapping name it
    takes first, a longer one or one as long to the left (`Standing Rock Sioux` before `Sioux Tribe`), counted on
    the runs that join the two (index: key)."""
    longer = runs.filter(pc.greater(runs["words"], size))
    ends = [pc.replace_substring_regex(longer["key"], pattern, r"\1") for pattern in
            (rf"^((?:\S+ ){{{size - 1}}}\S+) .*$", rf"^.* ((?:\S+ ){{{size - 1}}}\S+)$")]
    value_set = pa.array(keys, pa.large_string())
    near = longer.filter(pc.or_(pc.is_in(ends[0], value_set), pc.is_in(ends[1], value_set)))
    lost: dict[str, int] = {}
    for key, count in zip(near["key"].to_pylist(), near["count"].to_pylist(), strict=True):
        parts = key.split(" ")
        last, first = " ".join(parts[-size:]), " ".join(parts[:size])
        if key in names:
            continue  # the names within a name: `_within`
        if any(" ".join(parts[:cut]) in names for cut in range(max(size, len(parts) - size + 1), len(parts))):
            lost[last] = lost.get(last, 0) + count
        if any(" ".join(parts[-cut:]) in names for cut in range(max(size + 1, len(parts) - size + 1), len(parts))):
            lost[first] = lost.get(first, 0) + count
    return pd.Series(lost, dtype="int64")


def _within(names: pd.DataFrame) -> pd.Series:
    """Return, per shorter run within `names`, how many of its occurrences the names take (index: the run's key)."""
    found: dict[str, int] = {}
    for key, count in zip(names["key"], names["count"], strict=True):
        parts = key.split(" ")
        for size in range(2, len(parts)):
            for begin in range(len(parts) - size + 1):
                shorter = " ".join(parts[begin : begin + size])
                found[shorter] = found.get(shorter, 0) + count
    return pd.Series(found, dtype="int64")


class _Names:
    """Found names as ids: `vocabulary` (their words, folded), and per length, the id of each beginning of a name
    (`levels`: index of previous id * vocabulary size + word id) and which name a full one is (`named`)."""

    def __init__(self, found: pd.DataFrame):
        self.phrases = pa.array(found["phrase"].astype(object).tolist() if len(found) else [], pa.large_string())
        tokens, owners = words.split(self.phrases, compounds=True)
        keys = words.fold(tokens).to_numpy(zero_copy_only=False)
        self.vocabulary = pd.Index(pd.unique(keys))
        ids = self.vocabulary.get_indexer(keys)
        sizes = np.bincount(owners, minlength=len(self.phrases))
        first = np.cumsum(sizes) - sizes
        self.longest = int(sizes.max()) if len(sizes) else 0
        self.levels: list[pd.Index] = []
        self.named: list[np.ndarray] = []
        code = np.zeros(len(sizes), np.int64)
        for size in range(1, self.longest + 1):
            has = np.flatnonzero(sizes >= size)
            combined = code[has] * len(self.vocabulary) + ids[first[has] + size - 1]
            self.levels.append(pd.Index(pd.unique(combined)))
            code[has] = self.levels[-1].get_indexer(combined)
            named = np.full(len(self.levels[-1]), -1, np.int64)
            named[code[sizes == size]] = np.flatnonzero(sizes == size)
            self.named.append(named)

    def match(self, ids: np.ndarray, start: np.ndarray, size: int) -> np.ndarray:
        """Return, per run of `size` words from `start`, the name it is (-1 if none)."""
        code = np.zeros(len(start), np.int64)
        for step in range(size):
            code = self.levels[step].get_indexer(code * len(self.vocabulary) + ids[start + step])
            code[code < 0] = -len(self.vocabulary) - 1  # stays unknown at the next step
        return np.where(code >= 0, self.named[size - 1][np.maximum(code, 0)], -1)


def _matches(tokens: pa.LargeStringArray, owners: np.ndarray,
             names: _Names) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return where each occurrence of a name starts among the words, its length in words, and the name."""
    parts = _Parts(tokens, owners, spread=names.longest - 2, vocabulary=names.vocabulary)
    reach = _reach(parts.linked)
    taken = np.zeros(len(parts.at), np.int64)
    found = []
    for size in range(names.longest, 1, -1):
        start = np.flatnonzero(reach >= size)
        phrase = names.match(parts.ids, start, size)
        before = np.append(0, np.cumsum(taken))  # words taken by longer names before each word
        free = (phrase >= 0) & (before[start + size] == before[start])
        start, phrase = _leftmost(start[free], phrase[free], size)
        taken[(start[:, None] + np.arange(size)).ravel()] = 1
        found.append((parts.at[start], np.full(len(start), size), phrase))
    return tuple(np.concatenate(column) for column in zip(*found, strict=True))


def _leftmost(start: np.ndarray, phrase: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the occurrences that do not overlap an earlier one, taken from left to right."""
    overlaps = np.flatnonzero(np.diff(start) < size)
    if not len(overlaps):
        return start, phrase
    keep = np.ones(len(start), bool)
    for later in overlaps + 1:  # only names that repeat their own words overlap: few, so a loop is cheap
        earlier = later - 1
        while earlier >= 0 and not keep[earlier]:
            earlier -= 1
        keep[later] = earlier < 0 or start[later] - start[earlier] >= size
    return start[keep], phrase[keep]


def _rebuilt(tokens: pa.LargeStringArray, owners: np.ndarray, phrases: pa.LargeStringArray,
             matches: tuple[np.ndarray, np.ndarray, np.ndarray], *, compounds: bool) -> tuple[pa.LargeStringArray,
                                                                                             np.ndarray]:
    """Return the words with each match (first word, length, name) made one word, the name's spelling, and their
    owners; without `compounds`, the other words put back together at their hyphens and apostrophes."""
    at, size, phrase = matches
    if compounds and not len(at):
        return tokens, owners
    begins = np.ones(len(tokens), bool)
    begins[np.repeat(at, size - 1) + _ranks(size - 1) + 1] = False  # the later words of each name
    if not compounds:
        content, starts = _content(tokens)
        after_name = np.zeros(len(tokens) + 1, bool)
        after_name[at + size] = True  # the word after a name (or after the last word: cut off below)
        begins &= _after_space(content, starts) | _first_of_text(owners, np.arange(len(owners))) | after_name[:-1]
        begins[at] = True
    begins = np.flatnonzero(begins)
    order = np.arange(len(begins))  # the names' spellings go after the other words, and are taken back in place
    order[np.searchsorted(begins, np.sort(at))] = len(begins) + np.arange(len(at))
    spelled = phrases.take(pa.array(phrase[np.argsort(at, kind="stable")]))
    return pa.concat_arrays([_views(tokens, begins), spelled]).take(pa.array(order)), owners[begins]


def _ranks(counts: np.ndarray) -> np.ndarray:
    """Return 0, 1, … count - 1 for each count, one after the other."""
    ends = np.cumsum(counts)
    return np.arange(ends[-1] if len(ends) else 0) - np.repeat(ends - counts, counts)


def _views(tokens: pa.LargeStringArray, begins: np.ndarray) -> pa.LargeStringArray:
    """Return the words that start at `begins` and run to the next one, as views of the same bytes."""
    _, offsets_buffer, data = tokens.buffers()
    offsets = np.frombuffer(offsets_buffer, np.int64)[tokens.offset : tokens.offset + len(tokens) + 1]
    bounds = np.append(offsets[begins], offsets[-1])
    return pa.LargeStringArray.from_buffers(len(begins), pa.py_buffer(bounds), data)


class _Parts:
    """The words of a batch that may be in a name (capitalised or particles), tested once per distinct word: `at`
    (their places among all the words), `index` into the `distinct` words and their `keys` (folded), and per word:
    `capital`, `particle`, `linked` (tied to the next word) and `opening` (may be capitalised for grammar's sake:
    it opens a sentence or follows a colon, a quotation mark…). Given the `vocabulary` of some names, only their
    words are kept, and `ids` says which each is. What only `find` needs is read when asked for."""

    def __init__(self, tokens: pa.LargeStringArray, owners: np.ndarray, *, spread: int,
                 vocabulary: pd.Index | None = None):
        self.content, self.starts, self.owners = *_content(tokens), owners
        maybe_capital, maybe_particle = _maybe(self.content, self.starts)
        at = np.flatnonzero(maybe_capital | (maybe_particle & _near(maybe_capital, spread)))
        encoded = pc.dictionary_encode(tokens.take(pa.array(at)))
        self.distinct, self.keys = encoded.dictionary, words.fold(encoded.dictionary)
        capital = (_flag(pc.match_substring_regex(self.distinct, _CAPITAL))
                   & ~_flag(pc.match_substring_regex(self.distinct, _INITIAL)))
        particle = ~capital & _flag(pc.is_in(self.keys, _PARTICLES))
        usable = capital | particle
        if vocabulary is not None:
            ids = vocabulary.get_indexer(self.keys.to_numpy(zero_copy_only=False))
            usable &= ids >= 0
        index = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        keep = np.flatnonzero(usable[index])
        if vocabulary is not None and len(keep):  # a name's word alone is no name: keep the words next to another
            near = np.diff(at[keep]) == 1
            keep = keep[np.append(near, False) | np.append(False, near)]
        self.at, self.index = at[keep], index[keep]
        self.capital, self.particle = capital[self.index], particle[self.index]
        self.ids = ids[self.index] if vocabulary is not None else None
        self._tie()

    def _tie(self) -> None:
        """Read what ties each word to the next, and whether it may be capitalised for grammar's sake."""
        tie, opening = _before(self.content, self.starts[self.at])
        first = _first_of_text(self.owners, self.at)
        tie[first] = _NONE
        self.opening = opening | first
        self.next_tie = np.append(np.where(np.diff(self.at) == 1, tie[1:], _NONE), _NONE)
        self.linked = (self.next_tie != _NONE) & ((self.next_tie != _APOSTROPHE_TIE) | self.particle)  # not L'Oréal

    @cached_property
    def written(self) -> pa.LargeStringArray:
        """Return each distinct word as written, without the punctuation around it."""
        return words.written(self.distinct)

    @cached_property
    def glue(self) -> pa.LargeStringArray:
        """Return what ties each distinct word to the next in a name, as written (a space, a hyphen…)."""
        glue = np.zeros(len(self.distinct), np.int64)
        tied = self.next_tie != _NONE
        glue[self.index[tied]] = self.next_tie[tied]  # a word's own separators say how it is tied
        return _GLUE.take(pa.array(glue))

    @cached_property
    def shouted(self) -> np.ndarray:
        """Return, per word, whether it is written in capitals throughout, with five letters or more."""
        written = self.written
        return _flag(pc.and_(pc.utf8_is_upper(written), pc.greater_equal(pc.utf8_length(written), 5)))[self.index]

    @cached_property
    def in_title(self) -> np.ndarray:
        """Return, per word, whether it is in its article's headline."""
        return _in_title(self.content, self.starts, self.owners, self.at)


def _flag(values: pa.Array) -> np.ndarray:
    """Return a pyarrow boolean array as numpy booleans (nulls as false)."""
    return values.to_numpy(zero_copy_only=False).astype(bool)


def _reach(linked: np.ndarray) -> np.ndarray:
    """Return, per word, how many words tied one to the next start there (1 for a word tied to none)."""
    count = len(linked)
    stop = np.where(linked, count, np.arange(count))
    end = np.minimum.accumulate(stop[::-1])[::-1]  # the first word from here not tied to the next
    return end - np.arange(count) + 1


def _near(flags: np.ndarray, spread: int) -> np.ndarray:
    """Return, per word, whether a flagged word is at most `spread` words away."""
    near = flags.copy()
    for step in range(1, spread + 1):
        near[step:] |= flags[:-step]
        near[:-step] |= flags[step:]
    return near


def _content(tokens: pa.LargeStringArray) -> tuple[np.ndarray, np.ndarray]:
    """Return the words' UTF-8 bytes, with zeros around them so that reading a few bytes before or after any word
    is safe, and where each word starts in them."""
    _, offsets_buffer, data = tokens.buffers()
    offsets = np.frombuffer(offsets_buffer, np.int64)[tokens.offset : tokens.offset + len(tokens) + 1]
    first, last = int(offsets[0]), int(offsets[-1])
    content = np.zeros(last - first + 2 * _PAD, np.uint8)
    if last > first:
        content[_PAD : _PAD + last - first] = np.frombuffer(data, np.uint8, count=last - first, offset=first)
    return content, offsets[:-1] - first + _PAD


def _maybe(content: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return, per word, whether it may be capitalised (a capital or a non-ASCII letter first, or punctuation
    that may hide one) and whether it may be a particle (it starts as one and is three bytes long or less).
    All the words are compared, byte by byte: numpy compares faster than it looks up a table, which only the few
    lower-case words short enough to be a particle go through."""
    head, second, third, fourth = (content[shift:][starts] for shift in range(4))
    not_ascii_letter = (head < ord("0")) | ((head > ord("9")) & (head < ord("a"))) | (head > ord("z"))
    maybe_capital = ((not_ascii_letter & (head < 0x80)) | (head == 0xC2) | (head >= 0xC4)
                     | ((head == 0xC3) & (second <= 0x9E)))  # À-Þ are C3 80-9E
    short = words.separators(second) | words.separators(third) | words.separators(fourth) | (second == _TYPOGRAPHIC[0])
    maybe_particle = short & (head >= ord("a")) & (head <= ord("z"))
    candidates = np.flatnonzero(maybe_particle)
    maybe_particle[candidates] = _PARTICLE_STARTS[head[candidates].astype(np.uint16) << 8 | second[candidates]]
    return maybe_capital, maybe_particle


def _typographic(b1: np.ndarray, b2: np.ndarray, b3: np.ndarray) -> np.ndarray:
    """Return, per word, whether its three bytes before (the last first) are a typographic apostrophe."""
    return (b1 == _TYPOGRAPHIC[2]) & (b2 == _TYPOGRAPHIC[1]) & (b3 == _TYPOGRAPHIC[0])


def _before(content: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return, per word, what ties the word before to it (a space, a hyphen, an apostrophe, or nothing that may
    tie a name) and whether it may be capitalised for grammar's sake: after a line break, a full stop, a colon,
    a quotation mark, a dash, or with punctuation of its own in front."""
    b1, b2, b3, b4 = (content[starts - back] for back in range(1, 5))
    typographic = _typographic(b1, b2, b3)
    double = (b1 == 0x20) & (b2 == 0x20)
    last = starts - np.select([typographic, double], [len(_TYPOGRAPHIC) + 1, 3], 2)  # the word before's last byte
    clean = ~_SEPARATOR[content[last]]
    letter, closing = _last_character(content, last)
    tie = np.select([(b1 == 0x20) & clean, (b1 == ord("-")) & clean, ((b1 == ord("'")) | typographic) & clean],
                    [_SPACE_TIE, _HYPHEN_TIE, _APOSTROPHE_TIE], _NONE)
    head, second = content[starts], content[1:][starts]
    leading = ((head < 0x80) & ~_ALNUM[head]) | (head == 0xC2) | ((head == 0xE2) & (second <= 0x81))
    tie[~letter | leading] = _NONE
    line_break = (b1 < 0x20) | ((b1 == 0x20) & (b2 < 0x20)) | (double & (b3 < 0x20))
    return tie, line_break | closing | (_SEPARATOR[b1] & (b1 != ord("/")) & ~clean) | leading


def _last_character(content: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return, per word, whether the character ending at `last` is a letter or a digit, and whether it is
    punctuation after which a capital may be grammar's (a full stop, a colon, a bracket, a quotation mark, a
    dash)."""
    byte, before, second = content[last], content[last - 1], content[last - 2]
    latin1 = (byte >= 0x80) & (before == 0xC2)  # U+0080-U+00BF: «, », no-break space, °…
    general = (byte >= 0x80) & (second == 0xE2) & (before <= 0x81)  # U+2000-U+207F: dashes, quotes, …
    letter = _ALNUM[byte] | ((byte >= 0x80) & ~latin1 & ~general)
    closing = ((_CLOSING_ASCII[byte] & (byte < 0x80)) | (latin1 & _CLOSING_LATIN1[byte])
               | (general & (before == 0x80) & _CLOSING_GENERAL[byte]))
    return letter, closing


def _after_space(content: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Return, per word, whether white space is among the separators before it: where `words.split(texts)`, which
    splits at white space only, starts a word."""
    b1, b2, b3, b4 = (content[starts - back] for back in range(1, 5))
    space, separator = words.SPACE, words.separators(b1)
    return ((b1 <= space) | (separator & (b2 <= space)) | (separator & words.separators(b2) & (b3 <= space))
            | (_typographic(b1, b2, b3) & (b4 <= space)))


def _first_of_text(owners: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Return, per word at `at`, whether it is the first of its text."""
    return (at == 0) | (owners[at] != owners[np.maximum(at - 1, 0)])


def _in_title(content: np.ndarray, starts: np.ndarray, owners: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Return, per word at `at`, whether it is in its article's headline: on the first line of its text
    (`words.contents` puts the title there)."""
    line_ends = np.searchsorted(starts, np.flatnonzero(content == ord("\n")), side="right") - 1
    texts, first = np.unique(owners[line_ends], return_index=True)
    title_end = np.full(int(owners.max()) + 1 if len(owners) else 0, len(starts), np.int64)
    title_end[texts] = line_ends[first]
    return at <= title_end[owners[at]]
