"""Write the data behind each chart as CSV beside the report, so that every figure can be checked and redrawn."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from newsframe import atomic, paths

__all__ = ["listing", "neutralised", "write_all", "write_csv", "write_parquet"]

_FORMULA = r"^[=+\-@\t\r]"


def write_csv(frame: pd.DataFrame, *, folder: str | Path, name: str) -> Path | None:
    """Write `frame` to `folder/name.csv` (UTF-8, atomically) and return the path; do nothing when folder is empty."""
    if not folder:
        return None
    path = paths.resolve(folder) / f"{re.sub(r'[^0-9A-Za-z_.-]+', '-', name).strip('-')}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    safe = neutralised(frame)
    atomic.write_with(path, lambda scratch: safe.to_csv(scratch, index=False, encoding="utf-8"))
    return path


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the frame with text cells that a spreadsheet would run as a formula (starting with =, +, -, @, a tab
    or a carriage return, as in an article quoting `=HYPERLINK(…)`) prefixed with an apostrophe, which spreadsheets
    show as text and hide. Numbers are left as they are."""
    text_columns = [c for c in frame.columns
                    if pd.api.types.is_string_dtype(frame[c]) or pd.api.types.is_object_dtype(frame[c])]
    changed = {}
    for column in text_columns:
        values = frame[column].astype("string")
        risky = values.str.match(_FORMULA).fillna(False)
        if risky.any():
            changed[column] = values.where(~risky, "'" + values)
    return frame.assign(**changed) if changed else frame


def write_all(frames: dict[str, pd.DataFrame], *, folder: str | Path) -> list[Path]:
    """Write each frame as `folder/<name>.csv`; return the paths (none when folder is empty)."""
    written = [write_csv(frame, folder=folder, name=name) for name, frame in frames.items()]
    return [path for path in written if path is not None]


def write_parquet(frame: pd.DataFrame, *, folder: str | Path, name: str) -> Path | None:
    """Write `frame` to `folder/name.parquet` atomically (for tables too long for a spreadsheet, such as topic
    weights per article); do nothing when folder is empty."""
    if not folder:
        return None
    path = paths.resolve(folder) / f"{name}.parquet"
    atomic.write_with(path, lambda scratch: frame.to_parquet(scratch, index=False))
    return path


def listing(paths: Iterable[Path | None]) -> str:
    """Return Markdown naming the files written and their sizes, for the end of a report (not Python reprs)."""
    paths = [Path(p) for p in paths if p is not None]
    if not paths:
        return "Nothing written: set the `data_dir` parameter to keep the data behind each chart."
    folders = sorted({str(p.parent) for p in paths})
    lines = [f"Written to `{'`, `'.join(folders)}`:", ""]
    lines += [f"- `{p.name}` ({_size(p)})" for p in paths]
    return "\n".join(lines)


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / 2**20:,.1f} MB" if size >= 2**20 else f"{max(1, round(size / 2**10)):,} KB"
