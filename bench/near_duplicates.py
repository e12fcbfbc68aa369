"""Near-duplicates: `corpus.near_duplicates.find` against a plain datasketch pipeline, on planted copies, one run.

The corpora come from bench/planted_copies.py (wire stories reprinted by several papers with changes, updated
versions, other articles on the same stories, standalone articles; French and English) and are cached as Parquet in
bench/.cache/near_duplicates/ (about 150 MB a 100,000 articles; generating them takes about a minute a 100,000 on 2
cores and is not timed; delete the folder to start again).

- newsframe: `near_duplicates.find(articles, threshold=0.5, window_days=3)` on article_id, published, title, text.
- datasketch: each article's title and text folded in plain Python as newsframe folds words (lower case, accents
  removed, straight apostrophes, punctuation at word edges and French elisions dropped), its 5-word shingles,
  `MinHash(num_perm=128)` sharing one set of permutations (datasketch's fast path), `MinHashLSH(threshold=0.5)`.
  Articles in time order, each queried then inserted; a candidate more than 3 days older is dropped, the others
  kept when the exact Jaccard of the two shingle sets is 0.5 or more (the sets of the last 3 days are kept).

Each run is a fresh process that imports, loads the corpus, then is timed: `CPU s` is its user + system time, `peak`
its peak RSS from the end of loading on (corpus included), `added` that peak less the RSS once loaded. A datasketch
run still going after --baseline-cap seconds stops: its times are extrapolated linearly to the whole corpus (marked
~) and it is scored on the articles it saw, a prefix in time. At 1,000,000 articles and more, each method runs once.

Scoring: a hit is a pair found of planted copies (two of a story's wire text and copies, at most 3 days apart); an
update paired with its story's wire text or a copy is neutral; any other pair found is a false positive. Recall =
hits / planted copy pairs, precision = hits / (hits + false positives); `recall J>=t` is the recall among planted
pairs whose exact Jaccard (newsframe's shingles) reaches the threshold. Then the similarity of planted classes, on
the first size. Targets: recall and precision at least 0.95; 100,000 articles in under 60 s, 1,000,000 under 600 s.

    .venv/bin/python bench/near_duplicates.py [--sizes 100000 1000000] [--runs 3] [--baseline-runs 1]
                                              [--baseline-cap 900]
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import multiprocessing
import os
import queue
import re
import resource
import statistics
import sys
import time
import unicodedata
from collections import deque
from pathlib import Path

import numpy as np
import pandas as pd
import planted_copies
from timeline import memory, reset_peak  # bench/timeline.py: RSS now and peak, from /proc

THRESHOLD = 0.5
WINDOW_DAYS = 3
SHINGLE = 5
NUM_PERM = 128
CACHE = Path(__file__).resolve().parent / ".cache" / "near_duplicates"
TARGET_SCORE = 0.95
TARGET_SECONDS = {100_000: 60, 1_000_000: 600}
COLUMNS = ["article_id", "published", "title", "text"]

# Plain-Python folding for the baseline, word for word the rule of `newsframe.words.fold`.
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\u2032\u00b4`", "'"))
_EDGES = re.compile(r"(?:^|(?<=\s))[\W_]+|[\W_]+(?=\s|$)")
_ELISION = re.compile(r"(?:^|(?<=\s))(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)'")


@functools.cache
def _marks() -> dict[int, None]:
    """Return a str.translate table deleting every combining mark (Unicode category Mn)."""
    return dict.fromkeys(c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Mn")


def fold(text: str) -> list[str]:
    """Return the words of a text folded as newsframe folds them: lower case, no accents, no edge punctuation, no
    French elision."""
    text = unicodedata.normalize("NFKD", text).translate(_marks()).lower().translate(_APOSTROPHES)
    return _ELISION.sub("", _EDGES.sub(" ", text)).split()


def shingles(words: list[str]) -> set[str]:
    """Return the 5-word shingles of the words; fewer words than that make one shingle."""
    if len(words) < SHINGLE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def times_us(articles: pd.DataFrame) -> np.ndarray:
    return articles["published"].dt.tz_convert(None).to_numpy().astype("datetime64[us]").astype(np.int64)


def baseline(articles: pd.DataFrame, *, cap: float | None) -> tuple[np.ndarray, np.ndarray, int]:
    """Return the pairs the datasketch pipeline finds (rows i, j) and how many articles it went through."""
    from datasketch import MinHash, MinHashLSH

    t_us, window = times_us(articles), WINDOW_DAYS * planted_copies.DAY_US
    order = np.argsort(t_us, kind="stable")
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    first = MinHash(num_perm=NUM_PERM, seed=1)
    shared = {"permutations": first.permutations} | ({"scheme": first.scheme} if hasattr(first, "scheme") else {})
    recent, arrivals, found = {}, deque(), []
    started, done = time.perf_counter(), 0
    for block in range(0, len(order), 10_000):  # Python strings for 10,000 articles at a time, not the corpus
        rows = order[block : block + 10_000]
        contents = (articles["title"].iloc[rows].fillna("") + "\n" + articles["text"].iloc[rows].fillna("")).tolist()
        for row, content in zip(rows.tolist(), contents, strict=True):
            if cap is not None and done % 1000 == 0 and time.perf_counter() - started > cap:
                return *_rows(found), done
            done += 1
            while arrivals and arrivals[0][0] < t_us[row] - window:  # too old to pair with this or later articles
                recent.pop(arrivals.popleft()[1])
            mine = shingles(fold(content))
            if not mine:
                continue
            signature = MinHash(num_perm=NUM_PERM, seed=1, **shared)
            signature.update_batch([s.encode("utf-8") for s in mine])
            for other in lsh.query(signature):
                if other in recent:
                    shared_count = len(mine & recent[other])
                    if shared_count >= THRESHOLD * (len(mine) + len(recent[other]) - shared_count):
                        found.append((other, row))
            lsh.insert(row, signature)
            recent[row] = mine
            arrivals.append((t_us[row], row))
    return *_rows(found), done


def _rows(found: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    pairs = np.array(found, dtype=np.int64).reshape(-1, 2)
    return pairs[:, 0], pairs[:, 1]


def ours(articles: pd.DataFrame) -> pd.DataFrame:
    from newsframe.corpus import near_duplicates

    return near_duplicates.find(articles, threshold=THRESHOLD, window_days=WINDOW_DAYS)[1]


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _measure(method: str, paths: list[Path], cap: float | None, results) -> None:
    """One timed run, in a fresh process: put its seconds, CPU, memory and the pairs found (as keys) on `results`."""
    if method == "newsframe":
        from newsframe.corpus import near_duplicates  # noqa: F401  imported before timing, as datasketch is
    else:
        import datasketch  # noqa: F401
    articles = planted_copies.read(paths, columns=COLUMNS)
    held = reset_peak()
    cpu, start = cpu_seconds(), time.perf_counter()
    if method == "newsframe":
        pairs, done = ours(articles), len(articles)
    else:
        i, j, done = baseline(articles, cap=cap)
    seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    peak = memory("VmHWM")
    if method == "newsframe":
        index = pd.Index(articles["article_id"])
        i, j = index.get_indexer(pairs["article_id"]), index.get_indexer(pairs["other_id"])
    results.put({"seconds": seconds, "cpu": cpu, "held": held, "peak": peak, "done": done,
                 "found": planted_copies.keys(i, j, len(articles))})


def _diagnose(paths: list[Path], copies: np.ndarray, dist: bool, results) -> None:
    """Put on `results` the exact Jaccard (newsframe's shingles) of each planted copy pair, whether one side is
    short (under `SHORT_SHINGLES`), the Jaccard of each planted class when `dist`, and how many sampled articles
    get as many shingles from the baseline's folding as from newsframe's."""
    from newsframe.corpus import near_duplicates

    articles = planted_copies.read(paths)
    n = len(articles)
    wanted = {"planted": (copies // n, copies % n)}
    if dist:
        wanted |= planted_copies.classes(articles)
    sample = np.random.default_rng(0).choice(n, size=min(1000, n), replace=False)
    rows = np.unique(np.concatenate([sample, *[np.concatenate(pair) for pair in wanted.values()]]))
    values, counts = [], []
    for start in range(0, len(rows), 20_000):
        part_values, part_counts = near_duplicates.shingle_sets(articles.iloc[rows[start : start + 20_000]][COLUMNS])
        values.append(part_values)
        counts.append(part_counts)
    values, counts = np.concatenate(values), np.concatenate(counts)
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    similarity = {name: near_duplicates.jaccard(values, offsets, np.searchsorted(rows, i), np.searchsorted(rows, j))
                  for name, (i, j) in wanted.items()}
    i, j = wanted["planted"]
    short = np.minimum(counts[np.searchsorted(rows, i)], counts[np.searchsorted(rows, j)]) \
        < near_duplicates.SHORT_SHINGLES
    contents = (articles["title"].iloc[sample].fillna("") + "\n" + articles["text"].iloc[sample].fillna("")).tolist()
    agree = sum(len(shingles(fold(c))) == counts[np.searchsorted(rows, r)] for c, r in zip(contents, sample,
                                                                                          strict=True))
    results.put({"similarity": similarity, "short": short, "short_limit": near_duplicates.SHORT_SHINGLES,
                 "agree": agree, "sample": len(sample)})


def in_child(target, *args, what: str):
    """Run `target(*args, queue)` in a fresh process and return what it puts on the queue."""
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(target=target, args=(*args, results))
    child.start()
    while True:
        try:
            found = results.get(timeout=5)
            break
        except queue.Empty:
            if not child.is_alive() and results.empty():
                raise SystemExit(f"{what}: the process ended with exit code {child.exitcode} and no result "
                                 "(killed for memory? see dmesg)") from None
    child.join()
    return found


def score(found: np.ndarray, copies: np.ndarray, neutral: np.ndarray) -> dict:
    hits = np.isin(found, copies)
    false = ~hits & ~np.isin(found, neutral)
    counted = int(hits.sum() + false.sum())
    return {"hits": int(hits.sum()), "false": int(false.sum()), "recall": hits.sum() / max(len(copies), 1),
            "precision": hits.sum() / counted if counted else 1.0}


def measure(method: str, paths: list[Path], *, runs: int, cap: float | None, truth: dict, n: int) -> dict:
    """Run a method `runs` times; return its medians, each run's seconds and its scores (from the last run)."""
    results = []
    for run in range(runs):
        load = os.getloadavg()[0]
        result = in_child(_measure, method, paths, cap, what=f"{method} at {n:,} articles")
        result["load"] = (load, os.getloadavg()[0])
        results.append(result)
        print(f"  {method} {n:,} run {run + 1}: {result['seconds']:.1f} s ({result['done']:,} articles), CPU "
              f"{result['cpu']:.1f} s, peak {result['peak']:,.0f} MB, load {load:.1f} -> {result['load'][1]:.1f}",
              flush=True)
    last = results[-1]
    copies, neutral, similarity, short = truth["copies"], truth["neutral"], truth["similarity"], truth["short"]
    if last["done"] < n:  # stopped at the cap: score on the time prefix it went through
        seen = np.zeros(n, dtype=bool)
        seen[truth["order"][: last["done"]]] = True
        kept = seen[copies // n] & seen[copies % n]
        copies, similarity, short = copies[kept], similarity[kept], short[kept]
        neutral = neutral[seen[neutral // n] & seen[neutral % n]]
    scale = [n / r["done"] for r in results]
    row = {"method": method, "n": n, "done": last["done"], "capped": last["done"] < n,
           "runs": [r["seconds"] * s for r, s in zip(results, scale, strict=True)],
           "cpu": statistics.median(r["cpu"] * s for r, s in zip(results, scale, strict=True)),
           "peak": max(r["peak"] for r in results), "held": statistics.median(r["held"] for r in results),
           "planted": len(copies), **score(last["found"], copies, neutral)}
    row["seconds"] = statistics.median(row["runs"])
    above, missed = similarity >= THRESHOLD, ~np.isin(copies, last["found"])
    row["recall_above"] = 1 - missed[above].mean() if above.any() else 1.0
    row["missed"] = {"below": int((missed & ~above).sum()), "short": int((missed & above & short).sum()),
                     "other": int((missed & above & ~short).sum())}
    return row


def print_table(rows: list[dict]) -> None:
    print(f"\n{'articles':>10} {'method':<11}{'median s':>10}  {'runs s':<24}{'CPU s':>8}{'peak MB':>9}{'added MB':>9}"
          f"{'recall':>8}{'precision':>10}{'hits':>9}{'false':>6}{'planted':>9}{'recall J>=t':>12}{'speed-up':>10}")
    for row in rows:
        mark = "~" if row["capped"] else ""
        base = next(r for r in rows if r["n"] == row["n"] and r["method"] == "datasketch")
        speed_up = ("~" if base["capped"] else "") + f"{base['seconds'] / row['seconds']:.1f}x"
        runs = ", ".join(f"{mark}{s:.1f}" for s in row["runs"])
        print(f"{row['n']:>10,} {row['method']:<11}{mark + format(row['seconds'], '.1f'):>10}  {runs:<24}"
              f"{mark + format(row['cpu'], '.0f'):>8}{row['peak']:>9,.0f}{row['peak'] - row['held']:>9,.0f}"
              f"{row['recall']:>8.4f}{row['precision']:>10.4f}{row['hits']:>9,}{row['false']:>6,}{row['planted']:>9,}"
              f"{row['recall_above']:>12.4f}{speed_up:>10}")
    for row in rows:
        missed = row["missed"]
        print(f"{row['method']} at {row['n']:,} missed {sum(missed.values()):,} planted pairs: {missed['below']:,} "
              f"under the threshold, {missed['short']:,} short with titles unlike, {missed['other']:,} others")
    for row in rows:
        if row["capped"]:
            print(f"~ {row['method']} at {row['n']:,}: stopped at the cap after {row['done']:,} articles (in time "
                  f"order); seconds and CPU extrapolated linearly to {row['n']:,}, scores on the articles it saw")


def print_similarity(similarity: dict, n: int) -> None:
    """Print percentiles of the exact Jaccard of planted pairs, by class."""
    names = {"copy": "copy (wire or copy, same story)", "update-wire": "update - wire text",
             "related-wire": "related - wire text", "related-related": "related - related",
             "random": "random standalone, same language"}
    levels = [1, 5, 25, 50, 75, 95, 99]
    print(f"\nExact Jaccard of 5-word shingles by planted class, {n:,} articles")
    print(f"{'class':<34}{'pairs':>8}" + "".join(f"{'p' + str(p):>7}" for p in levels) + f"{'max':>7}{'>= 0.5':>8}")
    for name, values in similarity.items():
        print(f"{names[name]:<34}{len(values):>8,}" + "".join(f"{q:>7.3f}" for q in np.percentile(values, levels))
              + f"{values.max():>7.3f}{(values >= THRESHOLD).mean():>8.3f}")


def prepare(n: int) -> tuple[list[Path], dict]:
    """Generate (or find) the corpus of `n` articles; return its files and what scoring needs."""
    started = time.perf_counter()
    existing = sum(p.exists() for p in planted_copies.chunk_paths(CACHE, n))
    paths = planted_copies.write(CACHE, n)
    megabytes = sum(p.stat().st_size for p in paths) / 2**20
    made = f"generated in {time.perf_counter() - started:.0f} s" if existing < len(paths) else "cached"
    print(f"{n:,} articles: {len(paths)} files, {megabytes:,.0f} MB in {CACHE} ({made})", flush=True)
    articles = planted_copies.read(paths, columns=["article_id", "published", "language", "kind", "story"])
    copies, neutral = planted_copies.truth(articles, window_days=WINDOW_DAYS)
    return paths, {"copies": copies, "neutral": neutral, "order": np.argsort(times_us(articles), kind="stable")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--runs", type=int, default=3, help="runs of newsframe under 1,000,000 articles")
    parser.add_argument("--baseline-runs", type=int, default=1, help="runs of datasketch under 1,000,000 articles")
    parser.add_argument("--baseline-cap", type=float, default=900.0,
                        help="seconds after which a datasketch run stops; its time is then extrapolated")
    args = parser.parse_args()
    if importlib.util.find_spec("datasketch") is None:
        raise SystemExit("datasketch is not installed, and this benchmark measures newsframe against it: "
                         ".venv/bin/python -m pip install -e '.[bench]' (make bench does it)")
    from importlib.metadata import version

    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, datasketch {version('datasketch')}, "
          f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    rows = []
    for position, n in enumerate(args.sizes):
        paths, truth = prepare(n)
        found = in_child(_diagnose, paths, truth["copies"], position == 0, what=f"similarities at {n:,} articles")
        truth |= {"similarity": found["similarity"].pop("planted"), "short": found["short"]}
        print(f"  baseline folding: as many shingles as newsframe's for {found['agree']:,} of {found['sample']:,} "
              f"sampled articles; {len(truth['copies']):,} planted copy pairs, {found['short'].sum():,} of them with "
              f"a side under {found['short_limit']} shingles (newsframe then compares titles too)", flush=True)
        large = n >= 1_000_000
        for method, runs, cap in [("newsframe", 1 if large else args.runs, None),
                                  ("datasketch", 1 if large else args.baseline_runs, args.baseline_cap)]:
            rows.append(measure(method, paths, runs=runs, cap=cap, truth=truth, n=n))
        if position == 0:
            similarity = found["similarity"]
    print_table(rows)
    print_similarity(similarity, args.sizes[0])
    print(f"\nload average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"targets: recall and precision >= {TARGET_SCORE}; newsframe under "
          + ", ".join(f"{s} s at {n:,}" for n, s in TARGET_SECONDS.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
