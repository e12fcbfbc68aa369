import pytest
from newsframe import corpus
from newsframe.reports import parameters
from newsframe.reports.config import Job

from tests.reports.helpers import TIMELINE, TOPICS


def test_validate_checks_names_types_dates_and_files(tmp_path):
    job = Job("t", TIMELINE, {"colour": "red", "smoothing": "four", "start": "2023-13-01",
                                       "terms_file": str(tmp_path / "missing.txt"), "freq": "W"})
    _, problems = parameters.check(job)
    text = "\n".join(problems)
    assert "unknown parameter 'colour'" in text
    assert "smoothing must be a whole number, got str 'four'" in text
    assert "start='2023-13-01' is not a date" in text
    assert "terms_file:" in text and "not found" in text
    assert len(problems) == 4  # freq is fine


def test_yaml_dates_and_numbers_reach_the_notebook_as_it_declares_them(tmp_path):
    import datetime

    values, problems = parameters.check(Job("t", TOPICS, {"start": datetime.date(2023, 7, 27), "k": 12,
                                                                  "seed": 3}))
    assert problems == [] and values == {"start": "2023-07-27", "k": "12", "seed": 3}


def test_notebook_parameters_are_declared_with_types_and_help():
    declared = parameters.declared(TIMELINE)
    assert {"corpus_path", "start", "end", "freq", "by"} <= set(declared)
    assert all(p["inferred_type_name"] != "None" and p["help"] for p in declared.values())


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    from tests.conftest import demo_corpus_in

    return demo_corpus_in(tmp_path_factory.mktemp("demo"), articles=40)


@pytest.mark.parametrize(("given", "expected"), [("weekly", "W"), ("Semaine", "W"), ("month", "M"), ("Q", "Q")])
def test_periods_written_as_words_reach_the_notebook_as_codes(given, expected):
    values, problems = parameters.check(Job("t", TIMELINE, {"freq": given}))
    assert problems == [] and values["freq"] == expected


def test_lists_can_be_written_a_comma_b_on_the_command_line(small_corpus):
    values, problems = parameters.check(Job("t", TIMELINE, {"corpus_path": str(small_corpus),
                                                            "sources": "Radio Alpha, Continental Wire"}))
    assert problems == [] and values["sources"] == ["Radio Alpha", "Continental Wire"]


@pytest.mark.parametrize(("values", "message"), [
    ({"language": "de"}, "language='de' is not in the corpus, which holds"),
    ({"sources": ["Nowhere"]}, "sources: 'Nowhere' not in the corpus; its largest sources are"),
    ({"k": "ten"}, "k='ten': give a number of topics"),
    ({"k": "12-40"}, "topics up to 40 need at least 120 articles (3 a topic, 20 in all), and the corpus holds"),
    ({"by": "outlet"}, "by='outlet' is not a column of the articles"),
])
def test_values_are_checked_against_the_corpus_before_any_kernel(small_corpus, values, message):
    _, problems = parameters.check(Job("t", TOPICS, {"corpus_path": str(small_corpus), **values}))
    assert any(message in p for p in problems), problems


def test_all_languages_and_the_defaults_that_fit_pass(small_corpus):
    assert parameters.check(Job("t", TOPICS, {"corpus_path": str(small_corpus), "language": "all",
                                              "k": "4-8"}))[1] == []


def test_a_default_that_cannot_work_on_this_corpus_is_said_before_any_kernel(tmp_path):
    from newsframe import ingest

    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.txt").write_text("date 2025-01-01 Titre\n\nUn seul article.\n", encoding="utf-8")
    ingest.ingest([tmp_path / "raw"], out=tmp_path / "c.parquet")
    _, problems = parameters.check(Job("t", TOPICS, {"corpus_path": str(tmp_path / "c.parquet")}))
    assert problems == ["the corpus holds 1 article, and topics need at least 20 (3 a topic, 20 in all): too few to "
                        "find topics in. Add articles, or run the timeline report, which works from one article (the "
                        "notebook's default k)"]
    _, problems = parameters.check(Job("t", TOPICS, {"corpus_path": str(tmp_path / "c.parquet"), "k": "2"}))
    assert "ask for" not in problems[0] and "too few to find topics in" in problems[0]


def test_a_k_too_large_for_the_corpus_names_the_largest_that_fits(small_corpus):
    from newsframe.analysis.numbers import articles_for_topics

    held = len(corpus.read(small_corpus))
    _, problems = parameters.check(Job("t", TOPICS, {"corpus_path": str(small_corpus), "k": "4-500"}))
    largest = max(k for k in range(2, 500) if articles_for_topics(k) <= held)
    assert problems[0].endswith(f"or ask for k up to {largest} (e.g. k=2-{largest})")
    assert not parameters.check(Job("t", TOPICS, {"corpus_path": str(small_corpus), "k": f"2-{largest}"}))[1]
