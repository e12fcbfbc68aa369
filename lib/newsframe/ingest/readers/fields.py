"""Map the column names researchers' files use onto the raw record fields."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsframe.errors import InputError
from newsframe.ingest.records import RAW_FIELDS

__all__ = ["ALIASES", "USER_FIELDS", "apply", "derive_source", "flatten", "html_to_text_where_tagged", "key", "resolve"]

# Recognised automatically, compared without case, spaces, dashes or underscores (pubDate == pub_date == PubDate).
# For `text`, every present column is used in this order: the first non-empty value wins.
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline", "heading", "titre", "subject"),
    "text": (
        "text", "body", "content", "full_text", "fulltext", "article_text", "article", "maintext", "content_text",
        "texte", "contenu", "corps", "content_html", "description", "summary", "abstract", "lead", "chapo",
    ),
    "published": (
        "published", "publish_date", "published_at", "publication_date", "date_published", "pubdate", "pub_date",
        "date", "datetime", "timestamp", "created_at", "date_publication", "time", "updated", "modified",
    ),
    "source": (
        "source", "outlet", "publisher", "media", "medium", "site_name", "sitename", "site", "newspaper", "journal",
        "source_name", "feed", "feed_title",
    ),
    "url": ("url", "link", "lien", "href", "article_url", "article_link", "article_source_link", "permalink", "uri",
            "guid",
            "id"),
    "author": ("author", "authors", "byline", "creator", "writer", "auteur", "auteurs"),
    "section": ("section", "category", "categories", "rubrique", "rubric", "desk", "tags"),
    "language": ("language", "lang", "langue", "locale"),
    "subtitle": ("subtitle", "sub_title", "subheadline", "standfirst", "chapeau", "sous_titre", "highlight"),
    "page": ("page", "pages", "page_number"),
    "edition": ("edition", "édition"),
    "word_count": ("word_count", "wordcount", "words", "nombre_de_mots", "length"),
    "document_id": ("document_id", "doc_id", "documentid", "accession_number", "an"),
}  # fmt: skip
USER_FIELDS = tuple(f for f in RAW_FIELDS if f not in {"origin", "encoding"})
_URLISH = re.compile(r"^https?://", re.IGNORECASE)
_HTML_TAG = re.compile(r"<(?:p|br|div|a|span|em|strong|b|i|img|ul|li|h[1-6]|figure|blockquote)\b", re.IGNORECASE)


def key(name: str) -> str:
    """Return a column name reduced for matching: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", str(name).lower())


def resolve(columns: list[str], *, explicit: dict[str, str] | None, where: str) -> dict[str, list[str]]:
    """Return, for each raw field, the file's columns that feed it (explicit mapping first, then aliases)."""
    explicit = explicit or {}
    unknown = sorted(set(explicit) - set(USER_FIELDS))
    if unknown:
        raise InputError(f"column mapping names unknown field(s) {', '.join(unknown)}; use {', '.join(USER_FIELDS)}.")
    by_key = {key(c): c for c in reversed(columns)}
    mapping: dict[str, list[str]] = {}
    for field in USER_FIELDS:
        if field in explicit:
            if explicit[field] not in columns:
                raise InputError(
                    f"{where}: no column {explicit[field]!r} for {field}; the file's columns are {', '.join(columns)}."
                )
            mapping[field] = [explicit[field]]
            continue
        found = [by_key[key(a)] for a in ALIASES[field] if key(a) in by_key]
        mapping[field] = found if field == "text" else found[:1] if field != "url" else found
    return mapping


def apply(frame: pd.DataFrame, mapping: dict[str, list[str]]) -> pd.DataFrame:
    """Return a frame of the raw fields built from a file's columns, values flattened to strings."""
    out = pd.DataFrame(index=frame.index)
    for field, columns in mapping.items():
        values = [flatten(frame[c]) for c in columns]
        if field == "url":
            values = [v for v in values if _mostly_urls(v)][:1]
        out[field] = _coalesce(values, index=frame.index)
    if out["text"].notna().any():
        out["text"] = html_to_text_where_tagged(out["text"])
    return out


def derive_source(records: pd.DataFrame, *, fallback: str) -> pd.Series:
    """Return the source column, filled from the URL's host name, then `fallback`, where it is missing."""
    hosts = records["url"].astype("string").map(_host, na_action="ignore").astype("string")
    return records["source"].astype("string").fillna(hosts).fillna(fallback)


def flatten(values: pd.Series) -> pd.Series:
    """Return values as strings: lists joined with '; ', objects by their `name`, blanks as missing.

    Values keep their surrounding white space; cleaning trims it later.
    """
    if values.dtype == object:
        values = values.map(_flatten_one, na_action="ignore")
    arr = pa.array(values.astype("string").array, type=pa.large_string(), from_pandas=True)
    blank = pc.match_substring_regex(arr, r"^\s*$")  # anchored: gives up at the first letter of a long text
    if pc.any(blank).as_py():  # if_else copies every value: only when some are blank
        arr = pc.if_else(blank, pa.scalar(None, pa.large_string()), arr)
    return pd.Series(arr, index=values.index, dtype="string")


def _flatten_one(value):
    if isinstance(value, list):
        return "; ".join(s for s in (_flatten_one(v) for v in value) if s)
    if isinstance(value, dict):
        return value.get("name") or value.get("value") or value.get("term") or json.dumps(value, ensure_ascii=False)
    return value


def _coalesce(values: list[pd.Series], *, index) -> pd.Series:
    """Return the first non-missing value of each row across `values`."""
    if not values:
        return pd.Series(pd.NA, index=index, dtype="string")
    arrays = [pa.array(v.array, type=pa.large_string(), from_pandas=True) for v in values]
    return pd.Series(pc.coalesce(*arrays) if len(arrays) > 1 else arrays[0], index=index, dtype="string")


def _mostly_urls(values: pd.Series) -> bool:
    present = values.dropna()
    return len(present) == 0 or present.str.strip().str.match(_URLISH.pattern).mean() >= 0.5


def _holds_byte(arr: pa.Array | pa.ChunkedArray, byte: bytes) -> bool:
    """Return whether any string may hold `byte` (never a false no): a search of the raw buffers, far cheaper
    than one search per value."""
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    return any(c.buffers()[2] is not None and re.search(re.escape(byte), c.buffers()[2]) for c in chunks)


def _host(url: str) -> str | None:
    host = urlsplit(url).hostname if _URLISH.match(url) else None
    return host.removeprefix("www.") if host else None


def html_to_text_where_tagged(texts: pd.Series) -> pd.Series:
    """Return texts with HTML markup turned into plain paragraphs, touching only the values that hold tags."""
    arr = pa.array(texts.array, type=pa.large_string(), from_pandas=True)
    if not _holds_byte(arr, b"<"):
        return texts
    candidates = np.flatnonzero(pc.fill_null(pc.match_substring(arr, "<"), False).to_numpy(zero_copy_only=False))
    hits = pc.match_substring_regex(arr.take(candidates), _HTML_TAG.pattern, ignore_case=True)
    tagged = candidates[hits.to_numpy(zero_copy_only=False)]
    if len(tagged) == 0:
        return texts
    from newsframe.ingest.readers.html import html_to_text  # lxml: imported only when some value holds markup

    out = texts.copy()
    out.iloc[tagged] = [html_to_text(v) for v in texts.iloc[tagged]]
    return out
