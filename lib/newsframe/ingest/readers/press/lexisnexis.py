"""LexisNexis exports: LexisNexis Academic ("nexis.com") HTML and TXT, and Nexis Uni DOCX and TXT.

LexisNexis Academic (to about 2019) writes each document as

    N of M DOCUMENTS                       <- centred ("Dokument N von M", "Document N de M" in other interfaces)
    Source                                 <- centred
    March 14, 2013 Thursday 11:21 AM GMT   <- centred date line, maybe an edition after it or on the next lines
    Headline                               <- flush left (or a "HEADLINE:"/"KOP:"/"TITEL:" label instead)
    BYLINE: …  SECTION: …  LENGTH: N words  DATELINE: …   <- upper-case labels in the interface language
    body paragraphs
    LOAD-DATE: …  LANGUAGE: …  PUBLICATION-TYPE: …         <- trailing labels
    Copyright … All Rights Reserved        <- centred (sometimes printed before the source)

HTML wraps each document in `<DOC NUMBER=n><DOCFULL>` comments and says how many documents the file holds in
`<META … DOCUMENTS="n">`; TXT centres with spaces and may open with a "Download Request: Selected Items: a-b"
cover. Centring is what separates the header (source, date, edition, copyright) from the flush-left headline.

Nexis Uni (2018 on) writes DOCX (and TXT with the same shape): an optional cover page ("User Name:", "Job Number:",
"Documents (N)", a table of contents), then per document a `Bookmark_N` anchor, title / source / date line
("May 2, 2002, Thursday,, FINAL EDITION", "mercredi 17 avril 2013 20:15 GMT") / [edition] / `Copyright …` /
labelled lines with a no-break space after the colon (`Section:`, `Length:`, `Byline:`, `Dateline:`,
`Highlight:`) / `Body` / paragraphs / [`Graphic` captions] / [`Classification` labels] / `Load-Date:` /
`End of Document`. The header is found backwards from the first label: the date line is the last line that *is* a
date before it, the source the line before, the title the line before that, so a cover page, a table of contents or
a missing copyright line cannot shift the fields.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import lxml.html
from lxml import etree

from newsframe.ingest.readers.press import sniff
from newsframe.ingest.readers.press.common import (
    Export,
    admit,
    clean_author,
    date_line,
    decode,
    finish,
    is_copyright,
    join_paragraphs,
    language_code,
    new_article,
    non_press,
    reject,
    split_section,
    squash,
    strip_accents,
    where,
    word_count,
)

__all__ = [
    "Block", "LABELS", "docx_blocks", "drop_pull_quotes", "read", "read_docx", "read_html", "read_txt",
]


@dataclass
class Block:
    """A paragraph of the export with what its layout says about it."""

    text: str
    centered: bool = False
    big: bool = False  # printed in the headline font (Academic HTML)
    bookmarks: tuple[str, ...] = ()
    # Filled once by _annotate for Nexis Uni files, so that each test runs once per paragraph.
    end: bool = False
    word: str | None = None
    body_mark: bool = False
    label: tuple[str, str, str | None] | None = None


# ------------------------------------------------------------------------------------------------------------------
# Labels, in the interface languages (compared upper-case, without accents)


def _labels(**groups: str) -> dict[str, str]:
    return {name.strip(): key for key, names in groups.items() for name in names.split("|")}


LABELS = _labels(
    title="HEADLINE|KOP|TITEL|TITRE|TITULAR|TITOLO|UBERSCHRIFT|SCHLAGZEILE|TITLE",
    author="BYLINE|AUTHOR|AUTHORS|AUTEUR|AUTEURS|AUTOR|AUTOREN|AUTORE|FIRMA|DOOR|VERFASSER|SIGNATURE",
    section="SECTION|RUBRIK|RUBRIQUE|RUBRIEK|SECCION|SEZIONE|RESSORT|SECTIE",
    length="LENGTH|LANGE|LONGUEUR|LENGTE|LONGITUD|LUNGHEZZA|UMFANG|LONGITUDE",
    dateline="DATELINE|ORTSZEILE|DATUMZEILE|LIEU|PLAATSREGEL|DATA|LUGAR",
    highlight="HIGHLIGHT|ENCART|HERVORHEBUNG|HOOGTEPUNT|MISE EN EXERGUE|EXERGUE|DESTACADO|EVIDENZIAZIONE|"
    "POINTS FORTS|FAITS SAILLANTS|CHAPEAU|LEAD|UNTERTITEL|SOUS-TITRE|SUBTITLE",
    body="TEXT|TEXTE|TEKST|BODY|CORPS|TEXTO|TESTO|CORPS DU TEXTE",
    language="LANGUAGE|SPRACHE|LANGUE|TAAL|IDIOMA|LINGUA",
    load="LOAD-DATE|LOAD DATE|DATE-CHARGEMENT|DATE DE CHARGEMENT|LADEDATUM|LADE-DATUM|LAADDATUM|FECHA-CARGA|"
    "FECHA DE CARGA|DATA DI CARICAMENTO",
    url="URL|LINK|LIEN",
    edition="EDITION|AUSGABE|EDITIE|EDICION|EDIZIONE",
    pubtype="PUBLICATION-TYPE|PUBLICATION TYPE|PUB-TYPE|TYPE-PUBLICATION|TYPE DE PUBLICATION|PUBLIKATIONSTYP|"
    "PUBLICATIETYPE|TIPO DE PUBLICACION|DOCUMENT-TYPE|DOKUMENTTYP",
    series="SERIES|SERIE|REIHE",
    graphic="GRAPHIC|GRAFIK|GRAPHIQUE|ILLUSTRATION|ILLUSTRATIONS|AFBEELDING|FOTO|PHOTO|GRAFICO",
    correction="CORRECTION|CORRECTION-DATE|KORREKTUR|KORREKTUR-DATUM|CORRECTIE",
    index="SUBJECT|SUJET|THEMA|ONDERWERP|TEMA|ORGANIZATION|ORGANISATION|ORGANISATIE|COMPANY|SOCIETE|UNTERNEHMEN|"
    "BEDRIJF|TICKER|SYMBOLE-BOURSIER|INDUSTRY|SECTEUR-ACTIVITE|BRANCHE|INDUSTRIE|GEOGRAPHIC|LOCALISATION-GEO|"
    "GEOGRAFIE|GEOGRAPHIE|COUNTRY|PAYS|LAND|CITY|VILLE|STADT|STATE|PERSON|PERSONNE|PERSOON|PERSONEN|NOTES|NOTE|"
    "JOURNAL-CODE|JOURNAL CODE|DISTRIBUTION|TYPE|GUESTS|DOCUMENT-TYPE|NOTIZEN|ANMERKUNGEN|REMARQUES|"
    "UPDATE|MISE A JOUR|AKTUALISIERUNG",
)
_TRAILING = {"language", "load", "pubtype", "graphic", "correction", "index", "url"}
_HEADER_ONLY = {"author", "section", "length", "dateline", "highlight", "series", "edition", "title", "body"}
_SECTION_WORDS = {
    "graphic": "GRAPHIC|GRAFIK|GRAPHIQUE|ILLUSTRATION|ILLUSTRATIONS|AFBEELDING|GRAFICO",
    "classification": "CLASSIFICATION|KLASSIFIZIERUNG|KLASSIFIKATION|CLASSEMENT|CLASSIFICATIE|CLASIFICACION|"
    "CLASSIFICAZIONE",
    "notes": "NOTES|ANMERKUNGEN|REMARQUES|NOTITIES|NOTAS",
    "body": "BODY|TEXT|CORPS|TEXTE|TEKST|CUERPO|TEXTO|TESTO|CORPS DU TEXTE",
}
_SECTION_WORD = {w: k for k, names in _SECTION_WORDS.items() for w in names.split("|")}
_END_OF_DOCUMENT = re.compile(
    r"^\s*(?:End of Document|Fin du document|Ende des Dokuments|Einde van document|Einde document|"
    r"Fin del documento|Fine del documento|Fim do documento)\s*$",
    re.IGNORECASE,
)
_MARKER = re.compile(
    r"^\s*(?:(?P<n1>\d+)\s+(?:of|de|sur|van|di|von)\s+(?P<m1>\d+)\s+(?:DOCUMENTS?|DOCUMENTEN|DOCUMENTOS|DOKUMENTE|DOCUMENTI)"
    r"|(?:Dokument|Document|Documento)\s+(?P<n2>\d+)\s+(?:von|de|of|van|di|sur)\s+(?P<m2>\d+))\s*$",
    re.IGNORECASE,
)
_COVER_RANGE = re.compile(
    r"(?:Selected Items|Ausgew\S*hlte Dokumente|Éléments sélectionnés|Elements selectionnes|Dokumente|Documents)"
    r"\s*:\s*(\d+)\s*-\s*(\d+)",
    re.IGNORECASE,
)
_META_DOCUMENTS = re.compile(rb"<META[^>]*\bDOCUMENTS=\"(\d+)\"", re.IGNORECASE)
_COVER_COUNT = re.compile(r"^\s*(?:Documents|Dokumente|Documenten|Documentos|Documenti)\s*\((\d+)\)\s*$",
                          re.IGNORECASE)
_ERROR_DOCUMENT = re.compile(
    r"(?:there is an error in this document|not possible to display it|Fehler in diesem Dokument|"
    r"erreur dans ce document|impossible d.afficher|kan niet worden weergegeven|error en este documento)",
    re.IGNORECASE,
)
_ACADEMIC_LABEL = re.compile(
    r"^\s*([A-ZÄÖÜÉÈÀÇÂÊÎÔÛ][A-ZÄÖÜÉÈÀÇÂÊÎÔÛ0-9\-/ ]{0,38}[A-ZÄÖÜÉÈÀÇÂÊÎÔÛ0-9])\s*:[ \t\u00a0]*(.*)$", re.DOTALL
)
_NBSP_LABEL = re.compile(r"^\s*([^\W\d_][^:\n]{0,40}?)\s*:\s*\u00a0\s*(.*)$", re.DOTALL)
_PLAIN_LABEL = re.compile(r"^\s*([^\W\d_][^:\n]{0,40}?)\s*:[ \t\u00a0]+(.*)$", re.DOTALL)
_NAME_LIKE = re.compile(r"^(?:[A-ZÀ-Ý][\w'’.\-]*\.?\s*){1,5}$")
_EDITION_WORDS = re.compile(r"\b(?:edition|ausgabe|édition|editie|edición|final|late|early|city|national|star|"
                            r"print|web|online|metro|sunday|weekend)\b", re.IGNORECASE)
_FONT_SIZE = re.compile(r"font-size:(\d+)pt")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_RIGHTS = re.compile(r"^\s*all rights reserved", re.IGNORECASE)
_BODY_MARK = re.compile(r"Body(?:_\d+)*")
_ARTICLE_MARK = re.compile(r"Bookmark_\d+")
_CORRECTION_APPENDED = re.compile(r"^\s*Correction Appended\s*$", re.IGNORECASE)


def _canon(label: str) -> str | None:
    upper = label.upper().strip()
    return LABELS.get(upper if upper.isascii() else strip_accents(upper).upper())


def read(path: Path) -> Export:
    """Read any LexisNexis export, recognised by its content."""
    path = Path(path)
    kind = sniff.detect_path(path)
    if kind == "lexisnexis-html":
        return read_html(path)
    if kind == "lexisnexis-txt":
        return read_txt(path)
    if kind == "nexisuni-docx":
        return read_docx(path)
    raise ValueError(
        f"{path}: not recognised as a LexisNexis export (found {kind or 'no known export'}); expected LexisNexis "
        "Academic HTML or TXT ('N of M DOCUMENTS'), or a Nexis Uni DOCX or TXT ('End of Document')"
    )


# ------------------------------------------------------------------------------------------------------------------
# LexisNexis Academic HTML


_DOC_SPLIT = re.compile(
    r"<!--(?:(?!-->).)*?<DOCFULL>\s*-->(.*?)<!--(?:(?!-->).)*?</DOCFULL>", re.IGNORECASE | re.DOTALL
)
_CSS_RULE = re.compile(r"\.(c\d+)\s*\{([^}]*)\}", re.IGNORECASE)


def read_html(path: Path) -> Export:
    """Read a LexisNexis Academic HTML download."""
    path = Path(path)
    what = "LexisNexis Academic HTML"
    data = path.read_bytes()
    text, encoding = decode(data)
    centered, big = _css_classes(text)
    documents = _DOC_SPLIT.findall(text)
    if not documents:
        raise ValueError(f"{path}: no <DOC><DOCFULL> section found; expected a LexisNexis Academic HTML download")
    meta = _META_DOCUMENTS.search(data[:8192])
    cover = text[: text.find(documents[0])]
    blocks_per_doc = [_html_blocks(doc, centered, big) for doc in documents]
    markers = [_marker(blocks) for blocks in blocks_per_doc]
    announced = int(meta.group(1)) if meta else _announced(markers, _cover_blocks(cover), len(documents))
    return _academic_export(blocks_per_doc, markers, announced, encoding, path, what)


def _css_classes(text: str) -> tuple[set[str], set[str]]:
    """Return the CSS classes that centre text and those that print the headline (14 pt bold)."""
    centered, big = set(), set()
    for name, body in _CSS_RULE.findall(text[:20000]):
        body = body.lower().replace(" ", "")
        if "text-align:center" in body:
            centered.add(name.lower())
        size = _FONT_SIZE.search(body)
        if size and int(size.group(1)) >= 13 and "font-weight:bold" in body:
            big.add(name.lower())
    return centered, big


def _html_blocks(fragment: str, centered: set[str], big: set[str]) -> list[Block]:
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    blocks: list[Block] = []
    for element in root.iter("p", "tr"):
        if element.tag == "tr":
            cells = [squash(td.text_content()) or "" for td in element if isinstance(td.tag, str)]
            line = " | ".join(c for c in cells)
            if line.strip(" |"):
                blocks.append(Block(line))
            continue
        if any(a.tag == "tr" for a in element.iterancestors()):
            continue
        text = _text_with_breaks(element)
        if not text.strip():
            continue
        classes = {c.lower() for e in [element, *element.iterancestors()] for c in (e.get("class") or "").split()}
        span_classes = {c.lower() for s in element.iter("span") for c in (s.get("class") or "").split()}
        blocks.append(Block(text, centered=bool(classes & centered), big=bool(span_classes & big)))
    return blocks


def _text_with_breaks(element: etree._Element) -> str:
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if not isinstance(node.tag, str):
            if node.tail:
                parts.append(node.tail)
            return
        if node.tag in ("style", "script"):
            if node.tail:
                parts.append(node.tail)
            return
        if node.tag == "br":
            parts.append("\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if node.tail and node is not element:
            parts.append(node.tail)

    walk(element)
    lines = [squash(line) or "" for line in "".join(parts).split("\n")]
    return "\n".join(lines).strip("\n")


def _cover_blocks(cover_html: str) -> list[str]:
    text = _TAG.sub(" ", _BR.sub("\n", cover_html))
    return [squash(x) or "" for x in text.split("\n")]


# ------------------------------------------------------------------------------------------------------------------
# LexisNexis Academic TXT and Nexis Uni TXT


def read_txt(path: Path) -> Export:
    """Read a LexisNexis text download: Academic ('N of M DOCUMENTS') or Nexis Uni ('End of Document')."""
    path = Path(path)
    text, encoding = decode(path.read_bytes())
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if any(_MARKER.match(line) for line in lines):
        return _read_academic_txt(lines, encoding, path)
    if any(_END_OF_DOCUMENT.match(line) for line in lines) or any(_NBSP_LABEL.match(line) for line in lines):
        paragraphs = [Block(line.strip(" \t"), centered=_indented(line)) for line in lines if line.strip()]
        return _nexis_uni_export(paragraphs, encoding, path, "Nexis Uni TXT")
    raise ValueError(
        f"{path}: neither 'N of M DOCUMENTS' markers nor 'End of Document' lines found; expected a LexisNexis text "
        "download"
    )


def _indented(line: str) -> bool:
    return len(line) - len(line.lstrip(" ")) >= 8


def _read_academic_txt(lines: list[str], encoding: str, path: Path) -> Export:
    what = "LexisNexis Academic TXT"
    paragraphs: list[Block] = []
    current: list[str] = []

    def close() -> None:
        if current:
            centered = all(_indented(x) for x in current)
            paragraphs.append(Block("\n".join(x.strip() for x in current), centered=centered))
            current.clear()

    for line in lines:
        if not line.strip():
            close()
        elif _MARKER.match(line):
            close()
            paragraphs.append(Block(line.strip(), centered=True))
        else:
            # a centred line next to a flush-left one belongs to a different block (source above a headline)
            if current and _indented(line) != _indented(current[-1]):
                close()
            current.append(line.rstrip())
    close()
    documents: list[list[Block]] = []
    cover: list[str] = []
    for block in paragraphs:
        if _MARKER.match(block.text):
            documents.append([block])
        elif documents:
            documents[-1].append(block)
        else:
            cover.append(block.text)
    if not documents:
        raise ValueError(f"{path}: no 'N of M DOCUMENTS' line found; expected a LexisNexis Academic text download")
    markers = [_marker(blocks) for blocks in documents]
    cover_lines = [x for block in cover for x in block.split("\n")]
    announced = _announced(markers, cover_lines, len(documents))
    return _academic_export(documents, markers, announced, encoding, path, what)


# ------------------------------------------------------------------------------------------------------------------
# Shared Academic parsing


def _marker(blocks: list[Block]) -> tuple[int, int] | None:
    for block in blocks[:3]:
        match = _MARKER.match(block.text)
        if match:
            n = int(match.group("n1") or match.group("n2"))
            m = int(match.group("m1") or match.group("m2"))
            return n, m
    return None


def _announced(markers: list[tuple[int, int] | None], cover: list[str], documents: int) -> int:
    """How many documents the file says it holds: the cover's "Selected Items: a-b", else the span of its
    "N of M" markers (a gap in the numbering is a missing document), never fewer than the documents present."""
    for line in cover:
        match = _COVER_RANGE.search(line)
        if match:
            first, last = int(match.group(1)), int(match.group(2))
            if last >= first:
                return max(last - first + 1, documents)
    numbers = [m[0] for m in markers if m]
    totals = [m[1] for m in markers if m]
    if not numbers:
        return documents
    main_total = max(set(totals), key=totals.count)
    same = [n for n, m in (x for x in markers if x) if m == main_total]
    span = max(same) - min(same) + 1 if same else 0
    return max(span, documents)


def _academic_export(documents: list[list[Block]], markers: list, announced: int, encoding: str, path: Path,
                     what: str) -> Export:
    export = Export(announced=announced, encoding=encoding)
    for index, blocks in enumerate(documents, start=1):
        marker = markers[index - 1]
        position = where(marker[0], marker[1]) if marker else where(index, announced)
        raw = "\n".join(b.text for b in blocks)
        try:
            _academic_document(export, blocks, position, raw, what)
        except Exception as exc:  # one damaged document must not lose the file
            export.rejects.append(reject(position, "unreadable", f"{what}: {type(exc).__name__}: {exc}", raw))
    return finish(export, path, what)


def _label_of(text: str, academic: bool = True) -> tuple[str, str, str | None] | None:
    """Return (label as written, value, canonical key) when the block opens with a label."""
    if academic:
        match = _ACADEMIC_LABEL.match(text)
        if not match or len(match.group(1).split()) > 4:
            return None
        return match.group(1), match.group(2).strip(), _canon(match.group(1))
    match = _NBSP_LABEL.match(text)
    if match:
        return match.group(1), match.group(2).strip(), _canon(match.group(1))
    match = _PLAIN_LABEL.match(text)
    if match and _canon(match.group(1)):
        return match.group(1), match.group(2).strip(), _canon(match.group(1))
    return None


def _academic_document(export: Export, blocks: list[Block], position: str, raw: str, what: str) -> None:
    content = [b for b in blocks if not _MARKER.match(b.text)]
    if _ERROR_DOCUMENT.search(raw) and not any(_label_of(b.text) for b in content):
        export.non_press.append(
            non_press(position, "error", "LexisNexis inserted an error notice instead of this document", raw)
        )
        return
    # Header: the centred blocks before the first flush-left one; the date line is the first that is a date.
    header: list[Block] = []
    rest_start = 0
    for i, block in enumerate(content):
        if block.centered and not _label_of(block.text):
            header.append(block)
            rest_start = i + 1
        else:
            break
    if not any(date_line(b.text.split("\n")[0]) for b in header):
        header, rest_start = _header_without_centering(content)
    source = edition = published = None
    date_seen = False
    for block in header:
        first, *more = block.text.split("\n")
        if is_copyright(first) or _RIGHTS.match(first):
            continue
        found = date_line(first)
        if found and not date_seen:
            published, rest = found
            date_seen = True
            extra = [x for x in ([rest] if rest else []) + more if x and not _CORRECTION_APPENDED.match(x)]
            edition = squash(" ".join(extra)) if extra else None
        elif found:
            continue  # the same date in a second format (German then English)
        elif not date_seen:
            source = squash(block.text)
        elif edition is None:
            edition = squash(block.text)
    fields = _academic_fields(content[rest_start:])
    section, page = split_section(fields.get("section"))
    article = new_article(
        title=fields.get("title"),
        subtitle=fields.get("highlight"),
        text=join_paragraphs(fields.get("body", [])),
        published=published,
        source=source,
        author=clean_author(fields.get("author")),
        section=section,
        page=page,
        edition=fields.get("edition") or edition,
        word_count=word_count(fields.get("length")),
        document_id=None,  # LexisNexis Academic exports carry no document id
        language=language_code(fields.get("language")),
        url=fields.get("url"),
        position=position,
    )
    admit(export, article, raw, what)


def _header_without_centering(content: list[Block]) -> tuple[list[Block], int]:
    """When the layout lost its centring, the header ends after the date line and any edition-like lines."""
    for i, block in enumerate(content[:8]):
        if _label_of(block.text):
            break
        if date_line(block.text.split("\n")[0]):
            end = i + 1
            while end < len(content) and _EDITION_WORDS.search(content[end].text) and not _label_of(content[end].text):
                end += 1
            return content[:end], end
    return [], 0


def _academic_fields(blocks: list[Block]) -> dict:
    """Walk the blocks after the header: headline, header labels, body, trailing labels."""
    fields: dict = {"body": []}
    state = "head"  # head -> body -> trail
    last: str | None = None
    for block in blocks:
        text = block.text
        label = _label_of(text)
        if label and state in ("head", "body"):
            written, _, key = label
            # "WASHINGTON: …" or "DEN HAAG: …" opening a paragraph is text; the metadata labels this reader does
            # not know are hyphenated ("JOURNAL-CODE:") or come after the body.
            if key is None and "-" not in written or state == "body" and key in _HEADER_ONLY and key != "body":
                label = None
        if label:
            written, value, key = label
            if key == "body":
                state, last = "body", None
                if value:
                    fields["body"].append(value)
                continue
            if state == "body" or key in _TRAILING:
                state = "trail"
            last = key
            if key and key not in fields and key not in ("body",):
                fields[key] = squash(value) if key != "body" else value
            continue
        if block.centered and (is_copyright(text) or _RIGHTS.match(text)):
            continue
        if state == "head":
            if "title" not in fields and not fields.get("length") and last is None:
                fields["title"] = squash(text)
                continue
            if last in ("highlight", "author", "series") and last in fields and not fields[last]:
                fields[last] = squash(text)  # "ENCART:" with its text on the next line
                continue
            state = "body"
        if state == "body":
            fields["body"].append(text.replace("\n", " "))
        # in the trailer, unlabelled lines continue a label (graphic captions, correction text): not body
    return fields


# ------------------------------------------------------------------------------------------------------------------
# Nexis Uni DOCX


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


_W_NS = {"w": _W[1:-1]}
_P_TEXT = etree.XPath(".//w:t/text()", namespaces=_W_NS, smart_strings=False)
_P_WITH_BOOKMARK = etree.XPath("w:p[.//w:bookmarkStart]", namespaces=_W_NS)
_P_BOOKMARKS = etree.XPath(".//w:bookmarkStart/@w:name", namespaces=_W_NS, smart_strings=False)
_ROW_CELLS = etree.XPath("w:tc", namespaces=_W_NS)
# Tabs and line breaks become text, so that one XPath call reads a whole paragraph; page breaks are dropped.
_TAB = re.compile(rb"<w:tab\s*/>")
_LINE_BREAK = re.compile(rb"<w:(?:br|cr)\s*/>|<w:br\s+w:type=\"textWrapping\"\s*/>")
_W_P, _W_TBL, _W_TR, _W_BODY = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}body"


def docx_blocks(path: Path) -> list[Block]:
    """Return the paragraphs of word/document.xml (a table row as one 'cell | cell' paragraph) with their bookmarks.

    lxml reads the XML directly: python-docx builds an object per paragraph and run and is several times slower on
    a 1,000-article file, for nothing this reader needs. Centring is not read: the DOCX reader does not need it.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ValueError(
            f"{path}: not a readable DOCX (no word/document.xml: {exc}); expected a Nexis Uni DOCX"
        ) from exc
    xml = _LINE_BREAK.sub(b"<w:t>\n</w:t>", _TAB.sub(b"<w:t>\t</w:t>", xml))
    parser = etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True, remove_comments=True)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"{path}: word/document.xml is not well-formed ({exc}); the DOCX is damaged") from exc
    body = root.find(_W_BODY)
    blocks: list[Block] = []
    if body is None:
        return blocks
    # The list keeps these paragraphs' proxies alive, so iterating the body yields the very same objects (lxml reuses
    # a live proxy) and the dict can be keyed by element.
    with_marks = _P_WITH_BOOKMARK(body)
    marked = {p: tuple(_P_BOOKMARKS(p)) for p in with_marks}
    for element in body:
        tag = element.tag
        if tag == _W_P:
            blocks.append(Block("".join(_P_TEXT(element)), bookmarks=marked.get(element, ())))
        elif tag == _W_TBL:
            for row in element.iter(_W_TR):
                cells = ["".join(_P_TEXT(cell)).strip() for cell in _ROW_CELLS(row)]
                blocks.append(Block(" | ".join(cells)))
    return blocks


def read_docx(path: Path) -> Export:
    """Read a Nexis Uni DOCX download."""
    path = Path(path)
    blocks = docx_blocks(path)
    if not blocks:
        raise ValueError(f"{path}: the DOCX holds no paragraph; expected a Nexis Uni DOCX download")
    return _nexis_uni_export(blocks, "utf-8", path, "Nexis Uni DOCX")


# ------------------------------------------------------------------------------------------------------------------
# Shared Nexis Uni parsing


def _section_word(text: str) -> str | None:
    text = text.strip()
    if not text or len(text) > 30 or not text.replace(" ", "").isalpha():  # one or two plain words
        return None
    upper = text.upper()
    return _SECTION_WORD.get(upper if upper.isascii() else strip_accents(upper).upper())


def _annotate(blocks: list[Block]) -> None:
    """Decide once per paragraph whether it ends a document, names a section, marks the body or carries a label."""
    for block in blocks:
        text = block.text
        short = len(text) <= 40
        block.end = short and bool(_END_OF_DOCUMENT.match(text))
        block.word = _section_word(text) if short else None
        block.body_mark = block.word == "body" or bool(block.bookmarks) and any(
            _BODY_MARK.fullmatch(b) for b in block.bookmarks
        )
        block.label = _label_of(text, academic=False) if ":" in text[:60] else None


def _chunks(blocks: list[Block]) -> tuple[list[Block], list[list[Block]]]:
    """Cut the blocks into (cover, articles): at Bookmark_N anchors when present, else after End of Document."""
    starts = [i for i, b in enumerate(blocks) if any(_ARTICLE_MARK.fullmatch(m) for m in b.bookmarks)]
    if starts:
        bounds = starts + [len(blocks)]
        return blocks[: starts[0]], [blocks[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    chunks: list[list[Block]] = []
    current: list[Block] = []
    ends = [i for i, b in enumerate(blocks) if b.end]
    if not ends:
        # No end markers in a language this reader does not know: close each article after its load date.
        ends = [i for i, b in enumerate(blocks) if b.label and b.label[2] == "load"]
    end_set = set(ends)
    for i, block in enumerate(blocks):
        current.append(block)
        if i in end_set:
            chunks.append(current)
            current = []
    if current and any(b.label or b.body_mark for b in current):
        chunks.append(current)
    return [], chunks


def _cover_count(blocks: list[Block]) -> int | None:
    for block in blocks[:400]:
        match = _COVER_COUNT.match(block.text)
        if match:
            return int(match.group(1))
    return None


def _nexis_uni_export(blocks: list[Block], encoding: str, path: Path, what: str) -> Export:
    _annotate(blocks)
    cover, chunks = _chunks(blocks)
    if not chunks:
        raise ValueError(
            f"{path}: no Nexis Uni article found (no Bookmark_N anchors, 'End of Document' lines or 'Load-Date:' "
            "labels); expected a Nexis Uni download"
        )
    announced = _cover_count(cover or blocks)
    if announced is None:
        announced = sum(1 for b in blocks if b.end) or len(chunks)
    export = Export(announced=announced, encoding=encoding)
    for index, chunk in enumerate(chunks, start=1):
        position = where(index, announced)
        raw = "\n".join(b.text for b in chunk if b.text.strip())
        try:
            _nexis_uni_article(export, chunk, position, raw, what)
        except Exception as exc:
            export.rejects.append(reject(position, "unreadable", f"{what}: {type(exc).__name__}: {exc}", raw))
    return finish(export, path, what)


def _nexis_uni_article(export: Export, chunk: list[Block], position: str, raw: str, what: str) -> None:
    lines = [b for b in chunk if not b.end and b.text.strip()]
    first_label = next((i for i, b in enumerate(lines) if b.label), None)
    body_at = next((i for i, b in enumerate(lines) if b.body_mark), None)
    anchors = [x for x in (first_label, body_at) if x is not None]
    if not anchors:
        if _ERROR_DOCUMENT.search(raw):
            export.non_press.append(non_press(position, "error", "an error notice instead of a document", raw))
            return
        export.rejects.append(reject(position, "no structure", f"{what}: no labelled line (Length:, Section:…) "
                                     "and no Body marker found; the piece is not in Nexis Uni's layout", raw))
        return
    head_end = min(anchors)
    head = lines[:head_end]
    date_at = next((i for i in range(len(head) - 1, -1, -1) if date_line(head[i].text.split("\n")[0])), None)
    if date_at is None:
        export.rejects.append(reject(position, "no date", f"{what}: no date line before the labels "
                                     f"(lines seen: {[squash(b.text) for b in head][-4:]})", raw))
        return
    published, rest = date_line(head[date_at].text.split("\n")[0])
    source = squash(head[date_at - 1].text) if date_at >= 1 else None
    title = squash(head[date_at - 2].text) if date_at >= 2 else None
    edition = rest or None
    for block in head[date_at + 1 :]:
        text = squash(block.text) or ""
        if is_copyright(text) or _RIGHTS.match(text):
            break  # what follows the copyright line is its continuation
        if edition is None:
            edition = text
    labels, body, trailer = _nexis_uni_sections(lines[head_end:])
    section, page = split_section(labels.get("section"))
    article = new_article(
        title=title,
        subtitle=labels.get("highlight"),
        text=join_paragraphs(drop_pull_quotes([p for p in body if not is_copyright(p)]), clean=False),
        published=published,
        source=source,
        author=clean_author(labels.get("author")),
        section=section,
        page=page,
        edition=edition,
        word_count=word_count(labels.get("length")),
        document_id=None,  # Nexis Uni downloads carry no document id
        language=language_code(trailer.get("language") or labels.get("language")),
        url=trailer.get("url") or labels.get("url"),
        position=position,
    )
    admit(export, article, raw, what)


def _nexis_uni_sections(lines: list[Block]) -> tuple[dict, list[str], dict]:
    """Split what follows the header into header labels, body paragraphs and trailing labels.

    Unlabelled lines between header labels continue the label above them: a second byline line, the rest of a
    highlight. A byline continuation is kept only when it looks like a name ("BRIAN TOBIN"), not a credit
    ("From Tuesday's Globe and Mail").
    """
    labels: dict[str, str] = {}
    trailer: dict[str, str] = {}
    body: list[str] = []
    state = "labels"  # labels -> body -> trail
    seen_body = False
    last: str | None = None
    for block in lines:
        text = block.text
        word = block.word
        if block.body_mark and not seen_body:
            state, seen_body, last = "body", True, None
            continue
        if word in ("graphic", "classification", "notes"):
            state, last = "trail", word
            continue
        label = block.label
        if label and state == "body" and not (_NBSP_LABEL.match(text) and label[2] in _TRAILING):
            label = None  # a body paragraph such as "Note: …" is text
        if label:
            written, value, key = label
            key = key or strip_accents(written).lower()
            if state == "body" or key in ("language", "load", "pubtype"):
                state = "trail"
            (trailer if state == "trail" else labels).setdefault(key, squash(value) or "")
            last = key
            continue
        if state == "labels":
            cleaned = squash(text) or ""
            if last == "author":
                if _NAME_LIKE.match(cleaned) and not is_copyright(cleaned):
                    labels["author"] = f"{labels['author']}; {cleaned}" if labels.get("author") else cleaned
                continue
            if last in ("highlight", "series", "dateline", "section") and last in labels:
                labels[last] = squash(f"{labels[last]} {cleaned}") or ""
                continue
            if last is None:
                continue
            state, seen_body = "body", True  # no Body marker: the first unlabelled paragraph opens the body
        if state == "body":
            cleaned = squash(text)
            if cleaned:
                body.append(cleaned)
    return labels, body, trailer


_PLAIN_RUN = re.compile(r"(?<!\S)[^\W\d_]+ [^\W\d_]+ [^\W\d_]+ [^\W\d_]+(?!\S)")
_PUNCTUATION = re.compile(r"[^\w\s]+")


def _normal(text: str) -> str:
    """Lower-case words only: a pull-quote is typeset with other dashes and quotes than the paragraph it repeats."""
    return squash(_PUNCTUATION.sub(" ", text.lower())) or ""


def drop_pull_quotes(paragraphs: list[str]) -> list[str]:
    """Drop pull-quotes: a paragraph of at least 8 words that is repeated inside a longer paragraph of the same body,
    and the short attribution line right after it when the name it gives appears elsewhere in the body.

    A pull-quote is typeset with other dashes and quotes than the paragraph it repeats, so the comparison is made on
    lower-case words only, and only for paragraphs whose first run of four plain words occurs elsewhere.
    """
    if len(paragraphs) < 3:
        return paragraphs
    drop: set[int] = set()
    normal: list[str] | None = None
    whole = "\n".join(paragraphs)
    for i, text in enumerate(paragraphs):
        probe = _plain_run(text)
        if probe is None or whole.count(probe) < 2:
            continue
        if normal is None:
            normal = [_normal(p) for p in paragraphs]
        mine = normal[i]
        if any(j != i and len(other) > len(mine) + 10 and mine in other for j, other in enumerate(normal)):
            drop.add(i)
            if i + 1 < len(paragraphs) and _is_attribution(paragraphs[i + 1], normal, i + 1):
                drop.add(i + 1)
    return [p for k, p in enumerate(paragraphs) if k not in drop] if drop else paragraphs


def _plain_run(text: str) -> str | None:
    """Return the first four consecutive plain words of a paragraph of at least 8 words (None if it has none)."""
    if text.count(" ") < 7:
        return None
    match = _PLAIN_RUN.search(text)
    return match.group(0) if match else None


def _is_attribution(text: str, normal: list[str], index: int) -> bool:
    words = text.split()
    if not 1 < len(words) <= 8 or text.rstrip().endswith((".", "!", "?", ":")):
        return False
    name = _normal(text.split(",")[0])
    return bool(name) and any(k != index and name in other for k, other in enumerate(normal))
