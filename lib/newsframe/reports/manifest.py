"""The run manifest: what a reader needs to trust and reproduce a report (corpus, parameters, versions, time)."""

from __future__ import annotations

from pathlib import Path

from newsframe import __version__, paths
from newsframe.corpus import fingerprint
from newsframe.reports.config import Job

__all__ = ["describe_corpus", "manifest"]


def manifest(job: Job, parameters: dict, *, started_at: str) -> dict:
    """Return what a reader needs to trust and reproduce a report: corpus fingerprint, articles, dates, parameters,
    versions and start time (the runner adds the duration and any warnings)."""
    facts = {"report": job.name, "notebook": str(job.notebook), "started": started_at}
    corpus_path = parameters.get("corpus_path")
    if corpus_path and paths.resolve(corpus_path).exists():
        facts.update(describe_corpus(paths.resolve(corpus_path)))
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


def describe_corpus(path: str | Path) -> dict:
    """Return a corpus file's fingerprint, article count and date range, reading two columns only."""
    import pyarrow.compute as pc

    from newsframe.corpus import layout

    published = layout.read_table(path, columns=["published"], ordered=False).column("published")
    span = pc.min_max(published)
    return {"corpus": str(path), "corpus fingerprint": fingerprint.of_corpus_file(path), "articles": len(published),
            "first published": _day(span["min"]), "last published": _day(span["max"])}


def _day(value) -> str:
    return f"{value.as_py():%Y-%m-%d}" if value.is_valid else ""
