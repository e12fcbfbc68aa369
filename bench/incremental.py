"""Incremental ingest: a second run on a folder that grew, against a full ingest of it, in the same run.

A folder of generated text articles (`bench/ingest.py` makes it) is ingested in full; then 0.1 % new files are added
and 0.1 % of the files are edited. Timed, each in a fresh process, median of --repeats: a full ingest of the grown
folder (`--full`, the baseline), an incremental ingest into the corpus of the first folder, and an ingest when
nothing changed. Near-duplicates are looked for in both (the default): over the whole corpus, whatever was read.

    .venv/bin/python bench/incremental.py [--sizes 10000 100000] [--repeats 3]

With --partitioned, the corpus is partitioned (`--partitioned`) and the input is bench/partitioned_ingest.py's JSON
Lines of generated articles with planted wire copies (files of 50,000 articles spanning two years; --inputs names a
folder holding them already, as `<size>/part-*.jsonl`, hard-linked here, else they are generated). Then --new files
of one article each are added in a folder whose name sorts after the others (a folder that grows by date: new files
only add rows), dated in the corpus's last three days: two thirds new articles, one third copies of articles of
those days with their last sentence rewritten (near-duplicates joining stories of the corpus). Timed, each in a
fresh process: a full ingest of the grown folder (`--full`, median of --full-repeats) and the incremental run into
the corpus of the folder before it grew (restored by hard links before each run; median of --repeats), which starts
from the corpus's index (`ingest/update.py`).

    .venv/bin/python bench/incremental.py --partitioned [--sizes 100000 1000000] [--new 1000] \
        [--inputs ../main/bench/.cache/partitioned_ingest]
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import ingest as ingest_bench  # bench/ingest.py: the generated inputs

SHARE_CHANGED = 0.001
CACHE = Path(__file__).resolve().parent / ".cache" / "incremental"


def _run(folder: str, out: str, full: bool, queue, partitioned: bool = False) -> None:
    from newsframe import ingest

    start = time.perf_counter()
    result = ingest.ingest([folder], out=out, full=full, partitioned=partitioned)
    summary = result.summary()
    queue.put((time.perf_counter() - start, summary["files"], result.written,
               {"fingerprint": summary["corpus_fingerprint"], "stories": summary["near_duplicates"]["stories"],
                "pairs": summary["near_duplicates"]["pairs"], "peak_mb": resource.getrusage(
                    resource.RUSAGE_SELF).ru_maxrss / 1024}))


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


def in_child(folder: Path, out: Path, *, full: bool) -> tuple:
    """Return (seconds, files, written, details) of one partitioned ingest in a fresh process."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_run, args=(str(folder), str(out), full, queue, True))
    child.start()
    done = queue.get()
    child.join()
    return done


def partitioned_input(size: int, inputs: Path | None) -> Path:
    """Return a folder of this bench holding the `size` articles' JSON Lines parts (hard links to --inputs' or to
    the ones bench/partitioned_ingest.py generates), without the files a previous run added."""
    folder = CACHE / str(size) / "input"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    if inputs is None:
        import partitioned_ingest

        inputs = partitioned_ingest.write_input(size).parent
    for part in sorted((inputs / str(size)).glob("part-*.jsonl")):
        os.link(part, folder / part.name)
    return folder


def grow_by_date(folder: Path, count: int) -> None:
    """Add `count` files of one article each in `folder/zz-new/`, dated in the corpus's last three days: two thirds
    new articles (words of older articles shuffled), one third copies of those days' articles with their last
    sentence rewritten."""
    import pyarrow.compute as pc
    import pyarrow.json

    table = pyarrow.json.read_json(sorted(folder.glob("part-*.jsonl"))[0])
    last = pc.max(table["published"]).as_py()
    recent = table.filter(pc.greater_equal(table["published"], last - datetime.timedelta(days=3)))
    recent, older, rng = recent.to_pylist(), table.slice(0, 5_000).to_pylist(), random.Random(count)
    new = folder / "zz-new"
    new.mkdir()
    for number in range(count):
        day = last - datetime.timedelta(days=rng.randrange(3))
        if number % 3 == 2:
            copied = rng.choice(recent)
            body = copied["text"].rsplit(".", 2)[0] + f". Mise à jour {number} : le texte a été complété."
            title, source = copied["title"], f"outlet {rng.randrange(40)} bis"
        else:
            words = rng.choice(older)["text"].split()
            rng.shuffle(words)
            body, title, source = " ".join(words), f"Nouveau {number}", f"outlet {rng.randrange(40)}"
        (new / f"{number:05d}.txt").write_text(f"date {day:%Y-%m-%d} {title}\nsource {source}\n\n{body}\n",
                                               encoding="utf-8")
        os.utime(new / f"{number:05d}.txt", ns=(time.time_ns() - 3600 * 10**9,) * 2)  # collected before the run


def main_partitioned(args) -> int:
    print(f"{'articles':>10}{'new files':>10}{'full s':>9}{'incremental s':>15}{'share':>8}  months written/carried"
          f"  same corpus  load before/after  peak MB full/incr", flush=True)
    for size in args.sizes:
        load_before = os.getloadavg()
        folder = partitioned_input(size, args.inputs)
        out, snapshot = CACHE / str(size) / "corpus", CACHE / str(size) / "snapshot"
        for path in (out, snapshot):
            shutil.rmtree(path, ignore_errors=True)
        in_child(folder, out, full=True)  # the corpus before the folder grew
        shutil.copytree(out, snapshot, copy_function=os.link)
        grow_by_date(folder, args.new)
        fulls = [in_child(folder, CACHE / str(size) / "full", full=True) for _ in range(args.full_repeats)]
        incrementals = []
        for _ in range(args.repeats):
            shutil.rmtree(out)
            shutil.copytree(snapshot, out, copy_function=os.link)
            incrementals.append(in_child(folder, out, full=False))
        full_s = statistics.median(r[0] for r in fulls)
        incremental_s = statistics.median(r[0] for r in incrementals)
        files = incrementals[-1][1]
        same = fulls[-1][3]["fingerprint"] == incrementals[-1][3]["fingerprint"] and all(
            fulls[-1][3][k] == incrementals[-1][3][k] for k in ("stories", "pairs"))
        load_after = os.getloadavg()
        print(f"{size:>10,}{args.new:>10,}{full_s:>9.1f}{incremental_s:>15.1f}{incremental_s / full_s:>8.1%}  "
              f"{files.get('months_written', '-')}/{files.get('months_carried', '-'):<22}"
              f"{'yes' if same else 'NO':<13}{load_before[0]:.1f}/{load_after[0]:.1f}{'':>10}"
              f"{fulls[-1][3]['peak_mb']:,.0f}/{incrementals[-1][3]['peak_mb']:,.0f}", flush=True)
        print(f"{'':>10}runs: full {', '.join(f'{r[0]:.1f}' for r in fulls)}; incremental "
              f"{', '.join(f'{r[0]:.1f}' for r in incrementals)}; files {files}", flush=True)
        for path in (CACHE / str(size) / "full", snapshot):
            shutil.rmtree(path, ignore_errors=True)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=None)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--partitioned", action="store_true", help="a partitioned corpus grown by --new files")
    parser.add_argument("--new", type=int, default=1_000, help="files added (with --partitioned)")
    parser.add_argument("--full-repeats", type=int, default=1, help="full ingests timed (with --partitioned)")
    parser.add_argument("--inputs", type=Path, default=None, help="a folder of <size>/part-*.jsonl already made")
    args = parser.parse_args()
    if args.partitioned:
        args.sizes = args.sizes or [100_000, 1_000_000]
        return main_partitioned(args)
    args.sizes = args.sizes or [10_000, 100_000]
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
