"""Planted copies: generated news articles, French and English, in which wire stories are reprinted by several papers.

What is planted (ported from the near-duplicates prototype's generator, same distributions):

- each language has real function words (French elided forms `l' d' qu'`, some with a typographic apostrophe), real
  stock phrases that unrelated articles share ("said in a statement", "a indiqué dans un communiqué"), a Zipf
  vocabulary of 30,000 pseudo-words (French ones with accents) and 400 topics of 250 words, so two articles on one
  subject share many words;
- 40 % of the articles belong to stories. A story has a wire text and 0-9 **copies** dated -2..+2 days from it: in
  15 % the same body (web and print), otherwise a new headline in 80 %, 0-3 paragraphs trimmed from the bottom (70 %
  kept at least), a local paragraph added in 20 %, 0.5 % of the words copy-edited in half of them, a byline
  ("By X Y, The Canadian Press", "Par X Y, AFP") in half, a dateline in 30 %; 0-3 **related** articles (other
  articles on the story: its topic, names and, in 60 %, a verbatim quote) dated -2..+2 days; an **update** in 20 %
  of stories (new headline and lead, about 55 % of the old body, new paragraphs, 2 % of words edited), 0-1 day later;
- the other 60 % are standalone articles on random topics. Articles have 6-11 paragraphs (about 370 words) and a
  headline, spread over two years from 2022-01-01.

Corpora are made of chunks of `CHUNK` articles, each generated alone (its own seed, its own stories), so the first
100,000 articles of the million-article corpus are the 100,000-article corpus. Rows are shuffled within a chunk.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

CHUNK = 50_000  # articles generated together, one Parquet file each
START = np.datetime64("2022-01-01T00:00:00", "us").astype(np.int64)
DAY_US = 86_400 * 1_000_000
STORIES_PER_CHUNK = 10_000_000  # story numbers of chunk c start at c * this: never shared between chunks
KINDS = ("standalone", "wire", "copy", "related", "update")

EN_FUNCTION = ("the of and to a in that is was for on it with as he she said at by from his her be have has had not "
               "are were this which an but they will would been their more its who also after than up out about one "
               "two new last year years people government told percent over into there could some when what all other "
               "if we or no so can just before while during since against between under because may most only where "
               "first three four week monday tuesday wednesday thursday friday").split()
FR_FUNCTION = ("le la les de des du et à en un une est a été que qui dans pour sur par au aux avec il elle ils ne pas "
               "plus ce cette ses son sa leur leurs se sont ont selon après déjà où très année gouvernement mais ou "
               "donc comme aussi entre depuis contre sous lors dont tout tous deux trois nouveau nouvelle premier "
               "première lundi mardi mercredi jeudi vendredi semaine personnes pays jour fois car encore avant "
               "pendant").split()
FR_ELIDED = ["l'", "d'", "qu'", "n'", "s'", "l’", "d’", "qu’"]  # glued to the next word: l'économie
EN_PHRASES = ["said in a statement", "according to the", "for the first time", "a spokesman for the",
              "at the end of the", "in an interview with", "declined to comment on", "one of the most",
              "on the other hand", "as well as the", "at least", "more than", "in the past", "told reporters on",
              "is expected to", "it is not clear", "the prime minister said"]
FR_PHRASES = ["a indiqué dans un communiqué", "selon le ministère", "pour la première fois", "un porte-parole de la",
              "à la fin de l'année", "dans un entretien au", "a refusé de commenter", "l'un des plus", "d'autre part",
              "ainsi que la", "au moins", "plus de", "par le passé", "a déclaré aux journalistes", "devrait être",
              "on ne sait pas encore", "a affirmé le premier ministre"]
EN_SYLLABLES = ["ba", "con", "ter", "pro", "den", "mis", "lat", "ver", "ing", "tion", "ra", "sel", "mon", "ex", "port",
                "vi", "sta", "cor", "ment", "ab", "ly", "ence", "or", "tra", "com", "dis", "ful", "ness"]
FR_SYLLABLES = ["ba", "con", "té", "pro", "dé", "mis", "la", "ver", "ment", "tion", "ra", "sel", "mon", "ex", "port",
                "vi", "ès", "cor", "eau", "ré", "ly", "ence", "ou", "tra", "com", "dis", "ça", "ier", "ê"]
EN_WIRES = ["The Canadian Press", "Reuters", "Associated Press", "Postmedia News"]
FR_WIRES = ["AFP", "La Presse Canadienne", "Reuters", "Le Devoir"]


def _zipf(n: int, s: float) -> np.ndarray:
    """Return the cumulative Zipf distribution of n ranks (drawing by searchsorted is 100x faster than choice(p))."""
    p = 1.0 / np.arange(1, n + 1) ** s
    return np.cumsum(p / p.sum())


def _pseudo_words(rng: np.random.Generator, syllables: list[str], n: int) -> np.ndarray:
    """Return n distinct pseudo-words of 2-4 syllables."""
    found: dict[str, None] = {}
    while len(found) < n:
        lengths = rng.integers(2, 5, size=2 * n)
        picks = rng.integers(0, len(syllables), size=(2 * n, 4))
        for row, length in zip(picks, lengths, strict=True):
            found.setdefault("".join(syllables[i] for i in row[:length]), None)
            if len(found) >= n:
                break
    return np.array(list(found), dtype=object)


class Language:
    """One language's vocabulary: function words, stock phrases, general and topical words, names."""

    def __init__(self, code: str, rng: np.random.Generator, *, general: int = 30_000, topics: int = 400,
                 topic_size: int = 250, topic_pool: int = 30_000):
        french = code == "fr"
        self.code = code
        self.function = np.array(FR_FUNCTION if french else EN_FUNCTION, dtype=object)
        self.elided = FR_ELIDED if french else []
        self.phrases = FR_PHRASES if french else EN_PHRASES
        self.wires = FR_WIRES if french else EN_WIRES
        words = _pseudo_words(rng, FR_SYLLABLES if french else EN_SYLLABLES, general + topic_pool + 20_000)
        self.general = words[:general]
        pool = words[general : general + topic_pool]
        self.names = np.array([w.capitalize() for w in words[general + topic_pool :]], dtype=object)
        self.topics = np.stack([pool[rng.choice(topic_pool, topic_size, replace=False)] for _ in range(topics)])
        self.function_cdf = _zipf(len(self.function), 0.9)
        self.general_cdf = _zipf(general, 1.05)
        self.topic_cdf = _zipf(topic_size, 0.9)


class Story:
    """An event: a topic, its own names and numbers, and two quotes that any article on it may repeat."""

    def __init__(self, language: Language, rng: np.random.Generator, topic: int):
        self.language, self.topic = language, topic
        self.entities = np.concatenate([language.names[rng.choice(len(language.names), 10, replace=False)],
                                        np.array([str(x) for x in rng.integers(2, 5000, 4)], dtype=object)])
        self.quotes = [sentence(language, rng, self, words=int(rng.integers(10, 18))) for _ in range(2)]


def _draw(rng: np.random.Generator, words: np.ndarray, cdf: np.ndarray, k: int) -> np.ndarray:
    return words[np.minimum(np.searchsorted(cdf, rng.random(k)), len(words) - 1)]


def _words(language: Language, rng: np.random.Generator, topics: np.ndarray, story: Story | None) -> list[str]:
    """Return one word for each entry of `topics` (the topic of that word's article): function, general, topical
    words and, in a story, its names; French elided articles glued to the following word."""
    n = len(topics)
    shares = (0.45, 0.67, 0.92) if story is not None else (0.47, 0.73, 1.0)
    kind = np.searchsorted(np.array(shares), rng.random(n), side="right")
    drawn = np.empty(n, dtype=object)
    for k, (words, cdf) in enumerate([(language.function, language.function_cdf),
                                      (language.general, language.general_cdf)]):
        drawn[kind == k] = _draw(rng, words, cdf, int((kind == k).sum()))
    topical = np.flatnonzero(kind == 2)
    column = np.minimum(np.searchsorted(language.topic_cdf, rng.random(len(topical))), language.topics.shape[1] - 1)
    drawn[topical] = language.topics[topics[topical], column]
    if story is not None:
        drawn[kind == 3] = story.entities[rng.integers(0, len(story.entities), int((kind == 3).sum()))]
    words = drawn.tolist()
    if language.elided:
        for i in np.flatnonzero(rng.random(n - 1) < 0.06):
            if words[i + 1]:
                words[i] = language.elided[int(rng.integers(len(language.elided)))] + words[i + 1]
                words[i + 1] = ""
    return words


def _sentences(language: Language, rng: np.random.Generator, words: list[str], lengths: list[int]) -> list[str]:
    """Cut `words` into sentences of the given lengths, some with a stock phrase or a comma."""
    out, start = [], 0
    for length, (phrase, comma, place) in zip(lengths, rng.random((len(lengths), 3)), strict=True):
        chosen = words[start : start + length]
        start += length
        if phrase < 0.35:
            chosen.insert(int(comma * length), language.phrases[int(place * len(language.phrases))])
        if comma < 0.4:
            chosen[int(place * (len(chosen) - 1))] += ","
        text = " ".join(w for w in chosen if w).rstrip(",")
        out.append(text[:1].upper() + text[1:] + ".")
    return out


def sentences(language: Language, rng: np.random.Generator, story: Story | None, lengths: list[int], *,
              topic: int | None = None) -> list[str]:
    """Return sentences of the given lengths in words, on the story's topic (or `topic`)."""
    topic = story.topic if story is not None else topic
    words = _words(language, rng, np.full(int(sum(lengths)), topic), story)
    return _sentences(language, rng, words, lengths)


def sentence(language: Language, rng: np.random.Generator, story: Story | None, *, words: int) -> str:
    return sentences(language, rng, story, [words])[0]


def paragraphs(language: Language, rng: np.random.Generator, story: Story | None, count: int, *,
               topic: int | None = None) -> list[str]:
    """Return `count` paragraphs of 1-3 sentences of 12-30 words."""
    per = rng.integers(1, 4, size=count)
    found = sentences(language, rng, story, rng.integers(12, 31, size=int(per.sum())).tolist(), topic=topic)
    return [" ".join(part) for part in np.split(np.array(found, dtype=object), np.cumsum(per)[:-1])]


def headline(language: Language, rng: np.random.Generator, story: Story, *, words: int | None = None) -> str:
    return sentence(language, rng, story, words=int(rng.integers(6, 12)) if words is None else words).rstrip(".")


def article(language: Language, rng: np.random.Generator, story: Story, *,
            quote: bool = False) -> tuple[str, list[str]]:
    """Return a headline and 6-11 paragraphs on the story, one of them ending on a quote with `quote`."""
    body = paragraphs(language, rng, story, int(rng.integers(6, 12)))
    if quote:
        body[int(rng.integers(1, len(body)))] += ' "' + story.quotes[int(rng.integers(2))] + '"'
    return headline(language, rng, story), body


def _edited(language: Language, rng: np.random.Generator, text: str, rate: float) -> str:
    """Return the text with about `rate` of its words replaced (copy-editing)."""
    words = text.split(" ")
    for i in np.flatnonzero(rng.random(len(words)) < rate):
        words[i] = language.general[int(rng.integers(0, 2000))]
    return " ".join(words)


def copy(language: Language, rng: np.random.Generator, story: Story, title: str,
         body: list[str]) -> tuple[str, list[str]]:
    """Return a paper's version of the wire text: its headline and paragraphs."""
    if rng.random() < 0.15:  # web and print: the same body, maybe another headline
        return (title if rng.random() < 0.5 else headline(language, rng, story, words=8)), list(body)
    title = headline(language, rng, story) if rng.random() < 0.8 else title
    keep = max(len(body) - int(rng.choice([0, 0, 0, 1, 1, 2, 3])), int(np.ceil(0.7 * len(body))))
    kept = list(body[:keep])  # papers trim wire copy from the bottom to fit
    if rng.random() < 0.2:
        kept.insert(len(kept) if rng.random() < 0.6 else 1, paragraphs(language, rng, story, 1)[0])
    if rng.random() < 0.5:
        kept = [_edited(language, rng, p, 0.005) for p in kept]
    byline = []
    if rng.random() < 0.5:
        names = language.names[rng.integers(len(language.names), size=2)]
        byline = [f"{'Par' if language.code == 'fr' else 'By'} {names[0]} {names[1]}, "
                  f"{language.wires[int(rng.integers(len(language.wires)))]}"]
    if rng.random() < 0.3:
        kept[0] = story.entities[0].upper() + " — " + kept[0]
    return title, byline + kept


def update(language: Language, rng: np.random.Generator, story: Story, body: list[str]) -> tuple[str, list[str]]:
    """Return an updated version: a new headline and lead, about half the old body, new paragraphs, light edits."""
    old = [p for p in body[2:] if rng.random() < 0.55]
    new = paragraphs(language, rng, story, int(rng.integers(3, 6)))
    return headline(language, rng, story, words=9), [_edited(language, rng, p, 0.02) for p in new[:2] + old + new[2:]]


def _story(language: Language, rng: np.random.Generator, number: int, *, days: int) -> list[tuple]:
    """Return the rows of one story: its wire text, copies, related articles and perhaps an update."""
    story = Story(language, rng, int(rng.integers(len(language.topics))))
    day = START + int(rng.integers(0, days)) * DAY_US
    title, body = article(language, rng, story)
    rows = [(title, body, day + int(rng.integers(0, DAY_US)), "wire")]
    for _ in range(int(rng.choice([0, 1, 1, 2, 2, 3, 4, 6, 9]))):
        rows.append((*copy(language, rng, story, title, body),
                     day + int(rng.integers(-2, 3)) * DAY_US + int(rng.integers(0, DAY_US)), "copy"))
    for _ in range(int(rng.choice([0, 1, 1, 2, 3]))):
        rows.append((*article(language, rng, story, quote=rng.random() < 0.6),
                     day + int(rng.integers(-2, 3)) * DAY_US + int(rng.integers(0, DAY_US)), "related"))
    if rng.random() < 0.2:
        rows.append((*update(language, rng, story, body),
                     day + int(rng.integers(0, 2)) * DAY_US + int(rng.integers(0, DAY_US)), "update"))
    return [(t, "\n\n".join(b), published, language.code, kind, number) for t, b, published, kind in rows]


def _standalone(language: Language, rng: np.random.Generator, count: int, *, days: int) -> list[tuple]:
    """Return `count` standalone articles on random topics, their words drawn together (20x faster than one by
    one, same distributions as a story's article without its names)."""
    per_article = rng.integers(6, 12, size=count)  # paragraphs
    per_paragraph = rng.integers(1, 4, size=int(per_article.sum()))  # sentences
    lengths = np.concatenate([rng.integers(6, 12, size=count), rng.integers(12, 31, size=int(per_paragraph.sum()))])
    owner = np.concatenate([np.arange(count), np.repeat(np.repeat(np.arange(count), per_article), per_paragraph)])
    topic = rng.integers(0, len(language.topics), size=count)
    words = _words(language, rng, topic[np.repeat(owner, lengths)], None)
    found = _sentences(language, rng, words, lengths.tolist())
    titles, body = [s.rstrip(".") for s in found[:count]], found[count:]
    paragraph_bounds = np.concatenate([[0], np.cumsum(per_paragraph)])
    article_bounds = np.concatenate([[0], np.cumsum(per_article)])
    rows = []
    for a in range(count):
        texts = [" ".join(body[paragraph_bounds[p] : paragraph_bounds[p + 1]])
                 for p in range(article_bounds[a], article_bounds[a + 1])]
        rows.append((titles[a], "\n\n".join(texts), START + int(rng.integers(0, days * DAY_US)), language.code,
                     "standalone", -1))
    return rows


def generate(size: int, *, seed: int = 7, chunk: int = 0, days: int = 730, story_share: float = 0.4) -> pd.DataFrame:
    """Return `size` planted articles (one chunk): `article_id`, `published`, `title`, `text`, `language`, `kind`
    (one of `KINDS`) and `story` (-1 for a standalone article)."""
    vocabulary = np.random.default_rng(seed)  # the same vocabularies in every chunk: one corpus
    languages = [Language("en", vocabulary), Language("fr", vocabulary)]
    rng = np.random.default_rng([seed, chunk])
    rows: list[tuple] = []
    number = chunk * STORIES_PER_CHUNK
    while len(rows) < story_share * size:
        rows += _story(languages[int(rng.integers(2))], rng, number, days=days)
        number += 1
    while len(rows) < size:
        rows += _standalone(languages[int(rng.integers(2))], rng, min(500, size - len(rows)), days=days)
    rows = [rows[i] for i in rng.permutation(len(rows))[:size]]  # the input order says nothing about stories
    title, text, published, language, kind, story = zip(*rows, strict=True)
    return pd.DataFrame({
        "article_id": pd.array([f"a{chunk * CHUNK + i:07d}" for i in range(size)], dtype="string"),
        "published": pd.to_datetime(np.array(published, dtype="datetime64[us]")).tz_localize("UTC"),
        "title": pd.array(title, dtype="string"), "text": pd.array(text, dtype="string"),
        "language": pd.array(language, dtype="string"), "kind": pd.array(kind, dtype="string"),
        "story": np.array(story, dtype=np.int64),
    })


def chunk_paths(folder: Path, size: int, *, seed: int = 7) -> list[Path]:
    """Return the Parquet files that make up a corpus of `size` articles."""
    sizes = [min(CHUNK, size - start) for start in range(0, size, CHUNK)]
    return [folder / f"planted-seed{seed}-chunk{i:03d}-{n}.parquet" for i, n in enumerate(sizes)]


def _write_chunk(job: tuple[Path, int, int, int]) -> None:
    path, size, seed, chunk = job
    partial = path.with_suffix(".partial")
    generate(size, seed=seed, chunk=chunk).to_parquet(partial, index=False)
    os.replace(partial, path)  # an interrupted run leaves no half-written chunk behind


def write(folder: Path, size: int, *, seed: int = 7, workers: int = 2) -> list[Path]:
    """Generate the chunks of a `size`-article corpus that are not in `folder` yet; return all its files."""
    paths = chunk_paths(folder, size, seed=seed)
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(p, int(p.stem.rsplit("-", 1)[1]), seed, i) for i, p in enumerate(paths) if not p.exists()]
    if jobs:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(_write_chunk, jobs))
    return paths


def read(paths: list[Path], *, columns: list[str] | None = None) -> pd.DataFrame:
    """Return the corpus held in `paths`, rows in file order."""
    return pq.read_table([str(p) for p in paths], columns=columns).to_pandas().reset_index(drop=True)


def truth(articles: pd.DataFrame, *, window_days: float) -> tuple[np.ndarray, np.ndarray]:
    """Return the planted copy pairs and the neutral pairs as sorted keys (row i * len(articles) + row j, i < j).

    Copy pairs: any two of one story's wire text and copies, at most `window_days` apart. Neutral: an update with
    its story's wire text or any of its copies, whatever the time between them."""
    t_us = articles["published"].dt.tz_convert(None).to_numpy().astype("datetime64[us]").astype(np.int64)
    rows = pd.DataFrame({"row": np.arange(len(articles)), "story": articles["story"].to_numpy(), "t": t_us,
                         "kind": articles["kind"].to_numpy()})
    family = rows[rows["kind"].isin(["wire", "copy"])]
    both = family.merge(family, on="story")
    both = both[(both["row_x"] < both["row_y"]) & ((both["t_x"] - both["t_y"]).abs() <= window_days * DAY_US)]
    updated = rows[rows["kind"] == "update"].merge(family, on="story")
    return (keys(both["row_x"].to_numpy(), both["row_y"].to_numpy(), len(articles)),
            keys(updated["row_x"].to_numpy(), updated["row_y"].to_numpy(), len(articles)))


def keys(i: np.ndarray, j: np.ndarray, n: int) -> np.ndarray:
    """Return the sorted distinct keys of unordered row pairs: min * n + max."""
    i, j = np.asarray(i, np.int64), np.asarray(j, np.int64)
    return np.unique(np.minimum(i, j) * n + np.maximum(i, j))


def classes(articles: pd.DataFrame, *, random_pairs: int = 20_000, seed: int = 0) -> dict[str, tuple]:
    """Return row pairs by planted class: copy (wire or copy with another of its story), update-wire,
    related-wire, related-related (two other articles on one story) and random (two standalone articles in one
    language)."""
    rows = pd.DataFrame({"row": np.arange(len(articles)), "story": articles["story"].to_numpy(),
                         "kind": articles["kind"].to_numpy()})
    family = rows[rows["kind"].isin(["wire", "copy"])]
    wire, related = rows[rows["kind"] == "wire"], rows[rows["kind"] == "related"]
    found = {}
    for name, left, right in [("copy", family, family), ("update-wire", rows[rows["kind"] == "update"], wire),
                              ("related-wire", related, wire), ("related-related", related, related)]:
        both = left.merge(right, on="story")
        if left is right:
            both = both[both["row_x"] < both["row_y"]]
        found[name] = (both["row_x"].to_numpy(), both["row_y"].to_numpy())
    rng = np.random.default_rng(seed)
    standalone = np.flatnonzero(articles["kind"].to_numpy() == "standalone")
    language = articles["language"].to_numpy()[standalone]
    i, j = [], []
    for code in np.unique(language):
        picks = rng.choice(standalone[language == code], size=(random_pairs // 2, 2))
        picks = picks[picks[:, 0] != picks[:, 1]]
        i.append(picks[:, 0])
        j.append(picks[:, 1])
    found["random"] = (np.concatenate(i), np.concatenate(j))
    return found
