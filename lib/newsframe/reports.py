"""Reports on a schedule: every job of a reports file, validated first, run only when something changed.

A reports file (`reports.yml`) lists jobs, each a notebook, its parameters and an output name:

    out: reports                               # where the HTML goes (default: reports)
    corpus: data/processed/corpus.parquet      # corpus_path of every job that does not set its own
    jobs:
      - name: timeline
        notebook: notebooks/timeline.ipynb
        parameters: {freq: W, terms_file: data/raw/terms.txt}
      - name: topics-fr
        notebook: notebooks/topics.ipynb
        parameters: {language: fr, k: 8-16, data_dir: reports/topics-fr_data}

`run` checks every job against its notebook's `parameters` cell before any kernel starts, skips a job whose
notebook, parameters, newsframe version and input data (corpus content and every file a parameter names) are all
as at its last successful run, keeps the previous good HTML when a job fails and goes on with the others, writes
`index.html`, and holds a lock so that two runs never overlap. The state of each job is kept in
`<out>/.newsframe-state.json`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from newsframe import __version__, atomic, runner
from newsframe import fingerprint as fingerprints
from newsframe.errors import NewsframeError, ParameterError, ReportError

STATE_FILE = ".newsframe-state.json"
LOCK_FILE = ".newsframe.lock"
# Parameters naming an input file or folder that must exist; data_dir is an output and is created.
_INPUT_SUFFIXES = ("_path", "_file")
_DATE_NAMES = ("start", "end")


@dataclass(frozen=True)
class Job:
    """One report: a notebook run with parameters, rendered to `<out>/<name>.html`."""

    name: str
    notebook: Path
    parameters: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Config:
    """A reports file: the output folder and its jobs."""

    out: Path
    jobs: list[Job]
    path: Path


@dataclass(frozen=True)
class Outcome:
    """What happened to one job in a run: `status` is ok, skipped or failed."""

    name: str
    status: str
    message: str
    seconds: float = 0.0


def read_config(path: str | Path) -> Config:
    """Read a reports file (YAML); raise ParameterError naming the file and the entry that is wrong."""
    import yaml

    path = Path(path)
    if not path.is_file():
        raise ParameterError(f"reports file {path} not found. Write one (see reports.yml in newsframe's README) or "
                             "pass --config.")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list) or not data["jobs"]:
        raise ParameterError(f"{path}: expected a `jobs:` list of reports (name, notebook, parameters).")
    jobs = [_job(entry, number, path=path, corpus=data.get("corpus")) for number, entry in enumerate(data["jobs"], 1)]
    names = [job.name for job in jobs]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ParameterError(f"{path}: job name(s) {', '.join(repeated)} used twice; each report needs its own name.")
    return Config(out=Path(data.get("out") or "reports"), jobs=jobs, path=path)


def _job(entry, number: int, *, path: Path, corpus: str | None) -> Job:
    where = f"{path}, job {number}"
    if not isinstance(entry, dict) or not entry.get("notebook"):
        raise ParameterError(f"{where}: expected `notebook:` (and `name:`, `parameters:`), got {entry!r}.")
    parameters = entry.get("parameters") or {}
    if not isinstance(parameters, dict):
        raise ParameterError(f"{where}: `parameters:` must be a mapping of name: value.")
    if corpus and "corpus_path" not in parameters:
        parameters = {"corpus_path": corpus, **parameters}
    notebook = Path(entry["notebook"])
    name = str(entry.get("name") or notebook.stem)
    if not name.replace("-", "").replace("_", "").isalnum() or not name[0].isalnum():
        raise ParameterError(f"{where}: name {name!r} must be letters, digits, - or _, starting with a letter or "
                             "digit (it names the HTML file).")
    return Job(name=name, notebook=notebook, parameters=parameters)


def validate(job: Job, *, known: dict | None = None) -> tuple[dict, list[str]]:
    """Return the job's parameters as the notebook will get them, and every problem with them.

    Checks names against the notebook's `parameters` cell, types against the declared ones (a whole number is
    accepted for a float, a number for a text such as `k: 12`; YAML dates become YYYY-MM-DD), start and end
    dates, and that every `*_path`/`*_file` parameter names a file that exists. `known` caches notebooks'
    parameters by the notebook's content, so that an unchanged run does not load papermill at all.
    """
    if not job.notebook.is_file():
        return job.parameters, [f"notebook {job.notebook} not found"]
    declared = _declared(job.notebook, known if known is not None else {})
    problems, values = [], {}
    for name, value in job.parameters.items():
        if name not in declared:
            problems.append(f"unknown parameter {name!r}; {job.notebook.name} takes {', '.join(declared)}")
            continue
        value, problem = _typed(name, value, declared[name]["inferred_type_name"])
        values[name] = value
        problems += [problem] if problem else []
    problems += [p for name, value in values.items() for p in [_value_problem(name, value)] if p]
    return values, problems


def _declared(notebook: Path, known: dict) -> dict:
    key = hashlib.sha256(notebook.read_bytes()).hexdigest()
    if key not in known:
        known[key] = {name: {"inferred_type_name": p["inferred_type_name"]}
                      for name, p in runner.notebook_parameters(notebook).items()}
    return known[key]


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
    if name.endswith(_INPUT_SUFFIXES) and isinstance(value, str) and value and not Path(value).exists():
        return f"{name}: {value} not found"
    return None


def fingerprint(job: Job, parameters: dict) -> str:
    """Return a key that changes when the job's notebook, parameters, newsframe's version or its input data change.

    The corpus counts by content (its article ids, which hash each article), so re-ingesting the same articles
    changes nothing; other input files count by their bytes.
    """
    digest = hashlib.sha256()
    digest.update(job.notebook.read_bytes())
    digest.update(json.dumps(parameters, sort_keys=True, default=str).encode())
    digest.update(__version__.encode())
    for name, value in sorted(parameters.items()):
        if not (name.endswith(_INPUT_SUFFIXES) and isinstance(value, str) and value):
            continue
        path = Path(value)
        digest.update(name.encode())
        if path.is_file():
            content = corpus_fingerprint(path) if path.suffix == ".parquet" else fingerprints.of_file(path)
            digest.update(content.encode())
    return digest.hexdigest()[:32]


def corpus_fingerprint(path: str | Path) -> str:
    """Return a corpus file's fingerprint (the one `ingest` prints in its summary), reading its article ids only,
    so that re-ingesting the same articles gives the same fingerprint."""
    return fingerprints.of_corpus_file(path)


def describe_corpus(path: str | Path) -> dict:
    """Return a corpus file's fingerprint, article count and date range, reading two columns only."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    published = pq.read_table(path, columns=["published"]).column("published")
    span = pc.min_max(published)
    return {"corpus": str(path), "corpus fingerprint": corpus_fingerprint(path), "articles": len(published),
            "first published": _day(span["min"]), "last published": _day(span["max"])}


def _day(value) -> str:
    return f"{value.as_py():%Y-%m-%d}" if value.is_valid else ""


class Lock:
    """A lock file holding the running process's id; a lock left by a process that no longer runs is taken over."""

    def __init__(self, folder: Path):
        self.path = folder / LOCK_FILE

    def __enter__(self) -> Lock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                descriptor = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                holder = self._holder()
                if holder and _running(holder):
                    raise ReportError(f"another newsframe run (process {holder}) is writing reports to "
                                      f"{self.path.parent}; wait for it to finish. If it is not running, delete "
                                      f"{self.path}.") from None
                self.path.unlink(missing_ok=True)  # stale: its process is gone
                continue
            with os.fdopen(descriptor, "w") as handle:
                handle.write(f"{os.getpid()}\n")
            return self
        raise ReportError(f"could not take the lock {self.path}; delete it if no newsframe run is going on.")

    def __exit__(self, *exc) -> None:
        self.path.unlink(missing_ok=True)

    def _holder(self) -> int | None:
        try:
            return int(self.path.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_state(out: Path) -> dict:
    """Return each job's last run as recorded in `<out>/.newsframe-state.json` (empty when there is none)."""
    path = out / STATE_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def run(config: Config, *, only: list[str] | None = None, force: bool = False, record: bool = True,
        log: Callable[[str], object] = print) -> list[Outcome]:
    """Run the jobs of `config` (all, or those named in `only`) and return what happened to each.

    With `record` (the default), each job's outcome is kept for the next run's skip check and `index.html` is
    rewritten; a one-off run of a notebook from the command line records nothing.
    """
    jobs = _chosen(config, only)
    state = read_state(config.out)
    known = state.setdefault("_notebooks", {})  # each notebook's declared parameters, by its content
    checked = {job.name: validate(job, known=known) for job in jobs}
    problems = [f"  {name}: {p}" for name, (_, found) in checked.items() for p in found]
    if problems:
        raise ParameterError(f"{config.path}: nothing was run, because\n" + "\n".join(problems))
    with Lock(config.out):
        state = {**read_state(config.out), "_notebooks": known}
        outcomes = [_run_job(job, checked[job.name][0], config=config, state=state, force=force, log=log)
                    for job in jobs]
        if record:
            atomic.write_text(config.out / STATE_FILE, json.dumps(state, indent=2, ensure_ascii=False) + "\n")
            write_index(config, state)
    return outcomes


def _chosen(config: Config, only: list[str] | None) -> list[Job]:
    if not only:
        return config.jobs
    unknown = sorted(set(only) - {job.name for job in config.jobs})
    if unknown:
        raise ParameterError(f"--only {', '.join(unknown)}: no such job in {config.path}; its jobs are "
                             f"{', '.join(job.name for job in config.jobs)}.")
    return [job for job in config.jobs if job.name in only]


def _run_job(job: Job, parameters: dict, *, config: Config, state: dict, force: bool,
             log: Callable[[str], object]) -> Outcome:
    key = fingerprint(job, parameters)
    last = state.get(job.name, {})
    html_path = config.out / f"{job.name}.html"
    if not force and last.get("key") == key and last.get("status") == "ok" and html_path.exists():
        log(f"{job.name}: unchanged since its run of {last['finished']} (notebook, parameters, data); skipped")
        return Outcome(job.name, "skipped", "unchanged")
    started = time.perf_counter()
    begun = _now()
    log(f"{job.name}: running {job.notebook} …")
    try:
        runner.run(job.notebook, parameters=parameters, out_dir=config.out, name=job.name,
                   manifest=manifest(job, parameters, started_at=begun))
    except NewsframeError as exc:
        seconds = time.perf_counter() - started
        atomic.write_text(config.out / f"{job.name}.error.html", error_page(job, str(exc), when=begun))
        state[job.name] = {**last, "status": "failed", "error": str(exc), "failed_at": begun, "html": last.get("html")}
        log(f"{job.name}: FAILED after {seconds:.1f} s: {exc}")
        return Outcome(job.name, "failed", str(exc), seconds)
    seconds = time.perf_counter() - started
    (config.out / f"{job.name}.error.html").unlink(missing_ok=True)
    state[job.name] = {"status": "ok", "key": key, "finished": _now(), "seconds": round(seconds, 1),
                       "html": f"{job.name}.html", "notebook": str(job.notebook)}
    log(f"{job.name}: wrote {html_path} in {seconds:.1f} s")
    return Outcome(job.name, "ok", str(html_path), seconds)


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def manifest(job: Job, parameters: dict, *, started_at: str) -> dict:
    """Return what a reader needs to trust and reproduce a report: corpus fingerprint, articles, dates, parameters,
    versions and start time (the runner adds the duration and any warnings)."""
    facts = {"report": job.name, "notebook": str(job.notebook), "started": started_at}
    corpus_path = parameters.get("corpus_path")
    if corpus_path and Path(corpus_path).is_file():
        facts.update(describe_corpus(corpus_path))
    facts["parameters"] = parameters
    facts["versions"] = _versions()
    return facts


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {"newsframe": __version__}
    for package in ("pandas", "pyarrow", "scikit-learn", "matplotlib", "papermill", "nbconvert"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    import platform

    found["python"] = platform.python_version()
    return found


def error_page(job: Job, error: str, *, when: str) -> str:
    """Return a small HTML page saying which job failed, when, and why (the failing cell is in the message)."""
    return _page(f"Report {job.name} failed", f"""
<h1>Report <code>{html.escape(job.name)}</code> failed</h1>
<p>Run of {html.escape(when)}. The previous good report, if any, was left in place.</p>
<pre>{html.escape(error)}</pre>
<p>The executed notebook with the error is in <code>executed/{html.escape(job.name)}.failed.ipynb</code>.</p>
<p><a href="index.html">All reports</a></p>""")


def write_index(config: Config, state: dict) -> Path:
    """Write `<out>/index.html`: every job with its status, its last successful run and a link to its report."""
    rows = []
    for job in config.jobs:
        last = state.get(job.name, {})
        status = last.get("status", "never run")
        link = (f'<a href="{html.escape(last["html"])}">{html.escape(job.name)}</a>' if last.get("html")
                and (config.out / last["html"]).exists() else html.escape(job.name))
        error = (f' · <a href="{html.escape(job.name)}.error.html">what went wrong</a>' if status == "failed" else "")
        rows.append(f"<tr><td>{link}</td><td>{html.escape(str(job.notebook))}</td>"
                    f"<td class='{html.escape(status.replace(' ', '-'))}'>{html.escape(status)}{error}</td>"
                    f"<td>{html.escape(last.get('finished', '—'))}</td></tr>")
    body = f"""
<h1>Reports</h1>
<p>Written by newsframe {html.escape(__version__)} from <code>{html.escape(str(config.path))}</code>.
Updated {html.escape(_now())}.</p>
<table><thead><tr><th>report</th><th>notebook</th><th>status</th><th>last successful run</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table>"""
    return atomic.write_text(config.out / "index.html", _page("Reports", body))


def _page(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}}
table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ddd;padding:.4em;text-align:left}}
.failed{{color:#b00020;font-weight:bold}}.ok{{color:#1b5e20}}pre{{white-space:pre-wrap;background:#f6f6f6;padding:1em}}
</style></head><body>{body}
</body></html>
"""
