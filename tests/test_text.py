import pandas as pd
import pytest
from newsframe import text


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        (" date\u00a0x  y ", "date x y"),
        ("a\r\n\r\n\r\n\r\nb", "a\n\nb"),
        ("pré\u0301sident", "pré\u0301sident".replace("e\u0301", "é")),
        ("e\u0301", "é"),  # NFC: decomposed accent composed
        ("zéro\u200blargeur", "zérolargeur"),
        ("Il dit\u202f: «\u00a0oui\u00a0»", "Il dit : « oui »"),
        ("L\u2019Afrique", "L\u2019Afrique"),  # typographic apostrophe kept as written
        (None, ""),
    ],
)
def test_clean(raw, cleaned):
    assert text.clean(pd.Series([raw], dtype="string")).iloc[0] == cleaned


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("L\u2019Afrique", "l'afrique"),
        ("l'Afrique", "l'afrique"),
        ("Sécurité  RÉGIONALE", "securite regionale"),
        ("« paix »", '" paix "'),
        ("Russie\u2013Afrique", "russie-afrique"),
    ],
)
def test_fold_makes_typography_searchable(raw, folded):
    assert text.fold(pd.Series([raw])).iloc[0] == folded


def test_clean_keeps_index():
    series = pd.Series(["a  b", "c"], index=[5, 9])
    assert list(text.clean(series).index) == [5, 9]
