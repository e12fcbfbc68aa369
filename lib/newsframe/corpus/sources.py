"""Sources that mean outlets: a small map from the names files give (feed names, file names, sections) to the
outlets a researcher counts, and a first draft of that map from the names' common parts.

A sources map is a CSV file with two columns, `pattern` and `outlet`, one rule a line, the first match winning:

    pattern,outlet
    Flux RSS - BFMTV*,BFMTV
    Le Figaro - *,Le Figaro
    re:^France Info\\b,franceinfo
    Libération - Société,Libération

A pattern is a source name (compared without case), a name with `*` and `?` wildcards, or `re:` and a regular
expression (searched, without case). Sources no rule matches keep their name. The map can be given at ingest
(`--sources-map`), which writes the outlet in `source` and the name the file gave in `feed`, or to a report
(`sources_map`), to try a grouping without ingesting again.
"""

from __future__ import annotations

import csv
import fnmatch
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from newsframe import paths
from newsframe.errors import ParameterError

__all__ = ["Rule", "apply", "read_map", "suggest", "write_map"]

Rule = tuple[re.Pattern, str]  # a compiled pattern and the outlet it maps to
_SEPARATOR = re.compile(r"\s+[-–—|:]+\s+")  # between an outlet and its section: "Le Figaro - Sport"
_GENERIC = {"flux rss", "rss", "feed", "flux", "fil rss", "news"}


def read_map(path: str | Path) -> list[Rule]:
    """Read a sources map (CSV: pattern,outlet); raise ParameterError naming the line that is wrong."""
    path = paths.resolve(path)
    if not path.is_file():
        raise ParameterError(f"sources map {path} not found. Write a CSV with columns pattern,outlet (README).")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [row for row in csv.reader(handle) if row and not row[0].lstrip().startswith("#")]
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    if header[:2] not in (["pattern", "outlet"], ["source", "outlet"]):
        found = ",".join(header) or "nothing"
        raise ParameterError(f"{path}: the first line should be `pattern,outlet`, found {found}.")
    rules = []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) < 2 or not row[0].strip() or not row[1].strip():
            raise ParameterError(f"{path}, rule {number}: expected `pattern,outlet`, got {','.join(row)!r}.")
        rules.append((_compiled(row[0].strip(), where=f"{path}, rule {number}"), row[1].strip()))
    return rules


def _compiled(pattern: str, *, where: str) -> re.Pattern:
    if pattern.startswith("re:"):
        try:
            return re.compile(pattern[3:].strip(), re.IGNORECASE)
        except re.error as exc:
            raise ParameterError(f"{where}: {pattern!r} is not a regular expression ({exc}).") from exc
    return re.compile(fnmatch.translate(pattern), re.IGNORECASE)


def apply(sources: pd.Series, rules: Iterable[Rule]) -> pd.Series:
    """Return each source's outlet under `rules` (its own name where no rule matches); each distinct name is
    matched once, however many articles carry it."""
    rules = list(rules)
    distinct = sources.dropna().unique()
    outlets = {name: next((outlet for pattern, outlet in rules if _matches(pattern, name)), name) for name in distinct}
    return sources.map(outlets).astype("string")


def _matches(pattern: re.Pattern, name: str) -> bool:
    # fnmatch patterns are anchored at both ends; `re:` patterns are searched anywhere, as a researcher expects.
    return bool(pattern.match(name) if pattern.pattern.endswith(r"\Z") else pattern.search(name))


def suggest(counts: Counter | dict[str, int], *, min_sources: int = 2) -> list[tuple[str, str, int, int]]:
    """Return a first draft of a sources map: for names that share a leading part before a ` - ` (`Le Figaro -
    Sport`, `Le Figaro - Économie`), a rule `Le Figaro - *` -> `Le Figaro`. Each suggestion is (pattern, outlet,
    sources it groups, articles they hold), largest first."""
    groups: dict[str, list[str]] = {}
    for name in counts:
        parts = _SEPARATOR.split(name)
        if len(parts) > 1:
            groups.setdefault(_outlet(parts), []).append(name)
    found = []
    for outlet, names in groups.items():
        if len(names) >= min_sources:
            prefix = _common_prefix(names)
            found.append((f"{prefix}*", outlet, len(names), sum(counts[n] for n in names)))
    return sorted(found, key=lambda row: (-row[3], row[1]))


def _outlet(parts: list[str]) -> str:
    # "Flux RSS - BFMTV - Marseille": after a generic first part, the outlet is the next one.
    return parts[1] if parts[0].lower() in _GENERIC and len(parts) > 2 else parts[0]


def _common_prefix(names: list[str]) -> str:
    first, last = min(names), max(names)
    length = next((i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), min(len(first), len(last)))
    return first[:length]


def write_map(rules: list[tuple[str, str, int, int]], path: str | Path) -> Path:
    """Write suggested rules as a sources map to edit (CSV), each with a comment on what it groups."""
    from newsframe import atomic

    lines = ["# A draft: check each rule, change outlets, delete what you do not want. First match wins.",
             "pattern,outlet"]
    for pattern, outlet, sources, articles in rules:
        lines.append(f"# {sources} sources, {articles:,} articles")
        lines.append(_csv_row(pattern, outlet))
    return atomic.write_text(Path(path), "\n".join(lines) + "\n")


def _csv_row(*cells: str) -> str:
    return ",".join(f'"{c}"' if any(ch in c for ch in ',"\n') else c for c in (x.replace('"', '""') for x in cells))
