import pandas as pd
import pytest
from newsframe.analysis import events
from newsframe.errors import ParameterError


def test_events_read_with_spans_and_sorted(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text('date,label,end_date\n2023-07-27,"Sommet Russie–Afrique, Saint-Pétersbourg",2023-07-28\n'
                    "2022-02-24,Invasion,\n", encoding="utf-8")
    out = events.read(path)
    assert out["label"].tolist() == ["Invasion", "Sommet Russie–Afrique, Saint-Pétersbourg"]
    assert out["date"].iloc[1] == pd.Timestamp("2023-07-27", tz="UTC")
    assert pd.isna(out["end_date"].iloc[0]) and out["end_date"].iloc[1] == pd.Timestamp("2023-07-28", tz="UTC")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("when,label\n2023-01-01,x\n", "no date column"),
        ("date,label\n27/07/2023,x\n", "row 2: date '27/07/2023' is not a date"),
        ("date,label,end_date\n2023-07-27,x,2023-07-01\n", "row 2: end_date is before date"),
    ],
)
def test_bad_events_files_say_which_row_and_what_to_write(tmp_path, content, message):
    path = tmp_path / "events.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ParameterError, match=message):
        events.read(path)


def test_missing_events_file(tmp_path):
    with pytest.raises(ParameterError, match="not found"):
        events.read(tmp_path / "none.csv")
