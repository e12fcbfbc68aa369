"""Analyses of a partitioned corpus month by month on Dask (counts, mentions, keyword in context, key terms, topic
shares, boilerplate, the names found on the sample, the texts of a few articles, and where and how a report analyses
its articles) equal those of the whole corpus read at once."""

import os
import sys

import pandas as pd
import pytest
from newsframe import boilerplate, corpus, ingest, select
from newsframe.analysis import assignment, keyness, partitions, phrases, terms, timeline, topics, vectors
from newsframe.errors import ParameterError

from tests.conftest import demo_corpus_in, shared_data_dir

GROUPS = {"summit": ["sommet", "summit"], "Russia": ["Russie", "Russia", "russe*"], "Wagner": ["Wagner"],
          "nowhere": ["zzqqxx"]}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo corpus as one file, and the same articles partitioned by month."""
    folder = tmp_path_factory.mktemp("demo")
    single = demo_corpus_in(folder, articles=1500)
    return single, corpus.write(corpus.read(single), folder / "partitioned", partitioned=True)


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    """The real French feeds, ingested as a partitioned corpus, and their articles read at once (as a report reads
    them: no exact duplicates)."""
    feeds = shared_data_dir() / "fr-rss-2025"
    if not feeds.is_dir():
        pytest.skip(f"real test data not found at {feeds} (set NEWSFRAME_TEST_DATA)")
    out = tmp_path_factory.mktemp("fr") / "fr"
    ingest.ingest([feeds], out=out, partitioned=True, stories=False)
    return out, corpus.read(out, include_duplicates=False)


FRENCH_GROUPS = {"Ukraine": ["Ukraine", "ukrainien*"], "Trump": ["Trump"], "Macron": ["Macron"]}


def in_memory(single, *, freq, by=None, **selection):
    articles = corpus.read(single, **{"include_duplicates": False, **selection})  # as a report reads it
    return (timeline.count(articles, freq=freq, by=by),
            timeline.count_mentions(articles, terms.mentions(articles, GROUPS), freq=freq, by=by))


@pytest.mark.parametrize(("freq", "by"), [("W", None), ("M", "source"), ("Q", "language"), ("D", None)])
def test_counts_and_mentions_month_by_month_equal_the_whole_corpus(demo, freq, by):
    single, partitioned = demo
    counts, mentions = in_memory(single, freq=freq, by=by)
    pd.testing.assert_frame_equal(partitions.count(partitioned, freq=freq, by=by), counts)
    pd.testing.assert_frame_equal(partitions.count_mentions(partitioned, GROUPS, freq=freq, by=by), mentions)


def test_a_selection_is_the_one_corpus_read_makes(demo):
    single, partitioned = demo
    chosen = {"start": "2023-03-15", "end": "2023-09-10", "language": "en", "include_duplicates": True}
    counts, mentions = in_memory(single, freq="W", **chosen)
    pd.testing.assert_frame_equal(partitions.count(partitioned, freq="W", **chosen), counts)
    pd.testing.assert_frame_equal(partitions.count_mentions(partitioned, GROUPS, freq="W", **chosen), mentions)
    assert counts["articles"].sum() == len(corpus.read(single, **chosen)) > 0


def test_one_file_or_an_unknown_selection_is_refused_clearly(demo):
    single, partitioned = demo
    with pytest.raises(ParameterError, match="not a partitioned corpus.*--partitioned"):
        partitions.count(single)
    with pytest.raises(ParameterError, match="count: not a selection"):
        partitions.count(partitioned, count="stories")


@pytest.mark.slow
def test_on_a_local_cluster_of_two_worker_processes(demo, monkeypatch):
    from dask.distributed import LocalCluster

    single, partitioned = demo
    # the workers are new processes: they import newsframe from where this test does
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(sys.path))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        counts, mentions = in_memory(single, freq="M", by="source")
        pd.testing.assert_frame_equal(
            partitions.count_mentions(partitioned, GROUPS, freq="M", by="source", scheduler=cluster.scheduler_address),
            mentions)
        ran = cluster.scheduler.transition_counter
        assert ran >= len(partitions.months(partitioned))  # the months were tasks of this cluster
        monkeypatch.setenv(partitions.SCHEDULER_VARIABLE, cluster.scheduler_address)  # as a cron job would name it
        pd.testing.assert_frame_equal(partitions.count(partitioned, freq="M", by="source"), counts)
        assert cluster.scheduler.transition_counter > ran


def test_the_french_feeds_day_by_day(french):
    partitioned, articles = french
    pd.testing.assert_frame_equal(
        partitions.count_mentions(partitioned, FRENCH_GROUPS, freq="D", by="language"),
        timeline.count_mentions(articles, terms.mentions(articles, FRENCH_GROUPS), freq="D", by="language"))


@pytest.mark.parametrize(("group", "limit", "freq"), [
    ("Russia", 40, "W"),  # far more mentions than lines: spread over the weeks, weeks across two months
    ("Russia", 25, "Q"),  # a quarter is three months: its earliest articles come from the first
    ("summit", 10_000, "M"),  # fewer mentions than lines: every line
    ("summit", 7, "D"),  # fewer lines than periods with mentions: periods evenly spaced
    ("nowhere", 50, "M"),  # no mention: no line
])
def test_kwic_month_by_month_gives_the_lines_of_the_whole_corpus(demo, group, limit, freq):
    single, partitioned = demo
    articles = corpus.read(single, include_duplicates=False)
    expected = terms.kwic(articles, GROUPS, group=group, limit=limit, freq=freq)
    pd.testing.assert_frame_equal(partitions.kwic(partitioned, GROUPS, group=group, limit=limit, freq=freq), expected)
    assert len(expected) <= limit


def test_kwic_of_a_selection_and_its_refusals(demo):
    single, partitioned = demo
    chosen = {"start": "2023-04-01", "end": "2023-10-31", "sources": ["Radio Alpha", "Continental Wire"]}
    expected = terms.kwic(corpus.read(single, **chosen), GROUPS, limit=30, freq="W")
    pd.testing.assert_frame_equal(partitions.kwic(partitioned, GROUPS, limit=30, freq="W", **chosen), expected)
    assert set(expected["source"]) <= set(chosen["sources"])
    with pytest.raises(ParameterError, match="KWIC group 'Mali' is not one of the term groups"):
        partitions.kwic(partitioned, GROUPS, group="Mali")


@pytest.mark.parametrize(("group", "limit", "freq"), [("Ukraine", 60, "D"), ("Trump", 500, "W")])
def test_kwic_of_the_french_feeds(french, group, limit, freq):
    partitioned, articles = french
    pd.testing.assert_frame_equal(partitions.kwic(partitioned, FRENCH_GROUPS, group=group, limit=limit, freq=freq),
                                  terms.kwic(articles, FRENCH_GROUPS, group=group, limit=limit, freq=freq))


@pytest.mark.parametrize(("freq", "date", "with_names"), [("W", "2023-07-26", True), ("M", "2023-07-15", False),
                                                           ("Q", "2024-02-01", True), ("M", "2031-01-01", False)])
def test_key_terms_month_by_month_equal_those_of_the_whole_corpus(demo, freq, date, with_names):
    single, partitioned = demo
    articles = corpus.read(single, include_duplicates=False)
    names = phrases.find(articles) if with_names else None  # found once in memory, passed to every month
    period = timeline.key_period(timeline.count(articles, freq=freq), freq=freq, date=date)
    expected = keyness.key_terms(articles, target=timeline.in_period(articles, period, freq=freq), min_articles=20,
                                 names=names)
    pd.testing.assert_frame_equal(partitions.key_terms(partitioned, period, freq=freq, min_articles=20, names=names),
                                  expected)
    assert expected.empty == (date == "2031-01-01")  # a period past the corpus has no key terms


def test_key_terms_of_the_french_feeds(french):
    partitioned, articles = french
    names = phrases.find(articles)
    for freq in ("D", "W"):
        period = timeline.key_period(timeline.count(articles, freq=freq), freq=freq)
        expected = keyness.key_terms(articles, target=timeline.in_period(articles, period, freq=freq), names=names)
        pd.testing.assert_frame_equal(partitions.key_terms(partitioned, period, freq=freq, names=names), expected)
        assert len(expected) > 0


def fitted_on_a_sample(partitioned, *, size, k):
    """A model fitted on the sample of a partitioned corpus, and what assigns its topics."""
    sampled = partitions.sample(partitioned, size=size, seed=4)
    model = topics.fit(vectors.vectorise(sampled), k=k, seed=0)
    return sampled, assignment.assigner(model)


@pytest.mark.parametrize(("freq", "by", "size"), [("W", None, 500), ("Q", "source", 500), ("M", "language", 5000)])
def test_topic_shares_month_by_month_equal_the_assignment_of_the_whole_corpus(demo, freq, by, size):
    single, partitioned = demo
    articles = corpus.read(single, include_duplicates=False)
    sampled, rule = fitted_on_a_sample(partitioned, size=size, k=8)
    pd.testing.assert_frame_equal(sampled, assignment.sample(articles, size=size, seed=4))
    expected = topics.over_time(assignment.assign(rule, articles), articles, freq=freq, by=by, min_articles=5)
    pd.testing.assert_frame_equal(partitions.topic_shares(partitioned, rule, freq=freq, by=by, min_articles=5),
                                  expected)
    assert expected["weight"].sum() == pytest.approx((assignment.assign(rule, articles).weights.sum(axis=1) > 0).sum())


def test_a_sample_of_a_selection(demo):
    single, partitioned = demo
    chosen = {"start": "2023-01-01", "end": "2023-12-31", "language": "fr", "include_duplicates": True}
    expected = assignment.sample(corpus.read(single, **chosen), size=300, seed=9)
    pd.testing.assert_frame_equal(partitions.sample(partitioned, size=300, seed=9, **chosen), expected)
    assert len(expected) == 300 and set(expected["language"]) == {"fr"}


def test_topic_shares_of_the_french_feeds(french):
    partitioned, articles = french
    sampled, rule = fitted_on_a_sample(partitioned, size=2000, k=10)
    assert len(sampled) == 2000 < len(articles)
    pd.testing.assert_frame_equal(partitions.topic_shares(partitioned, rule, freq="D", by="source"),
                                  topics.over_time(assignment.assign(rule, articles), articles, freq="D", by="source"))


def as_the_timeline_report_reads(corpus_path, *, sources_map="", sources=None):
    """The articles the timeline notebook counts, its span, and the boilerplate it leaves out of the texts."""
    articles = corpus.read(corpus_path, sources_map=sources_map, sources=sources or [], include_duplicates=True)
    span = select.coverage(articles["published"])
    articles = select.select(select.within(articles, span), include_duplicates=False)
    return articles, span, boilerplate.find(articles)


def test_counting_as_the_timeline_report_chooses_its_articles(demo, tmp_path):
    single, partitioned = demo
    outlets = tmp_path / "outlets.csv"
    outlets.write_text("pattern,outlet\nRadio*,Alpha and Wire\nContinental Wire,Alpha and Wire\n", encoding="utf-8")
    articles, span, repeated = as_the_timeline_report_reads(single, sources_map=outlets, sources=["Alpha and Wire"])
    counting = partitions.counting(partitioned, scheduler="tcp://not-contacted:8786", span=span, sources_map=outlets,
                                   sources=["Alpha and Wire"])
    assert counting.scheduler == "tcp://not-contacted:8786"
    found = terms.mentions(boilerplate.strip(articles, repeated), GROUPS)
    local = {**counting.selection, "scheduler": None}  # what the cluster would count, on this machine's threads
    pd.testing.assert_frame_equal(partitions.count(partitioned, freq="W", **local),
                                  timeline.count(articles, freq="W"))
    pd.testing.assert_frame_equal(
        partitions.count_mentions(partitioned, GROUPS, freq="W", min_articles=3, boilerplate=repeated, **local),
        timeline.count_mentions(articles, found, freq="W", min_articles=3))
    assert set(articles["source"]) == {"Alpha and Wire"}


def test_counting_stays_in_memory_without_a_scheduler_or_partitions(demo, monkeypatch):
    single, partitioned = demo
    monkeypatch.delenv(partitions.SCHEDULER_VARIABLE, raising=False)
    assert partitions.counting(partitioned).scheduler == ""
    monkeypatch.setenv(partitions.SCHEDULER_VARIABLE, "tcp://from-the-environment:8786")
    assert partitions.counting(partitioned).scheduler == "tcp://from-the-environment:8786"
    assert partitions.counting(single).scheduler == ""  # one file: read whole, counted in memory
    with pytest.raises(ParameterError, match="count='stories' a month at a time.*leave scheduler"):
        partitions.counting(partitioned, count="stories")


def test_the_french_feeds_without_their_boilerplate(french):
    partitioned, _ = french
    articles, span, repeated = as_the_timeline_report_reads(partitioned)
    assert len(repeated) > 0  # the feeds' own sign-up prompts and share buttons
    counting = partitions.counting(partitioned, scheduler="tcp://not-contacted:8786", span=span)
    found = terms.mentions(boilerplate.strip(articles, repeated), FRENCH_GROUPS)
    pd.testing.assert_frame_equal(
        partitions.count_mentions(partitioned, FRENCH_GROUPS, freq="D", boilerplate=repeated,
                                  **{**counting.selection, "scheduler": None}),
        timeline.count_mentions(articles, found, freq="D"))


def report_counting_pairs(corpus_path):
    """The articles a timeline report analyses in memory, and the same report's Counting on the months (this
    machine's threads) with the articles it holds there (no texts)."""
    articles, span, _ = as_the_timeline_report_reads(corpus_path)
    light = select.select(select.within(partitions.read(corpus_path, scheduler=partitions.LOCAL,
                                                        include_duplicates=True), span), include_duplicates=False)
    return articles, light, partitions.counting(corpus_path, scheduler=partitions.LOCAL, span=span)


@pytest.mark.parametrize("data", ["demo", "french"])
def test_a_report_on_the_months_analyses_as_in_memory(data, request):
    corpus_path = request.getfixturevalue(data)[1] if data == "demo" else request.getfixturevalue(data)[0]
    groups = GROUPS if data == "demo" else FRENCH_GROUPS
    articles, light, counting = report_counting_pairs(corpus_path)
    in_memory = partitions.counting(corpus_path)  # no scheduler: the same methods on the articles in memory
    assert "text" not in light and counting.where == "this machine's threads, a month at a time"
    assert in_memory.where == "this machine, in memory" and in_memory.texts is None
    repeated = in_memory.boilerplate(articles)
    pd.testing.assert_frame_equal(counting.boilerplate(light), repeated)
    analysed, held = in_memory.strip(articles, repeated), counting.strip(light, repeated)
    assert held is light  # the months strip their own texts
    pd.testing.assert_frame_equal(counting.mentions(held, groups, boilerplate=repeated),
                                  in_memory.mentions(analysed, groups))
    pd.testing.assert_frame_equal(counting.kwic(held, groups, boilerplate=repeated, limit=40, freq="W"),
                                  in_memory.kwic(analysed, groups, limit=40, freq="W"))
    names = in_memory.names(analysed)
    pd.testing.assert_frame_equal(counting.names(held, boilerplate=repeated), names)  # the corpus is its own sample
    period = timeline.key_period(timeline.count(articles, freq="W"), freq="W")
    pd.testing.assert_frame_equal(
        counting.key_terms(held, period, freq="W", boilerplate=repeated, names=names, min_articles=10),
        in_memory.key_terms(analysed, period, freq="W", names=names, min_articles=10))
    pd.testing.assert_frame_equal(counting.sample(held, seed=3), in_memory.sample(articles, seed=3))
    pd.testing.assert_frame_equal(counting.modelled(light), in_memory.modelled(articles))  # its own sample
    some = light.sample(5, random_state=0)
    pd.testing.assert_series_equal(counting.texts(some)["text"], articles.loc[some.index, "text"])
    if data == "french":
        assert len(repeated) > 0  # the feeds' own prompts: the two passes over the months find them all


def test_boilerplate_of_the_months_with_pieces_held_in_four_months(tmp_path):
    names = ["".join(chr(97 + i // 26**k % 26) for k in range(3)) for i in range(40)]  # digits would fold alike
    texts = [f"The {name} council met.\n\nSign up to our daily newsletter now." for name in names]
    articles = pd.DataFrame({"article_id": [f"{i:016x}" for i in range(40)], "source": "A", "text": texts,
                             "published": pd.date_range("2024-01-20", periods=40, freq="2D", tz="UTC"),
                             "duplicate_of": pd.Series([None] * 40, dtype="string")})
    months = [part for _, part in articles.groupby(articles["published"].dt.month)]
    counted = boilerplate.KeyCounts.added([boilerplate.key_counts(month) for month in months])
    wanted = boilerplate.candidates(counted)
    found = boilerplate.flagged(counted, [boilerplate.piece_counts(month, wanted=wanted) for month in months])
    pd.testing.assert_frame_equal(found, boilerplate.find(articles))
    assert found["text"].tolist() == ["Sign up to our daily newsletter now."] and len(months) == 4


def test_a_report_on_the_months_reads_every_column_but_the_texts(demo, tmp_path, monkeypatch):
    single, partitioned = demo
    outlets = tmp_path / "outlets.csv"
    outlets.write_text("pattern,outlet\nRadio*,Alpha and Wire\n", encoding="utf-8")
    chosen = {"sources_map": outlets, "sources": ["Alpha and Wire"], "include_duplicates": True}
    pd.testing.assert_frame_equal(partitions.read(partitioned, scheduler=partitions.LOCAL, **chosen),
                                  corpus.read(single, **chosen).drop(columns="text"))
    monkeypatch.delenv(partitions.SCHEDULER_VARIABLE, raising=False)
    assert "text" in partitions.read(partitioned) and "text" in partitions.read(single, scheduler=partitions.LOCAL)
