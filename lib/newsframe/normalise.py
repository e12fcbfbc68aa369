"""Turn raw records from the readers into the articles frame, and everything that cannot be used into rejects.

Steps, each over whole columns: clean title and text; parse dates; reject records without text or without a usable
date; detect language; derive a stable `article_id` from content; flag exact duplicates (same folded text) with a
pointer to the copy kept, which is the earliest published.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsframe import dates, language, schema
from newsframe import text as textops
from newsframe.readers import RAW_FIELDS, as_json

DATE_EXAMPLES = "2025-11-19, 2025-11-19T14:30:00+01:00, Wed, 19 Nov 2025 14:30:00 +0100, 19 novembre 2025"
SHORT_TEXT_CHARS = 200  # below this, a declared language is trusted over detection
_SEPARATOR_NEWLINE = pa.scalar("\n", pa.large_string())
_SEPARATOR_UNIT = pa.scalar("\x1f", pa.large_string())  # between the parts hashed into an id


def normalise(
    records: pd.DataFrame,
    *,
    languages: tuple[str, ...] = language.DEFAULT_LANGUAGES,
    date_order: str = "DMY",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (articles, rejects) built from raw records; every record ends up in exactly one of them."""
    prepared, rejects = prepare(records, languages=languages, date_order=date_order)
    return finish([prepared]), rejects


def prepare(
    records: pd.DataFrame,
    *,
    languages: tuple[str, ...] = language.DEFAULT_LANGUAGES,
    date_order: str = "DMY",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Normalise one batch of raw records: everything that needs no other batch. `finish` joins the batches.

    Returns (articles with a private `_text_key` column for duplicate detection, rejects).
    """
    records = records.reset_index(drop=True)
    cleaned = pd.DataFrame({
        "title": textops.clean(records["title"]),
        "text": textops.clean(records["text"]),
        "source": textops.clean(records["source"]),
        "url": records["url"].astype("string").str.strip(),
        "section": textops.clean(records["section"]),
        "author": textops.clean(records["author"]),
        "origin": records["origin"].astype("string"),
        "encoding": records["encoding"].astype("string"),
    })
    parsed = dates.parse(records["published"], date_order=date_order)
    no_text = cleaned["text"] == ""
    bad_date = ~no_text & parsed["date_error"].notna()
    rejects = _rejects(records, no_text=no_text, bad_date=bad_date, date_error=parsed["date_error"])
    kept = ~(no_text | bad_date)
    articles = (cleaned if kept.all() else cleaned[kept]).assign(
        published=parsed.loc[kept, "published"],
        is_time_known=parsed.loc[kept, "is_time_known"],
    )
    articles = articles.assign(language=_language(articles, records.loc[kept, "language"], languages=languages))
    text_digests = textops.digests(articles["text"])  # the texts are the bulk of the bytes: hashed once, for both
    articles = articles.assign(article_id=_content_ids(articles, text_digests),
                               _text_key=textops.duplicate_key(articles["text"], text_digests=text_digests))
    return articles.reset_index(drop=True), rejects


def finish(prepared: list[pd.DataFrame]) -> pd.DataFrame:
    """Join prepared batches into the articles frame: tell identical records apart, flag duplicates, sort."""
    prepared = [p for p in prepared if len(p)]
    if not prepared:
        return schema.empty_articles()
    articles = pd.concat(prepared, ignore_index=True) if len(prepared) > 1 else prepared[0]
    articles = _separate_identical(articles)
    # Rows stay in input order (files in name order, records as written), which is deterministic: sorting by date
    # would copy every text once more, about a quarter of the time of ingest, for an order any reader can ask for.
    articles = _flag_duplicates(articles).drop(columns="_text_key")
    return schema.validate_articles(schema.conform(articles, schema.ARTICLE_COLUMNS))


def _language(articles: pd.DataFrame, declared: pd.Series, *, languages: tuple[str, ...]) -> pd.Series:
    # Detection reads the title and the start of the text: enough words to decide, and cheap at a million articles.
    head = pc.utf8_slice_codeunits(textops.as_arrow(articles["text"]), 0, language.SAMPLE_CHARS)
    title = textops.as_arrow(articles["title"])
    sample = pc.binary_join_element_wise(title, head, _SEPARATOR_NEWLINE)
    detected = language.detect(pd.Series(sample, index=articles.index, dtype="string"), languages=languages)
    declared = language.normalise_code(declared).set_axis(articles.index)
    trusted = declared.notna()
    if trusted.any():  # lengths of the texts that declare a language only: counting characters reads every byte
        trusted[trusted] = articles.loc[trusted, "text"].str.len() < SHORT_TEXT_CHARS
    return detected.where(~trusted, declared).fillna(declared)


def _content(articles: pd.DataFrame) -> pa.Array:
    """Return what an article's id is a hash of: source, date, title and text, separated by a unit separator."""
    codes, stamps = pd.factorize(articles["published"])
    stamp = pa.array(stamps.strftime("%Y-%m-%dT%H:%M:%S.%f"), type=pa.large_string()).take(pa.array(codes))
    parts = [textops.as_arrow(articles["source"]), stamp, textops.as_arrow(articles["title"]),
             textops.as_arrow(articles["text"])]
    return pc.binary_join_element_wise(*parts, _SEPARATOR_UNIT)


def _content_ids(articles: pd.DataFrame, text_digests: list[bytes]) -> pd.Series:
    """Return each article's id: a hash of its content, so re-ingesting the same input gives the same ids.

    The hash is of source, date, title and the text's digest (`text.digests`), separated by a unit separator: the
    text, most of the bytes, is read once for ids and duplicate keys together.
    """
    if articles.empty:
        return pd.Series([], index=articles.index, dtype="string")
    codes, stamps = pd.factorize(articles["published"])
    stamp_text = [s.encode("ascii") for s in stamps.strftime("%Y-%m-%dT%H:%M:%S.%f")]
    parts = zip(textops.byte_slices(textops.as_arrow(articles["source"])), codes.tolist(),
                textops.byte_slices(textops.as_arrow(articles["title"])), text_digests, strict=True)
    ids = [_digest(b"\x1f".join((source, stamp_text[code], title, text))) for source, code, title, text in parts]
    return pd.Series(ids, index=articles.index, dtype="string")


def _separate_identical(articles: pd.DataFrame) -> pd.DataFrame:
    """Give identical records (the same article saved twice) distinct ids by adding where each came from."""
    clash = articles["article_id"].duplicated(keep=False)
    if not clash.any():
        return articles
    ids = articles["article_id"].copy()
    content = _content(articles[clash]).to_pylist()
    origins = articles.loc[clash, "origin"].fillna("")
    ids[clash] = [_digest((c + "\x1f" + o).encode("utf-8")) for c, o in zip(content, origins, strict=True)]
    return articles.assign(article_id=ids)


def _digest(value: bytes | memoryview) -> str:
    return hashlib.sha1(value, usedforsecurity=False).hexdigest()[:16]


def _flag_duplicates(articles: pd.DataFrame) -> pd.DataFrame:
    """Add `duplicate_of`: for an exact duplicate text, the id of the earliest published copy."""
    shared = articles["_text_key"].duplicated(keep=False)  # only these need sorting: most texts are unique
    duplicate_of = pd.Series(pd.NA, index=articles.index, dtype="string")
    if shared.any():
        copies = articles.loc[shared, ["published", "origin", "article_id", "_text_key"]]
        copies = copies.sort_values(["published", "origin"], kind="stable")
        first_id = copies.groupby("_text_key", sort=False)["article_id"].transform("first")
        duplicate_of[copies.index] = first_id.where(first_id != copies["article_id"]).astype("string")
    return articles.assign(duplicate_of=duplicate_of)


def _rejects(records: pd.DataFrame, *, no_text: pd.Series, bad_date: pd.Series, date_error: pd.Series) -> pd.DataFrame:
    missing_date = bad_date & (date_error == dates.NO_DATE)
    unreadable_date = bad_date & ~missing_date
    frames = [
        _reject_rows(records[mask], reason=reason, detail=detail(records[mask], date_error[mask]))
        for mask, reason, detail in ((no_text, "empty text", _no_text_detail),
                                     (missing_date, "missing date", _date_detail),
                                     (unreadable_date, "unparseable date", _date_detail))
        if mask.any()  # the details are written for the rejected records only: most batches have none
    ]
    return pd.concat(frames, ignore_index=True) if frames else schema.empty_rejects()


def _no_text_detail(records: pd.DataFrame, date_error: pd.Series) -> pd.Series:
    return records["origin"].astype("string") + ": no article text. Expected it in a text, body, content or " \
        "description field; if it is in another column, map it with `--column text=NAME`."


def _date_detail(records: pd.DataFrame, date_error: pd.Series) -> pd.Series:
    shown = records["published"].astype("string").fillna("")
    return (records["origin"].astype("string") + ": cannot use the date '" + shown + "' (" + date_error.fillna("")
            + "). Expected a date such as " + DATE_EXAMPLES + ". Fix the value, or map the right column with "
            "`--column published=NAME`.")


def _reject_rows(records: pd.DataFrame, *, reason: str, detail: pd.Series) -> pd.DataFrame:
    raw = records.loc[:, [f for f in RAW_FIELDS if f not in {"origin", "encoding"}]]
    as_records = [as_json({k: v for k, v in row.items() if pd.notna(v)}) for row in raw.to_dict("records")]
    frame = pd.DataFrame({"origin": records["origin"], "reason": reason, "detail": detail, "record": as_records})
    return schema.conform(frame, schema.REJECT_COLUMNS)
