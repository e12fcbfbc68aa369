"""Dated events to mark on timelines, read from a small CSV a researcher keeps beside the corpus.

    date,label,end_date
    2023-07-27,Russia–Africa summit,2023-07-28
    2022-02-24,Invasion of Ukraine,

`date` and `label` are required, `end_date` is optional (a span); dates are calendar days (YYYY-MM-DD).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from newsframe import paths
from newsframe.errors import ParameterError

__all__ = ["COLUMNS", "between", "empty", "read"]

COLUMNS = ("date", "label", "end_date")


def read(path: str | Path) -> pd.DataFrame:
    """Return the events of a CSV file: `date`, `end_date` (missing for one-day events) and `label`, by date."""
    path = paths.resolve(path)
    if not path.is_file():
        raise ParameterError(f"events file {path} not found. Write a CSV with columns date,label[,end_date].")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{path}: not a readable CSV ({exc}). Put a label holding commas in double quotes, "
                             "and save the file as UTF-8.") from exc
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    missing = [c for c in ("date", "label") if c not in raw.columns]
    if missing:
        raise ParameterError(f"{path}: no {' or '.join(missing)} column; its columns are {', '.join(raw.columns)}. "
                             "Expected date,label[,end_date].")
    end = raw["end_date"] if "end_date" in raw.columns else pd.Series("", index=raw.index)
    events = pd.DataFrame({
        "date": _days(raw["date"], path=path, column="date", required=True),
        "end_date": _days(end, path=path, column="end_date", required=False),
        "label": raw["label"].str.strip().astype("string"),
    })
    backwards = events["end_date"].notna() & (events["end_date"] < events["date"])
    if backwards.any():
        row = int(backwards.idxmax()) + 2
        raise ParameterError(f"{path} row {row}: end_date is before date. Swap them or leave end_date empty.")
    return events.sort_values("date", kind="stable").reset_index(drop=True)


def empty() -> pd.DataFrame:
    """Return a frame with no events (the columns `read` returns)."""
    return pd.DataFrame({"date": pd.Series([], dtype="datetime64[us, UTC]"),
                         "end_date": pd.Series([], dtype="datetime64[us, UTC]"),
                         "label": pd.Series([], dtype="string")})


def between(events: pd.DataFrame, *, first: pd.Timestamp, last: pd.Timestamp) -> pd.DataFrame:
    """Return the events that touch the span from `first` to `last`."""
    ends = events["end_date"].fillna(events["date"])
    return events[(ends >= first) & (events["date"] <= last)].reset_index(drop=True)


def _days(values: pd.Series, *, path: Path, column: str, required: bool) -> pd.Series:
    text = values.str.strip()
    parsed = pd.to_datetime(text.where(text != ""), format="%Y-%m-%d", errors="coerce")
    bad = (text != "") & parsed.isna()
    if required:
        bad |= text == ""
    if bad.any():
        row = int(bad.idxmax())
        raise ParameterError(f"{path} row {row + 2}: {column} {values[row]!r} is not a date. Write it as YYYY-MM-DD.")
    return parsed.dt.tz_localize("UTC").astype("datetime64[us, UTC]")
