import pandas as pd
import pytest
from newsframe.ingest import dates


@pytest.mark.parametrize(
    ("raw", "expected_utc", "time_known"),
    [
        ("2025-11-19", "2025-11-19T00:00:00", False),
        ("26-FEB-1987 15:01:01.79", "1987-02-26T15:01:01.790", True),
        ("27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM", "1987-03-27T00:02:59.130", True),
        ("2017/2/7", "2017-02-07T00:00:00", False),
        ("2016/12/30 7:11", "2016-12-30T07:11:00", True),
        ("Sat, 15 Feb 2025 21:11:55 +0009", "2025-02-15T21:02:55", True),
        ("Sat, 15 Feb 2025 21:11:55 +0100", "2025-02-15T20:11:55", True),
        ("Tue, 10 Jun 2003 04:00:00 GMT", "2003-06-10T04:00:00", True),
        ("2025-02-15T21:11:55+01:00", "2025-02-15T20:11:55", True),
        ("2025-02-15T21:11:55Z", "2025-02-15T21:11:55", True),
        ("2025-02-15 21:11", "2025-02-15T21:11:00", True),
        ("jeudi 4 octobre 2012", "2012-10-04T00:00:00", False),
        ("4 octobre 2012 à 14h30", "2012-10-04T14:30:00", True),
        ("19 novembre 2025", "2025-11-19T00:00:00", False),
        ("March 5, 2017", "2017-03-05T00:00:00", False),
        ("04/10/2012", "2012-10-04T00:00:00", False),
    ],
)
def test_parse_real_layouts(raw, expected_utc, time_known):
    parsed = dates.parse(pd.Series([raw]))
    assert parsed["date_error"].isna().all(), parsed["date_error"].iloc[0]
    assert parsed["published"].iloc[0] == pd.Timestamp(expected_utc, tz="UTC")
    assert parsed["is_time_known"].iloc[0] is time_known or parsed["is_time_known"].iloc[0] == time_known


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("not a date", "unrecognised date format"),
        ("", dates.NO_DATE),
        (None, dates.NO_DATE),
        ("1066-10-14", "date outside 1800 to next year"),
        ("31-MAR-1987 605:12:19.12", "unrecognised date format"),
    ],
)
def test_parse_refuses_with_reason(raw, error):
    parsed = dates.parse(pd.Series([raw], dtype="string"))
    assert parsed["published"].isna().all()
    assert parsed["date_error"].iloc[0] == error


def test_day_only_date_stays_on_its_day_in_any_timezone_view():
    published = dates.parse(pd.Series(["2025-11-19"]))["published"].iloc[0]
    assert published.tz_convert("UTC").date().isoformat() == "2025-11-19"


def test_parse_keeps_index_and_handles_repeats():
    values = pd.Series(["2017/2/7", "bad", "2017/2/7", None], index=[10, 11, 12, 13])
    parsed = dates.parse(values)
    assert list(parsed.index) == [10, 11, 12, 13]
    assert parsed.loc[10, "published"] == parsed.loc[12, "published"]
    assert parsed["date_error"].notna().tolist() == [False, True, False, True]


def test_month_first_order_when_asked():
    parsed = dates.parse(pd.Series(["04/10/2012"]), date_order="MDY")
    assert parsed["published"].iloc[0] == pd.Timestamp("2012-04-10", tz="UTC")
