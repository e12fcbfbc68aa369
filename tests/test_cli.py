from newsframe import cli, corpus


def test_ingest_command_prints_a_summary(write, tmp_path, capsys):
    write("raw/a.csv", "headline,date,body\nA,2025-01-01,Le texte de l'article.\nB,,Sans date.\n")
    out = tmp_path / "corpus.parquet"
    assert cli.main(["ingest", str(tmp_path / "raw"), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "read 2 records: kept 1, duplicates 0, rejected 1" in printed and "missing date: 1" in printed
    assert len(corpus.read(out)) == 1


def test_column_mapping_option(write, tmp_path):
    write("raw/a.csv", "h,quand,corps\nA,2025-01-01,Texte.\n")
    out = tmp_path / "c.parquet"
    args = ["ingest", str(tmp_path / "raw"), "--out", str(out), "--column", "published=quand", "--column",
            "text=corps", "--column", "title=h"]
    assert cli.main(args) == 0
    assert corpus.read(out)["title"].tolist() == ["A"]


def test_missing_folder_is_a_clear_error(tmp_path, capsys):
    assert cli.main(["ingest", str(tmp_path / "nope"), "--out", str(tmp_path / "c.parquet")]) == 1
    assert "no such file or folder" in capsys.readouterr().err
    assert not (tmp_path / "c.parquet").exists()


def test_unknown_language_is_a_clear_error_before_anything_is_read(write, tmp_path, capsys):
    write("raw/a.csv", "headline,date,body\nA,2025-01-01,Le texte de l'article.\n")
    out = tmp_path / "c.parquet"
    assert cli.main(["ingest", str(tmp_path / "raw"), "--out", str(out), "--languages", "fr, en, xx"]) == 1
    assert "the detector does not know 'xx'" in capsys.readouterr().err
    assert not out.exists()
    assert cli.main(["ingest", str(tmp_path / "raw"), "--out", str(out), "--languages", "fr, en"]) == 0  # spaces ok


def test_parameters_command_lists_what_a_notebook_takes(capsys):
    from tests.conftest import ROOT

    assert cli.main(["parameters", str(ROOT / "notebooks" / "topics.ipynb")]) == 0
    printed = capsys.readouterr().out
    assert "k" in printed and 'default "5-15"' in printed and "number of topics" in printed
    assert "Lists: `-p sources=RFI,Le Monde`" in printed


def test_sources_command_lists_sources_and_drafts_a_map(write, tmp_path, capsys):
    write("raw/a.csv", "title,date,text,source\nA,2025-01-01,Un.,Le Figaro - Sport\nB,2025-01-01,Deux.,Le Figaro - "
                       "Culture\nC,2025-01-01,Trois.,RFI\n")
    out = tmp_path / "c.parquet"
    assert cli.main(["ingest", str(tmp_path / "raw"), "--out", str(out)]) == 0
    assert cli.main(["sources", str(out), "--suggest-map", str(tmp_path / "map.csv")]) == 0
    printed = capsys.readouterr().out
    assert "3 sources" in printed and "wrote a draft sources map (1 rules)" in printed
    assert "Le Figaro - *,Le Figaro" in (tmp_path / "map.csv").read_text("utf-8")
    assert cli.main(["sources", str(tmp_path / "none.parquet")]) == 1
