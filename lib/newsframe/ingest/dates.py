"""Parse the publication dates found in real news data into UTC timestamps, keeping whether a time was given.

Rules: a calendar date without a time stays on its day (midnight UTC, `is_time_known` False); a time without an
offset is taken as UTC; an offset is honoured (RFC 822's odd ones such as `+0009` too). Strings are parsed once per
distinct value, with fast vectorised paths for ISO 8601 and the common numeric layouts before a slower fallback.
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, datetime

import pandas as pd

__all__ = ["NO_DATE", "parse", "parse_one"]

_DAY_ONLY = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$|^\d{4}/\d{1,2}/\d{1,2}$")
# Year first, then two numbers: always year-month-day. When that is no real date (2023-13-01, 2023-31-12), the value
# is refused, never read another way round.
_YEAR_FIRST = re.compile(r"^\d{4}[-/]\d{1,2}[-/]\d{1,2}(?:$|[T ])")
# Seconds (or milliseconds) since 1970, as some exports and APIs give them: they carry a time.
_EPOCH_SECONDS = re.compile(r"^\d{10}(?:\.\d+)?$")
_EPOCH_MILLISECONDS = re.compile(r"^\d{13}$")
_ISO_WITH_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}")
# Layouts seen in real exports; tried in order on what ISO parsing left over.
_FORMATS: tuple[tuple[re.Pattern, str, bool], ...] = (
    (re.compile(r"^\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{2}$"), "%Y/%m/%d %H:%M", True),
    (re.compile(r"^\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{2}:\d{2}$"), "%Y/%m/%d %H:%M:%S", True),
    (re.compile(r"^\d{4}/\d{1,2}/\d{1,2}$"), "%Y/%m/%d", False),
    (re.compile(r"^\d{1,2}-[A-Za-z]{3}-\d{4} \d{1,2}:\d{2}:\d{2}\.\d+$"), "%d-%b-%Y %H:%M:%S.%f", True),
    (re.compile(r"^\d{1,2}-[A-Za-z]{3}-\d{4} \d{1,2}:\d{2}:\d{2}$"), "%d-%b-%Y %H:%M:%S", True),
    (re.compile(r"^\d{8}$"), "%Y%m%d", False),
)
_RFC822 = re.compile(r"^(?:[A-Za-z]{3},?\s+)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")
_CONTROL_TAIL = r"(?:&#\d+;|[\x00-\x08\x0b-\x1f]).*$"
_HAS_TIME = re.compile(r"\d{1,2}\s*(?::|h)\s*\d{2}")
_FALLBACK_LANGUAGES = ["fr", "en", "de", "es", "it", "pt"]
NO_DATE = "no date given"
_EARLIEST = pd.Timestamp("1800-01-01", tz="UTC")
_EMPTY_ROW = pd.DataFrame(
    {
        "published": pd.Series([pd.NaT], dtype="datetime64[us, UTC]"),
        "is_time_known": [False],
        "date_error": pd.Series([NO_DATE], dtype="string"),
    }
)


def parse(values: pd.Series, *, date_order: str = "DMY") -> pd.DataFrame:
    """Parse date strings; return a frame (same index) with `published`, `is_time_known` and `date_error`.

    `date_order` settles ambiguous numeric dates such as 04/10/2012 (DMY: 4 October, the European reading).
    `date_error` is missing where parsing worked, else says why the value was refused.
    """
    # Wire-service dates can carry transmission control codes after them (Reuters: `…00:02:59.13&#5;&#5;RM`).
    raw = values.astype("string").str.replace(_CONTROL_TAIL, "", regex=True).str.strip()
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    parsed = _parse_uniques(pd.Series(uniques, dtype="string"), date_order=date_order)
    # Row -1 stands for a missing value: factorize codes it -1, and take() then picks this extra empty row.
    parsed = pd.concat([parsed, _EMPTY_ROW], ignore_index=True)
    looked_up = parsed.take(codes)
    out = pd.DataFrame(
        {
            "published": looked_up["published"].array,
            "is_time_known": looked_up["is_time_known"].astype(bool).array,
            "date_error": looked_up["date_error"].astype("string").array,
        },
        index=values.index,
    )
    out.loc[raw.isna() | (raw == ""), "date_error"] = NO_DATE
    return out


def _parse_uniques(uniques: pd.Series, *, date_order: str) -> pd.DataFrame:
    published = pd.Series(pd.NaT, index=uniques.index, dtype="datetime64[us, UTC]")
    time_known = pd.Series(False, index=uniques.index)
    todo = uniques != ""
    for mask, stamps, has_time in _vectorised_passes(uniques, todo):
        published[mask] = stamps[mask]
        time_known[mask] = has_time if isinstance(has_time, bool) else has_time[mask]
        todo &= ~mask
    impossible = todo & uniques.str.match(_YEAR_FIRST.pattern).fillna(False)  # year first, yet no real date
    todo &= ~impossible
    for position in uniques.index[todo]:
        stamp, has_time = parse_one(uniques[position], date_order=date_order)
        if stamp is not None:
            published[position] = stamp
            time_known[position] = has_time
    errors = pd.Series(pd.NA, index=uniques.index, dtype="string")
    unparsed = published.isna() & (uniques != "")
    errors[unparsed] = "unrecognised date format"
    errors[impossible] = "no such day: read as year-month-day, the month must be 1 to 12 and the day in the month"
    implausible = published.notna() & ((published < _EARLIEST) | (published > _latest()))
    errors[implausible] = "date outside 1800 to next year"
    published[implausible] = pd.NaT
    return pd.DataFrame({"published": published, "is_time_known": time_known, "date_error": errors})


def _vectorised_passes(uniques: pd.Series, todo: pd.Series):
    """Yield (mask, timestamps, has_time) for the layouts pandas parses fast in bulk."""
    day_only = todo & uniques.str.fullmatch(_DAY_ONLY.pattern).fillna(False)
    if day_only.any():
        stamps = pd.to_datetime(uniques.where(day_only).str.replace("/", "-"), format="%Y-%m-%d", errors="coerce")
        yield day_only & stamps.notna(), _to_utc(stamps), False
    iso = todo & ~day_only & uniques.str.match(_ISO_WITH_TIME.pattern).fillna(False)
    if iso.any():
        stamps = pd.to_datetime(uniques.where(iso), format="ISO8601", errors="coerce", utc=True)
        yield iso & stamps.notna(), _to_utc(stamps), True
    rest = todo & ~day_only & ~iso
    for pattern, unit in ((_EPOCH_SECONDS, "s"), (_EPOCH_MILLISECONDS, "ms")):
        epoch = rest & uniques.str.fullmatch(pattern.pattern).fillna(False)
        if epoch.any():
            stamps = pd.to_datetime(uniques.where(epoch).astype("float64"), unit=unit, errors="coerce", utc=True)
            rest &= ~epoch
            yield epoch & stamps.notna(), _to_utc(stamps), True
    for pattern, fmt, has_time in _FORMATS:
        if not rest.any():  # the usual case: every date was ISO 8601, and each pass costs a regex over the column
            return
        mask = rest & uniques.str.fullmatch(pattern.pattern).fillna(False)
        if mask.any():
            stamps = pd.to_datetime(uniques.where(mask), format=fmt, errors="coerce")
            parsed = mask & stamps.notna()
            rest &= ~parsed
            yield parsed, _to_utc(stamps), has_time


def parse_one(value: str, *, date_order: str = "DMY") -> tuple[pd.Timestamp | None, bool]:
    """Parse one date string the slow way (RFC 822, then dateparser); return (UTC timestamp or None, has_time)."""
    if _RFC822.match(value):
        try:
            stamp = email.utils.parsedate_to_datetime(value)
            return _to_utc_one(pd.Timestamp(stamp)), True
        except (TypeError, ValueError, IndexError):
            pass
    stamp = _dateparser(value, date_order=date_order)
    if stamp is None:
        return None, False
    return _to_utc_one(pd.Timestamp(stamp)), bool(_HAS_TIME.search(value))


def _dateparser(value: str, *, date_order: str) -> datetime | None:
    import dateparser  # imported on first need: it is slow to import (bench/README.md)

    settings = {
        "DATE_ORDER": date_order,
        "STRICT_PARSING": True,  # day, month and year all required: no guessing "today" or the first of the month
        "PREFER_DATES_FROM": "past",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
    }
    try:
        return dateparser.parse(value, languages=_FALLBACK_LANGUAGES, settings=settings)
    except (ValueError, OverflowError, TypeError):
        return None


def _to_utc(stamps: pd.Series) -> pd.Series:
    if getattr(stamps.dt, "tz", None) is None:
        return stamps.dt.tz_localize("UTC").astype("datetime64[us, UTC]")
    return stamps.dt.tz_convert("UTC").astype("datetime64[us, UTC]")


def _to_utc_one(stamp: pd.Timestamp) -> pd.Timestamp:
    return stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")


def _latest() -> pd.Timestamp:
    return pd.Timestamp(datetime.now(UTC)) + pd.Timedelta(days=366)
