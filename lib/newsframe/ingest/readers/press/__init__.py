"""Readers for press-database exports (Europresse, Factiva, LexisNexis Academic, Nexis Uni).

`read(path)` recognises the export by its content (see `sniff`) and hands it to the reader of its family; each
family module also has its own `read(path)`. All return an `Export`: the articles, the pieces that could not be
read (with their position, "article 37 of 100"), the items that are not press articles (error pseudo-documents,
link-only items, tweets), and how many articles the file's own markers announce. `read_export` turns that into
newsframe's raw records and rejects, so that every announced article is an article or a reject.
"""

from __future__ import annotations

import re
from pathlib import Path

from newsframe.errors import InputError
from newsframe.ingest.readers.files import locator
from newsframe.ingest.readers.press import europresse, factiva, lexisnexis, sniff
from newsframe.ingest.readers.press.common import ARTICLE_KEYS, Export
from newsframe.ingest.records import Batch, records_frame, rejects_frame

__all__ = ["ARTICLE_KEYS", "Export", "kind_of", "read", "read_export", "reader_for"]

# Fields of an export article that are raw record fields as they are; `source` is the publication.
_FIELDS = ("title", "subtitle", "text", "published", "source", "author", "section", "page", "edition", "word_count",
           "document_id", "language", "url")
_NUMBER = re.compile(r"\d+")

_READERS = {
    "europresse-html": europresse.read,
    "factiva-html": factiva.read_html,
    "factiva-xml": factiva.read_xml,
    "factiva-rtf": factiva.read_rtf,
    "factiva-txt": factiva.read_txt,
    "factiva-pdf": factiva.read_pdf,
    "lexisnexis-html": lexisnexis.read_html,
    "lexisnexis-txt": lexisnexis.read_txt,
    "nexisuni-docx": lexisnexis.read_docx,
}


def reader_for(kind: str):
    """Return the reader function for an export kind named by `sniff.detect`."""
    return _READERS[kind]


def read(path: str | Path) -> Export:
    """Read any supported press export; raise ValueError when the file is not one."""
    path = Path(path)
    kind = sniff.detect_path(path)
    if kind is None:
        raise ValueError(
            f"{path}: not recognised as a Europresse, Factiva, LexisNexis or Nexis Uni export (checked by content); "
            "read it with the ordinary HTML/text readers instead"
        )
    return _READERS[kind](path)


def kind_of(path: str | Path) -> str | None:
    """Return the export kind of a file (`factiva-html`, `nexisuni-docx`…), None when it is no press export."""
    try:
        return sniff.detect_path(path)
    except (OSError, ValueError, EOFError, KeyError):  # unreadable, or a broken zip: not recognisably an export
        return None


def read_export(path: Path) -> Batch:
    """Read a press export as raw records (one per article, origin `file#article=N`) and rejects: the pieces that
    could not be read and the items that are no press articles, each with its position and why."""
    where = locator(path)
    try:
        export = read(path)
    except ValueError as exc:
        raise InputError(str(exc)) from exc
    rows = [{**{f: article.get(f) for f in _FIELDS}, "origin": f"{where}#{_locator(article.get('position'), i)}",
             "encoding": export.encoding} for i, article in enumerate(export.articles, start=1)]
    rejects = [_reject(where, piece, piece.get("reason") or "unreadable article") for piece in export.rejects]
    rejects += [_reject(where, piece, f"not a press article ({piece.get('kind') or 'other'})")
                for piece in export.non_press]
    return Batch(records_frame(rows), rejects_frame(rejects))


def _locator(position: str | None, index: int) -> str:
    found = _NUMBER.search(position or "")
    return f"article={found.group() if found else index}"


def _reject(where: str, piece: dict, reason: str) -> dict:
    position = piece.get("position") or ""
    return {"origin": f"{where}#{_locator(position, 0)}", "reason": reason, "record": piece.get("raw"),
            "detail": f"{where}, {position or 'the file'}: {piece.get('detail') or reason}"}
