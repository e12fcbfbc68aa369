"""Saved web pages of single articles: main text and metadata extracted by trafilatura; HTML fragments to text."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html

from newsframe.errors import InputError
from newsframe.ingest import encoding
from newsframe.ingest.readers.files import locator, printable, read_bytes
from newsframe.ingest.records import Batch, records_frame, rejects_frame

__all__ = ["html_to_text", "read_html"]

_BLOCKS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article",
           "figure", "figcaption", "ul", "ol", "table", "header", "footer", "pre"}
_LANG = re.compile(r"^[A-Za-z]{2,3}")


def read_html(path: Path) -> Batch:
    """Read one saved article page (also .html.gz)."""
    import trafilatura  # imported on first need: it pulls in a large dependency tree

    where = locator(path)
    content, detected = encoding.decode(read_bytes(path), name=where)
    tree = trafilatura.load_html(content)
    if tree is None:
        raise InputError(f"{where}: not parseable as HTML. Check that the page was saved completely.")
    declared = tree.getroottree().getroot().get("lang")
    extracted = trafilatura.bare_extraction(tree, with_metadata=True, include_comments=False, include_tables=False)
    if extracted is None:
        raise InputError(f"{where}: no article text found in the page. Is it an article page, saved in full?")
    found = extracted if isinstance(extracted, dict) else extracted.as_dict()
    record = {
        "title": found.get("title"),
        "text": found.get("text"),
        "published": found.get("date"),
        "source": found.get("sitename") or found.get("hostname") or printable(path.parent.name),
        "url": found.get("url"),
        "author": found.get("author"),
        "section": "; ".join(found.get("categories") or []) or None,
        "language": declared,
        "origin": where,
        "encoding": detected,
    }
    return Batch(records_frame([record]), rejects_frame([]))


def html_to_text(markup: str) -> str:
    """Return the text of an HTML fragment, block elements as paragraphs, scripts and styles dropped."""
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return markup
    for element in root.iter("script", "style"):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCKS:
            element.tail = "\n\n" + (element.tail or "")
    return root.text_content()
