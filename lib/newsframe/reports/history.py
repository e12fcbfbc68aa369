"""What a report's previous run left beside it, read by the next run: each topic's top words and weights, so that
a refitted topic keeps its number (and the researcher's label) as the corpus grows."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from newsframe import paths
from newsframe.analysis import topics
from newsframe.errors import ParameterError
from newsframe.reports import export

__all__ = ["TOPIC_TERMS", "keep_topic_numbers", "read_topic_terms", "save_topic_terms"]

TOPIC_TERMS = "topic_terms"  # `<data_dir>/topic_terms.csv`


def keep_topic_numbers(model: topics.Model, *, data_dir: str | Path) -> tuple[topics.Model, pd.DataFrame]:
    """Renumber the model's topics after those the previous run saved in `data_dir` (`topics.identify`); return
    the renumbered model and the changes. Without a `data_dir`, or on a first run, the numbers stay as fitted."""
    previous = read_topic_terms(paths.resolve(data_dir) / f"{TOPIC_TERMS}.csv") if data_dir else None
    return topics.identify(model, previous)


def save_topic_terms(model: topics.Model, topic_labels: Mapping[int, str], *, data_dir: str | Path) -> Path | None:
    """Write each topic's top words with their weights to `data_dir`, for the next run; nothing without a
    `data_dir`."""
    return export.write_csv(topics.topic_terms(model, topic_labels), folder=data_dir, name=TOPIC_TERMS)


def read_topic_terms(path: str | Path) -> pd.DataFrame | None:
    """Read a previous run's `topic_terms` CSV (`topic`, `label`, `rank`, `term`, `weight`); None when there is
    none yet (a first run)."""
    path = paths.resolve(path)
    if not str(path) or not path.is_file():
        return None
    frame = pd.read_csv(path, dtype={"label": "string", "term": "string"})
    missing = {"topic", "term", "weight"} - set(frame.columns)
    if missing:
        raise ParameterError(f"{path} is not a topic_terms file from newsframe: it lacks {', '.join(sorted(missing))}."
                             " Delete it to start topic numbers afresh.")
    return frame
