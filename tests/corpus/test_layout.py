"""A corpus as one Parquet file or as a dataset partitioned by month: both read back as the same articles."""

import json
import os
import subprocess
import sys

import pandas as pd
import pyarrow.dataset as ds
import pytest
from newsframe import corpus, ingest
from newsframe.corpus import fingerprint, layout
from newsframe.reports import config, since, state

from tests.conftest import ROOT, demo_corpus_in
from tests.corpus.test_store import killed_between_renames

ARTICLE = "date 2025-{month:02d}-{day:02d} Titre {month} {day}\n\nTexte {month}-{day} de l'article, assez long.\n"


def raw(folder, months=(1, 2, 3), days=(3, 9, 27)):
    folder.mkdir(parents=True, exist_ok=True)
    for month in months:
        for day in days:
            (folder / f"{month:02d}-{day:02d}.txt").write_text(ARTICLE.format(month=month, day=day), encoding="utf-8")
    (folder / "copy.txt").write_text(ARTICLE.format(month=2, day=9), encoding="utf-8")  # a duplicate
    return folder


@pytest.fixture(scope="module")
def demo_pair(tmp_path_factory):
    """The demo corpus written both ways from one ingest."""
    folder = tmp_path_factory.mktemp("demo")
    single = demo_corpus_in(folder, articles=600)
    articles = corpus.read(single)
    dataset = corpus.write(articles, folder / "dataset", partitioned=True)
    return single, dataset, articles


def test_a_dataset_reads_back_as_the_articles_of_one_file(demo_pair):
    single, dataset, articles = demo_pair
    pd.testing.assert_frame_equal(corpus.read(dataset), articles)  # same rows, same order, same dtypes
    assert fingerprint.of_corpus_file(dataset) == fingerprint.of_corpus_file(single)
    assert layout.count_rows(dataset) == len(articles)
    assert layout.schema_names(dataset) == list(articles.columns)


def test_a_dataset_has_one_folder_a_month_that_other_tools_read(demo_pair):
    _, dataset, articles = demo_pair
    months = articles["published"].dt.strftime("%Y-%m")
    assert sorted(p.name for p in dataset.iterdir()) == sorted(f"month={m}" for m in months.unique())
    table = ds.dataset(dataset, format="parquet", partitioning="hive").to_table()  # as Dask or DuckDB would
    assert table.num_rows == len(articles)
    july = table.filter(ds.field("month") == "2023-07").column("article_id").to_pylist()
    assert sorted(july) == sorted(articles.loc[months == "2023-07", "article_id"])


def test_a_selection_reads_the_same_from_either_form(demo_pair):
    single, dataset, _ = demo_pair
    chosen = {"start": "2023-06-01", "end": "2023-08-31", "language": "fr", "include_duplicates": False}
    pd.testing.assert_frame_equal(corpus.read(dataset, **chosen), corpus.read(single, **chosen))
    pd.testing.assert_frame_equal(corpus.read(dataset, columns=["source", "published"]),
                                  corpus.read(single, columns=["source", "published"]))


def test_ingest_writes_a_partitioned_corpus_equal_to_the_one_file_corpus(tmp_path):
    folder = raw(tmp_path / "raw")
    single = tmp_path / "corpus.parquet"
    dataset = tmp_path / "corpus"
    ingest.ingest([folder], out=single)
    result = ingest.ingest([folder], out=dataset, partitioned=True)
    assert result.duplicate_count == 1
    assert sorted(p.name for p in dataset.iterdir()) == [  # its rejects and summary are in it, out of the articles
        "_files.parquet", "_index.parquet", "_pairs.parquet", "_rejects.parquet", "_summary.json",
        "month=2025-01", "month=2025-02", "month=2025-03"]
    pd.testing.assert_frame_equal(corpus.read(dataset), corpus.read(single))
    pd.testing.assert_frame_equal(corpus.read_rejects(dataset), corpus.read_rejects(single))
    summary = corpus.read_summary(dataset)
    assert summary["corpus_fingerprint"] == fingerprint.of_corpus_file(dataset) == fingerprint.of_corpus_file(single)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder left


def test_a_partitioned_corpus_grows_by_the_new_files_only(tmp_path):
    folder = raw(tmp_path / "raw")
    dataset = tmp_path / "corpus"
    ingest.ingest([folder], out=dataset, partitioned=True)
    again = ingest.ingest([folder], out=dataset, partitioned=True)
    assert not again.written  # nothing new: the dataset is left as it was
    (folder / "04-01.txt").write_text(ARTICLE.format(month=4, day=1), encoding="utf-8")
    grown = ingest.ingest([folder], out=dataset, partitioned=True)
    assert grown.summary()["files"]["read"] == 1
    full = ingest.ingest([folder], out=tmp_path / "full.parquet", full=True)
    pd.testing.assert_frame_equal(corpus.read(dataset), full.articles.reset_index(drop=True))
    assert (dataset / "month=2025-04").is_dir()


def test_changing_the_form_at_one_path_rewrites_it(tmp_path):
    folder = raw(tmp_path / "raw")
    out = tmp_path / "corpus.parquet"
    ingest.ingest([folder], out=out)
    ingest.ingest([folder], out=out, partitioned=True)  # same inputs, now asked as a dataset
    assert out.is_dir()
    ingest.ingest([folder], out=out)
    assert out.is_file() and len(corpus.read(out)) == 10


def test_a_run_killed_while_replacing_a_dataset_is_completed_by_the_next_reader(tmp_path):
    folder = raw(tmp_path / "raw", months=(1,))
    dataset = tmp_path / "corpus"
    ingest.ingest([folder], out=dataset, partitioned=True)
    raw(folder, months=(1, 2))  # the corpus grows
    killed = subprocess.run([sys.executable, "-c", killed_between_renames(partitioned=True), str(folder), str(dataset)],
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert killed.returncode == 9
    assert (tmp_path / ".corpus.commit.json").exists()
    assert len(corpus.read(dataset)) == 7  # reading finishes the renames: the new dataset, with its summary
    assert corpus.read_summary(dataset)["corpus_fingerprint"] == fingerprint.of_corpus_file(dataset)
    ingest.ingest([folder], out=dataset, partitioned=True, full=True)  # the next run removes what was left aside
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_reports_read_a_dataset_as_they_read_a_file(demo_pair, tmp_path):
    single, dataset, _ = demo_pair
    assert since.corpus_facts(dataset) == {**since.corpus_facts(single), "rejects": None}  # no summary beside it
    job = config.Job(name="t", notebook=ROOT / "notebooks" / "timeline.ipynb", parameters={})
    key = state.run_key(job, {"corpus_path": str(dataset)})
    assert key == state.run_key(job, {"corpus_path": str(dataset)})
    changed = tmp_path / "changed"
    corpus.write(corpus.read(dataset).iloc[1:], changed, partitioned=True)
    assert state.run_key(job, {"corpus_path": str(changed)}) != state.run_key(job, {"corpus_path": str(dataset)})
    json.dumps(since.corpus_facts(dataset))


def test_the_french_feeds_partitioned(shared_data, tmp_path):
    feeds = shared_data / "fr-rss-2025"
    single = ingest.ingest([feeds], out=tmp_path / "fr.parquet", stories=False)
    ingest.ingest([feeds], out=tmp_path / "fr", partitioned=True, stories=False)
    articles = corpus.read(tmp_path / "fr")
    pd.testing.assert_frame_equal(articles, corpus.read(tmp_path / "fr.parquet"))
    assert len(articles) == len(single.articles)
    assert layout.count_rows(tmp_path / "fr") == len(single.articles)


def test_writing_a_partitioned_corpus_leaves_a_sibling_corpus_files_alone(tmp_path):
    folder = raw(tmp_path / "raw", months=(1,))
    sibling = tmp_path / ".corpus.parquet.abcd1234.tmp"  # corpus.parquet being written by another run
    sibling.write_bytes(b"half")
    ingest.ingest([folder], out=tmp_path / "corpus", partitioned=True)
    assert sibling.exists()
    (tmp_path / ".corpus.wxyz9876.tmp").write_bytes(b"")  # this corpus's own leftover, from a killed run
    ingest.ingest([folder], out=tmp_path / "corpus", partitioned=True, full=True)
    assert not (tmp_path / ".corpus.wxyz9876.tmp").exists() and sibling.exists()
