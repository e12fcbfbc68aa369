"""The corpus on disk: the articles, their rejects and the summary are one generation, whatever happens to a run."""

import errno
import json
import os
import shutil
import subprocess
import sys
import uuid

import pytest
from newsframe import corpus, ingest
from newsframe.corpus import fingerprint
from newsframe.errors import InputError, NewsframeError

ARTICLE = "date 2025-01-{day:02d} Titre {day}\n\nTexte numéro {day} de l'article, assez long pour être lu.\n"


def raw(folder, count):
    folder.mkdir(parents=True, exist_ok=True)
    for day in range(1, count + 1):
        (folder / f"{day:02d}.txt").write_text(ARTICLE.format(day=day), encoding="utf-8")
    return folder


def consistent(path) -> bool:
    """The summary describes this corpus, and the rejects are the ones it counts."""
    summary = corpus.read_summary(path)
    return (summary["corpus_fingerprint"] == fingerprint.of_corpus_file(path)
            and summary["rejected"] == len(corpus.read_rejects(path)))


def killed_between_renames(**options) -> str:
    """A script ingesting argv[1] into argv[2] with `options`, killed (exit 9) right after the second rename of its
    generation: the first targets are in place, the summary not yet."""
    return f"""
import os, sys
from newsframe import ingest
renamed = []
real = os.replace
def replace_then_die(src, dst):
    real(src, dst)
    renamed.append(dst)
    if len(renamed) == 2:
        os._exit(9)
os.replace = replace_then_die
ingest.ingest([sys.argv[1]], out=sys.argv[2], **{options!r})
"""


def test_a_run_killed_between_renames_is_completed_by_the_next_reader(tmp_path):
    out = tmp_path / "corpus.parquet"
    ingest.ingest([raw(tmp_path / "raw", 3)], out=out)
    raw(tmp_path / "raw", 6)  # the corpus grows
    killed = subprocess.run([sys.executable, "-c", killed_between_renames(), str(tmp_path / "raw"), str(out)])
    assert killed.returncode == 9
    assert list(tmp_path.glob(".corpus.parquet.commit.json"))  # the journal of the half-renamed generation
    assert len(corpus.read(out)) == 6  # reading finishes the renames first
    assert consistent(out) and corpus.read_summary(out)["read"] == 6
    assert not list(tmp_path.glob(".*"))


HELD_RENAMES = """
import os, sys, time
from newsframe import ingest
real = os.replace
def held_replace(src, dst):  # a slow disk: the write phase lasts until the test lets it go (a minute at most)
    print("renaming", flush=True)
    deadline = time.monotonic() + 60
    while not os.path.exists(sys.argv[4]) and time.monotonic() < deadline:
        time.sleep(0.05)
    real(src, dst)
os.replace = held_replace
ingest.ingest([sys.argv[1]], out=sys.argv[2], partitioned=sys.argv[3] == "partitioned")
"""


@pytest.mark.parametrize("layout", ["file", "partitioned"])
def test_two_runs_into_one_corpus_take_turns_and_leave_it_consistent(tmp_path, layout):
    out, go = tmp_path / "out" / "corpus.parquet", tmp_path / "go"
    first, second = raw(tmp_path / "a", 6), raw(tmp_path / "b", 7)
    run = [sys.executable, "-c", HELD_RENAMES]
    one = subprocess.Popen([*run, str(first), str(out), layout, str(go)], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    assert one.stdout.readline() == "renaming\n"  # the first run is in its write phase, and stays there
    two = subprocess.Popen([*run, str(second), str(out), layout, str(go)], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    said = ""
    while "waiting" not in said and (line := two.stderr.readline()):  # EOF when it never waited
        said += line
    go.touch()  # the first run may finish now
    rest, errors = one.communicate(timeout=120)
    _, more = two.communicate(timeout=120)
    assert (one.returncode, two.returncode) == (0, 0), errors + said + more
    assert "Traceback" not in errors + said + more
    assert f"another ingest is writing {out}; waiting" in said
    assert consistent(out) and len(corpus.read(out)) == 7  # the second run's corpus, whole
    assert not [path for path in out.parent.rglob(".*") if path.name != "_SUCCESS"]  # no temporary file, journal, lock


def test_a_run_killed_before_its_journal_changes_nothing_and_its_leftovers_go(tmp_path):
    out = tmp_path / "corpus.parquet"
    ingest.ingest([raw(tmp_path / "raw", 3)], out=out)
    before = out.read_bytes()
    (tmp_path / f".corpus.parquet.{uuid.uuid4().hex[:8]}.tmp").write_bytes(b"")  # as `kill -9` mid-write leaves
    (tmp_path / f".corpus.summary.json.{uuid.uuid4().hex[:8]}.tmp").write_text("{")
    assert out.read_bytes() == before and consistent(out)
    ingest.ingest([raw(tmp_path / "raw", 4)], out=out)
    assert not list(tmp_path.glob(".*.tmp")) and consistent(out) and len(corpus.read(out)) == 4


def test_a_full_disk_is_a_clear_error_and_keeps_the_last_corpus(tmp_path, monkeypatch):
    out = tmp_path / "corpus.parquet"
    ingest.ingest([raw(tmp_path / "raw", 3)], out=out)
    before = {p.name: p.read_bytes() for p in tmp_path.glob("corpus.*")}

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("pandas.DataFrame.to_parquet", full)
    with pytest.raises(NewsframeError, match="the disk is full"):
        ingest.ingest([raw(tmp_path / "raw", 5)], out=out)
    assert {p.name: p.read_bytes() for p in tmp_path.glob("corpus.*")} == before
    assert not list(tmp_path.glob(".*"))


@pytest.fixture
def tiny_disk(tmp_path):
    """A 1 MB file system (tmpfs): needs root, skipped otherwise."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small file system needs root")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)]).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


def test_a_really_full_disk_through_the_command_line(tiny_disk, tmp_path):
    folder = raw(tmp_path / "raw", 9)
    for day in range(1, 10):  # large articles of random text: the corpus cannot fit in 1 MB, even compressed
        (folder / f"{day:02d}.txt").write_text(f"date 2025-01-0{day} T\n\n{os.urandom(300_000).hex()}\n")
    done = subprocess.run([sys.executable, "-m", "newsframe.cli", "ingest", str(folder), "--out",
                           str(tiny_disk / "corpus.parquet")], capture_output=True, text=True)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "the disk is full" in done.stderr
    assert os.listdir(tiny_disk) == []


def test_summary_and_corpus_agree_after_an_ordinary_run(tmp_path):
    out = tmp_path / "corpus.parquet"
    ingest.ingest([raw(tmp_path / "raw", 3)], out=out)
    assert consistent(out)
    assert json.loads(corpus.summary_path(out).read_text())["read"] == 3


def test_what_ingest_wrote_beside_a_corpus_is_read_from_the_notebooks_folder_too(tmp_path, monkeypatch):
    (tmp_path / "reports.yml").write_text("jobs: []\n", encoding="utf-8")
    ingest.ingest([raw(tmp_path / "data" / "raw", 3)], out=tmp_path / "data" / "corpus.parquet")
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")  # where JupyterLab runs a notebook's kernel
    assert corpus.read_summary("data/corpus.parquet")["read"] == 3
    assert corpus.read_rejects("data/corpus.parquet").empty


@pytest.mark.parametrize("partitioned", [False, True])
def test_a_corpus_cut_short_is_an_error_saying_to_ingest_again(tmp_path, partitioned):
    out = tmp_path / "corpus.parquet"
    ingest.ingest([raw(tmp_path / "raw", 3)], out=out, partitioned=partitioned)
    damaged = next(p for p in out.rglob("*.parquet") if not p.name.startswith("_")) if partitioned else out
    damaged.write_bytes(damaged.read_bytes()[:200])
    for reading in (lambda: corpus.read(out), lambda: corpus.read(out, columns=["title"]),
                    lambda: fingerprint.of_corpus_file(out)):
        with pytest.raises(InputError, match=f"{out}: this corpus cannot be read .*ingest again"):
            reading()


def test_a_corpus_copied_without_its_rejects_says_which_file_to_bring(tmp_path):
    out = tmp_path / "corpus.parquet"
    ingest.ingest([raw(tmp_path / "raw", 2)], out=out)
    corpus.rejects_path(out).unlink()
    with pytest.raises(NewsframeError, match=r"corpus\.rejects\.parquet: no rejects table beside the corpus .*"
                                             r"Copy corpus\.rejects\.parquet with the corpus"):
        corpus.read_rejects(out)
