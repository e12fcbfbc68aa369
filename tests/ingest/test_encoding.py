import codecs

import pytest
from newsframe.errors import InputError
from newsframe.ingest import encoding

TEXT = "date 2025-11-19 Le président à Lomé : « l’Afrique »"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (("date 2025-11-19 Le président à Lomé, élu député. " * 20).encode("cp1252"), None),
    ],
)
def test_decode_detects_encoding(data, expected):
    decoded, detected = encoding.decode(data, name="x.txt")
    assert "président" in decoded
    assert not decoded.startswith("\ufeff")
    if expected:
        assert detected == expected
    else:
        assert detected in {"cp1252", "iso8859_1", "latin_1", "cp1250", "iso8859_15"}


def test_binary_junk_is_refused_with_the_file_name():
    junk = bytes(range(256)) * 64
    with pytest.raises(InputError, match=r"junk\.txt: looks like a binary"):
        encoding.decode(junk, name="junk.txt")
