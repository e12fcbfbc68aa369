import pandas as pd
from newsframe import demo
from newsframe.corpus import select
from newsframe.reports import about


def articles(**columns):
    frame = pd.DataFrame({"published": pd.to_datetime(["2025-01-01", "2025-01-02"], utc=True), "source": ["A", "B"],
                          "language": ["fr", "fr"], "author": ["x", "y"],
                          "duplicate_of": pd.Series([None, "a1"], dtype="string"), "story_id": ["a1", "a1"],
                          "story_similarity": [float("nan"), float("nan")]})
    return frame.assign(**columns)


def test_the_demo_says_it_is_synthetic_and_a_real_corpus_does_not():
    assert "Synthetic demo corpus" in about.banner(articles(author=[demo.AUTHOR] * 2)).data
    assert about.banner(articles()) is None  # no output at all: nothing for the page to leave room for


def test_coverage_lists_what_the_charts_leave_out_and_a_single_period():
    busy = pd.Series(pd.to_datetime(["2014-05-01"] + [f"2025-0{m}-{d:02d}" for m in (1, 2) for d in range(1, 29)],
                                    utc=True))
    text = about.coverage(select.coverage(busy), freq="M").data
    assert "cover **2025-01-01 to 2025-02-28**" in text and "1 article(s) before it, from 2014-05-01" in text
    assert "set `start` to include them" in text
    one = about.coverage(select.coverage(pd.Series(pd.to_datetime(["2025-11-19"], utc=True))), freq="W").data
    assert "fall in 1 week(s): the charts show points" in one


def test_the_corpus_table_says_whether_duplicates_are_counted():
    row = "exact duplicates and older versions"
    assert about.corpus(articles()).data.loc[row, "value"] == "1 (left out of what follows)"
    assert about.corpus(articles(), include_duplicates=True).data.loc[row, "value"] == "1 (counted)"


def test_the_corpus_table_says_how_near_duplicates_are_counted():
    reprinted = pd.DataFrame({"published": pd.to_datetime(["2025-01-01", "2025-01-01", "2025-01-02"], utc=True),
                              "source": ["AFP", "Le Monde", "RFI"], "language": "fr", "author": "x",
                              "duplicate_of": pd.Series([None] * 3, dtype="string"),
                              "story_id": ["s", "s", "r"], "story_similarity": [1.0, 0.8, float("nan")]})
    shown = about.corpus(reprinted).data.loc["near-duplicates", "value"]
    assert shown.startswith("2 articles print 1 story more than once") and "(count: articles)" in shown
    assert "once, for its first outlet" in about.corpus(reprinted, count="stories").data.loc["near-duplicates", "value"]


def test_parameters_in_words():
    table = about.parameters(start="", freq="W", sources=[], spike_window=8, spike_threshold=4.0,
                             term_groups={"Mali": ["Mali", "Bamako"]}).data["value"]
    assert table.to_dict() == {"from": "first article", "period": "week", "sources": "all",
                               "term groups": "Mali: Mali, Bamako",
                               "spikes": "4.0 spreads above the median of 8 periods"}


def test_many_small_sources_get_advice_to_map_them_to_outlets():
    many = pd.DataFrame({"source": [f"Le Figaro - rubrique {i}" for i in range(40)] * 3})
    assert "sources map" in about.many_sources(many, top=8).data
    assert about.many_sources(many.head(9), top=8).data == ""


def test_names_say_which_names_count_as_one_term():
    found = pd.DataFrame({"phrase": ["États-Unis", "Donald Trump"], "count": [140, 1200]})
    assert "2 names of several words" in about.names(found).data and "États-Unis (140)" in about.names(found).data
    assert "off" in about.names(None).data and "No name" in about.names(found.iloc[0:0]).data


def test_the_topics_report_says_whether_it_fitted_on_all_its_articles_or_a_sample():
    everything = articles()
    assert about.fitted_on(everything, everything).data == "The model was fitted on all 2 articles."
    text = about.fitted_on(everything.head(1), everything, seed=3).data
    assert "fitted on a sample of 1 of the 2 articles" in text and "seed 3" in text
    assert "shares over time are of every article" in text
