"""Tables that open a report: the articles it is about, and its parameters in words a reader understands."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from newsframe.analysis.periods import FREQUENCY_NAMES

__all__ = ["corpus", "parameters", "vocabulary"]


def corpus(articles: pd.DataFrame) -> pd.DataFrame:
    """Return a one-column table (`value`, indexed by `corpus`) describing the articles: how many, duplicates
    flagged, first and last dates, sources and languages."""
    facts = {
        "articles": f"{len(articles):,}",
        "exact duplicates flagged": f"{articles['duplicate_of'].notna().sum():,}",
        "first published": f"{articles['published'].min():%Y-%m-%d}" if len(articles) else "",
        "last published": f"{articles['published'].max():%Y-%m-%d}" if len(articles) else "",
        "sources": f"{articles['source'].nunique():,}",
        "languages": ", ".join(f"{k} ({v:,})" for k, v in _counts(articles["language"])),
    }
    return pd.DataFrame({"value": facts}).rename_axis("corpus")


def _counts(values: pd.Series) -> list[tuple[str, int]]:
    return list(values.fillna("unknown").value_counts().items())


def parameters(**values) -> pd.DataFrame:
    """Return a one-column table (`value`, indexed by `parameter`) of a report's parameters in words: empty dates
    read "first article", an empty list "all", a period its name; names it does not know are shown as given."""
    rows: dict[str, str] = {}
    for name, value in values.items():
        if name == "spike_window" or (name == "spike_threshold" and "spike_window" in values):
            continue  # stated together, as the rule
        label, show = _WORDING.get(name, (name.replace("_", " "), _plain))
        rows[label] = show(value)
    if "spike_window" in values:
        rows["spikes"] = (f"{values.get('spike_threshold', '?')} spreads above the median of "
                          f"{values['spike_window']} periods")
    return pd.DataFrame({"value": rows}).rename_axis("parameter")


def vocabulary(vectors, articles: pd.DataFrame) -> pd.DataFrame:
    """Return a one-column table (`value`, indexed by `vocabulary`) of what a topic model was fitted on: the words
    used, the articles modelled, and the articles none of whose words was used (they get no topic)."""
    return pd.DataFrame({"value": {
        "words used": f"{vectors.counts.shape[1]:,}",
        "articles modelled": f"{len(articles):,}",
        "articles without any word used (no topic)": f"{int(vectors.empty.sum()):,}",
    }}).rename_axis("vocabulary")


def _plain(value) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value)) or "none"
    return "none" if value in ("", None) else str(value)


def _groups(value: Mapping) -> str:
    return "; ".join(f"{k}: {', '.join(v)}" for k, v in value.items()) or "none"


_WORDING = {
    "corpus_path": ("corpus", _plain),
    "start": ("from", lambda v: v or "first article"),
    "end": ("to", lambda v: v or "last article"),
    "freq": ("period", lambda v: FREQUENCY_NAMES.get(v, str(v))),
    "by": ("split by", _plain),
    "sources": ("sources", lambda v: ", ".join(v) or "all"),
    "language": ("language", lambda v: v or "all"),
    "term_groups": ("term groups", _groups),
    "events_file": ("events", _plain),
    "smoothing": ("smoothing", lambda v: f"{v} period(s)"),
    "k": ("k asked", _plain),
    "extra_stop_words": ("extra stop words", _plain),
}
