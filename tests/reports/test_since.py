"""What changed since the last report: the comparison of two runs' facts (pure, on inline facts), the facts a run
records (corpus, notebook), the box that opens a report and the index line, then through real kernels: a first
run, a skipped run, articles added, a failed run."""

import copy
import json

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from newsframe import corpus, demo, ingest, reports
from newsframe.analysis import timeline, topics, vectors
from newsframe.reports import history, pages, runner, since, state
from newsframe.reports.config import read_config

from tests.analysis.frames import topic_articles
from tests.conftest import demo_corpus_in
from tests.reports.helpers import TIMELINE, config_file


def facts(sources=None, *, rejects=None, last="2024-12-31", spikes=None, topics_=None, parameters=None, **lists):
    sources = sources or {"RFI": 50, "Le Monde": 40}
    notebook = {**({"spikes": spikes} if spikes is not None else {}), **({"topics": topics_} if topics_ else {}),
                **lists}
    return {"corpus": {"articles": sum(sources.values()), "sources": sources, "rejects": rejects,
                       "last_published": last},
            "notebook": notebook, "parameters": parameters or {"freq": "a1"}}


def shares(matched=True, **by_number):
    return {"matched": matched, "labels": {str(n[1:]): f"label {n[1:]}" for n in by_number},
            "shares": {str(n[1:]): share for n, share in by_number.items()}}


# The comparison, on inline facts.


@pytest.mark.parametrize("before", [None, {}])
def test_a_first_run_says_so(before):
    change = since.compare(before, facts())
    assert change == {"first_run": True}
    assert since.lines(change) == ["first run: nothing to compare with"]
    assert since.summary(change) == "first run: nothing to compare with"
    assert pages.since_html(change) == ('<div class="newsframe-since" role="note"><p><strong>Since the last report:'
                                        '</strong> first run: nothing to compare with</p></div>')


@pytest.mark.parametrize(("before", "after", "said"), [
    (facts({"RFI": 50, "Le Monde": 40}), facts({"RFI": 60, "Le Monde": 45, "Nouveau": 1}),
     "16 new articles (106 in all, duplicates aside): RFI 10, Le Monde 5, Nouveau 1"),
    (facts({"RFI": 5}), facts({f"S{i}": 1 for i in range(8)} | {"RFI": 5}),
     "8 new articles (13 in all, duplicates aside): S0 1, S1 1, S2 1, S3 1, S4 1, and 3 from 3 other sources"),
    (facts({"RFI": 50, "Le Monde": 40}), facts({"RFI": 50, "Le Monde": 40}),
     "no new article (90 in all, duplicates aside)"),
    (facts({"RFI": 50, "Le Monde": 40}), facts({"RFI": 50, "Le Monde": 30}), "10 articles fewer: Le Monde 10"),
    (facts(last="2024-12-31"), facts(last="2025-01-07"), "latest article 2025-01-07 (was 2024-12-31)"),
    (facts(spikes=["2023-Q3"]), facts(spikes=["2023-Q3", "2025-Q1", "2025-Q1 (Russie)"]),
     "2 new spikes: 2025-Q1; 2025-Q1 (Russie)"),
    (facts(spikes=["2023-Q3"]), facts(spikes=["2023-Q3"]), "no new spike"),
    (facts(rejects={"empty text": 2}), facts(rejects={"empty text": 5, "missing date": 1}),
     "4 new rejects: empty text 3, missing date 1"),
    (facts(rejects={"empty text": 2}), facts(rejects={"empty text": 2}), "no new reject"),
    (facts(topics_=shares(t1=0.5, t2=0.3, t3=0.2)), facts(topics_=shares(t1=0.45, t2=0.31, t4=0.24)),
     'new topics: 4 "label 4" (24.0 %)'),
    (facts(topics_=shares(t1=0.5, t2=0.3, t3=0.2)), facts(topics_=shares(t1=0.45, t2=0.31, t4=0.24)),
     'topics gone: 3 "label 3" (was 20.0 %)'),
    (facts(topics_=shares(t1=0.5, t2=0.3, t3=0.2)), facts(topics_=shares(t1=0.45, t2=0.31, t4=0.24)),
     'topics moving in share (2 points or more): 1 "label 1" 50.0 % → 45.0 %'),
    (facts(topics_=shares(t1=0.5, t2=0.5)), facts(topics_=shares(t1=0.49, t2=0.51)),
     "topics: none new, none gone, none moving by 2 points or more"),
    (facts(topics_=shares(t1=0.5, t2=0.5)), facts(topics_=shares(False, t1=0.1, t2=0.9)),
     "topics not compared: this run's topics were not matched to the previous run's (give the report the same "
     "data_dir every time to keep topic numbers)"),
    (facts(warnings=["a feed stopped"]), facts(warnings=["a feed stopped", "a month is missing"]),
     "new warnings: a month is missing"),
    (facts(parameters={"freq": "a1", "k": "b1"}), facts(parameters={"freq": "a2", "k": "b1", "new": "c1"}),
     "parameters changed since: freq (what the report finds may differ for that reason too)"),
])
def test_what_changed_is_said_in_a_line_of_the_box(before, after, said):
    assert said in since.lines(since.compare(before, after, when="2026-11-30 06:12:00 UTC"))


@pytest.mark.parametrize(("before", "after"), [
    (facts(rejects=None), facts(rejects={"empty text": 2})),  # a corpus written without an ingest summary
    (facts(), facts(spikes=["2025-Q1"])),  # the notebook did not record spikes then
    ({"corpus": None, "notebook": {}, "parameters": {}}, facts()),  # a notebook without a corpus
])
def test_what_only_one_run_recorded_is_not_compared(before, after):
    said = " ".join(since.lines(since.compare(before, after)))
    assert "reject" not in said and "spike" not in said
    assert since.compare(facts(rejects={}), facts(rejects={})).keys() == {"first_run", "when", "articles", "rejects"}


def test_the_comparison_is_pure_and_small_whatever_the_corpus():
    before = facts({f"old {i}": 3 for i in range(1000)}, spikes=[f"day {i}" for i in range(10)])
    after = facts({f"new {i}": 2 for i in range(1000)}, spikes=[f"day {i}" for i in range(400)])
    kept = copy.deepcopy((before, after))
    change = since.compare(before, after)
    assert (before, after) == kept
    assert change["articles"]["new"] == 2000 and change["articles"]["sources"] == 1000
    assert len(change["articles"]["by_source"]) == len(change["articles"]["fewer_by_source"]) == since.KEPT
    assert change["spikes"] == {"count": 390, "items": [f"day {i}" for i in range(390, 400)]}  # the latest
    assert len(json.dumps(change)) < 2000


def test_the_index_line_names_the_new_articles_by_source_and_counts_the_rest():
    before = facts({"RFI": 50, "Le Monde": 40}, rejects={}, spikes=[], topics_=shares(t1=0.5, t2=0.5))
    after = facts({"RFI": 60, "Le Monde": 45, "A": 2, "B": 1}, rejects={"empty text": 1}, spikes=["2025-Q1"],
                  topics_=shares(t1=0.4, t2=0.4, t3=0.2), parameters={"freq": "a2"})
    assert since.summary(since.compare(before, after, when="2026-11-30 06:12:00 UTC")) == (
        "Since the last report (2026-11-30 06:12:00 UTC): 18 new articles (108 in all, duplicates aside): RFI 10, "
        "Le Monde 5, A 2, and 1 from 1 other source; 1 new spike; topics: 1 new, 2 moving; 1 new reject; parameters "
        "changed: freq")
    assert since.summary(since.compare(before, before, when="then")).endswith(
        "no new article (90 in all, duplicates aside); no new spike; topics steady; no new reject")


def test_the_box_and_the_index_show_names_as_text(tmp_path):
    change = since.compare(facts({"RFI": 1}), facts({"RFI": 1, "<script>alert(1)</script>": 2}), when="<b>then</b>")
    box = pages.since_html(change)
    assert "<script>" not in box and "&lt;script&gt;alert(1)&lt;/script&gt; 2" in box and "&lt;b&gt;then" in box
    assert box.startswith('<div class="newsframe-since" role="note"><p><strong>Since the last report (')
    assert pages.since_html(None) == ""
    pages.write_index(tmp_path, {"t": {"status": "ok", "html": "t.html", "since": change}, "u": {"status": "ok"}})
    index = (tmp_path / "index.html").read_text("utf-8")
    assert index.count("<tr class='since'>") == 1 and "<script>alert" not in index
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 2" in index


# The facts a run records.


def test_a_notebooks_facts_are_taken_out_before_rendering(recwarn):
    notebook = new_notebook(cells=[
        new_markdown_cell("# A report"),
        new_code_cell("history.facts(spikes=['2025-Q1'])", outputs=[
            new_output("display_data", data={since.FACTS_MIME: {"spikes": ["2025-Q1"], "n": 1}}),
            new_output("stream", name="stdout", text="kept\n")]),
        new_code_cell("history.facts(n=2)", outputs=[new_output("display_data", data={since.FACTS_MIME: {"n": 2}})]),
    ])
    before = copy.deepcopy(notebook)
    found, shown = runner.split_facts(notebook)
    assert found == {"spikes": ["2025-Q1"], "n": 2}
    assert notebook == before
    assert [len(cell.get("outputs", [])) for cell in shown.cells] == [0, 1, 0]
    nbformat.validate(shown)
    html = runner.render_html(shown)
    assert "kept" in html and "2025-Q1" not in html and "newsframe.facts" not in html
    assert not [w for w in recwarn if "not able to be represented" in str(w.message)]


def test_history_facts_displays_a_bundle_only_the_runner_reads(monkeypatch):
    import numpy as np
    from IPython import display

    shown = []
    monkeypatch.setattr(display, "display", lambda *objects, **options: shown.append((objects, options)))
    assert history.facts(spikes=[f"day {i}" for i in range(600)], top=np.int64(3), share=np.float64(0.5)) is None
    [((bundle,), options)] = shown
    assert options == {"raw": True} and set(bundle) == {since.FACTS_MIME, "text/plain"}
    assert bundle["text/plain"] == ("Kept for the next run's comparison (not shown in the report): "
                                    "spikes (500), top, share")
    sent = bundle[since.FACTS_MIME]
    assert sent["top"] == 3 and sent["share"] == 0.5 and len(sent["spikes"]) == history.FACTS_LIMIT
    assert sent["spikes"][-1] == "day 599"


def test_spikes_are_period_labels_oldest_first():
    counts = pd.DataFrame({"period_start": pd.to_datetime(["2023-07-24", "2023-07-17", "2023-07-31"]),
                           "group": ["Russie", "Mali", "Russie"], "is_spike": [True, True, False]})
    assert history.spikes(counts, freq="W") == ["week of 2023-07-17", "week of 2023-07-24"]
    assert history.spikes(counts, freq="week", by="group") == ["week of 2023-07-17 (Mali)",
                                                               "week of 2023-07-24 (Russie)"]
    marked = timeline.mark_spikes(pd.DataFrame({"period_start": pd.date_range("2023-01-01", periods=12, freq="QS"),
                                                "articles": [10] * 11 + [60]}), column="articles")
    assert history.spikes(marked, freq="Q") == ["2025-Q4"]
    assert history.spikes(pd.DataFrame({"period_start": []}), freq="Q") == []


def test_topic_facts_say_each_topics_share_and_whether_numbers_were_kept(tmp_path):
    texts = ["le blé et les céréales du port", "la centrale nucléaire et l'uranium", "le sommet et les délégations",
             "les engrais et le blé", "l'uranium de la mine", "la déclaration finale du sommet"] * 5
    model = topics.fit(vectors.vectorise(topic_articles(*texts), min_articles=2), k=3, seed=0)
    first, changes = history.keep_topic_numbers(model, data_dir=tmp_path)
    found = history.topic_facts(first, topics.labels(first), changes)
    assert found["matched"] is False and set(found["shares"]) == set(found["labels"]) == {1, 2, 3}
    assert sum(found["shares"].values()) == pytest.approx(1, abs=1e-3)
    table = topics.table(first)
    assert found["shares"][int(table["topic"][0])] == pytest.approx(table["share"][0], abs=1e-4)
    history.save_topic_terms(first, topics.labels(first), data_dir=tmp_path)
    again, changes = history.keep_topic_numbers(model, data_dir=tmp_path)
    assert history.topic_facts(again, topics.labels(again), changes)["matched"] is True


@pytest.fixture
def small_corpus(write, tmp_path):
    """Ingest CSV files written under raw/ into corpus.parquet; return a function doing it again."""

    def _ingest(**files):
        for name, text in files.items():
            write(f"raw/{name}.csv", "title,date,text,source\n" + text)
        return ingest.ingest([tmp_path / "raw"], out=tmp_path / "corpus.parquet").summary()

    return _ingest


def test_corpus_facts_count_articles_by_source_without_duplicates(small_corpus, tmp_path):
    small_corpus(a="A,2025-01-01,Un texte.,RFI\nB,2025-01-02,Un texte.,RFI\nC,2025-01-03,Deux.,Le Monde\n"
                   "D,,Sans date.,RFI\nE,2025-01-05,Trois.,RFI\n")
    found = since.corpus_facts(tmp_path / "corpus.parquet")
    assert found == {"articles": 3, "sources": {"RFI": 2, "Le Monde": 1}, "rejects": {"missing date": 1},
                     "last_published": "2025-01-05"}
    assert since.corpus_facts(tmp_path / "none.parquet") is None
    corpus.write(corpus.read(tmp_path / "corpus.parquet"), tmp_path / "bare.parquet")  # no ingest summary
    assert since.corpus_facts(tmp_path / "bare.parquet")["rejects"] is None
    collected = since.collect({"corpus_path": str(tmp_path / "corpus.parquet"), "freq": "W"}, {"spikes": []})
    assert collected["corpus"] == found and collected["notebook"] == {"spikes": []}
    assert set(collected["parameters"]) == {"corpus_path", "freq"}
    assert since.digests({"freq": "W"}) == since.digests({"freq": "W"}) != since.digests({"freq": "M"})


# Through real kernels: a tiny notebook that records what it is given as spikes, and can be made to fail.

TINY = [
    ('corpus_path: str = ""  # the corpus\nspikes: list = []  # recorded as spikes\n'
     'fail: bool = False  # fail in a cell', ["parameters"]),
    ("from newsframe import corpus, history", []),
    ("articles = corpus.read(corpus_path)", []),
    ("assert not fail, 'asked to fail'", []),
    ("len(articles)", []),
    ("history.facts(spikes=spikes)", []),
]


def tiny_notebook(path):
    cells = [new_code_cell(source, metadata={"tags": tags}) for source, tags in TINY]
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": {"name": "newsframe", "language": "python",
                                                                      "display_name": "newsframe"}}), path)
    return path


def box(page):
    text = page.read_text("utf-8")
    start = text.index('<div class="newsframe-since"')
    return text[start:text.index("</div>", start)]


def index_line(out):
    text = (out / "index.html").read_text("utf-8")
    start = text.index("<tr class='since'>")
    return text[start:text.index("</tr>", start)]


def tiny_config(tmp_path, *, spikes="[]", fail="false"):
    return read_config(config_file(tmp_path, f"""
out: {tmp_path / 'out'}
corpus: {tmp_path / 'corpus.parquet'}
jobs:
  - {{name: tiny, notebook: {tmp_path / 'tiny.ipynb'}, parameters: {{spikes: {spikes}, fail: {fail}}}}}
"""))


@pytest.mark.slow
def test_each_report_opens_with_what_changed_since_the_last_one(small_corpus, tmp_path):
    tiny_notebook(tmp_path / "tiny.ipynb")
    small_corpus(a="A,2025-01-01,Un.,RFI\nB,2025-01-02,Deux.,RFI\nC,2025-01-03,Trois.,Le Monde\n")
    out, page = tmp_path / "out", tmp_path / "out" / "tiny.html"
    assert [o.status for o in reports.run(tiny_config(tmp_path))] == ["ok"]
    assert "first run: nothing to compare with" in box(page)
    assert "first run: nothing to compare with" in index_line(out)
    recorded = json.loads((out / state.STATE_FILE).read_text("utf-8"))["tiny"]
    assert recorded["facts"]["corpus"]["sources"] == {"RFI": 2, "Le Monde": 1}
    assert recorded["facts"]["notebook"] == {"spikes": []}
    first = page.read_bytes()

    assert [o.status for o in reports.run(tiny_config(tmp_path))] == ["skipped"]
    assert page.read_bytes() == first and "first run" in index_line(out)

    small_corpus(b="D,2025-01-04,Quatre.,RFI\nE,2025-01-05,Cinq.,RFI\nF,2025-01-06,Six.,Nouveau Média\n"
                   "G,,Sans date.,RFI\n")
    config = tiny_config(tmp_path, spikes="['week of 2025-01-06']")
    assert [o.status for o in reports.run(config, force=True)] == ["ok"]
    when = recorded["finished"]
    shown = box(page)
    assert f"Since the last report ({when}):" in shown
    assert "3 new articles (6 in all, duplicates aside): RFI 2, Nouveau Média 1" in shown
    assert "1 new spike: week of 2025-01-06" in shown and "1 new reject: missing date 1" in shown
    assert "latest article 2025-01-06 (was 2025-01-03)" in shown and "parameters changed since: spikes" in shown
    line = index_line(out)
    assert f"Since the last report ({when}): 3 new articles (6 in all, duplicates aside): RFI 2, Nouveau Média 1"\
        in line and "1 new spike" in line
    html = page.read_text("utf-8")
    rest = html.replace(shown, "")[:html.index('<details class="newsframe-manifest">')]  # parameters are listed there
    assert "newsframe.facts" not in html and "week of 2025-01-06" not in rest + html[html.index("</details>"):]
    good = json.loads((out / state.STATE_FILE).read_text("utf-8"))["tiny"]
    second = page.read_bytes()

    small_corpus(c="H,2025-01-07,Sept.,RFI\n")
    assert [o.status for o in reports.run(tiny_config(tmp_path, fail="true"), force=True)] == ["failed"]
    after_failure = json.loads((out / state.STATE_FILE).read_text("utf-8"))["tiny"]
    assert after_failure["status"] == "failed"
    assert (after_failure["facts"], after_failure["since"]) == (good["facts"], good["since"])
    assert page.read_bytes() == second and "3 new articles" in index_line(out)

    assert [o.status for o in reports.run(config, force=True)] == ["ok"]
    shown = box(page)  # compared with the last good run, not with the failed one
    assert f"Since the last report ({good['finished']}):" in shown
    assert "1 new article (7 in all, duplicates aside): RFI 1" in shown and "no new spike" in shown


# The real timeline notebook, with the cell that hands its spikes to the runner.

TIMELINE_FACTS = ('history.facts(spikes=history.spikes(counts, freq=freq) + history.spikes(mentions, freq=freq, '
                  'by="group"))')


def timeline_with_facts(path):
    """The timeline notebook, with its facts cell added at the end if it does not have one yet."""
    notebook = nbformat.read(TIMELINE, as_version=4)
    if not any("history.facts(" in cell.source for cell in notebook.cells):
        notebook.cells.append(new_code_cell("from newsframe import history\n" + TIMELINE_FACTS))
    nbformat.write(notebook, path)
    return path


def add_burst(raw, *, articles, day, source):
    """Write `articles` new articles of one day and source, their words from the demo's (names and all)."""
    for i, article in enumerate(demo.generate(seed=99, articles=articles)[:articles]):
        (raw / f"burst-{i:03d}.txt").write_text(f"date {day} {article.title} ({i})\nsource {source}\n\n"
                                                f"{article.text}\n\nBurst article {i}.\n", encoding="utf-8")


@pytest.mark.slow
def test_the_timeline_report_names_new_articles_and_the_spike_they_make(tmp_path):
    corpus_path = demo_corpus_in(tmp_path, articles=200)
    path = config_file(tmp_path, f"""
out: {tmp_path / 'out'}
corpus: {corpus_path}
jobs:
  - {{name: timeline, notebook: {timeline_with_facts(tmp_path / 'timeline.ipynb')}, parameters: {{freq: Q}}}}
""")
    assert [o.status for o in reports.run(read_config(path))] == ["ok"]
    page = tmp_path / "out" / "timeline.html"
    assert "first run: nothing to compare with" in box(page)
    before = json.loads((tmp_path / "out" / state.STATE_FILE).read_text("utf-8"))["timeline"]["facts"]
    assert "2025-Q1" not in before["notebook"]["spikes"]

    add_burst(tmp_path / "raw", articles=100, day="2025-01-15", source="Radio Alpha")
    ingest.ingest([tmp_path / "raw"], out=corpus_path)
    assert [o.status for o in reports.run(read_config(path), force=True)] == ["ok"]
    shown = box(page)
    assert "100 new articles" in shown and "Radio Alpha 100" in shown and "new spike: 2025-Q1" in shown
    assert "Radio Alpha 100" in index_line(tmp_path / "out")
