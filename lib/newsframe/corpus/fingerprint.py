"""A corpus's fingerprint: a short hash of its articles' ids, which changes when its content changes, and only then.

Re-ingesting the same articles, in any order, gives the same fingerprint. Reading it from a file needs pyarrow
only, not pandas, so that a scheduled run with nothing to do checks its corpus in a fraction of a second.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

__all__ = ["of_articles", "of_corpus_file", "of_ids"]


def of_ids(ids) -> str:
    """Return a corpus's fingerprint from its article ids (a pyarrow array; each id is 16 hex digits that hash an
    article's content): the ids sorted and hashed, so the order of the rows does not count."""
    import numpy as np
    import pyarrow.compute as pc

    ordered = pc.take(ids, pc.sort_indices(ids))
    ordered = (ordered.combine_chunks() if hasattr(ordered, "combine_chunks") else ordered).cast("large_string")
    digest = hashlib.sha1(usedforsecurity=False)
    _, offsets, data = ordered.buffers()
    if len(ordered) and data is not None:  # the ids one after another (all are 16 characters)
        bounds = np.frombuffer(offsets, np.int64)[ordered.offset : ordered.offset + len(ordered) + 1]
        digest.update(memoryview(data)[int(bounds[0]) : int(bounds[-1])])
    return digest.hexdigest()[:16]


def of_corpus_file(path: str | Path) -> str:
    """Return the fingerprint of a corpus (one file or a partitioned dataset), reading its article ids only."""
    from newsframe.corpus import layout, unreadable_as_input_error

    with unreadable_as_input_error(path):
        return of_ids(layout.read_table(path, columns=["article_id"], ordered=False).column("article_id"))


def of_articles(articles) -> str:
    """Return the fingerprint of an articles frame (its ids as text, or as numbers: `ids.as_numbers`)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    column = articles["article_id"]
    if pd.api.types.is_unsigned_integer_dtype(column.dtype):
        return _of_numbers(column.to_numpy(np.uint64))
    return of_ids(pa.array(column.astype("string").array, type=pa.large_string()))


def _of_numbers(numbers) -> str:
    """Return `of_ids` of ids kept as numbers: they sort as their text does, and are hashed as text a million at a
    time (at ten million articles, the ids as text at once would take a gigabyte)."""
    import numpy as np

    from newsframe.corpus import ids

    ordered = np.sort(numbers)
    digest = hashlib.sha1(usedforsecurity=False)
    for start in range(0, len(ordered), _HASHED_AT_ONCE):
        digest.update(memoryview(ids.as_text(ordered[start : start + _HASHED_AT_ONCE]).buffers()[2]))
    return digest.hexdigest()[:16]


_HASHED_AT_ONCE = 2**20
