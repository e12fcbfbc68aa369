"""The corpus overview on the demo: it finds each defect planted in the demo corpus, and opens offline in Chromium."""

import html

import pytest
from newsframe import demo, reports
from newsframe.reports.config import read_config

from tests.reports.helpers import CORPUS, config_file, open_in_chromium


@pytest.fixture(scope="module")
def overview(demo_corpus, tmp_path_factory):
    folder = tmp_path_factory.mktemp("overview")
    path = config_file(folder, f"""
out: {folder / 'out'}
corpus: {demo_corpus}
jobs:
  - {{name: corpus, notebook: {CORPUS}, parameters: {{data_dir: {folder / 'out' / 'corpus_data'}}}}}
""")
    assert [o.status for o in reports.run(read_config(path))] == ["ok"]
    return folder / "out"


@pytest.mark.slow
def test_the_overview_finds_every_planted_defect(overview):
    page = html.unescape((overview / "corpus.html").read_text("utf-8"))
    first, _, rest = page.partition("Coverage by source")
    assert f"source(s) stopped before the corpus ends: {demo.STOPPED_SOURCE}" in first
    assert f"dated after the coverage ({demo.OUT_OF_RANGE_DATE:%Y-%m-%d}" in first
    assert "unparseable date" in rest and demo.BAD_DATE_FILE.split("/")[-1] in rest
    assert f"{demo.DUPLICATE_SOURCE.lower().replace(' ', '-')}" in rest  # the duplicate's file, by file pair
    stories = (overview / "corpus_data" / "stories.csv").read_text("utf-8").splitlines()
    assert stories[1].split(",")[1] == str(demo.WIRE_COPIES)  # the largest story: the wire story and its reprints
    lengths = (overview / "corpus_data" / "lengths.csv").read_text("utf-8")
    short = next(line for line in lengths.splitlines() if line.startswith(demo.SHORT_SOURCE))
    assert int(short.split(",")[-1]) >= len(demo.SHORT_DATES)


@pytest.mark.slow
def test_the_overview_charts_have_their_data_and_the_page_opens_offline(overview, chromium, tmp_path):
    written = {path.name for path in (overview / "corpus_data").iterdir()}
    assert {"coverage_by_source.svg", "coverage_by_source.png", "findings.csv", "sources.csv",
            "near_duplicate_pairs.csv", "rejects_by_file.csv"} <= written
    dom, requested = open_in_chromium(chromium, overview / "corpus.html", tmp_path)
    assert "data:image/png;base64," in dom and "First, to know" in dom
    assert not requested, f"the report asked the network for {requested[:5]}"
