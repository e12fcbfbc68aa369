"""Matplotlib figures from newsframe's tidy frames, in one house style.

Every timeline chart draws the last, incomplete period dotted (not a drop in coverage) and marks events, so that a
reader sees what happened when coverage moved.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd

from newsframe.analysis.periods import FREQUENCY_NAMES

__all__ = [
    "FREQUENCY_NAMES", "counts", "dispersion", "heatmap", "keyness", "lines", "model_selection", "small_multiples",
    "stacked", "table",
]


def counts(counts: pd.DataFrame, *, by: str | None = None, freq: str = "M", title: str = "Articles per period",
           events: pd.DataFrame | None = None):
    """Return a line chart of article counts per period, one line per value of `by`."""
    return lines(counts, value="articles", series=by, freq=freq, title=title, events=events,
                 ylabel=f"articles per {FREQUENCY_NAMES.get(freq, freq)}")


def lines(frame: pd.DataFrame, *, value: str, series: str | None = None, freq: str = "M", title: str = "",
          ylabel: str = "", events: pd.DataFrame | None = None, band: tuple[str, str] | None = None,
          percent: bool = False):
    """Return a line chart of `value` per period, one line per value of `series`.

    Optional: a shaded `band` (low and high columns, e.g. a confidence interval), spikes (rows with `is_spike`)
    ringed, and `events` drawn as labelled vertical lines or spans.
    """
    fig, ax = plt.subplots(figsize=(10, 4.8), layout="constrained")
    groups = frame.groupby(series, sort=True) if series else [("all articles", frame)]
    scale = 100 if percent else 1
    for name, group in groups:
        group = group.sort_values("period_start")
        complete = group[group["is_complete"]]
        line, = ax.plot(complete["period_start"], complete[value] * scale, label=_literal(name), linewidth=1.6)
        partial = group.tail(2) if (~group["is_complete"]).any() and len(group) > 1 else group.iloc[0:0]
        ax.plot(partial["period_start"], partial[value] * scale, linestyle=":", color=line.get_color(), linewidth=1.6)
        if band:
            ax.fill_between(group["period_start"], group[band[0]] * scale, group[band[1]] * scale,
                            color=line.get_color(), alpha=0.15, linewidth=0)
        if "is_spike" in group:
            spiked = group[group["is_spike"]]
            ax.scatter(spiked["period_start"], spiked[value] * scale, s=70, facecolors="none",
                       edgecolors=line.get_color(), linewidths=1.5, zorder=3)
    _events(ax, events)
    ax.set(title=_literal(title), xlabel="period start",
           ylabel=_literal(ylabel) + (" (%)" if percent and "%" not in ylabel else ""))
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    if series:
        ax.legend(title=_literal(series), loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False)
    notes = (["dotted: last period still incomplete"] if (~frame["is_complete"]).any() else []) + (
        ["circled: spike"] if "is_spike" in frame and frame["is_spike"].any() else [])
    if notes:
        ax.annotate(" · ".join(notes), xy=(1, 1.01), xycoords="axes fraction", ha="right", fontsize="small",
                    color="0.4")
    return _detached(fig)


def small_multiples(frame: pd.DataFrame, *, value: str, series: str, title: str = "", ylabel: str = "",
                    events: pd.DataFrame | None = None, band: tuple[str, str] | None = None, percent: bool = False,
                    columns: int = 2, order: list | None = None):
    """Return one small chart per value of `series` (in `order`, else sorted), on shared axes, so that many lines
    stay readable."""
    names = order if order is not None else sorted(frame[series].dropna().unique())
    rows = max(1, -(-len(names) // columns))
    fig, axes = plt.subplots(rows, columns, figsize=(10, 1.2 + 2.1 * rows), sharex=True, sharey=True,
                             layout="constrained", squeeze=False)
    scale = 100 if percent else 1
    for ax, name in zip(axes.flat, names, strict=False):
        group = frame[frame[series] == name].sort_values("period_start")
        complete = group[group["is_complete"]]
        ax.plot(complete["period_start"], complete[value] * scale, linewidth=1.3, color="C0")
        partial = group.tail(2) if (~group["is_complete"]).any() and len(group) > 1 else group.iloc[0:0]
        ax.plot(partial["period_start"], partial[value] * scale, linestyle=":", linewidth=1.3, color="C0")
        if band:
            ax.fill_between(group["period_start"], group[band[0]] * scale, group[band[1]] * scale, color="C0",
                            alpha=0.15, linewidth=0)
        if "is_spike" in group:
            spiked = group[group["is_spike"]]
            ax.scatter(spiked["period_start"], spiked[value] * scale, s=50, facecolors="none", edgecolors="C3")
        _events(ax, events, labels=False)
        ax.set_title(_literal(name), fontsize="small", loc="left")
        ax.grid(alpha=0.3)
        locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
        ax.xaxis.set(major_locator=locator, major_formatter=mdates.ConciseDateFormatter(locator))
    top = (frame[band[1]] if band else frame[value]).max() * scale if len(frame) else 1
    axes.flat[0].set_ylim(0, (top if top > 0 else 1) * 1.05)  # shared: one call after all lines are drawn
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    fig.suptitle(_literal(title))
    fig.supylabel(_literal(ylabel) + (" (%)" if percent and "%" not in ylabel else ""), fontsize="small")
    return _detached(fig)


def dispersion(kwic: pd.DataFrame, *, title: str = "Mentions by date and source", events: pd.DataFrame | None = None):
    """Return a dispersion chart: one mark per mention, by date (x) and source (y)."""
    sources = sorted(kwic["source"].dropna().unique())
    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.45 * max(len(sources), 1)), layout="constrained")
    rows = {name: i for i, name in enumerate(sources)}
    dates = kwic["published"].dt.tz_convert("UTC").dt.tz_localize(None)
    ax.scatter(dates, kwic["source"].map(rows), marker="|", s=200, linewidths=1, color="C0")
    ax.set_yticks(range(len(sources)), [_literal(s) for s in sources])
    ax.set_ylim(-0.7, len(sources) - 0.3)
    _events(ax, events)
    ax.set(title=_literal(title), xlabel="date published")
    ax.grid(axis="x", alpha=0.3)
    return _detached(fig)


def keyness(table: pd.DataFrame, *, title: str = "Key terms"):
    """Return a horizontal bar chart of terms by log-likelihood."""
    fig, ax = plt.subplots(figsize=(8, 0.6 + 0.28 * max(len(table), 1)), layout="constrained")
    ordered = table.iloc[::-1]
    ax.barh(range(len(ordered)), ordered["log_likelihood"], color="C2")
    ax.set_yticks(range(len(ordered)), [_literal(t) for t in ordered["term"]])
    ax.set(title=_literal(title), xlabel="log-likelihood (G²) against the rest of the corpus")
    ax.grid(axis="x", alpha=0.3)
    return _detached(fig)


def model_selection(swept: pd.DataFrame, *, chosen: int | None = None,
                    title: str = "Choosing the number of topics"):
    """Return coherence, diversity and their product (topic quality) against k, the chosen k marked."""
    fig, ax = plt.subplots(figsize=(8, 4), layout="constrained")
    ax.plot(swept["k"], swept["coherence"], marker="o", label="coherence (mean NPMI of top 10 words)")
    ax.plot(swept["k"], swept["diversity"], marker="s", label="diversity (unique share of top 25 words)")
    ax.plot(swept["k"], swept["quality"], marker="D", linewidth=2.2, label="topic quality (coherence × diversity)")
    if "agreement" in swept:
        ax.plot(swept["k"], swept["agreement"], marker="^", linestyle="--", label="agreement with labels (NMI)")
    if chosen is not None:
        ax.axvline(chosen, color="0.35", linestyle="--", linewidth=0.9)
        ax.annotate(f"k = {chosen}", xy=(chosen, 1.0), xycoords=("data", "axes fraction"), ha="left", va="top",
                    fontsize="small", color="0.25", xytext=(3, -3), textcoords="offset points")
    ax.set(title=_literal(title), xlabel="number of topics (k)", ylabel="score (NPMI: −1 to 1; others: 0 to 1)")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False)
    return _detached(fig)


def stacked(frame: pd.DataFrame, *, value: str = "share", series: str = "label", freq: str = "M", title: str = "",
            events: pd.DataFrame | None = None, order: list | None = None):
    """Return a stacked area chart of `value` (a share) per period, one band per `series` value; the last period,
    when incomplete, is shaded."""
    wide = frame.pivot_table(index="period_start", columns=series, values=value, aggfunc="sum", fill_value=0,
                             observed=True)
    wide = wide[order] if order is not None else wide
    fig, ax = plt.subplots(figsize=(10, 5), layout="constrained")
    ax.stackplot(wide.index, (wide * 100).T.to_numpy(), labels=[_literal(c) for c in wide.columns], alpha=0.9,
                 colors=[plt.get_cmap("tab20")(i % 20) for i in range(wide.shape[1])])
    partial = frame.loc[~frame["is_complete"], "period_start"]
    if len(partial) and len(wide) > 1:
        ax.axvspan(wide.index[-2], wide.index[-1], color="white", alpha=0.5, linewidth=0)
        ax.annotate("shaded: last period still incomplete", xy=(1, 1.01), xycoords="axes fraction", ha="right",
                    fontsize="small", color="0.4")
    _events(ax, events)
    ax.set(title=_literal(title), xlabel="period start",
           ylabel=f"share of the {FREQUENCY_NAMES.get(freq, freq)}'s articles (%)")
    ax.set_ylim(0, 100)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="x-small", frameon=False, reverse=True)
    return _detached(fig)


def heatmap(frame: pd.DataFrame, *, rows: str, columns: str, value: str, title: str = "", percent: bool = True,
            order: list | None = None):
    """Return a heat map of `value` for each `rows` x `columns` pair, each cell labelled."""
    wide = frame.pivot_table(index=rows, columns=columns, values=value, aggfunc="sum", fill_value=0, observed=True)
    wide = wide.reindex(order) if order is not None else wide
    scale = 100 if percent else 1
    fig, ax = plt.subplots(figsize=(2.5 + 1.3 * wide.shape[1], 1 + 0.42 * wide.shape[0]), layout="constrained")
    image = ax.imshow(wide.to_numpy() * scale, aspect="auto", cmap="Blues")
    ax.set_xticks(range(wide.shape[1]), [_literal(c) for c in wide.columns], rotation=30, ha="right")
    ax.set_yticks(range(wide.shape[0]), [_literal(r) for r in wide.index])
    top = wide.to_numpy().max() * scale if wide.size else 1
    for (i, j), cell in pd.DataFrame(wide.to_numpy() * scale).stack().items():
        ax.text(j, i, f"{cell:.0f}" if percent else f"{cell:.2g}", ha="center", va="center", fontsize="x-small",
                color="white" if cell > top * 0.6 else "black")
    fig.colorbar(image, ax=ax, label="%" if percent else value, shrink=0.8)
    ax.set_title(_literal(title))
    return _detached(fig)


def _events(ax, events: pd.DataFrame | None, *, labels: bool = True) -> None:
    if events is None or events.empty:
        return
    for event in events.itertuples(index=False):
        start = event.date.tz_localize(None)
        if pd.notna(event.end_date) and event.end_date > event.date:
            ax.axvspan(start, event.end_date.tz_localize(None), color="0.5", alpha=0.12, linewidth=0)
        else:
            ax.axvline(start, color="0.35", linestyle="--", linewidth=0.9)
        if labels:
            ax.annotate(_literal(event.label), xy=(mdates.date2num(start), 0.98), xycoords=("data", "axes fraction"),
                        rotation=90, ha="right", va="top", fontsize="x-small", color="0.25")


def _literal(value) -> str:
    """Return text from the data as matplotlib must draw it: literally. A `$` pair would otherwise be read as a
    formula (`$5 and $6` set in italics, `$\\undefinedmacro$` failing the whole report)."""
    return str(value).replace("$", r"\$")


def _detached(fig):
    # Closed figures are not drawn again by the notebook's inline backend; the returned figure is displayed once.
    plt.close(fig)
    return fig


def table(frame: pd.DataFrame, *, formats: dict[str, str] | None = None, left: list[str] | tuple = (),
          index: bool = False):
    """Return `frame` styled for a report: values and labels HTML-escaped (a title such as `<script>` shows as
    text and runs nothing), `formats` per column (e.g. {"share": "{:.1%}"}), the `left` columns aligned left."""
    formatters = {column: (formats or {}).get(column) for column in frame.columns}
    styler = frame.style.format(formatters, escape="html", na_rep="")
    styler = styler.format_index(escape="html", axis=0).format_index(escape="html", axis=1)
    if left:
        styler = styler.set_properties(subset=list(left), **{"text-align": "left"})
    return styler if index else styler.hide(axis="index")
