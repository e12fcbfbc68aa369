"""Recognise a press-database export by its content.

`detect(head, suffix)` looks at the first bytes of a file (64 KB is enough for every text, HTML, XML and RTF
export) and its lower-cased suffix, and names the export kind, or returns None for anything else: a saved web page,
an RSS feed, a seed-format article, a CSV, a plain Word file.

Two kinds keep their evidence out of a 64 KB head, so `detect` also accepts the *whole* file's bytes for them and
`detect_path(path)` reads what it needs itself:

* DOCX (a zip): the text is in the deflated `word/document.xml`. When that entry starts inside the bytes given,
  `detect` inflates its first 64 KB from the local file header; when it does not (the entry can come last in the
  archive), it returns None unless it was given the whole file. `detect_path` always opens the archive.
* PDF: Factiva's PDF text is glyph-encoded and its "Dow Jones" author sits in the Info dictionary at the end of the
  file. `detect` finds that dictionary if given the whole file; `detect_path` reads the head and the tail and, if
  still unsure, extracts the first page's text to look for Factiva's page footer.

The suffix only breaks ties (a text file is never called HTML because of its name, nor the reverse).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from pathlib import Path

__all__ = [
    "HEAD_BYTES", "KINDS", "detect", "detect_path",
]

HEAD_BYTES = 65536

KINDS = (
    "europresse-html",
    "factiva-html",
    "factiva-xml",
    "factiva-rtf",
    "factiva-pdf",
    "factiva-txt",
    "lexisnexis-html",
    "lexisnexis-txt",
    "nexisuni-docx",
)

_HTML = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|div|table|p|span)\b", re.IGNORECASE)
_EUROPRESSE = (
    re.compile(rb"class=[\"']?[^\"'>]*\bDocPublicationName\b", re.IGNORECASE),
    re.compile(rb"class=[\"']?[^\"'>]*\b(?:titreArticleVisu|DocHeader|rdp__|docOcurrContainer)", re.IGNORECASE),
    re.compile(rb"PubliC_lblNodoc|publiC-lblNodoc|europresse|eureka\.cc|cedrom-sni", re.IGNORECASE),
)
# Factiva pages carry a long style sheet first, so the head may hold only the CSS: its class names count as evidence.
_FACTIVA_HTML = (
    re.compile(rb"factivalogo|<title>\s*Factiva\s*</title>|Dow Jones", re.IGNORECASE),
    re.compile(rb"\b(?:[a-z]{2}Headline|articleParagraph)\b"),
    re.compile(rb"id=[\"']article-[A-Za-z0-9]{10,}[\"']|\b[a-z]{2}Article\b"),
    re.compile(rb"class=[\"']?index[\"']?[^>]*>\s*(?:<p>)?\s*<b>\s*(?:HD|AN|PD|SN|LP|TD)\s*</b>", re.IGNORECASE),
)
_LEXIS_HTML = re.compile(
    rb"<DOC\s+NUMBER=|<DOCFULL>|LXNComment|\b\d+\s+(?:of|de|von|van)\s+\d+\s+DOCUMENTS?\b|Dokument\s+\d+\s+von\s+\d+",
    re.IGNORECASE,
)
_FACTIVA_XML = re.compile(
    rb"<(?:\w+:)?(?:ppsArticleResponse|ppsarticle|accessionNo)\b|global\.factiva\.com", re.IGNORECASE
)
_RTF = re.compile(rb"^\s*\{\\rtf")
_FACTIVA_RTF = (
    re.compile(rb"Factiva|Dow Jones", re.IGNORECASE),
    re.compile(rb"\b(?:HD|WC|PD|SN|SC|LA|AN)\b[^{}]{0,60}\\cell"),
)
_ACADEMIC_MARKER = re.compile(
    r"^\s*(?:\d+\s+(?:of|de|sur|van|di|von)\s+\d+\s+(?:DOCUMENTS?|DOCUMENTEN|DOCUMENTOS|DOKUMENTE|DOCUMENTI)|(?:Dokument|Document|Documento)\s+\d+\s+(?:von|de|of|van|di)\s+\d+)\s*$",
    re.MULTILINE | re.IGNORECASE,
)
_LEXIS_LABEL = re.compile(
    r"^(?:LENGTH|LÄNGE|LONGUEUR|LENGTE|LOAD-DATE|LANGUAGE|SPRACHE|LANGUE|TAAL|BYLINE|SECTION|RUBRIK|RUBRIQUE|"
    r"PUBLICATION-TYPE):",
    re.MULTILINE,
)
_NEXIS_UNI_TEXT = (
    re.compile(r"^\s*(?:End of Document|Fin du document|Ende des Dokuments|Einde van document|Fin del documento)\s*$",
               re.MULTILINE | re.IGNORECASE),
    re.compile(r"^\s*(?:Length|Longueur|Länge|Lengte|Longitud|Load-Date)\s*:[\s\u00a0]", re.MULTILINE | re.IGNORECASE),
    re.compile(r"^\s*(?:Body|Corps|Text|Tekst|Cuerpo|Texto)\s*$", re.MULTILINE),
)
_FACTIVA_CODES = re.compile(r"^[ \t]*(HD|WC|PD|SN|SC|LA|AN|LP|TD|BY|ET|CY)[ \t]*$", re.MULTILINE)
_FACTIVA_AN = re.compile(r"^[ \t]*(?:Document|Dokument|Documento|Documenten)\s+[A-Za-z0-9]{15,}\s*$", re.MULTILINE)
_FACTIVA_TEXT_HEAD = re.compile(
    r"^\s*\d[\d,.]*\s+(?:words|Wörter|mots|palabras|woorden|parole)\s*$", re.MULTILINE | re.IGNORECASE
)
_DOCX_HINTS = (
    re.compile(rb"End of Document|Fin du document|Ende des Dokuments|Einde van document|Fin del documento"),
    re.compile(rb"w:name=\"(?:Bookmark_\d+|Body(?:_\d+)?|Classification)\""),
    re.compile(rb"(?:Load-Date|Length|Longueur|L\xc3\xa4nge|Section|Byline|Copyright)\s*:(?:</w:t>.{0,400}?<w:t[^>]*>)?(?:\xc2\xa0|&#160;)"),
    re.compile(rb"Job Number:|User Name:|Date and Time:|Auftragsnummer:|Num\xc3\xa9ro de t\xc3\xa2che"),
    re.compile(rb"Client/Matter:|Documents \(\d+\)|Dokumente \(\d+\)|Search Terms:|Narrowed by:"),
)
_PDF_AN = re.compile(r"(?:Document|Dokument)\s*[A-Za-z0-9]{15,}")
_PDF_FACTIVA = re.compile(rb"Factiva|Dow Jones|FEFF0044006F00770020004A006F006E00650073", re.IGNORECASE)


def detect(head: bytes, suffix: str) -> str | None:
    """Name the export kind of a file from its first bytes (or all its bytes, for zip and PDF) and suffix."""
    suffix = (suffix or "").lower()
    if not head:
        return None
    if head.startswith(b"PK\x03\x04"):
        return _detect_docx(head)
    if head.lstrip().startswith(b"%PDF"):
        return "factiva-pdf" if _PDF_FACTIVA.search(head) else None
    if _RTF.match(head):
        return "factiva-rtf" if any(p.search(head[:HEAD_BYTES]) for p in _FACTIVA_RTF) else None
    head = head[:HEAD_BYTES]
    if _FACTIVA_XML.search(head):
        return "factiva-xml"
    looks_html = bool(_HTML.search(head[:4096])) or (suffix in (".html", ".htm", ".xhtml") and b"<" in head)
    if looks_html:
        return _detect_html(head)
    return _detect_text(_as_text(head))


def detect_path(path: str | Path) -> str | None:
    """Name the export kind of a file on disk, reading only what is needed (the head; the zip or the PDF tail)."""
    path = Path(path)
    suffix = path.suffix.lower()
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
        if head.startswith(b"PK\x03\x04"):
            return _detect_docx_file(path)
        if head.lstrip().startswith(b"%PDF"):
            handle.seek(0, io.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - HEAD_BYTES))
            tail = handle.read()
            if _PDF_FACTIVA.search(head) or _PDF_FACTIVA.search(tail):
                return "factiva-pdf"
            return "factiva-pdf" if _pdf_first_page_says_factiva(path) else None
    return detect(head, suffix)


def _as_text(head: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError:
            continue
    return head.decode("latin-1")


def _detect_html(head: bytes) -> str | None:
    if _EUROPRESSE[0].search(head) and (_EUROPRESSE[1].search(head) or _EUROPRESSE[2].search(head)):
        return "europresse-html"
    factiva = [bool(p.search(head)) for p in _FACTIVA_HTML]
    if sum(factiva) >= 2 and any(factiva[1:]):
        return "factiva-html"
    if _LEXIS_HTML.search(head):
        return "lexisnexis-html"
    return None


def _detect_text(text: str) -> str | None:
    if _ACADEMIC_MARKER.search(text) and (_LEXIS_LABEL.search(text) or "Download Request" in text):
        return "lexisnexis-txt"
    if _ACADEMIC_MARKER.search(text):
        return "lexisnexis-txt"
    if sum(bool(p.search(text)) for p in _NEXIS_UNI_TEXT) >= 2:
        return "lexisnexis-txt"
    codes = set(_FACTIVA_CODES.findall(text))
    if {"HD", "SN"} <= codes and codes & {"WC", "PD", "AN", "LP", "TD"}:
        return "factiva-txt"
    if _FACTIVA_AN.search(text) and _FACTIVA_TEXT_HEAD.search(text):
        return "factiva-txt"
    return None


def _detect_docx(data: bytes) -> str | None:
    """Recognise a Nexis Uni DOCX from zip bytes: the whole file, or a head holding the start of word/document.xml."""
    xml = _inflate_member(data, "word/document.xml")
    if xml is None:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                with archive.open("word/document.xml") as member:
                    xml = member.read(HEAD_BYTES)
        except (zipfile.BadZipFile, KeyError, OSError, EOFError, zlib.error):
            return None
    return _docx_verdict(xml)


def _detect_docx_file(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            with archive.open("word/document.xml") as member:
                xml = member.read(16 * HEAD_BYTES)  # a long cover page can push the first article past 64 KB
    except (zipfile.BadZipFile, KeyError, OSError, zlib.error):
        return None
    return _docx_verdict(xml)


def _docx_verdict(xml: bytes) -> str | None:
    # Two independent hints (an end marker, the article bookmarks, NBSP-labels, the cover page) make a Nexis Uni file;
    # one alone could be any Word document that quotes "Copyright:".
    return "nexisuni-docx" if sum(bool(p.search(xml)) for p in _DOCX_HINTS) >= 2 else None


def _inflate_member(data: bytes, name: str) -> bytes | None:
    """Inflate up to 64 KB of a zip member from its local file header, even when the archive is cut short."""
    target = name.encode()
    position = 0
    while True:
        position = data.find(b"PK\x03\x04", position)
        if position < 0 or position + 30 > len(data):
            return None
        (_, _, method, _, _, _, compressed, _, name_len, extra_len) = struct.unpack(
            "<HHHHHIIIHH", data[position + 4 : position + 30]
        )
        start = position + 30 + name_len + extra_len
        if data[position + 30 : position + 30 + name_len] == target:
            body = data[start:]
            if method == 0:
                return body[:HEAD_BYTES]
            if method != 8:
                return None
            try:
                return zlib.decompressobj(-15).decompress(body, HEAD_BYTES)
            except zlib.error:
                return None
        position = start + compressed if compressed else position + 4


def _pdf_first_page_says_factiva(path: Path) -> bool:
    try:
        from pdfminer.high_level import extract_text
    except ImportError:
        return False
    try:
        text = extract_text(str(path), maxpages=1)
    except Exception:  # a broken PDF is simply not recognised
        return False
    return "Factiva" in text and bool(_PDF_AN.search(text))
