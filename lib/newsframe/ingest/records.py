"""Raw records: what a reader makes of a file, before normalising. All fields are strings, values as written.

A reader returns `Batch`es: the records it could read (columns `RAW_FIELDS`) and the records or whole file it had
to reject, with a reason (columns of `corpus.schema.REJECT_COLUMNS`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from newsframe.corpus.schema import REJECT_COLUMNS, conform, empty_rejects

__all__ = ["RAW_FIELDS", "Batch", "as_json", "file_reject", "records_frame", "rejects_frame"]

RAW_FIELDS = ("title", "text", "published", "source", "url", "section", "author", "language", "subtitle", "page",
              "edition", "word_count", "document_id", "origin", "encoding")


@dataclass(frozen=True)
class Batch:
    """Records read from one file (or from several small ones), what was rejected from it, and notes on what the
    reader had to work around (a file mixing encodings), which the ingest summary reports."""

    records: pd.DataFrame
    rejects: pd.DataFrame
    notes: tuple[str, ...] = ()

    @property
    def read_count(self) -> int:
        """Records seen: the ones read plus the ones rejected (a whole-file reject counts as one)."""
        return len(self.records) + len(self.rejects)


def records_frame(rows: Iterable[dict] | pd.DataFrame) -> pd.DataFrame:
    """Return raw records with exactly the RAW_FIELDS columns, as strings (missing where absent)."""
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    frame = frame.reindex(columns=list(RAW_FIELDS))
    return frame.astype("string").reset_index(drop=True)


def rejects_frame(rows: Iterable[dict]) -> pd.DataFrame:
    """Return a rejects table from dicts with origin, reason, detail and optionally the raw record.

    Columns: those of `corpus.schema.REJECT_COLUMNS` (`origin`, `reason`, `detail`, `record`), as strings.
    """
    rows = list(rows)
    if not rows:
        return empty_rejects()
    return conform(pd.DataFrame(rows).reindex(columns=list(REJECT_COLUMNS)), REJECT_COLUMNS)


def as_json(record: dict) -> str:
    """Return a raw record as JSON for the rejects table, keeping every field and non-ASCII text readable."""
    return json.dumps(record, ensure_ascii=False, default=str)


def file_reject(origin: str, reason: str, detail: str) -> Batch:
    """Return a batch that rejects a whole file."""
    return Batch(records_frame([]), rejects_frame([{"origin": origin, "reason": reason, "detail": detail}]))
