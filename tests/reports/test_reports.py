"""Running the jobs of a reports file through real kernels: checks before any kernel starts, skipping what did not
change, failures that keep the last good report, the index, and article text that shows as text and runs nothing."""

import json
import re
import subprocess
import time

import pytest
from newsframe import cli, corpus, demo, ingest, reports
from newsframe.corpus import fingerprint
from newsframe.errors import ParameterError, ReportError
from newsframe.reports import runner, state
from newsframe.reports.config import read_config

from tests.reports.helpers import CORPUS, TIMELINE, TOPICS, config_file, open_in_chromium


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
    broken = path.read_text("utf-8").replace("k: 5,", "k: 5, method: bogus,")  # no rule checks it: fails in a cell
    path.write_text(broken, encoding="utf-8")
    status = cli.main(["report", "--config", str(path), "--force"])
    assert status == 1
    assert (folder / "out" / "topics.html").read_bytes() == before
    error = (folder / "out" / "topics.error.html").read_text("utf-8")
    assert re.search(r"cell \d+ failed with ParameterError", error) and "method=&#x27;bogus&#x27;" in error
    assert (folder / "out" / "executed" / "topics.failed.ipynb").exists()
    recorded = json.loads((folder / "out" / state.STATE_FILE).read_text("utf-8"))
    assert recorded["timeline"]["status"] == "ok" and recorded["topics"]["status"] == "failed"
    assert "what went wrong" in (folder / "out" / "index.html").read_text("utf-8")
    assert "1 written, 0 unchanged, 1 failed" in capsys.readouterr().out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Reports on a corpus whose titles, sources and words are markup, formulas for matplotlib and spreadsheets."""
    folder = tmp_path_factory.mktemp("hostile")
    raw = folder / "raw"
    for i, article in enumerate(demo.generate(articles=120)):
        title = "<script>document.title='pwned'</script><img src=x onerror=\"document.body.dataset.pwned=1\">"
        title = '=HYPERLINK("http://evil.invalid","click")' if i % 5 == 0 else title
        source = "<b onmouseover=alert(1)>Evil</b>" if i % 2 else "$\\undefinedmacro$" if i % 3 == 0 else article.source
        body = article.text + " <img src=x onerror=alert(1)> <script>alert(2)</script> summit $5 and $6"
        (raw / f"{i:04d}.txt").parent.mkdir(parents=True, exist_ok=True)
        (raw / f"{i:04d}.txt").write_text(f"date {article.published:%Y-%m-%d} {title}\nsource {source}\n\n{body}\n",
                                          encoding="utf-8")
    corpus_path = folder / "corpus.parquet"
    ingest.ingest([raw], out=corpus_path)
    assert corpus.read(corpus_path)["title"].str.contains("<script>|=HYPERLINK").all()
    events = folder / "events.csv"
    events.write_text('date,label\n2023-07-27,"$5 and $6"\n2023-01-01,"$\\undefinedmacro$"\n', encoding="utf-8")
    path = config_file(folder, f"""
out: {folder / 'out'}
corpus: {corpus_path}
jobs:
  - {{name: timeline, notebook: {TIMELINE}, parameters: {{freq: Q, term_groups: {{summit: [summit, sommet]}},
      kwic_group: summit, events_file: {events}, data_dir: {folder / 'out' / 'timeline_data'}}}}}
  - {{name: topics, notebook: {TOPICS}, parameters: {{k: 3, bigrams: true, events_file: {events}}}}}
  - {{name: corpus, notebook: {CORPUS}, parameters: {{data_dir: {folder / 'out' / 'corpus_data'}}}}}
""")
    assert [o.status for o in reports.run(read_config(path))] == ["ok", "ok", "ok"]
    return folder / "out"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["timeline", "topics", "corpus"])
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




@pytest.mark.slow
def test_formulas_in_the_data_neither_break_the_charts_nor_run_in_a_spreadsheet(hostile):
    # The reports of `hostile` rendered although sources and event labels hold `$…$`: drawn literally, not as math.
    kwic = (hostile / "timeline_data" / "kwic.csv").read_text("utf-8")
    assert "'=HYPERLINK(" in kwic and ',=HYPERLINK(' not in kwic and '"=HYPERLINK(' not in kwic


def tiny_notebook(path, *cells):
    """Write a notebook with a `parameters` cell and the given code cells."""
    import nbformat

    notebook = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell('corpus_path: str = ""  # the corpus')
    parameters.metadata["tags"] = ["parameters"]
    notebook.cells = [parameters, *(nbformat.v4.new_code_cell(code) for code in cells)]
    notebook.metadata["kernelspec"] = {"name": "newsframe", "display_name": "Python (newsframe)", "language": "python"}
    nbformat.write(notebook, path)
    return path


@pytest.mark.slow
def test_any_job_failure_gets_an_error_page_and_the_other_jobs_run(tmp_path, demo_corpus, capsys):
    fine = tiny_notebook(tmp_path / "fine.ipynb", "print('fine')")
    dies = tiny_notebook(tmp_path / "dies.ipynb", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(demo_corpus.read_bytes()[:5000])  # a Parquet file cut short
    path = config_file(tmp_path, f"""
out: {tmp_path / 'out'}
corpus: {demo_corpus}
jobs:
  - {{name: dies, notebook: {dies}}}
  - {{name: unreadable, notebook: {fine}, parameters: {{corpus_path: {broken}}}}}
  - {{name: fine, notebook: {fine}}}
""")
    assert cli.main(["report", "--config", str(path)]) == 1
    out = tmp_path / "out"
    died = (out / "dies.error.html").read_text("utf-8")
    assert "kernel died" in died and "killed, or out of memory" in died
    assert (out / "unreadable.error.html").exists() and (out / "fine.html").exists()
    recorded = json.loads((out / state.STATE_FILE).read_text("utf-8"))
    assert [recorded[n]["status"] for n in ("dies", "unreadable", "fine")] == ["failed", "failed", "ok"]
    index = (out / "index.html").read_text("utf-8")
    assert index.count("what went wrong") == 2 and "1 written, 0 unchanged, 2 failed" in capsys.readouterr().out


@pytest.mark.slow
def test_a_missing_kernel_says_how_to_install_it(tmp_path):
    fine = tiny_notebook(tmp_path / "fine.ipynb", "print('fine')")
    with pytest.raises(ReportError, match="kernel 'no-such-kernel' is not installed.*ipykernel install"):
        runner.run(fine, parameters={}, out_dir=tmp_path / "out", kernel="no-such-kernel")


def test_state_is_saved_after_each_job_even_when_a_later_one_breaks_the_run(tmp_path, monkeypatch):
    fine = tiny_notebook(tmp_path / "fine.ipynb", "print('fine')")
    path = config_file(tmp_path, f"out: {tmp_path / 'out'}\njobs:\n  - {{name: a, notebook: {fine}}}\n"
                                 f"  - {{name: b, notebook: {fine}}}\n")
    calls = []

    def run(*args, name, **kwargs):
        calls.append(name)
        if name == "b":
            raise KeyboardInterrupt  # not a failure of the job: the run itself stops
        (tmp_path / "out" / f"{name}.html").write_text("ok")

    monkeypatch.setattr(runner, "run", run)
    with pytest.raises(KeyboardInterrupt):
        reports.run(read_config(path))
    recorded = json.loads((tmp_path / "out" / state.STATE_FILE).read_text("utf-8"))
    assert recorded["a"]["status"] == "ok" and "b" not in recorded
    assert (tmp_path / "out" / "index.html").exists()


@pytest.mark.parametrize(("options", "message"), [
    (["-p", 'sources=[("a" + str(__import__("os").system("touch X")) + "b",)]'], "not in the corpus"),
    (["-p", 'sources=[("a", "b")]'], "a tuple cannot be given to a notebook"),
    (["-p", "term_groups={'g': {'a', 'b'}}"], "a set cannot be given to a notebook"),
    (["--name", "../../escaped"], "must be letters, digits"),
    (["-p", "freq=XYZ"], "freq='XYZ' is not a period newsframe knows"),
    (["-p", "start=2024-06-01", "-p", "end=2024-01-01"], "end=2024-01-01 is before start=2024-06-01"),
    (["-p", "terms_file=BINARY"], "is not a text file"),
])
def test_hostile_or_wrong_parameters_are_refused_before_any_kernel(tmp_path, demo_corpus, monkeypatch, capsys,
                                                                   options, message):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(runner, "run", lambda *a, **k: pytest.fail("a kernel was started"))
    (tmp_path / "BINARY").write_bytes(b"\x00\x01\xff" * 100)
    status = cli.main(["report", "--notebook", str(TIMELINE), "--corpus", str(demo_corpus), *options])
    assert status == 1 and message in capsys.readouterr().err
    assert not (tmp_path / "X").exists() and not (tmp_path.parent / "escaped.html").exists()


@pytest.mark.slow
def test_the_index_lists_every_report_of_the_folder_with_its_corpus(scheduled, demo_corpus, capsys):
    folder, _, _ = scheduled
    assert cli.main(["report", "--notebook", str(TIMELINE), "--corpus", str(demo_corpus), "--name", "one-off",
                     "--out", str(folder / "out"), "-p", "freq=M"]) == 0
    index = (folder / "out" / "index.html").read_text("utf-8")
    assert 'href="one-off.html"' in index and 'href="timeline.html"' in index and 'href="topics.html"' in index
    assert "command line" in index and f"{len(corpus.read(demo_corpus)):,} articles, 2022-01-0" in index


@pytest.mark.slow
def test_run_all_in_jupyterlab_works_from_the_notebooks_folder_with_the_defaults(tmp_path):
    """As `make lab` then "Run all": the kernel runs in notebooks/, parameters as the notebook has them."""
    import shutil

    import papermill

    from tests.conftest import ROOT, demo_corpus_in

    project = tmp_path / "project"
    shutil.copytree(ROOT / "notebooks", project / "notebooks")
    (project / "reports.yml").write_text("jobs: []\n", encoding="utf-8")
    (project / "data" / "processed").mkdir(parents=True)
    built = demo_corpus_in(tmp_path / "demo", articles=120)
    for written in built.parent.glob(f"{built.stem}.*"):  # the corpus and what ingest wrote beside it
        written.replace(project / "data" / "processed" / written.name.replace(built.stem, "demo", 1))
    for name in ("timeline", "topics", "corpus"):
        papermill.execute_notebook(str(project / "notebooks" / f"{name}.ipynb"), str(tmp_path / f"{name}.ipynb"),
                                   kernel_name="newsframe", cwd=str(project / "notebooks"), progress_bar=False,
                                   parameters={"k": "4"} if name == "topics" else {})


@pytest.fixture(scope="module")
def many_sources(tmp_path_factory):
    """A report on 40 feeds of a few outlets: what a collection of RSS feeds looks like."""
    folder = tmp_path_factory.mktemp("many")
    raw = folder / "raw"
    raw.mkdir()
    for i, article in enumerate(demo.generate(articles=400)):
        source = f"Flux RSS - {article.source} - rubrique numéro {i % 10}"
        (raw / f"{i:04d}.txt").write_text(f"date {article.published:%Y-%m-%d} {article.title}\nsource {source}\n\n"
                                          f"{article.text}\n", encoding="utf-8")
    ingest.ingest([raw], out=folder / "corpus.parquet")
    path = config_file(folder, f"""
out: {folder / 'out'}
corpus: {folder / 'corpus.parquet'}
jobs:
  - {{name: timeline, notebook: {TIMELINE}, parameters: {{freq: M, term_groups: {{summit: [summit, sommet]}}}}}}
""")
    assert [o.status for o in reports.run(read_config(path))] == ["ok"]
    return folder / "out" / "timeline.html"


@pytest.mark.slow
def test_a_many_source_report_stays_readable_in_chromium(many_sources, chromium, tmp_path):
    dom, requested = open_in_chromium(chromium, many_sources, tmp_path)
    assert not requested
    markup = re.sub(r"<script\b.*?</script>", "", dom, flags=re.S)  # the chart library's code quotes an <img …>
    images = re.findall(r"<img[^>]*>", markup)
    assert images and all('alt="' in image and "No description" not in image for image in images)
    assert "other (32 sources)" in dom  # the legend's 9th line, named in the chart's alt text
    assert 'data-mime-type="application/vnd.jupyter.stderr"' not in dom  # no Python warning shown to readers
    assert "newsframe sources CORPUS --suggest-map" in dom  # advice to name outlets
