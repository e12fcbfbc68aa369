"""Content fingerprints: short hashes that change when a corpus's articles or an input file change, and only then.

Kept free of pandas so that a scheduled run with nothing to do can check its inputs in a fraction of a second.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


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
    """Return the fingerprint of a corpus file, reading its article ids only."""
    import pyarrow.parquet as pq

    return of_ids(pq.read_table(path, columns=["article_id"]).column("article_id"))


def of_file(path: str | Path) -> str:
    """Return a hash of a file's bytes, read a megabyte at a time."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
