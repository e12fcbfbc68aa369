"""Memory handed back to the system between the steps of a long run, so that its size is what it holds.

An ingest of millions of articles frees a batch's memory as the next is read. pyarrow's pool and the C library
keep what was freed for later use, and a few bytes an article kept from each batch (an index) hold the memory around
them. The process then grows with the number of batches, not with what it holds: reading ten million articles into
a partitioned corpus, 1.2 GB at 3 million, where the same run handing memory back stayed at 0.6 GB (bench/README.md).
Dask's workers trim memory the same way (its documentation's "memory not released back to the OS").
"""

from __future__ import annotations

import ctypes
import functools

__all__ = ["give_back"]


def give_back() -> None:
    """Hand the memory freed since the last call back to the system: pyarrow's pool's, and the C library's (glibc's
    `malloc_trim`; nothing on a system without it)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim():
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, musl, Windows): its allocator manages on its own
        return None
