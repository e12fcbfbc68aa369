"""What a report's run leaves for the next: each topic's top words and weights beside the report, so that a refitted
topic keeps its number (and the researcher's label) as the corpus grows; and the facts a notebook hands the runner
(`facts`, in its last cell: spikes, topic shares), which the next run compares with its own ("Since the last report",
`reports.since`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from newsframe import paths
from newsframe.analysis import timeline, topics
from newsframe.analysis.periods import frequency_code
from newsframe.errors import ParameterError
from newsframe.reports import export
from newsframe.reports.since import FACTS_MIME

__all__ = [
    "FACTS_LIMIT", "TOPIC_TERMS", "facts", "keep_topic_numbers", "read_topic_terms", "save_topic_terms", "spikes",
    "topic_facts",
]

TOPIC_TERMS = "topic_terms"  # `<data_dir>/topic_terms.csv`
FACTS_LIMIT = 500  # items of a list kept as a fact (the last ones): the facts of a run stay small


def facts(**values) -> None:
    """Hand `values` (text, numbers, lists and mappings of them) to the runner, which records them with the run and
    compares them with the next run's; the report does not show them. Call it in a notebook's last cell:
    `spikes=` period labels (`spikes`), `topics=` numbers, labels and shares (`topic_facts`), or any list of labels
    (`warnings=[…]` reads "new warnings: …")."""
    from IPython.display import display

    bounded = {name: value[-FACTS_LIMIT:] if isinstance(value, list) else value for name, value in values.items()}
    # JupyterLab shows the text; the runner takes the whole output out before the report is rendered
    said = ", ".join(f"{name} ({len(value):,})" if isinstance(value, list | dict) else name
                     for name, value in bounded.items())
    display({FACTS_MIME: json.loads(json.dumps(bounded, default=_plain)),
             "text/plain": f"Kept for the next run's comparison (not shown in the report): {said}"}, raw=True)


def _plain(value):
    # numpy numbers as JSON numbers; anything else JSON does not know (a timestamp, a period) as its text
    return value.item() if isinstance(value, np.integer | np.floating | np.bool_) else str(value)


def spikes(counts: pd.DataFrame, *, freq: str, by: str | None = None) -> list[str]:
    """Return the spikes of a frame marked by `timeline.mark_spikes` as period labels, oldest first (`week of
    2023-07-24`); with `by`, each followed by its series (`week of 2023-07-24 (Russie)`)."""
    if "is_spike" not in counts:
        return []
    marked = counts[counts["is_spike"]].sort_values("period_start", kind="stable")
    code = frequency_code(freq) or freq
    labels = [timeline.period_label(start, freq=code) for start in marked["period_start"]]
    if by:
        labels = [f"{label} ({series})" for label, series in zip(labels, marked[by], strict=True)]
    return labels


def topic_facts(model: topics.Model, topic_labels: Mapping[int, str], changes: pd.DataFrame) -> dict:
    """Return each topic's label and share of the coverage (as `topics.table`), by number, and whether the numbers
    were matched to the previous run's (`changes` from `keep_topic_numbers`): `matched`, `labels`, `shares`."""
    shares = model.weights.mean(axis=0) if len(model.weights) else [0.0] * model.k
    numbers = [int(n) for n in model.topic_ids]
    return {"matched": bool(changes["status"].isin(["kept", "new", "gone"]).any()),
            "labels": {n: str(topic_labels.get(n, "")) for n in numbers},
            "shares": {n: round(float(share), 4) for n, share in zip(numbers, shares, strict=True)}}


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
