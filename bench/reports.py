"""Report regeneration: a full run of the main job's reports, an unchanged re-run, and plain papermill + nbconvert.

On a generated corpus of --articles articles (the demo generator, ingested), in one run:

- full: `newsframe report --config <jobs> --force` (the timeline and topics jobs of reports.yml);
- unchanged: the same command without --force, nothing having changed (target: under 1 s, no kernel started);
- baseline: what one does by hand today, the same notebooks and parameters through the `papermill` command line
  then `jupyter nbconvert --to html --no-input`.

Each is a fresh process (what cron runs), median of --repeats runs.

    .venv/bin/python bench/reports.py [--articles 10000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def prepare(folder: Path, articles: int) -> Path:
    """Write and ingest a generated corpus; return a reports file with the main job's jobs pointing at it."""
    from newsframe import demo, ingest

    raw = folder / "raw"
    demo.write(raw, articles=articles)
    corpus_path = folder / "corpus.parquet"
    ingest.ingest([raw], out=corpus_path)
    config = yaml.safe_load((ROOT / "reports.yml").read_text(encoding="utf-8"))
    config["out"] = str(folder / "reports")
    config["corpus"] = str(corpus_path)
    for job in config["jobs"]:
        job["notebook"] = str(ROOT / job["notebook"])
        for name, value in job["parameters"].items():
            if isinstance(value, str) and value.startswith("data/raw/demo/"):
                job["parameters"][name] = str(raw / Path(value).name)
            if name == "data_dir":
                job["parameters"][name] = str(folder / "reports" / Path(value).name)
    path = folder / "reports.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def timed(command: list[str], repeats: int) -> float:
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def baseline(config_path: Path, folder: Path) -> None:
    """Run each job with the papermill and nbconvert command lines, as a researcher would by hand."""
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    out = folder / "baseline"
    out.mkdir(exist_ok=True)
    for job in config["jobs"]:
        parameters = {"corpus_path": config["corpus"], **job["parameters"]}
        executed = out / f"{job['name']}.ipynb"
        command = [str(BIN / "papermill"), job["notebook"], str(executed), "-k", "newsframe", "--no-progress-bar"]
        for name, value in parameters.items():
            command += ["-y", yaml.safe_dump({name: value}, allow_unicode=True).strip()]
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)], check=True,
                       capture_output=True, cwd=ROOT)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="nf-bench-reports-") as scratch:
        folder = Path(scratch)
        config = prepare(folder, args.articles)
        report = [str(BIN / "newsframe"), "report", "--config", str(config)]
        full = timed([*report, "--force"], args.repeats)
        unchanged = timed(report, args.repeats)
        runs = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            baseline(config, folder)
            runs.append(time.perf_counter() - start)
        plain = statistics.median(runs)
    print(f"{'articles':>10}{'full s':>9}{'unchanged s':>13}{'papermill+nbconvert s':>23}{'full/baseline':>15}")
    print(f"{args.articles:>10,}{full:>9.2f}{unchanged:>13.2f}{plain:>23.2f}{full / plain:>15.2f}")
    print("target: an unchanged re-run under 1 s with no kernel started (the full run is the baseline's work plus "
          "checks, manifest and index)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
