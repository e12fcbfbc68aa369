"""Incremental ingest: a second run on a folder that grew, against a full ingest of it, in the same run.

A folder of generated text articles (`bench/ingest.py` makes it) is ingested in full; then 0.1 % new files are added
and 0.1 % of the files are edited. Timed, each in a fresh process, median of --repeats: a full ingest of the grown
folder (`--full`, the baseline), an incremental ingest into the corpus of the first folder, and an ingest when
nothing changed. Near-duplicates are looked for in both (the default): over the whole corpus, whatever was read.

    .venv/bin/python bench/incremental.py [--sizes 10000 100000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import multiprocessing
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import ingest as ingest_bench  # bench/ingest.py: the generated inputs

SHARE_CHANGED = 0.001


def _run(folder: str, out: str, full: bool, queue) -> None:
    from newsframe import ingest

    start = time.perf_counter()
    result = ingest.ingest([folder], out=out, full=full)
    queue.put((time.perf_counter() - start, result.summary()["files"], result.written))


def timed(folder: Path, out: Path, *, full: bool, snapshot: Path | None, repeats: int) -> tuple[float, dict]:
    """Return the median seconds of an ingest of `folder` into `out` (restored from `snapshot` before each run)."""
    context, runs = multiprocessing.get_context("spawn"), []
    for _ in range(repeats):
        if snapshot is not None:
            for file in snapshot.iterdir():
                shutil.copy2(file, out.parent / file.name)
        queue = context.Queue()
        child = context.Process(target=_run, args=(str(folder), str(out), full, queue))
        child.start()
        runs.append(queue.get())
        child.join()
    return statistics.median(r[0] for r in runs), runs[-1][1]


def grow(texts: Path, size: int) -> int:
    """Add SHARE_CHANGED new files and edit as many."""
    files = sorted(texts.rglob("*.txt"))
    count = max(1, int(size * SHARE_CHANGED))
    for number, source in enumerate(files[:count]):
        added = texts / "new" / f"{number:07d}.txt"
        added.parent.mkdir(exist_ok=True)
        added.write_text(source.read_text(encoding="utf-8").replace("\n\n", f"\n\nAjout {number}.\n\n", 1),
                         encoding="utf-8")
    for source in files[-count:]:
        source.write_text(source.read_text(encoding="utf-8") + "\nCorrection.\n", encoding="utf-8")
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{'articles':>9}{'changed':>9}{'full s':>8}{'incremental s':>15}{'ratio':>7}{'nothing new s':>15}"
          f"{'ratio':>7}  files read")
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        for size in args.sizes:
            _, texts = ingest_bench.make_inputs(scratch, size)
            out, snapshot = scratch / "corpus" / "corpus.parquet", scratch / f"snapshot-{size}"
            out.parent.mkdir(exist_ok=True)
            timed(texts, out, full=True, snapshot=None, repeats=1)  # the corpus before the folder grew
            shutil.copytree(out.parent, snapshot)
            changed = grow(texts, size)
            (scratch / "full").mkdir()
            full_s, _ = timed(texts, scratch / "full" / "corpus.parquet", full=True, snapshot=None,
                              repeats=args.repeats)
            incremental_s, files = timed(texts, out, full=False, snapshot=snapshot, repeats=args.repeats)
            nothing_s, _ = timed(texts, out, full=False, snapshot=None, repeats=args.repeats)
            print(f"{size:>9,}{2 * changed:>9,}{full_s:>8.2f}{incremental_s:>15.2f}{full_s / incremental_s:>7.1f}"
                  f"{nothing_s:>15.2f}{full_s / nothing_s:>7.1f}  {files['read']:,} of {files['files']:,}", flush=True)
            shutil.rmtree(scratch / "full")
    return 0


if __name__ == "__main__":
    sys.exit(main())
