"""A partitioned ingest keeps its texts on disk (`ingest.spill`) and writes the corpus a month at a time: the corpus,
pairs and summary are those of the one-file ingest, which holds every article in memory."""

import json
import os
import random

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from newsframe import corpus, ingest
from newsframe.corpus import fingerprint, layout, schema
from newsframe.ingest import spill

from tests.ingest.test_incremental import same_corpus

WORDS = [f"{stem}{n}" for stem in ("élan", "café", "hausse", "accord", "sommet", "armée", "vote", "prix")
         for n in range(300)]


def words(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(WORDS) for _ in range(count)]


def record(day: str, title: str, body: list[str], *, source: str = "RFI", url: str = "") -> dict:
    return {"published": day, "title": title, "text": " ".join(body), "source": source, "url": url}


def tricky_records() -> list[dict]:
    """Records whose duplicates and stories cross month boundaries, in an input order that is not time order."""
    a, x, y = words(1, 150), words(2, 40), words(3, 40)
    chain = [record("2025-01-30T10:00:00Z", "Sommet à Lomé", a),  # first copy of a story of three
             record("2025-02-01T09:00:00Z", "Le sommet de Lomé", a[:110] + x, source="Le Monde"),
             record("2025-02-03T08:00:00Z", "Lomé, suite", a[40:110] + x + y, source="AllAfrica")]  # 4 days after
    wire = words(4, 140)
    copies = [record("2025-02-28T23:30:00Z", "Dépêche", wire, source="AFP"),
              record("2025-03-01T06:00:00Z", "L'accord signé", wire[:130] + words(5, 10), source="Le Monde"),
              record("2025-03-02T06:00:00Z", "Accord signé", wire[5:], source="RFI")]
    versions = [record("2025-03-30T12:00:00Z", "Première version", words(6, 120), url="https://rfi.fr/a"),
                record("2025-04-02T12:00:00Z", "Version corrigée", words(7, 120), url="https://rfi.fr/a")]
    exact = [record("2025-01-05T12:00:00Z", "Original", words(8, 120), source="RFI"),
             record("2025-04-05T12:00:00Z", "Reprise", words(8, 120), source="Le Monde")]  # the same text, later
    identical = record("2025-02-10T12:00:00Z", "Deux fois", words(9, 120))
    others = [record(f"2025-{month:02d}-{day:02d}T12:00:00Z", f"Article {month} {day}", words(100 * month + day, 130))
              for month in (1, 2, 3, 4) for day in (2, 11, 19, 27)]
    records = [*others, *chain, *copies, *versions, *exact, identical, identical]
    random.Random(0).shuffle(records)
    return records


def write_jsonl(folder, records):
    folder.mkdir()
    for name, part in (("a.jsonl", records[: len(records) // 2]), ("b.jsonl", records[len(records) // 2 :])):
        (folder / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part),
                                   encoding="utf-8")
    return folder


@pytest.mark.parametrize("chunk", [spill.CHUNK, 3])
def test_a_partitioned_ingest_writes_the_corpus_the_one_file_ingest_writes(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(spill, "CHUNK", chunk)  # 3: near-duplicates looked for a few articles at a time
    folder = write_jsonl(tmp_path / "raw", tricky_records())
    single = tmp_path / "corpus.parquet"
    ingest.ingest([folder], out=single)
    result = ingest.ingest([folder], out=tmp_path / "corpus", partitioned=True)
    assert "text" not in result.articles  # the texts stayed on disk
    same_corpus(tmp_path / "corpus", single)
    articles = corpus.read(single).set_index("title")
    # What the fixture is for: each rule crosses a month boundary in the one-file corpus too.
    assert articles.loc["Lomé, suite", "story_id"] == articles.loc["Sommet à Lomé", "article_id"]
    assert 0 < articles.loc["Lomé, suite", "story_similarity"] < 0.5  # joined through the middle copy only
    assert articles.loc["Accord signé", "story_id"] == articles.loc["Dépêche", "article_id"]
    assert articles.loc["Première version", "duplicate_of"] == articles.loc["Version corrigée", "article_id"]
    assert articles.loc["Reprise", "duplicate_of"] == articles.loc["Original", "article_id"]
    twice = articles.loc["Deux fois", "article_id"]
    assert len(twice) == 2 and twice.nunique() == 2
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # the spill is gone


def test_the_articles_a_partitioned_ingest_holds_as_numbers_are_counted_as_the_same_articles_as_text(monkeypatch):
    # The write phase holds every article: ids as numbers and names as categories, counted as a corpus in memory is.
    monkeypatch.setattr(fingerprint, "_HASHED_AT_ONCE", 2)  # the fingerprint hashed a few ids at a time
    numbers = np.array([0x00FF00FF00FF00FF, 7, 0xFFFFFFFFFFFFFFFF, 2**40, 3, 12], np.uint64)
    index = spill.Index(id=numbers, published=np.arange(6) * 86_400_000_000, url_key=np.zeros(6, np.uint64),
                        text_key=np.arange(6), source=np.array([0, 0, 1, -1, 1, 0], np.int32),
                        language=np.array([0, -1, 1, 0, 0, 0], np.int32), title_only=np.zeros(6, bool),
                        file=np.zeros(0, np.int64), within=np.zeros(0, np.int64),
                        names={"source": ["RFI", "Le Monde", "never used"], "language": ["fr", "en"]})
    target, story_row = np.array([-1, 0, -1, -1, 2, -1]), np.array([0, 0, 2, 2, 2, 5])
    held = index.articles(target, story_row)
    every = np.arange(6)
    as_text = held.assign(**{name: spill.text_ids(held[name], every) for name in ("article_id", "duplicate_of",
                                                                                  "story_id")},
                          source=held["source"].astype("string"), language=held["language"].astype("string"))
    assert as_text["article_id"].tolist() == ["00ff00ff00ff00ff", "0000000000000007", "ffffffffffffffff",
                                              "0000010000000000", "0000000000000003", "000000000000000c"]
    assert as_text["duplicate_of"].isna().tolist() == [True, False, True, True, False, True]
    assert as_text["duplicate_of"].iloc[1] == "00ff00ff00ff00ff" and as_text["story_id"].iloc[3] == "ffffffffffffffff"

    def summary(articles):
        return ingest.IngestResult(articles, schema.empty_rejects(), read_count=6, stories={"threshold": 0.5},
                                   older_version_count=0).summary()

    counted = summary(held)
    assert counted == summary(as_text)
    assert counted["sources"] == {"RFI": 3, "Le Monde": 2} and counted["languages"] == {"fr": 4, "en": 1, "unknown": 1}
    assert counted["near_duplicates"]["stories_of_two_or_more"] == 1  # rows 2 and 3 (row 4 is a copy of row 2)
    assert counted["corpus_fingerprint"] == fingerprint.of_ids(pa.array(sorted(as_text["article_id"])))


def test_rejects_go_to_disk_and_are_written_in_the_order_the_one_file_ingest_writes_them(tmp_path, monkeypatch):
    # Row groups of 3 and slices of 7 rejects, a slice reading 2 row groups at most: the halving is used.
    monkeypatch.setattr(spill.Rejects, "ROW_GROUP", 3)
    monkeypatch.setattr(spill, "_WRITTEN_AT_ONCE", 7)
    monkeypatch.setattr(spill, "_MAX_GROUPS_READ", 2)
    folder = tmp_path / "raw"
    folder.mkdir()
    good = tricky_records()
    for number, name in enumerate(("c.jsonl", "a.jsonl", "b.jsonl")):
        lines = []
        for at, article in enumerate(good[number * 10 : number * 10 + 10]):
            lines.append(json.dumps(article, ensure_ascii=False))
            if at % 3 == 0:  # read by the reader: a reject before the batch's articles are normalised
                lines.append('{"title": "cut off", "text": ')
            if at % 4 == 1:  # seen when the batch is normalised
                lines.append(json.dumps({**article, "published": "le 31 février", "title": f"Mauvaise date {at}"}))
            if at % 5 == 2:
                lines.append(json.dumps({**article, "text": "", "title": f"Sans texte {name} {at}"}))
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "notes.bin").write_bytes(bytes(range(256)))  # a whole file rejected
    single = tmp_path / "corpus.parquet"
    ingest.ingest([folder], out=single)
    result = ingest.ingest([folder], out=tmp_path / "corpus", partitioned=True)
    same_corpus(tmp_path / "corpus", single)  # rejects, records included, in the same order; the same summary
    rejects = corpus.read_rejects(single)
    assert result.reject_counts == rejects["reason"].value_counts().to_dict() and len(result.reject_counts) == 4
    pd.testing.assert_frame_equal(result.rejects, rejects.drop_duplicates("reason").reset_index(drop=True))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # the spill, rejects included, is gone


def test_rejects_that_come_in_any_order_are_written_in_file_order(tmp_path, monkeypatch):
    monkeypatch.setattr(spill.Rejects, "ROW_GROUP", 4)
    monkeypatch.setattr(spill, "_WRITTEN_AT_ONCE", 10)
    monkeypatch.setattr(spill, "_MAX_GROUPS_READ", 3)
    files = [str(tmp_path / f"{name}.csv") for name in ("b", "a", "c", "d")]
    rng = random.Random(5)
    batches = [pd.DataFrame({"origin": [f"{files[rng.randrange(4)]}#row={n}-{k}" for k in range(rng.randrange(1, 6))],
                             "reason": rng.choice(["empty text", "unparseable date"]), "detail": f"batch {n}",
                             "record": "{}"}) for n in range(40)]
    rejects = spill.Rejects(tmp_path / "spilled.parquet")
    for batch in batches:
        rejects.append(batch)
    examples, counts, write = rejects.finish(files)
    write(tmp_path / "written.parquet")
    expected = ingest._in_file_order(batches, files)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "written.parquet"), expected)
    assert counts == expected["reason"].value_counts().to_dict()
    pd.testing.assert_frame_equal(examples, expected.drop_duplicates("reason").reset_index(drop=True))


def test_the_french_feeds_with_their_stories(shared_data, tmp_path):
    feeds = shared_data / "fr-rss-2025"
    ingest.ingest([feeds], out=tmp_path / "fr.parquet")
    ingest.ingest([feeds], out=tmp_path / "fr", partitioned=True)
    same_corpus(tmp_path / "fr", tmp_path / "fr.parquet")
    assert len(corpus.read_pairs(tmp_path / "fr")) > 0


def test_a_failed_partitioned_ingest_leaves_no_spill_and_the_last_corpus(tmp_path, monkeypatch):
    folder = write_jsonl(tmp_path / "raw", tricky_records())
    out = tmp_path / "corpus"
    ingest.ingest([folder], out=out, partitioned=True)
    before = corpus.read(out)

    def broken(self, index, folder):
        raise OSError("disk gone")

    monkeypatch.setattr(spill.Spill, "write_months", broken)
    with pytest.raises(OSError, match="disk gone"):
        ingest.ingest([folder], out=out, partitioned=True, full=True)
    pd.testing.assert_frame_equal(corpus.read(out), before)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "raw"]


def test_a_spill_a_killed_run_left_is_removed_by_the_next_run(tmp_path):
    dead = tmp_path / f".corpus.spill-{2**22 + 12345}.abcdefgh"  # above pid_max: no such process
    dead.mkdir()
    (dead / "2025-01.parquet").write_bytes(b"left by a killed run")
    alive = tmp_path / f".corpus.spill-{os.getpid()}.abcdefgh"  # this process's: in use
    alive.mkdir()
    folder = write_jsonl(tmp_path / "raw", tricky_records())
    ingest.ingest([folder], out=tmp_path / "corpus", partitioned=True)
    assert not dead.exists() and alive.exists()


def test_months_are_written_as_the_dataset_layout_reads_them(tmp_path):
    folder = write_jsonl(tmp_path / "raw", tricky_records())
    ingest.ingest([folder], out=tmp_path / "corpus", partitioned=True)
    assert [m.name for m in layout.months(tmp_path / "corpus")] == [f"month=2025-0{m}" for m in (1, 2, 3, 4)]
    assert layout.count_rows(tmp_path / "corpus") == len(corpus.read(tmp_path / "corpus"))


def test_an_incremental_run_into_a_partitioned_corpus_gives_the_corpus_a_full_ingest_gives(tmp_path, monkeypatch):
    monkeypatch.setattr(spill, "CHUNK", 4)
    records = tricky_records()
    folder = tmp_path / "raw"
    folder.mkdir()
    files = {"b.jsonl": records[:12], "d.jsonl": records[12:24], "f.jsonl": records[24:36]}  # each spans months
    for name, part in files.items():
        (folder / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in part), encoding="utf-8")
    dataset = tmp_path / "corpus"
    ingest.ingest([folder], out=dataset, partitioned=True)
    (folder / "a.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[36:]),
                                    encoding="utf-8")  # new, and first in file order
    (folder / "f.jsonl").unlink()  # gone: its articles leave the corpus
    grown = ingest.ingest([folder], out=dataset, partitioned=True, replace=True)
    assert grown.incremental == {"files": 3, "read": 1, "unchanged": 2, "removed": 1, "months_written": 3,
                                 "months_carried": 1}
    assert "text" not in grown.articles
    single = tmp_path / "full.parquet"
    ingest.ingest([folder], out=single)
    same_corpus(dataset, single)
    whole = corpus.read_summary(single)
    again = ingest.ingest([folder], out=dataset, partitioned=True)  # nothing new: nothing read, nothing written
    assert not again.written and again.summary()["corpus_fingerprint"] == whole["corpus_fingerprint"]
    assert again.summary()["title_only"] == whole["title_only"]
