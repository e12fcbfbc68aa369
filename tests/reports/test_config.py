import pandas as pd
import pytest
from newsframe.errors import ParameterError
from newsframe.reports import parameters
from newsframe.reports.config import read_config

from tests.conftest import ROOT
from tests.reports.helpers import TIMELINE, TOPICS, config_file


def test_reports_file_jobs_get_the_shared_corpus(tmp_path):
    path = config_file(tmp_path, f"""
out: {tmp_path / 'out'}
corpus: data/c.parquet
jobs:
  - name: rfi
    notebook: {TIMELINE}
    parameters: {{freq: M, sources: [RFI]}}
  - notebook: {TOPICS}
    parameters: {{corpus_path: other.parquet}}
""")
    config = read_config(path)
    assert [job.name for job in config.jobs] == ["rfi", "topics"]
    assert config.jobs[0].parameters == {"corpus_path": "data/c.parquet", "freq": "M", "sources": ["RFI"]}
    assert config.jobs[1].parameters == {"corpus_path": "other.parquet"}


@pytest.mark.parametrize(("text", "message"), [
    ("jobs: []", "expected a `jobs:` list"),
    ("jobs:\n  - name: a\n", "expected `notebook:`"),
    (f"jobs:\n  - {{name: a, notebook: {TIMELINE}}}\n  - {{name: a, notebook: {TIMELINE}}}\n", "used twice"),
    (f"jobs:\n  - {{name: 'a b/c', notebook: {TIMELINE}}}\n", "letters, digits"),
    ("jobs: [unclosed", "not valid YAML"),
])
def test_bad_reports_files_are_refused_with_the_reason(tmp_path, text, message):
    with pytest.raises(ParameterError, match=message):
        read_config(config_file(tmp_path, text))


def test_reports_yml_of_the_main_job_is_valid():
    config = read_config(ROOT / "reports.yml")
    assert {job.name for job in config.jobs} == {"corpus", "timeline", "topics"}
    for job in config.jobs:
        declared = parameters.declared(ROOT / job.notebook)
        assert set(job.parameters) <= set(declared), job.name
    assert pd.Series([j.parameters["corpus_path"] for j in config.jobs]).eq("data/processed/demo.parquet").all()
