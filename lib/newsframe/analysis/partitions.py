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
  `topics.weight_tally` of each month, added up, finished by `topics.over_time_of`.

`counting` tells a report whether to count in memory or on a cluster. Memory holds the months being worked on and
what they give, not the corpus. Tasks run on Dask's local threads by default; given a scheduler's address
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

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsframe import paths
from newsframe.analysis import assignment, keyness, terms, timeline, topics
from newsframe.corpus import layout, schema, select
from newsframe.errors import ParameterError

__all__ = ["SCHEDULER_VARIABLE", "Counting", "count", "count_mentions", "counting", "key_terms", "kwic", "months",
           "sample", "topic_shares"]

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
         group: str | None = None, width: int = 60, limit: int = 500, freq: str = "M", scheduler: str | None = None,
         **selection) -> pd.DataFrame:
    """Return `terms.kwic` of the articles of a partitioned corpus that `selection` keeps: the same lines, in the
    same order, spread over the periods by the same rule.

    Two passes: each month gives its candidates (`terms.kwic_candidates`: each period's earliest articles that
    mention the group, at most `limit` a period); `terms.kwic_choice` chooses among all of them; the months holding
    chosen articles then give those articles' lines (`terms.kwic_lines`). Memory: a month, and the candidates.
    """
    groups = terms.groups(term_groups)
    group = terms.kwic_group(groups, group)
    columns = [*_ROW_COLUMNS, "title", "text"]
    task = functools.partial(terms.kwic_candidates, term_groups=groups, group=group, limit=limit, freq=freq)
    candidates = _each_month(corpus_path, task, columns=columns, scheduler=scheduler, selection=selection)
    chosen = terms.kwic_choice(pd.concat(candidates, ignore_index=True), limit=limit, freq=freq)
    task = functools.partial(terms.kwic_lines, term_groups=groups, chosen=chosen, group=group, width=width)
    holding = {f"{layout.PARTITION}={month}"
               for month in layout.month_keys(pa.array(chosen["published"], pa.timestamp("us", tz="UTC"))).to_pylist()}
    lines = _each_month(corpus_path, task, columns=columns, scheduler=scheduler, selection=selection,
                        only=holding)
    no_lines = terms.kwic(pd.DataFrame(), {})  # kwic's columns, typed, for a group no article mentions
    return pd.concat([no_lines, *lines], ignore_index=True)


def key_terms(corpus_path: str | Path, period_start: pd.Timestamp | None, *, freq: str = "M", top: int = 25,
              min_count: int = 5, stop_words: frozenset[str] | None = None, min_articles: int = 1,
              names: pd.DataFrame | None = None, scheduler: str | None = None, **selection) -> pd.DataFrame:
    """Return `keyness.key_terms` of the period starting at `period_start` (`timeline.key_period`) against the rest
    of the articles of a partitioned corpus that `selection` keeps: each month's word tallies, in and out of the
    period, are summed and compared as `key_terms` compares them (the same table).

    Names of several words are found on the whole corpus (`phrases.find`), which a month cannot do alone: pass
    `names` found once (on a sample, or a previous run's), or None to compare single words.
    """
    task = functools.partial(_month_words, period_start=period_start, freq=freq, names=names)
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
                 *, freq: str = "M", by: str | None = None, min_articles: int = 1, scheduler: str | None = None,
                 **selection) -> pd.DataFrame:
    """Return `topics.over_time` of every article of a partitioned corpus that `selection` keeps, with the topics
    of a model fitted on a sample (`rule`, from `assignment.assigner`): each month assigns its articles their topic
    weights (`assignment.assign`) and sums them per period; the sums and counts of the months are added up.

    Columns: `period_start`, [`by`], `topic`, `label`, `name`, `weight`, `articles`, `share`, `is_complete`.
    """
    task = functools.partial(_month_topic_weights, rule=rule, freq=freq, by=by)
    columns = list(dict.fromkeys([*_ROW_COLUMNS, "title", "text"] + ([by] if by else [])))
    parts = _each_month(corpus_path, task, columns=columns, scheduler=scheduler, selection=selection)
    tallied = functools.reduce(operator.add, [tally for tally, _ in parts])
    sums = pd.concat([weights for _, weights in parts])
    sums = sums.groupby(level=list(range(sums.index.nlevels))).sum()
    return topics.over_time_of(rule.model, tallied, sums, topic_labels, freq=freq, by=by, min_articles=min_articles)


@dataclass(frozen=True)
class Counting:
    """Where a report's counts and term mentions come from: its articles in memory (no `scheduler`), or the months
    of its partitioned corpus on the Dask cluster at `scheduler`, chosen as the report chose its articles."""

    corpus_path: str
    scheduler: str = ""
    selection: dict = field(default_factory=dict)

    def count(self, articles: pd.DataFrame, *, freq: str = "M") -> pd.DataFrame:
        """Return `timeline.count` of `articles`, counted month by month on the cluster when there is one."""
        if not self.scheduler:
            return timeline.count(articles, freq=freq)
        return count(self.corpus_path, freq=freq, scheduler=self.scheduler, **self.selection)

    def count_mentions(self, articles: pd.DataFrame, found: pd.DataFrame, term_groups: dict, *, freq: str = "M",
                       min_articles: int = 1, boilerplate: pd.DataFrame | None = None) -> pd.DataFrame:
        """Return `timeline.count_mentions` of `found` (`terms.mentions` of the articles without `boilerplate`),
        found and counted month by month on the cluster when there is one."""
        if not self.scheduler:
            return timeline.count_mentions(articles, found, freq=freq, min_articles=min_articles)
        return count_mentions(self.corpus_path, term_groups, freq=freq, min_articles=min_articles,
                              boilerplate=boilerplate, scheduler=self.scheduler, **self.selection)


def counting(corpus_path: str | Path, *, scheduler: str = "", span: select.Coverage | None = None,
             sources_map: str = "", sources: list[str] | None = None, include_duplicates: bool = False,
             count: str = "articles") -> Counting:
    """Return where a report counts: on the cluster at `scheduler` (else at NEWSFRAME_DASK_SCHEDULER) when its
    corpus is partitioned, else in memory. The months keep the articles the report keeps: those of `span`
    (`select.coverage`), after `sources_map`, of `sources`, with or without exact duplicates; every article, as a
    story reprinted in another month cannot be told from one month (`count="stories"` needs memory)."""
    address = scheduler or os.environ.get(SCHEDULER_VARIABLE, "")
    if not address or not layout.is_dataset(paths.resolve(corpus_path)):
        return Counting(str(corpus_path))
    if count != "articles":
        raise ParameterError(f"count={count!r} on a cluster: a story reprinted in another month cannot be told "
                             "from one month; count articles, or leave scheduler (and "
                             f"{SCHEDULER_VARIABLE}) empty to count in memory.")
    # A span starts at midnight and ends at the end of a day or at its last article: its days keep the same articles.
    dates = {"start": f"{span.start:%Y-%m-%d}", "end": f"{span.end:%Y-%m-%d}"} if span and span.start else {}
    chosen = {**dates, "sources": sources or None, "include_duplicates": include_duplicates,
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
    chosen = [folder for folder in folders if only is None or folder.name in only]
    return _compute([month(str(folder)) for folder in chosen], scheduler=scheduler)


def _compute(tasks: list, *, scheduler: str | None) -> list:
    import dask

    address = scheduler or os.environ.get(SCHEDULER_VARIABLE, "")
    if not address:
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


def _month_tally(articles: pd.DataFrame, *, freq: str, by: str | None, term_groups: dict | None,
                 boilerplate: pd.DataFrame | None) -> timeline.Tally:
    """Count one month's articles: find mentions (in the texts without boilerplate), tally."""
    from newsframe.analysis import boilerplate as repeated

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
