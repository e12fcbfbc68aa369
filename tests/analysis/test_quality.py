"""The corpus overview's findings: each planted defect is found, and a clean corpus raises nothing."""

import random

import pandas as pd
import pytest
from newsframe import ingest
from newsframe.analysis import boilerplate, quality
from newsframe.corpus import schema, select

from tests.conftest import shared_data_dir

DATA = shared_data_dir()


def corpus(rows, **columns):
    """Articles from (source, published[, text]) rows, typed as a corpus; the rest of the columns as ingest fills
    them."""
    rows = [row if len(row) == 3 else (*row, _text(i)) for i, row in enumerate(rows)]
    frame = pd.DataFrame(rows, columns=["source", "published", "text"])
    n = len(frame)
    frame = frame.assign(published=pd.to_datetime(frame["published"], utc=True),
                         article_id=[f"a{i}" for i in range(n)], title="Titre", is_time_known=True,
                         origin=[f"raw/{source}.csv#row={i}" for i, source in enumerate(frame["source"])],
                         duplicate_of=pd.Series([None] * n, dtype="string"), story_id=[f"a{i}" for i in range(n)],
                         story_similarity=float("nan"), **columns)
    return frame.astype({"article_id": "string", "source": "string", "text": "string", "title": "string",
                         "story_id": "string"})


WORDS = ("Mali Niger Russie Togo Lomé sommet accord armée blé engrais élection président ministre opposition "
         "Moscou Paris Bamako Wagner sécurité économie presse radio journal semaine").split()


def _text(number):
    """A text of its own for each article: no sentence repeats, so none is boilerplate."""
    picked = random.Random(number).sample(WORDS, 9)
    return " ".join(picked).capitalize() + "."


def monthly(source, first, last, per_month=4):
    return [(source, day, ) for day in pd.date_range(first, last, freq="MS").repeat(per_month).strftime("%Y-%m-%d")]


def test_a_source_that_stops_and_one_that_starts_late_are_noted():
    frame = corpus(monthly("RFI", "2023-01-01", "2024-12-01") + monthly("AllAfrica", "2023-01-01", "2024-04-01")
                   + monthly("Le Monde", "2023-09-01", "2024-12-01"))
    notes = quality.sources(frame, freq="M").set_index("source")["note"]
    assert notes["RFI"] == ""
    assert notes["AllAfrica"] == "stopped: no article in the last 8 months (from 2024-05)"
    assert notes["Le Monde"] == "starts late: 8 months after the corpus (from 2023-09)"


def test_a_regular_source_silent_for_months_has_a_gap_and_an_occasional_one_does_not():
    regular = [row for row in monthly("RFI", "2023-01-01", "2024-12-01") if not "2024-03" <= row[1] < "2024-08"]
    occasional = [("Blog", day) for day in ("2023-01-05", "2023-09-05", "2024-12-05")]
    notes = quality.sources(corpus(regular + occasional), freq="M").set_index("source")["note"]
    assert notes["RFI"] == "silent 5 months (2024-03 to 2024-07)"
    assert notes["Blog"] == ""


def test_dates_to_doubt_are_found():
    rows = [("RFI", day) for day in pd.date_range("2024-01-01", "2024-06-30", freq="D").strftime("%Y-%m-%d")]
    rows += [("RFI", "1975-01-01"), ("RFI", "2031-05-01")] + [("RFI", "2024-03-15")] * 40
    frame = corpus(rows)
    frame.loc[:9, "is_time_known"] = False
    found = quality.dates(frame, now=pd.Timestamp("2026-11-30", tz="UTC")).set_index("kind")
    assert found.loc["before the coverage", "articles"] == 1
    assert found.loc["before the coverage", "first"] == pd.Timestamp("1975-01-01", tz="UTC")
    assert found.loc["in the future", "articles"] == 1 and found.loc["after the coverage", "articles"] == 1
    assert found.loc["busy day", "articles"] == 41 and found.loc["busy day", "first"] == pd.Timestamp("2024-03-15",
                                                                                                        tz="UTC")
    assert found.loc["no time of day", "articles"] == 10


def test_a_corpus_collected_in_bursts_has_no_busy_day():
    rows = [("RFI", day) for day in pd.date_range("2024-01-01", "2024-03-31", freq="D").strftime("%Y-%m-%d")]
    rows += [("RFI", day) for day in pd.date_range("2024-02-01", "2024-02-10", freq="D").strftime("%Y-%m-%d")] * 30
    assert "busy day" not in set(quality.dates(corpus(rows))["kind"])


def test_lengths_count_headlines_and_short_texts_by_source():
    long = " ".join(["mot"] * 200)
    frame = corpus([("RFI", "2024-01-01", long), ("RFI", "2024-01-02", ""), ("Blog", "2024-01-03", "Trop court."),
                    ("RFI", "2024-01-04", long)])
    table = quality.lengths(frame).set_index("source")
    assert table.loc["RFI", ["articles", "title_only", "short", "median_words"]].tolist() == [3, 1, 0, 200]
    assert table.loc["Blog", "short"] == 1


def test_rejects_are_counted_by_reason_and_file():
    rejected = pd.DataFrame({"origin": ["raw/a.csv#row=2", "raw/a.csv#row=9", "raw/b.json#item=1"],
                             "reason": ["unparseable date", "unparseable date", "empty text"],
                             "detail": ["31/02/2024 is no date", "2024-13-01 is no date", "no text"],
                             "record": None})
    table = quality.rejects(rejected)
    assert table.iloc[0][["reason", "file", "records", "example"]].tolist() == ["unparseable date", "raw/a.csv", 2,
                                                                               "31/02/2024 is no date"]
    assert table["records"].sum() == 3
    assert quality.rejects(schema.empty_rejects()).empty


def test_overlapping_files_and_stories_are_found():
    frame = corpus([("RFI", "2024-01-01"), ("RFI", "2024-01-02"), ("AFP", "2024-01-01"), ("Le Monde", "2024-01-01")])
    frame["origin"] = ["raw/export-1.csv#row=1", "raw/export-1.csv#row=2", "raw/export-2.csv#row=1",
                       "raw/lemonde.csv#row=1"]
    frame["duplicate_of"] = pd.array([None, None, "a0", None], dtype="string")
    frame["story_id"] = pd.array(["a0", "a1", "a0", "a0"], dtype="string")
    frame["story_similarity"] = [1.0, float("nan"), float("nan"), 0.8]
    assert quality.overlaps(frame).values.tolist() == [["raw/export-2.csv", "raw/export-1.csv", 1]]
    stories = quality.stories(frame)
    assert stories[["story_id", "copies", "outlets"]].values.tolist() == [["a0", 2, 2]]
    assert stories["sources"].iloc[0] in ("RFI, Le Monde", "Le Monde, RFI")


def findings_of(frame, rejected=None, read=None):
    covered = select.within(frame, select.coverage(frame["published"]))
    rejected = schema.empty_rejects() if rejected is None else rejected
    return quality.findings(frame, rejected=rejected, read=read or len(frame) + len(rejected),
                            by_source=quality.sources(covered, freq="M"), doubtful=quality.dates(frame),
                            repeated=boilerplate.find(frame))


def test_findings_name_the_stopped_source_the_far_date_and_the_rejects_each_with_what_to_do():
    frame = corpus(monthly("RFI", "2023-01-01", "2024-12-01", per_month=30)
                   + monthly("AllAfrica", "2023-01-01", "2024-04-01", per_month=30) + [("RFI", "1975-01-01")])
    rejected = pd.DataFrame({"origin": [f"raw/x.csv#row={i}" for i in range(100)], "reason": "unparseable date",
                             "detail": "31/02/2024 is no date", "record": None})
    found = findings_of(frame, rejected)
    text = " | ".join(found["finding"])
    assert "1 source(s) stopped before the corpus ends: AllAfrica (last article 2024-04-01)" in text
    assert "1 article(s) dated before the coverage (1975-01-01 to 1975-01-01)" in text
    read = len(frame) + 100
    assert f"100 of {read:,} records ({100 / read:.0%}) were rejected, most for unparseable date (100)" in text
    assert found["what_to_do"].str.len().gt(20).all()


def test_a_clean_corpus_has_no_finding():
    assert findings_of(corpus(monthly("RFI", "2023-01-01", "2024-12-01"))).empty


def test_the_presence_grid_keeps_empty_periods_and_groups_small_sources():
    frame = corpus(monthly("RFI", "2024-01-01", "2024-06-01") + [("Blog", "2024-03-05"), ("Other", "2024-02-01")])
    grid = quality.presence(frame, freq="M", top=1)
    assert set(grid["source"]) == {"RFI", "other (2 sources)"}
    assert len(grid) == 12 and grid["articles"].sum() == len(frame)


@pytest.mark.parametrize(("days", "expected"), [(20, "D"), (300, "W"), (2000, "M")])
def test_the_grid_period_follows_the_span(days, expected):
    published = pd.Series(pd.to_datetime(["2024-01-01"], utc=True).append(
        pd.to_datetime(["2024-01-01"], utc=True) + pd.Timedelta(days=days)))
    assert quality.frequency_for(published) == expected


@pytest.mark.skipif(not (DATA / "newsarticles-en").is_dir(), reason="the shared test data is not on this machine")
def test_on_the_english_articles_the_overlapping_file_and_the_late_sources_are_found():
    result = ingest.read([DATA / "newsarticles-en"])
    articles = result.articles
    covered = select.within(select.originals(articles), select.coverage(articles["published"]))
    found = " | ".join(quality.findings(articles, rejected=result.rejects, read=result.read_count,
                                        by_source=quality.sources(covered, freq="W"),
                                        doubtful=quality.dates(select.originals(articles)),
                                        repeated=boilerplate.find(select.originals(articles)))["finding"])
    assert "articles of" in found and "News100.csv are copies of articles of" in found  # News100 is a subset
    assert "sources start late" in found
    assert "dated before the coverage" in found
    assert "boilerplate repeated" in found
