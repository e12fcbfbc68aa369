"""Ingest: files -> raw records -> articles, written as the corpus with its rejects and a summary.

    inputs.expand        the files under the paths given, in a stable order
    incremental          on a second run into a corpus: which files are new or changed, and what to keep
    readers              one module per format: a file -> raw records (`records.Batch`), or a reject
    workers              large folders of text articles: read and normalised by worker processes
    normalise            raw records -> articles and rejects (clean, dates, language, ids), then duplicates
    spill                a partitioned corpus's articles kept on disk by month while they are read: memory holds
                         ids, dates and URLs, not texts
    update               an incremental run into a partitioned corpus, from the corpus's index: only the new
                         articles' days compared, only the months that change written
    corpus (package)     near-duplicates grouped into stories; the corpus written atomically: articles, rejects,
                         near-duplicate pairs, summary

`read` returns what an ingest found; `ingest` also writes it. Every record read ends up an article or a reject,
and the counts are checked to reconcile.
"""

from __future__ import annotations

import contextlib
import functools
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from newsframe import corpus
from newsframe.corpus import duplicates, fingerprint, ids, layout, near_duplicates, schema, sources
from newsframe.errors import InputError, NewsframeError
from newsframe.ingest import incremental, inputs, language, normalise, readers, spill, update, workers
from newsframe.ingest.readers.files import locator
from newsframe.ingest.records import Batch, file_reject

__all__ = ["IngestResult", "format_summary", "ingest", "read", "read_records"]

THREADS = 2  # batches normalised at once: the heavy steps are pyarrow's, which free the GIL


@dataclass(frozen=True)
class IngestResult:
    """What an ingest produced: the articles, the rejects and the counts that reconcile them."""

    articles: pd.DataFrame
    rejects: pd.DataFrame
    read_count: int
    notes: tuple[str, ...] = ()  # what readers worked around and a researcher should know (mixed encodings)
    pairs: pd.DataFrame | None = None  # near-duplicate pairs (`corpus.near_duplicates`); None when not looked for
    stories: dict | None = None  # how near-duplicates were found: threshold, window, seconds
    files: pd.DataFrame | None = None  # the input files (`incremental.file_list`), kept beside the corpus
    incremental: dict | None = None  # files read again and taken as they were, on an incremental run
    written: bool = True  # False when the corpus was up to date and left as it was
    # A partitioned ingest keeps its texts on disk (`spill`): `articles` then holds no texts, URLs or origins, and
    # its ids as numbers (`spill.Index.articles`); `months` writes the month folders into a folder, and the older
    # versions are counted here.
    months: Callable[[str], None] | None = None
    older_version_count: int | None = None
    # Its rejects are kept on disk too (`spill.Rejects`): `rejects` then holds the first of each reason,
    # `reject_counts` how many each has, and `write_rejects` writes them all to a file.
    reject_counts: dict[str, int] | None = None
    write_rejects: Callable[[str], None] | None = None

    @property
    def duplicate_count(self) -> int:
        return int(self.articles["duplicate_of"].notna().sum())

    @property
    def kept_count(self) -> int:
        return len(self.articles) - self.duplicate_count

    @property
    def rejected_by_reason(self) -> dict[str, int]:
        """How many records were rejected for each reason, most first."""
        if self.reject_counts is not None:
            return self.reject_counts
        return {str(reason): int(count) for reason, count in self.rejects["reason"].value_counts().items()}

    @property
    def rejected_count(self) -> int:
        return sum(self.rejected_by_reason.values())

    def _stories_summary(self) -> dict | None:
        if self.stories is None:
            return None
        # Counted on the ids as numbers (a spill holds no similarity): pandas' own counting of ten million ids as
        # text takes several times the memory the whole frame does.
        kept = self.articles["duplicate_of"].isna().to_numpy()
        _, members = np.unique(_id_numbers(self.articles["story_id"])[kept], return_counts=True)
        return {**self.stories, "stories": len(members),
                "articles_in_stories_of_two_or_more": int(members[members > 1].sum()),
                "stories_of_two_or_more": int((members > 1).sum()),
                "pairs": len(self.pairs) if self.pairs is not None else 0}

    def summary(self) -> dict:
        """Return the counts, reasons, date range, languages and sources as plain data (for JSON and printing)."""
        published = self.articles["published"]
        return {
            "read": self.read_count,
            "kept": self.kept_count,
            "duplicates": self.duplicate_count,
            "older_versions": (self.older_version_count if self.older_version_count is not None
                               else int(duplicates.older_versions(self.articles).notna().sum())),
            "near_duplicates": self._stories_summary(),
            "rejected": self.rejected_count,
            "rejected_by_reason": self.rejected_by_reason,
            "reject_examples": self.rejects.drop_duplicates("reason").set_index("reason")["detail"].to_dict(),
            "title_only": int((self.articles["text"] == "").sum() if "text" in self.articles
                              else self.articles["title_only"].sum()),
            "first_published": published.min().isoformat() if len(published) else None,
            "last_published": published.max().isoformat() if len(published) else None,
            "languages": _counted(self.articles["language"], missing="unknown"),
            "sources": _counted(self.articles["source"]),
            "notes": list(self.notes),
            "files": self.incremental or ({"files": len(self.files), "read": len(self.files)}
                                          if self.files is not None else None),
            "corpus_fingerprint": fingerprint.of_articles(self.articles),
        }


def _id_numbers(column: pd.Series) -> np.ndarray:
    """Return a column of ids as numbers (`corpus.ids.as_numbers`), which a partitioned ingest's already are."""
    return column.to_numpy(np.uint64) if pd.api.types.is_unsigned_integer_dtype(column.dtype) else ids.as_numbers(
        column)


def _counted(values: pd.Series, *, missing: str | None = None) -> dict:
    """Return how many articles have each value, most first (`missing` names the missing ones, else they are left
    out); a partitioned ingest's categories count as text does, the unused ones left out."""
    if missing is not None and isinstance(values.dtype, pd.CategoricalDtype) and missing not in values.cat.categories:
        values = values.cat.add_categories([missing])
    counts = (values.fillna(missing) if missing is not None else values).value_counts()
    return counts[counts > 0].to_dict()


def read(
    paths: Iterable[str | Path],
    *,
    columns: dict[str, str] | None = None,
    languages: tuple[str, ...] = language.DEFAULT_LANGUAGES,
    date_order: str = "DMY",
    sources_map: str | Path = "",
    keep_title_only: bool = False,
    stories: bool = True,
    story_threshold: float = near_duplicates.THRESHOLD,
    story_window_days: float = near_duplicates.WINDOW_DAYS,
    previous: incremental.Plan | None = None,
    spilled: spill.Spill | None = None,
) -> IngestResult:
    """Read every file under `paths` into articles and rejects; counts reconcile or NewsframeError is raised.

    `columns` maps fields to the column names of tabular files (checked against every such file before anything is
    read); `sources_map` is a file naming outlets (`corpus.sources`); `keep_title_only` keeps headlines without
    text; `stories` groups near-duplicates (`corpus.near_duplicates`: Jaccard of 5-word shingles at least
    `story_threshold`, published at most `story_window_days` apart). Batches are normalised as they are read, so
    memory holds the corpus being built plus a few batches of raw records. With `previous` (`incremental.plan`),
    only its files to read are read, joined with the articles and rejects it took from the corpus. With `spilled`
    (and no `previous`), the articles go to disk as they are normalised, and the result's `months` writes them.
    """
    language.check_languages(languages)  # before reading anything, not when the first batch needs the detector
    begun = incremental.started()
    rules = sources.read_map(sources_map) if sources_map else None
    normalise_batch = functools.partial(normalise.normalise_batch, languages=languages, date_order=date_order,
                                        sources_map=rules, keep_title_only=keep_title_only)
    texts = workers.TextFiles(normalise_batch)
    if previous is None:
        files = inputs.expand(paths, listed=texts.count_listed)  # a large folder's workers start while it is listed
    else:
        files = previous.to_read
        texts.count_listed([os.path.basename(path) for path in files])
    if columns:
        _check_columns(files, columns)
    # A spill takes the articles and rejects as a list would, and keeps them on disk.
    articles, rejects = (spilled, spilled.rejects) if spilled is not None else ([], [])
    notes, read_count = [], 0
    pending: deque[Future] = deque()
    every_file = previous.files if previous is not None else files
    with ThreadPoolExecutor(max_workers=1) as stat, ThreadPoolExecutor(max_workers=THREADS) as threads:
        # the list of files kept beside the corpus for the next run: a stat of each, done while they are read
        listing = stat.submit(incremental.file_list, every_file, previous.digests if previous is not None else None,
                              since=begun)
        threads.submit(language.load_classifier, languages)  # while the first input is read, not when a batch needs it
        for item in _batches(files, columns=columns, texts=texts):
            read_count += item.read_count
            notes += item.notes
            if isinstance(item, workers.Normalised):
                pending.append(_done((item.articles, item.rejects)))
            else:
                rejects.append(item.rejects)
                if len(item.records):
                    pending.append(threads.submit(normalise_batch, item.records))
            while len(pending) > THREADS:  # a bounded queue: memory holds a few raw batches, not the whole input
                _collect(pending.popleft(), articles, rejects)
        while pending:
            _collect(pending.popleft(), articles, rejects)
    started, updated = time.perf_counter(), None
    if previous is not None and spilled is not None and previous.index is not None:  # from its index (the fast path)
        updated = update.finish(spilled, previous, stories=stories, threshold=story_threshold,
                                window_days=story_window_days)
    if previous is not None and spilled is not None and updated is None:  # its articles, a month at a time
        for month in incremental.reused_months(previous):
            spilled.append(incremental.reused_batch(month))
    elif previous is not None and spilled is None:  # what was read now and what is taken as it was, in file order
        articles = incremental.joined([*articles, incremental.reused_batch(previous.articles)], previous.files)
    if previous is not None:
        rejects.append(previous.rejects)
        read_count += len(previous.articles) + len(previous.rejects)
        notes = [*previous.notes, *notes]
    pairs, found, months = None, None, None
    if updated is not None:
        articles, pairs, months = updated.articles, updated.pairs, updated.write
    elif spilled is not None:
        started = time.perf_counter()
        articles, pairs = spilled.finish(stories=stories, threshold=story_threshold, window_days=story_window_days,
                                         files=every_file)
        months = functools.partial(spilled.write_months, articles)
    else:
        articles = normalise.combine_batches(articles)
    if stories and spilled is not None:
        found = {"threshold": story_threshold, "window_days": story_window_days,
                 "seconds": round(time.perf_counter() - started, 1)}
    elif stories and len(articles):
        started = time.perf_counter()
        articles, pairs = near_duplicates.flag(articles, threshold=story_threshold, window_days=story_window_days)
        found = {"threshold": story_threshold, "window_days": story_window_days,
                 "seconds": round(time.perf_counter() - started, 1)}
    reject_counts, write_rejects = None, None
    if spilled is not None:
        rejected, reject_counts, write_rejects = spilled.rejects.finish(every_file)
    else:
        rejected = _in_file_order([r for r in rejects if len(r)], every_file)
    result = IngestResult(articles, rejected, read_count=read_count, notes=tuple(notes), pairs=pairs, stories=found,
                          files=listing.result(),
                          incremental=_counts(previous, updated), months=months,
                          older_version_count=spilled.older_versions if spilled is not None else None,
                          reject_counts=reject_counts, write_rejects=write_rejects)
    _check_reconciles(result)
    return result


def _in_file_order(rejects: list[pd.DataFrame], files: list[str]) -> pd.DataFrame:
    if not rejects:
        return schema.empty_rejects()
    return incremental.in_file_order(schema.conform(pd.concat(rejects, ignore_index=True), schema.REJECT_COLUMNS),
                                     files)


def _counts(previous: incremental.Plan | None, updated: update.Updated | None) -> dict | None:
    """Return the files an incremental run read and took as they were, and the months it wrote and carried when it
    started from the corpus's index (`update`)."""
    if previous is None:
        return None
    months = {"months_written": updated.months_written, "months_carried": updated.months_carried} if updated else {}
    return {**previous.counts(), **months}


def read_records(paths: Iterable[str | Path], *, columns: dict[str, str] | None = None) -> Iterator[Batch]:
    """Yield the raw records of every file under `paths` as the readers make them, in file order, not normalised
    (to see what a reader makes of a file); a file that cannot be read is a reject."""
    texts = workers.TextFiles(None)
    return _batches(inputs.expand(paths, listed=texts.count_listed), columns=columns, texts=texts)


def _check_columns(files: list[str], columns: dict[str, str]) -> None:
    """Refuse, before anything is read, a column mapping that names a column some tabular file does not have."""
    problems = []
    for path in files:
        if inputs.special_kind(path):
            continue  # a named pipe or a device is a reject when read, and must not be opened here
        try:
            name = readers.detect_format(path)
            found = readers.column_names(path, name) if name else None
        except Exception:  # noqa: BLE001 - a file that cannot be read is reported as a reject when it is read
            continue
        missing = [f"{field}={column}" for field, column in columns.items()
                   if found is not None and column not in found]
        if missing:
            problems.append(f"  {locator(path)} has no column {', '.join(missing)}; its columns are "
                            f"{', '.join(found) or 'none'}")
    if problems:
        raise InputError("--column names columns these files do not have, so nothing was read or written:\n"
                         + "\n".join(problems))


def _batches(files: list[str], *, columns: dict[str, str] | None,
             texts: workers.TextFiles) -> Iterator[Batch | workers.Normalised]:
    """Yield the batches of every file of `files`, in order; a file that cannot be read is a reject.

    Text articles come one per file, so consecutive ones go to `texts`, which reads them in shared batches.
    """
    for path in files:
        special = inputs.not_regular(path)  # before anything opens it: opening a named pipe never returns
        if special is not None:
            yield from texts.flush()
            yield special
            continue
        try:
            name = readers.detect_format(path)
        except Exception as exc:  # noqa: BLE001 - a file that cannot be opened is a reject, and ingest goes on
            yield from texts.flush()
            if os.path.isdir(path):  # a folder `inputs.expand` could not list
                yield inputs.folder_reject(path)
            else:
                detail = str(exc) if isinstance(exc, InputError) else readers.unreadable(locator(path), exc)
                yield file_reject(locator(path), "unreadable file", detail)
            continue
        if name == "text":
            yield from texts.add(path)
            continue
        yield from texts.flush()  # batches come out in file order
        if name is None:
            yield file_reject(locator(path), "unsupported format", readers.unsupported(path))
            continue
        yield from readers.read_file(path, name, columns=columns)
    yield from texts.flush()


def _done(result) -> Future:
    future: Future = Future()
    future.set_result(result)
    return future


def _collect(future: Future, articles: list[pd.DataFrame], rejects: list[pd.DataFrame]) -> None:
    batch_articles, batch_rejects = future.result()
    articles.append(batch_articles)
    rejects.append(batch_rejects)


def ingest(paths: Iterable[str | Path], *, out: str | Path, replace: bool = False, full: bool = False,
           partitioned: bool = False, **options) -> IngestResult:
    """Read `paths` and write the corpus to `out` (Parquet) with its rejects and summary beside it; `options` as
    `read` takes them. With `partitioned`, `out` is a folder holding a Parquet dataset partitioned by month
    (`corpus.layout`), which every reader of a corpus accepts as it accepts one file.

    When `out` holds a corpus read from these inputs with the same options, only the files new or changed since are
    read (`incremental`), unless `full`; the corpus written is the one a full ingest would write.

    Nothing is written when no article could be kept, so a bad run never replaces the last good corpus; nor, unless
    `replace`, when the run keeps less than half the articles of the corpus already at `out` (a wrong option or a
    missing folder would otherwise replace a year of articles with a handful).
    """
    key = incremental.options_key(options)
    paths = list(paths)  # read twice: to plan, then to read
    plan = None if full else incremental.plan(paths, out=out, key=key)
    if plan is not None and plan.up_to_date and layout.is_dataset(out) == partitioned:
        return _as_it_is(plan, out)
    if plan is not None and bool(plan.corpus) != partitioned:
        plan = None  # the corpus changes form: read everything, as the other form is written from scratch
    # A partitioned corpus goes through disk, so that memory does not grow with its texts; so does an incremental
    # run on one (its unchanged articles are taken from it a month at a time).
    with spill.beside(out) if partitioned else contextlib.nullcontext() as folder:
        return _read_and_write(paths, out=out, plan=plan, key=key, replace=replace, partitioned=partitioned,
                               spilled=spill.Spill(folder, files=plan.files if plan else None) if folder else None,
                               options=options)


def _read_and_write(paths: list, *, out: str | Path, plan: incremental.Plan | None, key: str, replace: bool,
                    partitioned: bool, spilled: spill.Spill | None, options: dict) -> IngestResult:
    result = read(paths, previous=plan, spilled=spilled, **options)
    if result.articles.empty:
        reasons = ", ".join(f"{n} {r}" for r, n in result.rejected_by_reason.items()) or "no files"
        raise InputError(
            f"no article could be ingested ({result.read_count} records read; rejected: {reasons}). "
            f"The corpus at {out} was left as it was. First problem: {_first_detail(result.rejects)}"
        )
    previous = _articles_in(out)
    if not replace and previous and len(result.articles) < SHRINK_LIMIT * previous:
        raise InputError(
            f"this run kept {len(result.articles):,} articles (of {result.read_count:,} records read), where the "
            f"corpus at {out} holds {previous:,}; it was left as it was. {_top_reasons(result)}If the "
            "smaller corpus is what you want, ingest again with --replace (replace=True)."
        )
    corpus.write_generation(result.articles, result.write_rejects or result.rejects,
                            {**result.summary(), "ingest_key": key}, out,
                            pairs=result.pairs, files=result.files, partitioned=partitioned, months=result.months)
    return result


SHRINK_LIMIT = 0.5  # a new corpus smaller than this share of the one it replaces is not written without `replace`


def _as_it_is(previous: incremental.Plan, out: str | Path) -> IngestResult:
    """Return the corpus at `out` as it is, written by no one: no file of its input is new, changed or gone (a
    scheduled run on a folder that got no news costs a listing and a read)."""
    summary = corpus.read_summary(out)
    stories = summary.get("near_duplicates")
    return IngestResult(previous.articles, previous.rejects, read_count=len(previous.articles) + len(previous.rejects),
                        notes=previous.notes, pairs=corpus.read_pairs(out),
                        stories={key: stories[key] for key in ("threshold", "window_days", "seconds")} if stories
                        else None, incremental=previous.counts(), written=False,
                        # articles taken from a partitioned corpus's index have no URLs: the count is the corpus's
                        older_version_count=None if "url" in previous.articles else summary.get("older_versions"))


def _articles_in(path: str | Path) -> int:
    """Return how many articles the corpus at `path` holds (0 when there is none, or it cannot be read)."""
    try:
        from newsframe.corpus import layout

        return layout.count_rows(path)
    except Exception:  # noqa: BLE001 - no readable corpus there: nothing to protect
        return 0


def _top_reasons(result: IngestResult) -> str:
    if not result.rejected_count:
        return ""
    reason, count = next(iter(result.rejected_by_reason.items()))
    example = result.rejects[result.rejects["reason"] == reason]
    return f"Most rejects ({count:,}) are {reason}: {_first_detail(example)} "


def format_summary(summary: dict, *, top: int = 10) -> str:
    """Return the ingest summary as lines for a terminal: counts, each reason for rejects with an example, notes,
    dates, languages and the largest sources; a run that kept few of the records it read says so first."""
    lines = []
    if summary["read"] and summary["kept"] + summary["duplicates"] < LOW_KEPT_SHARE * summary["read"]:
        lines.append(f"WARNING: only {summary['kept'] + summary['duplicates']:,} of {summary['read']:,} records "
                     "were kept; the reasons follow.")
    files = summary.get("files") or {}
    if "unchanged" in files:
        lines.append(f"files: {files['read']:,} new or changed read, {files['unchanged']:,} unchanged taken from the "
                     f"corpus, {files['removed']:,} gone from the input (--full reads every file again)")
    lines.append(f"read {summary['read']:,} records: kept {summary['kept']:,}, duplicates {summary['duplicates']:,}, "
                 f"rejected {summary['rejected']:,}")
    examples = summary.get("reject_examples", {})
    for reason, count in summary["rejected_by_reason"].items():
        example = examples.get(reason, "")
        lines.append(f"  rejected, {reason}: {count:,}" + (f" — e.g. {_shortened(example)}" if example else ""))
    if summary.get("older_versions"):
        lines.append(f"  of the duplicates, older versions of an article at one URL: {summary['older_versions']:,}")
    stories = summary.get("near_duplicates")
    if stories:
        count = stories["stories_of_two_or_more"]
        lines.append(f"near-duplicates: {stories['articles_in_stories_of_two_or_more']:,} articles print "
                     f"{count:,} {'story' if count == 1 else 'stories'} more than once (Jaccard ≥ "
                     f"{stories['threshold']}, {stories['window_days']:g} days apart at most; `newsframe stories` "
                     "lists them)")
    if summary.get("title_only"):
        lines.append(f"  kept without text (headlines only): {summary['title_only']:,}")
    lines.append(f"published {summary['first_published']} to {summary['last_published']}")
    lines.append("languages: " + ", ".join(f"{k} {v:,}" for k, v in summary["languages"].items()))
    notes = summary.get("notes", [])
    lines += [f"  note: {note}" for note in notes[:top]]
    lines += [f"  … and {len(notes) - top} more notes in the summary file"] if len(notes) > top else []
    sources = list(summary["sources"].items())
    more = f" and {len(sources) - top} more (`newsframe sources` lists them)" if len(sources) > top else ""
    lines.append("sources: " + ", ".join(f"{k} {v:,}" for k, v in sources[:top]) + more)
    return "\n".join(lines)


LOW_KEPT_SHARE = 0.5  # a run keeping less than this share of what it read is told loudly


def _shortened(text: str, limit: int = 220) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _check_reconciles(result: IngestResult) -> None:
    accounted = result.kept_count + result.duplicate_count + result.rejected_count
    if accounted != result.read_count:
        raise NewsframeError(
            f"internal error: read {result.read_count} records but accounted for {accounted}. "
            "Please report this with the input files."
        )


def _first_detail(rejects: pd.DataFrame) -> str:
    return str(rejects["detail"].iloc[0]) if len(rejects) else "no input files found"
