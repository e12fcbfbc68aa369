import pandas as pd
import pytest
from newsframe.ingest import clean


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
    assert clean.clean(pd.Series([raw], dtype="string")).iloc[0] == cleaned


def test_clean_keeps_index():
    series = pd.Series(["a  b", "c"], index=[5, 9])
    assert list(clean.clean(series).index) == [5, 9]


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
    caught = pc.match_substring_regex(pa.array(chars), clean._MAYBE_NOT_NFC).to_pylist()
    missed = [f"U+{ord(c):04X}" for c, hit in zip(chars, caught, strict=True) if not hit]
    assert len(chars) > 1000  # sanity: the enumeration found the known set (about 1,250 characters)
    assert missed == []


def test_clean_leaves_clean_text_alone_and_cleans_the_rest_in_place():
    raw = pd.Series(["déjà propre", "à  nettoyer", "e\u0301t\u00e9", "\u212b", "fin "], dtype="string")
    assert clean.clean(raw).tolist() == ["déjà propre", "à nettoyer", "été", "\u00c5", "fin"]
