import os
import subprocess
import sys

import pytest
from newsframe import corpus
from newsframe.errors import ReportError
from newsframe.reports import state
from newsframe.reports.config import Job

from tests.reports.helpers import TIMELINE


def test_fingerprint_follows_content_not_files(tmp_path, demo_corpus):
    terms = tmp_path / "terms.txt"
    terms.write_text("Mali: Mali\n", encoding="utf-8")
    path = tmp_path / "corpus.parquet"
    articles = corpus.read(demo_corpus)
    corpus.write(articles, path)
    job = Job("t", TIMELINE, {"corpus_path": str(path), "terms_file": str(terms)})
    key = state.run_key(job, job.parameters)
    corpus.write(articles.sample(frac=1, random_state=1), path)  # the same articles re-ingested: another file
    assert state.run_key(job, job.parameters) == key
    corpus.write(articles.iloc[1:], path)  # one article fewer
    assert state.run_key(job, job.parameters) != key
    corpus.write(articles, path)
    terms.write_text("Mali: Mali, Bamako\n", encoding="utf-8")
    assert state.run_key(job, job.parameters) != key
    terms.write_text("Mali: Mali\n", encoding="utf-8")
    assert state.run_key(job, job.parameters) == key
    assert state.run_key(job, {**job.parameters, "freq": "M"}) != key


def test_lock_refuses_a_second_run_and_takes_over_a_stale_one(tmp_path):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (tmp_path / state.LOCK_FILE).write_text(f"{sleeper.pid}\n")
        with pytest.raises(ReportError, match=f"another newsframe run \\(process {sleeper.pid}\\)"):
            with state.Lock(tmp_path):
                pass
    finally:
        sleeper.kill()
        sleeper.wait()
    with state.Lock(tmp_path):  # the process that held it is gone: a stale lock
        assert (tmp_path / state.LOCK_FILE).read_text().strip() == str(os.getpid())
    assert not (tmp_path / state.LOCK_FILE).exists()
