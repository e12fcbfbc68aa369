"""Notebook parameters: what a notebook's `parameters` cell declares, and every job's values checked against it
before any kernel starts."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

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
    problems, values = [], {}
    for name, value in job.parameters.items():
        if name not in found:
            problems.append(f"unknown parameter {name!r}; {job.notebook.name} takes {', '.join(found)}")
            continue
        value, problem = _typed(name, value, found[name]["inferred_type_name"])
        values[name] = value
        problems += [problem] if problem else []
    problems += [p for name, value in values.items() for p in [_value_problem(name, value)] if p]
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


def _value_problem(name: str, value) -> str | None:
    if name in _DATE_NAMES or name.endswith("_date"):
        if value not in ("", None):
            try:
                dt.date.fromisoformat(str(value))
            except ValueError:
                return f"{name}={value!r} is not a date; write YYYY-MM-DD"
    if name.endswith(INPUT_SUFFIXES) and isinstance(value, str) and value and not Path(value).exists():
        return f"{name}: {value} not found"
    return None
