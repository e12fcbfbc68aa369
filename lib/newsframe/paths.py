"""Where relative paths point: the project's folder, whether newsframe runs from it or from `notebooks/`.

A report's parameters name files relative to the project (`data/processed/corpus.parquet`, `reports/x_data`). The
command line runs from the project's folder; JupyterLab runs a notebook's kernel in the notebook's own folder. So
that "Run all" in JupyterLab reads and writes the same files as `newsframe report`, relative paths are taken from
the project root: the nearest folder, from the working one up, that holds a `reports.yml` or a `pyproject.toml`
(the working folder itself when none does).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["project_root", "resolve"]

_MARKERS = ("reports.yml", "pyproject.toml")


def project_root(start: Path | None = None) -> Path:
    """Return the project's folder: the nearest folder from `start` (the working folder) up holding a marker."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if any((folder / marker).is_file() for marker in _MARKERS):
            return folder
    return here


def resolve(path: str | Path) -> Path:
    """Return `path` as the project sees it: an absolute path as it is, a relative one from the project root."""
    path = Path(path).expanduser()
    return path if path.is_absolute() else project_root() / path
