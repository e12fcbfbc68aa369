import json

import pandas as pd
import pytest
from newsframe import corpus, ingest
from newsframe.corpus import schema
from newsframe.errors import InputError

ARTICLE = "date {date} {title}\nsource {source}\n\n{text}\n"


@pytest.fixture
def folder(write, tmp_path):
    """A small mixed corpus: text files, a CSV with a bad date and an empty text, a duplicate."""
    write("raw/rfi/a.txt", ARTICLE.format(date="2025-11-19", title="Togo et Russie", source="RFI",
                                          text="Le président togolais rencontre Vladimir Poutine à Moscou."))
    write("raw/rfi/b.txt", ARTICLE.format(date="2025-11-20", title="Reprise", source="RFI",
                                          text="Le  président togolais rencontre Vladimir Poutine à Moscou."))
    write("raw/wire.csv", "title,date,text\nA,2025-11-18,The president of Togo meets Putin in Moscow.\n"
                          "B,someday,Text with a date nobody can read.\nC,2025-11-21,\n")
    return tmp_path / "raw"


def test_counts_reconcile_and_every_record_is_accounted_for(folder):
    result = ingest.read([folder])
    summary = result.summary()
    assert summary["read"] == 5
    assert summary["read"] == summary["kept"] + summary["duplicates"] + summary["rejected"]
    assert summary["rejected_by_reason"] == {"unparseable date": 1, "empty text": 1}
    assert summary["duplicates"] == 1
    schema.validate_articles(result.articles)


def test_duplicate_points_at_the_earliest_copy(folder):
    articles = ingest.read([folder]).articles.set_index("title")
    assert articles.loc["Reprise", "duplicate_of"] == articles.loc["Togo et Russie", "article_id"]
    assert pd.isna(articles.loc["Togo et Russie", "duplicate_of"])


def test_rejects_keep_the_raw_record_and_say_what_to_do(folder):
    rejects = ingest.read([folder]).rejects.set_index("reason")
    bad_date = rejects.loc["unparseable date"]
    assert bad_date["origin"].endswith("wire.csv#row=2")
    assert "'someday'" in bad_date["detail"] and "--column published=" in bad_date["detail"]
    assert json.loads(bad_date["record"])["text"] == "Text with a date nobody can read."


def test_day_only_dates_and_languages(folder):
    articles = ingest.read([folder]).articles.set_index("title")
    assert articles.loc["Togo et Russie", "published"] == pd.Timestamp("2025-11-19", tz="UTC")
    assert not articles.loc["Togo et Russie", "is_time_known"]
    assert articles.loc["Togo et Russie", "language"] == "fr" and articles.loc["A", "language"] == "en"


def test_reingesting_gives_the_same_ids(folder):
    first = ingest.read([folder]).articles["article_id"]
    second = ingest.read([folder]).articles["article_id"]
    pd.testing.assert_series_equal(first, second)


def test_identical_files_get_distinct_ids(write, tmp_path):
    same = ARTICLE.format(date="2025-01-01", title="T", source="S", text="Même texte.")
    write("raw/a.txt", same)
    write("raw/b.txt", same)
    articles = ingest.read([tmp_path / "raw"]).articles
    assert articles["article_id"].is_unique and articles["duplicate_of"].notna().sum() == 1


def test_ingest_writes_corpus_rejects_and_summary(folder, tmp_path):
    out = tmp_path / "processed" / "corpus.parquet"
    ingest.ingest([folder], out=out)
    assert len(corpus.read(out)) == 3
    assert len(corpus.read_rejects(out)) == 2
    assert json.loads(corpus.summary_path(out).read_text())["read"] == 5


def test_a_run_that_keeps_nothing_leaves_the_last_good_corpus(folder, write, tmp_path):
    out = tmp_path / "processed" / "corpus.parquet"
    ingest.ingest([folder], out=out)
    before = out.read_bytes()
    bad = write("bad/x.csv", "title,date,text\nA,never,\n")
    with pytest.raises(InputError, match="left as it was"):
        ingest.ingest([bad], out=out)
    assert out.read_bytes() == before
    assert not list(out.parent.glob(".*.tmp"))


def test_raw_input_is_never_modified(folder):
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    ingest.read([folder])
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(
    ("relative", "minimum_kept"),
    [
        ("seed", 1),
        ("reuters21578/seed-format", 300),
        ("reuters21578/reuters21578.jsonl.xz", 18000),
        ("newsarticles-en/NewsArticles.csv", 3700),
        ("fr-rss-2025", 5000),
        ("feeds", 1500),
        ("html/readability", 30),
    ],
)
def test_real_data_ingests_and_reconciles(shared_data, relative, minimum_kept):
    result = ingest.read([shared_data / relative])
    summary = result.summary()
    assert summary["kept"] >= minimum_kept
    assert summary["read"] == summary["kept"] + summary["duplicates"] + summary["rejected"]
    assert result.articles["published"].dt.tz is not None
    assert result.rejects["detail"].str.len().gt(20).all()


def _seed_folder(folder, count):
    folder.mkdir(parents=True)
    for i in range(count):
        (folder / f"{i:03d}.txt").write_text(f"date 2025-01-{i % 28 + 1:02d} Titre {i}\n\nTexte de l'article {i}.\n",
                                             encoding="utf-8")
    return folder


def test_large_text_folders_are_read_by_worker_processes_in_file_order(tmp_path, monkeypatch):
    from newsframe.ingest import workers
    from newsframe.ingest.readers import text

    folder = _seed_folder(tmp_path / "many", 23)
    monkeypatch.setattr(workers, "TEXT_BATCH_FILES", 5)  # 5 batches, read by the workers
    monkeypatch.setattr(workers, "WORKER_MIN_TEXT_FILES", 10)
    batches = list(ingest.read_records([folder]))
    alone = text.read_texts(sorted(folder.iterdir()))
    together = pd.concat([b.records for b in batches], ignore_index=True)
    assert len(batches) == 5
    pd.testing.assert_frame_equal(together, alone.records)


def test_worker_processes_start_while_a_large_folder_is_still_being_listed(tmp_path, monkeypatch):
    from newsframe.ingest import inputs, workers

    _seed_folder(tmp_path / "many" / "a", 12)
    _seed_folder(tmp_path / "many" / "b", 12)
    monkeypatch.setattr(workers, "WORKER_MIN_TEXT_FILES", 10)
    started = []

    def start(batches):
        started.append(batches.listed)
        batches.pool = "started"

    monkeypatch.setattr(workers.TextFiles, "_start", start)
    texts = workers.TextFiles(None)
    files = inputs.expand([tmp_path / "many"], listed=texts.count_listed)
    assert len(files) == 24
    assert started == [12]  # once, after the first folder: not after all 24 files were listed


def test_worker_processes_work_from_a_plain_script(tmp_path):
    import subprocess
    import sys

    folder = _seed_folder(tmp_path / "many", 12)
    # No `if __name__ == "__main__":` guard, as in a researcher's quick script.
    script = ("import newsframe.ingest as i, newsframe.ingest.workers as w\nw.TEXT_BATCH_FILES = 4\n"
              f"w.WORKER_MIN_TEXT_FILES = 10\nprint(sum(len(b.records) for b in i.read_records([{str(folder)!r}])))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "12"


def test_every_later_copy_points_at_the_earliest_whatever_the_file_order(write, tmp_path):
    for name, date in (("a", "2025-03-01"), ("b", "2025-01-01"), ("c", "2025-02-01")):
        write(f"raw/{name}.txt", ARTICLE.format(date=date, title=name, source="S", text="Le même texte repris."))
    write("raw/d.txt", ARTICLE.format(date="2025-01-01", title="d", source="S", text="Un texte à part."))
    articles = ingest.read([tmp_path / "raw"]).articles.set_index("title")
    earliest = articles.loc["b", "article_id"]
    assert articles["duplicate_of"].fillna("").to_dict() == {"a": earliest, "b": "", "c": earliest, "d": ""}


def test_a_column_mapping_a_file_lacks_is_refused_before_anything_is_written(write, tmp_path):
    write("raw/a.json", '[{"titre": "A", "quand": "2025-01-01", "texte": "Texte."}]')
    write("raw/b.txt", ARTICLE.format(date="2025-01-02", title="B", source="S", text="Un texte."))
    out = tmp_path / "corpus.parquet"
    with pytest.raises(InputError, match=r"no column published=nope; its columns are titre, quand, texte"):
        ingest.ingest([tmp_path / "raw"], out=out, columns={"text": "texte", "published": "nope"})
    assert not out.exists()


def test_a_run_keeping_far_less_than_the_corpus_it_would_replace_is_refused(folder, tmp_path):
    out = tmp_path / "corpus.parquet"
    ingest.ingest([folder], out=out)
    before = out.read_bytes()
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "a.txt").write_text(ARTICLE.format(date="2025-01-01", title="T", source="S", text="Un."))
    with pytest.raises(InputError, match="this run kept 1 articles .* where the corpus .* holds 3.*--replace"):
        ingest.ingest([tmp_path / "one"], out=out)
    assert out.read_bytes() == before
    ingest.ingest([tmp_path / "one"], out=out, replace=True)
    assert len(corpus.read(out)) == 1


def test_headlines_without_text_are_kept_when_asked_and_counted(write, tmp_path):
    write("raw/a.csv", "title,date,text\nUn titre seul,2025-01-01,\nA,2025-01-02,Un texte.\n,2025-01-03,\n")
    rejected = ingest.read([tmp_path / "raw"])
    assert rejected.summary()["rejected_by_reason"] == {"empty text": 2}
    kept = ingest.read([tmp_path / "raw"], keep_title_only=True)
    assert kept.summary()["title_only"] == 1 and kept.summary()["rejected"] == 1  # no title either: still a reject
    assert "kept without text (headlines only): 1" in ingest.format_summary(kept.summary())


def test_headlines_without_text_are_duplicates_only_of_the_same_headline(write, tmp_path):
    write("raw/a.csv", "title,date,text,source\nPremier titre,2025-01-01,,RFI\nSecond titre,2025-01-02,,RFI\n"
                       "Premier titre,2025-01-03,,RFI\nPremier titre,2025-01-03,,Le Monde\n")
    articles = ingest.read([tmp_path / "raw"], keep_title_only=True).articles
    copies = articles.set_index(["title", "source"])["duplicate_of"]
    assert copies.notna().sum() == 1  # the same headline of one source, twice; empty texts alone match nothing
    first = articles[(articles["title"] == "Premier titre") & (articles["source"] == "RFI")]
    assert set(first["duplicate_of"].dropna()) == {first["article_id"].iloc[0]}


def test_the_summary_gives_an_example_of_each_reject_and_warns_when_little_is_kept(write, tmp_path):
    write("raw/a.csv", "title,date,text\nA,someday,Un texte.\nB,,Un autre.\nC,2025-01-01,Un troisième.\n")
    printed = ingest.format_summary(ingest.read([tmp_path / "raw"]).summary())
    assert printed.startswith("WARNING: only 1 of 3 records were kept")
    assert "rejected, unparseable date: 1 — e.g. " in printed and "cannot use the date 'someday'" in printed


def test_feed_file_names_in_a_source_column_lose_their_suffix(write, tmp_path):
    write("raw/a.csv", "title,date,text,source\nA,2025-01-01,Un texte.,Le Figaro - Sport.xml\n"
                       "B,2025-01-01,Un autre.,Elucid -.xml\n")
    assert ingest.read([tmp_path / "raw"]).articles["source"].tolist() == ["Le Figaro - Sport", "Elucid"]
