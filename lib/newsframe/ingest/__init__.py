"""Ingest: files -> raw records -> articles, written as the corpus with its rejects and a summary.

    inputs.expand        the files under the paths given, in a stable order
    readers              one module per format: a file -> raw records (`records.Batch`), or a reject
    workers              large folders of text articles: read and normalised by worker processes
    normalise            raw records -> articles and rejects (clean, dates, language, ids), then duplicates
    corpus (package)     the corpus written atomically: articles, rejects, summary

`read` returns what an ingest found; `ingest` also writes it. Every record read ends up an article or a reject,
and the counts are checked to reconcile.
"""

from __future__ import annotations

import functools
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from newsframe import corpus
from newsframe.corpus import fingerprint, schema
from newsframe.errors import InputError, NewsframeError
from newsframe.ingest import inputs, language, normalise, readers, workers
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

    @property
    def duplicate_count(self) -> int:
        return int(self.articles["duplicate_of"].notna().sum())

    @property
    def kept_count(self) -> int:
        return len(self.articles) - self.duplicate_count

    def summary(self) -> dict:
        """Return the counts, reasons, date range, languages and sources as plain data (for JSON and printing)."""
        published = self.articles["published"]
        return {
            "read": self.read_count,
            "kept": self.kept_count,
            "duplicates": self.duplicate_count,
            "rejected": len(self.rejects),
            "rejected_by_reason": self.rejects["reason"].value_counts().to_dict(),
            "first_published": published.min().isoformat() if len(published) else None,
            "last_published": published.max().isoformat() if len(published) else None,
            "languages": self.articles["language"].fillna("unknown").value_counts().to_dict(),
            "sources": self.articles["source"].value_counts().to_dict(),
            "notes": list(self.notes),
            "corpus_fingerprint": fingerprint.of_articles(self.articles),
        }


def read(
    paths: Iterable[str | Path],
    *,
    columns: dict[str, str] | None = None,
    languages: tuple[str, ...] = language.DEFAULT_LANGUAGES,
    date_order: str = "DMY",
) -> IngestResult:
    """Read every file under `paths` into articles and rejects; counts reconcile or NewsframeError is raised.

    Batches are normalised as they are read, so memory holds the corpus being built plus a few batches of raw
    records.
    """
    language.check_languages(languages)  # before reading anything, not when the first batch needs the detector
    normalise_batch = functools.partial(normalise.normalise_batch, languages=languages, date_order=date_order)
    articles, rejects, notes, read_count = [], [], [], 0
    pending: deque[Future] = deque()
    with ThreadPoolExecutor(max_workers=THREADS) as threads:
        threads.submit(language.load_classifier, languages)  # while the first input is read, not when a batch needs it
        for item in _batches(paths, columns=columns, texts=workers.TextFiles(normalise_batch)):
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
    rejects = [r for r in rejects if len(r)]
    result = IngestResult(normalise.combine_batches(articles),
                          schema.conform(pd.concat(rejects, ignore_index=True), schema.REJECT_COLUMNS) if rejects
                          else schema.empty_rejects(),
                          read_count=read_count, notes=tuple(notes))
    _check_reconciles(result)
    return result


def read_records(paths: Iterable[str | Path], *, columns: dict[str, str] | None = None) -> Iterator[Batch]:
    """Yield the raw records of every file under `paths` as the readers make them, in file order, not normalised
    (to see what a reader makes of a file); a file that cannot be read is a reject."""
    return _batches(paths, columns=columns, texts=workers.TextFiles(None))


def _batches(paths: Iterable[str | Path], *, columns: dict[str, str] | None,
             texts: workers.TextFiles) -> Iterator[Batch | workers.Normalised]:
    """Yield the batches of every file under `paths`, in file order; a file that cannot be read is a reject.

    Text articles come one per file, so consecutive ones go to `texts`, which reads them in shared batches.
    """
    files = inputs.expand(paths, listed=texts.count_listed)  # a large folder's workers start while it is listed
    for path in files:
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


def ingest(paths: Iterable[str | Path], *, out: str | Path, **options) -> IngestResult:
    """Read `paths` and write the corpus to `out` (Parquet) with its rejects and summary beside it.

    Nothing is written when no article could be kept, so a bad run never replaces the last good corpus.
    """
    result = read(paths, **options)
    if result.articles.empty:
        reasons = ", ".join(f"{n} {r}" for r, n in result.rejects["reason"].value_counts().items()) or "no files"
        raise InputError(
            f"no article could be ingested ({result.read_count} records read; rejected: {reasons}). "
            f"The corpus at {out} was left as it was. First problem: {_first_detail(result.rejects)}"
        )
    corpus.write_generation(result.articles, result.rejects, result.summary(), out)
    return result


def format_summary(summary: dict, *, top: int = 10) -> str:
    """Return the ingest summary as lines for a terminal."""
    lines = [
        f"read {summary['read']:,} records: kept {summary['kept']:,}, duplicates {summary['duplicates']:,}, "
        f"rejected {summary['rejected']:,}",
    ]
    lines += [f"  rejected, {reason}: {count:,}" for reason, count in summary["rejected_by_reason"].items()]
    lines.append(f"published {summary['first_published']} to {summary['last_published']}")
    lines.append("languages: " + ", ".join(f"{k} {v:,}" for k, v in summary["languages"].items()))
    notes = summary.get("notes", [])
    lines += [f"  note: {note}" for note in notes[:top]]
    lines += [f"  … and {len(notes) - top} more notes in the summary file"] if len(notes) > top else []
    sources = list(summary["sources"].items())
    more = f" and {len(sources) - top} more" if len(sources) > top else ""
    lines.append("sources: " + ", ".join(f"{k} {v:,}" for k, v in sources[:top]) + more)
    return "\n".join(lines)


def _check_reconciles(result: IngestResult) -> None:
    accounted = result.kept_count + result.duplicate_count + len(result.rejects)
    if accounted != result.read_count:
        raise NewsframeError(
            f"internal error: read {result.read_count} records but accounted for {accounted}. "
            "Please report this with the input files."
        )


def _first_detail(rejects: pd.DataFrame) -> str:
    return str(rejects["detail"].iloc[0]) if len(rejects) else "no input files found"
