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


def dated(*days):
    frame = pd.DataFrame({"published": pd.to_datetime(list(days), utc=True)})
    return frame.assign(source="S", language="fr", duplicate_of=pd.Series([None] * len(frame), dtype="string"))


def test_coverage_leaves_isolated_early_articles_out_and_says_so():
    busy = [f"2022-{month:02d}-{day:02d}" for month in range(1, 13) for day in range(1, 29)]
    frame = dated("1991-05-04", "2003-02-01", "2015-07-07", *busy)
    span = select.coverage(frame["published"])
    assert (span.start, span.end) == (pd.Timestamp("2022-01-01", tz="UTC"), pd.Timestamp("2022-12-28", tz="UTC"))
    assert span.before[0] == 3 and span.before[1] == pd.Timestamp("1991-05-04") and span.after[0] == 0
    assert len(select.within(frame, span)) == len(busy) and not span.chosen


def test_coverage_keeps_an_even_corpus_whole_reports_long_gaps_and_obeys_start_and_end():
    frame = dated(*[f"2021-{m:02d}-10" for m in range(1, 13)], *[f"2022-{m:02d}-10" for m in range(6, 13)])
    span = select.coverage(frame["published"])
    assert span.before[0] == 0 and span.gaps == [(pd.Timestamp("2022-01-01"), pd.Timestamp("2022-05-31"), 5)]
    chosen = select.coverage(frame["published"], start="2022-01-01", end="2022-06-30")
    assert chosen.chosen and chosen.before[0] == 12 and chosen.after[0] == 6


def test_with_top_keeps_the_largest_values_and_counts_the_rest_as_other():
    frame = pd.DataFrame({"source": ["a"] * 5 + ["b"] * 4 + ["c"] * 3 + ["d"] * 2 + ["e"]})
    assert select.with_top(frame, "source", top=2)["source"].value_counts().to_dict() == {
        "other (3 sources)": 6, "a": 5, "b": 4}
    assert select.with_top(frame, "source", top=4).equals(frame)  # one "other" would hide a name for nothing


def test_a_single_source_is_split_by_section():
    frame = pd.DataFrame({"source": ["Le Monde"] * 3, "section": ["Monde", "Culture", "Monde"]})
    assert select.split_column(frame, "source") == "section"
    assert select.split_column(frame.assign(source=["A", "B", "A"]), "source") == "source"


def test_counting_stories_keeps_each_story_once_for_its_first_outlet_among_those_chosen():
    frame = articles([("2025-01-02", "Le Monde", "fr"), ("2025-01-01", "AFP", "fr"), ("2025-01-03", "RFI", "fr"),
                      ("2025-01-03", "RFI", "fr")])
    frame = frame.assign(article_id=["lm", "afp", "rfi", "rfi2"], story_id=["afp", "afp", "afp", "rfi2"])
    assert select.select(frame, count="stories")["article_id"].tolist() == ["afp", "rfi2"]
    assert select.select(frame, count="stories", sources=["Le Monde", "RFI"])["article_id"].tolist() == ["lm", "rfi2"]
    assert len(select.select(frame, count="articles")) == 4


def test_count_must_be_articles_or_stories():
    with pytest.raises(ParameterError, match="count='story': expected one of articles, stories"):
        select.select(articles([("2025-01-01", "A", "fr")]), count="story")


def test_a_single_far_article_is_no_coverage_even_in_a_small_corpus():
    days = [f"2024-{m:02d}-{d:02d}" for m in range(1, 13) for d in (3, 10, 17, 24)] + ["2026-01-01"]
    span = select.coverage(pd.Series(pd.to_datetime(days, utc=True)))
    assert span.end < pd.Timestamp("2025-01-01", tz="UTC") and span.after[0] == 1
