"""Press-export reading: a 1,000-article Nexis Uni DOCX through `newsframe ingest`, against a floor in the same run.

The floor is python-docx reading every paragraph's text of the same file (no article boundaries, fields, dates or
normalising). The file is built from the real 100-article export in ../shared/data (its articles repeated, every
`Bookmark_N` renumbered so that each article keeps its own), in a temporary folder deleted afterwards: the
publishers' text is never left on disk. Target: 200 articles/s or more.

    .venv/bin/python bench/exports.py [--runs 5] [--articles 1000] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import copy
import statistics
import tempfile
import time
from pathlib import Path

import docx
from docx.oxml.ns import qn

ROOT = Path(__file__).resolve().parents[1]
TARGET = 200  # articles a second


def build(source: Path, target: Path, articles: int) -> int:
    """Write a DOCX holding `articles` articles (whole copies of the source's articles); return how many."""
    document = docx.Document(str(source))
    body = document.element.body
    children = [c for c in body.iterchildren() if c.tag != qn("w:sectPr")]
    section = body.find(qn("w:sectPr"))
    first = next(
        i for i, c in enumerate(children)
        if any((b.get(qn("w:name")) or "").startswith("Bookmark_") for b in c.iter(qn("w:bookmarkStart")))
    )
    cover, article_elements = children[:first], children[first:]
    per_copy = sum(
        1 for c in article_elements for b in c.iter(qn("w:bookmarkStart"))
        if (b.get(qn("w:name")) or "").startswith("Bookmark_")
    )
    copies = -(-articles // per_copy)
    for child in children:
        body.remove(child)
    anchor = section if section is not None else None

    def append(element) -> None:  # lxml's len() walks the children: insert before sectPr instead
        if anchor is not None:
            anchor.addprevious(element)
        else:
            body.append(element)

    for element in cover:
        append(element)
    number = bodies = 0
    for _ in range(copies):
        for element in article_elements:
            clone = copy.deepcopy(element)
            for mark in clone.iter(qn("w:bookmarkStart")):
                name = mark.get(qn("w:name")) or ""
                if name.startswith("Bookmark_"):
                    number += 1
                    mark.set(qn("w:name"), f"Bookmark_{number}")
                elif name.startswith("Body"):
                    bodies += 1
                    mark.set(qn("w:name"), f"Body_{bodies}")
            append(clone)
    document.save(str(target))
    return number


def floor(path: Path) -> int:
    """Read every paragraph's text with python-docx; return how many paragraphs."""
    return sum(1 for paragraph in docx.Document(str(path)).paragraphs if paragraph.text)


def newsframe_read(path: Path) -> int:
    """Ingest the file (reading and normalising, nothing written); return the articles kept."""
    from newsframe import ingest

    return len(ingest.read([path]).articles)


def timed(function, path: Path, runs: int) -> tuple[float, int]:
    times, found = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        found = function(path)
        times.append(time.perf_counter() - started)
    return statistics.median(times), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    source = args.data / "press-exports" / "nexis-uni-docx" / "birkholz_data-1_en-2023.DOCX"
    if not source.is_file():
        raise SystemExit(f"{source} not found: this benchmark needs the shared test data (--data)")
    newsframe_read(source)  # imports and the language model, once, before timing
    with tempfile.TemporaryDirectory(prefix="press-bench-") as folder:
        path = Path(folder) / "nexisuni.docx"
        written = build(source, path, args.articles)
        base, paragraphs = timed(floor, path, args.runs)
        ours, articles = timed(newsframe_read, path, args.runs)
    print(f"{written:,} articles, {path.name}; median of {args.runs} runs")
    print(f"floor (python-docx, every paragraph's text): {base:.2f} s, {paragraphs:,} paragraphs")
    print(f"newsframe ingest.read:                       {ours:.2f} s, {articles:,} articles, "
          f"{articles / ours:,.0f} articles/s, {ours / base:.1f}x the floor (target: {TARGET} articles/s)")


if __name__ == "__main__":
    main()
