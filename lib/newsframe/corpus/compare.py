"""Two corpora compared article by article, for a researcher who exported a corpus again (from a press database, a
feed collection): which articles were added, which were removed, and which changed, and in what.

An article's id hashes its source, date, title and text, so an edited article gets a new id. Articles are matched in
steps, each among those not matched yet: by `article_id` (unchanged), then by the database's `document_id`, by `url`,
and by source, title and day of publication; a pair matched after the first step is "changed", naming the fields that
differ. A key shared by several of the articles left on either side (a feed linking every item to its home page, two
"Live updates" of one day) matches nothing: what is left is "added" (only in the new corpus) or "removed".
"""

from __future__ import annotations

import pandas as pd

__all__ = ["COMPARED", "STATUSES", "STEPS", "by_source", "diff", "fields", "format_summary"]

STEPS = ("article_id", "document_id", "url", "source, title and day")
STATUSES = ("changed", "added", "removed", "unchanged")
# The fields said to differ in a changed pair; where an article was read from (origin, encoding) and what ingest
# derives (duplicates, stories) are not the article.
COMPARED = ("source", "published", "title", "text", "url", "document_id", "author", "section", "subtitle", "language",
            "page", "edition", "word_count", "feed")
DIFF_COLUMNS = ["status", "matched_by", "old_article_id", "new_article_id", "source", "published", "title", "changed"]


def diff(old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Return one row per article of either corpus: `status` (changed, added, removed or unchanged), `matched_by`
    (the step in STEPS that paired it, empty for added and removed), `old_article_id`, `new_article_id`, `source`,
    `published`, `title` (the new version's, else the old's) and `changed` (the fields that differ, comma-separated).
    Changed articles come first, then added, removed and unchanged, each by source and date."""
    old, new = old.reset_index(drop=True), new.reset_index(drop=True)
    old_rest, new_rest, parts = old.index, new.index, []
    for step in STEPS:
        pairs = _pairs(_keys(old.loc[old_rest], step), _keys(new.loc[new_rest], step), unique=step != "article_id")
        parts.append(_matched(old, new, pairs, step))
        old_rest, new_rest = old_rest.difference(pairs["old"]), new_rest.difference(pairs["new"])
    parts += [_unmatched(new.loc[new_rest], "added"), _unmatched(old.loc[old_rest], "removed")]
    parts = [part for part in parts if len(part)]
    if not parts:
        return _empty()
    frame = pd.concat(parts, ignore_index=True)
    order = frame["status"].map({status: i for i, status in enumerate(STATUSES)})
    return (frame.assign(_order=order).sort_values(["_order", "source", "published"], kind="stable")
            .drop(columns="_order").reset_index(drop=True)[DIFF_COLUMNS])


def _keys(articles: pd.DataFrame, step: str) -> pd.Series:
    """Return each article's key for a matching step; missing where it has none (no url, an empty title)."""
    if step == "article_id":
        return articles["article_id"].astype("string")
    if step in ("document_id", "url"):
        values = articles[step].astype("string").str.strip() if step in articles else pd.Series(
            pd.NA, index=articles.index, dtype="string")
        return values.where(values != "")
    title = articles["title"].astype("string").str.strip()
    day = articles["published"].dt.tz_convert("UTC").dt.strftime("%Y-%m-%d").astype("string")
    return (articles["source"].astype("string") + "\x1f" + title + "\x1f" + day).where(title != "")


def _pairs(old_keys: pd.Series, new_keys: pd.Series, *, unique: bool) -> pd.DataFrame:
    """Return the (old, new) index pairs whose keys are equal, one to one: the first old article with the first new
    one of a key; with `unique`, only keys held by one article on each side."""
    sides = []
    for keys, side in ((old_keys.dropna(), "old"), (new_keys.dropna(), "new")):
        if unique:
            keys = keys[~keys.duplicated(keep=False)]
        sides.append(pd.DataFrame({"key": keys.to_numpy(), "nth": keys.groupby(keys).cumcount().to_numpy(),
                                   side: keys.index}))
    return sides[0].merge(sides[1], on=["key", "nth"])[["old", "new"]]


def _matched(old: pd.DataFrame, new: pd.DataFrame, pairs: pd.DataFrame, step: str) -> pd.DataFrame:
    before, after = old.loc[pairs["old"]].reset_index(drop=True), new.loc[pairs["new"]].reset_index(drop=True)
    differ = {name: _differs(before[name], after[name]) for name in COMPARED
              if name in before and name in after and step != "article_id"}
    changed = pd.Series([", ".join(name for name, flags in differ.items() if flags[i]) for i in range(len(after))],
                        dtype="string")
    return pd.DataFrame({
        "status": changed.map(lambda fields: "changed" if fields else "unchanged").astype("string"),
        "matched_by": pd.Series(step, index=after.index, dtype="string"),
        "old_article_id": before["article_id"].astype("string"), "new_article_id": after["article_id"].astype("string"),
        "source": after["source"].astype("string"), "published": after["published"],
        "title": after["title"].astype("string"), "changed": changed,
    })


def _differs(before: pd.Series, after: pd.Series) -> list[bool]:
    """Return, pair by pair, whether two values differ (two missing values are the same)."""
    same = (before == after).fillna(False).astype(bool) | (before.isna() & after.isna())
    return (~same).tolist()


def _unmatched(articles: pd.DataFrame, status: str) -> pd.DataFrame:
    ids = articles["article_id"].astype("string").reset_index(drop=True)
    missing = pd.Series(pd.NA, index=ids.index, dtype="string")
    return pd.DataFrame({
        "status": pd.Series(status, index=ids.index, dtype="string"),
        "matched_by": pd.Series("", index=ids.index, dtype="string"),
        "old_article_id": ids if status == "removed" else missing,
        "new_article_id": ids if status == "added" else missing,
        "source": articles["source"].astype("string").reset_index(drop=True),
        "published": articles["published"].reset_index(drop=True),
        "title": articles["title"].astype("string").reset_index(drop=True),
        "changed": pd.Series("", index=ids.index, dtype="string"),
    })


def _empty() -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series([], dtype="datetime64[us, UTC]" if name == "published" else "string")
                         for name in DIFF_COLUMNS})


def by_source(compared: pd.DataFrame, *, top: int | None = None) -> pd.DataFrame:
    """Return per source (a changed article counts for its new source) the articles `changed`, `added`, `removed`
    and `unchanged`, most differences first; the `top` sources only when given."""
    counts = pd.crosstab(compared["source"], compared["status"]).reindex(columns=list(STATUSES), fill_value=0)
    counts = counts.assign(_differences=counts[["changed", "added", "removed"]].sum(axis=1))
    counts = counts.sort_values(["_differences", "unchanged"], ascending=False, kind="stable")
    counts = counts.drop(columns="_differences")
    counts.columns.name = None
    return counts.reset_index().head(top if top is not None else len(counts))


def fields(compared: pd.DataFrame) -> pd.Series:
    """Return how many changed articles differ in each field, most first."""
    named = compared.loc[compared["status"] == "changed", "changed"].str.split(", ").explode()
    return named.value_counts().rename("articles").rename_axis("field")


def format_summary(compared: pd.DataFrame, *, top: int = 10) -> str:
    """Return what `diff` found as lines of text: counts by status, how changed articles were matched and what
    changed in them, and the `top` sources with most differences."""
    counts = compared["status"].value_counts()
    lines = [", ".join(f"{status} {counts.get(status, 0):,}" for status in STATUSES)]
    changed = compared[compared["status"] == "changed"]
    if len(changed):
        steps = changed["matched_by"].value_counts()
        lines.append("changed articles matched by " + ", ".join(f"{step} {n:,}" for step, n in steps.items())
                     + "; what changed: " + ", ".join(f"{field} {n:,}" for field, n in fields(compared).items()))
    if not counts.drop("unchanged", errors="ignore").sum():
        return "\n".join([*lines, "the two corpora hold the same articles"])
    table = by_source(compared, top=top)
    table = table[table[["changed", "added", "removed"]].sum(axis=1) > 0]
    lines += [f"by source ({len(table):,} with most differences):", "  changed    added  removed  source"]
    lines += [f"  {r.changed:>7,}  {r.added:>7,}  {r.removed:>7,}  {r.source}" for r in table.itertuples(index=False)]
    return "\n".join(lines)
