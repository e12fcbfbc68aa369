"""Fuzzing ingest with the real files of ../shared/data: cut at random places, bytes flipped, compressed the wrong
way. Whatever the damage: no traceback, every record read is kept or rejected, and the good files beside it are
kept. The seed is fixed (NEWSFRAME_FUZZ_SEED changes it), so a failure can be replayed."""

import bz2
import gzip
import lzma
import os
import random

import pytest
from newsframe import ingest

GOOD = "date 2025-03-0{day} Bon article {day}\n\nUn texte d'article correct, le numéro {day}.\n"
# (path under ../shared/data, bytes kept from its start: the mutations need a sample, not the whole file)
SAMPLES = [
    ("seed", None),
    ("reuters21578/seed-format", None),
    ("reuters21578/reuters21578.jsonl.xz", 300_000),
    ("newsarticles-en/NewsArticles.csv", 300_000),
    ("fr-rss-2025/corpus02_feb2025_multisource.json", 300_000),
    ("fr-rss-2025/raw_Flux RSS - BFM BUSINESS - Consommation.xml", None),
    ("feeds/rss-parser-fixtures/heise.atom", None),
    ("feeds/fastfeedparser-integration/json_feed_sample.json", None),
    ("feeds/fastfeedparser-benchmark-news", None),
    ("html/readability/lemonde-1/source.html", None),
    ("html/zyte-article-benchmark/html", None),
    # press-database exports, one file of each type (press-exports/README.md)
    ("press-exports/europresse/gargantext_dummydocs-europresse-dante-7.html", None),
    ("press-exports/factiva/reut21578-factiva.xml", None),
    ("press-exports/factiva-rtf/neetu_Factiva-20220515-1939.rtf", 200_000),
    ("press-exports/factiva-pdf/mrthlinh_ADTRAN-INC_0.pdf", None),
    ("press-exports/nexis-uni-docx/koheiw_lexis_guardian2.docx", None),
    ("press-exports/lexisnexis-txt/amcat_test2.txt", None),
    # the Reuters-21578 SGML, not a format newsframe reads: damaged, it must still be one reject
    ("reuters21578/reut2-000.sgm", 300_000),
]
MUTATIONS = ("cut", "flip", "cut-and-flip", "gzip-named-xz", "plain-named-gz", "bz2-cut", "empty-head")


def sample(shared_data, where: str, keep: int | None) -> tuple[str, bytes]:
    """Return a file name and the bytes of one real file (the first of a folder), decompressed."""
    path = shared_data / where
    if path.is_dir():
        path = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith((".", "_")))[0]
    data = path.read_bytes()
    name = path.name
    for suffix, opener in ((".xz", lzma.decompress), (".gz", gzip.decompress)):
        if name.endswith(suffix):
            data, name = opener(data), name.removesuffix(suffix)
    return name, data[:keep] if keep else data


def mutate(data: bytes, name: str, how: str, rng: random.Random) -> tuple[str, bytes]:
    """Return a damaged copy of a file, and the name it is saved under."""
    cut = rng.randrange(1, max(2, len(data)))
    flipped = bytearray(data)
    for _ in range(rng.randint(1, 40)):
        flipped[rng.randrange(len(flipped))] = rng.randrange(256)
    return {
        "cut": (name, data[:cut]),
        "flip": (name, bytes(flipped)),
        "cut-and-flip": (name, bytes(flipped)[:cut]),
        "gzip-named-xz": (name + ".xz", gzip.compress(data)),
        "plain-named-gz": (name + ".gz", data),
        "bz2-cut": (name + ".bz2", bz2.compress(data)[: max(10, cut // 3)]),
        "empty-head": (name, b"\x00" * rng.randint(1, 64) + data[cut:]),
    }[how]


@pytest.mark.slow
@pytest.mark.parametrize(("where", "keep"), SAMPLES)
def test_damaged_real_files_give_rejects_never_tracebacks(shared_data, tmp_path, where, keep):
    rng = random.Random(int(os.environ.get("NEWSFRAME_FUZZ_SEED", "13")) + len(where))
    name, data = sample(shared_data, where, keep)
    for round_ in range(3):
        for how in MUTATIONS:
            folder = tmp_path / f"{how}-{round_}"
            folder.mkdir()
            for day in (1, 2):
                (folder / f"good{day}.txt").write_text(GOOD.format(day=day), encoding="utf-8")
            damaged_name, damaged = mutate(data, name, how, rng)
            (folder / damaged_name).write_bytes(damaged)
            result = ingest.read([folder])  # no traceback, whatever the damage
            accounted = result.kept_count + result.duplicate_count + len(result.rejects)
            assert result.read_count == accounted, (where, how, round_)
            assert {"Bon article 1", "Bon article 2"} <= set(result.articles["title"]), (where, how, round_)
            assert result.read_count >= 3  # the damaged file counts: as records, or as one reject
