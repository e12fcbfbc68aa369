"""Turn raw records from the readers into articles, and everything that cannot be used into rejects.

Steps, each over whole columns: clean title and text; parse dates; reject records without text or without a usable
date; detect language; derive a stable `article_id` from content; and, once every batch is in, flag exact
duplicates (same cleaned text) with a pointer to the copy kept, which is the earliest published.

Ingest normalises batches as they are read (`normalise_batch`, on several threads or worker processes), then joins
them (`combine_batches`): duplicates can only be told across all batches.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsframe.arrays import as_arrow
from newsframe.corpus import duplicates, ids, schema, sources
from newsframe.ingest import dates, language
from newsframe.ingest.clean import clean
from newsframe.ingest.records import RAW_FIELDS, as_json

__all__ = ["DATE_EXAMPLES", "TEXT_KEY", "combine_batches", "normalise", "normalise_batch"]

DATE_EXAMPLES = "2025-11-19, 2025-11-19T14:30:00+01:00, Wed, 19 Nov 2025 14:30:00 +0100, 19 novembre 2025"
SHORT_TEXT_CHARS = 200  # below this, a declared language is trusted over detection
_SEPARATOR_NEWLINE = pa.scalar("\n", pa.large_string())
TEXT_KEY = "_text_key"  # a batch's private column: the duplicate key of each text, for `combine_batches`
_FILE_SUFFIX = r"\s*[-–—]*\s*\.(?:xml|rss|atom|rdf|json|jsonl|csv|txt|html?)$"


def normalise(records: pd.DataFrame, **options) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (articles, rejects) built from raw records; every record ends up in exactly one of them. `options`
    as `normalise_batch` takes them."""
    articles, rejects = normalise_batch(records, **options)
    return combine_batches([articles]), rejects


def normalise_batch(
    records: pd.DataFrame,
    *,
    languages: tuple[str, ...] = language.DEFAULT_LANGUAGES,
    date_order: str = "DMY",
    sources_map: list | None = None,
    keep_title_only: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Normalise one batch of raw records: everything that needs no other batch.

    `sources_map` (rules from `corpus.sources.read_map`) names each source's outlet, the name as read kept in
    `feed`. With `keep_title_only`, a record with a title and no text is kept (a headline), not rejected.
    Returns (articles, with the private `_text_key` column that `combine_batches` uses for duplicates; rejects).
    """
    records = records.reset_index(drop=True)
    feed = _source_name(records["source"])
    cleaned = pd.DataFrame({
        "title": clean(records["title"]),
        "text": clean(records["text"]),
        "source": sources.apply(feed, sources_map) if sources_map else feed,
        "feed": feed,
        "url": records["url"].astype("string").str.strip(),
        "section": clean(records["section"]),
        "author": clean(records["author"]),
        "subtitle": clean(records["subtitle"]),
        "page": records["page"].astype("string").str.strip(),
        "edition": records["edition"].astype("string").str.strip(),
        "word_count": pd.to_numeric(records["word_count"].astype("string").str.replace(r"\D", "", regex=True),
                                    errors="coerce").astype("Int64"),
        "document_id": records["document_id"].astype("string").str.strip(),
        "origin": records["origin"].astype("string"),
        "encoding": records["encoding"].astype("string"),
    })
    parsed = dates.parse(records["published"], date_order=date_order)
    no_text = (cleaned["text"] == "") & ((cleaned["title"] == "") if keep_title_only else True)
    bad_date = ~no_text & parsed["date_error"].notna()
    rejects = _rejects(records, no_text=no_text, bad_date=bad_date, date_error=parsed["date_error"])
    kept = ~(no_text | bad_date)
    articles = (cleaned if kept.all() else cleaned[kept]).assign(
        published=parsed.loc[kept, "published"],
        is_time_known=parsed.loc[kept, "is_time_known"],
    )
    articles = articles.assign(language=_language(articles, records.loc[kept, "language"], languages=languages))
    digests = ids.text_digests(articles["text"])  # the texts are the bulk of the bytes: hashed once, for both
    articles = articles.assign(article_id=ids.article_ids(articles, digests),
                               **{TEXT_KEY: duplicates.duplicate_key(_headline_digests(articles, digests))})
    return articles.reset_index(drop=True), rejects


def _headline_digests(articles: pd.DataFrame, digests: list[bytes]) -> list[bytes]:
    """Return the text digests, a headline kept without text (`keep_title_only`) taking the digest of its source and
    title instead: every empty text is the same, and would make all headlines duplicates of one."""
    empty = (articles["text"] == "").to_numpy(dtype=bool)
    if not empty.any():
        return digests
    headlines = articles.loc[empty, "source"].fillna("") + "\x1f" + articles.loc[empty, "title"].fillna("")
    keys = iter(ids.text_digests(headlines.astype("string")))
    return [next(keys) if is_empty else digest for digest, is_empty in zip(digests, empty, strict=True)]


def combine_batches(batches: list[pd.DataFrame]) -> pd.DataFrame:
    """Join normalised batches into the articles frame: tell identical records apart, flag duplicates and older
    versions (`corpus.duplicates`); each article is a story of its own until `corpus.near_duplicates` groups them."""
    batches = [b for b in batches if len(b)]
    if not batches:
        return schema.empty_articles()
    articles = pd.concat(batches, ignore_index=True) if len(batches) > 1 else batches[0]
    articles = ids.separate_identical(articles)
    # Rows stay in input order (files in name order, records as written), which is deterministic: sorting by date
    # would copy every text once more, for an order any reader can ask for.
    articles = duplicates.flag(articles.drop(columns=TEXT_KEY), articles[TEXT_KEY].to_numpy())
    # Each article is a story of its own until near-duplicates are looked for.
    articles = articles.assign(story_id=articles["article_id"], story_similarity=float("nan"))
    return schema.validate_articles(schema.conform(articles, schema.ARTICLE_COLUMNS))


def _source_name(raw: pd.Series) -> pd.Series:
    """Return source names cleaned, without the file suffix a collection of feeds may leave in them
    (`Le Figaro - Sport.xml` is the source `Le Figaro - Sport`)."""
    return clean(raw).str.replace(_FILE_SUFFIX, "", regex=True)


def _language(articles: pd.DataFrame, declared: pd.Series, *, languages: tuple[str, ...]) -> pd.Series:
    # Detection reads the title and the start of the text: enough words to decide, and cheap at a million articles.
    head = pc.utf8_slice_codeunits(as_arrow(articles["text"]), 0, language.SAMPLE_CHARS)
    title = as_arrow(articles["title"])
    sample = pc.binary_join_element_wise(title, head, _SEPARATOR_NEWLINE)
    detected = language.detect(pd.Series(sample, index=articles.index, dtype="string"), languages=languages)
    declared = language.normalise_code(declared).set_axis(articles.index)
    trusted = declared.notna()
    if trusted.any():  # lengths of the texts that declare a language only: counting characters reads every byte
        trusted[trusted] = articles.loc[trusted, "text"].str.len() < SHORT_TEXT_CHARS
    return detected.where(~trusted, declared).fillna(declared)


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
