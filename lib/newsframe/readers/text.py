"""Plain-text articles in the seed's format: one article a file.

    date 2025-11-19 Optional title, or the first words of the body
    source RFI                 <- optional `key value` header lines right after the date line:
    url https://www.rfi.fr/…      title, source, url, author, section, language
                               <- a blank line
    Body paragraph one…        <- paragraphs split by blank lines

Leading white space is ignored. What follows the date on the first line is taken as the title when it is short (at
most 200 characters), does not end like a sentence, and a blank line or a header follows it; otherwise it is the start
of the body, as in the seed article. Write a `title` header line to leave no doubt. Without a `source` header, the
source is the name of the folder holding the file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow as pa

from newsframe import encoding
from newsframe.errors import InputError
from newsframe.readers import RAW_FIELDS, Batch, records_frame, rejects_frame
from newsframe.readers.files import locator, read_bytes

_DATE_LINE = re.compile(r"^date[ \t]+(\S+)[ \t]*(.*)$", re.IGNORECASE)
_HEADER = re.compile(r"^(title|source|url|author|section|language|lang)[ \t]+(\S.*)$", re.IGNORECASE)
_SENTENCE_END = (".", "…", ";")
MAX_TITLE_CHARS = 200


def read_text(path: Path) -> Batch:
    """Read one seed-format article file."""
    return read_texts([path])


def read_texts(paths: list[Path]) -> Batch:
    """Read many seed-format article files into one batch (one frame for thousands of files, not one each)."""
    columns: dict[str, list[str | None]] = {field: [] for field in RAW_FIELDS}
    rejects = []
    for path in paths:
        where = locator(path)
        try:
            content, detected = encoding.decode(read_bytes(path), name=where)
            record = parse_article(content, where=where)
        except InputError as exc:
            reason = "not the text article format" if "first line" in str(exc) else "unreadable file"
            rejects.append({"origin": where, "reason": reason, "detail": str(exc)})
            continue
        record.setdefault("source", path.parent.name)
        record.update(origin=where, encoding=detected)
        for field, values in columns.items():
            values.append(record.get(field))
    frame = pd.DataFrame({field: pd.Series(pa.array(values, type=pa.large_string()), dtype="string")
                          for field, values in columns.items()})
    return Batch(records_frame(frame), rejects_frame(rejects))


_HEAD_PIECES = 12  # the date line and header lines are at the top: split only that far, not the whole body


def parse_article(content: str, *, where: str) -> dict[str, str]:
    """Return the fields of one seed-format article: published, title, text and any header values."""
    content = content.lstrip("\ufeff \t\r\n")
    if "\r" in content:
        content = content.replace("\r\n", "\n").replace("\r", "\n")
    pieces = content.split("\n", _HEAD_PIECES)
    first = _DATE_LINE.match(pieces[0].strip())
    if first is None:
        raise InputError(
            f"{where}: the first line should be `date YYYY-MM-DD` followed by the title or the body, "
            f"but it reads {pieces[0][:60]!r}. Add a date line at the top of the file."
        )
    published, rest = first.groups()
    last_header = len(pieces) - 1 if len(pieces) > _HEAD_PIECES else len(pieces)  # the last piece is the rest
    headers, body_start = _headers(pieces[:last_header], start=1)
    record = {"published": published, **headers}
    body = "\n".join(pieces[body_start:])
    if rest and "title" not in record and _looks_like_title(rest, next_line=pieces[1] if len(pieces) > 1 else ""):
        record["title"] = rest
    elif rest:
        body = f"{rest}\n{body}"
    record["text"] = body.strip()
    return record


def _headers(lines: list[str], *, start: int) -> tuple[dict[str, str], int]:
    headers: dict[str, str] = {}
    index = start
    while index < len(lines):
        match = _HEADER.match(lines[index].strip())
        if match is None:
            break
        key = match.group(1).lower()
        headers["language" if key == "lang" else key] = match.group(2).strip()
        index += 1
    return headers, index


def _looks_like_title(candidate: str, *, next_line: str) -> bool:
    followed_by_break = not next_line.strip() or _HEADER.match(next_line.strip()) is not None
    return followed_by_break and len(candidate) <= MAX_TITLE_CHARS and not candidate.rstrip().endswith(_SENTENCE_END)
