import pandas as pd
import pytest
from newsframe import timeline
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


def test_between_is_inclusive_of_the_end_day():
    frame = articles([("2025-01-01", "A"), ("2025-01-31 23:00", "A"), ("2025-02-01", "A")])
    assert len(timeline.between(frame, start="2025-01-01", end="2025-01-31")) == 2


@pytest.mark.parametrize(("options", "message"), [({"freq": "fortnight"}, "freq="), ({"by": "outlet"}, "by=")])
def test_bad_options_say_what_is_allowed(options, message):
    with pytest.raises(ParameterError, match=message):
        timeline.count(articles([("2025-01-05", "A")]), **options)
