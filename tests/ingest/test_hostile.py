"""Hostile and broken inputs: a file that cannot be read is one reject naming it, ingest goes on, counts reconcile,
memory stays bounded, and nothing is silently changed or lost."""

import bz2
import gzip
import json
import lzma
import os
import subprocess
import sys

import pandas as pd
import pytest
from newsframe import ingest

GOOD = "date 2025-01-0{day} Titre {day}\n\nUn texte d'article tout à fait correct, numéro {day}.\n"
LINES = "".join(json.dumps({"title": f"t{i}", "text": f"texte numéro {i} " * 20, "date": "2025-01-01"}) + "\n"
                for i in range(3000)).encode()
ROWS = ("title,date,text\n" + "".join(f"t{i},2025-01-01,texte numéro {i} du fichier\n" for i in range(3000))).encode()


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # origins read `raw/x.csv#row=1`


def corpus_with(tmp_path, name: str, content: bytes):
    """A folder of three good articles and one more file; return what ingest makes of it."""
    folder = tmp_path / "raw"
    folder.mkdir(exist_ok=True)
    for day in (1, 2, 3):
        (folder / f"good{day}.txt").write_text(GOOD.format(day=day), encoding="utf-8")
    (folder / name).write_bytes(content)
    return ingest.read([folder])


def reconciles(result) -> bool:
    return result.read_count == result.kept_count + result.duplicate_count + len(result.rejects)


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("cut.jsonl.gz", gzip.compress(LINES)[:4000], "cut short"),
    ("cut.csv.gz", gzip.compress(ROWS)[:4000], "cut short"),
    ("cut.jsonl.xz", lzma.compress(LINES)[:4000], "cut short"),
    ("cut.jsonl.bz2", bz2.compress(LINES)[:4000], "cut short"),
    ("plain.jsonl.gz", LINES[:5000], "not what its name says"),
    ("deep.json", b"[" * 100_000 + b"]" * 100_000, "nested more deeply"),
    ("binary.txt", os.urandom(4000), "binary"),
])
def test_a_file_that_cannot_be_read_is_one_reject_and_ingest_goes_on(tmp_path, name, content, problem):
    result = corpus_with(tmp_path, name, content)
    assert reconciles(result)
    assert {f"Titre {day}" for day in (1, 2, 3)} <= set(result.articles["title"])
    bad = result.rejects[result.rejects["origin"].str.contains(name.split(".")[0])]
    assert (bad["reason"] == "unreadable file").any()
    assert problem in " ".join(bad["detail"]) and name in " ".join(bad["detail"])


def test_a_compressed_file_cut_short_keeps_the_records_before_the_break(tmp_path):
    result = corpus_with(tmp_path, "cut.jsonl.gz", gzip.compress(LINES)[: len(gzip.compress(LINES)) // 2])
    kept = result.articles[result.articles["origin"].str.contains("cut.jsonl.gz")]
    assert 500 < len(kept) < 3000 and reconciles(result)
    assert "record(s) read before the problem were kept" in " ".join(result.rejects["detail"])


def test_one_line_nested_too_deeply_is_a_reject_of_its_own(tmp_path):
    deep = b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"\n"
    result = corpus_with(tmp_path, "deep.jsonl", LINES[:2000].rsplit(b"\n", 1)[0] + b"\n" + deep)
    assert reconciles(result)
    assert result.rejects.loc[result.rejects["origin"].str.contains("deep.jsonl"), "reason"].tolist() == [
        "invalid JSON"]
    assert result.articles["origin"].str.contains("deep.jsonl").sum() == LINES[:2000].count(b"\n")


READ_IN_A_CHILD = """
import json, sys
from newsframe import ingest
result = ingest.read(sys.argv[1:])
print(json.dumps({"read": result.read_count, "kept": result.kept_count, "duplicates": result.duplicate_count,
                  "rejects": result.rejects[["origin", "reason", "detail"]].to_dict("records")}))
"""


def read_in_a_child(*paths) -> dict:
    """Ingest in another process, so that a read blocking forever fails the test instead of hanging it."""
    done = subprocess.run([sys.executable, "-c", READ_IN_A_CHILD, *map(str, paths)], capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("given", ["folder", "file", "link"])
def test_a_named_pipe_is_one_reject_not_a_read_that_never_returns(tmp_path, given):
    folder = tmp_path / "raw"
    folder.mkdir()
    for day in (1, 2, 3):
        (folder / f"good{day}.txt").write_text(GOOD.format(day=day), encoding="utf-8")
    os.mkfifo(folder / "pipe.jsonl")
    os.mkfifo(folder / "pipe")  # no suffix: its format would be sniffed from its first bytes
    if given == "link":
        (folder / "link.jsonl").symlink_to(folder / "pipe.jsonl")
    paths = {"folder": [folder], "file": [folder / "good1.txt", folder / "pipe.jsonl"], "link": [folder]}[given]
    result = read_in_a_child(*paths)
    pipes = [r for r in result["rejects"] if "pipe" in r["origin"] or "link" in r["origin"]]
    assert len(pipes) == {"folder": 2, "file": 1, "link": 3}[given] == len(result["rejects"])
    assert all(r["reason"] == "not a regular file" and "a named pipe" in r["detail"] and "reads files only" in
               r["detail"] for r in pipes)
    assert result["read"] == result["kept"] + result["duplicates"] + len(result["rejects"])


def test_a_file_name_that_is_not_utf8_is_shown_escaped(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "w", encoding="utf-8") as handle:
        handle.write(GOOD.format(day=4))
    out = tmp_path / "corpus.parquet"
    result = ingest.ingest([folder], out=out)
    assert result.articles["origin"].tolist() == ["raw/caf\\xe9.txt"]
    assert pd.read_parquet(out)["origin"].str.endswith("caf\\xe9.txt").all()


def test_csv_a_stray_byte_changes_its_own_row_only_and_is_noted(tmp_path):
    rows = "".join(f"t{i},2025-01-01,le président numéro {i} a parlé\n" for i in range(30_000))
    data = ("title,date,text\n" + rows).encode("utf-8")
    cut = data.index(b"\n", 1_100_000) + 1  # past the first megabyte, which decides the file's encoding
    data = data[:cut] + "odd,2025-01-02,un café à Noël\n".encode("cp1252") + data[cut:]
    result = corpus_with(tmp_path, "x.csv", data)
    articles = result.articles.set_index("title")
    assert articles.loc["odd", "text"] == "un café à Noël" and articles.loc["odd", "encoding"] == "utf-8+cp1252"
    assert articles.loc["t1", "text"] == "le président numéro 1 a parlé" and articles.loc["t1", "encoding"] == "utf-8"
    assert any("1 line(s) are not UTF-8" in note and "x.csv" in note for note in result.notes)
    assert result.summary()["notes"] == list(result.notes)


def test_csv_a_malformed_row_is_a_reject_with_its_number_and_the_next_rows_do_not_shift(tmp_path):
    data = (b'title,date,text\nA,2025-01-01,"' + b"y" * (40 << 20) + b'"\nB,2025-01-02,ok,extra,fields\n'
            b"C,2025-01-03,fine text\n")
    result = corpus_with(tmp_path, "x.csv", data)
    rejects = result.rejects.set_index("origin")
    assert rejects.loc["raw/x.csv#row=1", "reason"] == "record too long"
    assert rejects.loc["raw/x.csv#row=2", "reason"] == "malformed CSV row"
    assert "row 2 (line 3) has 5 fields where the header has 3" in rejects.loc["raw/x.csv#row=2", "detail"]
    row = result.articles.set_index("title").loc["C"]
    assert row["text"] == "fine text" and row["origin"] == "raw/x.csv#row=3" and reconciles(result)


def test_csv_an_extra_field_in_the_first_row_shifts_nothing(tmp_path):
    result = corpus_with(tmp_path, "x.csv", b"title,date,text\nA,2025-01-01,txt,EXTRA\nB,2025-01-02,good one\n")
    assert result.articles.set_index("title").loc["B", "text"] == "good one"
    assert result.rejects["origin"].tolist() == ["raw/x.csv#row=1"]


def test_csv_a_quote_never_closed_is_a_reject_not_a_row_holding_the_rest_of_the_file(tmp_path):
    data = b'title,date,text\nA,2025-01-01,fine\nB,2025-01-01,"never closed\nC,2025-01-02,swallowed\n' + b"z\n" * 3
    result = corpus_with(tmp_path, "x.csv", data)
    assert reconciles(result) and result.rejects["origin"].tolist() == ["raw/x.csv#row=2"]
    assert "never closed, so lines 3 to 7 were read into it" in result.rejects["detail"].iloc[0]
    assert result.articles.set_index("title").loc["A", "text"] == "fine"


def test_csv_a_quote_inside_an_unquoted_field_is_text(tmp_path):
    result = corpus_with(tmp_path, "x.csv", b'title,date,text\nA,2025-01-01,a 27" screen\nB,2025-01-02,the 5" end\n')
    texts = result.articles.set_index("title")["text"]
    assert (texts["A"], texts["B"]) == ('a 27" screen', 'the 5" end') and result.rejects.empty


def test_text_mixing_utf8_and_cp1252_reads_each_part_right_and_drops_nul(tmp_path):
    data = ("date 2025-02-01 Président\n\nLe président a dit : ".encode() + "café crème".encode("cp1252")
            + b"\x00 fin.\n")
    result = corpus_with(tmp_path, "x.txt", data)
    article = result.articles.set_index("title").loc["Président"]
    assert article["text"] == "Le président a dit : café crème fin." and article["encoding"] == "utf-8+cp1252"
    assert any("mixes UTF-8 with Windows-1252" in note for note in result.notes)


def test_impossible_dates_are_rejects_and_epoch_seconds_keep_their_time(tmp_path):
    result = corpus_with(tmp_path, "x.csv", b"title,date,text\nA,2023-13-01,t1\nB,2023-31-12,t2\nC,1700000000,t3\n")
    assert result.rejects.set_index("origin").loc[["raw/x.csv#row=1", "raw/x.csv#row=2"], "reason"].eq(
        "unparseable date").all()
    epoch = result.articles.set_index("title").loc["C"]
    assert epoch["published"] == pd.Timestamp("2023-11-14 22:13:20", tz="UTC") and epoch["is_time_known"]


@pytest.mark.parametrize(("name", "content"), [
    ("x.json", json.dumps([{"title": "AT&amp;T", "text": "AT&amp;T à Côte d&#39;Azur", "date": "2025-01-01",
                            "source": "Côte d&#39;Azur"}]).encode()),
    ("x.csv", b"title,date,text,source\nAT&amp;T,2025-01-01,AT&amp;T \xc3\xa0 C\xc3\xb4te d&#39;Azur,C\xc3\xb4te "
              b"d&#39;Azur\n"),
    ("x.xml", b"<?xml version='1.0'?><rss version='2.0'><channel><title>C\xc3\xb4te d&amp;#39;Azur</title><item>"
              b"<title>AT&amp;amp;T</title><description>AT&amp;amp;T \xc3\xa0 C\xc3\xb4te d&amp;#39;Azur"
              b"</description><pubDate>Wed, 01 Jan 2025 10:00:00 +0000</pubDate></item></channel></rss>"),
    ("x.txt", "date 2025-01-01 AT&amp;T\nsource Côte d&#39;Azur\n\nAT&amp;T à Côte d&#39;Azur\n".encode()),
])
def test_html_entities_are_decoded_in_every_reader(tmp_path, name, content):
    result = corpus_with(tmp_path, name, content)
    article = result.articles[result.articles["origin"].str.contains(name)].iloc[0]
    assert (article["title"], article["text"], article["source"]) == ("AT&T", "AT&T à Côte d'Azur", "Côte d'Azur")


def test_lone_surrogates_escaped_in_json_are_replaced_and_the_record_kept(tmp_path):
    content = b'[{"title": "a\\ud800b", "text": "texte \\udc80 ok", "date": "2025-01-01"}]'
    result = corpus_with(tmp_path, "x.json", content)
    assert result.articles.set_index("title").loc["a\ufffdb", "text"] == "texte \ufffd ok"


# The peak is this process's own: ru_maxrss would start at the pytest process's size (a forked child's high-water
# mark is its parent's, and exec keeps it), so the high-water mark is reset first (Linux: 5 to clear_refs).
MEMORY = """
import sys
from pathlib import Path
with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")
from newsframe import ingest
folder = Path(sys.argv[1])
result = ingest.read([folder])
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM")) / 1024
print(result.read_count, len(result.articles), len(result.rejects), round(peak))
"""
HUGE = 1 << 30  # one record of 1 GB, in a file of about 1 MB


def huge_gz(path, head: bytes, tail: bytes):
    with gzip.open(path, "wb", compresslevel=6) as handle:
        handle.write(head)
        block = b"x" * (1 << 22)
        for _ in range(HUGE // len(block)):
            handle.write(block)
        handle.write(tail)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "head", "tail", "kept"), [
    ("x.jsonl.gz", b'{"title": "a", "date": "2025-01-01", "text": "', b'"}\n{"title": "b", "date": "2025-01-02", '
                                                                        b'"text": "after"}\n', 1),
    ("x.csv.gz", b"title,date,text\na,2025-01-01,", b"\nb,2025-01-02,after\n", 1),
    ("x.json.gz", b'[{"title": "a", "date": "2025-01-01", "text": "', b'"}]', 0),
    ("x.txt.gz", b"date 2025-01-01 a\n\n", b"\n", 0),
    ("x.xml.gz", b"<rss><channel><item><title>a</title><description>", b"</description></item></channel></rss>", 0),
    ("x.html.gz", b"<html><body><p>", b"</p></body></html>", 0),
])
def test_a_1_gb_record_in_a_1_mb_file_is_a_reject_in_bounded_memory(tmp_path, name, head, tail, kept):
    folder = tmp_path / "raw"
    folder.mkdir()
    huge_gz(folder / name, head, tail)
    assert (folder / name).stat().st_size < 8 * 2**20
    done = subprocess.run([sys.executable, "-c", MEMORY, str(folder)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    read, articles, rejects, peak_mb = map(int, done.stdout.split())
    assert articles == kept and rejects == 1 and read == articles + rejects
    assert peak_mb < 2048, f"peak memory {peak_mb} MB"
