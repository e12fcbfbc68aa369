"""Running the jobs of a reports file through real kernels: checks before any kernel starts, skipping what did not
change, failures that keep the last good report, the index, and article text that shows as text and runs nothing."""

import json
import re
import subprocess
import time

import pytest
from newsframe import cli, corpus, demo, ingest, reports
from newsframe.corpus import fingerprint
from newsframe.errors import ParameterError
from newsframe.reports import runner, state
from newsframe.reports.config import read_config

from tests.reports.helpers import TIMELINE, TOPICS, config_file, open_in_chromium


def test_every_job_is_checked_before_any_kernel_starts(tmp_path, demo_corpus, monkeypatch):
    monkeypatch.setattr(runner, "run", lambda *a, **k: pytest.fail("a kernel was started"))
    path = config_file(tmp_path, f"""
out: {tmp_path / 'out'}
corpus: {demo_corpus}
jobs:
  - {{name: good, notebook: {TIMELINE}}}
  - {{name: bad, notebook: {TIMELINE}, parameters: {{freq: 3, end: yesterday, colour: red}}}}
""")
    with pytest.raises(ParameterError, match=r"nothing was run[\s\S]*bad: unknown parameter 'colour'[\s\S]*"
                                             r"bad: end='yesterday' is not a date"):
        reports.run(read_config(path))
    assert not (tmp_path / "out" / "good.html").exists()


# Through real kernels from here on.


@pytest.fixture(scope="module")
def scheduled(demo_corpus, tmp_path_factory):
    folder = tmp_path_factory.mktemp("scheduled")
    path = config_file(folder, f"""
out: {folder / 'out'}
corpus: {demo_corpus}
jobs:
  - {{name: timeline, notebook: {TIMELINE}, parameters: {{freq: Q}}}}
  - {{name: topics, notebook: {TOPICS}, parameters: {{k: 5, data_dir: {folder / 'out' / 'topics_data'}}}}}
""")
    outcomes = reports.run(read_config(path))
    return folder, path, outcomes


@pytest.mark.slow
def test_first_run_writes_every_report_index_and_manifest(scheduled, demo_corpus):
    folder, _, outcomes = scheduled
    assert [o.status for o in outcomes] == ["ok", "ok"]
    index = (folder / "out" / "index.html").read_text("utf-8")
    assert 'href="timeline.html"' in index and 'href="topics.html"' in index and index.count(">ok<") == 2
    page = (folder / "out" / "timeline.html").read_text("utf-8")
    assert "About this run" in page and fingerprint.of_corpus_file(demo_corpus) in page
    assert f"<th>articles</th><td>{len(corpus.read(demo_corpus))}</td>" in page
    assert "scikit-learn" in page and "duration" in page


@pytest.mark.slow
def test_unchanged_rerun_skips_every_job_fast_without_a_kernel(scheduled, monkeypatch):
    folder, path, _ = scheduled
    monkeypatch.setattr(runner, "run", lambda *a, **k: pytest.fail("a kernel was started"))
    started = time.perf_counter()
    outcomes = reports.run(read_config(path))
    assert [o.status for o in outcomes] == ["skipped", "skipped"]
    assert time.perf_counter() - started < 1.0


@pytest.mark.slow
def test_a_failing_job_keeps_its_last_good_report_and_the_others_run(scheduled, capsys):
    folder, path, _ = scheduled
    before = (folder / "out" / "topics.html").read_bytes()
    broken = path.read_text("utf-8").replace("k: 5,", "k: 500,")  # more topics than words: fails in a cell
    path.write_text(broken, encoding="utf-8")
    status = cli.main(["report", "--config", str(path), "--force"])
    assert status == 1
    assert (folder / "out" / "topics.html").read_bytes() == before
    error = (folder / "out" / "topics.error.html").read_text("utf-8")
    assert re.search(r"cell \d+ failed with ParameterError", error) and "k=500" in error
    assert (folder / "out" / "executed" / "topics.failed.ipynb").exists()
    recorded = json.loads((folder / "out" / state.STATE_FILE).read_text("utf-8"))
    assert recorded["timeline"]["status"] == "ok" and recorded["topics"]["status"] == "failed"
    assert "what went wrong" in (folder / "out" / "index.html").read_text("utf-8")
    assert "1 written, 0 unchanged, 1 failed" in capsys.readouterr().out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Reports on a corpus whose titles, sources and words are markup."""
    folder = tmp_path_factory.mktemp("hostile")
    raw = folder / "raw"
    for i, article in enumerate(demo.generate(articles=120)):
        title = "<script>document.title='pwned'</script><img src=x onerror=\"document.body.dataset.pwned=1\">"
        source = "<b onmouseover=alert(1)>Evil</b>" if i % 2 else article.source
        body = article.text + " <img src=x onerror=alert(1)> <script>alert(2)</script>"
        (raw / f"{i:04d}.txt").parent.mkdir(parents=True, exist_ok=True)
        (raw / f"{i:04d}.txt").write_text(f"date {article.published:%Y-%m-%d} {title}\nsource {source}\n\n{body}\n",
                                          encoding="utf-8")
    corpus_path = folder / "corpus.parquet"
    ingest.ingest([raw], out=corpus_path)
    assert corpus.read(corpus_path)["title"].str.contains("<script>").all()
    path = config_file(folder, f"""
out: {folder / 'out'}
corpus: {corpus_path}
jobs:
  - {{name: timeline, notebook: {TIMELINE}, parameters: {{freq: Q, term_groups: {{summit: [summit, sommet]}},
      kwic_group: summit}}}}
  - {{name: topics, notebook: {TOPICS}, parameters: {{k: 3, bigrams: true}}}}
""")
    assert [o.status for o in reports.run(read_config(path))] == ["ok", "ok"]
    return folder / "out"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["timeline", "topics"])
def test_markup_in_articles_shows_as_text_and_runs_nothing(hostile, chromium, tmp_path, name):
    page = hostile / f"{name}.html"
    text = page.read_text("utf-8")
    assert "&lt;b onmouseover=alert(1)&gt;Evil&lt;/b&gt;" in text  # a source, shown as written
    if name == "topics":  # titles are shown with the representative articles
        assert "&lt;script&gt;document.title" in text
    assert "<script>document.title" not in text and "<img src=x" not in text and "<b onmouseover" not in text
    dom, requested = open_in_chromium(chromium, page, tmp_path)
    assert "data-pwned" not in dom and "<title>pwned" not in dom
    assert "data:image/png;base64," in dom
    assert not requested, f"the report asked the network for {requested[:5]}"


@pytest.mark.slow
def test_the_network_check_sees_a_page_that_loads_from_the_web(chromium, tmp_path):
    page = tmp_path / "leaky.html"
    page.write_text('<html><body><img src="http://example.invalid/x.png"></body></html>', encoding="utf-8")
    _, requested = open_in_chromium(chromium, page, tmp_path)
    assert requested == ["http://example.invalid/x.png"]


@pytest.mark.slow
def test_index_screenshot_for_a_human(scheduled, chromium, tmp_path):
    folder, _, _ = scheduled
    shot = tmp_path / "index.png"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'p'}",
                    f"--screenshot={shot}", "--window-size=1000,500", (folder / "out" / "index.html").as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert shot.stat().st_size > 5_000


def test_command_line_one_off_run_is_checked_too(capsys, tmp_path):
    assert cli.main(["report", "--notebook", str(TIMELINE), "--corpus", str(tmp_path / "none.parquet"),
                     "-p", "freq=W", "-p", "colour=red"]) == 1
    error = capsys.readouterr().err
    assert "unknown parameter 'colour'" in error and "corpus_path:" in error and "not found" in error
    assert cli.main(["report", "--config", str(tmp_path / "reports.yml"), "-p", "freq=W"]) == 1
    assert "go with --notebook" in capsys.readouterr().err


