"""The `newsframe` command: a thin layer over the library (ingest, demo, report)."""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

from newsframe import __version__
from newsframe.errors import NewsframeError, ParameterError

DEFAULT_CORPUS = "data/processed/corpus.parquet"


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
        languages=tuple(args.languages.split(",")), date_order=args.date_order,
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
    from newsframe import runner

    parameters = {"corpus_path": str(Path(args.corpus).resolve())}
    parameters.update({k: _literal(v) for k, v in _pairs(args.parameter, what="-p").items()})
    report = runner.run(args.notebook, parameters=parameters, out_dir=args.out, name=args.name)
    print(f"wrote {report.html}")
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

    report = commands.add_parser("report", help="run a notebook on a corpus and render its HTML report")
    report.add_argument("--notebook", default="notebooks/timeline.ipynb")
    report.add_argument("--corpus", default=DEFAULT_CORPUS)
    report.add_argument("--out", default="reports")
    report.add_argument("--name", help="report file name without .html (default: the notebook's name)")
    report.add_argument("-p", "--parameter", action="append", metavar="NAME=VALUE",
                        help="a notebook parameter; repeatable")
    report.set_defaults(handler=_report)
    return parser


if __name__ == "__main__":
    sys.exit(main())
