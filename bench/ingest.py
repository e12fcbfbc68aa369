"""Ingest throughput against a floor measured in the same run.

For JSON Lines the floor is pyarrow's own JSON reader plus a Parquet write of the same file (no cleaning, no dates,
no language, no duplicates); for a folder of seed-format text files it is reading every file's bytes. Each figure is
the median of --repeats runs, each in a fresh process so that peak memory (max RSS) is its own. Imports are timed
apart from the work for both sides (newsframe's is shown as `import s`): the ratio compares the work itself.
Looking for near-duplicates (`corpus.near_duplicates`, on by default) has its own target and benchmark
(bench/near_duplicates.py); its seconds are shown apart (`stories s`), and the ratio is given without and with them.

    .venv/bin/python bench/ingest.py [--sizes 10000 100000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 4.0


def make_inputs(folder: Path, size: int) -> tuple[Path, Path]:
    """Write `size` generated articles as one JSONL file and as a folder of text files; return both paths."""
    from newsframe import demo

    articles = demo.generate(seed=size, articles=size - demo.BURST_EXTRA)
    jsonl = folder / f"articles-{size}.jsonl"
    with jsonl.open("w", encoding="utf-8") as out:
        for a in articles:
            body = "\n\n".join([a.text] * 3)  # about 400 words, the size of a news article
            out.write(json.dumps({"title": a.title, "date": f"{a.published:%Y-%m-%d}", "source": a.source,
                                  "text": body}, ensure_ascii=False) + "\n")
    texts = folder / f"texts-{size}"
    for number, a in enumerate(articles):
        sub = texts / f"{number // 1000:04d}"
        sub.mkdir(parents=True, exist_ok=True)
        body = "\n\n".join([a.text] * 3)
        (sub / f"{number:07d}.txt").write_text(f"date {a.published:%Y-%m-%d} {a.title}\nsource {a.source}\n\n{body}\n",
                                               encoding="utf-8")
    return jsonl, texts


def floor_jsonl(path: str, out: str) -> None:
    import pyarrow.json
    import pyarrow.parquet

    pyarrow.parquet.write_table(pyarrow.json.read_json(path), out, compression="zstd")


def floor_texts(path: str, out: str) -> None:
    for file in Path(path).rglob("*.txt"):
        file.read_bytes()


def newsframe_ingest(path: str, out: str) -> float:
    """Ingest; return the seconds spent looking for near-duplicates."""
    from newsframe import ingest

    return ingest.ingest([path], out=out, full=True).stories["seconds"]  # every repeat reads all (no incremental)


# What each task imports; timed apart from the work, so the ratio compares the work, and start-up is shown on its own.
IMPORTS = {
    "floor_jsonl": ["pyarrow.json", "pyarrow.parquet"],
    "floor_texts": [],
    "newsframe_ingest": ["newsframe.ingest"],
}


def _measure(task: str, path: str, out: str, queue) -> None:
    import importlib

    start = time.perf_counter()
    for module in IMPORTS[task]:
        importlib.import_module(module)
    imported = time.perf_counter()
    stories = globals()[task](path, out) or 0.0  # the floors return None
    done = time.perf_counter()
    queue.put((done - imported, imported - start, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
               stories))


def measure(task: str, path: Path, out: Path, *, repeats: int) -> tuple[float, float, float, float]:
    """Return the median seconds of work, of imports, median peak memory (MB) and median seconds spent on
    near-duplicates of `task` over fresh processes."""
    context = multiprocessing.get_context("spawn")
    runs = []
    for _ in range(repeats):
        queue = context.Queue()
        child = context.Process(target=_measure, args=(task, str(path), str(out), queue))
        child.start()
        runs.append(queue.get())
        child.join()
    return tuple(statistics.median(r[i] for r in runs) for i in range(4))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{'input':<14}{'articles':>9}{'MB':>6}{'floor s':>9}{'newsframe s':>12}{'stories s':>10}{'ratio':>7}"
          f"{'with':>6}{'articles/s':>12}{'MB/s':>7}{'peak MB':>9}{'import s':>9}")
    worst = 0.0
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        for size in args.sizes:
            jsonl, texts = make_inputs(scratch, size)
            for label, path, floor in (("JSONL", jsonl, "floor_jsonl"), ("text folder", texts, "floor_texts")):
                megabytes = sum(p.stat().st_size for p in ([path] if path.is_file() else path.rglob("*"))) / 2**20
                floor_s, _, _, _ = measure(floor, path, scratch / "floor.parquet", repeats=args.repeats)
                ours_s, import_s, peak, stories_s = measure("newsframe_ingest", path, scratch / "corpus.parquet",
                                                            repeats=args.repeats)
                ratio = (ours_s - stories_s) / floor_s
                worst = max(worst, ratio)
                print(f"{label:<14}{size:>9,}{megabytes:>6.0f}{floor_s:>9.2f}{ours_s:>12.2f}{stories_s:>10.2f}"
                      f"{ratio:>7.1f}{ours_s / floor_s:>6.1f}{size / ours_s:>12,.0f}{megabytes / ours_s:>7.1f}"
                      f"{peak:>9.0f}{import_s:>9.2f}", flush=True)
    print(f"worst ratio to floor, near-duplicates apart: {worst:.1f}x (target: within {TARGET_RATIO:.0f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
