"""Notebook parameters: what a notebook's `parameters` cell declares, and every job's values checked against it
before any kernel starts."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from pathlib import Path

from newsframe.analysis.periods import FREQUENCIES, FREQUENCY_NAMES
from newsframe.reports.config import Job

__all__ = ["check", "declared"]

# Parameters naming an input file or folder that must exist; data_dir is an output and is created.
INPUT_SUFFIXES = ("_path", "_file")
_DATE_NAMES = ("start", "end")


def check(job: Job, *, known: dict | None = None) -> tuple[dict, list[str]]:
    """Return the job's parameters as the notebook will get them, and every problem with them.

    Checks names against the notebook's `parameters` cell, types against the declared ones (a whole number is
    accepted for a float, a number for a text such as `k: 12`; YAML dates become YYYY-MM-DD), start and end
    dates, and that every `*_path`/`*_file` parameter names a file that exists. `known` caches notebooks'
    parameters by the notebook's content, so that an unchanged run does not load papermill at all.
    """
    if not job.notebook.is_file():
        return job.parameters, [f"notebook {job.notebook} not found"]
    found = declared(job.notebook, known=known if known is not None else {})
    problems, values, well_typed = [], {}, {}
    for name, value in job.parameters.items():
        if name not in found:
            problems.append(f"unknown parameter {name!r}; {job.notebook.name} takes {', '.join(found)}")
            continue
        value, problem = _typed(name, value, found[name]["inferred_type_name"])
        problem = problem or _literal_problem(name, value)
        values[name] = value
        if problem:
            problems.append(problem)
        else:
            well_typed[name] = value
    # then what the values of the right types say
    problems += [p for name, value in well_typed.items() for p in [_value_problem(name, value, well_typed)] if p]
    return values, problems


def declared(notebook: Path, *, known: dict | None = None) -> dict[str, dict]:
    """Return the parameters a notebook's `parameters` cell declares: name -> {inferred_type_name, default, help}.

    `known` caches them by the notebook's content (it is kept in the reports' state), so that an unchanged
    scheduled run does not load papermill at all.
    """
    key = hashlib.sha256(notebook.read_bytes()).hexdigest()
    if known is not None and key in known:
        return known[key]
    import papermill

    found = {name: {k: p.get(k) for k in ("inferred_type_name", "default", "help")}
             for name, p in papermill.inspect_notebook(str(notebook)).items()}
    if known is not None:
        known[key] = found
    return found


def _typed(name: str, value, expected: str) -> tuple[object, str | None]:
    if isinstance(value, dt.date):
        value = value.isoformat()  # YAML reads 2023-07-27 as a date; notebooks take dates as text (papermill#345)
    kinds = {"str": str, "int": int, "float": (int, float), "bool": bool, "list": list, "dict": dict}
    wanted = kinds.get(expected.split("[")[0])
    if wanted is None or value is None:
        return value, None
    if expected == "str" and isinstance(value, int | float) and not isinstance(value, bool):
        return str(value), None
    if isinstance(value, bool) and expected in ("int", "float"):
        return value, f"{name} must be a number, got {value!r}"
    if not isinstance(value, wanted):
        return value, f"{name} must be {_kind_name(expected)}, got {type(value).__name__} {value!r}"
    return value, None


def _kind_name(expected: str) -> str:
    return {"str": "text", "int": "a whole number", "float": "a number", "bool": "true or false",
            "list": "a list", "dict": "a mapping"}.get(expected, expected)


def _literal_problem(name: str, value) -> str | None:
    """Refuse what cannot be written into the notebook as a plain literal: only text, numbers, true/false, empty,
    lists and mappings of them reach a kernel (papermill would paste anything else in as code)."""
    if value is None or isinstance(value, str | bool | int):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else f"{name}: {value!r} is not a number a notebook can be given"
    if isinstance(value, list):
        return next((p for item in value for p in [_literal_problem(name, item)] if p), None)
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            return f"{name}: the names in a mapping must be text"
        return next((p for item in value.values() for p in [_literal_problem(name, item)] if p), None)
    return (f"{name}: a {type(value).__name__} cannot be given to a notebook; write a list (`[a, b]` in YAML, "
            "`a,b` on the command line), text or a number")


def _value_problem(name: str, value, values: dict) -> str | None:
    rule = _RULES.get(name)
    if rule is not None:
        problem = rule(name, value, values)
        if problem:
            return problem
    if name in _DATE_NAMES or name.endswith("_date"):
        return _date_problem(name, value)
    if name.endswith(INPUT_SUFFIXES) and isinstance(value, str) and value:
        return _input_problem(name, value)
    return None


def _date_problem(name: str, value) -> str | None:
    if value in ("", None):
        return None
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return f"{name}={value!r} is not a date; write YYYY-MM-DD"
    return None


def _input_problem(name: str, value: str) -> str | None:
    path = Path(value)
    if not path.exists():
        return f"{name}: {value} not found"
    if name.endswith("_file") and path.is_file() and not _is_text(path):
        return f"{name}: {value} is not a text file (UTF-8); save it as plain text"
    return None


def _is_text(path: Path, limit: int = 8 * 2**20) -> bool:
    with path.open("rb") as handle:
        data = handle.read(limit)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(data) - 4:  # not just a character cut at the end of what was read
            return False
    return b"\x00" not in data


def _frequency(name: str, value, values: dict) -> str | None:
    if value in FREQUENCIES:
        return None
    known = ", ".join(f"{code} ({word})" for code, word in FREQUENCY_NAMES.items())
    return f"{name}={value!r} is not a period newsframe knows; use one of {known}"


def _end_after_start(name: str, value, values: dict) -> str | None:
    start = values.get("start")
    if value and start and not _date_problem("start", start) and not _date_problem(name, value):
        if dt.date.fromisoformat(str(value)) < dt.date.fromisoformat(str(start)):
            return f"end={value} is before start={start}; swap them"
    return None


# Rules for parameters every notebook names alike, run before any kernel starts.
_RULES = {"freq": _frequency, "vocabulary_freq": _frequency, "end": _end_after_start}
