import pandas as pd
from newsframe.corpus import duplicates, ids


def test_duplicate_key_is_equal_for_equal_texts_only():
    texts = pd.Series(["L\u2019Afrique", "L\u2019Afrique", "l\u2019Afrique", None], dtype="string")
    keys = duplicates.duplicate_key(ids.text_digests(texts))
    assert keys[0] == keys[1]
    assert keys[1] != keys[2]
    assert keys.dtype == "int64"
