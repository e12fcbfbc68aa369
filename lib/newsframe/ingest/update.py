"""An incremental run into a partitioned corpus that reads again only the texts it needs.

The slow path (`incremental.reused_months`) takes every unchanged article back through the spill and does everything
again over the whole corpus, near-duplicates included: it costs about a full ingest. This one starts from what the
corpus keeps of every article without its text (`layout.INDEX`: ids, dates, URL and text keys, file, duplicate,
story and similarity) and from its pairs, and:

1. drops the rows of the files gone or changed, adds those of the files read now (the spill), and puts them in
   corpus order: the order of their files, each file's articles in their order;
2. tells identical records apart and finds exact duplicates and older versions on the whole index, by the full run's
   rule (`duplicates.pointers`), reading back only the texts of the records whose id another record now shares and
   did not before, and the origins of the texts held more than once;
3. keeps the near-duplicate pairs whose two articles are still kept, and compares the articles kept now and not
   before (new ones, former duplicates) with every article kept within `--story-days` of them, reading those days'
   texts only (`near_duplicates.involving`). Stories are the groups the pairs link; a member's similarity is the
   corpus's when its story's first copy is the one it had, else computed again;
4. writes again the months where an article changed (its row, id, duplicate, story or similarity), and links the
   other months' files into the new generation as they are. Corpus order is the order of the input files: new files
   whose names sort after the others' (a folder that grows by date) only add rows, whereas a file removed, or added
   in the middle, moves the rows of every article after it, and their months are written again.

The corpus written is the one a full ingest writes (tests compare them, duplicates, pairs, stories and similarities
included). One case is left to the slow path: a band key shared by more than `near_duplicates.MAX_BUCKET` of the
articles compared (a template printed thousands of times), which a full run links as a star whose pairs depend on
which articles it compares together. Only the articles compared here are counted: a full run's chunk (up to
`spill.CHUNK` articles and the window before them) may hold more of a template's copies than these days do, and its
pairs then depend on where its chunks are cut, the caveat `near_duplicates.InTimeOrder` documents.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from newsframe import corpus, memory
from newsframe.arrays import arrow_strings
from newsframe.corpus import duplicates, ids, layout, near_duplicates, schema
from newsframe.ingest import incremental, normalise, spill

__all__ = ["Updated", "finish"]

_DAY_US = 86_400 * 1_000_000


@dataclass(frozen=True)
class Updated:
    """What the fast path found: the articles without their texts (as `spill.Spill.finish` gives them), the pairs,
    what writes the generation's months and index into a folder, and how many months it writes and carries."""

    articles: pd.DataFrame
    pairs: pd.DataFrame | None
    write: Callable[[str], None]
    months_written: int
    months_carried: int


def finish(spilled: spill.Spill, previous: incremental.Plan, *, stories: bool, threshold: float,
           window_days: float) -> Updated | None:
    """Return the corpus `previous` (an incremental plan of a partitioned corpus with its index) becomes with the
    articles of the files read now (in `spilled`), or None when only the slow path gives it exactly (the module's
    docstring): `spilled` is then left as it was, to take the unchanged articles."""
    spilled.close()
    stored = previous.index
    old_rows, old = _unchanged(previous)
    new = spilled.index()
    index = spill.Index.joined(old, new)
    order = np.lexsort((index.within, index.file))
    index = index.take(order)
    was = np.concatenate([old_rows, np.full(len(new.id), -1, np.int64)])[order]  # row in the corpus written, or -1
    appended = np.concatenate([np.full(len(old_rows), -1, np.int64), np.arange(len(new.id))])[order]
    rows_of_appended = np.empty(len(new.id), np.int64)
    rows_of_appended[appended[appended >= 0]] = np.flatnonzero(appended >= 0)
    spilled.put_in_order(rows_of_appended)
    texts = _Texts(spilled, previous.corpus, was, index.published)
    before = _Before(stored, was)
    raw_id = index.id
    index.id = _separated(raw_id, before, texts)
    target = duplicates.pointers(index.published, index.url_key, index.text_key, index.id,
                                 origin_of=lambda rows: texts.rows(rows, ["origin"])["origin"].to_numpy())
    spilled.older_versions = int((duplicates.version_pointers(index.published, index.url_key, index.id) >= 0).sum())
    story_row, similarity, pairs = np.arange(len(target)), np.full(len(target), np.nan), None
    if stories:
        found = _stories(index, target, before, texts, previous.corpus, threshold=threshold, window_days=window_days)
        if found is None:
            spilled.put_in_order(None)
            return None
        story_row, similarity, pairs = found
    table = spill.index_table(index, raw_id=raw_id, target=target, story_row=story_row, file=index.file,
                              similarity=similarity)
    articles = index.articles(target, story_row).assign(story_similarity=similarity)
    carried, rewritten = _months(table, before, stored)
    write = _writer(spilled, previous.corpus, articles, table, before.now, carried=carried, rewritten=rewritten)
    return Updated(articles.drop(columns="story_similarity"), pairs, write, len(rewritten), len(carried))


def _unchanged(previous: incremental.Plan) -> tuple[np.ndarray, spill.Index]:
    """Return the rows of the corpus's index whose file is unchanged, and an `Index` of them (ids as they were before
    identical records were told apart; `file` their file's place in this run's files, `within` their row)."""
    stored, places = previous.index, {name: at for at, name in enumerate(incremental.locators(previous.files))}
    kept = set(previous.kept)
    place_of = np.array([places[name] if name in kept else -1 for name in previous.index_files] + [-1], np.int64)
    file = place_of[np.minimum(stored["file"].to_numpy(), len(previous.index_files))]
    rows = np.flatnonzero(file >= 0)
    taken = stored.take(pa.array(rows))
    coded = {name: pc.dictionary_encode(taken[name].cast(pa.string()).combine_chunks()) for name in
             ("source", "language")}
    return rows, spill.Index(
        id=taken["raw_id"].to_numpy(), published=taken["published"].to_numpy(),
        url_key=taken["url_key"].to_numpy(), text_key=taken["text_key"].to_numpy(),
        **{name: codes.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int32)
           for name, codes in coded.items()},
        title_only=taken["title_only"].to_numpy(), file=file[rows], within=rows,
        names={name: codes.dictionary.to_pylist() for name, codes in coded.items()})


class _Before:
    """The corpus written, seen from the rows of this run: each row's values there (`was` >= 0), and where its
    stored rows went."""

    def __init__(self, stored: pa.Table, was: np.ndarray) -> None:
        self.was, self.old = was, was >= 0
        self.now = np.full(stored.num_rows, -1, np.int64)  # stored row -> row now, -1 when gone
        self.now[was[self.old]] = np.flatnonzero(self.old)
        self.stored_ids = stored["article_id"].to_numpy()
        self.stored_story = stored["story_id"].to_numpy()
        self.stored_similarity = stored["story_similarity"].to_numpy()
        self.stored_duplicate_of = stored["duplicate_of"].to_numpy()

    def column(self, stored: pa.Table, name: str, missing) -> np.ndarray:
        """Return a stored column at this run's rows, `missing` for the rows read now."""
        values = stored[name].to_numpy()
        out = np.full(len(self.was), missing, values.dtype)
        out[self.old] = values[self.was[self.old]]
        return out


def _separated(raw_id: np.ndarray, before: _Before, texts: _Texts) -> np.ndarray:
    """Return the ids with identical records told apart (`ids.separated_ids`): the id the corpus gave a record that
    was told apart and still is; computed from its text for a record that must be told apart now, not before."""
    clash = pd.Series(raw_id).duplicated(keep=False).to_numpy()
    final = raw_id.copy()
    given = np.zeros(len(raw_id), np.uint64)
    given[before.old] = before.stored_ids[before.was[before.old]]
    told_apart = before.old & (given != raw_id)
    final[clash & told_apart] = given[clash & told_apart]
    needed = np.flatnonzero(clash & ~told_apart)
    if len(needed):
        frame = texts.rows(needed, ["source", "published", "title", "text", "origin"])
        final[needed] = ids.as_numbers(pa.array(ids.separated_ids(frame), pa.large_string()))
    return final


def _stories(index: spill.Index, target: np.ndarray, before: _Before, texts: _Texts, corpus_path: str, *,
             threshold: float, window_days: float) -> tuple[np.ndarray, np.ndarray, pd.DataFrame] | None:
    """Return each row's story's first copy, each row's similarity with it, and the pairs (`near_duplicates.find`'s
    columns and order); None when a band key is shared too widely to find the pairs exactly here."""
    kept = target < 0
    stored_kept = np.zeros(len(kept), bool)
    stored_kept[before.old] = before.stored_duplicate_of[before.was[before.old]] == 0
    row_i, row_j, similarity = _pairs_kept(before, corpus_path, kept & stored_kept)
    changed = kept & ~stored_kept
    if changed.any():
        found = _pairs_of(np.flatnonzero(changed), kept, index.published, texts, threshold=threshold,
                          window_days=window_days)
        if found is None:
            return None
        row_i, row_j, similarity = (np.concatenate(pair) for pair in zip((row_i, row_j, similarity), found,
                                                                          strict=True))
    t = index.published
    swap = (t[row_j] < t[row_i]) | ((t[row_j] == t[row_i]) & (row_j < row_i))  # the earlier first
    row_i, row_j = np.where(swap, row_j, row_i), np.where(swap, row_i, row_j)
    order = np.lexsort((row_j, t[row_j], row_i, t[row_i]))  # as `near_duplicates.find` gives them
    row_i, row_j, similarity = row_i[order], row_j[order], similarity[order]
    pairs = pd.DataFrame({
        "article_id": spill.id_strings(index.id[row_i]), "other_id": spill.id_strings(index.id[row_j]),
        "jaccard": similarity, "days_apart": (t[row_j] - t[row_i]) / _DAY_US})
    story_row = np.arange(len(kept))
    if not len(row_i):
        return _with_copies(story_row, target), np.full(len(kept), np.nan), pairs
    members, heads = near_duplicates.first_copies(row_i, row_j, t[row_i], t[row_j])
    story_row[members] = heads
    scores = _similarities(members, heads, row_i, row_j, similarity, before, texts)
    out = np.full(len(kept), np.nan)
    out[members] = scores
    return _with_copies(story_row, target), out, pairs


def _with_copies(story_row: np.ndarray, target: np.ndarray) -> np.ndarray:
    pointing = np.flatnonzero(target >= 0)
    story_row[pointing] = story_row[target[pointing]]  # a copy joins the story of the article it points at
    return story_row


def _pairs_kept(before: _Before, corpus_path: str, still: np.ndarray) -> tuple[np.ndarray, ...]:
    """Return the corpus's pairs (rows now, Jaccard) whose two articles were kept and still are (`still`)."""
    pairs = corpus.read_pairs(corpus_path)
    stored = pd.Index(before.stored_ids)  # a hash table: ids are unique in a corpus
    ends = []
    for column in ("article_id", "other_id"):
        at = stored.get_indexer(ids.as_numbers(pairs[column]) if len(pairs) else np.zeros(0, np.uint64))
        ends.append(np.where(at >= 0, before.now[at], -1))
    row_i, row_j = ends
    holding = (row_i >= 0) & (row_j >= 0)
    holding[holding] = still[row_i[holding]] & still[row_j[holding]]
    return row_i[holding], row_j[holding], pairs["jaccard"].to_numpy(np.float64)[holding]


def _pairs_of(changed: np.ndarray, kept: np.ndarray, published: np.ndarray, texts: _Texts, *, threshold: float,
              window_days: float) -> tuple[np.ndarray, ...] | None:
    """Return the pairs (rows now, Jaccard) of the `changed` rows with the rows kept within the window of them,
    found by `near_duplicates.involving` on those rows' texts; None as it gives None."""
    window = int(window_days * _DAY_US)
    times = np.sort(published[changed])
    candidates = np.flatnonzero(kept)
    at = np.searchsorted(times, published[candidates])
    after = times[np.minimum(at, len(times) - 1)] - published[candidates]
    before = published[candidates] - times[np.maximum(at - 1, 0)]
    near = ((after >= 0) & (after <= window)) | ((before >= 0) & (before <= window))
    rows = candidates[near]
    rows = rows[np.lexsort((rows, published[rows]))]  # time order, then row, as a full run compares them
    articles = texts.rows(rows, ["published", "title", "text"])
    is_changed = np.zeros(len(kept), bool)
    is_changed[changed] = True
    found = near_duplicates.involving(articles, is_changed[rows], threshold=threshold, window_days=window_days)
    if found is None:
        return None
    ci, cj, similarity, _ = found
    return rows[ci], rows[cj], similarity


def _similarities(members: np.ndarray, heads: np.ndarray, row_i: np.ndarray, row_j: np.ndarray,
                  similarity: np.ndarray, before: _Before, texts: _Texts) -> np.ndarray:
    """Return each member's Jaccard with its story's first copy: 1 for that copy, the pair's when they are a pair,
    the corpus's when its first copy is the one it had there, else computed from the two texts."""
    paired = pd.Series(similarity, index=(row_i.astype(np.uint64) << np.uint64(32)) | row_j.astype(np.uint64))
    out = paired.reindex((heads.astype(np.uint64) << np.uint64(32)) | members.astype(np.uint64)).to_numpy(copy=True)
    out[heads == members] = 1.0
    unknown = np.isnan(out)
    both_old = unknown & before.old[members] & before.old[heads]
    was_m, was_h = before.was[members[both_old]], before.was[heads[both_old]]
    same_head = before.stored_story[was_m] == before.stored_ids[was_h]
    taken = np.flatnonzero(both_old)[same_head]
    out[taken] = before.stored_similarity[was_m[same_head]]
    unknown = np.flatnonzero(np.isnan(out))
    if len(unknown):
        rows = np.unique(np.concatenate([members[unknown], heads[unknown]]))
        values, counts = near_duplicates.shingle_sets(texts.rows(rows, ["title", "text"]))
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        out[unknown] = near_duplicates.jaccard(values, offsets, np.searchsorted(rows, members[unknown]),
                                               np.searchsorted(rows, heads[unknown]))
    return out


def _months(table: pa.Table, before: _Before, stored: pa.Table) -> tuple[list[str], list[str]]:
    """Return (the months whose articles are as the corpus holds them: carried; the months to write again)."""
    month = _month_of(table["published"].to_numpy())
    same = before.old & (before.was == np.arange(len(before.was)))
    for name in ("article_id", "duplicate_of", "story_id"):
        same &= table[name].to_numpy() == before.column(stored, name, 0)
    now, then = table["story_similarity"].to_numpy(), before.column(stored, "story_similarity", np.nan)
    same &= (now == then) | (np.isnan(now) & np.isnan(then))
    gone = np.flatnonzero(before.now < 0)
    rewritten = set(month[~same]) | set(_month_of(stored["published"].to_numpy()[gone]))
    every = set(month)
    return sorted(every - rewritten), sorted(every & rewritten)


def _month_of(published: np.ndarray) -> np.ndarray:
    """Return the partition key (`layout.month_keys`) of each time (µs, UTC), formatted once a month, not once a
    row (a million rows' `strftime` takes a second)."""
    months, codes = np.unique(np.asarray(published, np.int64).astype("datetime64[us]").astype("datetime64[M]"),
                              return_inverse=True)
    keys = layout.month_keys(pa.array(months.astype("datetime64[us]").astype(np.int64), pa.timestamp("us", tz="UTC")))
    return np.asarray(keys.to_numpy(zero_copy_only=False), dtype=object)[codes.ravel()]


def _writer(spilled: spill.Spill, corpus_path: str, articles: pd.DataFrame, table: pa.Table, now: np.ndarray, *,
            carried: list[str], rewritten: list[str]) -> Callable[[str], None]:
    """Return what writes the new generation's months and index into a folder: `carried` months' files linked (a
    copy where links are not allowed), `rewritten` months written from the corpus's articles (`now`: the row of
    each of them now, -1 when gone) and the spill's."""
    def write_to(folder: str) -> None:
        for month in carried:
            _carry(Path(corpus_path, f"{layout.PARTITION}={month}"), Path(folder, f"{layout.PARTITION}={month}"))
        for month in rewritten:
            _write_month(month, spilled, corpus_path, articles, now, folder)
        layout.write_index(table, folder)

    return write_to


def _carry(month: Path, target: Path) -> None:
    target.mkdir()
    for part in sorted(month.iterdir()):
        try:
            os.link(part, target / part.name)
        except OSError:  # a file system without hard links
            shutil.copy2(part, target / part.name)


def _write_month(month: str, spilled: spill.Spill, corpus_path: str, articles: pd.DataFrame, now: np.ndarray,
                 folder: str) -> None:
    """Write one month: the corpus's articles of it still there, at their rows now, and those read now, each with
    its id, duplicate, story and similarity now."""
    frames = []
    written = Path(corpus_path, f"{layout.PARTITION}={month}")
    if written.is_dir():
        old = layout.read_month(written, columns=[*layout.schema_names(corpus_path), layout.ROW])
        rows = now[old[layout.ROW].to_numpy()]
        old = old.filter(pa.array(rows >= 0)).set_column(old.schema.get_field_index(layout.ROW), layout.ROW,
                                                            pa.array(rows[rows >= 0], pa.int64()))
        frames.append(schema.upgrade(old.to_pandas(types_mapper=arrow_strings)))
    if month in spilled.months():
        frames.append(spilled.read_month(month).drop(columns=normalise.TEXT_KEY))
    month_articles = pd.concat(frames, ignore_index=True).sort_values(layout.ROW, kind="stable")
    rows = month_articles[layout.ROW].to_numpy()
    month_articles = month_articles.assign(**{name: spill.text_ids(articles[name], rows) for name in
                                              ("article_id", "duplicate_of", "story_id")},
                                           story_similarity=articles["story_similarity"].array.take(rows))
    checked = schema.validate_articles(schema.conform(month_articles, schema.ARTICLE_COLUMNS),
                                       where=f"{folder} {month}")
    layout.write_month(pa.Table.from_pandas(checked, preserve_index=False).append_column(
        layout.ROW, pa.array(rows, pa.int64())), folder, month)
    memory.give_back()


class _Texts:
    """Some articles' columns read back, by their rows now: from the corpus written for the articles it holds, from
    the spill for those read now; only the months that hold them are read."""

    def __init__(self, spilled: spill.Spill, corpus_path: str, was: np.ndarray, published: np.ndarray) -> None:
        self.spilled, self.corpus, self.was, self.published = spilled, corpus_path, was, published

    def rows(self, rows: np.ndarray, columns: list[str]) -> pd.DataFrame:
        """Return `columns` of the articles at `rows` (rows now), in the order of `rows`, with their `row`."""
        rows = np.asarray(rows, np.int64)
        if not len(rows):
            return pd.DataFrame({name: [] for name in [*columns, layout.ROW]})
        month = _month_of(self.published[rows])
        frames = []
        for key in sorted(set(month)):
            wanted = rows[month == key]
            old = wanted[self.was[wanted] >= 0]
            if len(old):
                frames.append(self._from_corpus(key, old, columns))
            if len(old) < len(wanted):
                found = self.spilled.read_month(key, columns=[*columns, layout.ROW])
                frames.append(found[np.isin(found[layout.ROW].to_numpy(), wanted)])
        return pd.concat(frames).set_index(layout.ROW, drop=False).loc[rows].reset_index(drop=True)

    def _from_corpus(self, month: str, rows: np.ndarray, columns: list[str]) -> pd.DataFrame:
        table = layout.read_month(Path(self.corpus, f"{layout.PARTITION}={month}"), columns=[*columns, layout.ROW])
        table = table.filter(pc.is_in(table[layout.ROW], value_set=pa.array(self.was[rows], pa.int64())))
        now = np.zeros(int(self.was[rows].max()) + 1, np.int64)
        now[self.was[rows]] = rows
        return table.set_column(table.schema.get_field_index(layout.ROW), layout.ROW,
                                pa.array(now[table[layout.ROW].to_numpy()])).to_pandas(types_mapper=arrow_strings)
