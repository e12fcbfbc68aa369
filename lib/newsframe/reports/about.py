"""Tables that open a report: the articles it is about, and its parameters in words a reader understands."""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd
from IPython.display import Markdown

from newsframe import demo
from newsframe.analysis.periods import FREQUENCIES, FREQUENCY_NAMES, frequency_code
from newsframe.corpus.select import Coverage
from newsframe.reports.plots import table

__all__ = [
    "banner", "boilerplate", "corpus", "coverage", "fitted_on", "ingest_notes", "many_sources", "names", "parameters",
    "share_floor", "split_column", "verdict", "vocabulary",
]


def corpus(articles: pd.DataFrame, *, include_duplicates: bool = False, count: str = "articles"):
    """Return a one-column table (`value`, indexed by `corpus`; styled for a report, `.data` is the frame)
    describing the articles: how many, duplicates (counted or left out), near-duplicates and what is counted,
    first and last dates, sources and languages."""
    duplicates = int(articles["duplicate_of"].notna().sum())
    kept = articles[articles["duplicate_of"].isna()]
    copies = kept["story_similarity"].notna()
    stories = kept.loc[copies, "story_id"].nunique()
    counted = ("each article counted (count: articles)" if count == "articles"
               else "each story counted once, for its first outlet (count: stories)")
    facts = {
        "articles": f"{len(articles):,}",
        "exact duplicates and older versions": f"{duplicates:,} ("
                                               f"{'counted' if include_duplicates else 'left out of what follows'})",
        "near-duplicates": f"{copies.sum():,} articles print {stories:,} {'story' if stories == 1 else 'stories'} "
                           f"more than once (wire copy, reprints); " + counted,
        "first published": f"{articles['published'].min():%Y-%m-%d}" if len(articles) else "",
        "last published": f"{articles['published'].max():%Y-%m-%d}" if len(articles) else "",
        "sources": f"{articles['source'].nunique():,}",
        "languages": ", ".join(f"{k} ({v:,})" for k, v in _counts(articles["language"])),
    }
    return _shown(pd.DataFrame({"value": facts}).rename_axis("corpus"))


def _counts(values: pd.Series) -> list[tuple[str, int]]:
    return list(values.fillna("unknown").value_counts().items())


def banner(articles: pd.DataFrame) -> Markdown | None:
    """Return a warning for the top of a report when its corpus is the synthetic demo, else nothing (no output)."""
    if len(articles) and articles["author"].eq(demo.AUTHOR).all():
        return Markdown("> **Synthetic demo corpus.** These articles were invented by `newsframe demo` to show what "
                        "the reports do; no outlet wrote them. Point the report at your own corpus (README, *Your own "
                        "data*).")
    return None


def coverage(span: Coverage, *, freq: str = "W") -> Markdown:
    """Return what a report's charts cover, and what they leave out: isolated early or late articles (with how to
    include them) and long stretches without any article."""
    if span.start is None:
        return Markdown("The selection holds no article.")
    lines = [f"The charts cover **{span.start:%Y-%m-%d} to {span.end:%Y-%m-%d}**"
             + (", as asked (`start`, `end`)." if span.chosen else ", where the corpus has real coverage.")]
    for (count, first, last), side, parameter in ((span.before, "before", "start"), (span.after, "after", "end")):
        if count:
            advice = f"set `{parameter}` to include them" if not span.chosen else "they are outside the range asked for"
            lines.append(f"- {count:,} article(s) {side} it, from {first:%Y-%m-%d} to {last:%Y-%m-%d}, are left out "
                         f"of every chart and table: too few to make a timeline of ({advice}).")
    lines += [f"- No article at all from {first:%Y-%m-%d} to {last:%Y-%m-%d} ({months} months): a feed that stopped, "
              "or a gap in the export?" for first, last, months in span.gaps]
    periods = len(pd.period_range(span.start.tz_localize(None), span.end.tz_localize(None),
                                  freq=FREQUENCIES[frequency_code(freq) or "W"]))
    if periods <= 2:
        lines.append(f"- The articles fall in {periods} {FREQUENCY_NAMES.get(frequency_code(freq), 'period')}(s): the "
                     "charts show points, not lines. A timeline needs articles over many periods; add articles, or "
                     "choose a shorter period (`freq`).")
    return Markdown("\n".join(lines))


def many_sources(articles: pd.DataFrame, *, column: str = "source", top: int = 8) -> Markdown:
    """Return advice when the values a report shows on their own hold little of the corpus (a collection of feed
    sections, each a "source"): a sources map would count outlets instead."""
    counts = articles[column].value_counts()
    shown = counts.iloc[:top].sum() / max(counts.sum(), 1)
    if column != "source" or len(counts) <= top + 1 or shown >= 0.5:
        return Markdown("")
    return Markdown(f"The {top} largest of the corpus's {len(counts):,} sources hold only {shown:.0%} of its articles: "
                    "many are probably sections or feeds of a few outlets. `newsframe sources CORPUS --suggest-map "
                    "sources.csv` drafts a sources map grouping them; give it to the report as `sources_map`.")


def boilerplate(found: pd.DataFrame):
    """Return what the analyses leave out as boilerplate (lines and sentences repeated across a source's articles:
    share buttons, sign-up prompts, datelines), as a table with counts, or a line saying there is none."""
    if found.empty:
        return Markdown("No line or sentence repeats across many articles of one source: nothing is left out.")
    shown = found.assign(text=found["text"].str.slice(0, 160))
    return table(shown, formats={"share": "{:.0%}", "articles": "{:,}"}, left=["source", "text", "where"])


def verdict(found: pd.DataFrame) -> Markdown:
    """Return the findings a researcher must know before reading the other reports (`quality.findings`), each with
    what to do, as a short list; or say that nothing stands out."""
    if found.empty:
        return Markdown("**Nothing stands out**: few rejects, no source that stopped, no date to doubt, few copies. "
                        "The sections below give the details.")
    items = "\n".join(f"- **{_markdown_text(row.finding)}**. {_markdown_text(row.what_to_do)}."
                      for row in found.itertuples())
    return Markdown(f"**Before reading the other reports** ({len(found)} point{'s' if len(found) > 1 else ''}):\n\n"
                    + items)


def _markdown_text(text: str) -> str:
    """Return text from the data safe inside Markdown: HTML and emphasis characters escaped, backticks kept for
    the option names newsframe writes itself."""
    escaped = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\*_\[\]#|])", r"\\\1", escaped)


def ingest_notes(summary: dict, *, top: int = 20) -> Markdown:
    """Return what the readers worked around when the corpus was ingested (the summary's `notes`: mixed encodings,
    salvaged files), or nothing."""
    notes = summary.get("notes") or []
    if not notes:
        return Markdown("")
    more = f"\n- … and {len(notes) - top:,} more in the ingest summary" if len(notes) > top else ""
    return Markdown("What ingest worked around, to know:\n\n" + "\n".join(f"- {_markdown_text(n)}"
                                                                           for n in notes[:top]) + more)


def names(found: pd.DataFrame | None, *, top: int = 20) -> Markdown:
    """Say which names of several words the analyses count as one term (`phrases.find`), the most frequent first."""
    if found is None:
        return Markdown("Names of several words are counted word by word (`compound_names` is off).")
    if found.empty:
        return Markdown("No name of several words is frequent enough to count as one term.")
    shown = ", ".join(f"{phrase} ({count:,})" for phrase, count in found[["phrase", "count"]].head(top).itertuples(
        index=False))
    more = f", and {len(found) - top:,} more" if len(found) > top else ""
    return Markdown(f"Counted as one term each, {len(found):,} names of several words found in the articles: "
                    f"{shown}{more}.")


def fitted_on(modelled: pd.DataFrame, articles: pd.DataFrame, *, seed: int = 0) -> Markdown:
    """Say which articles a topic model was fitted on (`partitions.Counting.modelled`): all of them, or a sample."""
    if len(modelled) >= len(articles):
        return Markdown(f"The model was fitted on all {len(articles):,} articles.")
    return Markdown(
        f"**The model was fitted on a sample of {len(modelled):,} of the {len(articles):,} articles**: the "
        f"{len(modelled):,} whose ids hash smallest with seed {seed} (`assignment.sample`: a uniform random sample, "
        "the same however the corpus is split; `dominant_topic.csv` lists them). The shares over time are of every "
        "article, each given its topics month by month (the non-negative least-squares fit of its words by the "
        "topics' words); the vocabulary, the choice of k, the topics by source, the representative articles and "
        "the article-level outputs are of the sample.")


def share_floor(floor: int, counts: pd.DataFrame, *, given: int = 0) -> Markdown:
    """Say which periods' shares the charts leave blank (`timeline.share_floor`), and how many periods that is."""
    from newsframe.analysis.timeline import SHARE_FLOOR_RULE

    held = counts["articles"] > 0
    blank = int((held & (counts["articles"] < floor)).sum())
    why = "as asked (`min_share_articles`)" if given else f"by the default rule: {SHARE_FLOOR_RULE}"
    return Markdown(f"Shares are drawn for periods of at least **{floor:,} articles**, {why}. "
                    f"{blank:,} of the {int(held.sum()):,} periods with articles have fewer, and are left blank: the "
                    "share of a handful of articles is mostly chance (one article gives 0 or 100 %).")


def split_column(by: str, used: str) -> Markdown:
    """Say when a report splits by another column than the one asked for (one source, many sections)."""
    if by == used:
        return Markdown("")
    return Markdown(f"The corpus has a single {by}, so the views *by {by}* are shown by **{used}** instead (set "
                    f"`by` to choose).")


def parameters(**values):
    """Return a one-column table (`value`, indexed by `parameter`; styled) of a report's parameters in words:
    empty dates read "first article", an empty list "all", a period its name; names it does not know are shown as
    given."""
    rows: dict[str, str] = {}
    for name, value in values.items():
        if name == "spike_window" or (name == "spike_threshold" and "spike_window" in values):
            continue  # stated together, as the rule
        label, show = _WORDING.get(name, (name.replace("_", " "), _plain))
        rows[label] = show(value)
    if "spike_window" in values:
        rows["spikes"] = (f"{values.get('spike_threshold', '?')} spreads above the median of "
                          f"{values['spike_window']} periods")
    return _shown(pd.DataFrame({"value": rows}).rename_axis("parameter"))


def vocabulary(vectors, articles: pd.DataFrame):
    """Return a one-column table (`value`, indexed by `vocabulary`; styled) of what a topic model was fitted on:
    the words used, the articles modelled, and the articles none of whose words was used (they get no topic)."""
    return _shown(pd.DataFrame({"value": {
        "words used": f"{vectors.counts.shape[1]:,}",
        "articles modelled": f"{len(articles):,}",
        "articles without any word used (no topic)": f"{int(vectors.empty.sum()):,}",
    }}).rename_axis("vocabulary"))


def _shown(frame: pd.DataFrame):
    """Return a one-column facts table styled for a report: nothing cut short, text escaped (`.data` is the frame)."""
    return table(frame, index=True, left=["value"])


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
