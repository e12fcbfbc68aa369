"""Interactive charts that lead to the articles, in offline HTML reports and in JupyterLab, from the same calls:
`plots.counts(...).with_articles(articles)` (see `charts.Chart.with_articles`).

A `View` shows as one HTML fragment (with `image/png` and `text/plain` beside it for other front ends):

    <div class="nf-chart" id="nf-…" data-nf-name="articles_per_period">
      <div class="nf-live"></div>          Vega draws here
      <img class="nf-static" alt="…">      the matplotlib chart, as before: shown until Vega has drawn, so a browser
                                           without JavaScript (or an untrusted notebook) shows it
      <div class="nf-drill"></div>         the clicked period's articles, listed with textContent
      <script type="application/json" class="nf-config">…</script>    the Vega-Lite spec and the chart's series
      <script>NF.mount("nf-…")</script>
    </div>

Vega, Vega-Lite, vega-embed (vendored in `js/`, about 0.83 MB) and the glue are written once per kernel, into the
first output that needs them (`Assets`), and so are the embedded articles (`drilldown`), shared by the charts drawn
on the same articles, and the articles each term group lists (`Mentions`: the sampled ones that mention it and more
up to the cap, shared by the charts of single groups; a co-mention chart has its own, of its pairs), compressed.
Nothing is ever fetched: the page works from a file path, offline.
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import html
import io
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pandas as pd
from PIL import Image

from newsframe.analysis import terms
from newsframe.analysis.periods import frequency_code
from newsframe.reports import drilldown, vegalite
from newsframe.reports.charts import SCREEN_DPI, Chart

__all__ = ["FALLBACK_COLOURS", "FALLBACK_DPI", "VERSIONS", "Assets", "Mentions", "View", "heatmap", "json_script",
           "library", "lines", "packed_script", "paletted", "script", "stacked"]

JS = Path(__file__).parent / "js"
# The static chart behind an interactive one is seen only in print and without JavaScript: at screen resolution it
# weighs less than half the sharp one, which keeps a report with many term groups within its size budget (README).
FALLBACK_DPI = SCREEN_DPI
FALLBACK_COLOURS = 256  # and in a palette: a quarter of the size, which lets term groups list up to the cap (README)
VERSIONS = {"vega": "6.4.0", "vega-lite": "6.4.3", "vega-embed": "7.3.0"}  # js/README.md says how to update them
_BUNDLES = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")
_SCRIPT_END = re.compile(r"</(script)", re.IGNORECASE)
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_STYLE = """<style>
.nf-chart { margin: 0.5em 0 1.5em; }
.nf-chart .nf-static { max-width: 100%; height: auto; }
.nf-chart .nf-drill { font: 13px/1.45 system-ui, sans-serif; max-height: 24em; overflow-y: auto; }
.nf-chart .nf-hint { color: #555; margin: 0.3em 0; }
.nf-chart .nf-drill-head { font-weight: 600; margin: 0.4em 0; }
.nf-chart .nf-drill-list { margin: 0; padding-left: 2.4em; }
.nf-chart .nf-drill time { font-variant-numeric: tabular-nums; color: #555; }
.nf-chart .nf-source { color: #555; }
.nf-chart .nf-kwic { color: #333; font-size: 12px; margin: 0.1em 0 0.3em; }
.nf-chart .nf-kwic b { background: #fff3b0; font-weight: 600; }
.nf-chart .nf-live:focus-visible { outline: 2px solid #0072B2; outline-offset: 2px; }
.nf-chart .nf-focus { font: 13px/1.45 system-ui, sans-serif; color: #333; margin: 0.2em 0; min-height: 1.45em; }
@media print {  /* paper gets the static chart, as a paper would */
  .nf-chart .nf-static { display: inline !important; }
  .nf-chart .nf-live, .nf-chart .nf-drill, .nf-chart .nf-focus { display: none; }
}
</style>"""
_HINT = ("Hover a {mark} for its values; drag or scroll over the chart to pan and zoom (double-click resets);{legend} "
         "click a {mark} to list {what} below.")
_LEGEND = " click a legend entry to fade its series;"


class Assets:
    """What this kernel has already written into its outputs (the library, each set of embedded articles): each is
    written into the first output that needs it, so that a report carries it once."""

    emitted: ClassVar[set[str]] = set()

    @classmethod
    def take(cls, key: str) -> bool:
        """Return True the first time `key` is asked for in this kernel (it must be written now), False after."""
        if key in cls.emitted:
            return False
        cls.emitted.add(key)
        return True

    @classmethod
    def reset(cls) -> None:
        """Forget what was written: the next chart writes everything again (a notebook whose outputs were cleared)."""
        cls.emitted.clear()


def script(code: str) -> str:
    """Return `code` as an inline script that nothing inside it can close early."""
    return "<script>" + _SCRIPT_END.sub(r"<\\/\1", code).replace("<!--", "<\\!--") + "</script>"


def json_script(value, *, element_id: str = "", css_class: str = "") -> str:
    """Return `value` as inert JSON in a `<script type="application/json">`; `<`, `>` and `&` are escaped, so a
    title such as `</script><script>…` stays a string."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.translate(str.maketrans(_JSON_ESCAPES))
    attributes = (f' id="{html.escape(element_id)}"' if element_id else "") + (
        f' class="{html.escape(css_class)}"' if css_class else "")
    return f'<script type="application/json"{attributes}>{text}</script>'


def paletted(png: str, width: int) -> tuple[str, int]:
    """Return a base64 PNG in a palette of `FALLBACK_COLOURS` (a chart's flat colours and their anti-aliasing need no
    more), and its width."""
    with Image.open(io.BytesIO(base64.b64decode(png))) as image:
        fewer = image.quantize(colors=FALLBACK_COLOURS, method=Image.Quantize.FASTOCTREE)
    buffer = io.BytesIO()
    fewer.save(buffer, format="PNG", optimize=True)
    return base64.b64encode(buffer.getvalue()).decode("ascii"), width


def packed_script(value, *, element_id: str) -> str:
    """Return `value` as JSON compressed with gzip, as a base64 string in a `<script type="application/json">`,
    which the page unpacks with the browser's own `DecompressionStream` when it is first needed: the term groups'
    lists are mostly titles, read on a click, and would otherwise take most of a report's size budget."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    packed = base64.b64encode(gzip.compress(text, compresslevel=9, mtime=0)).decode("ascii")
    return (f'<script type="application/json" id="{html.escape(element_id)}" data-nf-packed="gzip">"{packed}"'
            "</script>")


@functools.cache
def library() -> str:
    """Return the style, Vega, Vega-Lite, vega-embed and the glue as HTML, to write once in a page."""
    # UMD builds register with an AMD `define` or a CommonJS `module` when the page has one (require.js in classic
    # Jupyter): hidden here, each sets its window global whatever the page.
    bundles = [f"(function (define, module, exports) {{\n{(JS / name).read_text('utf-8')}\n}}).call(window);"
               for name in _BUNDLES]
    return _STYLE + "".join(script(code) for code in bundles) + script((JS / "charts.js").read_text("utf-8"))


@dataclass(frozen=True)
class Mentions:
    """The articles each term group (or pair of groups) lists on a click, some in context (`drilldown.mentioned`),
    embedded once per report under `key`, compressed (`packed_script`); `groups` gives each series of a chart its set
    in the payload (-1: none)."""

    payload: dict
    key: str
    groups: list[int]


@dataclass
class View:
    """An interactive chart: `chart` (the static one, shown without JavaScript), `spec` (Vega-Lite), `drawn` (the
    embedded articles) and what the click-to-list needs: `series` names, each embedded article's series
    (`member`), every period's articles per series (`totals`)."""

    chart: Chart
    spec: dict
    drawn: drilldown.Sample
    series: list | None = None
    member: list | None = None
    totals: dict = field(default_factory=dict)
    series_note: str = ""
    hint: str = _HINT.format(mark="point", what="its articles", legend="")
    mentions: Mentions | None = None
    columns: list | None = None
    column: list | None = None
    id: str = field(default_factory=lambda: f"nf-{uuid.uuid4().hex[:12]}")

    def config(self) -> dict:
        """Return what the page's glue reads for this chart."""
        config = {"spec": self.spec, "articles": self.drawn.key, "series": self.series, "member": self.member,
                  "totals": self.totals, "seriesNote": self.series_note, "hint": self.hint}
        if self.mentions:
            config |= {"mentions": self.mentions.key, "groups": self.mentions.groups}
        if self.columns:
            config |= {"columns": self.columns, "column": self.column}
        return config

    def to_html(self, png: tuple[str, int] | None = None) -> str:
        """Return the chart as an HTML fragment, led by whatever this kernel has not yet written; `png` is the
        static chart (`Chart.png()`), when already drawn."""
        png, width = png or self.fallback()
        return (self._assets() + f'<div class="nf-chart" id="{self.id}" data-nf-name="{html.escape(self.chart.name)}">'
                '<div class="nf-live"></div>'
                f'<img class="nf-static" alt="{html.escape(self.chart.alt)}" width="{width}" '
                f'src="data:image/png;base64,{png}">'
                '<div class="nf-drill" aria-live="polite"></div>'
                + json_script(self.config(), css_class="nf-config")
                + script(f'window.NF && window.NF.mount("{self.id}");') + "</div>")

    def _assets(self) -> str:
        parts = [library()] if Assets.take("library") else []
        if Assets.take(f"articles-{self.drawn.key}"):
            parts.append(json_script(self.drawn.payload, element_id=f"nf-articles-{self.drawn.key}"))
        if self.mentions and Assets.take(f"mentions-{self.mentions.key}"):
            parts.append(packed_script(self.mentions.payload, element_id=f"nf-mentions-{self.mentions.key}"))
        return "".join(parts)

    def fallback(self) -> tuple[str, int]:
        """Return the static chart as a base64 PNG for print and readers without JavaScript, and its width (px): at
        screen resolution, in a palette of `FALLBACK_COLOURS` (the 300-dpi PNG for papers is `Chart.saved`'s)."""
        return paletted(*self.chart.png(FALLBACK_DPI))

    def _repr_mimebundle_(self, include=None, exclude=None):
        png, width = self.fallback()
        return ({"text/html": self.to_html((png, width)), "image/png": png, "text/plain": self.chart.alt},
                {"image/png": {"alt": self.chart.alt, "width": width}})


def lines(chart: Chart, articles: pd.DataFrame, *, frame: pd.DataFrame, value: str, series: str | None, freq: str,
          ylabel: str, title: str, percent: bool = False, band: tuple[str, str] | None = None,
          events: pd.DataFrame | None = None, found: pd.DataFrame | None = None, term_groups: dict | None = None,
          texts: Callable[[pd.DataFrame], pd.DataFrame] | None = None, cap: int = drilldown.CAP,
          seed: int = 0) -> View | Chart:
    """Return `chart` (from `plots.lines` or `plots.small_multiples`) made interactive: clicking a period lists
    its `articles`, those of the clicked series when the articles have the series column (a source), at most `cap`
    per period. For term groups (`frame` from `timeline.count_mentions`), give `found` (`terms.mentions`) and the
    `term_groups`: a click lists the period's articles that mention the group, each with its words in context;
    `texts` gives the few articles shown in context their text when `articles` hold none (`drilldown.mentioned`)."""
    if frame.empty:  # no term group, no co-mention anchor: nothing to explore, the static chart says so
        return chart
    freq = frequency_code(freq) or freq  # `week` as well as `W`
    drawn = drilldown.sample(articles, freq=freq, cap=cap, seed=seed)
    spec = vegalite.localised(vegalite.lines(frame, value=value, series=series, freq=freq,
                                             periods=drawn.payload["periods"], ylabel=ylabel, title=title,
                                             percent=percent, band=band, events=events), vegalite.language(articles))
    if series and found is not None:
        return _mentioning(chart, spec, drawn, articles, frame=frame, series=series, found=found,
                           term_groups=term_groups or {}, texts=texts)
    if not series:
        return View(chart, spec, drawn)
    hint = _HINT.format(mark="point", what="its articles", legend=_LEGEND)
    if series not in articles:  # a term group: the period's articles, whatever they mention
        return View(chart, spec, drawn, hint=hint)
    names = [str(n) for n in pd.unique(frame[series])]
    values = articles[series].fillna("unknown").astype(str)
    return View(chart, spec, drawn, series=names, member=drilldown.members(drawn, values, names),
                totals=drilldown.series_totals(articles, values, names, freq=freq, drawn=drawn), hint=hint)


def _mentioning(chart: Chart, spec: dict, drawn: drilldown.Sample, articles: pd.DataFrame, *, frame: pd.DataFrame,
                series: str, found: pd.DataFrame, term_groups: dict,
                texts: Callable[[pd.DataFrame], pd.DataFrame] | None = None) -> View:
    """Return the view of a term-group chart: a click lists the articles that mention the clicked group (both groups
    of a co-mention), up to the cap, with their words in context. Charts of single groups share one payload (every
    group the corpus mentions); a co-mention chart has its own, of its pairs."""
    term_groups = terms.groups(term_groups)
    names = [str(n) for n in pd.unique(frame[series])]
    present = set(found["group"].unique())
    mentioned = [name for name in term_groups if name in present]
    pairs = {f"{a} × {b}": (a, b) for a in mentioned for b in mentioned if a != b}
    if all(name in mentioned for name in names):
        sets, wanted = None, [mentioned.index(name) for name in names]
    else:
        sets = [pairs[name] for name in names if name in pairs]
        wanted = [sets.index(pairs[name]) if name in pairs else -1 for name in names]
    payload = drilldown.mentioned(drawn, articles, found, term_groups, sets=sets, texts=texts)
    key = hashlib.sha1(json.dumps([drawn.key, payload], ensure_ascii=False).encode()).hexdigest()[:12]
    index = {start: i for i, start in enumerate(pd.to_datetime(drawn.payload["periods"]))}
    counted = frame.assign(p=frame["period_start"].map(index), s=frame[series].astype(str).map(
        {n: i for i, n in enumerate(names)}))
    totals = {f"{int(p)}:{int(s)}": int(n) for p, s, n in zip(counted["p"], counted["s"],
                                                                counted["articles_mentioning"], strict=True)
              if pd.notna(p) and n}
    hint = _HINT.format(mark="point", what="the articles that mention it, with their words in context",
                        legend=_LEGEND)
    return View(chart, spec, drawn, series=names, totals=totals, series_note=" (articles mentioning it)", hint=hint,
                mentions=Mentions(payload, key, wanted))


def stacked(chart: Chart, articles: pd.DataFrame, *, frame: pd.DataFrame, series: str, freq: str, order: list | None,
            title: str, topics: pd.DataFrame, events: pd.DataFrame | None = None, cap: int = drilldown.CAP,
            seed: int = 0) -> View:
    """Return `chart` (from `plots.stacked`, topic shares) made interactive: clicking a topic's bar lists the
    period's `articles` whose main topic it is (`topics`: `article_id`, `topic`, as `topics.dominant` returns)."""
    freq = frequency_code(freq) or freq
    names = [str(n) for n in (order if order is not None else pd.unique(frame[series]))]
    name_of = frame.drop_duplicates("topic").set_index("topic")[series].astype(str)
    main = topics.drop_duplicates("article_id").set_index("article_id")["topic"]
    values = pd.Series(articles["article_id"].map(main).map(name_of).to_numpy(), index=articles.index)
    drawn = drilldown.sample(articles, freq=freq, cap=cap, seed=seed)
    totals = drilldown.series_totals(articles, values, names, freq=freq, drawn=drawn)
    spec = vegalite.localised(vegalite.stacked(frame, series=series, freq=freq, periods=drawn.payload["periods"],
                                               order=names, title=title, main=totals, events=events),
                              vegalite.language(articles))
    hint = _HINT.format(mark="bar", what="the articles whose main topic it is", legend=_LEGEND)
    return View(chart, spec, drawn, series=names, member=drilldown.members(drawn, values, names), totals=totals,
                series_note=" (main topic)", hint=hint)


def heatmap(chart: Chart, articles: pd.DataFrame, *, frame: pd.DataFrame, rows: str, columns: str, value: str,
            order: list | None, title: str, percent: bool, topics: pd.DataFrame, freq: str = "M",
            cap: int = drilldown.CAP, seed: int = 0) -> View:
    """Return `chart` (from `plots.heatmap`, topics by source) made interactive: clicking a cell lists the embedded
    `articles` of that column's value (a source; the "other" column holds the rest) whose main topic is the row's
    (`topics`: `article_id`, `topic`, as `topics.dominant` returns). The articles are sampled per period (`freq`),
    as the stacked chart's: the same `freq` shares one payload."""
    freq = frequency_code(freq) or freq
    names = [str(n) for n in (order if order is not None else pd.unique(frame[rows]))]
    sources = [str(n) for n in pd.unique(frame[columns])]
    name_of = frame.drop_duplicates("topic").set_index("topic")[rows].astype(str)
    main = topics.drop_duplicates("article_id").set_index("article_id")["topic"]
    topic = pd.Series(articles["article_id"].map(main).map(name_of).to_numpy(), index=articles.index)
    source = articles[columns].fillna("unknown").astype(str)
    drawn = drilldown.sample(articles, freq=freq, cap=cap, seed=seed)
    member, column = drilldown.members(drawn, topic, names), drilldown.members(drawn, source, sources)
    counted = pd.DataFrame({"s": drilldown.positions(topic, names), "c": drilldown.positions(source, sources)})
    counted = counted[(counted["s"] >= 0) & (counted["c"] >= 0)].value_counts()
    totals = {f"{int(s)}:{int(c)}": int(n) for (s, c), n in counted.items()}
    spec = vegalite.localised(vegalite.heatmap(frame, rows=rows, columns=columns, value=value, order=names,
                                               title=title, main=totals, percent=percent), vegalite.language(articles))
    hint = ("Hover a cell for its values; click a cell to list the articles of that " + columns
            + " whose main topic it is, below.")
    return View(chart, spec, drawn, series=names, member=member, totals=totals, series_note=" (main topic)",
                hint=hint, columns=sources, column=column)
