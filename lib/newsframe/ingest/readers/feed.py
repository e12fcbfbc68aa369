"""RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom feeds, one article per item, parsed by feedparser."""

from __future__ import annotations

from pathlib import Path

import feedparser

from newsframe.errors import InputError
from newsframe.ingest import encoding
from newsframe.ingest.readers.fields import html_to_text_where_tagged
from newsframe.ingest.readers.files import locator, printable, read_bytes
from newsframe.ingest.records import Batch, records_frame, rejects_frame

__all__ = ["read_feed"]


def read_feed(path: Path) -> Batch:
    """Read one feed file; items without a usable field are still returned, for the normaliser to judge."""
    where = locator(path)
    data = read_bytes(path)
    parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=False)
    if not parsed.entries:
        raise InputError(_no_entries(where, parsed))
    channel = parsed.feed
    source = channel.get("title") or printable(path.stem)
    rows = [_entry(entry, source=source, language=channel.get("language")) for entry in parsed.entries]
    records = records_frame(rows)
    records["text"] = html_to_text_where_tagged(records["text"])
    records["title"] = html_to_text_where_tagged(records["title"])
    records["origin"] = [f"{where}#item={i}" for i in range(1, len(rows) + 1)]
    # feedparser reports the encoding it converted to; record what the file itself holds.
    records["encoding"] = encoding.canonical(encoding.detect(data, name=where))
    return Batch(records_frame(records), rejects_frame([]))


def _entry(entry, *, source: str, language: str | None) -> dict:
    content = entry.get("content") or []
    body = max((c.get("value", "") for c in content), key=len, default="") or entry.get("summary", "")
    return {
        "title": entry.get("title"),
        "text": body,
        "published": entry.get("published") or entry.get("updated") or entry.get("created"),
        "source": source,
        "url": entry.get("link"),
        "author": entry.get("author"),
        "section": "; ".join(t.get("term") or "" for t in entry.get("tags", []) if t.get("term")) or None,
        "language": entry.get("language") or language,
    }


def _no_entries(where: str, parsed) -> str:
    problem = parsed.get("bozo_exception")
    if problem is not None:
        return (f"{where}: not a readable feed ({type(problem).__name__}: {problem}). Expected RSS, RDF or Atom XML; "
                "check that the download finished, or open the file to see what it holds.")
    return f"{where}: a feed with no items (or XML that is not RSS, RDF or Atom). Nothing to ingest from it."
