"""What changed since a report's last run: the facts each run records, and the comparison of two runs' facts that
opens the next report ("Since the last report (date): …") and gives its line in the index.

A run's facts are small whatever the corpus (counts and labels, never article ids):

    corpus      articles (duplicates aside), articles per source, rejects per reason, the last day published: read
                by the runner from the corpus file and its ingest summary (`corpus_facts`)
    notebook    what the notebook displayed with `history.facts` in its last cell: `spikes` (period labels, from the
                timeline), `topics` (numbers, labels and shares), or any other list of labels
    parameters  a short hash of each parameter's value, to say which changed

The reports folder's state keeps them in the job's entry, written only when a run succeeds: a skipped run keeps
the last report and its box, a failed one keeps the facts of the last good run for the next comparison.
`compare` is a pure function of two runs' facts; `lines` and `summary` say its result in words.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

__all__ = ["FACTS_MIME", "MOVING", "collect", "compare", "corpus_facts", "digests", "heading", "lines", "summary"]

FACTS_MIME = "application/vnd.newsframe.facts+json"  # nbconvert's HTML does not render it; the runner takes it out
MOVING = 0.02  # a topic whose share of the coverage moved by this much (2 points) or more is said to be moving
SHOWN = 5  # sources, reasons, labels named in the report's box (the index names fewer)
KEPT = 10  # items of a list kept in a stored comparison (their count is kept whole)


def collect(parameters: dict, notebook_facts: dict) -> dict:
    """Return a run's facts: the corpus's (from `parameters["corpus_path"]`), the notebook's, the parameters'."""
    corpus_path = parameters.get("corpus_path")
    return {"corpus": corpus_facts(corpus_path) if isinstance(corpus_path, str) and corpus_path else None,
            "notebook": notebook_facts, "parameters": digests(parameters)}


def corpus_facts(path: str | Path) -> dict | None:
    """Return a corpus file's `articles` (duplicates aside), `sources` (articles per source), `rejects` (per reason,
    None without an ingest summary) and `last_published` (a day); None when there is no corpus file."""
    import pyarrow.compute as pc

    from newsframe import corpus, paths
    from newsframe.corpus import layout
    from newsframe.errors import NewsframeError

    path = paths.resolve(path)
    if not path.exists():
        return None
    names = layout.schema_names(path)
    table = layout.read_table(path, columns=[c for c in ("source", "published", "duplicate_of") if c in names],
                              ordered=False)
    if "duplicate_of" in names:
        table = table.filter(pc.is_null(table["duplicate_of"]))
    counted = pc.value_counts(table["source"].combine_chunks()) if table.num_rows else []
    sources = {str(row["values"].as_py() or "(no source)"): row["counts"].as_py() for row in counted}
    last = pc.max(table["published"]) if table.num_rows else None
    try:
        rejects = corpus.read_summary(path).get("rejected_by_reason")
    except (NewsframeError, OSError, ValueError):
        rejects = None  # copied without its ingest summary, or a summary that cannot be read
    return {"articles": table.num_rows, "sources": dict(sorted(sources.items(), key=lambda item: -item[1])),
            "rejects": rejects, "last_published": f"{last.as_py():%Y-%m-%d}" if last and last.is_valid else ""}


def digests(parameters: dict) -> dict[str, str]:
    """Return a short hash of each parameter's value, to tell which changed between two runs."""
    return {name: hashlib.sha1(json.dumps(value, sort_keys=True, default=str).encode(),
                               usedforsecurity=False).hexdigest()[:10] for name, value in sorted(parameters.items())}


def compare(before: dict | None, after: dict, *, when: str = "") -> dict:
    """Return what changed from one run's facts (`before`, None for a first run) to the next's, `when` being the
    time of the first run: `first_run`, `when`, and, where both runs have the facts to compare, `articles`,
    `last_published`, `spikes`, `topics`, `rejects`, `lists` (the notebook's other lists) and `parameters` (the
    names of those that changed). Lists are cut to their first few items, counts kept whole."""
    if not before:
        return {"first_run": True}
    change = {"first_run": False, "when": when}
    old, new = before.get("corpus") or {}, after.get("corpus") or {}
    if "sources" in old and "sources" in new:
        change["articles"] = _articles(old, new)
    if old.get("last_published") != new.get("last_published") and old.get("last_published"):
        change["last_published"] = [old["last_published"], new.get("last_published", "")]
    if old.get("rejects") is not None and new.get("rejects") is not None:
        change["rejects"] = _counted(_increases(old["rejects"], new["rejects"]))
    change |= _notebook(before.get("notebook") or {}, after.get("notebook") or {})
    changed = sorted(name for name, digest in (after.get("parameters") or {}).items()
                     if (before.get("parameters") or {}).get(name, digest) != digest)
    return change | ({"parameters": changed} if changed else {})


def _articles(old: dict, new: dict) -> dict:
    gained = _counted(_increases(old["sources"], new["sources"]))
    lost = _counted(_increases(new["sources"], old["sources"]))
    return {"now": new.get("articles", 0), "new": gained["count"], "by_source": gained["items"],
            "sources": gained["kinds"], "fewer": lost["count"], "fewer_by_source": lost["items"]}


def _increases(old: dict[str, int], new: dict[str, int]) -> dict[str, int]:
    """Return how much each count grew from `old` to `new` (those that grew only), largest first."""
    grown = {name: count - old.get(name, 0) for name, count in new.items() if count > old.get(name, 0)}
    return dict(sorted(grown.items(), key=lambda item: (-item[1], item[0])))


def _counted(grown: dict[str, int]) -> dict:
    return {"count": sum(grown.values()), "kinds": len(grown), "items": [[k, v] for k, v in list(grown.items())[:KEPT]]}


def _notebook(old: dict, new: dict) -> dict:
    found = {}
    if isinstance(old.get("spikes"), list) and isinstance(new.get("spikes"), list):
        found["spikes"] = _fresh(old["spikes"], new["spikes"], latest=True)
    if isinstance(old.get("topics"), dict) and isinstance(new.get("topics"), dict):
        found["topics"] = _topics(old["topics"], new["topics"])
    lists = {key: _fresh(old[key], value) for key, value in new.items()
             if key not in ("spikes", "topics") and isinstance(value, list) and isinstance(old.get(key), list)}
    lists = {key: fresh for key, fresh in lists.items() if fresh["count"]}
    return found | ({"lists": lists} if lists else {})


def _fresh(old: list, new: list, *, latest: bool = False) -> dict:
    """Return the items of `new` not in `old`: their count, and the first (or `latest`) few."""
    seen = set(map(str, old))
    fresh = [str(item) for item in new if str(item) not in seen]
    return {"count": len(fresh), "items": fresh[-KEPT:] if latest else fresh[:KEPT]}


def _topics(old: dict, new: dict) -> dict:
    if not new.get("matched"):
        return {"matched": False}
    before, after = _by_number(old.get("shares")), _by_number(new.get("shares"))
    labels = _by_number(old.get("labels")) | _by_number(new.get("labels"))
    fresh = [[n, labels.get(n, ""), after[n]] for n in sorted(after) if n not in before]
    gone = [[n, labels.get(n, ""), before[n]] for n in sorted(before) if n not in after]
    moving = [[n, labels.get(n, ""), before[n], after[n]] for n in sorted(after)
              if n in before and abs(after[n] - before[n]) >= MOVING - 1e-9]
    moving.sort(key=lambda row: -abs(row[3] - row[2]))
    return {"matched": True, "new": fresh, "gone": gone, "moving": moving}


def _by_number(values: dict | None) -> dict[int, object]:
    return {int(number): value for number, value in (values or {}).items()}


def heading(change: dict) -> str:
    """Return the box's heading: `Since the last report (2026-11-30 06:12:00 UTC)`."""
    when = change.get("when")
    return f"Since the last report ({when})" if when else "Since the last report"


def lines(change: dict) -> list[str]:
    """Return what changed as short sentences, one a line of the report's box."""
    if change.get("first_run"):
        return ["first run: nothing to compare with"]
    said = []
    if "articles" in change:
        said += _articles_lines(change["articles"], shown=SHOWN)
    if "last_published" in change:
        said.append("latest article {1} (was {0})".format(*change["last_published"]))
    if "spikes" in change:
        said.append(_spikes_line(change["spikes"], shown=SHOWN))
    if "topics" in change:
        said += _topics_lines(change["topics"])
    for key, found in change.get("lists", {}).items():
        said.append(f"new {key.replace('_', ' ')}: {_listed(found['items'], found['count'], shown=SHOWN)}")
    if "rejects" in change:
        said.append(_rejects_line(change["rejects"], shown=SHOWN))
    if change.get("parameters"):
        said.append(f"parameters changed since: {', '.join(change['parameters'])} (what the report finds may differ "
                    "for that reason too)")
    return said or ["nothing to compare: neither run recorded the same facts"]


def summary(change: dict) -> str:
    """Return what changed in one line, for the index: the new articles by source, then counts of the rest."""
    if change.get("first_run"):
        return "first run: nothing to compare with"
    parts = []
    if "articles" in change:
        parts.append(_articles_lines(change["articles"], shown=3)[0])
    if "spikes" in change:
        count = change["spikes"]["count"]
        parts.append(f"{count:,} new spike{_s(count)}" if count else "no new spike")
    topics = change.get("topics")
    if topics and topics.get("matched"):
        counts = [f"{len(topics[kind]):,} {kind}" for kind in ("new", "gone", "moving") if topics[kind]]
        parts.append(f"topics: {', '.join(counts)}" if counts else "topics steady")
    elif topics:
        parts.append("topics not compared (no data_dir)")
    if "rejects" in change:
        count = change["rejects"]["count"]
        parts.append(f"{count:,} new reject{_s(count)}" if count else "no new reject")
    if change.get("parameters"):
        parts.append(f"parameters changed: {', '.join(change['parameters'])}")
    return f"{heading(change)}: {'; '.join(parts) or 'nothing to compare'}"


def _articles_lines(articles: dict, *, shown: int) -> list[str]:
    new, now = articles["new"], articles["now"]
    said = [f"{f'{new:,}' if new else 'no'} new article{_s(new or 1)} ({now:,} in all, duplicates aside)"]
    if new:
        said[0] += ": " + _by_source(articles["by_source"], new, articles["sources"], shown=shown)
    if articles.get("fewer"):
        fewer = articles["fewer"]
        said.append(f"{fewer:,} article{_s(fewer)} fewer: "
                    + ", ".join(f"{name} {count:,}" for name, count in articles["fewer_by_source"][:shown]))
    return said


def _by_source(items: list, total: int, kinds: int, *, shown: int) -> str:
    named = items[:shown]
    text = ", ".join(f"{name} {count:,}" for name, count in named)
    rest, others = total - sum(count for _, count in named), kinds - len(named)
    return text + (f", and {rest:,} from {others:,} other source{_s(others)}" if others > 0 else "")


def _spikes_line(spikes: dict, *, shown: int) -> str:
    count = spikes["count"]
    if not count:
        return "no new spike"
    return f"{count:,} new spike{_s(count)}: {_listed(spikes['items'], count, shown=shown, last=True)}"


def _topics_lines(topics: dict) -> list[str]:
    if not topics.get("matched"):
        return ["topics not compared: this run's topics were not matched to the previous run's (give the report "
                "the same data_dir every time to keep topic numbers)"]
    said = []
    if topics["new"]:
        said.append("new topics: " + "; ".join(f'{n} "{label}" ({_pct(share)})' for n, label, share in topics["new"]))
    if topics["gone"]:
        said.append("topics gone: " + "; ".join(f'{n} "{label}" (was {_pct(share)})'
                                                for n, label, share in topics["gone"]))
    if topics["moving"]:
        said.append(f"topics moving in share ({MOVING * 100:g} points or more): " + "; ".join(
            f'{n} "{label}" {_pct(old)} → {_pct(new)}' for n, label, old, new in topics["moving"]))
    return said or [f"topics: none new, none gone, none moving by {MOVING * 100:g} points or more"]


def _rejects_line(rejects: dict, *, shown: int) -> str:
    count = rejects["count"]
    if not count:
        return "no new reject"
    reasons = ", ".join(f"{reason} {n:,}" for reason, n in rejects["items"][:shown])
    return f"{count:,} new reject{_s(count)}: {reasons}"


def _listed(items: list, count: int, *, shown: int, last: bool = False) -> str:
    named = items[-shown:] if last else items[:shown]
    more = f" and {count - len(named):,} more" if count > len(named) else ""
    return "; ".join(map(str, named)) + more


def _pct(share: float) -> str:
    return f"{share * 100:.1f} %"


def _s(count: int) -> str:
    return "" if count == 1 else "s"
