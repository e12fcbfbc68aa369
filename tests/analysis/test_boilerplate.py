import functools

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from newsframe import words
from newsframe.analysis import boilerplate

from tests.analysis.frames import articles

CITIES = ["Lyon", "Lille", "Nantes", "Rennes", "Brest", "Nice", "Metz", "Dijon", "Caen", "Tours", "Pau", "Albi"]
SIGN_UP = "Inscrivez-vous à notre lettre du matin pour ne rien manquer."


def news(i: int) -> str:
    """An ordinary article of its own: no sentence of it comes back elsewhere, even folded (digits all fold alike,
    so the article's number is spelled in letters)."""
    city, tag = CITIES[i % len(CITIES)], "".join(chr(ord("a") + int(digit)) for digit in str(i))
    return f"Le conseil de {city} a voté le budget {tag}. La séance {tag} a duré longtemps à {city}."


def sources(**texts_by_source: list[str]) -> pd.DataFrame:
    """Return an articles frame with several sources, one article a day."""
    frames = [articles(*texts).assign(source=name) for name, texts in texts_by_source.items()]
    frame = pd.concat(frames, ignore_index=True)
    return frame.assign(article_id=[f"a{i}" for i in range(len(frame))], source=frame["source"].astype("string"))


def test_a_sign_up_sentence_in_8_of_10_articles_is_found():
    texts = [news(i) + (f"\n\n{SIGN_UP}" if i < 8 else "") for i in range(10)]
    found = boilerplate.find(articles(*texts))
    expected = pd.DataFrame({"source": ["S"], "text": [SIGN_UP], "articles": [8], "share": [0.8], "where": ["line"]})
    pd.testing.assert_frame_equal(found, expected.astype({"source": "string", "text": "string", "where": "string"}))


def test_a_sentence_shared_a_little_across_sources_is_not_found():
    shared = "Le gouvernement a présenté son plan pour les hôpitaux publics."
    found = boilerplate.find(sources(**{
        name: [news(i) + (f" {shared}" if i == 0 else "") for i in range(10)] for name in "ABCDEF"}))
    assert found.empty


def test_a_source_with_fewer_articles_than_min_articles_has_none():
    assert boilerplate.find(articles(*[news(i) + f" {SIGN_UP}" for i in range(3)]), min_articles=5).empty
    assert len(boilerplate.find(articles(*[news(i) + f" {SIGN_UP}" for i in range(5)]), min_articles=5)) == 1


@pytest.mark.parametrize("variants", [
    ["Retrouvez BFMTV du lundi au vendredi à 18h.", "Retrouvez BFMTV du lundi au vendredi à 19h."],
    ["Retrouvez BFMTV du lundi au vendredi à 18h.", "RETROUVEZ BFMTV DU LUNDI AU VENDREDI A 7H !"],
    ["« Retrouvez » l’émission BFMTV du lundi.", "Retrouvez, l'émission BFMTV du lundi..."],  # marks, apostrophes
    ["Partagez cet article sur http://a.fr/x12", "Partagez cet article sur https://b.com/y?z=3"],  # ends a piece
])
def test_case_accents_digits_marks_and_addresses_fold_alike(variants):
    texts = [f"{news(i)} {variants[i % len(variants)]}" for i in range(10)]
    found = boilerplate.find(articles(*texts))
    assert found[["articles", "where"]].to_dict("records") == [{"articles": 10, "where": "sentence"}]
    assert found["text"].iloc[0] in variants


def test_short_pieces_are_left_to_stop_words():
    assert boilerplate.find(articles(*[f"{news(i)}\n\nLire aussi" for i in range(10)])).empty


def test_exact_copies_count_once():
    frame = articles(*[f"{news(i)} {SIGN_UP}" for i in range(4)] * 3)
    frame["duplicate_of"] = pd.array([None] * 4 + ["a0"] * 8, dtype="string")
    assert boilerplate.find(frame).empty


def test_a_sentence_shared_by_one_days_articles_only_is_news():
    lead = "Le suspect a été placé en garde à vue ce lundi soir à Paris."
    frame = articles(*[f"{lead} {news(i)}" if i < 6 else news(i) for i in range(20)])
    same_day = frame.assign(published=frame["published"].where(frame.index >= 6, frame["published"].iloc[0]))
    assert boilerplate.find(same_day).empty
    assert boilerplate.find(frame)["articles"].tolist() == [6]


def test_only_the_edges_of_a_long_text_are_read():
    def text(i, at):
        paragraphs = [f"{news(i)} Paragraphe {chr(ord('a') + j)}." for j in range(9)]
        paragraphs.insert(at, SIGN_UP)
        return "\n\n".join(paragraphs)

    assert boilerplate.find(articles(*[text(i, at=5) for i in range(10)])).empty  # the middle of ten paragraphs
    assert len(boilerplate.find(articles(*[text(i, at=9) for i in range(10)]))) == 1  # the last


def test_find_groups_by_any_column_and_needs_no_dates():
    frame = articles(*[f"{news(i)} {SIGN_UP}" for i in range(10)]).drop(columns="published")
    found = boilerplate.find(frame.assign(section=pd.array(["Monde"] * 10, dtype="string")), by="section")
    assert found[["source", "articles"]].to_dict("records") == [{"source": "Monde", "articles": 10}]


def test_an_empty_frame_finds_nothing_with_typed_columns():
    found = boilerplate.find(articles())
    assert list(found.columns) == ["source", "text", "articles", "share", "where"] and found.empty
    assert found["articles"].dtype == "int64"
    assert boilerplate.strip(articles(), found).empty


FOUND = pd.DataFrame({"source": ["S"], "text": [SIGN_UP], "articles": [9], "share": [0.9], "where": ["sentence"]})


@pytest.mark.parametrize(("text", "stripped"), [
    (f"Un. {SIGN_UP} Deux.", "Un. Deux."),
    (f"Un. Deux. {SIGN_UP}", "Un. Deux."),
    (f"{SIGN_UP} Un. Deux.", "Un. Deux."),
    (f"Un.\n\n{SIGN_UP}\n\nTrois.", "Un.\n\nTrois."),
    (f"{SIGN_UP}\n\nDeux.", "Deux."),
    (f"Un.\n\n{SIGN_UP}", "Un."),
    (f"Un.\n\n{SIGN_UP}\nDeux.\n\nTrois.", "Un.\n\nDeux.\n\nTrois."),  # its paragraph keeps its other line
    (f"Un.\n{SIGN_UP}\n\nTrois.", "Un.\n\nTrois."),  # the paragraph break outlives it
    (f"Un. {SIGN_UP} {SIGN_UP.upper()}\n\nDeux.", "Un.\n\nDeux."),
    (f"Un.\n\n{SIGN_UP}\n\n{SIGN_UP}\n\nQuatre.", "Un.\n\nQuatre."),
    (f"Un.\n\n{SIGN_UP}\n{SIGN_UP}\n\nQuatre.", "Un.\n\nQuatre."),  # two lines, one paragraph
    (f"Un. {SIGN_UP}\n{SIGN_UP} Deux.", "Un.\nDeux."),  # the line break stays between what is left
    (f"Un.\n{SIGN_UP} {SIGN_UP}\nDeux.", "Un.\nDeux."),  # a line of flagged sentences only
    (f"« Oui. » {SIGN_UP} « Non. »", "« Oui. » « Non. »"),
    (f"Un. {SIGN_UP.replace('matin', 'soir')}", f"Un. {SIGN_UP.replace('matin', 'soir')}"),  # another sentence
    (f"Un {SIGN_UP.lower()}", f"Un {SIGN_UP.lower()}"),  # inside a sentence: not a piece of its own
    (SIGN_UP, ""),
])
def test_strip_removes_flagged_pieces_and_keeps_the_rest_tidy(text, stripped):
    assert boilerplate.strip(articles(text), FOUND)["text"].tolist() == [stripped]


def test_strip_leaves_other_sources_and_the_input_alone():
    frame = sources(S=[f"Un. {SIGN_UP}", "Deux."], T=[f"Un. {SIGN_UP}"])
    before = frame.copy()
    out = boilerplate.strip(frame, FOUND)
    pd.testing.assert_frame_equal(frame, before)
    assert out["text"].tolist() == ["Un.", "Deux.", f"Un. {SIGN_UP}"]
    pd.testing.assert_frame_equal(out.drop(columns="text"), frame.drop(columns="text"))


def test_strip_empties_a_title_only_when_all_of_it_is_boilerplate():
    frame = articles("Un.", "Deux.", titles=[SIGN_UP, f"Grève: {SIGN_UP}"])
    assert boilerplate.strip(frame, FOUND)["title"].tolist() == ["", f"Grève: {SIGN_UP}"]


@pytest.mark.parametrize("dtype", ["string", object])
def test_strip_keeps_missing_values_and_the_column_types(dtype):
    frame = articles(f"Un. {SIGN_UP}", None, "Deux.", titles=[None, SIGN_UP, "Titre"])
    frame = frame.astype({"text": dtype, "title": dtype})
    out = boilerplate.strip(frame, FOUND)
    assert out["text"].isna().tolist() == [False, True, False] and out["title"].isna().tolist() == [True, False, False]
    assert out["text"].iloc[0] == "Un." and out["title"].iloc[1] == ""
    assert (out.dtypes == frame.dtypes).all()


def test_find_and_strip_do_not_change_their_input():
    frame = articles(*[f"{news(i)} {SIGN_UP}" for i in range(10)])
    before = frame.copy()
    boilerplate.strip(frame, boilerplate.find(frame))
    pd.testing.assert_frame_equal(frame, before)


# -- real data -----------------------------------------------------------------------------------------------------


@functools.cache
def read(path) -> pd.DataFrame:
    from newsframe import ingest

    return ingest.read([path]).articles


def real(shared_data, name: str) -> pd.DataFrame:
    """Return the articles of a real set: the English CSV, or one of the French feeds' JSON files."""
    return read(shared_data / ("newsarticles-en" if name.endswith(".csv") else "fr-rss-2025") / name)


def found_in(shared_data, name: str) -> pd.DataFrame:
    return boilerplate.find(real(shared_data, name))


def test_finds_the_bfmtv_witness_prompt(shared_data):
    found = found_in(shared_data, "corpusBFMTV.json")
    witness = found[found["source"].str.contains("BFMTV - Météo Témoins")]
    assert witness[["text", "articles", "share"]].to_dict("records") == [{
        "text": "Faites comme ce témoin BFMTV et vous aussi venez déposer vos vidéos d'actualités sur "
                "http://temoins.bfmtv.com/.", "articles": 30, "share": 1.0}]
    # The same-day leads of one interview's clips are news, not boilerplate.
    assert not found["text"].str.contains("invité du Face").any()


def test_finds_the_french_programme_notices(shared_data):
    found = found_in(shared_data, "corpus02_feb2025_multisource.json")
    feed = found["source"].str.extract(r"^(Le Figaro - Madame|France Info - Culture)", expand=False)
    assert set(zip(feed, found["text"], found["articles"], strict=True)) >= {
        ("Le Figaro - Madame", "Bref, le meilleur de la mode !", 21),
        ("Le Figaro - Madame", "Retrouvez tous les looks du show en photo ainsi que les coulisses, les détails et les "
                               "meilleurs moments du défilé en vidéo.", 21),
        ("France Info - Culture", "Tous les jours, une personnalité s'invite dans le monde d'Élodie Suigo.", 5),
    }
    assert len(found) <= 5


def test_finds_the_english_share_buttons_and_datelines(shared_data):
    found = found_in(shared_data, "NewsArticles.csv")
    by_source = found.groupby("source")["text"].apply(" | ".join)
    assert "Send Facebook Twitter Google+ Whatsapp Tumblr linkedin stumble Digg reddit Newsvine" in by_source["dw.com"]
    assert "MOSCOW, February 7. /TASS/." in by_source["tass.com"]
    assert "Source:-Al Jazeera and news agencies" in by_source["aljazeera.com"]
    assert "Please include a contact number if you are willing to speak to a BBC journalist." in by_source["bbc.co.uk"]
    assert found[found["source"] == "dw.com"]["articles"].max() > 100


@pytest.mark.parametrize("name", ["corpusBFMTV.json", "corpus02_feb2025_multisource.json", "NewsArticles.csv"])
def test_ordinary_news_sentences_are_not_flagged(shared_data, name):
    found = found_in(shared_data, name)
    assert found.groupby("source").size().max() <= 15
    long = found[found["text"].str.split().str.len() > 25]
    assert (long["articles"] >= 10).all(), long  # a long sentence only when it really repeats


@pytest.mark.parametrize("name", ["corpusBFMTV.json", "NewsArticles.csv"])
def test_the_byte_key_loses_no_piece(shared_data, name, monkeypatch):
    # Every piece is a candidate when the byte key is switched off: the exact fold alone must find the same.
    frame = real(shared_data, name)
    monkeypatch.setattr(boilerplate, "MIN_DAYS", 1)
    quick = boilerplate.find(frame, min_articles=2, min_share=0)
    monkeypatch.setattr(boilerplate, "_often", lambda group, key, need: np.ones(len(key), bool))
    pd.testing.assert_frame_equal(quick, boilerplate.find(frame, min_articles=2, min_share=0))
    assert len(quick) >= 30


@pytest.mark.parametrize("name", ["corpus02_feb2025_multisource.json", "NewsArticles.csv"])
def test_stripped_articles_hold_no_boilerplate_and_stay_tidy(shared_data, name):
    frame = real(shared_data, name)
    found = boilerplate.find(frame)
    out = boilerplate.strip(frame, found)
    assert boilerplate.find(out).empty
    changed = out["text"] != frame["text"]
    assert changed.sum() >= found.groupby("source")["articles"].max().sum()
    for pattern in ["  ", "\n\n\n", r"^\s", r"\s$", r" \n"]:
        assert out["text"].str.contains(pattern).sum() <= frame["text"].str.contains(pattern).sum(), pattern
    removed = frame["text"][changed].str.len() - out["text"][changed].str.len()
    assert (removed > 0).all()


def test_folding_keeps_the_letters_of_the_byte_key():
    # The byte key reads b f g h k v w x in either case before folding: `words.fold` must keep them, lower-cased.
    letters = "bfghkvwx"
    folded = words.fold(pa.array([*letters, *letters.upper()], pa.large_string())).to_pylist()
    assert folded == [*letters, *letters]
