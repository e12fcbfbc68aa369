import pandas as pd
from newsframe.reports import export


def test_export_writes_csv_and_skips_without_a_folder(tmp_path):
    frame = pd.DataFrame({"a": [1, 2]})
    path = export.write_csv(frame, folder=tmp_path / "data", name="term mentions")
    assert path.name == "term-mentions.csv" and pd.read_csv(path)["a"].tolist() == [1, 2]
    assert export.write_csv(frame, folder="", name="x") is None


def test_listing_names_the_files_written_and_their_sizes(tmp_path):
    small = export.write_csv(pd.DataFrame({"a": [1, 2]}), folder=tmp_path / "data", name="counts")
    weights = export.write_parquet(pd.DataFrame({"t": [0.5]}), folder=tmp_path / "data", name="weights")
    text = export.listing([small, None, weights])
    assert text.splitlines()[0] == f"Written to `{tmp_path / 'data'}`:"
    assert "- `counts.csv` (1 KB)" in text and "- `weights.parquet` (" in text and "PosixPath" not in text


def test_listing_says_how_to_get_the_data_when_nothing_was_written():
    assert "set the `data_dir` parameter" in export.listing(export.write_all({"a": pd.DataFrame()}, folder=""))
