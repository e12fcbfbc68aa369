"""The same interactive charts in a notebook: executed in a real kernel (nbclient), each chart's output is one
self-contained HTML fragment with the library inlined once and nothing to fetch; and, slow, in JupyterLab itself,
served on localhost and run in headless Chromium, where Vega draws the chart and a click lists its articles."""

import json
import re
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest

from tests.reports.devtools import free_port

ARTICLES = """\
import pandas as pd
from newsframe.analysis import timeline
from newsframe.reports import plots

articles = pd.DataFrame({
    "article_id": [f"a{i}" for i in range(60)],
    "published": pd.date_range("2025-02-03", periods=60, freq="6h", tz="UTC"),
    "source": ["RFI", "Le Monde", "AFP"] * 20,
    "title": [f"Titre {i}" for i in range(60)],
    "url": [f"https://example.org/{i}" for i in range(60)],
}).astype({"article_id": "string", "source": "string", "title": "string", "url": "string"})"""
CHARTS = ['plots.counts(timeline.count(articles, freq="W"), freq="W", name="per_week").with_articles(articles)',
          'plots.counts(timeline.count(articles, freq="W", by="source"), by="source", freq="W", '
          'name="by_source").with_articles(articles)']
NETWORK = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


def notebook(path):
    """Write a notebook that charts 60 articles twice, as a researcher would, and return its path."""
    cells = [nbformat.v4.new_code_cell(ARTICLES)] + [nbformat.v4.new_code_cell(chart) for chart in CHARTS]
    book = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "language": "python",
                                                                          "display_name": "Python 3"}})
    nbformat.write(book, path)
    return path


def test_a_notebook_shows_each_chart_as_self_contained_html_with_the_library_once_and_no_network(tmp_path):
    from nbclient import NotebookClient

    book = nbformat.read(notebook(tmp_path / "charts.ipynb"), as_version=4)
    NotebookClient(book, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [cell.outputs for cell in book.cells[1:]]
    assert [[output.output_type for output in cell] for cell in outputs] == [["execute_result"]] * 2
    first, second = (cell[0].data for cell in outputs)
    for data, name in ((first, "per_week"), (second, "by_source")):
        assert set(data) == {"text/html", "image/png", "text/plain"}  # the PNG for front ends without HTML
        assert f'data-nf-name="{name}"' in data["text/html"] and "window.NF.mount(" in data["text/html"]
        assert not NETWORK.search(data["text/html"])  # nothing fetched: the library and data are in the output
    assert "vegaEmbed=" in first["text/html"] and "vegaEmbed=" not in second["text/html"]  # once per kernel
    assert len(first["text/html"]) > 800_000 > 100_000 > len(second["text/html"])
    assert first["text/html"].count('id="nf-articles-') == 1 and 'id="nf-articles-' not in second["text/html"]


@pytest.mark.slow
def test_jupyterlab_draws_the_chart_and_lists_a_weeks_articles_on_a_click(chromium, tmp_path):
    pytest.importorskip("websocket")
    from tests.reports.devtools import Browser
    from tests.reports.test_interactive_in_chromium import POINT, wait_for

    notebook(tmp_path / "charts.ipynb")
    port, token = free_port(), "nf-test-token"
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}", "--allow-root",
         "--LabApp.expose_app_in_browser=True"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=(tmp_path / "lab.log").open("wb"))
    browser = None
    try:
        wait_for_server(port, token)
        browser = Browser(chromium, tmp_path / "profile", width=1400, height=1600, reachable="127.0.0.1")
        browser.send("Emulation.setFocusEmulationEnabled", enabled=True)  # headless, JupyterLab sees no focus
        browser.open(f"http://127.0.0.1:{port}/lab/tree/charts.ipynb?token={token}", timeout=120,
                     until="window.jupyterapp && document.querySelector('.jp-Notebook .jp-Cell')")
        panel = "Array.from(window.jupyterapp.shell.widgets('main')).find(w => w.sessionContext)"
        wait_for(browser, f"{panel}?.sessionContext.session?.kernel?.status === 'idle'", timeout=120)
        browser.evaluate(f"window.jupyterapp.shell.activateById({panel}.id)")
        wait_for(browser, "window.jupyterapp.shell.currentWidget?.sessionContext !== undefined")
        browser.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        drawn = "document.querySelectorAll('.jp-OutputArea .nf-chart[data-nf-rendered]').length"
        assert wait_for(browser, f"{drawn} == 2 && {drawn}", timeout=180) == 2
        assert browser.evaluate("document.querySelectorAll('.jp-OutputArea .nf-chart canvas').length") == 2
        assert browser.evaluate("document.querySelectorAll('.jp-OutputArea .nf-chart [data-nf-error]').length") == 0
        x, y = browser.evaluate(POINT % {"name": "per_week", "start": "2025-02-10", "series": ""})
        browser.mouse("mouseMoved", x, y)
        browser.mouse("mousePressed", x, y)
        browser.mouse("mouseReleased", x, y)
        head = wait_for(browser, "document.querySelector('[data-nf-name=per_week] .nf-drill-head')?.textContent")
        assert head.startswith("week of 2025-02-10: 28 of 28 articles listed")  # 6-hourly from Monday 3 to 17
        outside = [url for url in browser.requested if not url.startswith(("file:", "data:", "about:", "blob:",
                                                                            f"http://127.0.0.1:{port}/", "ws:"))]
        assert not outside
    finally:
        if browser:
            browser.close()
        server.terminate()
        server.wait(timeout=30)


def wait_for_server(port: int, token: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2) as answer:
                if json.load(answer):
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"jupyter lab did not answer on port {port}")
