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
    )
    print(ingest.format_summary(result.summary()))
    print(f"wrote {args.out} (and its .rejects.parquet and .summary.json)")
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
    return _summarise(reports.run(config, force=True, record=False))


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
    ingest.set_defaults(handler=_ingest)

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
                        help="with --notebook: a notebook parameter; repeatable")
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
