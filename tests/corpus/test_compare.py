import pandas as pd
import pytest
from newsframe.corpus import compare, ids

COLUMNS = ["source", "published", "title", "text", "url", "document_id"]
RFI = ("RFI", "2025-01-02 08:00", "Le sommet s'ouvre", "Le sommet s'ouvre à Saint-Pétersbourg.", None, None)
MONDE = ("Le Monde", "2025-01-02", "Les céréales", "Le blé au menu.", "https://lemonde.fr/a", None)
FACTIVA = ("Reuters", "2025-01-03", "Wheat talks", "Wheat was on the menu.", None, "RTRS0001")


def articles(*rows):
    """Articles from (source, published, title, text, url, document_id) rows, with their real ids (content hashes)."""
    frame = pd.DataFrame(rows, columns=COLUMNS).astype({c: "string" for c in COLUMNS if c != "published"})
    frame = frame.assign(published=pd.to_datetime(frame["published"], utc=True, format="ISO8601"))
    return frame.assign(article_id=ids.article_ids(frame, ids.text_digests(frame["text"])))


def edited(row, **fields):
    return tuple(fields.get(name, value) for name, value in zip(COLUMNS, row, strict=True))


def test_the_same_articles_in_another_order_are_unchanged():
    old, new = articles(RFI, MONDE, FACTIVA), articles(FACTIVA, RFI, MONDE)
    compared = compare.diff(old, new)
    assert compared["status"].tolist() == ["unchanged"] * 3
    assert (compared["old_article_id"] == compared["new_article_id"]).all()
    assert compared.columns.tolist() == ["status", "matched_by", "old_article_id", "new_article_id", "source",
                                         "published", "title", "changed"]
    assert "the two corpora hold the same articles" in compare.format_summary(compared)


@pytest.mark.parametrize(("before", "after", "matched_by", "changed"), [
    (FACTIVA, edited(FACTIVA, text="Wheat was on the menu, officials said.", url="https://x.invalid/1"),
     "document_id", "text, url"),
    (MONDE, edited(MONDE, title="Les céréales au menu du sommet"), "url", "title"),
    (RFI, edited(RFI, published="2025-01-02 17:30", text="Le sommet s'est ouvert à Saint-Pétersbourg."),
     "source, title and day", "published, text"),
    (FACTIVA, edited(FACTIVA, source="Reuters News"), "document_id", "source"),
])
def test_an_edited_article_gets_a_new_id_and_is_matched_as_changed(before, after, matched_by, changed):
    old, new = articles(before), articles(after)
    assert old["article_id"][0] != new["article_id"][0]
    [row] = compare.diff(old, new).to_dict("records")
    assert (row["status"], row["matched_by"], row["changed"]) == ("changed", matched_by, changed)
    assert (row["old_article_id"], row["new_article_id"]) == (old["article_id"][0], new["article_id"][0])
    assert row["title"] == after[2]


def test_what_matches_nothing_is_added_or_removed():
    old = articles(RFI, MONDE)
    new = articles(MONDE, edited(RFI, title="Autre chose", text="Un autre article."), FACTIVA)
    compared = compare.diff(old, new)
    assert compared[["status", "source", "title"]].values.tolist() == [
        ["added", "RFI", "Autre chose"], ["added", "Reuters", "Wheat talks"], ["removed", "RFI", "Le sommet s'ouvre"],
        ["unchanged", "Le Monde", "Les céréales"]]
    assert compared["new_article_id"].isna().tolist() == [False, False, True, False]
    assert compared["old_article_id"].isna().tolist() == [True, True, False, False]


def test_a_key_shared_by_several_articles_matches_none_of_them():
    home = "https://example.invalid/"  # a feed linking every item to its home page
    old = articles(edited(RFI, url=home), edited(MONDE, url=home, source="RFI", title="B"))
    new = articles(edited(RFI, url=home, title="A2", text="Nouveau texte."),
                   edited(MONDE, url=home, source="RFI", title="B2", text="Autre texte."))
    assert sorted(compare.diff(old, new)["status"]) == ["added", "added", "removed", "removed"]
    same_day = articles(edited(RFI, text="Premier direct."), edited(RFI, text="Second direct."))  # "Live updates"
    again = articles(edited(RFI, text="Premier direct, mis à jour."), edited(RFI, text="Second direct, mis à jour."))
    assert sorted(compare.diff(same_day, again)["status"]) == ["added", "added", "removed", "removed"]


def test_steps_take_only_what_earlier_steps_left():
    old = articles(edited(MONDE, document_id="D1"), edited(FACTIVA, url="https://lemonde.fr/a", document_id="D2"))
    new = articles(edited(MONDE, text="Texte revu.", document_id="D1"), edited(FACTIVA, url="https://lemonde.fr/a",
                                                                               document_id="D2", title="Revu"))
    compared = compare.diff(old, new)
    assert compared["matched_by"].tolist() == ["document_id", "document_id"]  # the shared url is never needed


def test_empty_corpora_and_inputs_left_as_they_were():
    old, new = articles(RFI, MONDE), articles(MONDE)
    kept = old.copy(), new.copy()
    compare.diff(old, new)
    pd.testing.assert_frame_equal(old, kept[0])
    pd.testing.assert_frame_equal(new, kept[1])
    empty = compare.diff(articles(), articles())
    assert empty.empty and empty.columns.tolist()[0] == "status"
    assert compare.diff(articles(), new)["status"].tolist() == ["added"]


def test_counts_by_source_and_field_most_differences_first():
    old = articles(RFI, MONDE, FACTIVA, edited(RFI, title="Deux", text="Deux."))
    new = articles(edited(FACTIVA, text="Revu."), edited(MONDE, title="Revu"), RFI,
                   edited(RFI, title="Trois", text="Trois."), edited(RFI, title="Quatre", text="Quatre."))
    compared = compare.diff(old, new)
    table = compare.by_source(compared)
    assert table.values.tolist() == [["RFI", 0, 2, 1, 1], ["Le Monde", 1, 0, 0, 0], ["Reuters", 1, 0, 0, 0]]
    assert table.columns.tolist() == ["source", "changed", "added", "removed", "unchanged"]
    assert len(compare.by_source(compared, top=1)) == 1
    assert compare.fields(compared).to_dict() == {"title": 1, "text": 1}
    summary = compare.format_summary(compared, top=2)
    assert summary.splitlines()[0] == "changed 2, added 2, removed 1, unchanged 1"
    assert "changed articles matched by" in summary and "what changed: " in summary
    assert "Reuters" not in summary and "        0        2        1  RFI" in summary
