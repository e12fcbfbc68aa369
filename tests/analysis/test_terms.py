import pandas as pd
import pytest
from newsframe import words
from newsframe.analysis import terms
from newsframe.errors import ParameterError

from tests.analysis.frames import articles


def counted(texts, groups):
    found = terms.mentions(articles(*texts), groups)
    return {(row.article_id, row.group): row.mentions for row in found.itertuples()}


@pytest.mark.parametrize(
    ("text", "variants", "expected"),
    [
        ("L’Afrique et l'Afrique, d’Afrique.", ["Afrique"], 3),  # elision, both apostrophes
        ("AFRIQUE afrique Afriqué", ["afrique"], 3),  # case and accents
        ("Sécurité et securite", ["sécurité"], 2),
        ("Africa-Russia summit, Russia/Mali", ["Russia"], 2),  # parts of compounds
        ("Russes, russe, Russie, Russ", ["russe*"], 2),  # prefix: russe, russes; not Russie or Russ
        ("Moscou et le Kremlin", ["Moscou", "Kremlin"], 2),
        ("Vladimir Poutine a vu Poutine", ["Vladimir Poutine", "Poutine"], 2),  # the phrase covers its own word
        ("Union africaine, union Africaine, africaine union", ["Union africaine"], 2),
        ("Rosatom", ["Afrique"], 0),
        ("Africain", ["Afrique"], 0),  # whole words only
        ("les sahéliens et le Sahel", ["re:sahel(ien)?s?"], 2),  # regex on folded words
    ],
)
def test_mentions_count_whole_words_without_case_accents_or_elision(text, variants, expected):
    assert counted([text], {"g": variants}).get(("a0", "g"), 0) == expected


def test_mentions_reads_titles_and_leaves_out_articles_without_mentions():
    found = terms.mentions(articles("rien ici", "Le Mali", titles=["Mali", None]), {"Mali": ["Mali"]})
    assert found.to_dict("records") == [{"article_id": "a0", "group": "Mali", "mentions": 1},
                                        {"article_id": "a1", "group": "Mali", "mentions": 1}]


def test_mentions_across_batches(monkeypatch):
    monkeypatch.setattr(words, "BATCH_ARTICLES", 2)
    found = terms.mentions(articles(*["Mali Niger"] * 5), {"Mali": ["Mali"], "Niger": ["Niger"]})
    assert len(found) == 10 and found["mentions"].eq(1).all()


def test_phrase_does_not_run_across_articles(monkeypatch):
    assert counted(["fin Union", "africaine début"], {"UA": ["Union africaine"]}) == {}


def test_groups_from_a_terms_file(tmp_path):
    path = tmp_path / "terms.txt"
    path.write_text("# comment\nRussie: Russie, russe*, Moscou\nMali\n\n", encoding="utf-8")
    assert terms.groups(path) == {"Russie": ["Russie", "russe*", "Moscou"], "Mali": ["Mali"]}
    assert terms.groups(["Togo"]) == {"Togo": ["Togo"]}


@pytest.mark.parametrize("bad", [{"g": ["*"]}, {"g": []}, {"g": ["re:(unclosed"]}])
def test_unusable_variants_are_refused(bad):
    with pytest.raises(ParameterError):
        terms.mentions(articles("x"), bad)


def test_kwic_shows_each_mention_in_its_original_spelling():
    frame = articles("Avant l’Afrique après. Encore AFRIQUE ici.", "Sans rien")
    lines = terms.kwic(frame, {"Afrique": ["afrique"]}, width=8)
    assert lines["keyword"].tolist() == ["Afrique", "AFRIQUE"]
    assert lines["left"].tolist() == ["Avant l’", " Encore "]
    assert lines["date"].tolist() == ["2025-01-01", "2025-01-01"]


def test_kwic_agrees_with_mention_counts():
    texts = ["Le Mali, le Mali-Niger, malien", "MALI et Mâli", "rien"]
    groups = {"Mali": ["Mali", "malien*"]}
    assert len(terms.kwic(articles(*texts), groups)) == terms.mentions(articles(*texts), groups)["mentions"].sum()


def test_first_mentions_give_each_groups_first_mention_in_kwics_words():
    frame = articles("Rien. Le Mali et le MALI, puis Moscou.", "Moscou seul", "rien",
                     titles=["Bamako", "À Bamako", None])
    groups = {"Mali": ["Mali", "Bamako"], "Russie": ["Moscou"]}
    found = terms.mentions(frame, groups)
    first = terms.first_mentions(frame, found, groups, width=10)
    assert first[["article_id", "group", "keyword"]].values.tolist() == [  # the text's before the title's
        ["a0", "Mali", "Mali"], ["a0", "Russie", "Moscou"], ["a1", "Mali", "Bamako"], ["a1", "Russie", "Moscou"]]
    assert first["right"].iloc[0] == " et le MAL" and first["left"].iloc[1] == "ALI, puis "
    assert first["left"].iloc[2] == "À " and first["right"].iloc[2] == " Moscou se"  # only the title has it
    everything = terms.kwic(frame, groups, group="Russie", width=10)  # the same lines as KWIC shows
    assert first.loc[first["group"] == "Russie", ["left", "keyword", "right"]].values.tolist() == everything[
        ["left", "keyword", "right"]].values.tolist()


def test_first_mentions_look_only_for_the_pairs_found():
    frame = articles("Mali et Moscou")
    found = terms.mentions(frame, {"Mali": ["Mali"]})
    first = terms.first_mentions(frame, found, {"Mali": ["Mali"], "Russie": ["Moscou"]})
    assert first["group"].tolist() == ["Mali"]


def test_demo_terms_find_the_planted_summit(tmp_path):
    from newsframe import demo, ingest

    demo.write(tmp_path / "raw", articles=300)
    arts = ingest.read([tmp_path / "raw"]).articles
    found = terms.mentions(arts, terms.groups(tmp_path / "raw" / "_terms.txt"))
    summit = arts[arts["article_id"].isin(found.loc[found["group"] == "sommet / summit", "article_id"])]
    in_burst = summit["published"].between(pd.Timestamp(demo.EVENT_DATE, tz="UTC"),
                                           pd.Timestamp(demo.EVENT_DATE, tz="UTC") + pd.Timedelta(days=10))
    # Most planted summit articles say "sommet"/"summit" (some only name the city or the delegations), and the
    # ten burst days hold more of them than the rest of the three years put together.
    assert in_burst.sum() >= 0.8 * demo.BURST_EXTRA
    assert in_burst.sum() > (~in_burst).sum()


def test_french_feeds_mentions(shared_data):
    from newsframe import ingest

    arts = ingest.read([shared_data / "fr-rss-2025" / "corpus02_feb2025_multisource.json"]).articles
    found = terms.mentions(arts, {"Trump": ["Trump"], "Ukraine": ["Ukraine", "ukrainien*"]})
    text = arts["title"].fillna("") + " " + arts["text"]
    naive = text.str.contains(r"\bTrump\b", case=False, regex=True).sum()
    assert found[found["group"] == "Trump"]["article_id"].nunique() == naive


def test_kwic_spreads_its_lines_over_the_whole_range():
    texts = ["le sommet de printemps"] * 150 + ["le sommet de juillet"] * 3
    frame = articles(*texts).assign(published=pd.to_datetime(
        [f"2022-{1 + i // 30:02d}-{1 + i % 28:02d}" for i in range(150)] + ["2023-07-27"] * 3, utc=True))
    shown = terms.kwic(frame, {"sommet": ["sommet"]}, limit=20, freq="M")
    assert len(shown) <= 20 and (shown["date"] == "2023-07-27").any()  # the late summit is not cut off
    assert shown["date"].str[:7].nunique() >= 5


def test_kwic_reaches_the_last_periods_when_articles_mention_the_term_many_times():
    # Long articles naming Trump 12 times each used up the lines in date order, and the last weeks got none.
    texts = [" ".join(["Trump a parlé."] * 12)] * 60
    frame = articles(*texts).assign(published=pd.date_range("2017-01-02", periods=60, freq="D", tz="UTC"))
    shown = terms.kwic(frame, {"Trump": ["Trump"]}, limit=40, freq="W")
    assert len(shown) <= 40
    assert shown["date"].max() >= "2017-02-27"  # the last week, not only the first ones
    weeks = pd.to_datetime(shown["date"]).dt.to_period("W").nunique()
    assert weeks == pd.Series(frame["published"]).dt.tz_localize(None).dt.to_period("W").nunique()
    assert shown.groupby("article_id").size().max() <= terms.KWIC_LINES_PER_ARTICLE


def test_mentioning_lists_every_article_of_a_group():
    frame = articles("Mali", "rien", "Mali et Mali")
    found = terms.mentions(frame, {"Mali": ["Mali"]})
    listed = terms.mentioning(frame, found, group="Mali")
    assert listed["article_id"].tolist() == ["a0", "a2"] and listed["mentions"].tolist() == [1, 2]
