"""Vega-Lite specifications of the interactive charts, as plain dicts (no Python chart library needed).

Every chart has the same interactions: hovering a point shows its period, series, value and denominator; dragging
or the mouse wheel pans and zooms the time axis (an interval selection bound to the x scale); clicking a legend
entry fades its series; clicking a point selects `pick`, which the page's glue turns into the list of that period's
articles. Data rows carry `p` (the period's index in the drill-down payload) and `s` (the series' index), so the
glue needs no date arithmetic.

Points are hovered and clicked themselves, without `nearest`: Vega-Lite 6.4's nearest selections add a voronoi layer
whose tooltip shows nominal fields as `undefined`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from newsframe.analysis.periods import FREQUENCIES, frequency_code
from newsframe.analysis.timeline import period_label
from newsframe.reports.charts import colours

__all__ = ["HEIGHT", "LOCALES", "WIDTH", "heatmap", "language", "lines", "localised", "stacked"]

WIDTH, HEIGHT = 800, 320  # with its legend, about the static chart's 1,000 px
_CONFIG = {"view": {"stroke": None}, "title": {"fontSize": 16, "fontWeight": "normal"},
           "axis": {"labelFontSize": 11, "titleFontSize": 12, "titleFontWeight": "normal"},
           "legend": {"labelFontSize": 11, "titleFontSize": 12, "titleFontWeight": "normal"}}
# Thousands separators (1,234; a rolling mean 4.33), shares as 12.3%. Axis ticks take `~f`: Vega gives a bare `,`
# one significant digit on an axis (5e+2).
_COUNT, _VALUE, _SHARE, _TICKS = ",", ",.2~f", ".1%", ",~f"
# Vega's own number and time formats (d3-format and d3-time-format locales) for a corpus in French: 1 234 (a narrow
# no-break space), 4,33, 12,5 %, févr. 2025. Put in the spec's config, they apply to that chart only, in a report as
# in JupyterLab's own Vega renderer; English is Vega's default.
LOCALES = {"fr": {
    "number": {"decimal": ",", "thousands": "\u202f", "grouping": [3], "currency": ["", "\u00a0€"],
               "percent": "\u202f%"},
    "time": {"dateTime": "%A %e %B %Y à %X", "date": "%d/%m/%Y", "time": "%H:%M:%S", "periods": ["AM", "PM"],
             "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
             "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
             "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                        "octobre", "novembre", "décembre"],
             "shortMonths": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.",
                             "nov.", "déc."]},
}}
_ZOOM = {"name": "zoom", "select": {"type": "interval", "encodings": ["x"]}, "bind": "scales"}
_PICK = {"name": "pick", "select": {"type": "point", "on": "click", "fields": ["p", "s"]}}
_HOVER = {"name": "hover",
          "select": {"type": "point", "on": "pointerover", "clear": "pointerout", "fields": ["p", "s"]}}
_FADED = {"name": "faded", "select": {"type": "point", "fields": ["n"], "toggle": "true"}, "bind": "legend"}


def language(articles: pd.DataFrame) -> str:
    """Return the language (ISO 639-1) of most of the `articles` (their `language` column), "" when none has half."""
    if "language" not in articles or articles.empty:
        return ""
    shares = articles["language"].astype("string").str.lower().value_counts(normalize=True, dropna=False)
    return str(shares.index[0]) if len(shares) and shares.iloc[0] >= 0.5 and pd.notna(shares.index[0]) else ""


def localised(spec: dict, language: str) -> dict:
    """Return `spec` with the number and time formats of `language` (`LOCALES`; as it is in another language)."""
    if language not in LOCALES:
        return spec
    return {**spec, "config": {**spec.get("config", {}), "locale": LOCALES[language]}}


def lines(frame: pd.DataFrame, *, value: str, series: str | None, freq: str, periods: list[str], ylabel: str,
          title: str, percent: bool = False, band: tuple[str, str] | None = None,
          events: pd.DataFrame | None = None) -> dict:
    """Return a line chart of `value` per period, one line per `series` value, with its `band` (low and high
    columns) shaded when given: the chart `plots.lines` drew from the same frame."""
    rows = _line_rows(frame, value=value, series=series, freq=freq, periods=periods, band=band)
    names = list(dict.fromkeys(rows["n"]))
    colour = _colour(names, series, title=series)
    y = {"field": "v", "type": "quantitative", "title": ylabel, "axis": {"format": ".0%" if percent else _TICKS}}
    if len(periods) <= 2:  # points alone: room above the highest, so that it is not cut by the frame
        y["scale"] = {"padding": 12}
    line = _line_layers(rows, y=y, colour=colour, series=series)
    points = {"mark": {"type": "circle", "size": 70, "cursor": "pointer"}, "params": [_HOVER, _PICK],
              "encoding": {"x": _time(), "y": y, "color": colour,
                           "tooltip": _line_tooltip(rows, value=value, series=series, ylabel=ylabel, percent=percent),
                           # with one or two periods there is no line to speak of: the points are the chart
                           "opacity": {"condition": {"param": "hover", "empty": False, "value": 1},
                                       "value": 1 if len(periods) <= 2 else 0}}}
    shaded = [] if band is None else [{
        "mark": {"type": "area", "interpolate": "linear"},
        "encoding": {"x": _time(), "y": {"field": "lo", "type": "quantitative", "stack": None}, "y2": {"field": "hi"},
                     "color": colour, "detail": {"field": "n", "type": "nominal"},
                     "opacity": {"condition": {"param": "faded", "empty": False, "value": 0.02}, "value": 0.15}
                     if series else {"value": 0.15}}}]
    layers = [*shaded, *line, *_spikes(rows, y, colour), points, *_events(events, frame)]
    if (rows["p"] >= 0).all():  # each row's period start and series name, worked out in the page
        rows = rows.drop(columns=["t", "n"])
    spec = _dated(_chart(title, rows, layers), periods)
    return _worded(spec, frame, freq=freq, periods=periods, names=[str(n) for n in names], band=band is not None)


def _line_layers(rows: pd.DataFrame, *, y: dict, colour: dict, series: str | None) -> list[dict]:
    """Return the lines: solid over complete periods, dotted into a last, incomplete one, as the static chart."""
    line = {"mark": {"type": "line", "strokeWidth": 1.6}, "params": [_ZOOM] + ([_FADED] if series else []),
            "encoding": {"x": _time(), "y": y, "color": colour, "detail": {"field": "n", "type": "nominal"},
                         "opacity": _faded(series, 0.08)}}
    if "tail" not in rows:
        return [line]
    dotted = {"transform": [{"filter": "datum.tail"}], "mark": {"type": "line", "strokeWidth": 1.6,
                                                                "strokeDash": [2, 3]}, "encoding": line["encoding"]}
    return [line | {"transform": [{"filter": "datum.whole"}]}, dotted]


def _spikes(rows: pd.DataFrame, y: dict, colour: dict) -> list[dict]:
    """Return a layer ringing the spikes, as the static chart does (none when the frame has no spikes)."""
    if "spike" not in rows or not rows["spike"].any():
        return []
    return [{"transform": [{"filter": "datum.spike"}],
             "mark": {"type": "point", "shape": "circle", "size": 180, "filled": False, "strokeWidth": 1.5},
             "encoding": {"x": _time(), "y": y, "color": colour}}]


def _line_tooltip(rows: pd.DataFrame, *, value: str, series: str | None, ylabel: str, percent: bool) -> list[dict]:
    tooltip = [_tip("label", "Period")] + ([_tip("n", series.capitalize())] if series else [])
    tooltip.append(_tip("v", ylabel, _SHARE if percent else _VALUE, "quantitative"))
    if "lo" in rows:  # its words are worked out in the page
        tooltip.append(_tip("band", "95 % band"))
    if "m" in rows:  # a term group: its articles and mentions, out of all the period's articles
        tooltip += [_tip("a", "Articles mentioning it", _COUNT, "quantitative")] + (
            [_tip("m", "Mentions", _COUNT, "quantitative")] if value != "mentions" else [])
    elif value != "articles" and "a" in rows:
        tooltip.append(_tip("a", "Articles", _COUNT, "quantitative"))
    if "share" in rows and value not in {"share", "share_smoothed"}:
        tooltip.append(_tip("share", "Share of the period's articles", _SHARE, "quantitative"))
    return tooltip + [_tip("total", "All articles in the period (denominator)", _COUNT, "quantitative")]


def stacked(frame: pd.DataFrame, *, series: str, freq: str, periods: list[str], order: list, title: str,
            main: dict[str, int], events: pd.DataFrame | None = None) -> dict:
    """Return the shares of `series` values (topics) stacked per period, one bar a period, from the frame
    `plots.stacked` drew; `main` holds each period's articles per series ("p:s" -> n) for the tooltip."""
    rows = _stacked_rows(frame, series=series, freq=freq, periods=periods, order=order, main=main)
    tooltip = [_tip("label", "Period"), _tip("n", "Topic"), _tip("share", "Share of coverage", _SHARE, "quantitative"),
               _tip("main", "Articles whose main topic it is", _COUNT, "quantitative"),
               _tip("total", "All articles in the period (denominator)", _COUNT, "quantitative")]
    bars = {"mark": {"type": "rect", "stroke": "white", "strokeWidth": 0.3, "cursor": "pointer"},
            "params": [_ZOOM, _FADED, _PICK],
            "encoding": {"x": _time(), "x2": {"field": "t2"},
                         "y": {"field": "y0", "type": "quantitative", "title": "share of the period's articles",
                               "scale": {"domain": [0, 1]}, "axis": {"format": ".0%"}},
                         "y2": {"field": "y1"}, "color": _colour(order, series, title="topic", upwards=True),
                         "opacity": _faded(series, 0.15), "tooltip": tooltip}}
    return _dated(_chart(title, rows, [bars, *_events(events, frame)]), periods)


def heatmap(frame: pd.DataFrame, *, rows: str, columns: str, value: str, order: list, title: str,
            main: dict[str, int], percent: bool = True) -> dict:
    """Return the heat map `plots.heatmap` drew from the same frame: a cell per `rows` value (in `order`) and
    `columns` value (in the frame's order), shaded and labelled by `value`; each cell's `s` (row) and `c` (column)
    are what a click selects, and `main` ("s:c" -> n) the articles whose main topic it is, for the tooltip."""
    names = [str(n) for n in pd.unique(frame[columns])]
    cells = _cells(frame, rows=rows, columns=columns, value=value, order=order, names=names, main=main)
    number = _SHARE if percent else _VALUE
    tooltip = [_tip("n", rows.capitalize() if rows != "name" else "Topic"), _tip("col", columns.capitalize()),
               _tip("v", "Share of its articles (mean topic weight)" if percent else value, number, "quantitative"),
               _tip("main", "Articles whose main topic it is", _COUNT, "quantitative"),
               _tip("total", f"Articles of the {columns} (denominator)", _COUNT, "quantitative")]
    x = {"field": "col", "type": "nominal", "title": None, "sort": names,
         "axis": {"labelAngle": -35, "labelAlign": "right", "labelLimit": 180}}
    y = {"field": "n", "type": "nominal", "title": None, "sort": [str(n) for n in order], "axis": {"labelLimit": 320}}
    pick = {"name": "pick", "select": {"type": "point", "on": "click", "fields": ["s", "c"]}}
    top = float(cells["v"].max()) if len(cells) else 1.0
    shade = {"mark": {"type": "rect", "cursor": "pointer", "stroke": "white", "strokeWidth": 0.5}, "params": [pick],
             "encoding": {"x": x, "y": y, "tooltip": tooltip,
                          "color": {"field": "v", "type": "quantitative", "title": "%" if percent else value,
                                    "scale": {"scheme": "cividis", "reverse": True},  # as the static chart
                                    "legend": {"format": ".0%" if percent else _TICKS}}}}
    label = {"mark": {"type": "text", "fontSize": 10, "interactive": False},
             "encoding": {"x": x, "y": y, "text": {"field": "v", "type": "quantitative",
                                                    "format": ".0%" if percent else ".2~g"},
                          "color": {"condition": {"test": f"datum.v > {top * 0.55}", "value": "white"},
                                    "value": "black"}}}
    return {"title": {"text": title, "anchor": "start"}, "width": {"step": 56}, "height": {"step": 22},
            "data": {"values": _records(cells)}, "layer": [shade, label], "config": _CONFIG}


def _cells(frame: pd.DataFrame, *, rows: str, columns: str, value: str, order: list, names: list,
           main: dict[str, int]) -> pd.DataFrame:
    """Return one row per cell: `n` (row), `col` (column), `s`, `c` (their positions), `v`, `total`, `main`."""
    position = {str(name): i for i, name in enumerate(order)}
    column = {name: i for i, name in enumerate(names)}
    shown = frame[frame[rows].astype(str).isin(position)]
    cells = pd.DataFrame({"n": shown[rows].astype(str), "col": shown[columns].astype(str), "v": shown[value],
                          "total": shown["articles"] if "articles" in shown else None})
    cells["s"], cells["c"] = cells["n"].map(position), cells["col"].map(column)
    cells["main"] = [main.get(f"{s}:{c}", 0) for s, c in zip(cells["s"], cells["c"], strict=True)]
    return cells


def _chart(title: str, rows: pd.DataFrame, layers: list[dict]) -> dict:
    return {"title": {"text": title, "anchor": "start"}, "width": WIDTH, "height": HEIGHT,
            "data": {"values": _records(rows)}, "layer": layers, "config": _CONFIG}


def _dated(spec: dict, periods: list[str]) -> dict:
    """Return `spec` with time-axis labels that name the year: Vega's default names months alone ("April October")
    when no tick falls on a January, and weekdays on a month of weeks ("Tue 31")."""
    days = (pd.Timestamp(periods[-1]) - pd.Timestamp(periods[0])).days if periods else 0
    if days > 3 * 365:
        axis = {"tickCount": {"interval": "year"}, "format": "%Y"}
    elif days > 120:
        axis = {"format": "%b %Y"}
    else:
        axis = {"format": "%-d %b %Y" if days > 60 or days < 14 else "%-d %b"}
    return {**spec, "config": {**spec.get("config", {}), "axisX": axis}}


def _events(events: pd.DataFrame | None, frame: pd.DataFrame) -> list[dict]:
    """Return the layers marking the events inside the chart's time range, as the static chart does: a dashed line
    (a grey span for an event with an end), its label at the top, and the event's name and dates on hovering the
    line."""
    marks = _event_rows(events, frame)
    if marks.empty:
        return []
    tooltip = [_tip("event", "Event"), _tip("when", "Date")]
    x = {"field": "t", "type": "temporal", "scale": {"type": "utc"}}
    spans, days = marks[marks["t"] != marks["t2"]], marks[marks["t"] == marks["t2"]]
    # Labels sit at the top, where a spike's point is: they let the pointer through to it (the line names the event).
    label = {"type": "text", "angle": 270, "align": "right", "baseline": "bottom", "y": 2, "dx": -2, "fontSize": 10,
             "color": "#404040", "limit": 160, "interactive": False}
    # Labels of events close together would print over each other: the next one goes on the other side of its line,
    # and a third is left to its line's tooltip (the static chart staggers them in rows).
    side = _label_sides(pd.to_datetime(marks["t"]), frame)
    layers = [{"data": {"values": _records(days)}, "encoding": {"x": x, "tooltip": tooltip},
               "mark": {"type": "rule", "strokeDash": [4, 3], "color": "#595959", "strokeWidth": 1}},
              {"data": {"values": _records(marks[side == 0])}, "mark": label,
               "encoding": {"x": x, "text": {"field": "event"}}},
              {"data": {"values": _records(marks[side == 1])}, "mark": label | {"baseline": "top", "dx": 2},
               "encoding": {"x": x, "text": {"field": "event"}}}]
    if len(spans):
        # A span lets clicks through to the bars and points under it: its label (and its tooltip) names it.
        layers.insert(0, {"data": {"values": _records(spans)}, "encoding": {"x": x, "x2": {"field": "t2"}},
                          "mark": {"type": "rect", "color": "#808080", "opacity": 0.12, "interactive": False}})
    return layers


def _label_sides(starts: pd.Series, frame: pd.DataFrame, *, apart: float = 0.025) -> np.ndarray:
    """Return where each event's label goes: 0 left of its line, 1 right of it (the one before is too close: within
    `apart` of the chart's width), 2 nowhere (both sides taken)."""
    first, last = frame["period_start"].min(), frame["period_start"].max()
    width = max((last - first).total_seconds(), 1.0)
    sides = np.zeros(len(starts), dtype=int)
    taken: list[tuple[float, int]] = []  # (position, side) of the labels drawn
    for i in np.argsort(starts.to_numpy(), kind="stable"):
        where = (starts.iloc[i] - first).total_seconds() / width
        near = {side for position, side in taken if where - position < apart}
        sides[i] = next(side for side in (0, 1, 2) if side not in near or side == 2)
        if sides[i] < 2:
            taken.append((where, sides[i]))
    return sides


def _event_rows(events: pd.DataFrame | None, frame: pd.DataFrame) -> pd.DataFrame:
    """Return the events that overlap the frame's periods: `t`, `t2` (its end, or its day), `event`, `when`."""
    if events is None or events.empty or frame.empty:
        return pd.DataFrame(columns=["t", "t2", "event", "when"])
    start = events["date"].dt.tz_convert(None)
    end = events["end_date"].dt.tz_convert(None).fillna(start) if "end_date" in events else start
    inside = (end >= frame["period_start"].min()) & (start <= frame["period_start"].max())
    marks = pd.DataFrame({"t": start[inside].dt.strftime("%Y-%m-%d"), "t2": end[inside].dt.strftime("%Y-%m-%d"),
                          "event": events.loc[inside, "label"].astype(str)})
    return marks.assign(when=marks["t"].where(marks["t"] == marks["t2"], marks["t"] + " to " + marks["t2"]))


def _line_rows(frame: pd.DataFrame, *, value: str, series: str | None, freq: str, periods: list[str],
               band: tuple[str, str] | None = None) -> pd.DataFrame:
    """Return the chart's data: `t` (period start), `p`, `s`, `n` (series name), `v` (the value drawn), `a`
    (articles), `share` (unless drawn), `total` (all the period's articles), and with a `band` its `lo` and `hi`;
    term groups add `m` (mentions). Labels are worked out in the page (`_worded`)."""
    names = list(pd.unique(frame[series])) if series else ["all articles"]
    index = {start: i for i, start in enumerate(periods)}
    start = frame["period_start"].dt.strftime("%Y-%m-%d")
    rows = pd.DataFrame({"t": start, "p": start.map(index).fillna(-1).astype(int),
                         "n": frame[series].astype(str) if series else names[0], "v": frame[value]})
    rows["s"] = rows["n"].map({str(n): i for i, n in enumerate(names)}) if series else 0
    if "share" in frame:
        rows["share"] = frame["share"]
    if "articles_mentioning" in frame:  # term groups (`timeline.count_mentions`): `articles` is the denominator
        rows["a"], rows["m"], rows["total"] = frame["articles_mentioning"], frame["mentions"], frame["articles"]
    else:
        if "articles" in frame:
            rows["a"] = frame["articles"]
        totals = frame.groupby("period_start")["articles"].transform("sum") if "articles" in frame else None
        rows["total"] = frame["period_articles"] if "period_articles" in frame else totals
    if value in {"share", "share_smoothed"}:
        rows = rows.drop(columns="share", errors="ignore")  # drawn as `v` already
    if "is_complete" in frame and not frame["is_complete"].all():
        rows["whole"], rows["tail"] = _dotted(frame, series=series)
    if "is_spike" in frame:
        rows["spike"] = frame["is_spike"].fillna(False).astype(bool)
    if band:
        rows["lo"], rows["hi"] = frame[band[0]], frame[band[1]]
    return rows


def _worded(spec: dict, frame: pd.DataFrame, *, freq: str, periods: list[str], names: list[str], band: bool) -> dict:
    """Return the spec with each row's period label (and band, as words) worked out in the page from `p` and a list
    of the periods' labels, rather than written into every row: a term chart has a row per period and group. So are
    its period start `t` and series name `n` (from `s`), when the rows do not carry them."""
    index = {start: i for i, start in enumerate(periods)}
    labels = [""] * len(periods)
    for start, label in zip(frame["period_start"].dt.strftime("%Y-%m-%d"), _labels(frame, freq=freq), strict=True):
        if start in index:
            labels[index[start]] = label
    worded = [{"calculate": "labels[datum.p]", "as": "label"}] + ([{
        "calculate": "isValid(datum.lo) && isValid(datum.hi) ? format(datum.lo, '.1%') + ' to ' + "
                     "format(datum.hi, '.1%') : ''", "as": "band"}] if band else [])
    params = [{"name": "labels", "value": labels}]
    if "t" not in spec["data"]["values"][0] if spec["data"]["values"] else False:
        params += [{"name": "periods", "value": periods}, {"name": "names", "value": names}]
        worded = [{"calculate": "toDate(periods[datum.p])", "as": "t"}, {"calculate": "names[datum.s]", "as": "n"},
                  *worded]
    return spec | {"params": params, "transform": worded}


def _dotted(frame: pd.DataFrame, *, series: str | None) -> tuple[pd.Series, pd.Series]:
    """Return which rows the solid line joins (complete periods) and which the dotted one does (an incomplete
    period and the complete one before it, in each series), as `plots.lines` draws them."""
    whole = frame["is_complete"].fillna(True).astype(bool)
    ordered = frame.assign(_whole=whole).sort_values("period_start", kind="stable")
    keys = ordered[series] if series else pd.Series(0, index=ordered.index)
    following = ordered.groupby(keys, sort=False)["_whole"].shift(-1, fill_value=True)
    return whole, ~whole | (whole & ~following.reindex(frame.index))


def _stacked_rows(frame: pd.DataFrame, *, series: str, freq: str, periods: list[str], order: list,
                  main: dict[str, int]) -> pd.DataFrame:
    """Return one row per period and series with a share: its bar from `y0` to `y1` (stacked in `order`), from `t`
    to `t2` (the next period's start)."""
    position = {name: i for i, name in enumerate(order)}
    shown = frame[frame["share"].notna() & frame[series].isin(position)].copy()
    shown["s"] = shown[series].map(position).astype(int)
    shown = shown.sort_values(["period_start", "s"], kind="stable")
    shown["y1"] = shown.groupby("period_start")["share"].cumsum()
    index = {start: i for i, start in enumerate(periods)}
    start = shown["period_start"].dt.strftime("%Y-%m-%d")
    code = FREQUENCIES[frequency_code(freq)]
    following = shown["period_start"].map(lambda s: f"{(pd.Period(s, code) + 1).start_time:%Y-%m-%d}")
    rows = pd.DataFrame({"t": start, "t2": following,
                         "p": start.map(index).fillna(-1).astype(int), "s": shown["s"],
                         "n": shown[series].astype(str), "share": shown["share"], "y0": shown["y1"] - shown["share"],
                         "y1": shown["y1"], "total": shown["articles"]})
    rows["main"] = [main.get(f"{p}:{s}", 0) for p, s in zip(rows["p"], rows["s"], strict=True)]
    rows["label"] = _labels(shown, freq=freq)
    return rows


def _labels(frame: pd.DataFrame, *, freq: str) -> pd.Series:
    """Return each row's period as a reader names it, saying when the corpus does not cover it to its end."""
    labels = frame["period_start"].map(lambda start: period_label(start, freq=freq))
    if "is_complete" in frame:
        labels = labels.where(frame["is_complete"], labels + " (incomplete: the corpus ends before it does)")
    return labels


def _time() -> dict:
    # UTC: a period starting on Monday must not slip to Sunday for readers west of Greenwich.
    return {"field": "t", "type": "temporal", "title": "period start", "scale": {"type": "utc"},
            "axis": {"labelOverlap": True}}


def _colour(names: list, series: str | None, *, title: str | None, upwards: bool = False) -> dict:
    """Return the colour encoding: the static chart's colours; with `upwards`, the legend lists the series from
    the top of the stack down, as the static chart does."""
    palette = colours(names)
    if not series:
        return {"value": palette[names[0]] if names else "#0072B2"}
    domain = [str(n) for n in names]
    return {"field": "n", "type": "nominal", "scale": {"domain": domain, "range": [palette[n] for n in names]},
            "legend": {"title": f"{title} (click to fade)", "labelLimit": 240, "symbolLimit": 0, "symbolOpacity": 1,
                       "values": domain[::-1] if upwards else domain}}


def _faded(series: str | None, faded: float) -> dict:
    if not series:
        return {"value": 1}
    return {"condition": {"param": "faded", "empty": False, "value": faded}, "value": 1}


def _tip(field: str, title: str, number_format: str | None = None, kind: str = "nominal") -> dict:
    tip = {"field": field, "type": kind, "title": title}
    return tip | ({"format": number_format} if number_format else {})


def _records(rows: pd.DataFrame) -> list[dict]:
    """Return the rows as JSON-ready records: numbers as Python numbers (fractions to 5 significant digits, more than
    a tooltip shows), missing values as null."""
    clean = rows.astype(object).where(rows.notna(), None)
    return [{k: _number(v.item() if hasattr(v, "item") else v) for k, v in record.items()}
            for record in clean.to_dict("records")]


def _number(value):
    return float(f"{value:.5g}") if isinstance(value, float) else value
