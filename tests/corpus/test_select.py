import pandas as pd
import pytest
from newsframe.corpus import select
from newsframe.errors import ParameterError


def articles(rows):
    """Articles from (published, source, language) rows; the second and later copies of a text are duplicates."""
    frame = pd.DataFrame(rows, columns=["published", "source", "language"])
    frame["published"] = pd.to_datetime(frame["published"], utc=True, format="ISO8601")
    frame["duplicate_of"] = pd.Series([None] * len(frame), dtype="string")
    return frame


def test_between_is_inclusive_of_the_end_day():
    frame = articles([("2025-01-01", "A", "fr"), ("2025-01-31 23:00", "A", "fr"), ("2025-02-01", "A", "fr")])
    assert len(select.between(frame, start="2025-01-01", end="2025-01-31")) == 2


def test_select_by_language_source_and_duplicates():
    frame = articles([("2025-01-01", "A", "fr"), ("2025-01-02", "B", "en"), ("2025-01-03", "A", "fr")])
    frame.loc[2, "duplicate_of"] = "x"
    assert len(select.select(frame, language="fr")) == 1
    assert len(select.select(frame, language="fr", include_duplicates=True)) == 2
    assert len(select.select(frame, sources=["B"])) == 1


@pytest.mark.parametrize(("options", "message"), [({"language": "de"}, "not in the corpus; its languages are en, fr"),
                                                  ({"sources": ["C"]}, "source.s. C are not in the corpus")])
def test_select_names_what_the_corpus_has(options, message):
    frame = articles([("2025-01-01", "A", "fr"), ("2025-01-02", "B", "en")])
    with pytest.raises(ParameterError, match=message):
        select.select(frame, **options)
