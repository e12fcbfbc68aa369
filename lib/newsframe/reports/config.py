"""The reports file (`reports.yml`): where the HTML goes, the corpus, and the jobs, each a notebook, its parameters
and a name.

    out: reports                               # where the HTML goes (default: reports)
    corpus: data/processed/corpus.parquet      # corpus_path of every job that does not set its own
    jobs:
      - name: timeline
        notebook: notebooks/timeline.ipynb
        parameters: {freq: W, terms_file: data/raw/terms.txt}
      - name: topics-fr
        notebook: notebooks/topics.ipynb
        parameters: {language: fr, k: 8-16, data_dir: reports/topics-fr_data}
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from newsframe.errors import ParameterError

__all__ = ["Config", "Job", "read_config"]

_NAME = re.compile(r"[^\W_][\w-]*")


@dataclass(frozen=True)
class Job:
    """One report: a notebook run with parameters, rendered to `<out>/<name>.html`."""

    name: str
    notebook: Path
    parameters: dict = field(default_factory=dict)

    def __post_init__(self):
        if not _NAME.fullmatch(self.name):
            raise ParameterError(f"name {self.name!r} must be letters, digits, - or _, starting with a letter or "
                                 "digit (it names the HTML file, inside the reports folder).")


@dataclass(frozen=True)
class Config:
    """A reports file: the output folder and its jobs."""

    out: Path
    jobs: list[Job]
    path: Path
    corpus: Path | None = None  # the corpus its jobs read unless they name their own


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
    return Config(out=Path(data.get("out") or "reports"), jobs=jobs, path=path,
                  corpus=Path(data["corpus"]) if data.get("corpus") else None)


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
    try:
        return Job(name=name, notebook=notebook, parameters=parameters)
    except ParameterError as exc:
        raise ParameterError(f"{where}: {exc}") from None
