"""Incremental ingest: a second run reads only new and changed files, and writes the corpus a full ingest would."""

import os
import shutil
import time

import pandas as pd
import pytest
from newsframe import corpus, ingest
from newsframe.ingest.readers.files import locator

WIRE = " ".join(f"Le ministre a annoncé au point {i} un accord sur les céréales avec Moscou, après {i} jours de "
                f"discussions à Lomé entre les délégations." for i in range(12))  # long enough to be compared


def text_file(folder, name, day, title, text):
    path = folder / name
    path.write_text(f"date 2025-01-{day:02d} {title}\n\n{text}\n", encoding="utf-8")
    return written_earlier(path)


def written_earlier(path, minutes=60):
    """Date a file back, as files collected before a run are: one written while a run reads is read again by the
    next run (`incremental.file_list`), and these tests count the files read."""
    then = time.time_ns() - minutes * 60 * 10**9
    os.utime(path, ns=(then, then))
    return path


@pytest.fixture
def raw(tmp_path):
    """Text articles (one copied word for word in another file, one reprinted with a byline, one mixing encodings),
    a CSV with a row that is rejected, and JSON Lines."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for day in range(1, 7):
        text_file(folder, f"a{day}.txt", day, f"Titre {day}", f"Texte numéro {day} de l'article, sur l'Afrique et "
                  f"la Russie, assez long pour être lu ({day}).")
    text_file(folder, "b1.txt", 3, "Accord sur les céréales", WIRE)
    text_file(folder, "b2.txt", 4, "Céréales : l'accord", "Par notre correspondant. " + WIRE)
    text_file(folder, "c.txt", 9, "Titre 1", "Texte numéro 1 de l'article, sur l'Afrique et la Russie, assez long "
              "pour être lu (1).")
    (folder / "d.csv").write_text("title,text,date\nPremier,un texte assez long pour être gardé dans le corpus,"
                                  "2025-02-01\nVide,,2025-02-02\n", encoding="utf-8")
    (folder / "e.jsonl").write_text('{"title": "Un", "text": "Un article en JSON assez long pour compter.", '
                                    '"date": "2025-03-01"}\n{"title": "Deux", "date": "2025-03-02"}\n',
                                    encoding="utf-8")
    (folder / "f.txt").write_bytes("date 2025-02-05 Président\n\nLe président a dit : ".encode()
                                   + "café crème, un texte assez long.".encode("cp1252") + b"\n")  # a reader's note
    for path in (folder / "d.csv", folder / "e.jsonl", folder / "f.txt"):
        written_earlier(path)
    return folder


def change(folder):
    """A new file (copying an article kept elsewhere), a file edited, a file removed (it held the first copy of a
    text), a file touched but not changed."""
    text_file(folder, "a0.txt", 1, "Nouveau", "Texte numéro 4 de l'article, sur l'Afrique et la Russie, assez long "
              "pour être lu (4).")
    (folder / "d.csv").write_text("title,text,date\nPremier,un texte corrigé assez long pour être gardé,2025-02-01\n"
                                  "Second,un autre texte assez long pour être gardé,2025-02-03\n", encoding="utf-8")
    written_earlier(folder / "d.csv", minutes=30)
    (folder / "a1.txt").unlink()
    stamp = (folder / "a2.txt").stat()
    os.utime(folder / "a2.txt", ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))  # still an hour ago


def same_corpus(incremental_out, full_out):
    pd.testing.assert_frame_equal(corpus.read(incremental_out), corpus.read(full_out))
    pd.testing.assert_frame_equal(corpus.read_rejects(incremental_out), corpus.read_rejects(full_out))
    pd.testing.assert_frame_equal(corpus.read_pairs(incremental_out), corpus.read_pairs(full_out))
    ours, theirs = corpus.read_summary(incremental_out), corpus.read_summary(full_out)
    for summary in (ours, theirs):
        summary.pop("files")
        summary["near_duplicates"].pop("seconds")
    assert ours == theirs


def files_read(result) -> dict:
    return result.summary()["files"]


def test_a_second_run_reads_only_new_and_changed_files_and_writes_what_a_full_run_would(raw, tmp_path):
    out = tmp_path / "corpus.parquet"
    first = ingest.ingest([raw], out=out)
    assert first.articles["duplicate_of"].notna().sum() == 1  # c.txt copies a1.txt
    assert first.articles["story_similarity"].notna().sum() == 2  # b1 and b2, one story
    change(raw)
    run = ingest.ingest([raw], out=out)
    assert files_read(run) == {"files": 12, "read": 3, "unchanged": 9, "removed": 1}  # a0, d.csv, a2 (touched)
    ingest.ingest([raw], out=tmp_path / "full.parquet")
    same_corpus(out, tmp_path / "full.parquet")
    assert [note.split(":")[0] for note in corpus.read_summary(out)["notes"]] == [locator(raw / "f.txt")]
    articles = corpus.read(out)
    assert not articles["origin"].str.contains("a1.txt").any()  # the removed file's article is gone...
    assert articles.loc[articles["origin"].str.endswith("c.txt"), "duplicate_of"].isna().all()  # ...so c.txt is kept


def test_a_file_touched_again_is_known_by_its_content(raw, tmp_path):
    out = tmp_path / "corpus.parquet"
    ingest.ingest([raw], out=out)
    change(raw)
    ingest.ingest([raw], out=out)  # reads a2.txt, and keeps its digest
    stamp = (raw / "a2.txt").stat()
    os.utime(raw / "a2.txt", ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))
    run = ingest.ingest([raw], out=out)
    assert files_read(run)["read"] == 0 and run.written  # its new time is kept, so that it is not hashed again
    assert not ingest.ingest([raw], out=out).written
    (raw / "a2.txt").write_text((raw / "a2.txt").read_text(encoding="utf-8").replace("Titre 2", "Titre deux"),
                                encoding="utf-8")
    written_earlier(raw / "a2.txt", minutes=10)
    run = ingest.ingest([raw], out=out)
    assert files_read(run)["read"] == 1
    assert "Titre deux" in set(corpus.read(out)["title"])


def test_other_options_or_full_read_every_file(raw, tmp_path):
    out = tmp_path / "corpus.parquet"
    ingest.ingest([raw], out=out)
    run = ingest.ingest([raw], out=out, keep_title_only=True)
    assert files_read(run) == {"files": 12, "read": 12}
    assert "Deux" in set(corpus.read(out)["title"])  # the JSON record without text, kept this time
    run = ingest.ingest([raw], out=out, keep_title_only=True, full=True)
    assert files_read(run) == {"files": 12, "read": 12}
    run = ingest.ingest([raw], out=out, keep_title_only=True)
    assert files_read(run)["read"] == 0


def test_a_corpus_written_without_its_list_of_files_is_read_in_full(raw, tmp_path):
    out = tmp_path / "corpus.parquet"
    ingest.ingest([raw], out=out)
    corpus.files_path(out).unlink()
    run = ingest.ingest([raw], out=out)
    assert files_read(run)["read"] == 12


def test_the_french_feeds_added_one_file_at_a_time(shared_data, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    feeds = sorted((shared_data / "fr-rss-2025").iterdir())
    out = tmp_path / "corpus.parquet"
    for feed in feeds:
        written_earlier(shutil.copy(feed, raw / feed.name))
        run = ingest.ingest([raw], out=out)
    assert files_read(run) == {"files": len(feeds), "read": 1, "unchanged": len(feeds) - 1, "removed": 0}
    ingest.ingest([raw], out=tmp_path / "full.parquet")
    same_corpus(out, tmp_path / "full.parquet")
    assert len(corpus.read(out)) > 5000


def test_a_file_changed_while_the_run_reads_is_read_again_next_time(raw, tmp_path):
    out = tmp_path / "corpus.parquet"
    soon = time.time_ns() + 60 * 10**9  # as if written while the run below reads: after it started
    os.utime(raw / "a3.txt", ns=(soon, soon))
    ingest.ingest([raw], out=out)
    run = ingest.ingest([raw], out=out)
    assert files_read(run)["read"] == 1  # a3.txt: its time could not be trusted, so its content was compared
    run = ingest.ingest([raw], out=out)
    assert files_read(run)["read"] == 0  # its digest, taken when it was read again, shows it unchanged


def test_a_run_with_nothing_new_leaves_the_corpus_as_it_was(raw, tmp_path):
    out = tmp_path / "corpus.parquet"
    first = ingest.ingest([raw], out=out)
    stamps = {path.name: path.stat().st_mtime_ns for path in tmp_path.glob("corpus.*")}
    again = ingest.ingest([raw], out=out)
    assert not again.written and files_read(again) == {"files": 12, "read": 0, "unchanged": 12, "removed": 0}
    assert {path.name: path.stat().st_mtime_ns for path in tmp_path.glob("corpus.*")} == stamps
    assert again.summary()["corpus_fingerprint"] == first.summary()["corpus_fingerprint"]
    assert again.read_count == first.read_count
