"""Interactive charts: what they add to a report's size, and how long Chromium takes to draw them.

On the demo corpus and on a generated one (--articles, the demo generator, ingested), in one run, the timeline
report twice through the one runner: as it is (three interactive charts: articles per period in total and by
source, and each source's share with its band; with the demo's term groups, also the groups' shares, mentions and
co-mentions) and, as the baseline, the same notebook with its `.with_articles(...)` calls taken out (the static
charts only). For each: the HTML's size, its inline JavaScript (Vega, Vega-Lite, vega-embed, glue: executable
scripts), the data the charts embed (JSON scripts: specs and the articles listed on a click; of which the term
groups' mentions and snippets), its PNGs, and, in headless Chromium from a `file://` address with no host name
resolvable, the time from navigation to the page's load event and to the last chart drawn (`data-nf-rendered`),
median of --repeats fresh browsers.

    .venv/bin/python bench/charts.py [--articles 100000] [--repeats 5] [--freq W] [--terms both]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' small DevTools client (tests/reports/devtools.py), not a package
TIMELINE = ROOT / "notebooks" / "timeline.ipynb"
SCRIPT = re.compile(r"<script([^>]*)>(.*?)</script>", re.S)
BUDGET_MB = 5.0
PNG = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")
INTERACTIVE = re.compile(r"\.with_articles\(\s*articles(?:,[^)]*)?\)")


def prepare(folder: Path, articles: int | None) -> Path:
    """Write and ingest the demo corpus (its own size when `articles` is None); return the corpus path."""
    from newsframe import demo, ingest

    raw = folder / "raw"
    demo.write(raw, **({"articles": articles} if articles else {}))
    out = folder / "corpus.parquet"
    ingest.ingest([raw], out=out)
    return out


def static_notebook(folder: Path) -> Path:
    """Return a copy of the timeline notebook without its interactive views: the baseline."""
    notebook = json.loads(TIMELINE.read_text("utf-8"))
    for cell in notebook["cells"]:
        cell["source"] = INTERACTIVE.sub("", "".join(cell["source"])).splitlines(keepends=True)
    path = folder / "timeline_static.ipynb"
    path.write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")
    return path


def sizes(page: Path) -> dict:
    """Return the page's size, its executable inline JavaScript and its embedded JSON, in MB."""
    text = page.read_text("utf-8")
    scripts = SCRIPT.findall(text)
    code = sum(len(body.encode()) for attributes, body in scripts if "application/json" not in attributes)
    data = sum(len(body.encode()) for attributes, body in scripts if "application/json" in attributes)
    said = sum(len(body.encode()) for attributes, body in scripts if 'id="nf-mentions-' in attributes)
    images = sum(len(found) for found in PNG.findall(text))
    return {"html": page.stat().st_size / 2**20, "js": code / 2**20, "json": data / 2**20, "mentions": said / 2**20,
            "png": images / 2**20}


def render_times(chromium: str, page: Path, *, charts: int, repeats: int, folder: Path) -> tuple[float, float]:
    """Return the median ms from navigation to the load event, and to the last chart drawn (0 without charts)."""
    from tests.reports.devtools import Browser

    loads, drawn = [], []
    for run in range(repeats):
        browser = Browser(chromium, folder / f"profile-{page.stem}-{run}")
        try:
            wait = f"document.querySelectorAll('[data-nf-rendered]').length == {charts}" if charts else "true"
            browser.open(page.as_uri(), until=f"document.readyState == 'complete' && {wait}", timeout=180)
            loads.append(browser.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
            drawn.append(browser.evaluate("Math.max(0, ...Array.from(document.querySelectorAll('[data-nf-rendered]'))"
                                          ".map(e => +e.getAttribute('data-nf-rendered')))"))
            assert not [u for u in browser.requested if not u.startswith(("file:", "data:", "about:"))]
        finally:
            browser.close()
    return statistics.median(loads), statistics.median(drawn)


def measure(name: str, corpus_path: Path, folder: Path, *, freq: str, repeats: int, chromium: str,
            terms: bool) -> list[str]:
    from newsframe.reports import runner

    rows = []
    parameters = {"corpus_path": str(corpus_path), "freq": freq}
    if terms:  # the demo's eight term groups, and co-mentions of the first with the seven others
        parameters |= {"terms_file": str(corpus_path.parent / "raw" / "_terms.txt"),
                       "co_mention_anchor": "Russie / Russia"}
        name += ", 8 term groups"
    for variant, notebook in (("static (baseline)", static_notebook(folder)), ("interactive", TIMELINE)):
        started = time.perf_counter()
        report = runner.run(notebook, parameters=parameters, out_dir=folder / "out", name=notebook.stem)
        seconds = time.perf_counter() - started
        size = sizes(report.html)
        charts = report.html.read_text("utf-8").count('<div class="nf-chart"')
        load, drawn = render_times(chromium, report.html, charts=charts, repeats=repeats, folder=folder)
        rows.append(f"| {name} | {variant} | {size['html']:.2f} | {size['js']:.2f} | {size['json']:.2f} | "
                    f"{size['mentions']:.2f} | {size['png']:.2f} | {load:,.0f} | {drawn:,.0f} | {seconds:.0f} |")
        print(rows[-1], flush=True)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--freq", default="W")
    parser.add_argument("--terms", choices=["without", "with", "both"], default="both",
                        help="run the report without term groups, with the demo's eight, or both ways")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("chromium is not installed (make browser)")
        return 1
    print("| corpus | report | HTML MB | JS MB | embedded JSON MB | of which mentions MB | PNG MB | load ms | "
          "last chart drawn ms | run s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="newsframe-charts-") as temporary:
        for name, articles in (("demo", None), (f"generated, {args.articles:,} articles", args.articles)):
            folder = Path(temporary) / (str(articles) if articles else "demo")
            folder.mkdir()
            corpus_path = prepare(folder, articles)
            for terms in {"without": [False], "with": [True], "both": [False, True]}[args.terms]:
                measure(name, corpus_path, folder, freq=args.freq, repeats=args.repeats, chromium=chromium,
                        terms=terms)
    print(f"budget: an interactive report under {BUDGET_MB:g} MB at 100,000 articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
