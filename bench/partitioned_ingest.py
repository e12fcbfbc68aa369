"""Ingest into a partitioned corpus (texts spilled to disk by month) against ingest into one file (all in memory).

The input is JSON Lines of generated news articles with planted wire copies (bench/planted_copies.py, its cached
chunks), each text cut to about 1 KB at a word boundary. A corpus larger than the 1,000,000 planted articles repeats
them, each further million moved two years earlier (later ones would be dates ingest rejects: past next year) and its
texts made distinct (a serial number appended), so that
every million has the planted copies' near-duplicates and none across millions. Both ingests look for
near-duplicates (the default). Each run is a fresh process: its peak RSS is its own (ingest of JSON Lines runs on
threads, not worker processes). The one-file ingest is the baseline, run in the same session at the sizes it fits
(`--baseline-max`); both must give the same summary (counts, stories, fingerprint). With `--timeline`, the weekly
articles and mentions of 20 term groups by source are counted on the partitioned corpus by
`analysis.partitions.count_mentions` (Dask, local threads), also in a fresh process: the groups are words of the
planted texts (`planted_groups`; bench/timeline.py's real words never occur in them), and the mentions found are
printed.

    .venv/bin/python bench/partitioned_ingest.py [--sizes 100000 1000000] [--repeats 1] [--timeline]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CACHE = BENCH / ".cache" / "partitioned_ingest"
PLANTED = BENCH / ".cache" / "near_duplicates"  # bench/near_duplicates.py's chunks, shared
TEXT_BYTES = 1_000  # each text is cut to about this many characters, at a word boundary
BLOCK = 1_000_000  # planted articles; a larger corpus repeats them, two years earlier each time
SHIFT_DAYS = -731  # each further million, two years earlier
BLOCK_FILES = 50_000  # sizes made of whole files share them (hard links)


def write_input(size: int) -> Path:
    """Write (once) `size` articles as JSON Lines files of 50,000 articles; return their folder."""
    import numpy as np
    import pandas as pd
    import planted_copies

    folder = CACHE / f"{size}"
    chunks = planted_copies.chunk_paths(PLANTED, min(size, BLOCK))
    planted_copies.write(PLANTED, min(size, BLOCK))
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(-(-size // planted_copies.CHUNK)):
        path = folder / f"part-{number:04d}.jsonl"
        if path.exists():
            continue
        if size % planted_copies.CHUNK == 0 and _link_from_another_size(path):  # file n is the same in every size
            continue
        block, chunk = divmod(number, len(chunks))
        articles = pd.read_parquet(chunks[chunk])
        articles = articles.head(size - number * planted_copies.CHUNK)
        text = articles["text"].str.slice(0, TEXT_BYTES + 200).map(_without_last_word)
        if block:
            text = text + f" Série {block}-" + pd.Series(np.arange(len(articles)).astype(str), index=articles.index)
        published = articles["published"] + pd.Timedelta(days=SHIFT_DAYS * block)
        source = "outlet " + (articles["story"].abs() % 40).astype(str)
        frame = pd.DataFrame({"title": articles["title"], "text": text, "source": source,
                              "published": published.dt.strftime("%Y-%m-%dT%H:%M:%SZ")})
        partial = path.with_suffix(".partial")
        frame.to_json(partial, orient="records", lines=True, force_ascii=False)
        partial.replace(path)
    return folder


_LAST_WORD = re.compile(r"\s+\S*$")


def _without_last_word(text: str) -> str:
    """`re.sub(r"\\s+\\S*$", "", text)`, the cut text ending at a word boundary: the same, but searched in the
    last 200 characters only (the whole text's search is most of the time of writing the input)."""
    start = max(0, len(text) - 200)
    match = _LAST_WORD.search(text, start)
    if match is None:
        return text
    if start and match.start() == start:  # the space before the last word may begin before the tail
        return _LAST_WORD.sub("", text)
    return text[:start] + _LAST_WORD.sub("", text[start:])


GROUPS_FILE = CACHE / "groups.json"  # the timeline's term groups, chosen by the parent from the planted texts


def planted_groups(count: int = 20) -> dict[str, list[str]]:
    """Return `count` term groups of words the planted texts use (made-up words: bench/timeline.py's real ones
    never match), two words each at falling frequencies from the 150th most used in 2,000 texts, every fourth
    group with a prefix (`word*`); the counts then have matches to count."""
    import collections

    import pandas as pd
    import planted_copies

    texts = pd.read_parquet(planted_copies.chunk_paths(PLANTED, BLOCK)[0], columns=["text"])["text"].head(2_000)
    ranked = [word for word, _ in collections.Counter(
        word for text in texts for word in re.findall(r"[^\W\d_]{4,}", text.lower())).most_common()]
    groups = {}
    for number in range(count):
        first, second = ranked[150 + 40 * number], ranked[151 + 40 * number]
        groups[f"group {number + 1}"] = [first, second[:-2] + "*" if number % 4 == 3 else second]
    return groups


def _link_from_another_size(path: Path) -> bool:
    for other in CACHE.glob(f"*/{path.name}"):
        if other.parent.name.isdigit() and int(other.parent.name) % BLOCK_FILES == 0:
            os.link(other, path)
            return True
    return False


def run(mode: str, source: str, out: str) -> dict:
    """One timed run in this process: `single` or `partitioned` ingest, or `timeline` on a partitioned corpus."""
    started = time.perf_counter()
    if mode == "timeline":
        from newsframe.analysis import partitions

        groups = json.loads(GROUPS_FILE.read_text(encoding="utf-8"))
        frame = partitions.count_mentions(source, groups, freq="W", by="source")
        result = {"rows": len(frame), "mentions": int(frame["mentions"].sum()),
                  "articles_mentioning": int(frame["articles_mentioning"].sum())}
    else:
        from newsframe import ingest

        done = ingest.ingest([source], out=out, full=True, partitioned=mode == "partitioned")
        summary = done.summary()
        result = {"summary": {k: v for k, v in summary.items() if k not in ("near_duplicates", "notes")},
                  "stories": {k: v for k, v in (summary["near_duplicates"] or {}).items() if k != "seconds"},
                  "stories_seconds": done.stories["seconds"]}
    return {"seconds": time.perf_counter() - started,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, **result}


def in_fresh_process(mode: str, source: Path, out: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--one", mode, str(source), str(out)], capture_output=True,
                          text=True, check=True, cwd=BENCH.parent)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--baseline-max", type=int, default=2_000_000, help="largest size the one-file ingest runs")
    parser.add_argument("--timeline", action="store_true", help="also count 20 term groups on the partitioned corpus")
    parser.add_argument("--one", nargs=3, metavar=("MODE", "SOURCE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run(*args.one)))
        return 0
    sys.path.insert(0, str(BENCH))
    print(f"{'articles':>11}{'input GB':>9}  {'mode':<12}{'s (median)':>11}{'runs s':>22}{'stories s':>10}"
          f"{'peak MB':>9}{'peak/input':>11}", flush=True)
    for size in args.sizes:
        source = write_input(size)
        gigabytes = sum(p.stat().st_size for p in source.glob("*.jsonl")) / 2**30
        outputs = {"single": CACHE / f"out-{size}.parquet", "partitioned": CACHE / f"out-{size}"}
        modes = [m for m in ("single", "partitioned") if m == "partitioned" or size <= args.baseline_max]
        results = {mode: [] for mode in modes}
        for _ in range(args.repeats):  # alternated, so that a busy spell of the machine weighs on both
            for mode in modes:
                results[mode].append(in_fresh_process(mode, source, outputs[mode]))
        for mode, runs in results.items():
            _print_row(size, gigabytes, mode, runs)
        if len(modes) == 2:
            same = all(results["single"][0][k] == results["partitioned"][0][k] for k in ("summary", "stories"))
            ratio = (statistics.median(r["seconds"] for r in results["partitioned"])
                     / statistics.median(r["seconds"] for r in results["single"]))
            print(f"{'':>11}{'':>9}  partitioned / one file: {ratio:.2f} of the time; same corpus: "
                  f"{'yes' if same else 'NO'}", flush=True)
        if args.timeline:
            GROUPS_FILE.write_text(json.dumps(planted_groups(), ensure_ascii=False), encoding="utf-8")
            counted = in_fresh_process("timeline", outputs["partitioned"], source)
            _print_row(size, gigabytes, "timeline", [counted])
            print(f"{'':>11}{'':>9}  timeline: {counted['rows']:,} rows (week x source x group), "
                  f"{counted['mentions']:,} mentions in {counted['articles_mentioning']:,} article-groups", flush=True)
    return 0


def _print_row(size: int, gigabytes: float, mode: str, runs: list[dict]) -> None:
    seconds = [r["seconds"] for r in runs]
    peak = statistics.median(r["peak_mb"] for r in runs)
    stories = statistics.median(r.get("stories_seconds", 0.0) for r in runs)
    print(f"{size:>11,}{gigabytes:>9.2f}  {mode:<12}{statistics.median(seconds):>11.1f}"
          f"{', '.join(f'{s:.1f}' for s in seconds):>22}{stories:>10.1f}{peak:>9,.0f}"
          f"{peak / 1024 / gigabytes:>11.2f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
