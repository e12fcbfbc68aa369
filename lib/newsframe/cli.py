"""The `newsframe` command: a thin layer over the library (ingest, demo, report, schedule)."""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

from newsframe import __version__
from newsframe.errors import NewsframeError, ParameterError

DEFAULT_CORPUS = "data/processed/corpus.parquet"

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 a newsframe error, 2 a usage error)."""
    args = _parser().parse_args(argv)
    try:
        return args.handler(args) or 0
    except NewsframeError as exc:
        print(f"newsframe: {exc}", file=sys.stderr)
        return 1


def _ingest(args) -> int:
    from newsframe import ingest

    result = ingest.ingest(
        args.paths, out=args.out, columns=_pairs(args.column, what="--column"),
        languages=tuple(code.strip() for code in args.languages.split(",") if code.strip()), date_order=args.date_order,
        sources_map=args.sources_map, keep_title_only=args.keep_title_only, replace=args.replace,
        stories=not args.no_stories, story_threshold=args.story_threshold, story_window_days=args.story_days,
        full=args.full, partitioned=args.partitioned,
    )
    print(ingest.format_summary(result.summary()))
    written = ("a folder with a month=YYYY-MM/ folder a month, and its _rejects.parquet and _summary.json"
               if args.partitioned else "and its .rejects.parquet and .summary.json")
    print(f"wrote {args.out} ({written})" if result.written else
          f"nothing new: no input file is new, changed or gone since {args.out} was written; it was left as it was")
    return 0


def _sources(args) -> int:
    from collections import Counter

    import pyarrow.compute as pc

    from newsframe.corpus import layout, sources

    column = layout.read_table(_existing_corpus(args.corpus), columns=["source"], ordered=False).column("source")
    column = column.combine_chunks()
    counts = Counter({row["values"].as_py(): row["counts"].as_py() for row in pc.value_counts(column)})
    for name, count in counts.most_common():
        print(f"{count:>8,}  {name}")
    print(f"{len(counts):,} sources")
    suggested = sources.suggest(counts)
    if args.suggest_map:
        path = sources.write_map(suggested, args.suggest_map)
        print(f"wrote a draft sources map ({len(suggested)} rules) to {path}: check it, then ingest with "
              f"--sources-map {path}, or try it in a report with -p sources_map={path}")
    elif suggested:
        print(f"{sum(r[2] for r in suggested):,} of them share a leading name ({', '.join(r[1] for r in suggested[:5])}"
              "…): `--suggest-map sources.csv` writes a draft map grouping them into outlets")
    return 0


def _stories(args) -> int:
    from newsframe import corpus
    from newsframe.corpus import near_duplicates
    from newsframe.reports import export

    path = _existing_corpus(args.corpus)
    articles = corpus.read(path, include_duplicates=False)
    pairs = corpus.read_pairs(path)
    about = corpus.read_summary(path).get("near_duplicates") or {}
    if not about:
        print(f"{path} was ingested without looking for near-duplicates (--no-stories, or before newsframe did); "
              "ingest again to find them.")
        return 0
    copies = articles[articles["story_similarity"].notna()]
    print(f"{len(articles):,} articles make {articles['story_id'].nunique():,} stories: "
          f"{copies['story_id'].nunique():,} of them printed two or more times ({len(copies):,} articles, "
          f"{len(pairs):,} pairs of near-duplicates; Jaccard ≥ {about['threshold']}, at most "
          f"{about['window_days']:g} days apart)")
    largest = copies.groupby("story_id").agg(copies=("article_id", "size"), outlets=("source", "nunique"))
    titles = articles.set_index("article_id")["title"]
    for story_id, row in largest.nlargest(args.top, "copies").iterrows():
        outlets = f"{row['outlets']:,} outlet" + ("s" if row["outlets"] > 1 else "")
        print(f"{row['copies']:>6,} copies, {outlets}: {titles.get(story_id, '')[:90]}")
    if args.review:
        review = near_duplicates.review(articles, pairs)
        target = Path(args.review)
        written = export.write_csv(review, folder=target.parent or ".", name=target.stem)
        print(f"wrote the {len(review):,} pairs to {written}, most similar first, to check the threshold")
    return 0


def _diff(args) -> int:
    from newsframe import corpus
    from newsframe.corpus import compare
    from newsframe.reports import export

    old_path, new_path = _existing_corpus(args.old), _existing_corpus(args.new)
    old, new = corpus.read(old_path), corpus.read(new_path)
    compared = compare.diff(old, new)
    print(f"old: {len(old):,} articles in {old_path}\nnew: {len(new):,} articles in {new_path}")
    print(compare.format_summary(compared, top=args.top))
    differences = compared[compared["status"] != "unchanged"]
    if args.out and len(differences):
        target = Path(args.out)
        written = export.write_csv(differences, folder=target.parent or ".", name=target.stem)
        print(f"wrote the {len(differences):,} articles added, removed or changed to {written}")
    return 0


def _existing_corpus(path: str) -> Path:
    from newsframe import paths

    found = paths.resolve(path)
    if not found.exists():
        raise ParameterError(f"{found}: no corpus here. Build one with `newsframe ingest data/raw --out {path}`.")
    return found


def _parameters(args) -> int:
    from newsframe.reports import parameters

    declared = parameters.declared(Path(args.notebook))
    width = max(map(len, declared), default=0)
    for name, about in declared.items():
        kind, default = about.get("inferred_type_name") or "", about.get("default") or ""
        print(f"{name:<{width}}  {kind:<5} default {default:<22} {about.get('help') or ''}")
    print("\nSet them with -p NAME=VALUE (`newsframe report --notebook …`) or under `parameters:` in a reports file. "
          "Lists: `-p sources=RFI,Le Monde` or YAML `[RFI, Le Monde]`; dates YYYY-MM-DD.")
    return 0


def _demo(args) -> int:
    from newsframe import demo

    target = Path(args.out)
    if target.exists() and any(target.iterdir()):
        demo.write_companions(target)  # added to demo folders written before there were events and terms
        print(f"demo corpus already at {target}; left as it is")
        return 0
    demo.write(target, seed=args.seed, articles=args.articles)
    print(f"wrote the synthetic demo corpus to {target}")
    return 0


def _report(args) -> int:
    if not args.notebook:
        return _report_jobs(args)
    from newsframe import reports
    from newsframe.reports.config import Config, Job

    parameters = {"corpus_path": str(Path(args.corpus or DEFAULT_CORPUS).resolve())}
    parameters.update({k: _literal(v) for k, v in _pairs(args.parameter, what="-p").items()})
    job = Job(name=args.name or Path(args.notebook).stem, notebook=Path(args.notebook), parameters=parameters)
    config = Config(out=Path(args.out or "reports"), jobs=[job], path=Path("command line"))
    return _summarise(reports.run(config, force=True))


def _report_jobs(args) -> int:
    from newsframe import reports
    from newsframe.reports.config import Config, read_config

    if args.parameter or args.corpus or args.name:
        raise ParameterError("-p, --corpus and --name go with --notebook; for the jobs of a reports file, set "
                             "them in the file.")
    config = read_config(args.config)
    if args.out:
        config = Config(out=Path(args.out), jobs=config.jobs, path=config.path)
    only = [name for item in args.only or [] for name in item.split(",") if name]
    return _summarise(reports.run(config, only=only, force=args.force))


def _summarise(outcomes) -> int:
    counts = {status: sum(o.status == status for o in outcomes) for status in ("ok", "skipped", "failed")}
    print(f"reports: {counts['ok']} written, {counts['skipped']} unchanged, {counts['failed']} failed")
    for outcome in outcomes:
        if outcome.status == "failed":
            print(f"  {outcome.name} failed: {outcome.message}", file=sys.stderr)
    return 1 if counts["failed"] else 0


def _schedule(args) -> int:
    from newsframe.reports import schedule
    from newsframe.reports.config import read_config

    project = Path.cwd().resolve()
    config = read_config(args.config)  # the schedule ingests into the corpus its reports read
    options = {"config": args.config, "ingest": args.ingest, "corpus": str(config.corpus or DEFAULT_CORPUS),
               "log": str(config.out / "schedule.log")}
    if args.systemd:
        units = schedule.systemd_units(project, on_calendar=args.on_calendar, **options)
        if args.install:
            for path in schedule.install_systemd(units):
                print(f"wrote {path}")
            print("enabled newsframe-reports.timer (systemctl --user list-timers shows it)")
            return 0
        for name, content in units.items():
            print(f"# ~/.config/systemd/user/{name}\n{content}")
        return 0
    line = schedule.crontab_line(project, when=args.at, **options)
    if args.install:
        schedule.install_crontab(line, project)
        print(f"installed in your crontab:\n{line}")
    else:
        print(line)
    return 0


def _pairs(items: list[str] | None, *, what: str) -> dict[str, str]:
    pairs = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ParameterError(f"{what} {item!r}: expected NAME=VALUE.")
        pairs[key.strip()] = value
    return pairs


def _share(value: str) -> float:
    """argparse type: a number between 0 and 1 (a Jaccard similarity)."""
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 < number <= 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a similarity between 0 and 1 (e.g. 0.5)")
    return number


def _literal(value: str):
    # `-p freq=W` is the string "W"; `-p top=10` and `-p smooth=True` are a number and a boolean.
    try:
        return ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsframe", description=__doc__)
    parser.add_argument("--version", action="version", version=f"newsframe {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    ingest = commands.add_parser("ingest", help="read files and folders of articles into a Parquet corpus")
    ingest.add_argument("paths", nargs="+", help="files or folders (text, CSV/TSV, JSON/JSONL, RSS/Atom, HTML)")
    ingest.add_argument("--out", default=DEFAULT_CORPUS, help=f"corpus to write (default {DEFAULT_CORPUS})")
    ingest.add_argument("--column", action="append", metavar="FIELD=COLUMN",
                        help="map a column to a field (title, text, published, source, url, author, section, "
                             "language) when its name is not recognised; repeatable")
    ingest.add_argument("--languages", default="fr,en,de,es,it,pt,nl,ar,ru",
                        help="languages the detector may answer, comma-separated ISO 639-1 codes")
    ingest.add_argument("--date-order", default="DMY", choices=["DMY", "MDY", "YMD"],
                        help="how to read ambiguous numeric dates such as 04/10/2012 (default DMY: 4 October)")
    ingest.add_argument("--sources-map", default="", metavar="FILE",
                        help="CSV `pattern,outlet` naming the outlet of each feed or file name (see README)")
    ingest.add_argument("--keep-title-only", action="store_true",
                        help="keep records that have a title but no text (headlines), instead of rejecting them")
    ingest.add_argument("--story-threshold", type=_share, default=0.5, metavar="JACCARD",
                        help="near-duplicates: texts this similar are copies of one story (default 0.5: reprints; "
                             "0.3 also joins updated versions)")
    ingest.add_argument("--story-days", type=float, default=3, metavar="DAYS",
                        help="near-duplicates: copies are published at most this many days apart (default 3)")
    ingest.add_argument("--no-stories", action="store_true", help="do not look for near-duplicates")
    ingest.add_argument("--full", action="store_true",
                        help="read every file again, even those unchanged since the corpus at --out was written "
                             "(by default only new and changed files are read)")
    ingest.add_argument("--partitioned", action="store_true",
                        help="write --out as a folder: a Parquet dataset partitioned by month (month=YYYY-MM/), "
                             "read as one corpus by every command and notebook, and by Dask, DuckDB or R's arrow")
    ingest.add_argument("--replace", action="store_true",
                        help="write the corpus even if it holds less than half the articles of the one it replaces")
    ingest.set_defaults(handler=_ingest)

    sources = commands.add_parser("sources", help="list a corpus's sources; suggest a map grouping them into outlets")
    sources.add_argument("corpus", nargs="?", default=DEFAULT_CORPUS, help=f"the corpus (default {DEFAULT_CORPUS})")
    sources.add_argument("--suggest-map", metavar="FILE", help="write a draft sources map (CSV) to edit")
    sources.set_defaults(handler=_sources)

    stories = commands.add_parser("stories", help="the near-duplicates ingest found: stories printed several times, "
                                                  "and the pairs to review")
    stories.add_argument("corpus", nargs="?", default=DEFAULT_CORPUS, help=f"the corpus (default {DEFAULT_CORPUS})")
    stories.add_argument("--review", metavar="FILE.csv", help="write every pair (titles, sources, dates, first "
                                                              "words, similarity) to this CSV")
    stories.add_argument("--top", type=int, default=10, help="how many of the largest stories to list (default 10)")
    stories.set_defaults(handler=_stories)

    diff = commands.add_parser("diff", help="compare two corpora (e.g. two exports of one database): articles added, "
                                            "removed and changed, by source")
    diff.add_argument("old", help="the earlier corpus (Parquet written by `newsframe ingest`)")
    diff.add_argument("new", help="the later corpus")
    diff.add_argument("--out", metavar="FILE.csv", help="write every article added, removed or changed to this CSV "
                                                        "(status, ids, source, date, title, what changed)")
    diff.add_argument("--top", type=int, default=10, help="how many sources to list (default 10)")
    diff.set_defaults(handler=_diff)

    parameters = commands.add_parser("parameters", help="list what a report notebook takes: name, type, default, help")
    parameters.add_argument("notebook", help="e.g. notebooks/timeline.ipynb")
    parameters.set_defaults(handler=_parameters)

    demo = commands.add_parser("demo", help="write the synthetic demo corpus (text files) if it is not there")
    demo.add_argument("--out", default="data/raw/demo")
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--articles", type=int, default=1200)
    demo.set_defaults(handler=_demo)

    report = commands.add_parser(
        "report", help="run every report of a reports file (only what changed), or one notebook with --notebook")
    report.add_argument("--config", default="reports.yml", help="reports file (default reports.yml)")
    report.add_argument("--only", action="append", metavar="NAME", help="run only these jobs; repeatable or a,b")
    report.add_argument("--force", action="store_true", help="run jobs even when nothing changed")
    report.add_argument("--out", help="output folder (default: the reports file's `out`, or reports)")
    report.add_argument("--notebook", help="run this one notebook instead of a reports file")
    report.add_argument("--corpus", help=f"with --notebook: the corpus (default {DEFAULT_CORPUS})")
    report.add_argument("--name", help="with --notebook: report file name without .html (default: notebook's)")
    report.add_argument("-p", "--parameter", action="append", metavar="NAME=VALUE",
                        help="with --notebook: a notebook parameter; repeatable. Lists as a,b. "
                             "`newsframe parameters NOTEBOOK` lists what a notebook takes")
    report.set_defaults(handler=_report)

    schedule = commands.add_parser("schedule", help="print (or --install) a crontab line or systemd timer that "
                                                    "runs the reports of this project")
    schedule.add_argument("--at", default="0 6 * * 1", help="cron's five fields (default '0 6 * * 1': Mondays 06:00)")
    schedule.add_argument("--systemd", action="store_true", help="a systemd user timer instead of cron")
    schedule.add_argument("--on-calendar", default="Mon *-*-* 06:00:00", help="with --systemd: when to run")
    schedule.add_argument("--config", default="reports.yml", help="reports file (default reports.yml)")
    schedule.add_argument("--ingest", default="", help="a folder to ingest before the reports (e.g. data/raw)")
    schedule.add_argument("--install", action="store_true", help="install it (your crontab or systemd user units)")
    schedule.set_defaults(handler=_schedule)
    return parser


if __name__ == "__main__":
    sys.exit(main())
