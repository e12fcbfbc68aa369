"""A partitioned corpus analysed month by month on Dask, against the same corpus read whole into memory.

Both paths run one analysis on the same articles and must give the same frame (checked): `mentions` (the default:
the weekly mentions of bench/timeline.py's 20 term groups, by source; in memory `terms.mentions` and
`timeline.count_mentions`, on Dask `partitions.count_mentions`), `kwic` (500 lines of one group spread over the
weeks: `terms.kwic` / `partitions.kwic`), `key_terms` (a week against the rest: `keyness.key_terms` /
`partitions.key_terms`), `topics` (20 topics fitted on the seeded sample of `assignment.sample`, then every article
assigned and its weekly shares: `topics.over_time` / `partitions.sample` and `partitions.topic_shares`) or `report`:
the whole timeline report (notebooks/timeline.ipynb through `runner.run`: weekly, by source, the 20 term groups with
a co-mention anchor, keyword in context, key terms, boilerplate, interactive charts), in memory on the corpus as one
file, and with `scheduler=local` on the partitioned corpus (its articles without their texts in the kernel, the
texts a month at a time); every CSV it writes must be the same. The report's corpus has every column of the schema.
The Dask path runs on the dataset partitioned by month, on Dask's local threads. Each run is a fresh process, so
its peak RSS is its own (for `report`, the larger of its own and the kernel's, a child process). Figures are medians
of --repeats runs, with the ratio Dask / in-memory of each run pair.

    .venv/bin/python bench/partitions.py [--size 1000000] [--repeats 3] [--analysis mentions]
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


def write_report_corpora(size: int) -> tuple[Path, Path]:
    """Write the same generated articles with every column of the schema, as one file and partitioned by month."""
    import pandas as pd
    from newsframe import corpus as store
    from newsframe.corpus import schema

    from bench.timeline import corpus

    single, partitioned = CACHE / f"report-{size}.parquet", CACHE / f"report-{size}"
    if single.exists() and partitioned.exists():
        return single, partitioned
    CACHE.mkdir(parents=True, exist_ok=True)
    articles = corpus(size).assign(language="fr", is_time_known=True)
    empty = schema.empty_articles()
    full = pd.DataFrame({name: articles[name] if name in articles else pd.Series(None, index=articles.index,
                                                                                  dtype=empty[name].dtype)
                         for name in empty.columns})
    store.write(full.assign(feed=full["source"]), single)
    store.write(full.assign(feed=full["source"]), partitioned, partitioned=True)
    return single, partitioned


ANALYSES = ("mentions", "kwic", "key_terms", "topics", "report")
KEY_WEEK = "2023-07-24"  # the week of the demo's summit, in the middle of the generated articles' years
WHAT = {"mentions": "20 term groups, weekly by source", "kwic": "keyword in context, 500 lines over the weeks",
        "key_terms": f"key terms of the week of {KEY_WEEK}", "topics": "20 topics of a sample, weekly shares",
        "report": "the timeline report, weekly, 20 term groups"}


def run(path: str, mode: str, analysis: str) -> dict:
    """One timed run in this process: `memory` reads `path` whole, `dask` works on its months."""
    import pandas as pd

    started = time.perf_counter()
    if analysis == "report":
        return report(path, mode, started)
    frame = in_memory(path, analysis) if mode == "memory" else on_dask(path, analysis)
    seconds = time.perf_counter() - started
    floats = frame.select_dtypes("float").columns  # sums added in another order differ in the last digits
    return {"seconds": seconds, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "digest": str(pd.util.hash_pandas_object(frame.round({c: 9 for c in floats}), index=False).sum())}


def report(path: str, mode: str, started: float) -> dict:
    """Run the timeline report on `path` (in memory, or `scheduler=local` for `dask`) and digest its CSVs."""
    import hashlib
    import tempfile

    from newsframe.reports import runner

    from bench.timeline import GROUPS

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        runner.run(BENCH.parent / "notebooks" / "timeline.ipynb", out_dir=out, parameters={
            "corpus_path": path, "freq": "W", "term_groups": GROUPS, "co_mention_anchor": "Russie",
            "kwic_group": "sommet", "data_dir": str(out / "data"), "scheduler": "local" if mode == "dask" else ""})
        seconds = time.perf_counter() - started
        digest = hashlib.sha1(b"".join(f.name.encode() + f.read_bytes() for f in sorted((out / "data").glob("*.csv"))))
    peaks = (resource.getrusage(who).ru_maxrss / 1024 for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return {"seconds": seconds, "peak_mb": max(peaks), "digest": digest.hexdigest()}


def in_memory(path: str, analysis: str):
    import pandas as pd
    from newsframe.analysis import assignment, keyness, terms, timeline, topics, vectors

    from bench.timeline import GROUPS

    articles = pd.read_parquet(path)
    if analysis == "mentions":
        return timeline.count_mentions(articles, terms.mentions(articles, GROUPS), freq="W", by="source")
    if analysis == "kwic":
        return terms.kwic(articles, GROUPS, group="sommet", limit=500, freq="W")
    if analysis == "key_terms":
        week = timeline.in_period(articles, pd.Timestamp(KEY_WEEK), freq="W")
        return keyness.key_terms(articles, target=week)
    model = topics.fit(vectors.vectorise(assignment.sample(articles)), k=20, seed=0)
    return topics.over_time(assignment.assign(assignment.assigner(model), articles), articles, freq="W")


def on_dask(path: str, analysis: str):
    import pandas as pd
    from newsframe.analysis import assignment, partitions, topics, vectors

    from bench.timeline import GROUPS

    if analysis == "mentions":
        return partitions.count_mentions(path, GROUPS, freq="W", by="source")
    if analysis == "kwic":
        return partitions.kwic(path, GROUPS, group="sommet", limit=500, freq="W")
    if analysis == "key_terms":
        return partitions.key_terms(path, pd.Timestamp(KEY_WEEK), freq="W")
    model = topics.fit(vectors.vectorise(partitions.sample(path)), k=20, seed=0)
    return partitions.topic_shares(path, assignment.assigner(model), freq="W")


def in_fresh_process(path: Path, mode: str, analysis: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--one", mode, str(path), "--analysis", analysis],
                          capture_output=True, text=True, check=True, cwd=BENCH.parent)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--analysis", choices=ANALYSES, default="mentions")
    parser.add_argument("--one", nargs=2, metavar=("MODE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run(args.one[1], args.one[0], args.analysis)))
        return 0
    single, partitioned = (write_report_corpora if args.analysis == "report" else write_corpora)(args.size)
    memory, dask, ratios = [], [], []
    for _ in range(args.repeats):  # alternated, so both paths see the same load
        memory.append(in_fresh_process(single, "memory", args.analysis))
        dask.append(in_fresh_process(partitioned, "dask", args.analysis))
        ratios.append(dask[-1]["seconds"] / memory[-1]["seconds"])
        assert dask[-1]["digest"] == memory[-1]["digest"], "the two paths gave different frames"
    months = sum(1 for _ in partitioned.glob("month=*"))
    print(f"{args.size:,} articles, {months} months, {WHAT[args.analysis]} (median of {args.repeats})")
    for name, runs in (("in memory (read whole)", memory), ("Dask, month by month", dask)):
        print(f"  {name:<24}{statistics.median(r['seconds'] for r in runs):>8.1f} s"
              f"{statistics.median(r['peak_mb'] for r in runs):>10,.0f} MB peak")
    print(f"  Dask / in memory: {statistics.median(ratios):.2f} (runs: {', '.join(f'{r:.2f}' for r in ratios)}); "
          "target at 1M: within 1.5")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(BENCH.parent))
    sys.exit(main())
