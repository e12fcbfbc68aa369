"""Charts from newsframe's tidy frames, in one house style (`charts`): each returns a `Chart` that a report shows,
with alt text saying what it shows, and that `.saved(folder)` writes as SVG and 300-dpi PNG with its caption.

Every timeline chart draws the last, incomplete period dotted (not a drop in coverage), marks events (listing
those outside its range rather than stretching the axis), and copes with one period as with a hundred.
"""

from __future__ import annotations

import functools
import re

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.colors import LogNorm

from newsframe.analysis.periods import FREQUENCY_NAMES
from newsframe.reports import interactive
from newsframe.reports.charts import (
    Chart,
    colours,
    date_axis,
    draw_events,
    events_note,
    finished,
    literal,
    new,
    short,
)

__all__ = [
    "FREQUENCY_NAMES", "counts", "dispersion", "heatmap", "keyness", "kwic_table", "lines", "model_selection",
    "presence", "small_multiples", "stacked", "table",
]

_PERIOD_DAYS = {"D": 1, "W": 7, "M": 31, "Q": 92, "Y": 366}
_WIDE_APART = 4.0  # panels whose highest values differ more than this many times get y axes of their own


def counts(counts: pd.DataFrame, *, by: str | None = None, freq: str = "M", title: str = "Articles per period",
           events: pd.DataFrame | None = None, name: str = "") -> Chart:
    """Return a line chart of article counts per period, one line per value of `by`."""
    return lines(counts, value="articles", series=by, freq=freq, title=title, events=events, name=name,
                 ylabel=f"articles per {FREQUENCY_NAMES.get(freq, freq)}")


def lines(frame: pd.DataFrame, *, value: str, series: str | None = None, freq: str = "M", title: str = "",
          ylabel: str = "", events: pd.DataFrame | None = None, band: tuple[str, str] | None = None,
          percent: bool = False, name: str = "") -> Chart:
    """Return a line chart of `value` per period, one line per value of `series` (in the order they come).

    Optional: a shaded `band` (low and high columns, e.g. a confidence interval), spikes (rows with `is_spike`)
    ringed, and `events` drawn as labelled lines or spans.
    """
    fig, ax = new(10, 4.8)
    groups = list(frame.groupby(series, sort=False)) if series else [("all articles", frame)]
    palette = colours([group for group, _ in groups])
    scale = 100 if percent else 1
    for group, rows in groups:
        _series(ax, rows.sort_values("period_start"), value=value, scale=scale, band=band, colour=palette[group],
                label=short(group), few=frame["period_start"].nunique() <= 2)
    _time_range(ax, frame, freq=freq)
    outside = draw_events(ax, events)
    ylabel = ylabel + (" (%)" if percent and "%" not in ylabel else "")
    ax.set(xlabel=_notes(frame), ylabel=literal(ylabel))
    ax.set_title(literal(title), loc="left")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    if series:
        ax.legend(title=literal(series), loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False)
    alt = _describe_lines(frame, value=value, series=series, freq=freq, scale=scale, ylabel=ylabel)
    explore = functools.partial(interactive.lines, frame=frame, value=value, series=series, freq=freq, ylabel=ylabel,
                                title=title, percent=percent, band=band, events=events)
    return finished(fig, alt=alt, caption=_caption(title, alt, frame) + events_note(outside),
                    name=name or _slug(title), explore=explore)


def _series(ax, rows: pd.DataFrame, *, value: str, scale: float, band, colour: str, label: str, few: bool) -> None:
    complete = rows[rows["is_complete"]]
    ax.plot(complete["period_start"], complete[value] * scale, label=label, color=colour, linewidth=1.6,
            marker="o" if few else None)
    partial = rows.tail(2) if (~rows["is_complete"]).any() and len(rows) > 1 else rows.iloc[0:0]
    if len(rows) == 1 and not rows["is_complete"].iloc[0]:
        partial = rows
    ax.plot(partial["period_start"], partial[value] * scale, linestyle=":", color=colour, linewidth=1.6,
            marker="o" if few else None, markerfacecolor="white")
    if band:
        ax.fill_between(rows["period_start"], rows[band[0]] * scale, rows[band[1]] * scale, color=colour, alpha=0.15,
                        linewidth=0)
    if "is_spike" in rows:
        spiked = rows[rows["is_spike"]]
        ax.scatter(spiked["period_start"], spiked[value] * scale, s=70, facecolors="none", edgecolors=colour,
                   linewidths=1.5, zorder=3)


def _time_range(ax, frame: pd.DataFrame, *, freq: str) -> None:
    """Set the time axis to the frame's periods (one period of room around one or two), with concise dates."""
    starts = frame["period_start"]
    if starts.empty:
        return
    pad = pd.Timedelta(days=_PERIOD_DAYS.get(freq, 31)) * (1 if starts.nunique() <= 2 else 0.02 * starts.nunique())
    ax.set_xlim(starts.min() - pad, starts.max() + pad)
    date_axis(ax)


def _notes(frame: pd.DataFrame) -> str:
    notes = ["period start"]
    if (~frame["is_complete"]).any():
        notes.append("dotted: last period still incomplete")
    if "is_spike" in frame and frame["is_spike"].any():
        notes.append("circled: spike")
    return " · ".join(notes)


def small_multiples(frame: pd.DataFrame, *, value: str, series: str, freq: str = "M", title: str = "",
                    ylabel: str = "", events: pd.DataFrame | None = None, band: tuple[str, str] | None = None,
                    percent: bool = False, columns: int = 2, order: list | None = None, name: str = "") -> Chart:
    """Return one small chart per value of `series` (in `order`, else sorted), dates on every panel; panels share
    their y axis unless their highest values differ widely (then each has its own, and says so)."""
    names = order if order is not None else sorted(frame[series].dropna().unique())
    rows = max(1, -(-len(names) // columns))
    scale = 100 if percent else 1
    tops = [(frame.loc[frame[series] == n, band[1] if band else value].max() or 0) * scale for n in names]
    shared = not tops or max(tops) <= _WIDE_APART * max(min(t for t in tops if t > 0) if any(tops) else 1, 1e-9)
    fig, axes = new(10, 1.5 + 2.3 * rows, rows=rows, columns=columns, sharex=True, sharey=shared, squeeze=False)
    few = frame["period_start"].nunique() <= 2
    for ax, panel in zip(axes.flat, names, strict=False):
        group = frame[frame[series] == panel].sort_values("period_start")
        _series(ax, group, value=value, scale=scale, band=band, colour=colours([panel])[panel], label=short(panel),
                few=few)
        ax.set_title(short(panel, 60), fontsize="small", loc="left")
        ax.grid(alpha=0.3)
        ax.tick_params(labelbottom=True)  # dates on every panel, not only the bottom row
        ax.set_ylim(bottom=0)
        _time_range(ax, frame, freq=freq)
        draw_events(ax, events, labels=False)
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    fig.suptitle(literal(title), x=0.01, ha="left")
    ylabel += (" (%)" if percent and "%" not in ylabel else "") + ("" if shared else " — each panel its own scale")
    fig.supylabel(literal(ylabel), fontsize="small")
    fig.supxlabel(_notes(frame), fontsize="small")
    alt = (f"Small multiples, one panel per {series} ({len(names)}): {ylabel} per "
           f"{FREQUENCY_NAMES.get(freq, freq)}. " + _highest(frame, value=value, series=series, scale=scale))
    # Interactive, the panels are one chart's lines (a legend entry fades the others), in the panels' order.
    explore = functools.partial(interactive.lines, frame=_in_order(frame, series=series, names=names), value=value,
                                series=series, freq=freq, ylabel=ylabel.split(" — ")[0], title=title,
                                percent=percent, band=band, events=events)
    return finished(fig, alt=alt, caption=_caption(title, alt, frame), name=name or _slug(title), explore=explore)


def _in_order(frame: pd.DataFrame, *, series: str, names: list) -> pd.DataFrame:
    position = {name: i for i, name in enumerate(names)}
    return frame[frame[series].isin(position)].sort_values(series, key=lambda s: s.map(position), kind="stable")


def dispersion(mentions: pd.DataFrame, *, title: str = "Mentions by date and source",
               events: pd.DataFrame | None = None, top: int = 8, name: str = "") -> Chart:
    """Return a dispersion chart: one mark per article mentioning a term (from `terms.mentioning`), by date (x)
    and source (y): the `top` sources with most mentions, the rest on one row, "other"."""
    frame = mentions.copy()
    ranked = frame.groupby("source")["mentions"].sum().sort_values(ascending=False)
    if len(ranked) > top + 1:
        frame["source"] = frame["source"].where(frame["source"].isin(ranked.index[:top]),
                                                f"other ({len(ranked) - top} sources)")
        ranked = frame.groupby("source")["mentions"].sum().sort_values(ascending=False)
    sources = list(ranked.index)
    fig, ax = new(10, 1.4 + 0.42 * max(len(sources), 1))
    palette = colours(sources)
    rows = {source: i for i, source in enumerate(sources)}
    dates = frame["published"].dt.tz_convert("UTC").dt.tz_localize(None)
    ax.scatter(dates, frame["source"].map(rows), marker="|", s=200, linewidths=1,
               c=[palette[s] for s in frame["source"]])
    ax.set_yticks(range(len(sources)), [short(s) for s in sources])
    ax.set_ylim(len(sources) - 0.3, -0.7)  # the source with most mentions on top
    if len(frame):
        pad = max((dates.max() - dates.min()) * 0.02, pd.Timedelta(days=1))
        ax.set_xlim(dates.min() - pad, dates.max() + pad)
        date_axis(ax)
    outside = draw_events(ax, events)
    ax.set_title(literal(title), loc="left")
    ax.set(xlabel="date published: one mark per article")
    ax.grid(axis="x", alpha=0.3)
    alt = (f"Dispersion chart: {len(frame):,} articles mentioning the term, by date and source, "
           + (f"from {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}; most in {sources[0]}." if len(frame)
              else "none."))
    return finished(fig, alt=alt, caption=f"{title}. {alt}" + events_note(outside), name=name or _slug(title))


def keyness(table: pd.DataFrame, *, title: str = "Key terms", name: str = "") -> Chart:
    """Return a horizontal bar chart of terms by log-likelihood, the strongest on top."""
    fig, ax = new(8, 0.8 + 0.28 * max(len(table), 1))
    ax.barh(range(len(table)), table["log_likelihood"], color=colours(["key terms"])["key terms"])
    ax.set_yticks(range(len(table)), [short(t) for t in table["term"]])
    ax.set_ylim(len(table) - 0.5, -0.5)
    ax.set_title(literal(title), loc="left")
    ax.set(xlabel="log-likelihood (G²) against the rest of the corpus")
    ax.grid(axis="x", alpha=0.3)
    terms = ", ".join(table["term"].head(8).astype(str))
    alt = f"Bar chart of the {len(table)} key terms by log-likelihood: {terms or 'none'}."
    return finished(fig, alt=alt, caption=f"{title}. {alt} Dunning's G² of each word in the period against the rest "
                    "of the corpus; stop words left out.", name=name or _slug(title))


def model_selection(swept: pd.DataFrame, *, chosen: int | None = None,
                    title: str = "Choosing the number of topics", name: str = "model_selection") -> Chart:
    """Return coherence, diversity and their product (topic quality) against k, the chosen k marked."""
    fig, ax = new(8, 4)
    palette = colours(["coherence", "diversity", "quality", "agreement"])
    ax.plot(swept["k"], swept["coherence"], marker="o", color=palette["coherence"],
            label="coherence (mean NPMI of top 10 words)")
    ax.plot(swept["k"], swept["diversity"], marker="s", color=palette["diversity"],
            label="diversity (unique share of top 10 words)")
    ax.plot(swept["k"], swept["quality"], marker="D", linewidth=2.2, color=palette["quality"],
            label="topic quality (coherence × diversity)")
    if "agreement" in swept:
        ax.plot(swept["k"], swept["agreement"], marker="^", linestyle="--", color=palette["agreement"],
                label="agreement with labels (NMI)")
    if chosen is not None:
        ax.axvline(chosen, color="0.35", linestyle="--", linewidth=0.9)
        ax.annotate(f"k = {chosen}", xy=(chosen, 1.0), xycoords=("data", "axes fraction"), ha="left", va="top",
                    fontsize="small", color="0.25", xytext=(3, -3), textcoords="offset points")
    ax.set_title(literal(title), loc="left")
    ax.set(xlabel="number of topics (k)", ylabel="score (NPMI: −1 to 1; others: 0 to 1)")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False)
    alt = (f"Line chart of coherence, diversity and topic quality for k from {swept['k'].min()} to "
           f"{swept['k'].max()}; the chosen k is {chosen}.")
    return finished(fig, alt=alt, caption=f"{title}. {alt}", name=name)


def stacked(frame: pd.DataFrame, *, value: str = "share", series: str = "label", freq: str = "M", title: str = "",
            events: pd.DataFrame | None = None, order: list | None = None, name: str = "") -> Chart:
    """Return a stacked area chart of `value` (a share) per period, one band per `series` value; the last period,
    when incomplete, is shaded; periods without a share (too few articles) are left blank."""
    wide = frame.pivot_table(index="period_start", columns=series, values=value, aggfunc="sum", fill_value=np.nan,
                             observed=True, dropna=False)
    wide = wide[order] if order is not None else wide
    fig, ax = new(10, 5)
    palette = colours(list(wide.columns))
    ax.stackplot(wide.index, (wide * 100).T.to_numpy(), labels=[short(c) for c in wide.columns], alpha=0.9,
                 colors=[palette[c] for c in wide.columns])
    partial = frame.loc[~frame["is_complete"], "period_start"]
    notes = "period start"
    if len(partial) and len(wide) > 1:
        ax.axvspan(wide.index[-2], wide.index[-1], color="white", alpha=0.5, linewidth=0)
        notes += " · shaded: last period still incomplete"
    _time_range(ax, frame, freq=freq)
    outside = draw_events(ax, events)
    ax.set_title(literal(title), loc="left")
    ax.set(xlabel=notes, ylabel=f"share of the {FREQUENCY_NAMES.get(freq, freq)}'s articles (%)")
    ax.set_ylim(0, 100)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="x-small", frameon=False, reverse=True)
    means = (wide.mean() * 100).sort_values(ascending=False)
    alt = (f"Stacked area chart of {len(wide.columns)} {series}s' share of each {FREQUENCY_NAMES.get(freq, freq)}'s "
           f"articles; largest on average: " + "; ".join(f"{k} {v:.0f} %" for k, v in means.head(3).items()) + ".")
    explore = functools.partial(interactive.stacked, frame=frame, series=series, freq=freq, order=order, title=title,
                                events=events)
    return finished(fig, alt=alt, caption=_caption(title, alt, frame) + events_note(outside),
                    name=name or _slug(title), explore=explore)


def heatmap(frame: pd.DataFrame, *, rows: str, columns: str, value: str, title: str = "", percent: bool = True,
            order: list | None = None, name: str = "") -> Chart:
    """Return a heat map of `value` for each `rows` x `columns` pair, each cell labelled; columns keep the order
    they come in (give the frame its top values and "other", see `select.with_top`)."""
    wide = frame.pivot_table(index=rows, columns=columns, values=value, aggfunc="sum", fill_value=0, observed=True)
    wide = wide.reindex(order) if order is not None else wide
    wide = wide[[c for c in pd.unique(frame[columns]) if c in wide.columns]]
    scale = 100 if percent else 1
    fig, ax = new(min(2.8 + 0.9 * wide.shape[1], 12), 1.2 + 0.42 * wide.shape[0])
    image = ax.imshow(wide.to_numpy() * scale, aspect="auto", cmap="cividis_r")  # cividis: colour-blind safe
    ax.set_xticks(range(wide.shape[1]), [short(c, 24) for c in wide.columns], rotation=35, ha="right")
    ax.set_yticks(range(wide.shape[0]), [short(r, 50) for r in wide.index])
    top = wide.to_numpy().max() * scale if wide.size else 1
    for (i, j), cell in pd.DataFrame(wide.to_numpy() * scale).stack().items():
        ax.text(j, i, f"{cell:.0f}" if percent else f"{cell:.2g}", ha="center", va="center", fontsize="x-small",
                color="white" if cell > top * 0.55 else "black")
    fig.colorbar(image, ax=ax, label="%" if percent else value, shrink=0.8)
    ax.set_title(literal(title), loc="left")
    alt = f"Heat map of {value} for {wide.shape[0]} {rows} by {wide.shape[1]} {columns}."
    if wide.size:
        i, j = np.unravel_index(np.argmax(wide.to_numpy()), wide.shape)
        alt += f" Highest: {wide.index[i]} in {wide.columns[j]} ({wide.iat[i, j] * scale:.0f}{'%' if percent else ''})."
    explore = functools.partial(interactive.heatmap, frame=frame, rows=rows, columns=columns, value=value,
                                order=list(wide.index), title=title, percent=percent)
    return finished(fig, alt=alt, caption=f"{title}. {alt}", name=name or _slug(title), explore=explore)


def presence(frame: pd.DataFrame, *, freq: str = "M", title: str = "Articles per source and period",
             name: str = "") -> Chart:
    """Return a grid of sources (rows, largest first) by periods (columns), each cell shaded by its articles on a
    log scale and left white when there is none: a feed that stopped, a source that starts late or a month missing
    from an export shows as white at once. `frame` is what `quality.presence` returns."""
    wide = frame.pivot_table(index="source", columns="period_start", values="articles", aggfunc="sum", fill_value=0,
                             observed=True)
    order = wide.sum(axis=1).sort_values(ascending=False).index
    wide = wide.loc[[s for s in order if not str(s).startswith("other (")] + [s for s in order
                                                                              if str(s).startswith("other (")]]
    fig, ax = new(10, 1.3 + 0.24 * max(len(wide), 1))
    values = np.ma.masked_equal(wide.to_numpy(dtype=float), 0)  # no article: white, not the palest colour
    starts = mdates.date2num(pd.DatetimeIndex(wide.columns).to_pydatetime()) if len(wide.columns) else np.array([0])
    step = _PERIOD_DAYS.get(freq, 31)
    image = ax.pcolormesh(np.append(starts, starts[-1] + step), np.arange(len(wide) + 1), values, cmap="cividis_r",
                          norm=LogNorm(vmin=1, vmax=max(2, values.max() if values.count() else 2)), shading="flat")
    ax.set_yticks(np.arange(len(wide)) + 0.5, [short(source, 40) for source in wide.index], fontsize="x-small")
    ax.invert_yaxis()
    ax.xaxis_date()
    date_axis(ax)
    fig.colorbar(image, ax=ax, label="articles (log scale; white: none)", shrink=0.8)
    ax.set_title(literal(title), loc="left")
    period = FREQUENCY_NAMES.get(freq, freq)
    empty = (wide == 0).sum(axis=1)
    alt = (f"Grid of {len(wide)} sources by {len(wide.columns)} {period}s, shaded by articles; white cells have "
           "none. " + ("Sources with the most empty periods: " + "; ".join(
               f"{short(k, 40)} {v}" for k, v in empty.sort_values(ascending=False).head(3).items() if v) + "."
               if empty.any() else "Every source has articles in every period."))
    return finished(fig, alt=alt, caption=f"{title}. {alt}", name=name or _slug(title))


def _describe_lines(frame: pd.DataFrame, *, value: str, series: str | None, freq: str, scale: float,
                    ylabel: str) -> str:
    period = FREQUENCY_NAMES.get(freq, freq)
    if frame.empty:
        return f"Line chart of {ylabel}: no data."
    span = f"from {frame['period_start'].min():%Y-%m-%d} to {frame['period_start'].max():%Y-%m-%d}"
    who = ""
    if series:
        names = list(pd.unique(frame[series]))
        who = f", one line per {series} ({len(names)}: {', '.join(map(str, names[:8]))}{'…' if len(names) > 8 else ''})"
    one = " There is one period only: a timeline needs several." if frame["period_start"].nunique() == 1 else ""
    return f"Line chart of {ylabel} per {period} {span}{who}. " + _highest(frame, value=value, series=series,
                                                                           scale=scale) + one


def _highest(frame: pd.DataFrame, *, value: str, series: str | None, scale: float) -> str:
    if frame.empty or frame[value].isna().all():
        return ""
    row = frame.loc[frame[value].idxmax()]
    where = f"{row[series]}, " if series else ""
    return f"Highest: {row[value] * scale:,.3g} ({where}period starting {row['period_start']:%Y-%m-%d})."


def _caption(title: str, alt: str, frame: pd.DataFrame) -> str:
    return f"{title}. {alt}" + (" The last period is incomplete." if (~frame["is_complete"]).any() else "")


def _slug(title: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", title.lower()).strip("_") or "chart"


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


def kwic_table(kwic: pd.DataFrame, *, rows: int = 40):
    """Return keyword-in-context lines for a report: at most `rows`, spread evenly over the whole range (every
    n-th line), the context right-aligned before the keyword and left-aligned after it, nothing cut next to it."""
    step = max(1, -(-len(kwic) // rows))
    shown = kwic.iloc[::step][["date", "source", "left", "keyword", "right"]]
    styler = table(shown, left=["right", "source"])
    styler = styler.set_properties(subset=["left"], **{"text-align": "right", "white-space": "nowrap"})
    styler = styler.set_properties(subset=["right"], **{"white-space": "nowrap"})
    return styler.set_properties(subset=["keyword"], **{"font-weight": "bold", "text-align": "center"})
