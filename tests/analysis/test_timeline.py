import pandas as pd
import pytest
from newsframe.analysis import timeline
from newsframe.corpus import select
from newsframe.errors import ParameterError


def articles(rows):
    frame = pd.DataFrame(rows, columns=["published", "source"])
    frame["published"] = pd.to_datetime(frame["published"], utc=True, format="ISO8601")
    frame["duplicate_of"] = pd.Series([None] * len(frame), dtype="string")
    return frame


def test_monthly_counts_keep_empty_months_as_zero():
    frame = articles([("2025-01-05", "RFI"), ("2025-01-20", "RFI"), ("2025-03-31", "RFI")])
    counts = timeline.count(frame, freq="M")
    assert counts["articles"].tolist() == [2, 0, 1]
    assert counts["period_start"].dt.strftime("%Y-%m").tolist() == ["2025-01", "2025-02", "2025-03"]


def test_counts_by_source_fill_every_combination():
    frame = articles([("2025-01-05", "RFI"), ("2025-02-05", "Le Monde")])
    counts = timeline.count(frame, freq="M", by="source")
    assert len(counts) == 4 and counts["articles"].sum() == 2


def test_last_period_is_flagged_incomplete_unless_covered_to_its_end():
    partial = timeline.count(articles([("2025-01-05", "A"), ("2025-02-10", "A")]), freq="M")
    assert partial["is_complete"].tolist() == [True, False]
    full = timeline.count(articles([("2025-01-05", "A"), ("2025-01-31", "A")]), freq="M")
    assert full["is_complete"].tolist() == [True]


def test_a_day_only_date_at_midnight_utc_stays_in_its_week():
    frame = articles([("2025-11-23", "A"), ("2025-11-24", "A")])  # a Sunday, then a Monday
    counts = timeline.count(frame, freq="W")
    assert counts["articles"].tolist() == [1, 1]
    assert counts["period_start"].dt.day_name().tolist() == ["Monday", "Monday"]


@pytest.mark.parametrize(("options", "message"), [({"freq": "fortnight"}, "freq="), ({"by": "outlet"}, "by=")])
def test_bad_options_say_what_is_allowed(options, message):
    with pytest.raises(ParameterError, match=message):
        timeline.count(articles([("2025-01-05", "A")]), **options)


def found_frame(rows):
    return pd.DataFrame(rows, columns=["article_id", "group", "mentions"]).astype(
        {"article_id": "string", "group": "string", "mentions": "int64"})


def test_count_mentions_shares_with_denominator_zeros_and_interval():
    frame = articles([("2025-01-05", "A"), ("2025-01-20", "B"), ("2025-03-31", "A"), ("2025-03-31", "B")])
    frame["article_id"] = ["a", "b", "c", "d"]
    found = found_frame([("a", "Mali", 2), ("c", "Mali", 1), ("d", "Mali", 3)])
    out = timeline.count_mentions(frame, found, freq="M")
    assert out["articles_mentioning"].tolist() == [1, 0, 2]
    assert out["mentions"].tolist() == [2, 0, 4]
    assert out["articles"].tolist() == [2, 0, 2]
    assert out["share"].tolist()[0] == 0.5 and pd.isna(out["share"].iloc[1])  # no articles: no share, not 0 %
    counted = out.iloc[[0, 2]]
    assert (counted["share_low"] <= counted["share"]).all() and (counted["share_high"] >= counted["share"]).all()


def test_wilson_interval_known_values():
    low, high = timeline.wilson(pd.Series([5]), pd.Series([10]))
    assert round(low.iloc[0], 4) == 0.2366 and round(high.iloc[0], 4) == 0.7634


def test_co_mentions_pair_the_anchor_with_each_group():
    found = found_frame([("a", "Russie", 2), ("a", "Mali", 1), ("b", "Mali", 1), ("c", "Russie", 1),
                         ("c", "Niger", 4)])
    pairs = timeline.co_mentions(found, anchor="Russie")
    assert sorted(zip(pairs["article_id"], pairs["group"], pairs["mentions"], strict=True)) == [
        ("a", "Russie × Mali", 1), ("c", "Russie × Niger", 1)]
    assert timeline.co_mentions(found, anchor="").empty
    with pytest.raises(ParameterError, match="anchor"):
        timeline.co_mentions(found, anchor="Togo")


def test_spike_rule_flags_a_burst_and_not_noise():
    values = [10, 12, 9, 11, 10, 13, 9, 11, 40, 12, 11, 10]
    frame = pd.DataFrame({"period_start": pd.date_range("2025-01-06", periods=12, freq="W-MON"), "articles": values})
    out = timeline.mark_spikes(frame, column="articles", window=8, threshold=4.0)
    assert out.loc[out["is_spike"], "articles"].tolist() == [40]
    assert out["baseline"].iloc[8] == 10.5  # the median of the eight weeks before


def test_spikes_need_a_minimum_and_history():
    frame = pd.DataFrame({"period_start": pd.date_range("2025-01-06", periods=6, freq="W-MON"),
                          "articles": [0, 0, 0, 0, 0, 4]})
    assert not timeline.mark_spikes(frame, column="articles", window=4, minimum=5)["is_spike"].any()


def test_smoothing_is_trailing_per_series():
    frame = pd.DataFrame({"period_start": list(pd.date_range("2025-01-01", periods=3, freq="MS")) * 2,
                          "group": ["a"] * 3 + ["b"] * 3, "share": [0.0, 1.0, 2.0, 10.0, 10.0, 40.0]})
    out = timeline.smooth(frame, column="share", window=2, by=["group"])
    assert out["share_smoothed"].tolist() == [0.0, 0.5, 1.5, 10.0, 10.0, 25.0]


def test_demo_burst_is_a_spike_at_its_planted_date(tmp_path):
    from newsframe import demo, ingest

    demo.write(tmp_path / "raw")
    arts = select.originals(ingest.read([tmp_path / "raw"]).articles)
    weekly = timeline.mark_spikes(timeline.count(arts, freq="W"), column="articles")
    spiked = weekly.loc[weekly["is_spike"], "period_start"]
    event_week = pd.Timestamp(demo.EVENT_DATE) - pd.Timedelta(days=pd.Timestamp(demo.EVENT_DATE).weekday())
    assert event_week in set(spiked)
    assert len(spiked) <= 3  # the burst (it spans two weeks), and at most one chance peak


def test_key_period_and_labels():
    counts = pd.DataFrame({"period_start": pd.to_datetime(["2023-06-01", "2023-07-01"]), "articles": [5, 9],
                           "is_spike": [False, True], "spike_score": [0.1, 6.0]})
    assert timeline.key_period(counts, freq="M") == pd.Timestamp("2023-07-01")
    assert timeline.key_period(counts, freq="M", date="2023-06-15") == pd.Timestamp("2023-06-01")
    assert timeline.period_label(pd.Timestamp("2023-07-01"), freq="Q") == "2023-Q3"


def test_reuters_1987_monthly_mentions(shared_data):
    from newsframe import ingest
    from newsframe.analysis import terms

    arts = select.originals(ingest.read([shared_data / "reuters21578" / "reuters21578.jsonl.xz"]).articles)
    found = terms.mentions(arts, {"oil": ["oil", "crude"], "grain": ["wheat", "grain*", "corn"]})
    monthly = timeline.count_mentions(arts, found, freq="M")
    assert set(monthly["group"]) == {"oil", "grain"}
    assert (monthly["articles_mentioning"] <= monthly["articles"]).all()
    busiest = monthly.loc[monthly["articles"].idxmax(), "period_start"]
    assert busiest.year == 1987


def test_spikes_are_found_as_soon_as_there_is_a_baseline():
    frame = pd.DataFrame({"period_start": pd.date_range("2024-01-01", periods=6, freq="W-MON"),
                          "articles": [3, 4, 3, 4, 3, 40]})
    marked = timeline.mark_spikes(frame, column="articles", window=8)  # a baseline from 4 periods of history
    assert marked["spread"].iloc[4:].notna().all()
    assert marked["is_spike"].tolist() == [False, False, False, False, False, True]


def test_shares_of_periods_with_too_few_articles_are_left_blank():
    # 40 articles a week, then a week of one article: its share would be 0 or 100 %, with a band from 0 to 80 %.
    rows = [(f"2025-01-{day:02d}", "RFI" if i % 2 else "AFP") for day in (6, 13) for i in range(40)]
    frame = articles(rows + [("2025-01-20", "RFI")])
    counts = timeline.count(frame, freq="W")
    floor = timeline.share_floor(counts)
    assert floor == 4  # a tenth of the week the median article falls in (40), at least 2 and at most 10
    trickle = timeline.count(articles(rows + [(f"2024-{m:02d}-01", "RFI") for m in range(1, 13)]), freq="W")
    assert timeline.share_floor(trickle) == 4  # a year of one-article weeks does not make one article typical
    assert timeline.share_floor(counts, 10) == 10  # as asked
    shares = timeline.shares(timeline.count(frame, freq="W", by="source"), by="source", min_articles=floor)
    last = shares[shares["period_start"] == pd.Timestamp("2025-01-20")]
    assert last[["share", "share_low", "share_high"]].isna().all().all()
    assert shares.loc[shares["period_start"] < pd.Timestamp("2025-01-20"), "share"].notna().all()
    found = pd.DataFrame({"article_id": pd.Series(["x"], dtype="string"), "group": pd.Series(["g"], dtype="string"),
                          "mentions": [1]})
    mentions = timeline.count_mentions(frame.assign(article_id=["x"] + [f"a{i}" for i in range(len(frame) - 1)]),
                                       found, freq="W", min_articles=floor)
    assert mentions["share"].isna().tolist() == [False, False, True]
    assert mentions["articles"].tolist() == [40, 40, 1]  # the counts stay: only the shares are left out


def test_smoothing_leaves_a_blank_period_blank():
    frame = pd.DataFrame({"period_start": pd.date_range("2025-01-06", periods=4, freq="W-MON"),
                          "share": [0.2, 0.4, float("nan"), 0.6]})
    smoothed = timeline.smooth(frame, column="share", window=2)["share_smoothed"]
    assert smoothed.isna().tolist() == [False, False, True, False]
    assert smoothed.iloc[3] == pytest.approx(0.6)  # the mean of the periods that have a share
