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


def _changed_by_nfc_or_composing() -> set[str]:
    """Every character NFC can change: those not NFC on their own, and those that compose with what precedes them."""
    import unicodedata

    found = set()
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        if not unicodedata.is_normalized("NFC", char):
            found.add(char)
        found.update(unicodedata.normalize("NFD", char)[1:])  # the parts a precomposed character is built from
    return found


def test_nfc_check_covers_every_character_nfc_can_change():
    import pyarrow as pa
    import pyarrow.compute as pc

    # The fast path skips texts without these characters, so the pattern (run by the same regex engine) must
    # catch every one of them.
    chars = sorted(_changed_by_nfc_or_composing())
    caught = pc.match_substring_regex(pa.array(chars), text._MAYBE_NOT_NFC).to_pylist()
    missed = [f"U+{ord(c):04X}" for c, hit in zip(chars, caught, strict=True) if not hit]
    assert len(chars) > 1000  # sanity: the enumeration found the known set (about 1,250 characters)
    assert missed == []


def test_clean_leaves_clean_text_alone_and_cleans_the_rest_in_place():
    raw = pd.Series(["déjà propre", "à  nettoyer", "e\u0301t\u00e9", "\u212b", "fin "], dtype="string")
    assert text.clean(raw).tolist() == ["déjà propre", "à nettoyer", "été", "\u00c5", "fin"]


def test_duplicate_key_is_equal_for_equal_texts_only():
    keys = text.duplicate_key(pd.Series(["L\u2019Afrique", "L\u2019Afrique", "l\u2019Afrique", None], dtype="string"))
    assert keys[0] == keys[1]
    assert keys[1] != keys[2]
    assert keys.dtype == "int64"
