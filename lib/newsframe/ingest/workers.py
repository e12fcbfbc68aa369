"""Text articles, one per file, read in shared batches; in a large folder by worker processes that also normalise.

Opening and parsing 100,000 small files is Python work that threads cannot share, so from `WORKER_MIN_TEXT_FILES`
files on, batches go to worker processes, which read them and apply the normaliser there: only the result travels
back. Smaller inputs are read in this process, where starting workers would cost more than they save
(bench/README.md).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pandas as pd

from newsframe.ingest.records import Batch

__all__ = ["Normalised", "TextFiles"]

WORKER_MIN_TEXT_FILES = 20_000  # text files from which worker processes read them
TEXT_BATCH_FILES = 5_000  # text files read together (by one worker process in a large folder)
TEXT_WORKERS = min(2, os.cpu_count() or 1)

Normaliser = Callable[[pd.DataFrame], tuple[pd.DataFrame, pd.DataFrame]]


@dataclass(frozen=True)
class Normalised:
    """A batch of text files read and normalised by a worker process: the articles, every reject (unreadable
    files and unusable records), how many records were read, and the reader's notes."""

    articles: pd.DataFrame
    rejects: pd.DataFrame
    read_count: int
    notes: tuple[str, ...] = ()


class TextFiles:
    """Text files in file order, read in batches of `TEXT_BATCH_FILES`: in this process as `Batch`es of raw
    records, or, once the input holds `WORKER_MIN_TEXT_FILES` of them, by worker processes as `Normalised`."""

    def __init__(self, normalise: Normaliser | None):
        self.normalise = normalise
        self.listed = 0  # text files seen while the input is listed
        self.pending: list[str] = []
        self.running: list = []  # futures of batches being read, oldest first
        self.pool = None  # worker processes, for a large folder only: starting them costs more than a small one saves

    def count_listed(self, names: list[str]) -> None:
        """Count text files as the input is listed, and start the workers as soon as there are enough of them."""
        self.listed += sum(os.path.splitext(name)[1].lower() == ".txt" for name in names)
        if self.pool is None and self.listed >= WORKER_MIN_TEXT_FILES:
            self._start()

    def add(self, path: str) -> Iterator[Batch | Normalised]:
        """Queue a text file; yield the batches that are ready."""
        self.pending.append(path)
        if len(self.pending) >= TEXT_BATCH_FILES:
            yield from self._submit()

    def flush(self) -> Iterator[Batch | Normalised]:
        """Yield every batch still queued or running, in file order."""
        if self.pending:
            yield from self._submit()
        while self.running:
            yield self.running.pop(0).result()

    def _submit(self) -> Iterator[Batch | Normalised]:
        from newsframe.ingest.readers import text

        paths, self.pending = self.pending, []
        if self.pool is None:
            yield text.read_texts(paths)
            return
        self.running.append(self.pool.submit(_read_and_normalise, paths, self.normalise))
        while len(self.running) > TEXT_WORKERS:  # bounded memory: at most one batch waiting per worker
            yield self.running.pop(0).result()

    def _start(self) -> None:
        # loky (shipped with joblib, which scikit-learn brings) starts clean worker processes without
        # re-running the caller's script, so a plain script without a __main__ guard works too; it reuses them.
        from joblib.externals.loky import get_reusable_executor

        self.pool = get_reusable_executor(max_workers=TEXT_WORKERS, timeout=60)
        for _ in range(TEXT_WORKERS):  # imports and the language model load while the folder is still listed
            self.pool.submit(_warm_up)


def _warm_up() -> None:
    from newsframe.ingest import language, normalise  # noqa: F401 - imported for the batches to come
    from newsframe.ingest.readers import text  # noqa: F401

    language.load_classifier()


def _read_and_normalise(paths: list[str], normalise: Normaliser | None) -> Batch | Normalised:
    """Read text articles in a worker process and normalise them there (without `normalise`, or when no file could
    be read, the batch comes back as it is)."""
    from newsframe.ingest.readers import text

    batch = text.read_texts(paths)
    if normalise is None or not len(batch.records):
        return batch
    articles, rejects = normalise(batch.records)
    both = [r for r in (batch.rejects, rejects) if len(r)]
    return Normalised(articles, pd.concat(both, ignore_index=True) if both else batch.rejects, batch.read_count,
                      batch.notes)
