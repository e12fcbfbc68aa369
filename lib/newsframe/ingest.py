"""Ingest: read files and folders, normalise, and write the corpus with its rejects and a summary."""

from __future__ import annotations

import functools
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from newsframe import corpus, language, normalise, readers, schema
from newsframe.errors import InputError, NewsframeError


@dataclass(frozen=True)
class IngestResult:
    """What an ingest produced: the articles, the rejects and the counts that reconcile them."""

    articles: pd.DataFrame
    rejects: pd.DataFrame
    read_count: int

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
            "corpus_fingerprint": corpus.fingerprint(self.articles),
        }


def read(
    paths: Iterable[str | Path],
    *,
    columns: dict[str, str] | None = None,
    languages: tuple[str, ...] = language.DEFAULT_LANGUAGES,
    date_order: str = "DMY",
) -> IngestResult:
    """Read every file under `paths` into articles and rejects; counts reconcile or NewsframeError is raised.

    Batches are normalised as they are read, so memory holds the corpus being built plus one batch of raw records.
    """
    language.check_languages(languages)  # before reading anything, not when the first batch needs the detector
    prepared, rejects, read_count = [], [], 0
    pending: deque[Future] = deque()
    prepare = functools.partial(normalise.prepare, languages=languages, date_order=date_order)
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:  # the heavy steps are pyarrow's, which free the GIL
        pool.submit(language.load_classifier, languages)  # while the first input is read, not when a batch needs it
        for batch in readers.read(paths, columns=columns, then=prepare):
            read_count += batch.read_count
            rejects.append(batch.rejects)
            if batch.prepared is not None:  # normalised by the worker process that read it
                pending.append(_done(batch.prepared))
            elif len(batch.records):
                pending.append(pool.submit(prepare, batch.records))
            while len(pending) > WORKERS:  # a bounded queue: memory holds a few raw batches, not the whole input
                _collect(pending.popleft(), prepared, rejects)
        while pending:
            _collect(pending.popleft(), prepared, rejects)
    rejects = [r for r in rejects if len(r)]
    result = IngestResult(normalise.finish(prepared),
                          schema.conform(pd.concat(rejects, ignore_index=True), schema.REJECT_COLUMNS) if rejects
                          else schema.empty_rejects(),
                          read_count=read_count)
    _check_reconciles(result)
    return result


WORKERS = 2


def _done(result) -> Future:
    future: Future = Future()
    future.set_result(result)
    return future


def _collect(future: Future, prepared: list[pd.DataFrame], rejects: list[pd.DataFrame]) -> None:
    articles, record_rejects = future.result()
    prepared.append(articles)
    rejects.append(record_rejects)


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
    corpus.write_rejects(result.rejects, corpus.rejects_path(out))
    corpus.write_json(result.summary(), corpus.summary_path(out))
    corpus.write(result.articles, out)
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
