"""The timeline notebook through the real runner (papermill on the project kernel, nbconvert HTML), then Chromium."""

import json
import re
import subprocess

import nbformat
import pytest
from newsframe import demo
from newsframe.errors import ReportError
from newsframe.reports import runner

from tests.conftest import ROOT, demo_corpus_in

TIMELINE = ROOT / "notebooks" / "timeline.ipynb"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_corpus(tmp_path_factory):
    return demo_corpus_in(tmp_path_factory.mktemp("demo"), articles=200)


@pytest.fixture(scope="module")
def report(demo_corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    return runner.run(TIMELINE, parameters={"corpus_path": str(demo_corpus), "freq": "Q"}, out_dir=out)


def test_report_is_self_contained_html_with_code_hidden(report):
    html = report.html.read_text("utf-8")
    assert "<img" in html and "data:image/png;base64," in html
    assert not re.search(r"""(src|href)=["']https?://""", html), "the report must not load anything from the web"
    assert "timeline.count(" not in html, "code cells must be hidden"
    assert "Articles per period" in html


def test_executed_notebook_is_kept_beside_the_report_and_template_untouched(report):
    executed = nbformat.read(report.notebook, as_version=4)
    assert any(c.get("outputs") for c in executed.cells if c.cell_type == "code")
    template = nbformat.read(TIMELINE, as_version=4)
    assert not any(c.get("outputs") for c in template.cells if c.cell_type == "code")


def test_failed_run_keeps_the_previous_report(report, tmp_path):
    out = report.html.parent
    before = report.html.read_bytes()
    with pytest.raises(ReportError, match="failed"):
        runner.run(TIMELINE, parameters={"corpus_path": str(tmp_path / "missing.parquet")}, out_dir=out)
    assert report.html.read_bytes() == before
    assert (out / "executed" / "timeline.failed.ipynb").exists()


def test_report_renders_in_chromium_without_network(report, chromium, tmp_path):
    shot = tmp_path / "timeline.png"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([chromium, *flags, "--dump-dom", report.html.as_uri()], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert "Coverage over time" in dom and "data:image/png;base64," in dom
    subprocess.run([chromium, *flags, f"--screenshot={shot}", "--window-size=1200,1600", report.html.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert shot.stat().st_size > 20_000  # a blank page is a few kB; charts and tables make it larger


def test_notebooks_are_thin_and_committed_clean():
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        notebook = json.loads(path.read_text("utf-8"))
        code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        assert "parameters" in code[0]["metadata"].get("tags", []), f"{path.name}: first code cell is parameters"
        for cell in code:
            source = "".join(cell["source"])
            assert not cell.get("outputs") and cell.get("execution_count") is None, f"{path.name} has outputs"
            assert not re.search(r"^\s*(def|class) ", source, re.M), f"{path.name}: logic belongs in lib/newsframe"
            assert "sys.path" not in source and "os.chdir" not in source


TOPICS = ROOT / "notebooks" / "topics.ipynb"


@pytest.fixture(scope="module")
def topics_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("topics")
    corpus_path = demo_corpus_in(folder, articles=800)
    parameters = {"corpus_path": str(corpus_path), "k": "6-11", "freq": "Q",
                  "data_dir": str(folder / "data"), "events_file": str(folder / "raw" / "_events.csv")}
    first = runner.run(TOPICS, parameters=parameters, out_dir=folder / "reports", name="topics")
    return folder, parameters, first


def test_topics_report_shows_the_planted_themes_as_separate_topics(topics_report):
    import pandas as pd
    from newsframe import corpus

    folder, _, report = topics_report
    html = report.html.read_text("utf-8")
    assert "Choosing the number of topics" in html and "data:image/png;base64," in html
    assert not re.search(r"""(src|href)=["']https?://""", html)
    articles = corpus.read(folder / "corpus.parquet")
    planted = pd.DataFrame([{"published": pd.Timestamp(a.published, tz="UTC"), "source": a.source, "title": a.title,
                             "theme": a.theme} for a in demo.generate(articles=800)]).drop_duplicates(
        ["published", "source", "title"])
    themes = articles.merge(planted, on=["published", "source", "title"])[["article_id", "theme"]]
    main = pd.read_csv(folder / "data" / "dominant_topic.csv").merge(themes, on="article_id")
    assert len(main) == len(themes) > 700
    purity = main.groupby("topic")["theme"].agg(lambda t: t.value_counts(normalize=True).iloc[0])
    assert (purity >= 0.9).all(), purity
    assert set(main.groupby("topic")["theme"].agg(lambda t: t.value_counts().index[0])) == set(demo.THEMES)
    assert (folder / "data" / "topic_weights.parquet").exists()


def test_topics_report_run_again_keeps_topic_numbers(topics_report):
    import pandas as pd

    folder, parameters, _ = topics_report
    before = pd.read_csv(folder / "data" / "topic_terms.csv")
    runner.run(TOPICS, parameters={**parameters, "seed": 3}, out_dir=folder / "reports", name="topics")
    changes = pd.read_csv(folder / "data" / "topic_changes.csv")
    after = pd.read_csv(folder / "data" / "topic_terms.csv")
    assert changes["status"].eq("kept").sum() >= 8
    kept = changes[changes["status"] == "kept"]
    assert (kept["topic"] == kept["previous_topic"]).mean() >= 0.75 or len(kept) == len(changes)
    top = {t: set(g.nsmallest(5, "rank")["term"]) for t, g in before.groupby("topic")}
    again = {t: set(g.nsmallest(5, "rank")["term"]) for t, g in after.groupby("topic")}
    assert all(len(top[t] & again[t]) >= 3 for t in kept["topic"] if t in top)
