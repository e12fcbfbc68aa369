import json

import pandas as pd
import pytest
from newsframe import language

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
