"""pyarrow helpers for text columns, shared by ingest, the corpus and the analyses."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["arrow_strings", "as_arrow", "byte_slices"]


def as_arrow(texts: pd.Series) -> pa.Array:
    """Return a text column as one pyarrow large_string array, missing values as empty strings."""
    values = pa.array(texts.astype("string").array, type=pa.large_string(), from_pandas=True)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return pc.fill_null(values, "")


def byte_slices(arr: pa.Array) -> list[memoryview]:
    """Return each string of a pyarrow string array as a view of its UTF-8 bytes (nulls as empty), without copying."""
    arr = pc.fill_null(arr.cast(pa.large_string()), "")
    if len(arr) == 0:
        return []
    _, offsets, data = arr.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1].tolist()
    view = memoryview(data) if data is not None else memoryview(b"")
    return [view[start:end] for start, end in zip(bounds[:-1], bounds[1:], strict=True)]


def arrow_strings(dtype: pa.DataType):
    """A `types_mapper` for `Table.to_pandas` that keeps strings in Arrow memory (pandas' pyarrow-backed strings): a
    million Python string objects weigh several times their characters."""
    return pd.StringDtype("pyarrow") if dtype in (pa.string(), pa.large_string()) else None
