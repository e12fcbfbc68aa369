import pandas as pd
import pyarrow as pa
import pytest
from newsframe import words

from tests.analysis.frames import articles


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("L\u2019Afrique", "afrique"),  # typographic apostrophe, elision
        ("l'Afrique", "afrique"),
        ("jusqu'à", "a"),
        ("aujourd\u2019hui", "aujourd'hui"),  # not an elision: the apostrophe is kept, made straight
        ("Sécurité", "securite"),
        ("RÉGIONALE,", "regionale"),  # punctuation at the edges
        ("«\u00a0paix\u00a0»", "paix"),
        ("Russie\u2013Afrique", "russie\u2013afrique"),  # inside a word, kept
        ("U.S.", "u.s"),
    ],
)
def test_fold_one_rule_for_every_analysis(raw, folded):
    assert words.fold(pa.array([raw], pa.large_string())).to_pylist() == [folded]
    assert words.fold_word(raw) == folded


def test_fold_keeps_accents_for_showing_words():
    shown = words.fold(pa.array(["L\u2019E\u0301te\u0301", "D\u2019Afrique,"], pa.large_string()), keep_accents=True)
    assert shown.to_pylist() == ["été", "afrique"]


def test_character_folds_agree_with_fold_and_keep_the_length():
    text = "L’Afrique, ÉTÉ, Ça, naïve, Œuvre, ß, ﬁn"
    folded = text.translate(words.FOLD_CHARACTERS)
    assert len(folded) == len(text)
    assert folded == "l'afrique, ete, ca, naive, œuvre, ß, ﬁn"  # ß and ﬁ fold to two letters: left as written
    for word in ("L’Afrique", "ÉTÉ", "Ça", "naïve"):
        assert words.fold_word(word.translate(words.FOLD_CHARACTERS)) == words.fold_word(word)


def python_word_counts(frame):
    # The reference: Python's own split of title and text, each word folded by `words.fold`.
    from collections import Counter

    raw = Counter(word for title, text in zip(frame["title"].fillna(""), frame["text"].fillna(""), strict=True)
                  for word in f"{title}\n{text}".split())
    folded = words.fold(pa.array(list(raw), pa.large_string())).to_pylist()
    counts = pd.Series(list(raw.values()), index=folded).groupby(level=0).sum()
    return counts[counts.index != ""].sort_index()


def test_word_counts_split_like_python_on_edge_cases(monkeypatch):
    monkeypatch.setattr(words, "BATCH_ARTICLES", 3)  # several batches, one of them only empty texts
    texts = ["", "  Le  Mali\n\nau\tsommet ", "d’Afrique. — «\u00a0oui\u00a0»", "", "", "", "fin"]
    frame = articles(*texts, titles=["Titre", None, "", None, None, None, "é"])
    assert words.counts(frame).sort_index().to_dict() == python_word_counts(frame).to_dict()


def test_word_counts_split_like_python_on_real_french_feeds(shared_data):
    from newsframe import ingest

    arts = ingest.read([shared_data / "fr-rss-2025" / "corpus02_feb2025_multisource.json"]).articles.head(400)
    assert words.counts(arts).sort_index().to_dict() == python_word_counts(arts).to_dict()


def test_days_and_months_are_stop_words_in_both_languages():
    from newsframe.analysis import stopwords

    assert {"lundi", "fevrier", "decembre", "monday", "february", "may"} <= stopwords.words()


@pytest.mark.parametrize(
    ("word", "counted"),
    [("mali", True), ("été", True), ("x", False), ("é", False), ("2025", False), ("g7", True), ("--", False),
     ("u.s", True), ("", False)],
)
def test_countable_keeps_words_of_two_characters_with_a_letter(word, counted):
    assert words.countable(pa.array([word], pa.large_string())).tolist() == [counted]


def test_written_keeps_case_and_elision_but_not_edge_punctuation():
    shown = words.written(pa.array(["«\u00a0L\u2019E\u0301te\u0301\u00a0»", "(Donald", "Trump,"], pa.large_string()))
    assert shown.to_pylist() == ["L'Été", "Donald", "Trump"]


def test_python_and_re2_agree_on_what_a_word_is_made_of():
    import re

    import pyarrow.compute as pc

    characters = [chr(code) for code in range(0x30000) if not 0xD800 <= code < 0xE000]
    python = [bool(re.fullmatch(words.PY_WORD_CHARACTER, c)) for c in characters]
    re2 = pc.match_substring_regex(pa.array(characters), f"^{words.WORD_CHARACTER}$").to_pylist()
    import unicodedata  # RE2 may know characters that this Python's Unicode tables do not yet

    assert [c for c, a, b in zip(characters, python, re2, strict=True)
            if a != b and unicodedata.category(c) != "Cn"] == []


def test_the_byte_table_holds_the_separators_of_split():
    text = "".join(chr(code) for code in range(1, 0x80)) + "\u2019"
    tokens, _ = words.split(pa.array([f"a{c}b" for c in text], pa.large_string()), compounds=True)
    separating = {c for c, n in zip(text, pd.Series(_).value_counts().sort_index(), strict=True) if n == 2}
    assert separating == {chr(b) for b in range(1, 0x80) if words.SEPARATOR_BYTES[b]} | {"\u2019"}
    assert words.TYPOGRAPHIC_APOSTROPHE.decode() == "\u2019"


def test_reporting_verbs_ages_and_agency_names_are_stop_words_but_not_us():
    from newsframe.analysis import stopwords

    assert {"says", "ans", "tass", "xinhua", "afp"} <= stopwords.words()
    assert "us" not in stopwords.words()  # folded, "US" is "us": an actor of the news, kept
