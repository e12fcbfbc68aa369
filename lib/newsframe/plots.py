"""Matplotlib figures from newsframe's tidy frames, in one house style."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd

FREQUENCY_NAMES = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}


def counts(counts: pd.DataFrame, *, by: str | None = None, freq: str = "M", title: str = "Articles per period"):
    """Return a line chart of article counts per period, one line per value of `by`; the final partial period dashed."""
    fig, ax = plt.subplots(figsize=(10, 4.5), layout="constrained")
    groups = counts.groupby(by, sort=True) if by else [("all articles", counts)]
    for name, group in groups:
        complete = group[group["is_complete"]]
        line, = ax.plot(complete["period_start"], complete["articles"], label=str(name), linewidth=1.6)
        partial = group.tail(2) if (~group["is_complete"]).any() and len(group) > 1 else group.iloc[0:0]
        ax.plot(partial["period_start"], partial["articles"], linestyle=":", color=line.get_color(), linewidth=1.6)
    unit = FREQUENCY_NAMES.get(freq, freq)
    ax.set(title=title, xlabel="period start", ylabel=f"articles per {unit}")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(title=by, loc="upper left", fontsize="small", frameon=False)
    if (~counts["is_complete"]).any():
        ax.annotate("dotted: last period still incomplete", xy=(1, 1.01), xycoords="axes fraction", ha="right",
                    fontsize="small", color="0.4")
    return _detached(fig)


def _detached(fig):
    # Closed figures are not drawn again by the notebook's inline backend; the returned figure is displayed once.
    plt.close(fig)
    return fig
