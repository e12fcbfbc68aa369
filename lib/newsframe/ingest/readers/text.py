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

import os
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa

from newsframe.errors import InputError
from newsframe.ingest import encoding
from newsframe.ingest.encoding import CONTROL_BYTES as _CONTROL_BYTES
from newsframe.ingest.readers import unreadable
from newsframe.ingest.readers.files import locator, printable, read_bytes
from newsframe.ingest.records import RAW_FIELDS, Batch, records_frame, rejects_frame

__all__ = ["MAX_TITLE_CHARS", "parse_article", "read_text", "read_texts"]

_NOT_THIS_FORMAT = "the first line should be `date"  # what `parse_article` says of a file in another format
_DATE_LINE = re.compile(r"^date[ \t]+(\S+)[ \t]*(.*)$", re.IGNORECASE)
_HEADER = re.compile(r"^(title|source|url|author|section|language|lang)[ \t]+(\S.*)$", re.IGNORECASE)
_SENTENCE_END = (".", "…", ";")
MAX_TITLE_CHARS = 200


def read_text(path: Path) -> Batch:
    """Read one seed-format article file."""
    return read_texts([path])


def read_texts(paths: list[str | Path]) -> Batch:
    """Read many seed-format article files into one batch (one frame for thousands of files, not one each).

    Most files are UTF-8 without a BOM, carriage returns or control characters. For them only the head lines are
    decoded and parsed in Python; the body stays bytes, and the bodies of the whole batch are checked as UTF-8 and
    turned into text in one step, which is most of the reading time saved in a large folder. Every other file, and a
    file whose body turns out not to be UTF-8, is decoded whole and parsed by `parse_article`, which defines the
    format; both ways give the same records.
    """
    rows: list[tuple[str | Path, str, bytes]] = []  # (path, locator, bytes) of each readable file
    fields: list[dict[str, str]] = []
    bodies: list[bytes] = []
    rejects, exports = [], []
    cwd = os.getcwd()
    for path in paths:
        where = locator(path, cwd=cwd)
        try:
            data = read_bytes(path)
            record, body = _parse_plain(data) or _parse_decoded(data, where=where)
        except Exception as exc:  # noqa: BLE001 - one file that cannot be read is a reject, not the end of ingest
            if _NOT_THIS_FORMAT in str(exc) and _is_export(path):  # a LexisNexis or Factiva text export
                exports.append(path)
            else:
                rejects.append(_reject(where, exc))
            continue
        rows.append((path, where, data))
        fields.append(record)
        bodies.append(body)
    texts = _as_text(bodies)
    if texts is None:  # a body that is not UTF-8: those files are read again the careful way
        rows, fields, texts = _redo_non_utf8(rows, fields, bodies, rejects)
    notes = tuple(_mixed_note(where) for (_, where, _), record in zip(rows, fields, strict=True)
                  if record.get("encoding") == encoding.MIXED)
    batch = Batch(records_frame(_frame(rows, fields, texts)), rejects_frame(rejects), notes)
    return _with_exports(batch, exports) if exports else batch


def _is_export(path: str | Path) -> bool:
    from newsframe.ingest.readers import press  # lxml and the export readers: only for files that need them

    return press.kind_of(path) is not None


def _with_exports(batch: Batch, exports: list[str | Path]) -> Batch:
    """Return the batch with the records of the press exports found among the text files."""
    from newsframe.ingest.readers import press

    read = []
    for path in exports:
        try:
            read.append(press.read_export(Path(path)))
        except Exception as exc:  # noqa: BLE001 - as in `read_texts`
            read.append(Batch(records_frame([]), rejects_frame([_reject(locator(path), exc)])))
    records = pd.concat([batch.records, *(b.records for b in read)], ignore_index=True)
    rejects = pd.concat([batch.rejects, *(b.rejects for b in read)], ignore_index=True)
    return Batch(records_frame(records), rejects, batch.notes)


def _mixed_note(where: str) -> str:
    return (f"{where}: mixes UTF-8 with Windows-1252 (text pasted from another file); each part was read in its "
            "own encoding. Check its accents.")


def _reject(where: str, exc: Exception) -> dict[str, str]:
    if not isinstance(exc, InputError):
        return {"origin": where, "reason": "unreadable file", "detail": unreadable(where, exc)}
    reason = "not the text article format" if _NOT_THIS_FORMAT in str(exc) else "unreadable file"
    return {"origin": where, "reason": reason, "detail": str(exc)}


def _parse_decoded(data: bytes, *, where: str) -> tuple[dict[str, str], bytes]:
    content, detected = encoding.decode(data, name=where)
    record = parse_article(content, where=where)
    record["encoding"] = detected
    return record, record.pop("text").encode("utf-8")


def _as_text(bodies: list[bytes]) -> pa.Array | None:
    """Return the bodies as one string array, or None when one of them is not UTF-8 (checked all at once)."""
    try:
        return pa.array(bodies, type=pa.large_binary()).cast(pa.large_string())
    except pa.ArrowInvalid:
        return None


def _redo_non_utf8(rows: list[tuple[str | Path, str, bytes]], fields: list[dict[str, str]], bodies: list[bytes],
                   rejects: list[dict[str, str]]) -> tuple[list, list, pa.Array]:
    """Read again, decoded whole, the files whose body is not UTF-8; a file that fails then joins `rejects`."""
    kept_rows, kept_fields, kept_bodies = [], [], []
    for row, record, body in zip(rows, fields, bodies, strict=True):
        if record.get("encoding") == "utf-8" and not _is_utf8(body):  # from `_parse_plain`: decode it whole
            try:
                record, body = _parse_decoded(row[2], where=row[1])
            except Exception as exc:  # noqa: BLE001 - as in `read_texts`
                rejects.append(_reject(row[1], exc))
                continue
        kept_rows.append(row)
        kept_fields.append(record)
        kept_bodies.append(body)
    return kept_rows, kept_fields, _as_text(kept_bodies)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _frame(rows: list[tuple[str | Path, str, bytes]], fields: list[dict[str, str]], texts: pa.Array) -> pd.DataFrame:
    columns = {field: [record.get(field) for record in fields] for field in RAW_FIELDS if field not in _OWN_FIELDS}
    columns["source"] = [record.get("source") or _folder_name(row[0]) for row, record in zip(rows, fields, strict=True)]
    columns["origin"] = [where for _, where, _ in rows]
    frame = {field: pd.Series(pa.array(values, type=pa.large_string()), dtype="string")
             for field, values in columns.items()}
    frame["text"] = pd.Series(texts, dtype="string")
    return pd.DataFrame(frame)


_OWN_FIELDS = {"text", "source", "origin"}  # columns `_frame` fills itself


def _folder_name(path: str | Path) -> str:
    """Return the name of the folder holding `path`: the source of an article that names none."""
    return printable(os.path.basename(os.path.dirname(path)))


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
    while index < len(lines) and (header := _header(lines[index].strip())):
        headers[header[0]] = header[1]
        index += 1
    return headers, index


def _header(line: str) -> tuple[str, str] | None:
    """Return (field, value) of a `key value` header line, else None."""
    match = _HEADER.match(line)
    if match is None:
        return None
    key = match.group(1).lower()
    return "language" if key == "lang" else key, match.group(2).strip()


def _looks_like_title(candidate: str, *, next_line: str) -> bool:
    followed_by_break = not next_line.strip() or _HEADER.match(next_line.strip()) is not None
    return followed_by_break and len(candidate) <= MAX_TITLE_CHARS and not candidate.rstrip().endswith(_SENTENCE_END)


def _parse_plain(data: bytes) -> tuple[dict[str, str], bytes] | None:
    """Parse a plain UTF-8 article as `parse_article` would, decoding only its head lines; else return None.

    Returns (the fields, the text as UTF-8 bytes, not yet checked). None leaves the file to `parse_article`: a BOM,
    a carriage return or a control character anywhere, a head line that is not UTF-8, a missing date line (whose
    error `parse_article` words), or text that starts or ends with a non-ASCII space.
    """
    if data.startswith(_UTF8_BOM) or b"\r" in data or len(data.translate(None, _CONTROL_BYTES)) != len(data):
        return None
    try:
        start = _LEADING_SPACE.match(data).end()
        end = _line_end(data, start)
        first = _DATE_LINE.match(data[start:end].decode("utf-8").strip())
        if first is None:
            return None
        published, rest = first.groups()
        record, position, next_line = {"published": published}, end + 1, ""
        for index in range(1, _HEAD_PIECES):  # header lines, as far as `parse_article` looks for them
            if position > len(data):
                break
            end = _line_end(data, position)
            line = data[position:end].decode("utf-8").strip()
            if index == 1:
                next_line = line  # what decides whether the rest of the date line is a title
            header = _header(line)
            if header is None:
                break
            record[header[0]] = header[1]
            position = end + 1
    except UnicodeDecodeError:
        return None
    body = data[position:]
    if rest and "title" not in record and _looks_like_title(rest, next_line=next_line):
        record["title"] = rest
    elif rest:
        body = rest.encode("utf-8") + b"\n" + body
    body = body.strip()  # ASCII white space; Unicode spaces at either end are left to `parse_article`
    if body and (_starts_with_space(body) or _ends_with_space(body)):
        return None
    record["encoding"] = "utf-8"
    return record, body


_UTF8_BOM = b"\xef\xbb\xbf"
_LEADING_SPACE = re.compile(rb"[ \t\n]*")


def _line_end(data: bytes, start: int) -> int:
    end = data.find(b"\n", start)
    return len(data) if end < 0 else end


def _starts_with_space(body: bytes) -> bool:
    return body[0] >= 0x80 and body[:4].decode("utf-8", "ignore")[:1].isspace()


def _ends_with_space(body: bytes) -> bool:
    return body[-1] >= 0x80 and body[-4:].decode("utf-8", "ignore")[-1:].isspace()
