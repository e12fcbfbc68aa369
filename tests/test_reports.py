"""Scheduled reports: reports files, checks before any kernel starts, skipping what did not change, failures that
keep the last good report, the lock, the index, escaping of article text, and the schedule itself."""

import json
import os
import re
import subprocess
import sys
import time

import pandas as pd
import pytest
from newsframe import cli, corpus, demo, ingest, reports, runner, schedule
from newsframe.errors import ParameterError, ReportError

from .conftest import ROOT, demo_corpus_in

TIMELINE = ROOT / "notebooks" / "timeline.ipynb"
TOPICS = ROOT / "notebooks" / "topics.ipynb"


def config_file(tmp_path, text):
    path = tmp_path / "reports.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def demo_corpus(tmp_path_factory):
    return demo_corpus_in(tmp_path_factory.mktemp("demo"), articles=300)


def test_reports_file_jobs_get_the_shared_corpus(tmp_path):
    path = config_file(tmp_path, f"""
out: {tmp_path / 'out'}
corpus: data/c.parquet
jobs:
  - name: rfi
    notebook: {TIMELINE}
    parameters: {{freq: M, sources: [RFI]}}
  - notebook: {TOPICS}
    parameters: {{corpus_path: other.parquet}}
""")
    config = reports.read_config(path)
    assert [job.name for job in config.jobs] == ["rfi", "topics"]
    assert config.jobs[0].parameters == {"corpus_path": "data/c.parquet", "freq": "M", "sources": ["RFI"]}
    assert config.jobs[1].parameters == {"corpus_path": "other.parquet"}


@pytest.mark.parametrize(("text", "message"), [
    ("jobs: []", "expected a `jobs:` list"),
    ("jobs:\n  - name: a\n", "expected `notebook:`"),
    (f"jobs:\n  - {{name: a, notebook: {TIMELINE}}}\n  - {{name: a, notebook: {TIMELINE}}}\n", "used twice"),
    (f"jobs:\n  - {{name: 'a b/c', notebook: {TIMELINE}}}\n", "letters, digits"),
    ("jobs: [unclosed", "not valid YAML"),
])
def test_bad_reports_files_are_refused_with_the_reason(tmp_path, text, message):
    with pytest.raises(ParameterError, match=message):
        reports.read_config(config_file(tmp_path, text))


def test_validate_checks_names_types_dates_and_files(tmp_path):
    job = reports.Job("t", TIMELINE, {"colour": "red", "smoothing": "four", "start": "2023-13-01",
                                       "terms_file": str(tmp_path / "missing.txt"), "freq": "W"})
    _, problems = reports.validate(job)
    text = "\n".join(problems)
    assert "unknown parameter 'colour'" in text
    assert "smoothing must be a whole number, got str 'four'" in text
    assert "start='2023-13-01' is not a date" in text
    assert "terms_file:" in text and "not found" in text
    assert len(problems) == 4  # freq is fine


def test_yaml_dates_and_numbers_reach_the_notebook_as_it_declares_them(tmp_path):
    import datetime

    values, problems = reports.validate(reports.Job("t", TOPICS, {"start": datetime.date(2023, 7, 27), "k": 12,
                                                                  "seed": 3}))
    assert problems == [] and values == {"start": "2023-07-27", "k": "12", "seed": 3}


def test_every_job_is_checked_before_any_kernel_starts(tmp_path, demo_corpus, monkeypatch):
    monkeypatch.setattr(runner, "run", lambda *a, **k: pytest.fail("a kernel was started"))
    path = config_file(tmp_path, f"""
out: {tmp_path / 'out'}
corpus: {demo_corpus}
jobs:
  - {{name: good, notebook: {TIMELINE}}}
  - {{name: bad, notebook: {TIMELINE}, parameters: {{freq: 3, end: yesterday}}}}
""")
    with pytest.raises(ParameterError, match=r"nothing was run[\s\S]*bad: end='yesterday' is not a date"):
        reports.run(reports.read_config(path))
    assert not (tmp_path / "out" / "good.html").exists()


def test_fingerprint_follows_content_not_files(tmp_path, demo_corpus):
    terms = tmp_path / "terms.txt"
    terms.write_text("Mali: Mali\n", encoding="utf-8")
    path = tmp_path / "corpus.parquet"
    articles = corpus.read(demo_corpus)
    corpus.write(articles, path)
    job = reports.Job("t", TIMELINE, {"corpus_path": str(path), "terms_file": str(terms)})
    key = reports.fingerprint(job, job.parameters)
    corpus.write(articles.sample(frac=1, random_state=1), path)  # the same articles re-ingested: another file
    assert reports.fingerprint(job, job.parameters) == key
    corpus.write(articles.iloc[1:], path)  # one article fewer
    assert reports.fingerprint(job, job.parameters) != key
    corpus.write(articles, path)
    terms.write_text("Mali: Mali, Bamako\n", encoding="utf-8")
    assert reports.fingerprint(job, job.parameters) != key
    terms.write_text("Mali: Mali\n", encoding="utf-8")
    assert reports.fingerprint(job, job.parameters) == key
    assert reports.fingerprint(job, {**job.parameters, "freq": "M"}) != key


def test_lock_refuses_a_second_run_and_takes_over_a_stale_one(tmp_path):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (tmp_path / reports.LOCK_FILE).write_text(f"{sleeper.pid}\n")
        with pytest.raises(ReportError, match=f"another newsframe run \\(process {sleeper.pid}\\)"):
            with reports.Lock(tmp_path):
                pass
    finally:
        sleeper.kill()
        sleeper.wait()
    with reports.Lock(tmp_path):  # the process that held it is gone: a stale lock
        assert (tmp_path / reports.LOCK_FILE).read_text().strip() == str(os.getpid())
    assert not (tmp_path / reports.LOCK_FILE).exists()


def test_crontab_line_and_systemd_timer(tmp_path):
    line = schedule.crontab_line(tmp_path, when="30 5 * * *", ingest="data/raw")
    assert line.startswith("30 5 * * * cd ")
    assert "newsframe ingest data/raw" in line and "report --config reports.yml" in line
    assert line.endswith(f"{schedule.MARKER} {tmp_path}")
    with pytest.raises(ParameterError, match="five fields"):
        schedule.crontab_line(tmp_path, when="daily")
    units = schedule.systemd_units(tmp_path, on_calendar="daily")
    assert "OnCalendar=daily" in units["newsframe-reports.timer"]
    assert "report --config reports.yml" in units["newsframe-reports.service"]


def test_schedule_command_prints_the_line(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["schedule", "--at", "0 7 * * 1-5"]) == 0
    assert capsys.readouterr().out.startswith("0 7 * * 1-5 cd ")


def test_error_page_and_index_escape_what_they_show(tmp_path):
    page = reports.error_page(reports.Job("t", TIMELINE), "cell 3 failed: <script>alert(1)</script>", when="now")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


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
    outcomes = reports.run(reports.read_config(path))
    return folder, path, outcomes


@pytest.mark.slow
def test_first_run_writes_every_report_index_and_manifest(scheduled, demo_corpus):
    folder, _, outcomes = scheduled
    assert [o.status for o in outcomes] == ["ok", "ok"]
    index = (folder / "out" / "index.html").read_text("utf-8")
    assert 'href="timeline.html"' in index and 'href="topics.html"' in index and index.count(">ok<") == 2
    page = (folder / "out" / "timeline.html").read_text("utf-8")
    assert "About this run" in page and reports.corpus_fingerprint(demo_corpus) in page
    assert f"<th>articles</th><td>{len(corpus.read(demo_corpus))}</td>" in page
    assert "scikit-learn" in page and "duration" in page


@pytest.mark.slow
def test_unchanged_rerun_skips_every_job_fast_without_a_kernel(scheduled, monkeypatch):
    folder, path, _ = scheduled
    monkeypatch.setattr(runner, "run", lambda *a, **k: pytest.fail("a kernel was started"))
    started = time.perf_counter()
    outcomes = reports.run(reports.read_config(path))
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
    state = json.loads((folder / "out" / reports.STATE_FILE).read_text("utf-8"))
    assert state["timeline"]["status"] == "ok" and state["topics"]["status"] == "failed"
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
    assert [o.status for o in reports.run(reports.read_config(path))] == ["ok", "ok"]
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


def open_in_chromium(chromium, page, tmp_path):
    """Return the page's DOM after its scripts ran, and the http(s) URLs the page itself asked for (Chromium's own
    update and account requests, which have no initiating page, are not the report's)."""
    netlog = tmp_path / "net.json"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", f"--log-net-log={netlog}", "--virtual-time-budget=3000"]
    dom = subprocess.run([chromium, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    text = netlog.read_text("utf-8", errors="replace").rstrip()
    log = json.loads(text if text.endswith("}") else text.rstrip(",") + "]}")  # a log cut short lacks its end
    names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    requested = [event["params"]["url"] for event in log["events"]
                 if names.get(event["type"]) == "URL_REQUEST_START_JOB"
                 and event["params"].get("url", "").startswith(("http:", "https:"))
                 and event["params"].get("initiator") != "not an origin"]
    return dom, requested


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


def test_reports_yml_of_the_main_job_is_valid():
    config = reports.read_config(ROOT / "reports.yml")
    assert {job.name for job in config.jobs} == {"timeline", "topics"}
    for job in config.jobs:
        declared = runner.notebook_parameters(ROOT / job.notebook)
        assert set(job.parameters) <= set(declared), job.name
    assert pd.Series([j.parameters["corpus_path"] for j in config.jobs]).eq("data/processed/demo.parquet").all()


def test_command_line_one_off_run_is_checked_too(capsys, tmp_path):
    assert cli.main(["report", "--notebook", str(TIMELINE), "--corpus", str(tmp_path / "none.parquet"),
                     "-p", "freq=W", "-p", "colour=red"]) == 1
    error = capsys.readouterr().err
    assert "unknown parameter 'colour'" in error and "corpus_path:" in error and "not found" in error
    assert cli.main(["report", "--config", str(tmp_path / "reports.yml"), "-p", "freq=W"]) == 1
    assert "go with --notebook" in capsys.readouterr().err


def test_manifest_and_ingest_summary_give_the_corpus_one_fingerprint(demo_corpus):
    summary = json.loads(corpus.summary_path(demo_corpus).read_text("utf-8"))
    assert reports.corpus_fingerprint(demo_corpus) == summary["corpus_fingerprint"]
