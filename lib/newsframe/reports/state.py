"""What a reports folder remembers between runs: each job's last run and its run key (the skip rule), and the lock
that keeps two runs from writing at once.

A job is skipped when its run key is the one of its last successful run: the key changes with the notebook, the
parameters, newsframe's version, the corpus's content and the bytes of every file a parameter names. A job's entry
also keeps the facts of its last successful run and what changed since the run before (`since`), which a failed or
skipped run leaves as they are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from newsframe import __version__, atomic, paths
from newsframe.corpus import fingerprint, layout
from newsframe.errors import ReportError
from newsframe.reports.config import Job
from newsframe.reports.parameters import INPUT_SUFFIXES

__all__ = ["LOCK_FILE", "STATE_FILE", "Lock", "file_digest", "now", "read_state", "run_key", "write_state"]

STATE_FILE = ".newsframe-state.json"
LOCK_FILE = ".newsframe.lock"


def run_key(job: Job, parameters: dict) -> str:
    """Return a key that changes when the job's notebook, parameters, newsframe's version or its input data change.

    The corpus counts by content (its article ids, which hash each article), so re-ingesting the same articles
    changes nothing; other input files count by their bytes.
    """
    digest = hashlib.sha256()
    digest.update(job.notebook.read_bytes())
    digest.update(json.dumps(parameters, sort_keys=True, default=str).encode())
    digest.update(__version__.encode())
    for name, value in sorted(parameters.items()):
        if not (name.endswith(INPUT_SUFFIXES) and isinstance(value, str) and value):
            continue
        path = paths.resolve(value)
        digest.update(name.encode())
        if layout.is_dataset(path) or (path.is_file() and path.suffix == ".parquet"):  # a corpus, in either form
            digest.update(fingerprint.of_corpus_file(path).encode())
        elif path.is_file():
            digest.update(file_digest(path).encode())
    return digest.hexdigest()[:32]


def file_digest(path: str | Path) -> str:
    """Return a hash of a file's bytes, read a megabyte at a time."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_state(out: Path) -> dict:
    """Return each job's last run as recorded in `<out>/.newsframe-state.json` (empty when there is none)."""
    path = out / STATE_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_state(out: Path, state: dict) -> Path:
    """Write the jobs' state to `<out>/.newsframe-state.json` atomically."""
    return atomic.write_text(out / STATE_FILE, json.dumps(state, indent=2, ensure_ascii=False) + "\n")


class Lock(atomic.Lock):
    """The reports folder's lock (`atomic.Lock` on `.newsframe.lock`): a second run is refused, not kept waiting."""

    def __init__(self, folder: Path):
        super().__init__(folder / LOCK_FILE, busy=lambda holder: _refuse(folder, holder))


def _refuse(folder: Path, holder: int | None) -> None:
    raise ReportError(f"another newsframe run ({f'process {holder}' if holder else 'a process'}) is writing reports "
                      f"to {folder}; wait for it to finish.")


def now() -> str:
    """Return the time now, as runs are recorded: `2026-11-30 06:12:00 UTC`."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
