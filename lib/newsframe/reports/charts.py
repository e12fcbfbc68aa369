"""The house style shared by every chart, and the `Chart` a plot returns: a matplotlib figure with the words a
reader and a paper need (alt text, caption), shown in reports and JupyterLab, and saved as SVG and 300-dpi PNG.

Style: a colour-blind-safe palette (Okabe and Ito's, then Paul Tol's muted colours), "other" in grey, names
shortened in the middle when long, text from the data drawn literally (never as a formula), dates that never
overlap, and events drawn as labelled lines, their labels staggered.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd

from newsframe import atomic, paths
from newsframe.errors import ReportError
from newsframe.reports import export

__all__ = [
    "OTHER", "PALETTE", "Chart", "colours", "date_axis", "draw_events", "events_note", "finished", "literal", "new",
    "short",
]

# Okabe & Ito (2008), a palette readers with any common colour-vision deficiency tell apart, then Paul Tol's
# "muted" set for charts with more series (topics).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
           "#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499"]
OTHER = "#9E9E9E"  # "other (N sources)" is grey: it is not a series of its own
SCREEN_DPI = 100  # the size charts are laid out at, in the report
SHARP_DPI = 150  # the resolution they are embedded at, so that they stay sharp on high-density screens
PAPER_DPI = 300


@dataclass
class Chart:
    """A finished chart: the figure, `alt` (what it shows, in a sentence or two, for readers who cannot see it),
    `caption` (for a paper: what is counted, how, from what) and `name` (the file name it is saved under).
    `explore`, when the chart has an interactive view, makes it (`with_articles`); `data` is the frame drawn."""

    figure: object
    alt: str
    caption: str
    name: str
    explore: Callable | None = field(default=None, repr=False)
    data: pd.DataFrame | None = field(default=None, repr=False)

    def png(self, dpi: int = SHARP_DPI) -> tuple[str, int]:
        """Return the chart as a base64 PNG, sharp on high-density screens unless a lower `dpi` is asked, and its
        width in the report (px)."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=dpi)
        return base64.b64encode(buffer.getvalue()).decode("ascii"), int(self.figure.get_figwidth() * SCREEN_DPI)

    def _repr_mimebundle_(self, include=None, exclude=None):
        png, width = self.png()
        return {"image/png": png, "text/plain": self.alt}, {"image/png": {"alt": self.alt, "width": width}}

    def with_articles(self, articles: pd.DataFrame, **options):
        """Return the chart made interactive (`interactive.View`): hover, zoom, legend, and a click on a period
        lists its `articles` (at most 50 a period in the page). The static chart stays for print, for papers
        (`saved`) and for readers without JavaScript. `options` are the chart's own (a stacked topic chart needs
        `topics=topics.dominant(model)`)."""
        if self.explore is None:
            raise ReportError(f"the chart {self.name!r} has no interactive view yet: show it as it is (drop "
                              "`.with_articles(...)`).")
        return self.explore(self, articles, **options)

    def saved(self, folder: str | Path) -> Chart:
        """Save the chart in `folder` as `<name>.svg`, `<name>.png` (300 dpi), `<name>.txt` (its caption and
        alt text) and `<name>.csv` (its data, as `export.write_csv` writes it); return it, to show. Nothing is saved
        without a folder."""
        if folder:
            target = paths.resolve(folder)
            for suffix, options in ((".svg", {"format": "svg"}), (".png", {"format": "png", "dpi": PAPER_DPI})):
                atomic.write_with(target / f"{self.name}{suffix}",
                                  lambda tmp, o=options: self.figure.savefig(tmp, metadata=_metadata(o), **o))
            atomic.write_text(target / f"{self.name}.txt", f"{self.caption}\n\nAlt text: {self.alt}\n")
            if self.data is not None:
                export.write_csv(self.data, folder=target, name=self.name)
        return self


def _metadata(options: dict) -> dict:
    # No creation date in the files: the same data gives the same bytes, and a rerun changes nothing.
    return {"Date": None} if options["format"] == "svg" else {}


def new(width: float, height: float, *, rows: int = 1, columns: int = 1, **options):
    """Return a figure and its axes, laid out at the report's size."""
    return plt.subplots(rows, columns, figsize=(width, height), layout="constrained", dpi=SCREEN_DPI, **options)


def finished(fig, *, alt: str, caption: str, name: str, explore: Callable | None = None,
             data: pd.DataFrame | None = None) -> Chart:
    """Return the figure as a Chart; it is closed, so the notebook shows it once, through the Chart."""
    plt.close(fig)
    return Chart(fig, alt=alt, caption=caption, name=name, explore=explore, data=data)


def colours(names: list, *, other_last: bool = True) -> dict:
    """Return a colour for each series name: the palette in order, grey for "other (…)"."""
    found, index = {}, 0
    for name in names:
        if str(name).startswith("other ("):
            found[name] = OTHER
        else:
            found[name] = PALETTE[index % len(PALETTE)]
            index += 1
    return found


def literal(value) -> str:
    """Return text from the data as matplotlib must draw it: literally. A `$` pair would otherwise be read as a
    formula (`$5 and $6` set in italics, `$\\undefinedmacro$` failing the whole report)."""
    return str(value).replace("$", r"\$")


def short(value, limit: int = 38) -> str:
    """Return a name cut in its middle when longer than `limit` (`Flux RSS - BFMTV - … - Marseille`), drawn
    literally: both ends of a feed's name say the most."""
    text = str(value)
    if len(text) > limit:
        keep = (limit - 1) // 2
        text = f"{text[:keep].rstrip()}…{text[-keep:].lstrip()}"
    return literal(text)


def date_axis(ax, *, minimum_ticks: int = 3, maximum_ticks: int = 8) -> None:
    """Label a time axis with concise dates that do not overlap (`2025`, `Feb`, `10`)."""
    locator = mdates.AutoDateLocator(minticks=minimum_ticks, maxticks=maximum_ticks)
    ax.xaxis.set(major_locator=locator, major_formatter=mdates.ConciseDateFormatter(locator))


def draw_events(ax, events: pd.DataFrame | None, *, labels: bool = True) -> list[str]:
    """Draw the events that fall inside the axis's time range as dashed lines (spans for events with an end),
    their labels staggered in height so that close events stay readable; return the labels of those outside it,
    which a chart lists rather than stretching its axis to them."""
    if events is None or events.empty:
        return []
    low, high = (mdates.num2date(x).replace(tzinfo=None) for x in ax.get_xlim())
    outside, placed = [], 0
    for event in events.itertuples(index=False):
        start = event.date.tz_localize(None)
        end = event.end_date.tz_localize(None) if pd.notna(event.end_date) else start
        if end < pd.Timestamp(low) or start > pd.Timestamp(high):
            outside.append(f"{event.label} ({event.date:%Y-%m-%d})")
            continue
        if end > start:
            ax.axvspan(start, end, color="0.5", alpha=0.12, linewidth=0)
        else:
            ax.axvline(start, color="0.35", linestyle="--", linewidth=0.9)
        if labels:
            height = 0.98 - 0.22 * (placed % 3)
            ax.annotate(short(event.label, 40), xy=(mdates.date2num(start), height), xycoords=("data", "axes fraction"),
                        rotation=90, ha="right", va="top", fontsize="x-small", color="0.25")
        placed += 1
    ax.set_xlim(low, high)  # drawing must not move the axis
    return outside


def events_note(outside: list[str]) -> str:
    """Say which events fall outside a chart's range."""
    return f" Events outside this range: {'; '.join(outside)}." if outside else ""
