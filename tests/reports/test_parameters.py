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
