"""Timeline throughput: counts by week x source, and mentions of 20 term groups, against plain pandas.

The baseline is what a researcher would write by hand in the same run: `str.contains` per term group (case-insensitive
regex alternation of its variants, whole words), `groupby` by week and source. Articles are generated (the demo's
vocabulary, about 400 words each) and held in memory before timing. Figures are medians of --repeats runs.

    .venv/bin/python bench/timeline.py [--sizes 100000 1000000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import gc
import re
import statistics
import sys
import time

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

GROUPS = {
    "Russie": ["Russie", "russe*", "Moscou", "Kremlin", "Russia", "Russian*", "Moscow"],
    "sommet": ["sommet", "summit"], "Mali": ["Mali", "malien*", "Bamako"], "Togo": ["Togo", "togolais*"],
    "Niger": ["Niger", "nigérien*", "Niamey"], "Burkina": ["Burkina Faso", "burkinab*"],
    "Wagner": ["Wagner", "Africa Corps"], "grain": ["blé", "céréales", "wheat", "grain"],
    "energie": ["Rosatom", "nucléaire", "nuclear", "uranium"], "media": ["Sputnik", "RT", "désinformation"],
    "armee": ["armée", "army", "militaire*", "military"], "Poutine": ["Poutine", "Putin"],
    "Guinee": ["Guinée", "Guinea"], "Cameroun": ["Cameroun", "Cameroon"],
    "Centrafrique": ["Centrafrique", "Central African Republic"], "delegations": ["délégation*", "delegation*"],
    "declaration": ["déclaration", "declaration"], "influence": ["influence"], "securite": ["sécurité", "security"],
    "partenariat": ["partenariat", "partnership"],
}


def corpus(size: int) -> pd.DataFrame:
    """Return `size` generated articles, reusing the demo's texts (tripled to about 400 words)."""
    from newsframe import demo

    base = demo.generate(seed=1, articles=5000)
    rng = np.random.default_rng(size)
    pick = rng.integers(0, len(base), size)
    texts = pd.Series(["\n\n".join([a.text] * 3) for a in base], dtype="string")
    days = pd.to_datetime([a.published for a in base]).tz_localize("UTC")
    return pd.DataFrame({
        "article_id": pd.Series([f"{i:016x}" for i in range(size)], dtype="string"),
        "title": pd.Series([base[i].title for i in pick], dtype="string"),
        "text": texts.take(pick).reset_index(drop=True),
        "published": days.take(pick),
        "source": pd.Series([base[i].source for i in pick], dtype="string"),
    })


def newsframe_run(articles: pd.DataFrame) -> None:
    from newsframe.analysis import terms, timeline

    timeline.count(articles, freq="W", by="source")
    found = terms.mentions(articles, GROUPS)
    timeline.count_mentions(articles, found, freq="W")


def baseline_run(articles: pd.DataFrame) -> None:
    week = articles["published"].dt.tz_localize(None).dt.to_period("W-SUN")
    articles.groupby([week, articles["source"]]).size()
    content = articles["title"].fillna("") + "\n" + articles["text"]
    for variants in GROUPS.values():
        words = [re.escape(v).replace(r"\*", r"\w*").replace(r"\ ", r"\s+") for v in variants]
        hit = content.str.contains(r"\b(?:" + "|".join(words) + r")\b", case=False, regex=True)
        articles[hit].groupby(week[hit]).size()


def memory(field: str) -> float:
    """Return a line of /proc/self/status in MB (VmRSS: now; VmHWM: peak since the last reset)."""
    for line in open("/proc/self/status", encoding="ascii"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak() -> float:
    """Reset the peak (Linux: writing 5 to clear_refs) and return the current RSS in MB."""
    gc.collect()
    with open("/proc/self/clear_refs", "w", encoding="ascii") as handle:
        handle.write("5")
    return memory("VmRSS")


def timed(function, articles: pd.DataFrame, repeats: int) -> float:
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        function(articles)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"{'articles':>10}{'text MB':>9}{'baseline s':>12}{'newsframe s':>13}{'speed-up':>10}{'peak RSS MB':>13}"
          f"{'peak/text':>10}{'added MB':>10}{'added/text':>11}")
    for size in args.sizes:
        articles = corpus(size)
        text_mb = pc.sum(pc.binary_length(pa.array(articles["text"].array))).as_py() / 2**20  # UTF-8 bytes
        held = reset_peak()  # interpreter + the corpus in memory, without what generating it cost
        ours = timed(newsframe_run, articles, args.repeats)
        peak = memory("VmHWM")  # the process's peak while newsframe ran: the corpus plus newsframe's own
        base = timed(baseline_run, articles, args.repeats)
        print(f"{size:>10,}{text_mb:>9,.0f}{base:>12.2f}{ours:>13.2f}{base / ours:>9.1f}x{peak:>13,.0f}"
              f"{peak / text_mb:>10.1f}{peak - held:>10,.0f}{(peak - held) / text_mb:>11.1f}", flush=True)
    print("targets: 1M articles x 20 groups under 30 s, at least 5x the baseline, peak under 3x the text size")
    return 0


if __name__ == "__main__":
    sys.exit(main())
