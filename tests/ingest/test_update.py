"""An incremental run into a partitioned corpus starts from the corpus's index (`ingest.update`): it reads the new
files and the texts of the days around them only, and writes only the months that change. Each case compares the
corpus it writes with a full ingest of the same folder (duplicates, pairs, stories and similarities included)."""

import json
import os
import shutil

import pandas as pd
import pytest
from newsframe import corpus, ingest
from newsframe.corpus import layout, near_duplicates
from newsframe.ingest import spill, update

from tests.ingest.test_incremental import same_corpus, written_earlier
from tests.ingest.test_spill import record, words

SUMMIT, WIRE, PLAIN = words(11, 150), words(12, 150), words(13, 140)


def base_files() -> dict[str, list[dict]]:
    """Four files, each spanning months: a story of two across a month's end (the summit, 27 and 28 February), a
    wire story of two in April, an exact duplicate, two versions of a URL, and articles of their own."""
    others = [record(f"2025-{month:02d}-{day:02d}T12:00:00Z", f"Article {month} {day}", words(100 * month + day, 130))
              for month in (1, 2, 3, 4) for day in (3, 14, 24)]
    return {
        "f1.jsonl": [*others[0:3], record("2025-02-27T10:00:00Z", "Sommet à Lomé", SUMMIT),
                     record("2025-01-05T12:00:00Z", "Original", PLAIN)],
        "f2.jsonl": [*others[3:6], record("2025-02-28T09:00:00Z", "Le sommet de Lomé", SUMMIT[:135] + words(14, 15),
                                          source="Le Monde"),
                     record("2025-03-30T12:00:00Z", "Première version", words(15, 120), url="https://rfi.fr/a")],
        "f3.jsonl": [*others[6:9], record("2025-04-10T08:00:00Z", "Dépêche", WIRE, source="AFP"),
                     record("2025-03-05T12:00:00Z", "Reprise", PLAIN, source="Le Monde")],
        "f4.jsonl": [*others[9:12], record("2025-04-11T06:00:00Z", "Accord signé", WIRE[5:], source="RFI"),
                     record("2025-04-02T12:00:00Z", "Version corrigée", words(16, 120), url="https://rfi.fr/a")],
    }


def write(folder, name, records):
    (folder / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    written_earlier(folder / name)


def appended(folder):
    """A file sorting after the others: an article of its own, and a copy of the wire story (it joins that story)."""
    write(folder, "z.jsonl", [record("2025-04-20T12:00:00Z", "Nouveau", words(17, 130)),
                              record("2025-04-12T07:00:00Z", "Accord, suite", WIRE[:140] + words(18, 10),
                                     source="Le Figaro")])


def earlier_copy(folder):
    """The earlier copy of an old article's text: the old one becomes its duplicate."""
    write(folder, "z.jsonl", [record("2025-01-10T12:00:00Z", "Copie", words(100 * 2 + 3, 130), source="AFP")])


def earlier_copy_of_a_story_member(folder):
    """The earlier copy of the text of the summit's second article: that one becomes a duplicate, leaves its pair,
    and the new one takes its place in the story."""
    write(folder, "z.jsonl", [record("2025-02-27T18:00:00Z", "Sommet (AFP)", SUMMIT[:135] + words(14, 15),
                                     source="AFP")])


def new_first_copy(folder):
    """A copy of the summit published before its first copy, in the month before: the story's first copy changes,
    and with it every member's similarity."""
    write(folder, "z.jsonl", [record("2025-02-26T23:00:00Z", "Sommet, l'annonce", SUMMIT[10:] + words(19, 10),
                                     source="AFP")])


def near_copy_across_months(folder):
    """A copy of the summit's second article published in March, within the window: read from another month."""
    write(folder, "z.jsonl", [record("2025-03-01T08:00:00Z", "Sommet, le bilan", SUMMIT[:130] + words(20, 20),
                                     source="Libération")])


def removed(folder):
    """The file with the summit's first copy and the original of the duplicate goes: the copy is kept again."""
    (folder / "f1.jsonl").unlink()


def edited(folder):
    """A file edited: the wire copy rewritten (no longer a copy), an article added."""
    records = base_files()["f4.jsonl"]
    records[3] = record("2025-04-11T06:00:00Z", "Accord signé", words(21, 150), source="RFI")
    write(folder, "f4.jsonl", [*records, record("2025-04-12T12:00:00Z", "Ajout", words(22, 130))])


def identical(folder):
    """A record identical to an old one, in a new file: both must be told apart by their origin."""
    write(folder, "z.jsonl", [base_files()["f2.jsonl"][0]])


def first_in_order(folder):
    """A file sorting before the others: every row moves, every month is written again."""
    write(folder, "a.jsonl", [record("2025-03-12T12:00:00Z", "Au début", words(23, 130))])


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    for name, records in base_files().items():
        write(folder, name, records)
    return folder


def parts(dataset) -> dict[str, int]:
    return {month.name: os.stat(month / "part-0.parquet").st_ino for month in layout.months(dataset)}


@pytest.mark.parametrize("change", [appended, earlier_copy, earlier_copy_of_a_story_member, new_first_copy,
                                    near_copy_across_months, removed, edited, identical, first_in_order])
@pytest.mark.parametrize("chunk", [spill.CHUNK, 3])
def test_the_corpus_is_the_one_a_full_ingest_writes(raw, tmp_path, monkeypatch, change, chunk):
    monkeypatch.setattr(spill, "CHUNK", chunk)  # 3: the full runs compare near-duplicates a few at a time
    dataset = tmp_path / "corpus"
    ingest.ingest([raw], out=dataset, partitioned=True)
    change(raw)
    run = ingest.ingest([raw], out=dataset, partitioned=True)
    assert "months_written" in run.incremental  # the index was used, not the corpus's texts
    ingest.ingest([raw], out=tmp_path / "full.parquet")
    same_corpus(dataset, tmp_path / "full.parquet")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".corpus")]  # no spill, no temporary folder left


def test_the_fixture_changes_what_each_case_is_about(raw, tmp_path):
    """What the cases are for, on a full ingest: each changes a duplicate, a pair or a story."""
    def articles_after(change):
        folder = tmp_path / change.__name__
        shutil.copytree(raw, folder)
        change(folder)
        return ingest.ingest([folder], out=tmp_path / f"{change.__name__}.parquet").articles.set_index("title")

    first = articles_after(lambda folder: None)
    assert first.loc["Le sommet de Lomé", "story_id"] == first.loc["Sommet à Lomé", "article_id"]
    assert first.loc["Accord signé", "story_id"] == first.loc["Dépêche", "article_id"]
    assert first.loc["Reprise", "duplicate_of"] == first.loc["Original", "article_id"]
    grown = articles_after(appended)
    assert grown.loc["Accord, suite", "story_id"] == grown.loc["Dépêche", "article_id"]
    copied = articles_after(earlier_copy)
    assert copied.loc["Article 2 3", "duplicate_of"] == copied.loc["Copie", "article_id"]
    member = articles_after(earlier_copy_of_a_story_member)
    assert member.loc["Le sommet de Lomé", "duplicate_of"] == member.loc["Sommet (AFP)", "article_id"]
    assert member.loc["Sommet (AFP)", "story_id"] == member.loc["Sommet à Lomé", "article_id"]
    headed = articles_after(new_first_copy)
    assert headed.loc["Sommet à Lomé", "story_id"] == headed.loc["Sommet, l'annonce", "article_id"]
    assert headed.loc["Le sommet de Lomé", "story_similarity"] < 1
    crossing = articles_after(near_copy_across_months)
    assert crossing.loc["Sommet, le bilan", "story_id"] == crossing.loc["Sommet à Lomé", "article_id"]
    gone = articles_after(removed)
    assert pd.isna(gone.loc["Reprise", "duplicate_of"]) and gone.loc["Le sommet de Lomé", "story_id"] == \
        gone.loc["Le sommet de Lomé", "article_id"]
    rewritten = articles_after(edited)
    assert rewritten.loc["Accord signé", "story_id"] == rewritten.loc["Accord signé", "article_id"]
    twice = articles_after(identical).loc["Article 2 3", "article_id"]
    assert len(twice) == 2 and first.loc["Article 2 3", "article_id"] not in set(twice)


def test_months_that_do_not_change_are_carried_as_they_are(raw, tmp_path):
    dataset = tmp_path / "corpus"
    ingest.ingest([raw], out=dataset, partitioned=True)
    before = parts(dataset)
    appended(raw)
    run = ingest.ingest([raw], out=dataset, partitioned=True)
    assert run.incremental == {"files": 5, "read": 1, "unchanged": 4, "removed": 0, "months_written": 1,
                               "months_carried": 3}
    after = parts(dataset)
    assert {month for month in after if after[month] == before[month]} == {"month=2025-01", "month=2025-02",
                                                                           "month=2025-03"}


def test_a_broken_window_comparison_is_caught(raw, tmp_path, monkeypatch):
    """Guards the test above: comparing the new articles with nothing but themselves misses the copy that joins an
    old story, and the comparison with a full ingest fails."""
    dataset = tmp_path / "corpus"
    ingest.ingest([raw], out=dataset, partitioned=True)
    near_copy_across_months(raw)
    real = near_duplicates.involving

    def alone(ordered, changed, **options):
        return real(ordered[changed].reset_index(drop=True), changed[changed], **options)

    monkeypatch.setattr(near_duplicates, "involving", alone)
    ingest.ingest([raw], out=dataset, partitioned=True)
    ingest.ingest([raw], out=tmp_path / "full.parquet")
    with pytest.raises(AssertionError):
        same_corpus(dataset, tmp_path / "full.parquet")


def test_a_band_key_shared_too_widely_leaves_the_run_to_the_slow_path(raw, tmp_path, monkeypatch):
    dataset = tmp_path / "corpus"
    ingest.ingest([raw], out=dataset, partitioned=True)
    appended(raw)
    monkeypatch.setattr(near_duplicates, "MAX_BUCKET", 1)  # every shared band key is "too widely shared"
    run = ingest.ingest([raw], out=dataset, partitioned=True)
    assert "months_written" not in run.incremental and run.incremental["read"] == 1
    ingest.ingest([raw], out=tmp_path / "full.parquet")
    same_corpus(dataset, tmp_path / "full.parquet")


def test_a_corpus_without_its_index_takes_the_slow_path_and_gets_one(raw, tmp_path):
    dataset = tmp_path / "corpus"
    ingest.ingest([raw], out=dataset, partitioned=True)
    (dataset / layout.INDEX).unlink()  # as a corpus written by an earlier version
    appended(raw)
    run = ingest.ingest([raw], out=dataset, partitioned=True)
    assert "months_written" not in run.incremental
    assert (dataset / layout.INDEX).is_file()
    edited(raw)
    assert "months_written" in ingest.ingest([raw], out=dataset, partitioned=True).incremental
    ingest.ingest([raw], out=tmp_path / "full.parquet")
    same_corpus(dataset, tmp_path / "full.parquet")


def test_a_failed_run_leaves_the_last_corpus(raw, tmp_path, monkeypatch):
    dataset = tmp_path / "corpus"
    ingest.ingest([raw], out=dataset, partitioned=True)
    before, inodes = corpus.read(dataset), parts(dataset)

    def broken(*args, **kwargs):
        raise OSError("disk gone")

    monkeypatch.setattr(update, "_write_month", broken)
    appended(raw)
    with pytest.raises(OSError, match="disk gone"):
        ingest.ingest([raw], out=dataset, partitioned=True)
    pd.testing.assert_frame_equal(corpus.read(dataset), before)
    assert parts(dataset) == inodes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "raw"]


def test_the_french_feeds_and_the_seed_article(shared_data, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(shared_data / "fr-rss-2025", raw)
    for path in raw.iterdir():
        written_earlier(path)
    dataset = tmp_path / "corpus"
    ingest.ingest([raw], out=dataset, partitioned=True)
    for seed in (shared_data / "seed").iterdir():
        written_earlier(shutil.copy(seed, raw / seed.name))
    run = ingest.ingest([raw], out=dataset, partitioned=True)
    assert run.incremental["read"] == 1 and "months_written" in run.incremental
    ingest.ingest([raw], out=tmp_path / "full.parquet")
    same_corpus(dataset, tmp_path / "full.parquet")
    assert len(corpus.read_pairs(dataset)) > 0


def test_without_near_duplicates(raw, tmp_path):
    dataset = tmp_path / "corpus"
    ingest.ingest([raw], out=dataset, partitioned=True, stories=False)
    earlier_copy_of_a_story_member(raw)
    run = ingest.ingest([raw], out=dataset, partitioned=True, stories=False)
    assert "months_written" in run.incremental
    ingest.ingest([raw], out=tmp_path / "full.parquet", stories=False)
    pd.testing.assert_frame_equal(corpus.read(dataset), corpus.read(tmp_path / "full.parquet"))
    assert corpus.read_pairs(dataset).empty


def test_a_file_touched_but_unchanged_carries_every_month(raw, tmp_path):
    dataset = tmp_path / "corpus"
    ingest.ingest([raw], out=dataset, partitioned=True)
    appended(raw)
    ingest.ingest([raw], out=dataset, partitioned=True)  # reads z.jsonl and keeps its digest
    before = parts(dataset)
    stamp = (raw / "z.jsonl").stat()
    os.utime(raw / "z.jsonl", ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))
    run = ingest.ingest([raw], out=dataset, partitioned=True)  # its new time is written, nothing else changes
    assert run.written and run.incremental["read"] == 0 and run.incremental["months_written"] == 0
    assert parts(dataset) == before
