"""The articles a report embeds for its click-to-list: capped per period, seeded, every one of a small period."""

import pandas as pd
import pytest
from newsframe.analysis import terms, timeline
from newsframe.reports import drilldown


def articles(per_week: dict[str, int], *, sources=("RFI", "Le Monde", "AFP")) -> pd.DataFrame:
    """Articles on the Mondays given, `n` each, sources in turn, titles saying which."""
    rows = []
    for monday, n in per_week.items():
        for i in range(n):
            rows.append({"article_id": f"{monday}-{i}", "published": pd.Timestamp(monday, tz="UTC")
                         + pd.Timedelta(hours=i % 100), "source": sources[i % len(sources)],
                         "title": f"{monday} #{i}", "url": f"https://example.org/{monday}/{i}"})
    return pd.DataFrame(rows).astype({"article_id": "string", "title": "string", "source": "string", "url": "string"})


WEEKS = {"2025-01-06": 120, "2025-01-13": 3, "2025-01-27": 49}


def test_at_most_cap_articles_a_period_and_every_one_of_a_smaller_period():
    frame = articles(WEEKS)
    drawn = drilldown.sample(frame, freq="W", cap=50)
    payload = drawn.payload
    listed = pd.Series([row[0] for row in payload["rows"]]).value_counts().sort_index().to_dict()
    assert payload["periods"] == ["2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27"]
    assert listed == {0: 50, 1: 3, 3: 49}  # the empty week lists nothing; 120 are cut to 50
    titles = {row[3] for row in payload["rows"] if row[0] in (1, 3)}
    assert titles == set(frame.loc[~frame["title"].str.startswith("2025-01-06"), "title"])
    assert all(row[3].startswith("2025-01-06") for row in payload["rows"] if row[0] == 0)


def test_the_totals_are_timelines_counts_and_the_period_is_named():
    frame = articles(WEEKS)
    payload = drilldown.sample(frame, freq="W").payload
    assert payload["totals"] == timeline.count(frame, freq="W")["articles"].tolist() == [120, 3, 0, 49]
    assert payload["period"] == "week" and payload["labels"][0] == "week of 2025-01-06" and payload["cap"] == 50


def test_the_sample_is_the_same_for_the_same_seed_and_oldest_first():
    frame = articles(WEEKS)
    first, again = drilldown.sample(frame, freq="W", seed=3), drilldown.sample(frame, freq="W", seed=3)
    assert first.payload == again.payload and first.key == again.key
    assert drilldown.sample(frame, freq="W", seed=4).key != first.key
    dates = [row[1] for row in first.payload["rows"]]
    assert dates == sorted(dates)


@pytest.mark.parametrize(("url", "kept"), [
    ("https://example.org/a", "https://example.org/a"),
    ("HTTP://example.org/a", "HTTP://example.org/a"),
    ("javascript:alert(1)", ""),
    ("file:///etc/passwd", ""),
    (None, ""),
])
def test_only_web_links_are_kept(url, kept):
    frame = articles({"2025-01-06": 1}).assign(url=pd.array([url], dtype="string"))
    assert drilldown.sample(frame, freq="W").payload["rows"][0][4] == kept


def test_each_article_falls_in_its_series_or_other_and_series_are_counted_in_full():
    frame = articles(WEEKS)
    drawn = drilldown.sample(frame, freq="W", cap=10)
    names = ["RFI", "other (2 sources)"]
    member = drilldown.members(drawn, frame["source"], names)
    sources = frame.loc[drawn.rows, "source"].tolist()
    assert member == [0 if source == "RFI" else 1 for source in sources]
    totals = drilldown.series_totals(frame, frame["source"], names, freq="W", drawn=drawn)
    assert totals == {"0:0": 40, "0:1": 80, "1:0": 1, "1:1": 2, "3:0": 17, "3:1": 32}
    alone = drilldown.members(drawn, frame["source"], ["RFI"])  # no "other": the rest are in no series
    assert alone == [0 if source == "RFI" else -1 for source in sources]


def test_the_mentions_list_exactly_the_embedded_articles_that_mention_each_group_with_context():
    frame = articles({"2025-01-06": 120, "2025-01-13": 6})
    frame["text"] = pd.array([("Le président Macron a parlé de l'Ukraine." if i % 3 == 0 else "Rien à signaler.")
                              + (" Kyiv encore" if i % 4 == 0 else "") for i in range(len(frame))], dtype="string")
    groups = {"Macron": ["Macron"], "Ukraine": ["Ukraine", "Kyiv"], "Trump": ["Trump"]}
    found = terms.mentions(frame, groups)
    drawn = drilldown.sample(frame, freq="W", cap=50)
    said = drilldown.mentioned(drawn, frame, found, groups)
    assert said["groups"] == ["Macron", "Ukraine"]  # a group that nobody mentions has nothing to list
    embedded = frame.loc[drawn.rows, "article_id"].tolist()
    for g, name in enumerate(said["groups"]):
        listed = {embedded[row[0]] for row in said["rows"] if row[1] == g}
        expected = set(found.loc[found["group"] == name, "article_id"]) & set(embedded)
        assert listed == expected and expected
    macron = [row for row in said["rows"] if row[1] == 0]
    period = [row[0] for row in drawn.payload["rows"]]
    in_context = pd.Series([period[row[0]] for row in macron if len(row) == 5]).value_counts().to_dict()
    cap = drilldown.SNIPPETS
    assert in_context == {0: cap, 1: 2} and said["snippets"] == cap  # the busy week: its first `cap` only
    assert all(len(row) == 2 for row in macron if period[row[0]] == 0 and row not in macron[:cap])
    assert {row[3] for row in macron if len(row) == 5} == {"Macron"}
    assert all(row[2].endswith("Le président ") for row in macron if len(row) == 5)
    ukraine = {embedded[row[0]]: row[3] for row in said["rows"] if row[1] == 1 and len(row) == 5}
    assert set(ukraine.values()) == {"Ukraine", "Kyiv"}  # the first mention, as written


@pytest.mark.parametrize(("left", "right", "width", "expected"), [
    ("ident Macron a ", " dit ceci et", 12, ("…Macron a ", " dit ceci…")),  # words cut at either end are dropped
    ("Paris, ", " end", 12, ("Paris, ", " end")),  # shorter than the width: the text's own ends, kept
])
def test_context_keeps_whole_words(left, right, width, expected):
    shown = drilldown._whole_words(left, "kw", right, width=width)
    assert (shown[0], shown[2]) == expected
