import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from newsframe.corpus import ids


def _real_ids(count):
    articles = pd.DataFrame({"source": ["RFI"] * count, "title": [f"Titre n° {i}" for i in range(count)],
                             "published": pd.date_range("2025-01-01", periods=count, freq="h", tz="UTC")})
    texts = pd.Series([f"L'Afrique, article {i}." for i in range(count)], dtype="string")
    return ids.article_ids(articles, ids.text_digests(texts))


def test_ids_as_numbers_come_back_as_the_same_text_and_sort_as_it_does():
    article_ids = _real_ids(500)
    numbers = ids.as_numbers(article_ids)
    assert numbers.dtype == np.uint64 and len(np.unique(numbers)) == 500
    assert ids.as_text(numbers).to_pylist() == article_ids.tolist()
    assert np.argsort(numbers).tolist() == np.argsort(article_ids.to_numpy(dtype=object)).tolist()


def test_a_sliced_arrow_array_of_ids_is_read_from_its_offset():
    array = pa.array(_real_ids(10).tolist())
    assert ids.as_text(ids.as_numbers(array.slice(3, 4))).to_pylist() == array.slice(3, 4).to_pylist()


@pytest.mark.parametrize("bad", ["0123456789ABCDEF", "0123456789abcde", "0123456789abcdeg", None])
def test_an_id_that_is_not_sixteen_hex_digits_is_named(bad):
    with pytest.raises(ValueError, match="is not 16 hex digits") as error:
        ids.as_numbers(pa.array(["0123456789abcdef", bad], pa.string()))
    assert repr(bad) in str(error.value)
