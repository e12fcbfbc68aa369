import json

import pandas as pd
import pytest
from newsframe.errors import ParameterError
from newsframe.ingest import language

FRENCH = ("Le président du Conseil togolais doit rencontrer le président russe à Moscou, ce mercredi. "
          "Au programme des discussions : la paix et la sécurité régionales, mais aussi l'énergie.")
ENGLISH = ("The president of Togo's council is due to meet the Russian president in Moscow on Wednesday. "
           "The talks will cover peace and regional security, and also energy and trade.")
GERMAN = "Der Präsident traf sich mit dem russischen Präsidenten in Moskau, und die Gespräche waren nicht einfach."


def test_detect_inline_texts():
    detected = language.detect(pd.Series([FRENCH, ENGLISH, GERMAN, "", None, "-1", "- -"]))
    assert detected.tolist()[:3] == ["fr", "en", "de"]
    assert detected.iloc[3:].isna().all()


def test_detect_falls_back_for_texts_the_fast_pass_cannot_decide():
    detected = language.detect(pd.Series(["Moscou et Lomé renforcent leurs liens économiques."]))
    assert detected.iloc[0] == "fr"


@pytest.mark.parametrize(("tag", "code"), [("fr-FR", "fr"), ("en_GB", "en"), ("French", "fr"), ("EN", "en"),
                                           ("und", None), (None, None)])
def test_normalise_code(tag, code):
    result = language.normalise_code(pd.Series([tag], dtype="string")).iloc[0]
    assert (pd.isna(result) and code is None) or result == code


def test_accuracy_on_real_french_and_english_news(shared_data):
    """The README states these figures; they must hold on the real sets."""
    items = json.loads((shared_data / "fr-rss-2025" / "corpus02_feb2025_multisource.json").read_text("utf-8"))
    french = pd.Series([f"{i.get('title') or ''}. {i.get('description') or ''}" for i in items
                        if len(i.get("description") or "") >= 100])
    english = pd.read_csv(shared_data / "newsarticles-en" / "NewsArticles.csv")["text"].dropna()
    english = english[english.str.strip() != ""]
    assert (language.detect(french) == "fr").mean() >= 0.995
    english_detected = language.detect(english)
    assert (english_detected == "en").mean() >= 0.997
    # What is not English there is junk such as "-1" or "View Comments": too few letters to have a language.
    wordy = english.str.count(r"[A-Za-z]") >= language.MIN_LETTERS * 3
    assert (english_detected[wordy] == "en").all()


@pytest.mark.parametrize("languages", [tuple(sorted(language.DEFAULT_LANGUAGES)), ("en", "fr")])
def test_unpacked_model_in_the_cache_classifies_like_the_packaged_one(tmp_path, monkeypatch, languages):
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    unpacked = language._from_unpacked_model(languages)
    assert unpacked is not None
    assert [p.name for p in (tmp_path / "newsframe").iterdir()] == [language._unpacked_model_folder().name]
    packaged = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE)
    packaged.set_languages(list(languages))
    for text in (FRENCH, ENGLISH, GERMAN, "Moscou et Lomé", "Accra, 12 mars", "Путин встретился", ""):
        assert unpacked.rank(text) == packaged.rank(text)
    assert language._from_unpacked_model(languages) is not None  # the second time it maps the copy


def test_a_language_the_model_does_not_know_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert language._from_unpacked_model(("fr", "xx")) is None  # the cache cannot answer it: py3langid's loader says
    with pytest.raises(ParameterError, match="does not know 'xx'.*such as fr,en"):
        language.check_languages(("fr", "xx"))
    language.check_languages(("fr", "en", "sw"))  # Swahili, for the East African press: known, so no error


def test_classifier_loads_from_the_package_when_the_cache_cannot_be_written(tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert language._from_unpacked_model(language.DEFAULT_LANGUAGES) is None
    language._load_identifier.cache_clear()
    try:
        detected = language.detect(pd.Series(["Moscou et Lomé renforcent leurs liens économiques."]))
    finally:
        language._load_identifier.cache_clear()
    assert detected.iloc[0] == "fr"


def test_texts_all_decided_by_function_words_need_no_classifier():
    texts = pd.Series([FRENCH, ENGLISH] * 3)
    assert language.detect(texts).tolist() == ["fr", "en"] * 3
