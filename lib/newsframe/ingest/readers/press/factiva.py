"""Factiva exports: HTML (two displays), the retired XML, RTF, the RTF flattened to text, and PDF.

Factiva has two ways of showing a document, and every export format repeats one of them:

* "Full Article/Report plus Indexing": a two-column table of field codes (HD headline, SE section, BY byline,
  WC words, PD date, ET time, SN source, SC source code, ED edition, PG page, LA language, CY copyright, LP lead
  paragraphs, TD text, CO/IN/NS/RE indexing, AN accession number). HTML puts it in `<table>` rows with
  `td.index`; RTF in `\\trowd … \\cell … \\row` rows; the flattened text keeps each code on its own line.
* "Article": no labels. HTML shows `div.article > div.enArticle` (the two letters are the interface language) with
  unlabelled `<div>`s in a fixed but sparse order — section, `div#hd` headline, `div.author`, credit, "808 words",
  date, time, source, source code, edition, page, language, copyright — then `p.articleParagraph` body paragraphs,
  unclassed `<p>`s (publisher, captions, reference) and "Document <AN>". PDF prints the same lines. The lines are
  therefore recognised by what they look like (a word count, a date with a month name, a clock time, a language
  name, a copyright), and by where they sit relative to the headline and the word count, never by their index: a
  field absent from one story shifts all the others.

Labels, month names and language names follow the *interface* language ("877 Wörter", "9 Januar 1993",
"Englisch", "Dokument …"), so all of them are read in English, French, German, Spanish, Dutch and Italian.
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from newsframe.ingest.readers.press import sniff
from newsframe.ingest.readers.press.common import (
    Export,
    admit,
    clean_author,
    combine,
    date_line,
    decode,
    digits_only,
    find_date,
    finish,
    is_copyright,
    is_language,
    is_page,
    is_time,
    is_word_count,
    join_paragraphs,
    language_code,
    new_article,
    parse_date,
    parse_time,
    reject,
    squash,
    where,
    word_count,
)

__all__ = [
    "CODES", "join_pages", "pdf_pages", "read", "read_html", "read_pdf", "read_rtf", "read_txt", "read_xml",
    "rtf_rows",
]

_AN_LINE = re.compile(r"^\s*(?:Document|Dokument|Documento|Documenten|Documents?)\s+([A-Za-z0-9]{15,})\s*$")
_AN_VALUE = re.compile(r"^\s*(?:(?:Document|Dokument|Documento|Documenten)\s+)?([A-Za-z0-9]{10,})\s*$")
_SOURCE_CODE = re.compile(r"^[A-Z0-9]{2,10}$")
_VOLUME = re.compile(r"^(?:\d+\s*/\s*\d{4}|\d+\s+\d{4}|(?:vol|volume|issue|no|nr|heft|ausgabe)\b.*|ISSN\b.*)$",
                     re.IGNORECASE)
_COUNTED = re.compile(r"^\s*\d{1,5}\)\s+")
_FOOTER = re.compile(
    r"(?:Page|Seite|Página|Pagina|Page)\s*\d+\s*(?:of|von|de|di|sur|van)\s*\d+\s*©\s*\d{4}\s*Factiva,?\s*Inc\.?"
    r"\s*(?:All\s*rights\s*reserved|Alle\s*Rechte\s*vorbehalten|Tous\s*droits\s*réservés|Todos\s*los\s*derechos"
    r"\s*reservados)?\.?",
    re.IGNORECASE,
)
_INNER_CLASS = re.compile(r"[a-z]{2}Article")
_ANSICPG = re.compile(r"\\ansicpg(\d+)")
_BY = re.compile(r"^(?:by|von|par|door|por)\s", re.IGNORECASE)
_SENTENCE_END = (".", "!", "?", ":", '"', "'", "”", "’", ")", "»", ";")

# Field codes seen in Factiva displays; the ones that matter are mapped, the rest (indexing) are recognised only so
# that a code line is never read as text.
CODES = {
    "HD", "SE", "BY", "CR", "WC", "PD", "ET", "SN", "SC", "ED", "PG", "VOL", "LA", "CY", "LP", "TD", "CT", "RF",
    "ART", "CO", "IN", "NS", "RE", "IPC", "IPD", "PUB", "AN", "NGC", "GC", "CLM", "DE", "ACC", "CX", "LK", "URL",
}  # fmt: skip
_BODY_CODES = ("LP", "TD")


def read(path: Path) -> Export:
    """Read any Factiva export, recognised by its content."""
    path = Path(path)
    kind = sniff.detect_path(path)
    readers = {
        "factiva-html": read_html,
        "factiva-xml": read_xml,
        "factiva-rtf": read_rtf,
        "factiva-txt": read_txt,
        "factiva-pdf": read_pdf,
    }
    if kind not in readers:
        raise ValueError(
            f"{path}: not recognised as a Factiva export (found {kind or 'no known export'}); expected Factiva HTML, "
            "XML, RTF, its text flattening, or PDF"
        )
    return readers[kind](path)


# ------------------------------------------------------------------------------------------------------------------
# Field-code records (HTML indexing table, RTF, flattened text)


def _from_codes(fields: list[tuple[str, list[str]]], position: str) -> dict:
    """Build an article from (code, paragraphs) pairs in file order."""
    values: dict[str, list[str]] = {}
    for code, paragraphs in fields:
        values.setdefault(code, []).extend(paragraphs)

    def one(code: str) -> str | None:
        return squash(" ".join(values.get(code, []))) if code in values else None

    body = [p for code in _BODY_CODES for p in values.get(code, []) if not is_copyright(squash(p) or "")]
    date = find_date(one("PD") or "")
    time = date.time if date and date.time else parse_time(one("ET"))
    an = one("AN")
    an_match = _AN_VALUE.match(an or "")
    return new_article(
        title=_strip_counter(one("HD")),
        text=join_paragraphs(body),
        published=combine(date.date, time) if date else None,
        source=one("SN"),
        author=clean_author(one("BY")),
        section=one("SE"),
        page=one("PG"),
        edition=one("ED"),
        word_count=word_count(one("WC")) or digits_only(one("WC")),
        document_id=an_match.group(1) if an_match else an,
        language=language_code(one("LA")),
        url=one("URL") or one("LK"),
        position=position,
    )


def _split_records(pairs: list[tuple[str, list[str]]]) -> list[list[tuple[str, list[str]]]]:
    """Cut a run of (code, value) pairs into articles: AN closes one, a second HD opens the next."""
    records: list[list[tuple[str, list[str]]]] = []
    current: list[tuple[str, list[str]]] = []
    for code, value in pairs:
        if code == "HD" and any(c == "HD" for c, _ in current):
            records.append(current)
            current = []
        current.append((code, value))
        if code == "AN":
            records.append(current)
            current = []
    if any(c in ("HD", "LP", "TD") for c, _ in current):
        records.append(current)
    return records


def _records_export(records: list[list[tuple[str, list[str]]]], encoding: str, path: Path, what: str,
                    announced: int | None) -> Export:
    export = Export(announced=announced, encoding=encoding)
    total = announced or len(records)
    for index, record in enumerate(records, start=1):
        position = where(index, total)
        raw = "\n".join(f"{code} {' / '.join(value)}" for code, value in record)
        try:
            admit(export, _from_codes(record, position), raw, what)
        except Exception as exc:  # a malformed record becomes a reject, never an exception
            export.rejects.append(reject(position, "unreadable", f"{what}: {type(exc).__name__}: {exc}", raw))
    return finish(export, path, what)


def _announced_by_an(records: list[list[tuple[str, list[str]]]]) -> int | None:
    count = sum(1 for record in records for code, _ in record if code == "AN")
    return count or None


# ------------------------------------------------------------------------------------------------------------------
# HTML


def read_html(path: Path) -> Export:
    """Read a Factiva HTML page in either display."""
    path = Path(path)
    what = "Factiva HTML"
    text, encoding = decode(path.read_bytes())
    root = lxml.html.document_fromstring(text.replace("\r\n", "\n"))
    containers = root.xpath("//div[starts-with(@id, 'article-')]")
    if not containers:
        containers = [d for d in root.iter("div") if _inner_class(d)]
    if not containers:
        raise ValueError(f"{path}: no Factiva article found (expected div.article blocks); is this a Factiva page?")
    export = Export(announced=len(containers), encoding=encoding)
    for index, container in enumerate(containers, start=1):
        position = where(index, len(containers))
        raw = squash(container.text_content()) or ""
        try:
            if container.xpath(".//td[contains(concat(' ', normalize-space(@class), ' '), ' index ')]"):
                article = _from_codes(_table_codes(container), position)
            else:
                article = _from_display(container, position)
            admit(export, article, raw, what)
        except Exception as exc:
            export.rejects.append(reject(position, "unreadable", f"{what}: {type(exc).__name__}: {exc}", raw))
    return finish(export, path, what)


def _inner_class(div: etree._Element) -> bool:
    return any(_INNER_CLASS.fullmatch(c) for c in (div.get("class") or "").split())


def _table_codes(container: etree._Element) -> list[tuple[str, list[str]]]:
    pairs = []
    for row in container.iter("tr"):
        cells = [c for c in row if isinstance(c.tag, str) and c.tag == "td"]
        if len(cells) < 2 or "index" not in (cells[0].get("class") or "").split():
            continue
        code = squash(cells[0].text_content()) or ""
        paragraphs = [squash(p.text_content()) for p in cells[1].iter("p")]
        paragraphs = [p for p in paragraphs if p] or [squash(cells[1].text_content()) or ""]
        pairs.append((code.upper(), paragraphs))
    return pairs


def _from_display(container: etree._Element, position: str) -> dict:
    """Read the unlabelled 'Article' display."""
    inner = next((d for d in container.iter("div") if _inner_class(d)), container)
    items: list[tuple[str, str]] = []
    body: list[str] = []
    trailing: list[str] = []
    title = None
    for child in inner:
        if not isinstance(child.tag, str):
            continue
        classes = (child.get("class") or "").split()
        text = squash(child.text_content())
        if child.tag == "div":
            if child.get("id") == "hd" or child.xpath(".//span[contains(@class, 'Headline')]"):
                title = _headline(child)
                items.append(("hd", title or ""))
            elif text:
                items.append(("author" if "author" in classes else "line", text))
        elif child.tag == "p" and any(c.endswith("articleParagraph") for c in classes):
            if text:
                body.append(text)
        elif child.tag == "p" and text:
            trailing.append(text)
    fields = _classify_header(items)
    doc_id = next((m.group(1) for m in map(_AN_LINE.match, trailing) if m), None)
    if not doc_id:
        doc_id = (container.get("id") or "").removeprefix("article-") or None
    body = [p for p in body if not is_copyright(p)]
    return new_article(
        title=title,
        text=join_paragraphs(body),
        position=position,
        document_id=doc_id,
        **fields,
    )


def _headline(div: etree._Element) -> str | None:
    span = next(iter(div.xpath(".//span[contains(@class, 'Headline')]")), None)
    text = squash((span if span is not None else div).text_content())
    if span is not None and "counted" in (span.get("class") or "").split():
        text = _strip_counter(text)  # Factiva numbers the headlines of a "counted" selection: "12) …"
    return text


def _strip_counter(text: str | None) -> str | None:
    return squash(_COUNTED.sub("", text)) if text else text


def _classify_header(items: list[tuple[str, str]]) -> dict[str, str | None]:
    """Name the unlabelled header lines of the 'Article' display (HTML divs or PDF lines) by their look and place.

    Before the headline: the section. Between the headline and the word count or date: byline and credit. After
    them: date, time, source, source code, then edition/page/volume in any order, language, copyright.
    """
    out: dict[str, str | None] = dict.fromkeys(
        ("published", "source", "author", "section", "page", "edition", "word_count", "language")
    )
    seen_headline = not any(kind == "hd" for kind, _ in items)
    state = "byline"
    date = time = source_code = None
    sections: list[str] = []
    for kind, text in items:
        if kind == "hd":
            seen_headline = True
            continue
        if not seen_headline:
            sections.append(text)
            continue
        if kind == "author":
            out["author"] = clean_author(text)
            continue
        if is_word_count(text) and not out["word_count"]:
            out["word_count"] = word_count(text)
            state = "meta"
        elif date is None and (found := date_line(text)) and not found[1]:
            date = found[0]
            state = "meta"
        elif is_time(text) and time is None and state == "meta":
            time = parse_time(text)
        elif state == "byline":
            continue  # a credit such as "Special to The New York Times"
        elif is_copyright(text):
            state = "done"
        elif state == "done":
            continue
        elif out["source"] is None:
            out["source"] = text
        elif source_code is None and _SOURCE_CODE.match(text):
            source_code = text
        elif is_language(text) and out["language"] is None:
            out["language"] = language_code(text)
        elif _VOLUME.match(text):
            continue  # issue or volume ("13/2017", "0 2017", "ISSN …"), not a page
        elif is_page(text) and out["page"] is None:
            out["page"] = text.replace(" ", "")
        elif out["edition"] is None:
            out["edition"] = text
    out["section"] = "; ".join(sections) or None
    if date and time and "T" not in date:
        date = f"{date}T{time}"
    out["published"] = date
    return out


# ------------------------------------------------------------------------------------------------------------------
# XML


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def read_xml(path: Path) -> Export:
    """Read the retired Factiva XML export (PPSResponse / ppsarticle / article)."""
    path = Path(path)
    what = "Factiva XML"
    data = path.read_bytes()
    text, encoding = decode(data)
    parser = etree.XMLParser(recover=True, huge_tree=True, resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(text.lstrip("\ufeff").encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"{path}: not well-formed XML ({exc}); expected a Factiva XML export") from exc
    if root is None:
        raise ValueError(f"{path}: empty XML; expected a Factiva XML export")
    articles = [e for e in root.iter() if _local(e.tag) == "article"]
    announced = None
    for element in root.iter():
        if _local(element.tag) == "ppsarticleResultSet" and (element.get("count") or "").isdigit():
            announced = int(element.get("count"))
    if not articles and announced is None:
        raise ValueError(f"{path}: no <article> element found; expected a Factiva XML export")
    export = Export(announced=announced if announced is not None else len(articles), encoding=encoding)
    total = export.announced or len(articles)
    for index, element in enumerate(articles, start=1):
        position = where(index, total)
        raw = squash(" ".join(element.itertext())) or ""
        try:
            admit(export, _xml_article(element, position), raw, what)
        except Exception as exc:
            export.rejects.append(reject(position, "unreadable", f"{what}: {type(exc).__name__}: {exc}", raw))
    return finish(export, path, what)


def _children(element: etree._Element, *names: str) -> list[etree._Element]:
    return [c for c in element if _local(c.tag) in names]


def _xml_text(element: etree._Element, *names: str) -> str | None:
    found = _children(element, *names)
    return squash(" ".join(" ".join(e.itertext()) for e in found)) if found else None


def _xml_paragraphs(element: etree._Element, *names: str) -> list[str]:
    paragraphs: list[str] = []
    for container in _children(element, *names):
        parts = [c for c in container if _local(c.tag) == "paragraph"]
        if parts:
            paragraphs.extend(squash(" ".join(p.itertext())) or "" for p in parts)
        else:
            paragraphs.extend(_plain_paragraphs("".join(container.itertext())))
    return [p for p in paragraphs if p and not is_copyright(p)]


def _plain_paragraphs(text: str) -> list[str]:
    """Split wire text whose paragraphs start with an indented line (Reuters: four spaces) and whose lines wrap."""
    paragraphs: list[str] = []
    current: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if line[:1] in (" ", "\t") and current:
            paragraphs.append(" ".join(current))
            current = []
        current.append(line.strip())
    if current:
        paragraphs.append(" ".join(current))
    return [p for p in (squash(p) for p in paragraphs) if p]


def _xml_article(element: etree._Element, position: str) -> dict:
    date_el = next(iter(_children(element, "publicationDate")), None)
    published = None
    if date_el is not None:
        published = parse_date(_xml_text(date_el, "dateTime", "date") or squash(" ".join(date_el.itertext())))
    time = parse_time(_xml_text(element, "publicationTime"))
    if published and time and "T" not in published:
        published = f"{published}T{time}"
    pages = next(iter(_children(element, "pages")), None)
    page = None
    if pages is not None:
        page = squash(", ".join(p for p in (squash(" ".join(x.itertext())) for x in pages) if p)) or squash(pages.text)
    body = _xml_paragraphs(element, "leadParagraph") + _xml_paragraphs(element, "tailParagraphs", "bodyText")
    return new_article(
        title=_strip_counter(_xml_text(element, "headline", "title")),
        text=join_paragraphs(body),
        published=published,
        source=_xml_text(element, "sourceName"),
        author=clean_author(_xml_text(element, "byline", "author")),
        section=_xml_text(element, "sectionName", "section", "columnName"),
        page=page,
        edition=_xml_text(element, "edition"),
        word_count=digits_only(_xml_text(element, "wordCount")),
        document_id=_xml_text(element, "accessionNo"),
        language=language_code(_xml_text(element, "baseLanguage", "language")),
        url=_xml_text(element, "url", "link"),
        position=position,
    )


# ------------------------------------------------------------------------------------------------------------------
# RTF


_RTF_TOKEN = re.compile(
    r"\\(?P<word>[a-zA-Z]+)(?P<arg>-?\d+)? ?|\\'(?P<hex>[0-9a-fA-F]{2})|\\(?P<symbol>[^a-zA-Z])|(?P<brace>[{}])"
    r"|(?P<newline>\r\n|\n|\r)|(?P<text>[^\\{}\r\n]+)"
)
# Groups whose content is never shown (font and colour tables, document info, pictures, field instructions…).
_RTF_HIDDEN = {
    "fonttbl", "colortbl", "stylesheet", "info", "pict", "fldinst", "header", "footer", "headerl", "headerr",
    "footerl", "footerr", "listtable", "listoverridetable", "rsidtbl", "generator", "xmlnstbl", "themedata",
    "colorschememapping", "latentstyles", "datastore", "expandedcolortbl", "object", "nonshppict", "shppict",
    "bkmkstart", "bkmkend", "mmathPr", "wgrffmtfilter", "pgdsctbl", "revtbl", "filetbl", "footnote",
}  # fmt: skip
_RTF_CHARS = {
    "par": "\n", "line": "\n", "sect": "\n", "page": "\n", "tab": "\t", "emdash": "—", "endash": "–",
    "lquote": "‘", "rquote": "’", "ldblquote": "“", "rdblquote": "”", "bullet": "•", "emspace": " ",
    "enspace": " ", "qmspace": " ",
}  # fmt: skip


def rtf_rows(data: str) -> list[list[str]]:
    """Turn RTF into rows of cell texts; a paragraph outside any table comes as a one-cell row.

    Cocoa (TextEdit) re-saves write a paragraph end as a backslash before the newline, which is handled like \\par.
    """
    codepage = "cp1252"
    match = _ANSICPG.search(data[:2048])
    if match:
        codepage = f"cp{match.group(1)}"
    rows: list[list[str]] = []
    cells: list[str] = []
    buffer: list[str] = []
    stack: list[tuple[bool, int]] = []
    hidden = False
    skip_unicode = 1
    pending_skip = 0
    in_table = False
    group_start = False

    def flush_free() -> None:
        text = "".join(buffer)
        buffer.clear()
        if text.strip():
            rows.append([text])

    for token in _RTF_TOKEN.finditer(data):
        kind = "word" if token.group("word") else token.lastgroup  # lastgroup says "arg" for "\u8364"
        if kind == "brace":
            if token.group("brace") == "{":
                stack.append((hidden, skip_unicode))
                group_start = True
            else:
                hidden, skip_unicode = stack.pop() if stack else (False, 1)
                group_start = False
            continue
        if kind == "newline":
            continue
        starts_group, group_start = group_start, False
        if pending_skip and kind in ("text", "hex", "symbol"):
            if kind == "text":
                text = token.group("text")
                if len(text) <= pending_skip:
                    pending_skip -= len(text)
                    continue
                token_text, pending_skip = text[pending_skip:], 0
                if not hidden:
                    buffer.append(token_text)
                continue
            pending_skip -= 1
            continue
        if kind == "word":
            word, arg = token.group("word"), token.group("arg")
            if word in _RTF_HIDDEN and starts_group or word in _RTF_HIDDEN and word in ("fldinst", "pict"):
                hidden = True
            elif word == "uc":
                skip_unicode = int(arg or 1)
            elif word == "u" and not hidden:
                value = int(arg or 0)
                buffer.append(chr(value + 65536 if value < 0 else value))
                pending_skip = skip_unicode
            elif hidden:
                continue
            elif word == "intbl":
                in_table = True
            elif word == "pard":
                in_table = False
            elif word == "cell":
                cells.append("".join(buffer))
                buffer.clear()
            elif word == "row":
                if cells:
                    rows.append(cells)
                cells = []
                buffer.clear()
            elif word in ("par", "page", "sect") and not in_table:
                flush_free()
            elif word in _RTF_CHARS:
                buffer.append(_RTF_CHARS[word])
        elif hidden:
            continue
        elif kind == "symbol":
            symbol = token.group("symbol")
            if symbol == "*":
                hidden = True  # an ignorable destination this reader does not know
            elif symbol in ("\n", "\r"):
                if in_table:
                    buffer.append("\n")
                else:
                    flush_free()
            elif symbol == "~":
                buffer.append("\u00a0")
            elif symbol == "_":
                buffer.append("-")
            elif symbol in "\\{}":
                buffer.append(symbol)
        elif kind == "hex":
            buffer.append(bytes([int(token.group("hex"), 16)]).decode(codepage, errors="replace"))
        elif kind == "text":
            buffer.append(token.group("text"))
    flush_free()
    return rows


def _cell_paragraphs(cell: str) -> list[str]:
    return [p for p in (squash(x) for x in re.split(r"\n\s*\n|\n", cell)) if p]


def read_rtf(path: Path) -> Export:
    """Read a Factiva RTF export (the two-column field-code table)."""
    path = Path(path)
    what = "Factiva RTF"
    data = path.read_bytes()
    text = data.decode("latin-1")  # RTF is 7-bit; 8-bit escapes are decoded with the declared code page
    rows = rtf_rows(text)
    pairs = []
    for row in rows:
        if len(row) >= 2:
            code = (squash(row[0]) or "").upper()
            if code in CODES:
                value = "\n".join(row[1:])
                paragraphs = _body_split(value) if code in _BODY_CODES else [squash(value) or ""]
                pairs.append((code, paragraphs))
    if not pairs:
        lines = "\n".join(cell for row in rows for cell in row)
        pairs = _text_codes(lines)
    if not pairs:
        raise ValueError(f"{path}: no Factiva field codes (HD, PD, SN, AN…) found; expected a Factiva RTF export")
    records = _split_records(pairs)
    return _records_export(records, "cp1252" if "ansicpg1252" in text[:2048] else "ascii", path, what,
                           _announced_by_an(records))


def _body_split(value: str) -> list[str]:
    """Split a body cell into paragraphs at blank lines (single newlines are line wraps in the flattened text)."""
    parts = re.split(r"\n[ \t]*\n", value.replace("\r\n", "\n"))
    return [p for p in (squash(part) for part in parts) if p]


# ------------------------------------------------------------------------------------------------------------------
# Flattened text (the RTF saved as plain text)

_CODE_LINE = re.compile(r"^[ \t]*([A-Z]{2,4})[ \t]*$")


def _text_codes(text: str) -> list[tuple[str, list[str]]]:
    """Read 'CODE' lines followed by their value lines.

    A line such as "PR" or "TOI" is a value, not a code, when it comes right after a code still waiting for its value.
    """
    pairs: list[tuple[str, list[str]]] = []
    code: str | None = None
    lines: list[str] = []

    def close() -> None:
        if code is not None:
            value = "\n".join(lines)
            pairs.append((code, _body_split(value) if code in _BODY_CODES else [squash(value) or ""]))

    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        match = _CODE_LINE.match(line)
        if match and match.group(1) in CODES and (code is None or any(x.strip() for x in lines)):
            close()
            code, lines = match.group(1), []
            continue
        if code is not None:
            lines.append(line)
    close()
    return pairs


def read_txt(path: Path) -> Export:
    """Read a Factiva RTF export flattened to plain text (each field code on its own line)."""
    path = Path(path)
    what = "Factiva text"
    text, encoding = decode(path.read_bytes())
    pairs = _text_codes(text)
    if not pairs:
        raise ValueError(f"{path}: no Factiva field-code lines (HD, PD, SN, AN…) found; expected Factiva text")
    records = _split_records(pairs)
    return _records_export(records, encoding, path, what, _announced_by_an(records))


# ------------------------------------------------------------------------------------------------------------------
# PDF


def pdf_pages(path: Path) -> list[str]:
    """Return the text of each page (pdfminer.six keeps word spaces and paragraph gaps that pypdf loses)."""
    try:
        from pdfminer.high_level import extract_text
    except ImportError as exc:  # optional dependency
        raise ValueError(f"{path}: reading Factiva PDF needs pdfminer.six (pip install pdfminer.six)") from exc
    try:
        text = extract_text(str(path))
    except Exception as exc:
        raise ValueError(f"{path}: the PDF could not be read ({type(exc).__name__}: {exc})") from exc
    return text.split("\x0c")


def join_pages(pages: list[str]) -> str:
    """Remove Factiva's running footer and rejoin a paragraph cut by the page break it sat in."""
    text = ""
    for page in pages:
        page = _FOOTER.sub("", page).strip("\n")
        if not page.strip():
            continue
        if not text:
            text = page
            continue
        last = text.rstrip()
        first = page.lstrip()
        if last and not last.endswith(_SENTENCE_END) and first[:1].islower():
            text = last + " " + first  # the sentence runs on across the page break
        else:
            text = last + "\n\n" + first
    return text


def read_pdf(path: Path) -> Export:
    """Read a Factiva PDF export: per article, headline, header lines, body, 'Document <AN>'; a search summary may
    follow the last article and is ignored."""
    path = Path(path)
    what = "Factiva PDF"
    text = join_pages(pdf_pages(path))
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    records: list[list[str]] = []
    current: list[str] = []
    for paragraph in paragraphs:
        current.append(paragraph)
        if any(_AN_LINE.match(line) for line in paragraph.split("\n")):
            records.append(current)
            current = []
    if not records:
        raise ValueError(f"{path}: no 'Document <accession number>' line found; expected a Factiva PDF export")
    export = Export(announced=len(records), encoding="pdf")
    for index, record in enumerate(records, start=1):
        position = where(index, len(records))
        raw = "\n\n".join(record)
        try:
            admit(export, _pdf_article(record, position), raw, what)
        except Exception as exc:
            export.rejects.append(reject(position, "unreadable", f"{what}: {type(exc).__name__}: {exc}", raw))
    return finish(export, path, what)


def _pdf_article(record: list[str], position: str) -> dict:
    lines_of = [[squash(x) or "" for x in p.split("\n") if x.strip()] for p in record]
    wc_at = next((i for i, lines in enumerate(lines_of) if any(is_word_count(x) for x in lines)), None)
    if wc_at is None:
        raise ValueError("no word-count line ('581 words') found to anchor the header")
    before = lines_of[:wc_at]
    header_block = lines_of[wc_at]
    cut = next(i for i, x in enumerate(header_block) if is_word_count(x))
    items: list[tuple[str, str]] = []
    authors = [x for x in header_block[:cut]]
    pre = [" ".join(lines) for lines in before]
    while pre and _BY.match(pre[-1]):
        authors.insert(0, pre.pop())
    title = pre.pop() if pre else None
    items.extend(("line", s) for s in pre)
    items.append(("hd", title or ""))
    items.extend(("author", a) for a in authors[:1])
    items.extend(("line", x) for x in header_block[cut:])
    fields = _classify_header(items)
    body: list[str] = []
    doc_id = None
    for lines in lines_of[wc_at + 1 :]:
        match = next((m for m in map(_AN_LINE.match, lines) if m), None)
        if match:
            doc_id = match.group(1)
            rest = [x for x in lines if not _AN_LINE.match(x)]
            if rest:
                body.append(" ".join(rest))
            break
        paragraph = " ".join(lines)
        if not is_copyright(paragraph):
            body.append(paragraph)
    return new_article(title=title, text=join_paragraphs(body), document_id=doc_id, position=position, **fields)
