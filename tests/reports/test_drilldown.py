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


def ukraine_weeks() -> tuple[pd.DataFrame, dict, pd.DataFrame]:
    """120 articles one week (40 mention Macron, 60 Ukraine, 20 both), 6 the next; nobody mentions Trump."""
    frame = articles({"2025-01-06": 120, "2025-01-13": 6})
    frame["text"] = pd.array([("Le président Macron a parlé de l'Ukraine." if i % 3 == 0 else "Rien à signaler.")
                              + (" Kyiv encore" if i % 4 == 0 else "") for i in range(len(frame))], dtype="string")
    groups = {"Macron": ["Macron"], "Ukraine": ["Ukraine", "Kyiv"], "Trump": ["Trump"]}
    return frame, groups, terms.mentions(frame, groups)


def listed_titles(drawn: drilldown.Sample, said: dict) -> dict[tuple[int, int], list[str]]:
    """Return the titles each (set, period) lists, in the payload's row order."""
    rows = drawn.payload["rows"] + said["extra"]
    found = {}
    for row in said["rows"]:
        found.setdefault((row[1], rows[row[0]][0]), []).append(rows[row[0]][3])
    return found


def test_a_group_lists_all_its_articles_up_to_the_cap_the_sampled_ones_first_the_rest_embedded_beside():
    frame, groups, found = ukraine_weeks()
    drawn = drilldown.sample(frame, freq="W", cap=50)
    said = drilldown.mentioned(drawn, frame, found, groups)
    assert said["sets"] == [["Macron"], ["Ukraine"]]  # a group that nobody mentions has nothing to list
    sampled = set(frame.loc[drawn.rows, "title"])
    titles = listed_titles(drawn, said)
    week = frame["published"] < pd.Timestamp("2025-01-13", tz="UTC")
    for g, name in enumerate(["Macron", "Ukraine"]):
        for p, in_week in ((0, week), (1, ~week)):
            mentioning = set(frame.loc[in_week & frame["article_id"].isin(found.loc[found["group"] == name,
                                                                                     "article_id"]), "title"])
            shown = titles.get((g, p), [])
            assert len(shown) == len(set(shown)) == min(50, len(mentioning)) and set(shown) <= mentioning
            assert mentioning & sampled <= set(shown)  # every sampled one, and more up to the cap
    assert len(titles[(0, 0)]) == 40 and len(titles[(1, 0)]) == 50  # Ukraine's 60 are cut to 50: capped
    assert not {row[3] for row in said["extra"]} & sampled  # the extra articles are the sample's missing ones


def test_the_extra_articles_are_drawn_in_the_samples_seeded_order():
    frame, groups, found = ukraine_weeks()
    drawn = drilldown.sample(frame, freq="W", cap=50, seed=7)
    first = drilldown.mentioned(drawn, frame, found, groups)
    assert first == drilldown.mentioned(drawn, frame, found, groups)
    # the same order as the sample's: with a cap of 120, the shared sample is the whole week and nothing is extra
    whole = drilldown.sample(frame, freq="W", cap=120, seed=7)
    assert drilldown.mentioned(whole, frame, found, groups)["extra"] == []


def test_a_co_mention_lists_the_articles_that_mention_both_up_to_the_cap():
    frame, groups, found = ukraine_weeks()
    drawn = drilldown.sample(frame, freq="W", cap=10)
    said = drilldown.mentioned(drawn, frame, found, groups, sets=[("Macron", "Ukraine")])
    titles = listed_titles(drawn, said)
    both = frame["text"].str.contains("Macron") & frame["text"].str.contains("Ukraine|Kyiv")
    week = frame["published"] < pd.Timestamp("2025-01-13", tz="UTC")
    assert len(titles[(0, 0)]) == 10 and set(titles[(0, 0)]) <= set(frame.loc[both & week, "title"])
    assert set(titles[(0, 1)]) == set(frame.loc[both & ~week, "title"])
    in_context = [row for row in said["rows"] if len(row) > 2]
    assert {(row[3], row[6]) for row in in_context} <= {("Macron", "Ukraine"), ("Macron", "Kyiv")}


def test_the_first_few_of_a_period_and_group_show_the_term_in_context():
    frame, groups, found = ukraine_weeks()
    drawn = drilldown.sample(frame, freq="W", cap=50)
    said = drilldown.mentioned(drawn, frame, found, groups)
    rows = drawn.payload["rows"] + said["extra"]
    macron = [row for row in said["rows"] if row[1] == 0]
    in_context = pd.Series([rows[row[0]][0] for row in macron if len(row) == 5]).value_counts().to_dict()
    cap = drilldown.SNIPPETS
    assert in_context == {0: cap, 1: 2} and said["snippets"] == cap  # the busy week: its first `cap` only
    first = [row for row in macron if rows[row[0]][0] == 0][:cap]  # by row: the sample's, oldest first
    assert all(len(row) == 5 for row in first)
    assert {row[3] for row in macron if len(row) == 5} == {"Macron"}
    assert all(row[2].endswith("Le président ") for row in macron if len(row) == 5)
    ukraine = {row[3] for row in said["rows"] if row[1] == 1 and len(row) == 5}
    assert ukraine == {"Ukraine", "Kyiv"} or ukraine <= {"Ukraine", "Kyiv"} and ukraine  # the first mention


@pytest.mark.parametrize(("left", "right", "width", "expected"), [
    ("ident Macron a ", " dit ceci et", 12, ("…Macron a ", " dit ceci…")),  # words cut at either end are dropped
    ("Paris, ", " end", 12, ("Paris, ", " end")),  # shorter than the width: the text's own ends, kept
])
def test_context_keeps_whole_words(left, right, width, expected):
    shown = drilldown._whole_words(left, "kw", right, width=width)
    assert (shown[0], shown[2]) == expected
