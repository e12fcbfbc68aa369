"""A partitioned corpus counted month by month on Dask, against the same corpus read whole into memory.

Both paths give the weekly articles and the mentions of bench/timeline.py's 20 term groups, by source, and must give
the same frame (checked). The in-memory path reads the one-file corpus and runs `terms.mentions` and
`timeline.count_mentions`; the Dask path runs `analysis.partitions.count_mentions` on the same articles written as a
dataset partitioned by month, on Dask's local threads. Each run is a fresh process, so its peak RSS is its own.
Figures are medians of --repeats runs, with the ratio Dask / in-memory of each run pair.

    .venv/bin/python bench/partitions.py [--size 1000000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CACHE = BENCH / ".cache" / "partitions"


def write_corpora(size: int) -> tuple[Path, Path]:
    """Write `size` generated articles (bench/timeline.py's) once as one file and once partitioned by month."""
    import pandas as pd
    import pyarrow as pa
    from newsframe.corpus import layout

    from bench.timeline import corpus

    single, partitioned = CACHE / f"{size}.parquet", CACHE / f"{size}"
    if single.exists() and partitioned.exists():
        return single, partitioned
    CACHE.mkdir(parents=True, exist_ok=True)
    articles = corpus(size).assign(language="fr", duplicate_of=pd.Series(pd.NA, index=range(size), dtype="string"))
    articles.to_parquet(single, index=False, compression="zstd")
    layout.write_dataset(pa.Table.from_pandas(articles, preserve_index=False), partitioned)
    return single, partitioned


def run(path: str, mode: str) -> dict:
    """One timed run in this process: `memory` reads `path` whole, `dask` counts its months."""
    import pandas as pd
    from newsframe.analysis import partitions, terms, timeline

    from bench.timeline import GROUPS

    started = time.perf_counter()
    if mode == "memory":
        articles = pd.read_parquet(path)
        frame = timeline.count_mentions(articles, terms.mentions(articles, GROUPS), freq="W", by="source")
    else:
        frame = partitions.count_mentions(path, GROUPS, freq="W", by="source")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "digest": str(pd.util.hash_pandas_object(frame, index=False).sum())}


def in_fresh_process(path: Path, mode: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--one", mode, str(path)], capture_output=True, text=True,
                          check=True, cwd=BENCH.parent)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--one", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run(args.one[1], args.one[0])))
        return 0
    single, partitioned = write_corpora(args.size)
    memory, dask, ratios = [], [], []
    for _ in range(args.repeats):  # alternated, so both paths see the same load
        memory.append(in_fresh_process(single, "memory"))
        dask.append(in_fresh_process(partitioned, "dask"))
        ratios.append(dask[-1]["seconds"] / memory[-1]["seconds"])
        assert dask[-1]["digest"] == memory[-1]["digest"], "the two paths gave different frames"
    months = sum(1 for _ in partitioned.glob("month=*"))
    print(f"{args.size:,} articles, {months} months, 20 term groups, weekly by source (median of {args.repeats})")
    for name, runs in (("in memory (read whole)", memory), ("Dask, month by month", dask)):
        print(f"  {name:<24}{statistics.median(r['seconds'] for r in runs):>8.1f} s"
              f"{statistics.median(r['peak_mb'] for r in runs):>10,.0f} MB peak")
    print(f"  Dask / in memory: {statistics.median(ratios):.2f} (runs: {', '.join(f'{r:.2f}' for r in ratios)}); "
          "target at 1M: within 1.5")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(BENCH.parent))
    sys.exit(main())
