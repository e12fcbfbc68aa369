import os
import time

from newsframe import cli, corpus


def test_ingest_command_prints_a_summary(write, tmp_path, capsys):
    write("raw/a.csv", "headline,date,body\nA,2025-01-01,Le texte de l'article.\nB,,Sans date.\n")
    out = tmp_path / "corpus.parquet"
    assert cli.main(["ingest", str(tmp_path / "raw"), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "read 2 records: kept 1, duplicates 0, rejected 1" in printed and "missing date: 1" in printed
    assert len(corpus.read(out)) == 1


def test_ingest_again_reads_only_what_is_new_and_full_reads_everything(write, tmp_path, capsys):
    earlier = time.time_ns() - 3600 * 10**9  # a file written while a run reads it is read again by the next run
    os.utime(write("raw/a.txt", "date 2025-01-01 Premier\n\nUn texte assez long pour être gardé.\n"),
             ns=(earlier, earlier))
    args = ["ingest", str(tmp_path / "raw"), "--out", str(tmp_path / "c.parquet")]
    assert cli.main(args) == 0 and cli.main(args) == 0
    printed = capsys.readouterr().out.split("read 1 records")[-1]
    assert "nothing new: no input file is new, changed or gone" in printed
    os.utime(write("raw/b.txt", "date 2025-01-02 Second\n\nUn autre texte assez long pour être gardé.\n"),
             ns=(earlier, earlier))
    assert cli.main(args) == 0
    assert "files: 1 new or changed read, 1 unchanged taken from the corpus, 0 gone" in capsys.readouterr().out
    assert cli.main([*args, "--full"]) == 0
    assert "files:" not in capsys.readouterr().out


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


def test_diff_command_says_what_a_new_export_added_removed_and_changed(write, tmp_path, capsys):
    import pandas as pd

    header = "title,date,text,source,url\n"
    write("old/a.csv", header + "A,2025-01-01,Un.,RFI,https://rfi.fr/a\nB,2025-01-02,Deux.,RFI,https://rfi.fr/b\n"
                                "C,2025-01-03,Trois.,Le Monde,https://lemonde.fr/c\n")
    write("new/a.csv", header + "A,2025-01-01,Un.,RFI,https://rfi.fr/a\nB,2025-01-02,Deux (revu).,RFI,https://rfi.fr/b\n"
                                "\"=HYPERLINK(\"\"http://x.invalid\"\")\",2025-01-04,Quatre.,RFI,\n")
    for name in ("old", "new"):
        assert cli.main(["ingest", str(tmp_path / name), "--out", str(tmp_path / f"{name}.parquet")]) == 0
    capsys.readouterr()
    out = tmp_path / "diff.csv"
    assert cli.main(["diff", str(tmp_path / "old.parquet"), str(tmp_path / "new.parquet"), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "changed 1, added 1, removed 1, unchanged 1" in printed
    assert "changed articles matched by url 1; what changed: text 1" in printed
    assert "        1        1        0  RFI" in printed and "        0        0        1  Le Monde" in printed
    assert "wrote the 3 articles added, removed or changed to" in printed
    rows = pd.read_csv(out)
    assert rows["status"].tolist() == ["changed", "added", "removed"]
    assert rows["title"].tolist()[1] == "'=HYPERLINK(\"http://x.invalid\")"  # shown as text in a spreadsheet
    assert cli.main(["diff", str(tmp_path / "old.parquet"), str(tmp_path / "none.parquet")]) == 1
    assert cli.main(["diff", str(tmp_path / "old.parquet"), str(tmp_path / "old.parquet")]) == 0
    assert "the two corpora hold the same articles" in capsys.readouterr().out
