"""Analyses of a partitioned corpus, a month at a time, on Dask: for corpora larger than memory.

Each month of a partitioned corpus (`corpus.layout`, `newsframe ingest --partitioned`) is one Dask task: it reads
that month's files, keeps the articles a report is about, and runs the in-memory path's own functions on them; what
the months give is then combined, and finished by the in-memory path's functions, so that each frame returned is the
one its in-memory counterpart returns on the whole corpus read at once (tests compare them):

- `count`, `count_mentions`: `timeline.tally` of each month, added up, finished by `timeline.counted(_mentions)`;
- `kwic`: `terms.kwic_candidates` of each month (each period's earliest articles mentioning the group), chosen
  from all at once by `terms.kwic_choice` (`terms.kwic`'s rule), then `terms.kwic_lines` of the months holding
  the chosen articles;
- `key_terms`: `keyness.tallied` of each month (words in and out of the period), summed, `keyness.compared`;
- `sample`, `topic_shares`: a seeded sample to fit topics on (`assignment.sample`), then `assignment.assign` and
  `topics.weight_tally` of each month, added up, finished by `topics.over_time_of`;
- `boilerplate`: `boilerplate.key_counts` of each month, added up, name the candidates; `boilerplate.piece_counts`
  of each month, added up, finished by `boilerplate.flagged`;
- `mentions`: `terms.mentions` of each month; `texts`: the texts of a few articles, from the months holding them;
  `names`: `phrases.find` of the sample (the names of several words of a whole corpus cannot be told by month).

`counting` tells a report where it analyses its articles (`Counting`: in memory, or on Dask with the articles
without their texts in memory, `read`), and does each step there. Memory holds the months being worked on and
what they give, not the corpus. Tasks run on Dask's local threads by default (a report asks for them with
`scheduler="local"`); given a scheduler's address
(`scheduler="tcp://host:8786"`, or the environment variable NEWSFRAME_DASK_SCHEDULER), on that `dask.distributed`
cluster, whose workers must read the corpus at the same path (a shared file system) and have newsframe installed.
Dask is the `scale` extra: `pip install 'newsframe[scale]'`.
"""

from __future__ import annotations

import functools
import operator
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsframe import paths, words
from newsframe.analysis import assignment, keyness, phrases, terms, timeline, topics
from newsframe.analysis import boilerplate as repeated
from newsframe.corpus import layout, schema, select
from newsframe.errors import ParameterError

__all__ = ["LOCAL", "SCHEDULER_VARIABLE", "Counting", "boilerplate", "count", "count_mentions", "counting", "key_terms",
           "kwic", "mentions", "months", "names", "read", "sample", "scheduler_for", "texts", "topic_shares"]

SCHEDULER_VARIABLE = "NEWSFRAME_DASK_SCHEDULER"

T = TypeVar("T")
_ROW_COLUMNS = ["article_id", "published", "source", "language", "duplicate_of"]


def months(corpus_path: str | Path) -> list[Path]:
    """Return the month folders of a partitioned corpus, in order."""
    path = paths.resolve(corpus_path)
    if not layout.is_dataset(path):
        raise ParameterError(f"{path} is one Parquet file, not a partitioned corpus: ingest it again with "
                             "--partitioned, or read it with corpus.read and use the timeline functions.")
    return layout.months(path)


def count(corpus_path: str | Path, *, freq: str = "M", by: str | None = None, scheduler: str | None = None,
          **selection) -> pd.DataFrame:
    """Return `timeline.count` of the articles of a partitioned corpus that `selection` keeps (`start`, `end`,
    `sources`, `language`, `include_duplicates` and `sources_map`, as `corpus.read` takes them), counted month by
    month on Dask.

    Columns: `period_start`, [`by`], `articles`, `is_complete`.
    """
    return timeline.counted(_tallied(corpus_path, freq=freq, by=by, term_groups=None, scheduler=scheduler,
                                     selection=selection), freq=freq, by=by)


def count_mentions(corpus_path: str | Path, term_groups: Mapping[str, Iterable[str]] | str | Path, *,
                   freq: str = "M", by: str | None = None, min_articles: int = 1,
                   boilerplate: pd.DataFrame | None = None, scheduler: str | None = None,
                   **selection) -> pd.DataFrame:
    """Return `timeline.count_mentions` of the term groups (as `terms.groups` takes them) in the articles of a
    partitioned corpus that `selection` keeps, counted month by month on Dask; `boilerplate` (what
    `boilerplate.find` found on the corpus) is left out of the texts searched, as a report leaves it out.

    Columns: `period_start`, [`by`], `group`, `articles_mentioning`, `mentions`, `articles`, `share`, `share_low`,
    `share_high`, `is_complete`.
    """
    groups = terms.groups(term_groups)
    tallied = _tallied(corpus_path, freq=freq, by=by, term_groups=groups, boilerplate=boilerplate,
                       scheduler=scheduler, selection=selection)
    return timeline.counted_mentions(tallied, freq=freq, by=by, min_articles=min_articles)


def kwic(corpus_path: str | Path, term_groups: Mapping[str, Iterable[str]] | str | Path, *,
         group: str | None = None, width: int = 60, limit: int = 500, freq: str = "M",
         boilerplate: pd.DataFrame | None = None, scheduler: str | None = None, **selection) -> pd.DataFrame:
    """Return `terms.kwic` of the articles of a partitioned corpus that `selection` keeps, without `boilerplate`
    (`boilerplate.find`'s) in their texts: the same lines, in the same order, spread over the periods by the same
    rule.

    Two passes: each month gives its candidates (`terms.kwic_candidates`: each period's earliest articles that
    mention the group, at most `limit` a period); `terms.kwic_choice` chooses among all of them; the months holding
    chosen articles then give those articles' lines (`terms.kwic_lines`). Memory: a month, and the candidates.
    """
    groups = terms.groups(term_groups)
    group = terms.kwic_group(groups, group)
    columns = [*_ROW_COLUMNS, "title", "text"]
    task = _stripped(functools.partial(terms.kwic_candidates, term_groups=groups, group=group, limit=limit,
                                       freq=freq), boilerplate)
    candidates = _each_month(corpus_path, task, columns=columns, scheduler=scheduler, selection=selection)
    chosen = terms.kwic_choice(pd.concat(candidates, ignore_index=True), limit=limit, freq=freq)
    task = _stripped(functools.partial(terms.kwic_lines, term_groups=groups, chosen=chosen, group=group, width=width),
                     boilerplate)
    holding = {f"{layout.PARTITION}={month}"
               for month in layout.month_keys(pa.array(chosen["published"], pa.timestamp("us", tz="UTC"))).to_pylist()}
    lines = _each_month(corpus_path, task, columns=columns, scheduler=scheduler, selection=selection,
                        only=holding)
    no_lines = terms.kwic(pd.DataFrame(), {})  # kwic's columns, typed, for a group no article mentions
    return pd.concat([no_lines, *lines], ignore_index=True)


def key_terms(corpus_path: str | Path, period_start: pd.Timestamp | None, *, freq: str = "M", top: int = 25,
              min_count: int = 5, stop_words: frozenset[str] | None = None, min_articles: int = 1,
              names: pd.DataFrame | None = None, boilerplate: pd.DataFrame | None = None,
              scheduler: str | None = None, **selection) -> pd.DataFrame:
    """Return `keyness.key_terms` of the period starting at `period_start` (`timeline.key_period`) against the rest
    of the articles of a partitioned corpus that `selection` keeps, without `boilerplate` in their texts: each
    month's word tallies, in and out of the period, are summed and compared as `key_terms` compares them (the same
    table).

    Names of several words are found on the whole corpus (`phrases.find`), which a month cannot do alone: pass
    `names` found once (on a sample, or a previous run's), or None to compare single words.
    """
    task = _stripped(functools.partial(_month_words, period_start=period_start, freq=freq, names=names), boilerplate)
    months_found = _each_month(corpus_path, task, columns=[*_ROW_COLUMNS, "title", "text"], scheduler=scheduler,
                               selection=selection)
    inside, outside = (_summed_tallies([found[part] for found in months_found]) for part in (1, 2))
    if sum(target for target, _, _ in months_found) < min_articles:  # as key_terms: a handful says nothing
        inside, outside = inside.iloc[0:0], outside.iloc[0:0]
    return keyness.compared(inside, outside, top=top, min_count=min_count, stop_words=stop_words)


def sample(corpus_path: str | Path, *, size: int = assignment.SAMPLE_ARTICLES, seed: int = 0,
           scheduler: str | None = None, **selection) -> pd.DataFrame:
    """Return `assignment.sample` of the articles of a partitioned corpus that `selection` keeps, every column: the
    `size` articles whose ids hash smallest with `seed`, by date. Two passes: each month's smallest hashes (ids
    only), then the chosen articles; memory holds a month and the sample."""
    task = functools.partial(_month_smallest, size=size, seed=seed)
    ranked = pd.concat(_each_month(corpus_path, task, columns=_ROW_COLUMNS, scheduler=scheduler,
                                   selection=selection))
    chosen = pa.array(assignment.smallest(ranked, size=size)["article_id"], pa.string())
    columns = layout.schema_names(paths.resolve(corpus_path))
    task = functools.partial(_month_chosen, chosen=chosen)
    found = pd.concat(_each_month(corpus_path, task, columns=columns, scheduler=scheduler, selection=selection))
    return schema.upgrade(found).sort_values(["published", "article_id"], kind="stable", ignore_index=True)


def topic_shares(corpus_path: str | Path, rule: assignment.Assigner, topic_labels: Mapping[int, str] | None = None,
                 *, freq: str = "M", by: str | None = None, min_articles: int = 1,
                 boilerplate: pd.DataFrame | None = None, scheduler: str | None = None, **selection) -> pd.DataFrame:
    """Return `topics.over_time` of every article of a partitioned corpus that `selection` keeps, with the topics
    of a model fitted on a sample (`rule`, from `assignment.assigner`): each month assigns its articles (without
    `boilerplate` in their texts, as the sample was fitted) their topic weights (`assignment.assign`) and sums them
    per period; the sums and counts of the months are added up.

    Columns: `period_start`, [`by`], `topic`, `label`, `name`, `weight`, `articles`, `share`, `is_complete`.
    """
    task = _stripped(functools.partial(_month_topic_weights, rule=rule, freq=freq, by=by), boilerplate)
    columns = list(dict.fromkeys([*_ROW_COLUMNS, "title", "text"] + ([by] if by else [])))
    parts = _each_month(corpus_path, task, columns=columns, scheduler=scheduler, selection=selection)
    tallied = functools.reduce(operator.add, [tally for tally, _ in parts])
    sums = pd.concat([weights for _, weights in parts])
    sums = sums.groupby(level=list(range(sums.index.nlevels))).sum()
    return topics.over_time_of(rule.model, tallied, sums, topic_labels, freq=freq, by=by, min_articles=min_articles)


def boilerplate(corpus_path: str | Path, *, min_articles: int = 5, min_share: float = 0.02,
                scheduler: str | None = None, **selection) -> pd.DataFrame:
    """Return `boilerplate.find` of the articles of a partitioned corpus that `selection` keeps: the same pieces.

    Two passes: each month counts the byte keys of its pieces by source (`boilerplate.key_counts`), added up they
    name the candidates (`boilerplate.candidates`); each month then folds and counts its candidate pieces exactly
    (`boilerplate.piece_counts`), added up by `boilerplate.flagged`. Memory: a month, and a count for each distinct
    piece at the edges of the texts (source, byte key and count: 24 bytes each), never the texts.
    """
    columns = [*_ROW_COLUMNS, "text"]
    counted = repeated.KeyCounts.added(_each_month(corpus_path, repeated.key_counts, columns=columns,
                                                   scheduler=scheduler, selection=selection))
    wanted = repeated.candidates(counted, min_articles=min_articles, min_share=min_share)
    task = functools.partial(repeated.piece_counts, wanted=wanted)
    parts = _each_month(corpus_path, task, columns=columns, scheduler=scheduler, selection=selection)
    return repeated.flagged(counted, parts, min_articles=min_articles, min_share=min_share)


def mentions(corpus_path: str | Path, term_groups: Mapping[str, Iterable[str]] | str | Path, *,
             boilerplate: pd.DataFrame | None = None, scheduler: str | None = None, **selection) -> pd.DataFrame:
    """Return `terms.mentions` of the articles of a partitioned corpus that `selection` keeps, found month by month
    in the texts without `boilerplate` (`boilerplate.find`'s): `article_id`, `group`, `mentions`, month after month
    (`Counting.mentions` puts them in the order `terms.mentions` gives)."""
    groups = terms.groups(term_groups)
    task = functools.partial(_month_mentions, term_groups=groups, boilerplate=boilerplate)
    found = _each_month(corpus_path, task, columns=[*_ROW_COLUMNS, "title", "text"], scheduler=scheduler,
                        selection=selection)
    return pd.concat([terms.mentions(pd.DataFrame(), {}), *found], ignore_index=True)


def texts(corpus_path: str | Path, articles: pd.DataFrame, *, scheduler: str | None = None) -> pd.DataFrame:
    """Return `articles` (a few, with `article_id` and `published`) with their `text`, read from the months that
    hold them only."""
    holding = {f"{layout.PARTITION}={month}"
               for month in layout.month_keys(pa.array(articles["published"], pa.timestamp("us", tz="UTC")))
               .to_pylist()}
    task = functools.partial(_month_chosen, chosen=pa.array(articles["article_id"], pa.string()))
    found = _each_month(corpus_path, task, columns=["article_id", "published", "duplicate_of", "text"],
                        scheduler=scheduler, selection={"include_duplicates": True}, only=holding) if holding else []
    text = pd.concat([pd.DataFrame({"article_id": [], "text": []}), *[f[["article_id", "text"]] for f in found]])
    text = text.drop_duplicates("article_id").set_index("article_id")["text"]
    return articles.assign(text=articles["article_id"].map(text).astype("string"))


def names(corpus_path: str | Path, *, boilerplate: pd.DataFrame | None = None, seed: int = 0,
          scheduler: str | None = None, **selection) -> pd.DataFrame:
    """Return `phrases.find` of the documented sample (`sample`) of the articles `selection` keeps, without
    `boilerplate`: the names of several words of a whole corpus cannot be told a month at a time. A corpus of at
    most `assignment.SAMPLE_ARTICLES` articles is its own sample: its names are those of the corpus in memory."""
    sampled = sample(corpus_path, seed=seed, scheduler=scheduler, **selection)
    return phrases.find(repeated.strip(sampled, boilerplate) if boilerplate is not None else sampled)


@dataclass(frozen=True)
class Counting:
    """Where a report reads and analyses its articles: all of them in memory (no `scheduler`), or, for a
    partitioned corpus, its articles without their texts in memory and the texts a month at a time on Dask: on
    this machine's threads (`scheduler="local"`) or on the cluster at `scheduler`. The months keep the articles the
    report keeps (`selection`). Each method returns what its in-memory counterpart returns on the whole corpus."""

    corpus_path: str
    scheduler: str = ""
    selection: dict = field(default_factory=dict)

    @property
    def where(self) -> str:
        """Return where the report runs, for the report to say."""
        if not self.scheduler:
            return "this machine, in memory"
        place = "this machine's threads" if self.scheduler == LOCAL else f"the Dask cluster at {self.scheduler}"
        return f"{place}, a month at a time"

    def boilerplate(self, articles: pd.DataFrame) -> pd.DataFrame:
        """Return `boilerplate.find` of `articles`."""
        if not self.scheduler:
            return repeated.find(articles)
        return boilerplate(self.corpus_path, scheduler=self.scheduler, **self.selection)

    def strip(self, articles: pd.DataFrame, found: pd.DataFrame) -> pd.DataFrame:
        """Return `boilerplate.strip` of `articles`; on the months, `articles` as they are (they hold no text: each
        month strips its own)."""
        return articles if self.scheduler else repeated.strip(articles, found)

    def mentions(self, analysed: pd.DataFrame, term_groups: dict, *,
                 boilerplate: pd.DataFrame | None = None) -> pd.DataFrame:
        """Return `terms.mentions` of the `analysed` articles (without `boilerplate`)."""
        if not self.scheduler:
            return terms.mentions(analysed, term_groups)
        found = mentions(self.corpus_path, term_groups, boilerplate=boilerplate, scheduler=self.scheduler,
                         **self.selection)
        return _in_batch_order(found, analysed, terms.groups(term_groups))

    def kwic(self, analysed: pd.DataFrame, term_groups: dict, *, boilerplate: pd.DataFrame | None = None,
             **options) -> pd.DataFrame:
        """Return `terms.kwic` of the `analysed` articles (without `boilerplate`); `options` are kwic's."""
        if not self.scheduler:
            return terms.kwic(analysed, term_groups, **options)
        return kwic(self.corpus_path, term_groups, boilerplate=boilerplate, scheduler=self.scheduler,
                    **options, **self.selection)

    def names(self, analysed: pd.DataFrame, *, boilerplate: pd.DataFrame | None = None) -> pd.DataFrame:
        """Return `phrases.find` of the `analysed` articles; on the months, of their sample (`names`)."""
        if not self.scheduler:
            return phrases.find(analysed)
        return names(self.corpus_path, boilerplate=boilerplate, scheduler=self.scheduler, **self.selection)

    def key_terms(self, analysed: pd.DataFrame, period_start: pd.Timestamp | None, *, freq: str,
                  boilerplate: pd.DataFrame | None = None, **options) -> pd.DataFrame:
        """Return `keyness.key_terms` of the period starting at `period_start` against the rest of the `analysed`
        articles (without `boilerplate`); `options` are key_terms'."""
        if not self.scheduler:
            return keyness.key_terms(analysed, target=timeline.in_period(analysed, period_start, freq=freq), **options)
        return key_terms(self.corpus_path, period_start, freq=freq, boilerplate=boilerplate,
                         scheduler=self.scheduler, **options, **self.selection)

    def sample(self, articles: pd.DataFrame, *, seed: int = 0) -> pd.DataFrame:
        """Return `assignment.sample` of `articles`, every column."""
        if not self.scheduler:
            return assignment.sample(articles, seed=seed)
        return sample(self.corpus_path, seed=seed, scheduler=self.scheduler, **self.selection)

    def modelled(self, articles: pd.DataFrame, *, seed: int = 0) -> pd.DataFrame:
        """Return the articles a topic model is fitted on: `articles` in memory, else their documented sample
        (`sample`: the `assignment.SAMPLE_ARTICLES` whose ids hash smallest with `seed`, every column) in the order
        and with the index labels they have in `articles`. NMF's fit depends on the order of its rows (on the French
        feeds, k=8 scored 0.394 in the corpus's order and 0.367 by date), so a corpus that is its own sample is
        fitted as in memory."""
        if not self.scheduler:
            return articles
        sampled = self.sample(articles, seed=seed)
        position = pd.Index(articles["article_id"]).get_indexer(sampled["article_id"])
        order = np.argsort(position, kind="stable")
        return sampled.iloc[order].set_axis(articles.index[position[order]])

    def topic_shares(self, model: topics.Model, articles: pd.DataFrame, topic_labels: Mapping[int, str], *,
                     freq: str = "M", min_articles: int = 1, boilerplate: pd.DataFrame | None = None,
                     extra_stop_words: Iterable[str] = (), bigrams: bool = False,
                     names: pd.DataFrame | None = None) -> pd.DataFrame:
        """Return `topics.over_time` of every one of `articles`: with the model's own weights in memory; on the
        months, each article given the topics of the model fitted on the sample (`assignment.assign`; the options
        are those the sample was vectorised with)."""
        if not self.scheduler:
            return topics.over_time(model, articles, topic_labels, freq=freq, min_articles=min_articles)
        rule = assignment.assigner(model, extra_stop_words=extra_stop_words, bigrams=bigrams, names=names)
        return topic_shares(self.corpus_path, rule, topic_labels, freq=freq, min_articles=min_articles,
                            boilerplate=boilerplate, scheduler=self.scheduler, **self.selection)

    @property
    def texts(self) -> Callable[[pd.DataFrame], pd.DataFrame] | None:
        """Return what gives a few articles their texts (`texts`) when the report holds none, else None."""
        if not self.scheduler:
            return None
        return functools.partial(texts, self.corpus_path, scheduler=self.scheduler)


LOCAL = "local"  # the `scheduler` that runs the months on this machine's threads


def scheduler_for(corpus_path: str | Path, scheduler: str = "") -> str:
    """Return where a report on `corpus_path` runs: `scheduler`, else NEWSFRAME_DASK_SCHEDULER, when the corpus is
    partitioned; "" (in memory) otherwise."""
    address = scheduler or os.environ.get(SCHEDULER_VARIABLE, "")
    return address if address and layout.is_dataset(paths.resolve(corpus_path)) else ""


def read(corpus_path: str | Path, *, scheduler: str = "", **options) -> pd.DataFrame:
    """Return `corpus.read` of a report's corpus: every column in memory, or without the texts when the report runs
    a month at a time (`scheduler_for`); `options` are corpus.read's."""
    from newsframe import corpus

    if not scheduler_for(corpus_path, scheduler):
        return corpus.read(corpus_path, **options)
    from newsframe.corpus import sources

    columns = [name for name in layout.schema_names(paths.resolve(corpus_path)) if name != "text"]
    chosen = dict(options)
    outlets = chosen.pop("sources_map", "")
    articles = schema.upgrade(corpus.read(corpus_path, columns=columns))  # an older corpus: as corpus.read fills it
    if outlets:  # then outlets named and articles chosen, as corpus.read does
        articles = articles.assign(source=sources.apply(articles["source"], sources.read_map(outlets)))
    return select.select(articles, **chosen) if chosen else articles


def counting(corpus_path: str | Path, *, scheduler: str = "", span: select.Coverage | None = None,
             sources_map: str = "", sources: list[str] | None = None, language: str = "",
             include_duplicates: bool = False, count: str = "articles") -> Counting:
    """Return where a report reads and analyses its articles: on Dask (`scheduler`: "local" for this machine's
    threads, or a cluster's address; else NEWSFRAME_DASK_SCHEDULER) when its corpus is partitioned, else in memory.
    The months keep the articles the report keeps: those of `span` (`select.coverage`), after `sources_map`, of
    `sources` and `language`, with or without exact duplicates; every article, as a story reprinted in another
    month cannot be told from one month (`count="stories"` needs memory)."""
    address = scheduler_for(corpus_path, scheduler)
    if not address:
        return Counting(str(corpus_path))
    if count != "articles":
        raise ParameterError(f"count={count!r} a month at a time: a story reprinted in another month cannot be told "
                             "from one month; count articles, or leave scheduler (and "
                             f"{SCHEDULER_VARIABLE}) empty to count in memory.")
    # A span starts at midnight and ends at the end of a day or at its last article: its days keep the same articles.
    dates = {"start": f"{span.start:%Y-%m-%d}", "end": f"{span.end:%Y-%m-%d}"} if span and span.start else {}
    chosen = {**dates, "sources": sources or None, "language": language, "include_duplicates": include_duplicates,
              "sources_map": str(paths.resolve(sources_map)) if sources_map else ""}  # workers have their own cwd
    return Counting(str(paths.resolve(corpus_path)), address, chosen)


def _tallied(corpus_path, *, freq: str, by: str | None, term_groups: dict | None, scheduler: str | None,
             selection: dict, boilerplate: pd.DataFrame | None = None) -> timeline.Tally:
    columns = list(dict.fromkeys(_ROW_COLUMNS + ([by] if by else []) + (["title", "text"] if term_groups else [])))
    task = functools.partial(_month_tally, freq=freq, by=by, term_groups=term_groups, boilerplate=boilerplate)
    return functools.reduce(operator.add, _each_month(corpus_path, task, columns=columns, scheduler=scheduler,
                                                      selection=selection))


def _each_month(corpus_path, task: Callable[[pd.DataFrame], T], *, columns: list[str], scheduler: str | None,
                selection: dict, only: set[str] | None = None) -> list[T]:
    """Return `task` of each month's articles that `selection` keeps, one Dask task a month, in month order (of
    the months named in `only`, when given)."""
    import dask

    unknown = set(selection) - {"start", "end", "sources", "language", "include_duplicates", "sources_map"}
    if unknown:
        raise ParameterError(f"{', '.join(sorted(unknown))}: not a selection of a partitioned corpus; give start, "
                             "end, sources, language, include_duplicates or sources_map.")
    folders = months(corpus_path)
    if not folders:
        raise ParameterError(f"{paths.resolve(corpus_path)} holds no month of articles.")
    month = dask.delayed(functools.partial(_in_month, task=task, columns=columns, selection=selection), pure=True)
    # months outside the dates chosen hold none of the articles: not read at all
    first, last = (f"{layout.PARTITION}={selection[end][:7]}" if selection.get(end) else None
                   for end in ("start", "end"))
    chosen = [folder for folder in folders if (only is None or folder.name in only)
              and (first is None or folder.name >= first) and (last is None or folder.name <= last)]
    return _compute([month(str(folder)) for folder in chosen], scheduler=scheduler)


def _compute(tasks: list, *, scheduler: str | None) -> list:
    import dask

    address = scheduler or os.environ.get(SCHEDULER_VARIABLE, "")
    if not address or address == LOCAL:
        return list(dask.compute(*tasks, scheduler="threads"))
    from dask.distributed import Client

    with Client(address, set_as_default=False) as client:
        return list(client.compute(tasks, sync=True))


def _in_month(folder: str, *, task: Callable[[pd.DataFrame], T], columns: list[str], selection: dict) -> T:
    """Run `task` on one month's articles that `selection` keeps (on a Dask worker)."""
    from newsframe.corpus import select, sources

    chosen = dict(selection)
    articles = layout.read_month(folder, columns=columns).to_pandas()
    if chosen.get("sources_map"):  # as corpus.read names the outlets, before choosing sources
        articles["source"] = sources.apply(articles["source"], sources.read_map(chosen["sources_map"]))
    chosen.pop("sources_map", None)
    articles = select.rows(articles, **chosen)
    result = task(articles)
    del articles
    # pyarrow's allocator keeps what a month freed for the next one: handed back, memory holds the months being
    # counted and not the largest ones seen so far (bench/README.md, Partitioned corpora)
    pa.default_memory_pool().release_unused()
    return result


def _in_batch_order(found: pd.DataFrame, articles: pd.DataFrame, term_groups: dict) -> pd.DataFrame:
    """Return `found` in the order `terms.mentions` gives on `articles` at once: batch by batch of
    `words.BATCH_ARTICLES` articles, group by group within a batch, then in the articles' order (the rows a chart
    lists among articles of one date keep that order)."""
    position = pd.Series(range(len(articles)), index=pd.Index(articles["article_id"])).groupby(level=0).first()
    at = found["article_id"].map(position).to_numpy()
    group = found["group"].map({name: i for i, name in enumerate(term_groups)}).to_numpy()
    order = np.lexsort((at, group, at // words.BATCH_ARTICLES))
    return found.iloc[order].reset_index(drop=True)


def _stripped(task: Callable[[pd.DataFrame], T], found: pd.DataFrame | None) -> Callable[[pd.DataFrame], T]:
    """Return `task` run on a month's articles without the boilerplate `found` (as is without)."""
    return task if found is None else functools.partial(_on_stripped, task=task, found=found)


def _on_stripped(articles: pd.DataFrame, *, task: Callable[[pd.DataFrame], T], found: pd.DataFrame) -> T:
    return task(repeated.strip(articles, found))


def _month_mentions(articles: pd.DataFrame, *, term_groups: dict, boilerplate: pd.DataFrame | None) -> pd.DataFrame:
    """Find one month's mentions, in the texts without boilerplate."""
    return terms.mentions(repeated.strip(articles, boilerplate) if boilerplate is not None else articles, term_groups)


def _month_tally(articles: pd.DataFrame, *, freq: str, by: str | None, term_groups: dict | None,
                 boilerplate: pd.DataFrame | None) -> timeline.Tally:
    """Count one month's articles: find mentions (in the texts without boilerplate), tally."""
    searched = repeated.strip(articles, boilerplate) if boilerplate is not None else articles
    found = terms.mentions(searched, term_groups) if term_groups else None
    return timeline.tally(articles, freq=freq, by=by, found=found)


def _month_words(articles: pd.DataFrame, *, period_start: pd.Timestamp | None, freq: str,
                 names: pd.DataFrame | None) -> tuple[int, pd.DataFrame, pd.DataFrame]:
    """Return how many of a month's articles are in the period, and the word tallies in it and out of it."""
    target = timeline.in_period(articles, period_start, freq=freq)
    return int(target.sum()), *keyness.tallied(articles, target=target, names=names)


def _summed_tallies(tallies: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(tallies).groupby(["key", "shown"], sort=False, as_index=False)["count"].sum()


def _month_smallest(articles: pd.DataFrame, *, size: int, seed: int) -> pd.DataFrame:
    """Return the month's `size` articles whose ids hash smallest: the sample draws from these only."""
    keyed = pd.DataFrame({"article_id": articles["article_id"].to_numpy(),
                          "key": assignment.sample_keys(articles["article_id"], seed=seed)})
    return assignment.smallest(keyed, size=size)


def _month_chosen(articles: pd.DataFrame, *, chosen: pa.Array) -> pd.DataFrame:
    # Arrow's hash lookup: pandas' isin turned the 100,000 ids into Python strings again for each month.
    ids = pa.array(articles["article_id"], pa.string())
    return articles[pc.is_in(ids, value_set=chosen).to_numpy(zero_copy_only=False)]


def _month_topic_weights(articles: pd.DataFrame, *, rule: assignment.Assigner, freq: str,
                         by: str | None) -> tuple[timeline.Tally, pd.DataFrame]:
    """Give a month's articles the model's topics and sum their weights per period (`topics.weight_tally`)."""
    return topics.weight_tally(assignment.assign(rule, articles), articles, freq=freq, by=by)
