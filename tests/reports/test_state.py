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


HOLD_LOCK = """
import sys, time
from pathlib import Path
from newsframe.reports import state
with state.Lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(30)
"""


def test_lock_refuses_a_second_run_and_is_free_once_its_holder_is_killed(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(tmp_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(ReportError, match=f"another newsframe run \\(process {holder.pid}\\)"):
            with state.Lock(tmp_path):
                pass
    finally:
        holder.kill()  # kill -9: no chance to clean up
        holder.wait()
    with state.Lock(tmp_path):  # the kernel released it with the process: nothing stale to clear
        assert (tmp_path / state.LOCK_FILE).read_text().strip() == str(os.getpid())
    assert (tmp_path / state.LOCK_FILE).read_text() == ""  # released: it names no holder


def test_a_lock_file_left_by_an_older_run_holds_nothing(tmp_path):
    (tmp_path / state.LOCK_FILE).write_text(f"{os.getppid()}\n")  # a live process's id, but no lock held
    with state.Lock(tmp_path):
        pass


RACE = """
import os, sys, time
from pathlib import Path
from newsframe.errors import ReportError
from newsframe.reports import state
folder, log, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
done = 0
while done < rounds:
    try:
        with state.Lock(folder):
            with open(log, "a") as out:
                out.write(f"in {os.getpid()}\\n")
            time.sleep(0.0005)
            with open(log, "a") as out:
                out.write(f"out {os.getpid()}\\n")
        done += 1
    except ReportError:
        time.sleep(0.0001)
"""


@pytest.mark.slow
def test_two_processes_racing_for_the_lock_never_hold_it_together(tmp_path):
    log = tmp_path / "log"
    racers = [subprocess.Popen([sys.executable, "-c", RACE, str(tmp_path), str(log), "300"]) for _ in range(2)]
    assert [racer.wait(timeout=300) for racer in racers] == [0, 0]
    events = log.read_text().split("\n")[:-1]
    assert len(events) == 2 * 2 * 300
    # Each "in" must be followed by the same process's "out" before anyone else's "in".
    for entered, left in zip(events[::2], events[1::2], strict=True):
        assert entered.startswith("in ") and left == "out " + entered[3:], (entered, left)
