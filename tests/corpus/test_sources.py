import pandas as pd
import pytest
from newsframe import corpus, ingest
from newsframe.corpus import sources
from newsframe.errors import ParameterError

MAP = ("pattern,outlet\n# feeds of one outlet\nFlux RSS - BFMTV - *,BFMTV\nre:^le figaro\\b,Le Figaro\n"
       "Libération - Société,Libération\n")


def test_a_sources_map_names_outlets_by_exact_name_wildcard_or_regex(tmp_path):
    path = tmp_path / "map.csv"
    path.write_text(MAP, encoding="utf-8")
    names = pd.Series(["Flux RSS - BFMTV - Marseille", "LE FIGARO - Sport", "libération - société", "RFI", None],
                      dtype="string")
    assert sources.apply(names, sources.read_map(path)).tolist() == ["BFMTV", "Le Figaro", "Libération", "RFI", pd.NA]


@pytest.mark.parametrize(("text", "message"), [("source;outlet\n", "first line should be `pattern,outlet`"),
                                               ("pattern,outlet\nonly-one-cell\n", "rule 2: expected"),
                                               ("pattern,outlet\nre:(,X\n", "not a regular expression")])
def test_a_bad_sources_map_says_which_line(tmp_path, text, message):
    path = tmp_path / "map.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ParameterError, match=message):
        sources.read_map(path)


def test_suggested_rules_group_sections_into_outlets():
    counts = {"Le Figaro - Sport": 5, "Le Figaro - Économie": 3, "Flux RSS - BFMTV - Marseille": 4,
              "Flux RSS - BFMTV - Lyon": 2, "RFI": 9}
    assert sources.suggest(counts) == [("Le Figaro - *", "Le Figaro", 2, 8), ("Flux RSS - BFMTV - *", "BFMTV", 2, 6)]


def test_suggested_map_round_trips(tmp_path):
    rules = sources.suggest({"A, inc. - x": 1, "A, inc. - y": 1})
    path = sources.write_map(rules, tmp_path / "map.csv")
    assert sources.apply(pd.Series(["A, inc. - x"]), sources.read_map(path)).tolist() == ["A, inc."]


def test_ingest_with_a_map_keeps_the_feed_beside_the_outlet_and_reads_apply_maps_anew(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "x.csv").write_text("title,date,text,source\nA,2025-01-01,texte un,Flux RSS - BFMTV - Lyon.xml\n"
                               "B,2025-01-02,texte deux,Le Figaro - Sport.xml\n", encoding="utf-8")
    (tmp_path / "map.csv").write_text(MAP, encoding="utf-8")
    out = tmp_path / "corpus.parquet"
    ingest.ingest([raw], out=out, sources_map=tmp_path / "map.csv")
    articles = corpus.read(out).set_index("title")
    assert articles.loc["A", ["source", "feed"]].tolist() == ["BFMTV", "Flux RSS - BFMTV - Lyon"]
    assert articles.loc["B", ["source", "feed"]].tolist() == ["Le Figaro", "Le Figaro - Sport"]
    (tmp_path / "other.csv").write_text("pattern,outlet\n*,Everyone\n", encoding="utf-8")
    assert corpus.read(out, sources_map=tmp_path / "other.csv")["source"].unique().tolist() == ["Everyone"]


def test_a_corpus_written_before_the_feed_column_still_reads(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("date 2025-01-01 Titre\n\nTexte.\n", encoding="utf-8")
    out = tmp_path / "corpus.parquet"
    ingest.ingest([raw], out=out)
    pd.read_parquet(out).drop(columns="feed").to_parquet(out)
    assert corpus.read(out)["feed"].tolist() == ["raw"]
