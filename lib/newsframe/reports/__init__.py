"""Reports: notebooks run with papermill and rendered with nbconvert into offline HTML, on demand or on a schedule.

    config       the reports file: jobs (a notebook, its parameters, a name)
    parameters   what a notebook declares, and every job's values checked before any kernel starts
    state        each job's last run, the skip rule (run key) and the lock
    runner       the one runner: a notebook and its parameters -> executed notebook -> HTML
    manifest     the facts that open each report (corpus, parameters, versions)
    since        what changed since a report's last run: each run's facts, and their comparison
    pages        the index, error pages and the blocks that open a report (HTML)
    about        tables describing a report's corpus and parameters, for the notebooks
    history      what a report's run leaves for the next (topic numbers kept across runs, the notebook's facts)
    plots        the charts (matplotlib), one house style
    interactive  the same charts interactive, offline (Vega-Lite specs in vegalite, the articles a click lists in
                 drilldown)
    export       the data behind each chart, as CSV
    schedule     cron and systemd

`run` runs the jobs of a reports file: it checks every job first, skips a job whose run key is unchanged since its
last successful run, keeps the previous good HTML when a job fails and goes on with the others, opens each report
with what changed since its last successful run, writes `index.html`, and holds a lock so that two runs never
overlap.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from newsframe import atomic
from newsframe.errors import NewsframeError, ParameterError
from newsframe.reports import pages, parameters, runner
from newsframe.reports import state as state_file
from newsframe.reports.config import Config, Job
from newsframe.reports.manifest import manifest

__all__ = ["Outcome", "run"]


@dataclass(frozen=True)
class Outcome:
    """What happened to one job in a run: `status` is ok, skipped or failed."""

    name: str
    status: str
    message: str
    seconds: float = 0.0


def run(config: Config, *, only: list[str] | None = None, force: bool = False, record: bool = True,
        log: Callable[[str], object] = print) -> list[Outcome]:
    """Run the jobs of `config` (all, or those named in `only`) and return what happened to each.

    Every job is checked before any kernel starts. A job that fails, however it fails, gets an error page and keeps
    its last good report, and the others still run. With `record` (the default), each job's outcome is saved as
    soon as it is known, for the next run's skip check, and `index.html` is rewritten to list every report in the
    folder, whatever reports file (or command line) made it.
    """
    jobs = _chosen(config, only)
    state = state_file.read_state(config.out)
    known = state.setdefault("_notebooks", {})  # each notebook's declared parameters, by its content
    checked = {job.name: parameters.check(job, known=known) for job in jobs}
    problems = [f"  {name}: {p}" for name, (_, found) in checked.items() for p in found]
    if problems:
        raise ParameterError(f"{config.path}: nothing was run, because\n" + "\n".join(problems))
    outcomes: list[Outcome] = []
    with state_file.Lock(config.out):
        for folder in (config.out, config.out / "executed"):
            atomic.remove_leftovers(folder)  # a killed run's half-written files: no other run writes here now
        state = {**state_file.read_state(config.out), "_notebooks": known}
        try:
            for job in jobs:
                outcomes.append(_run_job(job, checked[job.name][0], config=config, state=state, force=force,
                                         log=log))
                if record:
                    state_file.write_state(config.out, state)
        finally:
            if record:
                pages.write_index(config.out, state)
    return outcomes


def _chosen(config: Config, only: list[str] | None) -> list[Job]:
    if not only:
        return config.jobs
    unknown = sorted(set(only) - {job.name for job in config.jobs})
    if unknown:
        raise ParameterError(f"--only {', '.join(unknown)}: no such job in {config.path}; its jobs are "
                             f"{', '.join(job.name for job in config.jobs)}.")
    return [job for job in config.jobs if job.name in only]


def _run_job(job: Job, values: dict, *, config: Config, state: dict, force: bool,
             log: Callable[[str], object]) -> Outcome:
    last = state.get(job.name, {})
    html_path = config.out / f"{job.name}.html"
    started, begun = time.perf_counter(), state_file.now()
    try:
        key = state_file.run_key(job, values)
        if not force and last.get("key") == key and last.get("status") == "ok" and html_path.exists():
            log(f"{job.name}: unchanged since its run of {last['finished']} (notebook, parameters, data); skipped")
            return Outcome(job.name, "skipped", "unchanged")
        log(f"{job.name}: running {job.notebook} …")
        facts = manifest(job, values, started_at=begun)
        previous = {"finished": last.get("finished", ""), "facts": last.get("facts")}  # the last successful run's
        report = runner.run(job.notebook, parameters=values, out_dir=config.out, name=job.name, manifest=facts,
                            previous=previous)
    except Exception as exc:  # noqa: BLE001 - whatever breaks one job (its data, its kernel), the others run
        seconds = time.perf_counter() - started
        message = str(exc) if isinstance(exc, NewsframeError) else f"{type(exc).__name__}: {exc}"
        atomic.write_text(config.out / f"{job.name}.error.html", pages.error_page(job, message, when=begun))
        state[job.name] = {**last, "status": "failed", "error": message, "failed_at": begun, "html": last.get("html"),
                           "notebook": str(job.notebook), "config": str(config.path)}
        log(f"{job.name}: FAILED after {seconds:.1f} s: {message}")
        return Outcome(job.name, "failed", message, seconds)
    seconds = time.perf_counter() - started
    (config.out / f"{job.name}.error.html").unlink(missing_ok=True)
    corpus = {k: facts[k] for k in ("corpus", "articles", "first published", "last published") if k in facts}
    # this run's facts, for the next run to compare with, and what changed since the last (a runner standing in
    # for the real one, in tests, may return no report)
    since = {"facts": report.facts, "since": report.since} if isinstance(report, runner.Report) else {}
    state[job.name] = {"status": "ok", "key": key, "finished": state_file.now(), "seconds": round(seconds, 1),
                       "html": f"{job.name}.html", "notebook": str(job.notebook), "corpus": corpus,
                       "config": str(config.path), **since}
    log(f"{job.name}: wrote {html_path} in {seconds:.1f} s")
    return Outcome(job.name, "ok", str(html_path), seconds)
