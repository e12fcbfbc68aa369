from datetime import timedelta

import pandas as pd
import pytest
from newsframe import demo, ingest
from newsframe.analysis import timeline


def test_demo_is_deterministic():
    assert demo.generate(seed=3, articles=50) == demo.generate(seed=3, articles=50)
    assert demo.generate(seed=3, articles=50) != demo.generate(seed=4, articles=50)
    assert demo.planted(seed=3) == demo.planted(seed=3) != demo.planted(seed=4)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    folder = demo.write(tmp_path_factory.mktemp("demo") / "demo", articles=400)
    return ingest.read([folder])


def day(articles: pd.DataFrame) -> pd.Series:
    return articles["published"].dt.date


def test_demo_round_trips_through_ingest_with_its_burst(ingested):
    summary = ingested.summary()
    written = len(demo.generate(articles=400)) + len(demo.planted())
    assert summary["read"] == written + 1  # and the file with a bad date
    assert summary["kept"] + summary["duplicates"] + summary["rejected"] == summary["read"]
    assert set(summary["languages"]) == {"fr", "en"}
    assert set(summary["sources"]) == set(demo.OUTLETS) | set(demo.REPRINTERS)
    assert ingested.articles["author"].eq(demo.AUTHOR).all()
    weekly = timeline.count(ingested.articles, freq="W")
    peak = weekly.loc[weekly["articles"].idxmax(), "period_start"]
    assert abs(peak - pd.Timestamp(demo.EVENT_DATE)) <= pd.Timedelta(days=10)


def test_demo_feed_stops(ingested):
    published = day(ingested.articles[ingested.articles["source"] == demo.STOPPED_SOURCE])
    assert published.max() <= demo.STOPPED_AFTER
    assert published.max() >= demo.STOPPED_AFTER - timedelta(days=30)  # it published normally until then
    assert (demo.END - demo.STOPPED_AFTER).days >= 120
    others = day(ingested.articles[ingested.articles["source"] != demo.STOPPED_SOURCE])
    assert (others > demo.STOPPED_AFTER).sum() > 30


def test_demo_wire_copies_are_one_story(ingested):
    articles = ingested.articles
    near = (day(articles) >= demo.WIRE_DATE) & (day(articles) <= demo.WIRE_DATE + timedelta(days=2))
    story = articles.loc[near & (articles["source"] == demo.WIRE_SOURCE) & articles["story_similarity"].eq(1.0),
                         "story_id"]
    assert len(story) == 1
    copies = articles[articles["story_id"] == story.iloc[0]]
    assert len(copies) == demo.WIRE_COPIES and copies["duplicate_of"].isna().all()
    assert copies["title"].nunique() == demo.WIRE_COPIES  # each paper wrote its own headline
    assert set(copies["source"]) == {demo.WIRE_SOURCE, "The Daily Meridian", *demo.REPRINTERS}
    assert copies["story_similarity"].ge(0.5).all()
    assert ingested.summary()["near_duplicates"]["stories_of_two_or_more"] == 1  # no other story by chance


def test_demo_has_one_exact_duplicate(ingested):
    articles = ingested.articles
    copies = articles[(articles["source"] == demo.DUPLICATE_SOURCE) & (day(articles) == demo.DUPLICATE_DATE)
                      & articles["text"].duplicated(keep=False)]
    assert len(copies) == 2 and copies["duplicate_of"].notna().sum() == 1
    assert ingested.duplicate_count == 1


def test_demo_out_of_range_date_is_ingested(ingested):
    published = day(ingested.articles)
    assert (published == demo.OUT_OF_RANGE_DATE).sum() == 1
    assert (published > demo.END).sum() == 1 and (published < demo.START).sum() == 0


def test_demo_short_articles(ingested):
    articles = ingested.articles
    short = articles[articles["text"].str.len() < 200]
    assert sorted(day(short)) == list(demo.SHORT_DATES)
    assert short["source"].eq(demo.SHORT_SOURCE).all() and short["language"].eq("fr").all()


def test_demo_bad_date_is_rejected(ingested):
    rejects = ingested.rejects
    assert len(rejects) == 1 and rejects["reason"].iloc[0] == "unparseable date"
    assert rejects["origin"].iloc[0].endswith(demo.BAD_DATE_FILE)
    assert demo.BAD_DATE in rejects["detail"].iloc[0]


def test_demo_refuses_to_overwrite(tmp_path):
    demo.write(tmp_path / "demo", articles=5)
    try:
        demo.write(tmp_path / "demo", articles=5)
    except Exception as exc:  # noqa: BLE001 - the type is checked below
        assert "already holds files" in str(exc)
    else:
        raise AssertionError("a second write must be refused")
