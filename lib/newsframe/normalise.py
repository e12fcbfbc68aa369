"""Turn raw records from the readers into the articles frame, and everything that cannot be used into rejects.

Steps, each over whole columns: clean title and text; parse dates; reject records without text or without a usable
date; detect language; derive a stable `article_id` from content; flag exact duplicates (same folded text) with a
pointer to the copy kept, which is the earliest published.
"""

from __future__ import annotations

import hashlib

import pandas as pd

from newsframe import dates, language, schema
from newsframe import text as textops
from newsframe.readers import RAW_FIELDS, as_json

DATE_EXAMPLES = "2025-11-19, 2025-11-19T14:30:00+01:00, Wed, 19 Nov 2025 14:30:00 +0100, 19 novembre 2025"
SHORT_TEXT_CHARS = 200  # below this, a declared language is trusted over detection


def normalise(
    records: pd.DataFrame,
    *,
    languages: tuple[str, ...] = language.DEFAULT_LANGUAGES,
    date_order: str = "DMY",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (articles, rejects) built from raw records; every record ends up in exactly one of them."""
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
    articles = cleaned[kept].assign(
        published=parsed.loc[kept, "published"],
        is_time_known=parsed.loc[kept, "is_time_known"],
    )
    articles = articles.assign(language=_language(articles, records.loc[kept, "language"], languages=languages))
    articles = _with_ids(articles)
    articles = _flag_duplicates(articles)
    articles = articles.sort_values(["published", "article_id"], kind="stable").reset_index(drop=True)
    return schema.validate_articles(schema.conform(articles, schema.ARTICLE_COLUMNS)), rejects


def _language(articles: pd.DataFrame, declared: pd.Series, *, languages: tuple[str, ...]) -> pd.Series:
    detected = language.detect(articles["title"].fillna("") + "\n" + articles["text"], languages=languages)
    declared = language.normalise_code(declared).set_axis(articles.index)
    short = articles["text"].str.len() < SHORT_TEXT_CHARS
    return detected.where(~(short & declared.notna()), declared).fillna(declared)


def _with_ids(articles: pd.DataFrame) -> pd.DataFrame:
    """Add `article_id`: a hash of source, date, title and text, so re-ingesting the same input gives the same ids."""
    stamp = articles["published"].dt.strftime("%Y-%m-%dT%H:%M:%S.%f")
    content = (articles["source"].fillna("") + "\x1f" + stamp + "\x1f" + articles["title"].fillna("") + "\x1f"
               + articles["text"])
    ids = pd.Series([_digest(value) for value in content], index=articles.index, dtype="string")
    clash = ids.duplicated(keep=False)
    if clash.any():
        # Identical records (the same article saved twice): tell them apart by where each came from.
        origins = articles.loc[clash, "origin"]
        ids[clash] = [_digest(c + "\x1f" + o) for c, o in zip(content[clash], origins, strict=True)]
    return articles.assign(article_id=ids)


def _digest(value: str) -> str:
    return hashlib.sha1(value.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


def _flag_duplicates(articles: pd.DataFrame) -> pd.DataFrame:
    """Add `duplicate_of`: for an exact duplicate text, the id of the earliest published copy."""
    key = textops.duplicate_key(articles["text"])
    order = articles.assign(_key=key).sort_values(["published", "origin"], kind="stable")
    first_id = order.groupby("_key", sort=False)["article_id"].transform("first")
    duplicate_of = first_id.where(first_id != order["article_id"]).astype("string")
    return articles.assign(duplicate_of=duplicate_of.reindex(articles.index))


def _rejects(records: pd.DataFrame, *, no_text: pd.Series, bad_date: pd.Series, date_error: pd.Series) -> pd.DataFrame:
    origin = records["origin"].astype("string")
    no_text_detail = origin + ": no article text. Expected it in a text, body, content or description field; " \
        "if it is in another column, map it with `--column text=NAME`."
    shown = records["published"].astype("string").fillna("")
    date_detail = (origin + ": cannot use the date '" + shown + "' (" + date_error.fillna("") + "). Expected a date "
                   "such as " + DATE_EXAMPLES + ". Fix the value, or map the right column with "
                   "`--column published=NAME`.")
    missing_date = bad_date & (date_error == dates.NO_DATE)
    unreadable_date = bad_date & ~missing_date
    frames = [
        _reject_rows(records[no_text], reason="empty text", detail=no_text_detail[no_text]),
        _reject_rows(records[missing_date], reason="missing date", detail=date_detail[missing_date]),
        _reject_rows(records[unreadable_date], reason="unparseable date", detail=date_detail[unreadable_date]),
    ]
    return pd.concat(frames, ignore_index=True)


def _reject_rows(records: pd.DataFrame, *, reason: str, detail: pd.Series) -> pd.DataFrame:
    raw = records.loc[:, [f for f in RAW_FIELDS if f not in {"origin", "encoding"}]]
    as_records = [as_json({k: v for k, v in row.items() if pd.notna(v)}) for row in raw.to_dict("records")]
    frame = pd.DataFrame({"origin": records["origin"], "reason": reason, "detail": detail, "record": as_records})
    return schema.conform(frame, schema.REJECT_COLUMNS)
