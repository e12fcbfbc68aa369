"""Charts from newsframe's tidy frames, in one house style (`charts`): each returns a `Chart` that a report shows,
with alt text saying what it shows, and that `.saved(folder)` writes as SVG and 300-dpi PNG with its caption.

Every timeline chart draws the last, incomplete period dotted (not a drop in coverage), marks events (listing
those outside its range rather than stretching the axis), and copes with one period as with a hundred.
"""

from __future__ import annotations

import functools
import html
import re

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
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
    "FREQUENCY_NAMES", "Note", "counts", "dispersion", "heatmap", "keyness", "kwic_table", "lines", "model_selection",
    "presence", "small_multiples", "stacked", "table",
]

_PERIOD_DAYS = {"D": 1, "W": 7, "M": 31, "Q": 92, "Y": 366}
_WIDE_APART = 4.0  # panels whose highest values differ more than this many times get y axes of their own
_BAND_ROOM = 1.5  # a band may take a panel's y axis this far above its highest value, no further
_CONTEXT = 60  # characters of context each side of a keyword: a KWIC line fits the report's width
# The reader's word for a column's values, where the column's name is not it (topic models name topics `name`).
_NOUNS = {"name": "topic", "label": "topic", "group": "term group"}
_NO_KEY_TERMS = ("the period compared has too few articles (the min_period_articles parameter), or no other period to "
                 "compare it with, or no word in it stands out from the rest of the corpus")
_YEAR = re.compile(r"\b\d{4}\b")


class Note(Chart):
    """A chart with nothing to draw: one plain sentence saying why, shown instead of blank axes."""

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": f'<p class="nf-note">{html.escape(self.caption)}</p>', "text/plain": self.caption}, {}

    def with_articles(self, articles: pd.DataFrame, **options) -> Note:
        """Return the note itself: there is nothing to explore."""
        return self

    def saved(self, folder) -> Note:
        """Return the note itself: a sentence is no figure for a paper, and it has no data."""
        return self


def _note(sentence: str, *, title: str, name: str) -> Note:
    fig = plt.figure(figsize=(10, 0.4), dpi=100)
    fig.text(0.01, 0.5, literal(sentence), va="center", fontsize="small")
    plt.close(fig)
    return Note(fig, alt=sentence, caption=f"{title}. {sentence}" if title else sentence, name=name)


def _nothing(frame: pd.DataFrame, value: str) -> bool:
    return frame.empty or value not in frame or frame[value].isna().all()


def counts(counts: pd.DataFrame, *, by: str | None = None, freq: str = "M", title: str = "Articles per period",
           events: pd.DataFrame | None = None, name: str = "") -> Chart:
    """Return a line chart of article counts per period, one line per value of `by`."""
    return lines(counts, value="articles", series=by, freq=freq, title=title, events=events, name=name,
                 ylabel=f"articles per {FREQUENCY_NAMES.get(freq, freq)}")


def lines(frame: pd.DataFrame, *, value: str, series: str | None = None, freq: str = "M", title: str = "",
          ylabel: str = "", events: pd.DataFrame | None = None, band: tuple[str, str] | None = None,
          percent: bool = False, name: str = "", empty: str = "") -> Chart:
    """Return a line chart of `value` per period, one line per value of `series` (in the order they come).

    Optional: a shaded `band` (low and high columns, e.g. a confidence interval), spikes (rows with `is_spike`)
    ringed, and `events` drawn as labelled lines or spans. With no value to draw, a `Note` says why (`empty`).
    """
    if _nothing(frame, value):
        return _note(f"Nothing to draw: {empty or 'no period has a value'}.", title=title, name=name or _slug(title))
    fig, ax = new(10, 4.8)
    groups = list(frame.groupby(series, sort=False)) if series else [("all articles", frame)]
    palette = colours([group for group, _ in groups])
    scale = 100 if percent else 1
    for group, rows in groups:
        _series(ax, rows.sort_values("period_start"), value=value, scale=scale, band=band, colour=palette[group],
                label=short(_called(group, series)), few=frame["period_start"].nunique() <= 2)
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
                    name=name or _slug(title), explore=explore, data=frame)


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
    _date_axis(ax)


class _DatesWithYears(mdates.ConciseDateFormatter):
    """Concise dates that always name the year: across a new year, matplotlib's ticks of days (`15`, `Dec`, `Jan`)
    name none, and its offset names the last year only."""

    _years = ""

    def format_ticks(self, values):
        labels = super().format_ticks(values)
        years = sorted({mdates.num2date(value).year for value in values})
        unnamed = len(years) > 1 and not any(_YEAR.search(label) for label in labels)
        self._years = f"{years[0]}–{years[-1]}" if unnamed else ""
        return labels

    def get_offset(self):
        return self._years or super().get_offset()


def _date_axis(ax) -> None:
    """Label a time axis as `charts.date_axis` does, the year always named (`_DatesWithYears`)."""
    date_axis(ax)
    ax.xaxis.set_major_formatter(_DatesWithYears(ax.xaxis.get_major_locator()))


def _notes(frame: pd.DataFrame) -> str:
    notes = ["period start"]
    if (~frame["is_complete"]).any():
        notes.append("dotted: last period still incomplete")
    if "is_spike" in frame and frame["is_spike"].any():
        notes.append("circled: spike")
    return " · ".join(notes)


def small_multiples(frame: pd.DataFrame, *, value: str, series: str, freq: str = "M", title: str = "",
                    ylabel: str = "", events: pd.DataFrame | None = None, band: tuple[str, str] | None = None,
                    percent: bool = False, columns: int = 2, order: list | None = None, name: str = "",
                    empty: str = "") -> Chart:
    """Return one small chart per value of `series` (in `order`, else sorted), dates on every panel; panels share
    their y axis unless their highest values differ widely (then each has its own, and says so). No axis cuts a
    value; a band reaching far above a panel's values (a period of a few articles) is cut, and the caption says so.
    With no value to draw, a `Note` says why (`empty`)."""
    if _nothing(frame, value):
        return _note(f"Nothing to draw: {empty or f'no {_noun(series)} has a value in any period'}.", title=title,
                     name=name or _slug(title))
    names = order if order is not None else sorted(frame[series].dropna().unique())
    rows = max(1, -(-len(names) // columns))
    scale = 100 if percent else 1
    panels = [frame[frame[series] == panel].sort_values("period_start") for panel in names]
    highs = [_top(group[value]) * scale for group in panels]
    shared = _alike(highs)
    limits = [_y_limit(group, value=value, band=band, scale=scale, percent=percent) for group in panels]
    limits = [max(limits)] * len(limits) if shared else limits
    fig, axes = new(10, 1.5 + 2.3 * rows, rows=rows, columns=columns, sharex=True, sharey=shared, squeeze=False)
    few = frame["period_start"].nunique() <= 2
    for ax, panel, group, limit in zip(axes.flat, names, panels, limits, strict=False):
        _series(ax, group, value=value, scale=scale, band=band, colour=colours([panel])[panel], label=short(panel),
                few=few)
        ax.set_title(short(_called(panel, series), 60), fontsize="small", loc="left")
        ax.grid(alpha=0.3)
        ax.tick_params(labelbottom=True)  # dates on every panel, not only the bottom row
        ax.set_ylim(0, limit)
        _time_range(ax, frame, freq=freq)
        draw_events(ax, events, labels=False)
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    fig.suptitle(literal(title), x=0.01, ha="left")
    ylabel += " (%)" if percent and "%" not in ylabel else ""
    fig.supylabel(literal(ylabel + ("" if shared else " — each panel its own scale")), fontsize="small")
    fig.supxlabel(_notes(frame), fontsize="small")
    alt = (f"Small multiples, one panel per {_noun(series)} ({len(names)}): {_per(ylabel, freq)}. "
           + _highest(frame, value=value, series=series, scale=scale, unit=" %" if percent else ""))
    cut = band is not None and any(_top(group[band[1]]) * scale > limit * 1.001
                                   for group, limit in zip(panels, limits, strict=True))
    caption = _caption(title, alt, frame) + (" Where a band reaches far above a panel's values (a period of few "
                                             "articles), the bands are cut at the top of the panel." if cut else "")
    # Interactive, the panels are one chart's lines (a legend entry fades the others), in the panels' order.
    explore = functools.partial(interactive.lines, frame=_in_order(frame, series=series, names=names), value=value,
                                series=series, freq=freq, ylabel=ylabel.split(" — ")[0], title=title,
                                percent=percent, band=band, events=events)
    return finished(fig, alt=alt, caption=caption, name=name or _slug(title), explore=explore, data=frame)


def _top(values: pd.Series) -> float:
    return float(np.nan_to_num(values.max()))


def _alike(highs: list[float]) -> bool:
    """Say whether panels' highest values are close enough for one y axis (zeros aside)."""
    positive = [high for high in highs if high > 0]
    return not positive or max(positive) <= _WIDE_APART * min(positive)


def _y_limit(rows: pd.DataFrame, *, value: str, band: tuple[str, str] | None, scale: float, percent: bool) -> float:
    """Return a panel's y top: room for every value, never less; room for the band only up to `_BAND_ROOM` times the
    values, as one article in a week gives a band up to 80 % that would flatten the line."""
    highest = _top(rows[value]) * scale
    reach = _top(rows[band[1]]) * scale if band else highest
    top = max(highest * 1.1, min(reach, highest * _BAND_ROOM))
    return max(min(top, 100) if percent else top, highest) or 1.0


def _in_order(frame: pd.DataFrame, *, series: str, names: list) -> pd.DataFrame:
    position = {name: i for i, name in enumerate(names)}
    return frame[frame[series].isin(position)].sort_values(series, key=lambda s: s.map(position), kind="stable")


def dispersion(mentions: pd.DataFrame, *, title: str = "Mentions by date and source",
               events: pd.DataFrame | None = None, top: int = 8, name: str = "", empty: str = "") -> Chart:
    """Return a dispersion chart: one mark per article mentioning a term (from `terms.mentioning`), by date (x)
    and source (y): the `top` sources with most mentions, the rest on one row, "other". With no article, a `Note`
    says why (`empty`)."""
    if mentions.empty:
        return _note(f"Nothing to draw: {empty or 'no article mentions the term'}.", title=title,
                     name=name or _slug(title))
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
        _date_axis(ax)
    outside = draw_events(ax, events)
    ax.set_title(literal(title), loc="left")
    ax.set(xlabel="date published: one mark per article")
    ax.grid(axis="x", alpha=0.3)
    alt = (f"Dispersion chart: {len(frame):,} articles mentioning the term, by date and source, "
           + (f"from {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}; most in {sources[0]}." if len(frame)
              else "none."))
    return finished(fig, alt=alt, caption=f"{title}. {alt}" + events_note(outside), name=name or _slug(title),
                    data=frame)


def keyness(table: pd.DataFrame, *, title: str = "Key terms", name: str = "", empty: str = "") -> Chart:
    """Return a horizontal bar chart of terms by log-likelihood, the strongest on top; with no term, a `Note` says
    why (`empty`)."""
    if table.empty:
        return _note(f"No key terms: {empty or _NO_KEY_TERMS}.", title=title, name=name or _slug(title))
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
                    "of the corpus; stop words left out.", name=name or _slug(title), data=table)


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
    return finished(fig, alt=alt, caption=f"{title}. {alt}", name=name, data=swept)


def stacked(frame: pd.DataFrame, *, value: str = "share", series: str = "label", freq: str = "M", title: str = "",
            events: pd.DataFrame | None = None, order: list | None = None, name: str = "") -> Chart:
    """Return a stacked bar chart of `value` (a share) per period, one bar a period (as its interactive view draws
    it), one colour per `series` value; the last period, when incomplete, is faded; periods without a share (too
    few articles) are left blank."""
    wide = frame.pivot_table(index="period_start", columns=series, values=value, aggfunc="sum", fill_value=np.nan,
                             observed=True, dropna=False)
    wide = wide[order] if order is not None else wide
    fig, ax = new(10, 5)
    partial = bool(len(wide) > 1 and (~frame["is_complete"]).any())
    _stack(ax, wide * 100, freq=freq, faded_last=partial)
    _time_range(ax, frame, freq=freq)
    step = _PERIOD_DAYS.get(freq, 31)
    if len(wide):
        ax.set_xlim(right=max(ax.get_xlim()[1], mdates.date2num(wide.index.max()) + step))
    outside = draw_events(ax, events)
    ax.set_title(literal(title), loc="left")
    period = FREQUENCY_NAMES.get(freq, freq)
    ax.set(xlabel="period start" + (" · faded: last period still incomplete" if partial else ""),
           ylabel=f"share of the {period}'s articles (%)")
    ax.set_ylim(0, 100)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="x-small", frameon=False, reverse=True)
    means = (wide.mean() * 100).sort_values(ascending=False)
    count = len(wide.columns)
    alt = (f"Stacked bar chart of {count} {_noun(series, count)}' share of each {period}'s articles; largest on "
           "average: " + "; ".join(f"{_called(k, series)} {_number(v)} %" for k, v in means.head(3).items()) + ".")
    explore = functools.partial(interactive.stacked, frame=frame, series=series, freq=freq, order=order, title=title,
                                events=events)
    return finished(fig, alt=alt, caption=_caption(title, alt, frame) + events_note(outside),
                    name=name or _slug(title), explore=explore, data=frame)


def _stack(ax, wide: pd.DataFrame, *, freq: str, faded_last: bool) -> None:
    """Draw `wide` (periods by series) as stacked bars, each covering most of its period from its start."""
    palette = colours(list(wide.columns))
    starts = mdates.date2num(pd.DatetimeIndex(wide.index).to_pydatetime()) if len(wide) else np.array([])
    bottom = np.zeros(len(wide))
    for column in wide.columns:
        heights = wide[column].fillna(0).to_numpy()
        bars = ax.bar(starts, heights, width=_PERIOD_DAYS.get(freq, 31) * 0.85, bottom=bottom, align="edge",
                      color=palette[column], label=short(_called(column, wide.columns.name)), linewidth=0)
        if faded_last:
            bars.patches[-1].set_alpha(0.45)
        bottom = bottom + heights
    ax.xaxis_date()


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
    height, width = wide.shape
    alt = f"Heat map of the {value} for {height} {_noun(rows, height)} by {width} {_noun(columns, width)}."
    if wide.size:
        i, j = np.unravel_index(np.argmax(wide.to_numpy()), wide.shape)
        alt += (f" Highest: {_called(wide.index[i], rows)} in {_called(wide.columns[j], columns)} "
                f"({_number(wide.iat[i, j] * scale)}{' %' if percent else ''}).")
    explore = functools.partial(interactive.heatmap, frame=frame, rows=rows, columns=columns, value=value,
                                order=list(wide.index), title=title, percent=percent)
    return finished(fig, alt=alt, caption=f"{title}. {alt}", name=name or _slug(title), explore=explore, data=frame)


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
    _date_axis(ax)
    fig.colorbar(image, ax=ax, label="articles (log scale; white: none)", shrink=0.8)
    ax.set_title(literal(title), loc="left")
    period = FREQUENCY_NAMES.get(freq, freq)
    empty = (wide == 0).sum(axis=1)
    alt = (f"Grid of {len(wide)} sources by {len(wide.columns)} {period}s, shaded by articles; white cells have "
           "none. " + ("Sources with the most empty periods: " + "; ".join(
               f"{short(k, 40)} {v}" for k, v in empty.sort_values(ascending=False).head(3).items() if v) + "."
               if empty.any() else "Every source has articles in every period."))
    return finished(fig, alt=alt, caption=f"{title}. {alt}", name=name or _slug(title), data=frame)


def _describe_lines(frame: pd.DataFrame, *, value: str, series: str | None, freq: str, scale: float,
                    ylabel: str) -> str:
    if frame.empty:
        return f"Line chart of {ylabel}: no data."
    span = f"from {frame['period_start'].min():%Y-%m-%d} to {frame['period_start'].max():%Y-%m-%d}"
    who = ""
    if series:
        names = [_called(n, series) for n in pd.unique(frame[series])]
        who = (f", one line per {_noun(series)} ({len(names)}: {', '.join(names[:8])}"
               f"{'…' if len(names) > 8 else ''})")
    one = " There is one period only: a timeline needs several." if frame["period_start"].nunique() == 1 else ""
    return (f"Line chart of {_per(ylabel, freq)} {span}{who}. "
            + _highest(frame, value=value, series=series, scale=scale, unit=" %" if scale == 100 else "") + one)


def _per(label: str, freq: str) -> str:
    """Return `label` per period, unless it says so already (`articles per week`)."""
    period = FREQUENCY_NAMES.get(freq, freq)
    return label if f"per {period}" in label else f"{label} per {period}"


def _highest(frame: pd.DataFrame, *, value: str, series: str | None, scale: float, unit: str = "") -> str:
    if frame.empty or frame[value].isna().all():
        return ""
    row = frame.iloc[int(np.nanargmax(frame[value].to_numpy(dtype=float)))]  # whatever the index
    where = f"{_called(row[series], series)}, " if series else ""
    return f"Highest: {_number(row[value] * scale)}{unit} ({where}period starting {row['period_start']:%Y-%m-%d})."


def _number(value: float) -> str:
    """Return a number as a reader writes it: 2,317; 85.7; 0.0123 (thousands separated, never 2.32e+03)."""
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    return np.format_float_positional(value, precision=3, fractional=False, trim="-")


def _noun(column: str, count: int = 1) -> str:
    """Return the reader's word for a column's values (`name` holds topics), plural unless `count` is 1."""
    word = _NOUNS.get(column, str(column))
    return word if count == 1 else f"{word}s"


def _called(value, column: str | None) -> str:
    """Return a series' name as a reader reads it: `(no section)` for a blank one."""
    blank = value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)) or not str(value).strip()
    return f"(no {_noun(column) if column else 'name'})" if blank else str(value)


def _caption(title: str, alt: str, frame: pd.DataFrame) -> str:
    return f"{title}. {alt}" + (" The last period is incomplete." if (~frame["is_complete"]).any() else "")


def _slug(title: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", title.lower()).strip("_") or "chart"


def table(frame: pd.DataFrame, *, formats: dict[str, str] | None = None, left: list[str] | tuple = (),
          index: bool = False):
    """Return `frame` styled for a report: values and labels HTML-escaped (a title such as `<script>` shows as
    text and runs nothing), `formats` per column (e.g. {"share": "{:.1%}"}), the `left` columns aligned left."""
    formatters = {column: (formats or {}).get(column) or _date_format(frame[column]) for column in frame.columns}
    styler = frame.style.format(formatters, escape="html", na_rep="")
    styler = styler.format_index(escape="html", axis=0).format_index(escape="html", axis=1)
    if left:
        styler = styler.set_properties(subset=list(left), **{"text-align": "left"})
    return styler if index else styler.hide(axis="index")


def _date_format(column: pd.Series) -> str | None:
    # A period start is a day: "2025-02-10", not "2025-02-10 00:00:00"; a time is shown only when there is one.
    if not pd.api.types.is_datetime64_any_dtype(column):
        return None
    times = column.dropna()
    return "{:%Y-%m-%d}" if (times == times.dt.normalize()).all() else "{:%Y-%m-%d %H:%M}"


def kwic_table(kwic: pd.DataFrame, *, rows: int = 40, saved_as: str = ""):
    """Return keyword-in-context lines for a report: at most `rows`, spread evenly over the whole range (every
    n-th line), the keyword bold and centred, the context right-aligned before it and left-aligned after it, cut
    (…) at its far end only, so that the table fits the page; a caption says how many lines are shown of how many,
    and in which file (`saved_as`, e.g. "kwic.csv") they all are."""
    step = max(1, -(-len(kwic) // rows))
    shown = kwic.iloc[::step][["date", "source", "left", "keyword", "right"]].assign(
        left=lambda f: f["left"].map(_far_left), right=lambda f: f["right"].map(_far_right))
    styler = table(shown, left=["right", "source"]).set_caption(_kwic_caption(len(shown), len(kwic), step, saved_as))
    # The line before the keyword is drawn right to left so that a cell too narrow loses its far end, not the words
    # next to the keyword; the isolate marks keep its text in reading order.
    styler = styler.format(lambda text: f"\u2066{text}\u2069", subset=["left"], escape="html", na_rep="")
    styler = styler.set_table_styles(_KWIC_STYLES, overwrite=False)
    return styler.set_table_styles({column: [{"selector": "", "props": props}] for column, props in
                                    _KWIC_COLUMNS.items()}, overwrite=False)


_CUT = "overflow: hidden; text-overflow: ellipsis; white-space: nowrap"
_KWIC_STYLES = [
    {"selector": "", "props": "table-layout: fixed; width: 100%"},
    {"selector": "caption", "props": "caption-side: top; text-align: left; color: #444; padding-bottom: 0.4em"},
]
_KWIC_COLUMNS = {
    "date": "width: 6.5em", "source": f"width: 11em; {_CUT}", "left": f"text-align: right; direction: rtl; {_CUT}",
    "keyword": f"width: 8em; font-weight: bold; text-align: center; {_CUT}", "right": f"text-align: left; {_CUT}",
}


def _far_left(text) -> str:
    text = "" if pd.isna(text) else str(text)
    return text if len(text) <= _CONTEXT else "…" + text[-(_CONTEXT - 1):]


def _far_right(text) -> str:
    text = "" if pd.isna(text) else str(text)
    return text if len(text) <= _CONTEXT else text[:_CONTEXT - 1] + "…"


def _kwic_caption(shown: int, total: int, step: int, saved_as: str) -> str:
    if not total:
        return "No line in context: no article mentions the term."
    if shown >= total:
        return f"All {total:,} lines shown."
    where = f"; all {total:,} are in {saved_as}" if saved_as else ""
    return f"{shown:,} of {total:,} lines shown (one in {step}, spread over the whole range){where}."
