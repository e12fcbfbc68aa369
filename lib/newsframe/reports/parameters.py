"""Notebook parameters: what a notebook's `parameters` cell declares, and every job's values checked against it
before any kernel starts."""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import math
from pathlib import Path

from newsframe import paths
from newsframe.analysis.numbers import articles_for_topics, parse_k
from newsframe.analysis.periods import FREQUENCY_NAMES, frequency_code
from newsframe.errors import ParameterError
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
    for name, value in well_typed.items():  # then what the values of the right types say
        values[name], problem = _checked(name, value, well_typed)
        problems += [problem] if problem else []
    problems += _default_problems(found, given=job.parameters, values=well_typed)
    return values, problems


def _default_problems(found: dict, *, given: dict, values: dict) -> list[str]:
    """Return what is wrong with the defaults of the parameters not given, against the data given (the default
    k of a topics notebook against a corpus of one article)."""
    problems = []
    for name in found.keys() - given.keys():
        if name in _RULES:
            default = _literal(found[name].get("default"))
            problem = _RULES[name](name, default, {**values, name: default})[1]
            problems += [f"{problem} (the notebook's default {name})"] if problem else []
    return problems


def _literal(source):
    try:
        return ast.literal_eval(source) if isinstance(source, str) else source
    except (ValueError, SyntaxError):
        return source


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
    if expected.startswith("list") and isinstance(value, str):  # `-p sources=RFI,Le Monde` on the command line
        value = [item.strip() for item in value.split(",") if item.strip()]
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


def _checked(name: str, value, values: dict) -> tuple[object, str | None]:
    """Return the value as the notebook gets it (a period's name becomes its code) and what is wrong with it."""
    rule = _RULES.get(name)
    if rule is not None:
        value, problem = rule(name, value, values)
        if problem:
            return value, problem
    if name in _DATE_NAMES or name.endswith("_date"):
        return value, _date_problem(name, value)
    if name.endswith(INPUT_SUFFIXES) and isinstance(value, str) and value:
        return value, _input_problem(name, value)
    return value, None


def _date_problem(name: str, value) -> str | None:
    if value in ("", None):
        return None
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return f"{name}={value!r} is not a date; write YYYY-MM-DD"
    return None


def _input_problem(name: str, value: str) -> str | None:
    path = paths.resolve(value)
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


def _frequency(name: str, value, values: dict) -> tuple[object, str | None]:
    if value == "":  # a report that chooses its period from the corpus's span when none is given
        return value, None
    code = frequency_code(value)
    if code is not None:
        return code, None
    known = ", ".join(f"{code} ({word})" for code, word in FREQUENCY_NAMES.items())
    return value, f"{name}={value!r} is not a period newsframe knows; use one of {known}"


def _end_after_start(name: str, value, values: dict) -> tuple[object, str | None]:
    start = values.get("start")
    if value and start and not _date_problem("start", start) and not _date_problem(name, value):
        if dt.date.fromisoformat(str(value)) < dt.date.fromisoformat(str(start)):
            return value, f"end={value} is before start={start}; swap them"
    return value, None


def _k(name: str, value, values: dict) -> tuple[object, str | None]:
    try:
        ks = parse_k(value)
    except ParameterError as exc:
        return value, str(exc)
    needed, held = articles_for_topics(max(ks)), _corpus_size(values.get("corpus_path"))
    if held is None or held >= needed:
        return value, None
    if held < articles_for_topics(2):  # no k fits: say what topics need, not to ask for fewer
        return value, (f"the corpus holds {held:,} article{'s' if held != 1 else ''}, and topics need at least "
                       f"{articles_for_topics(2)} (3 a topic, 20 in all): too few to find topics in. Add articles, "
                       "or run the timeline report, which works from one article")
    largest = max(k for k in range(2, max(ks)) if articles_for_topics(k) <= held)
    return value, (f"k={value}: topics up to {max(ks)} need at least {needed} articles (3 a topic, 20 in all), and "
                   f"the corpus holds {held:,}. Add articles, or ask for k up to {largest} (e.g. k=2-{largest})")


def _corpus_size(corpus_path) -> int | None:
    """Return how many articles a corpus holds (from its file's metadata), None when it cannot be read here."""
    if not corpus_path:
        return None
    try:
        from newsframe.corpus import layout

        return layout.count_rows(paths.resolve(corpus_path))
    except Exception:  # noqa: BLE001 - an unreadable corpus is the job's failure, reported with its error page
        return None


def _language(name: str, value, values: dict) -> tuple[object, str | None]:
    if value in ("", None, "all"):
        return value, None
    found = _corpus_values(values.get("corpus_path"), "language")
    if found is None or value in found:
        return value, None
    listed = ", ".join(f"{code} ({count:,})" for code, count in found.most_common())
    return value, f"language={value!r} is not in the corpus, which holds {listed}; give one of them, or all"


def _sources(name: str, value, values: dict) -> tuple[object, str | None]:
    found = _corpus_values(values.get("corpus_path"), "source") if value and not values.get("sources_map") else None
    missing = [source for source in value or [] if found is not None and source not in found]
    if not missing:
        return value, None
    known = ", ".join(source for source, _ in found.most_common(12))
    return value, (f"sources: {', '.join(map(repr, missing))} not in the corpus; its largest sources are {known} "
                   "(`newsframe sources CORPUS` lists them all)")


def _by(name: str, value, values: dict) -> tuple[object, str | None]:
    from newsframe.corpus.schema import ARTICLE_COLUMNS

    if value in ("", None) or value in ARTICLE_COLUMNS:
        return value, None
    return value, f"{name}={value!r} is not a column of the articles; use source, language, section or author"


def _count(name: str, value, values: dict) -> tuple[object, str | None]:
    from newsframe.corpus.select import COUNTS

    if value in COUNTS:
        return value, None
    return value, (f"{name}={value!r}: count articles (every article) or stories (a story printed by several "
                   "outlets, or twice by one, once)")


def _corpus_values(corpus_path, column: str):
    """Return how many articles have each value of a corpus column (a Counter), None when it cannot be read here
    (the job then fails on its own, with its error page)."""
    from collections import Counter

    if not corpus_path:
        return None
    try:
        import pyarrow.compute as pc

        from newsframe.corpus import layout

        table = layout.read_table(paths.resolve(corpus_path), columns=[column], ordered=False)
        counts = pc.value_counts(table.column(column).combine_chunks())
        return Counter({v["values"].as_py(): v["counts"].as_py() for v in counts if v["values"].is_valid})
    except Exception:  # noqa: BLE001 - an unreadable corpus is the job's failure, reported with its error page
        return None


# Rules for parameters the notebooks name alike, run before any kernel starts: each returns the value as the
# notebook gets it, and what is wrong with it.
_RULES = {"freq": _frequency, "vocabulary_freq": _frequency, "end": _end_after_start, "k": _k,
          "language": _language, "sources": _sources, "by": _by, "count": _count}
