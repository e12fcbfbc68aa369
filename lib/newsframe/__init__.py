"""newsframe: tidy news corpora, timelines and topics as reproducible HTML reports.

The package follows the data:

    ingest/     files -> raw records -> articles (readers, cleaning, dates, language, normalising)
    corpus/     the articles frame: schema, Parquet storage, selection, ids, duplicates, fingerprint
    analysis/   tidy frames from articles: terms, keyness, timeline, topics, events
    reports/    notebooks run with papermill and rendered with nbconvert: jobs, checks, state, HTML, plots

Beside them, modules every step may use: `words` (the one rule for splitting and folding words), `arrays`, `atomic`,
`errors`, `paths`; `cli` and `demo` sit on top.

Notebooks import the modules they use by their short names, `from newsframe import timeline, topics, plots`:
those names are looked up here on first use (nothing is imported with the package itself, so that a scheduled
run with nothing to do stays fast).
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"
# Short names for notebooks and interactive use -> the module that holds them.
_SHORT_NAMES = {
    "boilerplate": "newsframe.analysis.boilerplate",
    "events": "newsframe.analysis.events",
    "keyness": "newsframe.analysis.keyness",
    "partitions": "newsframe.analysis.partitions",
    "phrases": "newsframe.analysis.phrases",
    "quality": "newsframe.analysis.quality",
    "terms": "newsframe.analysis.terms",
    "timeline": "newsframe.analysis.timeline",
    "topics": "newsframe.analysis.topics",
    "vectors": "newsframe.analysis.vectors",
    "near_duplicates": "newsframe.corpus.near_duplicates",
    "select": "newsframe.corpus.select",
    "about": "newsframe.reports.about",
    "export": "newsframe.reports.export",
    "history": "newsframe.reports.history",
    "plots": "newsframe.reports.plots",
    "words": "newsframe.words",
}
__all__ = ["__version__", *_SHORT_NAMES]


def __getattr__(name: str):
    if name in _SHORT_NAMES:
        return importlib.import_module(_SHORT_NAMES[name])
    raise AttributeError(f"module 'newsframe' has no attribute {name!r}")
