"""Vega-Lite specs: the numbers drawn are the frame's, the tooltips say them with their denominator."""

import pandas as pd
import pytest
from newsframe.analysis import timeline
from newsframe.reports import plots, vegalite

from tests.reports.test_drilldown import WEEKS, articles

PERIODS = ["2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27"]


def values(spec: dict) -> pd.DataFrame:
    """The chart's rows, with the period start `t` and series name `n` the page works out when they are left out."""
    rows = pd.DataFrame(spec["data"]["values"])
    worked_out = {transform["as"]: transform["calculate"] for transform in spec.get("transform", [])}
    given = {param["name"]: param["value"] for param in spec.get("params", [])}
    if "t" in worked_out:
        assert worked_out["t"] == "toDate(periods[datum.p])" and worked_out["n"] == "names[datum.s]"
        rows["t"], rows["n"] = rows["p"].map(given["periods"].__getitem__), rows["s"].map(given["names"].__getitem__)
    return rows


def labels(spec: dict) -> list[str]:
    """Each row's period label, as the page works it out (`labels[datum.p]`)."""
    assert {"calculate": "labels[datum.p]", "as": "label"} in spec["transform"]
    return [spec["params"][0]["value"][p] for p in values(spec)["p"]]


def tooltip(spec: dict) -> dict:
    layer = spec["layer"][-1]["encoding"]["tooltip"]
    return {tip["title"]: tip.get("format") for tip in layer}


def test_the_counts_drawn_are_timelines_counts():
    counts = timeline.count(articles(WEEKS), freq="W")
    spec = vegalite.lines(counts, value="articles", series=None, freq="W", periods=PERIODS, ylabel="articles per week",
                          title="Articles per period")
    drawn = values(spec)
    assert drawn["v"].tolist() == drawn["a"].tolist() == counts["articles"].tolist() == [120, 3, 0, 49]
    assert drawn["p"].tolist() == [0, 1, 2, 3] and drawn["t"].tolist() == PERIODS
    assert drawn["total"].tolist() == [120, 3, 0, 49]
    assert tooltip(spec) == {"Period": None, "articles per week": ",.2~f",
                             "All articles in the period (denominator)": ","}
    assert labels(spec)[0] == "week of 2025-01-06"


def test_lines_by_source_carry_share_and_denominator_and_fade_from_the_legend():
    counts = timeline.shares(timeline.count(articles(WEEKS), freq="W", by="source"), by="source")
    spec = vegalite.lines(counts, value="articles", series="source", freq="W", periods=PERIODS, ylabel="articles",
                          title="t")
    drawn = values(spec)
    monday = drawn[drawn["t"] == "2025-01-06"].set_index("n")
    assert monday["a"].to_dict() == {"AFP": 40, "Le Monde": 40, "RFI": 40} and set(monday["total"]) == {120}
    assert monday["share"].round(3).tolist() == [0.333] * 3
    assert tooltip(spec)["Share of the period's articles"] == ".1%"
    line = spec["layer"][0]
    assert [p["name"] for p in line["params"]] == ["zoom", "faded"] and line["params"][1]["bind"] == "legend"
    assert [p["name"] for p in spec["layer"][-1]["params"]] == ["hover", "pick"]


def test_an_incomplete_last_period_says_so():
    counts = timeline.count(articles(WEEKS), freq="W").assign(is_complete=[True, True, True, False])
    spec = vegalite.lines(counts, value="articles", series=None, freq="W", periods=PERIODS, ylabel="a", title="t")
    assert "incomplete" in labels(spec)[-1] and "incomplete" not in labels(spec)[0]


def test_the_last_incomplete_period_is_dotted_as_on_the_static_chart():
    counts = timeline.count(articles(WEEKS), freq="W", by="source")
    assert counts.groupby("source")["is_complete"].agg(list).map(lambda c: c == [True] * 3 + [False]).all()
    spec = vegalite.lines(counts, value="articles", series="source", freq="W", periods=PERIODS, ylabel="a", title="t")
    solid, dotted = spec["layer"][:2]
    assert solid["transform"] == [{"filter": "datum.whole"}] and dotted["transform"] == [{"filter": "datum.tail"}]
    assert dotted["mark"]["strokeDash"] and "strokeDash" not in solid["mark"]
    drawn = values(spec)
    assert set(drawn.loc[drawn["tail"], "t"]) == {"2025-01-20", "2025-01-27"}  # the last whole week, then the dots
    assert drawn.loc[drawn["tail"]].groupby("n").size().to_dict() == {"AFP": 2, "Le Monde": 2, "RFI": 2}
    assert drawn["whole"].tolist() == (drawn["t"] != "2025-01-27").tolist()
    whole = vegalite.lines(counts.assign(is_complete=True), value="articles", series="source", freq="W",
                           periods=PERIODS, ylabel="a", title="t")
    assert "tail" not in values(whole) and "transform" not in whole["layer"][0]


def test_term_groups_say_mentions_share_and_denominator():
    frame = articles(WEEKS)
    found = pd.DataFrame({"article_id": frame["article_id"][::3], "group": "Mali", "mentions": 2}).astype(
        {"article_id": "string", "group": "string"})
    counted = timeline.count_mentions(frame, found, freq="W")
    spec = vegalite.lines(counted, value="share", series="group", freq="W", periods=PERIODS, ylabel="share",
                          title="t", percent=True, band=("share_low", "share_high"))
    drawn = values(spec)
    assert drawn["a"].tolist() == counted["articles_mentioning"].tolist() == [40, 1, 0, 17]
    assert drawn["m"].tolist() == [80, 2, 0, 34] and drawn["total"].tolist() == [120, 3, 0, 49]
    pd.testing.assert_series_equal(drawn["v"], counted["share"], check_names=False)  # an empty week: no share
    assert list(tooltip(spec)) == ["Period", "Group", "share", "95 % band", "Articles mentioning it", "Mentions",
                                   "All articles in the period (denominator)"]


def test_topic_shares_stack_to_one_and_periods_without_a_share_are_left_out():
    shares = pd.DataFrame({
        "period_start": pd.to_datetime(["2025-01-01"] * 2 + ["2025-02-01"] * 2), "topic": [1, 2, 1, 2],
        "name": ["1. a", "2. b"] * 2, "share": [0.25, 0.75, None, None], "articles": [40, 40, 3, 3],
        "is_complete": True})
    spec = vegalite.stacked(shares, series="name", freq="M", periods=["2025-01-01", "2025-02-01"],
                            order=["1. a", "2. b"], title="t", main={"0:0": 9, "0:1": 31})
    drawn = values(spec)
    assert drawn[["y0", "y1"]].to_numpy().tolist() == [[0, 0.25], [0.25, 1.0]]
    assert drawn["t2"].tolist() == ["2025-02-01"] * 2 and drawn["main"].tolist() == [9, 31]
    assert drawn["total"].tolist() == [40, 40]
    assert spec["layer"][0]["encoding"]["color"]["legend"]["values"] == ["2. b", "1. a"]  # top of the stack first


def test_events_inside_the_range_are_marked_and_those_outside_left_out():
    counts = timeline.count(articles(WEEKS), freq="W")
    events = pd.DataFrame({"date": pd.to_datetime(["2025-01-15", "2025-01-08", "1999-01-01"], utc=True),
                           "end_date": pd.to_datetime([None, "2025-01-20", None], utc=True),
                           "label": pd.array(["summit", "talks", "long ago"], dtype="string")})
    spec = vegalite.lines(counts, value="articles", series=None, freq="W", periods=PERIODS, ylabel="a", title="t",
                          events=events)
    span, day, label, other_side = spec["layer"][-4:]
    assert span["mark"]["type"] == "rect" and span["data"]["values"] == [
        {"t": "2025-01-08", "t2": "2025-01-20", "event": "talks", "when": "2025-01-08 to 2025-01-20"}]
    assert [row["event"] for row in day["data"]["values"]] == ["summit"] and day["mark"]["type"] == "rule"
    assert [row["event"] for row in label["data"]["values"]] == ["summit", "talks"]
    assert other_side["data"]["values"] == []


def test_labels_of_events_close_together_do_not_print_over_each_other():
    weeks = pd.date_range("2025-01-06", periods=26, freq="W-MON")  # half a year: a day is a few pixels
    counts = pd.DataFrame({"period_start": weeks, "articles": 5, "is_complete": True})
    events = pd.DataFrame({"date": pd.to_datetime(["2025-01-20", "2025-01-21", "2025-01-21", "2025-03-08"], utc=True),
                           "label": pd.array(["inauguration", "march", "order", "talks"], dtype="string")})
    spec = vegalite.lines(counts, value="articles", series=None, freq="W", ylabel="a", title="t", events=events,
                          periods=[f"{week:%Y-%m-%d}" for week in weeks])
    left, right = spec["layer"][-2:]
    assert [row["event"] for row in left["data"]["values"]] == ["inauguration", "talks"]
    assert [row["event"] for row in right["data"]["values"]] == ["march"] and right["mark"]["baseline"] == "top"
    rule = spec["layer"][-3]  # the third, "order", has no label of its own: its line's tooltip names it
    assert "order" in [row["event"] for row in rule["data"]["values"]]


def test_time_axes_name_the_year():
    def axis(periods):
        frame = pd.DataFrame({"period_start": pd.to_datetime(periods), "articles": 1, "is_complete": True})
        return vegalite.lines(frame, value="articles", series=None, freq="W", periods=periods, ylabel="a",
                              title="t")["config"]["axisX"]

    assert axis(["2017-01-02", "2021-06-07", "2025-02-24"]) == {"tickCount": {"interval": "year"}, "format": "%Y"}
    assert axis(["2024-03-04", "2024-09-02"])["format"] == "%b %Y"  # no January inside: the year all the same
    assert axis(["2025-01-27", "2025-02-24"])["format"] == "%-d %b"  # not the weekday


def test_one_period_is_drawn_as_a_point_not_an_empty_line():
    frame = pd.DataFrame({"period_start": pd.to_datetime(["2025-11-17"]), "articles": [1], "is_complete": [True]})
    spec = vegalite.lines(frame, value="articles", series=None, freq="W", periods=["2025-11-17"], ylabel="a",
                          title="t")
    points = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "circle")
    assert points["encoding"]["opacity"]["value"] == 1
    many = vegalite.lines(timeline.count(articles(WEEKS), freq="W"), value="articles", series=None, freq="W",
                          periods=PERIODS, ylabel="a", title="t")
    assert next(layer for layer in many["layer"] if layer["mark"]["type"] == "circle")["encoding"]["opacity"][
        "value"] == 0  # many periods: a line, points on hover


def test_a_share_with_its_band_shades_it_and_says_it_on_hover():
    counts = timeline.shares(timeline.count(articles(WEEKS), freq="W", by="source"), by="source")
    spec = vegalite.lines(counts, value="share", series="source", freq="W", periods=PERIODS, ylabel="share",
                          title="t", percent=True, band=("share_low", "share_high"))
    area = spec["layer"][0]
    assert area["mark"]["type"] == "area" and area["encoding"]["y"]["stack"] is None
    row = values(spec).iloc[0]
    assert row["lo"] < row["v"] < row["hi"] and "share" not in row  # the share is what is drawn
    band = next(transform for transform in spec["transform"] if transform["as"] == "band")
    assert "format(datum.lo, '.1%')" in band["calculate"]
    assert tooltip(spec)["share"] == ".1%" and "95 % band" in tooltip(spec)
    assert "Share of the period's articles" not in tooltip(spec)  # the value drawn is that share already


def test_spikes_are_ringed_as_on_the_static_chart():
    counts = timeline.count(articles(WEEKS), freq="W").assign(is_spike=[True, False, False, False])
    spec = vegalite.lines(counts, value="articles", series=None, freq="W", periods=PERIODS, ylabel="a", title="t")
    rings = [layer for layer in spec["layer"] if layer.get("transform") == [{"filter": "datum.spike"}]]
    assert len(rings) == 1 and values(spec)["spike"].tolist() == [True, False, False, False]
    plain = vegalite.lines(counts.assign(is_spike=False), value="articles", series=None, freq="W", periods=PERIODS,
                           ylabel="a", title="t")
    assert len(plain["layer"]) == 3  # the line, dotted into the last week, and its points: no ring without a spike


def test_a_heat_map_cell_carries_its_share_denominator_and_main_topic_count():
    frame = pd.DataFrame({"source": ["RFI", "RFI", "AFP", "AFP"], "topic": [1, 2, 1, 2], "name": ["1. a", "2. b"] * 2,
                          "articles": [10, 10, 4, 4], "share": [0.7, 0.3, 0.25, 0.75]})
    spec = vegalite.heatmap(frame, rows="name", columns="source", value="share", order=["2. b", "1. a"], title="t",
                            main={"0:0": 3, "1:0": 7, "0:1": 3})
    cells = values(spec).set_index(["n", "col"])
    assert cells["v"].to_dict() == {("1. a", "RFI"): 0.7, ("2. b", "RFI"): 0.3, ("1. a", "AFP"): 0.25,
                                    ("2. b", "AFP"): 0.75}
    assert cells["total"].to_dict() == {("1. a", "RFI"): 10, ("2. b", "RFI"): 10, ("1. a", "AFP"): 4,
                                        ("2. b", "AFP"): 4}
    assert cells.loc[("2. b", "RFI"), ["s", "c", "main"]].tolist() == [0, 0, 3]
    assert cells.loc[("1. a", "AFP"), "main"] == 0  # no main-topic article there
    shade = spec["layer"][0]
    assert shade["encoding"]["y"]["sort"] == ["2. b", "1. a"] and shade["encoding"]["x"]["sort"] == ["RFI", "AFP"]
    assert shade["params"][0]["select"]["fields"] == ["s", "c"]
    assert "Articles of the source (denominator)" in tooltip({"layer": [shade]})


@pytest.mark.parametrize(("languages", "expected"), [
    (["fr"] * 3, "fr"),
    (["fr", "fr", "en"], "fr"),  # mostly French
    (["FR", None, "fr", "en"], "fr"),
    (["fr", "en"], "fr"),  # half
    (["fr", "en", "de"], ""),  # none has half
    ([None, None], ""),
    ([], ""),
])
def test_the_corpus_language_is_that_of_most_of_its_articles(languages, expected):
    frame = pd.DataFrame({"language": pd.array(languages, dtype="string")})
    assert vegalite.language(frame) == expected


def test_a_corpus_without_a_language_column_has_none():
    assert vegalite.language(articles(WEEKS)) == ""


def test_a_french_corpus_gets_vegas_french_number_and_time_formats_in_its_own_spec():
    frame = articles(WEEKS).assign(language="fr")
    shown = plots.counts(timeline.count(frame, freq="W"), freq="W").with_articles(frame)
    locale = shown.spec["config"]["locale"]
    assert locale["number"] | {"currency": None} == {"decimal": ",", "thousands": "\u202f", "grouping": [3],
                                                     "currency": None, "percent": "\u202f%"}
    assert locale["time"]["shortMonths"][1] == "févr." and locale["time"]["months"][7] == "août"
    assert shown.spec["config"]["axisX"]["format"] == "%-d %b"  # month names, from the locale
    english = plots.counts(timeline.count(articles(WEEKS), freq="W"), freq="W").with_articles(articles(WEEKS))
    assert "locale" not in english.spec["config"]  # Vega's default: English
    unchanged = vegalite.localised(english.spec, "de")  # no locale of its own: as it is
    assert unchanged == english.spec


def test_every_interactive_chart_of_a_french_corpus_is_in_french():
    frame = articles({"2025-01-06": 4, "2025-02-03": 2}).assign(language="fr")
    shares = pd.DataFrame({"period_start": pd.to_datetime(["2025-01-01"] * 2 + ["2025-02-01"] * 2),
                           "topic": [1, 2] * 2, "name": ["1. a", "2. b"] * 2, "share": [0.5, 0.5, 0.25, 0.75],
                           "articles": [4, 4, 2, 2], "is_complete": True})
    main = pd.DataFrame({"article_id": frame["article_id"], "topic": pd.array([1, 2, 2, 2, 1, 1], dtype="Int64")})
    stacked = plots.stacked(shares, series="name", freq="M", order=["1. a", "2. b"], title="t")
    by_source = pd.DataFrame({"source": ["RFI", "RFI"], "topic": [1, 2], "name": ["1. a", "2. b"],
                              "articles": [3, 3], "share": [0.5, 0.5]})
    heat = plots.heatmap(by_source, rows="name", columns="source", value="share", order=["1. a", "2. b"], title="t")
    for shown in (stacked.with_articles(frame, topics=main), heat.with_articles(frame, topics=main, freq="M")):
        assert shown.spec["config"]["locale"] == vegalite.LOCALES["fr"]
