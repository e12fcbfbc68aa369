"""Europresse HTML exports ("Sauvegarder" / "Save" of a document selection).

Three layouts are read, told apart by structure, never by date:

* 2012 "table" layout: one outer `<table>` cell per document holding `span.DocPublicationName`, `span.DocHeader`
  pieces ("Politique, " "jeudi " "5 octobre 2013" ", p. 03"), `span.TitreArticleVisu`, then loose text and `<p>`s,
  a `© …` line and "Numéro de document : news·…".
* 2015 `<article>` layout: `header` (`span.DocPublicationName`, `span.DocHeader` "Rubrique, mardi 14 mars 2006,
  p. 16", `div.titreArticle > p.titreArticleVisu`, an optional kicker `p.sm-margin-bottom`, the author as a bare
  `<div>`), body in `section` (`div.docOcurrContainer` or `div.DocText` paragraphs), notes in `aside`, copyright and
  `span#PubliC_lblNodoc` in `footer`; the 2015–16 "web" variant has two publication names, an English date and no
  `docOcurrContainer`.
* 2019+ `rdp__` layout (no public sample; built from the published parsers): `div.rdp__DocPublicationName >
  span.DocPublicationName`, `span.DocHeader` "France, mercredi 11 septembre 2024 134 mots, p. 11",
  `p.titreArticleVisu.rdp__articletitle`, `p.rdp__subtitle`, authors in `div.docAuthors` or
  `p.sm-margin-bottomNews`, section in `span.DocTitreSousSection`, body in `div.docOcurrContainer` / `div.DocText`,
  id in `.publiC-lblNodoc`, copyright in `div.Doc-LegalInfo`.

Items that are not press articles are reported in `non_press`: link-only items (`p.link-not-hosted`), tweets and
other social posts (`div.twitter`, `.tweet`, `.socialNetworkPost`), and "Rapports/Reports -" publications.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from newsframe.ingest.readers.press.common import (
    Export,
    admit,
    clean_author,
    decode,
    find_date,
    finish,
    is_copyright,
    join_paragraphs,
    new_article,
    non_press,
    reject,
    squash,
    where,
    word_count,
)

__all__ = [
    "WHAT", "read",
]

WHAT = "Europresse HTML"

_DOC_ID = re.compile(r"\b((?:news|web|rapport|report|tv|radio|bio|social|pdf)\S*·\d{8}·\S+)", re.IGNORECASE)
_DOC_ID_LINE = re.compile(r"(?:Numéro de document|Document number|Nummer des Dokuments|Documentnummer)\s*:\s*(\S+)",
                          re.IGNORECASE)
_PAGE = re.compile(r"(?:^|[\s,])p(?:ages?)?\.\s*([A-Z]{0,3}\d+[A-Z]{0,3}(?:\s*[-–/]\s*[A-Z]{0,3}\d+[A-Z]{0,3})?)",
                   re.IGNORECASE)
_WORDS = re.compile(r"(\d[\d\s.,\u00a0\u202f]*)\s*(?:mots|words|Wörter|palabras)\b", re.IGNORECASE)
_ISSUE = re.compile(r",\s*(?:no|n°|nº|num|vol|issue)\b\.?.*$", re.IGNORECASE)
_REPORT = re.compile(r"^\s*(?:Rapports?|Reports?)\s*[-–—:]", re.IGNORECASE)
_WEB_LINK_LEAD = re.compile(r"(?:Cet article est paru dans|This article appeared in|Dieser Artikel erschien in)",
                            re.IGNORECASE)
_CREDIT_LINE = re.compile(r"^(?:Illustration\(s\)|Note\(s\)|Photo\(s\))\s*:", re.IGNORECASE)
_WEEKDAY_WORD = re.compile(r"(?i)\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|"
                           r"thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|"
                           r"sonntag)\b")
_TRAILING_PUNCTUATION = re.compile(r"[\s,;]+$")
_URL = re.compile(r"https?://\S+")
_BLOCK_TAGS = {"p", "div", "br", "table", "tr", "td", "section", "article", "header", "footer", "aside", "li", "h1",
               "h2", "h3", "h4", "ul", "ol", "blockquote"}


def read(path: Path) -> Export:
    """Read a Europresse HTML export; raise ValueError only when no document at all can be found."""
    path = Path(path)
    data = path.read_bytes()
    text, encoding = decode(data)
    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as exc:
        raise ValueError(f"{path}: not readable as HTML ({exc}); expected a Europresse HTML export") from exc
    containers = _containers(root)
    if not containers:
        raise ValueError(
            f"{path}: no Europresse document found (expected <article> elements or cells holding "
            "span.DocPublicationName); is this really a Europresse export saved as HTML?"
        )
    export = Export(announced=len(containers), encoding=encoding)
    for index, (layout, element) in enumerate(containers, start=1):
        position = where(index, len(containers))
        raw = _raw_text(element)
        try:
            _read_one(export, layout, element, position, raw)
        except Exception as exc:  # one damaged document must not lose the others
            export.rejects.append(reject(position, "unreadable", f"{WHAT}: {type(exc).__name__}: {exc}", raw))
    return finish(export, path, WHAT)


def _containers(root: etree._Element) -> list[tuple[str, etree._Element]]:
    """Return (layout, element) for each document: <article> elements, else the cells of the 2012 table layout."""
    articles = root.xpath("//article")
    if articles:
        modern = any(_first(a, "rdp__DocPublicationName") is not None or _first(a, "rdp__articletitle") is not None
                     for a in articles)
        return [("rdp" if modern else "article", a) for a in articles]
    cells: list[etree._Element] = []
    for span in _all(root, "DocPublicationName"):
        parent = span.getparent()
        if parent is not None and parent not in cells:
            cells.append(parent)
    return [("table", c) for c in cells]


# ------------------------------------------------------------------------------------------------------------------
# Class look-ups (Europresse mixes "TitreArticleVisu" and "titreArticleVisu")


def _has_class(element: etree._Element, name: str) -> bool:
    classes = (element.get("class") or "").lower().split()
    return name.lower() in classes


def _all(element: etree._Element, name: str) -> list[etree._Element]:
    low = name.lower()
    return [
        e
        for e in element.iter()
        if isinstance(e.tag, str) and low in (e.get("class") or "").lower().split()
    ]


def _first(element: etree._Element, name: str) -> etree._Element | None:
    found = _all(element, name)
    return found[0] if found else None


def _first_of(element: etree._Element, *names: str) -> etree._Element | None:
    """Return the first element carrying the first class name that is present (lxml elements are falsy when empty,
    so `a or b` cannot be used)."""
    for name in names:
        found = _first(element, name)
        if found is not None:
            return found
    return None


def _text(element: etree._Element | None) -> str | None:
    return squash(element.text_content()) if element is not None else None


def _raw_text(element: etree._Element) -> str:
    return "\n".join(line for line in (squash(x) for x in _lines(element)) if line)


def _lines(element: etree._Element) -> list[str]:
    """Return the element's text as lines, breaking at <br> and block elements (for loose-text layouts)."""
    lines: list[str] = [""]

    def walk(node: etree._Element) -> None:
        if not isinstance(node.tag, str):  # comments, processing instructions
            if node.tail:
                lines[-1] += node.tail
            return
        tag = node.tag.lower()
        if tag in ("script", "style"):
            if node.tail:
                lines[-1] += node.tail
            return
        block = tag in _BLOCK_TAGS
        if block:
            lines.append("")
        if node.text:
            lines[-1] += node.text
        for child in node:
            walk(child)
        if block:
            lines.append("")
        if node.tail:
            lines[-1] += node.tail

    walk(element)
    return lines


# ------------------------------------------------------------------------------------------------------------------
# One document


def _read_one(export: Export, layout: str, element: etree._Element, position: str, raw: str) -> None:
    kind = _non_press_kind(element)
    if kind:
        export.non_press.append(non_press(position, kind[0], kind[1], raw))
        return
    fields = _read_table(element) if layout == "table" else _read_article(element)
    header = _header(fields.pop("header", None))
    doc_id = fields.get("document_id")
    # No fall-back on the date inside the document number: it can be the load date (news·20100903·… for a story
    # of 3 October 2012 in the sample), so a document without a header date is rejected, not guessed.
    published = header.get("published")
    article = new_article(
        title=fields.get("title"),
        subtitle=fields.get("subtitle"),
        text=fields.get("text"),
        published=published,
        source=fields.get("source"),
        author=fields.get("author"),
        section=fields.get("section") or header.get("section") or fields.get("bare_section"),
        page=header.get("page"),
        edition=None,
        word_count=header.get("word_count"),
        document_id=doc_id,
        language=None,  # Europresse does not declare the language of a document
        url=fields.get("url"),
        position=position,
    )
    admit(export, article, raw, WHAT)


def _non_press_kind(element: etree._Element) -> tuple[str, str] | None:
    if _first(element, "link-not-hosted") is not None:
        return "link-only", "Europresse lists this item as a link (p.link-not-hosted): no text is hosted"
    for name in ("twitter", "tweet", "socialNetworkPost"):
        if _first(element, name) is not None:
            return "social", f"a social-network post (.{name}), not a press article"
    publication = _text(_first(element, "DocPublicationName")) or ""
    if _REPORT.match(publication):
        return "report", f"a report, not a press article (publication {publication!r})"
    return None


def _clean_source(value: str | None) -> str | None:
    value = squash(value)
    return squash(_ISSUE.sub("", value)) if value else None


def _doc_id(element: etree._Element) -> str | None:
    # The "Numéro de document" line names the document; the PubliC certificate may carry a later re-issue number.
    for line in _lines(element):
        match = _DOC_ID_LINE.search(line)
        if match:
            return match.group(1)
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        if node.get("id") == "PubliC_lblNodoc" or _has_class(node, "publiC-lblNodoc"):
            value = _text(node)
            if value:
                return value
    match = _DOC_ID.search(" ".join(_lines(element)))
    return match.group(1) if match else None


def _header(value: str | None) -> dict[str, str | None]:
    """Split a DocHeader ('Éditorial, jeudi 4 octobre 2012, p. 03', 'France, mercredi 11 septembre 2024 134 mots,
    p. 11', 'December 24, 2000') into section, date, word count and page."""
    value = squash(value) or ""
    out: dict[str, str | None] = {}
    if not value:
        return out
    found = find_date(value)
    if found:
        out["published"] = f"{found.date}T{found.time}" if found.time else found.date
        before = value[: found.start]
        after = value[found.end :]
        section = _TRAILING_PUNCTUATION.sub("", _WEEKDAY_WORD.sub("", before)).strip(" ,;")
        out["section"] = section or None
    else:
        after = value
    words = _WORDS.search(after)
    if words:
        out["word_count"] = word_count(words.group(0))
    page = _PAGE.search(after)
    if page:
        out["page"] = page.group(1).replace(" ", "")
    return out


def _body_paragraphs(container: etree._Element) -> list[str]:
    paragraphs = []
    blocks = container.xpath(".//p") or [container]
    for block in blocks:
        for line in re.split(r"\n{2,}", "\n".join(_lines(block))):
            line = squash(line)
            if line and not is_copyright(line):
                paragraphs.append(line)
    return paragraphs


def _read_article(element: etree._Element) -> dict[str, str | None]:
    """Read the 2015 and 2019+ <article> layouts."""
    header = element.find(".//header")
    header = header if header is not None else element
    names = [n for n in (_text(e) for e in _all(element, "DocPublicationName")) if n]
    title_box = _first(element, "titreArticle")
    title_el = _first_of(element, "rdp__articletitle", "titreArticleVisu")
    title = _text(title_el) or _text(_first(element, "grandTitre"))
    subtitle = _text(_first(element, "rdp__subtitle"))
    if not subtitle and title_box is not None:
        # a kicker printed above the headline inside div.titreArticle (e.g. "TRIBUNES")
        kickers = [_text(p) for p in title_box.iter("p") if p is not title_el and not _has_class(p, "titreArticleVisu")]
        subtitle = "; ".join(k for k in kickers if k) or None
    author = _text(_first(element, "docAuthors"))
    if not author:
        bylines = _all(element, "sm-margin-bottomNews")
        author = _text(bylines[-1]) if bylines else None
    if not author and title_box is not None:
        author = _bare_author(title_box)
    section = _text(_first(element, "DocTitreSousSection"))
    body = _first_of(element, "docOcurrContainer", "DocText")
    if body is None:
        section_el = element.find(".//section")
        body = section_el if section_el is not None else None
    paragraphs = _body_paragraphs(body) if body is not None else []
    return {
        "source": _clean_source(names[0]) if names else None,
        "header": " ".join(t for t in (_text(e) for e in _all(element, "DocHeader")) if t),
        "title": title,
        "subtitle": subtitle,
        "author": clean_author(author),
        "section": section,
        "bare_section": _bare_section(header),
        "text": join_paragraphs(paragraphs),
        "document_id": _doc_id(element),
        "url": _web_link(element),
    }


def _bare_author(title_box: etree._Element) -> str | None:
    """The 2015 layout writes the author as a plain <div> right after div.titreArticle."""
    sibling = title_box.getnext()
    while sibling is not None:
        if isinstance(sibling.tag, str) and sibling.tag.lower() == "div" and not sibling.get("class"):
            value = _text(sibling)
            if value and len(value) <= 120:
                return value
        sibling = sibling.getnext()
    return None


def _bare_section(header: etree._Element) -> str | None:
    """The 2015 layout repeats the rubric as a bare <div><p>MEDIAS</p></div> between DocHeader and the title."""
    for div in header.iterchildren("div"):
        if div.get("class"):
            continue
        if _first(div, "DocHeader") is not None or _first(div, "DocPublicationName") is not None:
            continue
        paragraphs = div.findall("p")
        if len(paragraphs) == 1:
            return _text(paragraphs[0])
        break
    return None


def _web_link(element: etree._Element) -> str | None:
    for anchor in element.iter("a"):
        href = anchor.get("href") or ""
        if not href.startswith("http"):
            continue
        context = " ".join(filter(None, [_text(anchor.getparent()), anchor.getparent().text]))
        if _WEB_LINK_LEAD.search(context or "") or _has_class(anchor.getparent(), "Doc-UrlRef"):
            return href
    ref = _first(element, "Doc-UrlRef")
    if ref is not None:
        match = _URL.search(ref.text_content())
        if match:
            return match.group(0)
    return None


def _read_table(cell: etree._Element) -> dict[str, str | None]:
    """Read the 2012 layout: header spans, then loose text lines until the copyright and document number."""
    names = [n for n in (_text(e) for e in _all(cell, "DocPublicationName")) if n]
    header = "".join(e.text_content() for e in _all(cell, "DocHeader"))
    title_el = _first(cell, "TitreArticleVisu")
    title = _text(title_el)
    subtitle = None
    author = None
    paragraphs: list[str] = []
    if title_el is not None:
        before, after = _split_around(cell, title_el)
        subtitle = "; ".join(line for line in before if line) or None
        segments = _segments(after)
        if segments and _looks_like_byline(segments[0]):
            author = segments.pop(0)[0]
        for segment in segments:
            text = " ".join(segment)
            if _DOC_ID_LINE.search(text):
                break
            if is_copyright(text) or _CREDIT_LINE.match(text):
                continue
            paragraphs.append(text)
    return {
        "source": _clean_source(names[0]) if names else None,
        "header": header,
        "title": title,
        "subtitle": subtitle,
        "author": clean_author(author),
        "text": join_paragraphs(paragraphs),
        "document_id": _doc_id(cell),
        "url": None,
    }


def _split_around(cell: etree._Element, title_el: etree._Element) -> tuple[list[str], list[tuple[str, str]]]:
    """Return the loose lines between the header and the title, and the (text, break) pieces after the title.

    A piece's break is 'p' when a <p> follows it and 'br' when a <br> does: the byline ends with <br>, paragraphs
    with <p>. Reading stops at the certificate table that closes each document.
    """
    events: list[tuple[str, str]] = []

    def walk(node: etree._Element) -> bool:  # False once the closing table is reached
        if not isinstance(node.tag, str):
            if node.tail:
                events.append(("text", node.tail))
            return True
        tag = node.tag.lower()
        if node is title_el:
            events.append(("title", ""))
        elif _has_class(node, "DocHeader") or _has_class(node, "DocPublicationName"):
            events.append(("header", ""))
        elif tag == "table" and node is not cell:
            if any(kind == "title" for kind, _ in events):
                return False
        elif tag in ("script", "style", "img"):
            pass
        else:
            if tag in ("br", "p"):
                events.append((tag, ""))
            if node.text:
                events.append(("text", node.text))
            for child in node:
                if not walk(child):
                    return False
            if tag == "p":
                events.append(("p", ""))
        if node.tail:
            events.append(("text", node.tail))
        return True

    for child in cell:
        if not walk(child):
            break
    before: list[str] = []
    after: list[tuple[str, str]] = []
    state = "start"
    current: list[str] = []
    for kind, value in events:
        if kind == "header":
            state, current = "before", []
        elif kind == "title":
            if state == "before" and squash("".join(current)):
                before.append(squash("".join(current)))
            state, current = "after", []
        elif kind == "text":
            current.append(value)
        elif kind in ("br", "p"):
            text = squash("".join(current)) or ""
            current = []
            if state == "before" and text:
                before.append(text)
            elif state == "after":
                after.append((text, kind))
    if state == "after" and squash("".join(current)):
        after.append((squash("".join(current)), "p"))
    return before, after


def _segments(pieces: list[tuple[str, str]]) -> list[list[str]]:
    """Group pieces into paragraphs: a paragraph ends at a <p> (a <br> only breaks a line)."""
    segments: list[list[str]] = []
    current: list[str] = []
    for text, kind in pieces:
        if text:
            current.append(text)
        if kind == "p" and current:
            segments.append(current)
            current = []
    if current:
        segments.append(current)
    return segments


def _looks_like_byline(segment: list[str]) -> bool:
    """A byline is one short line without sentence punctuation, ended by a <br> rather than a paragraph."""
    if len(segment) != 1:
        return False
    line = segment[0]
    ends_sentence = line.rstrip().endswith((".", "!", "?", ":", "»", '"'))
    return len(line.split()) <= 8 and not ends_sentence and not is_copyright(line)
