"""Shared fixtures: the real data in ../shared/data (skipped when absent) and small inline inputs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    return Path(os.environ.get("NEWSFRAME_TEST_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture
def shared_data() -> Path:
    """The real test data; tests using it skip cleanly in a user's clone, which does not have it."""
    folder = shared_data_dir()
    if not folder.is_dir():
        pytest.skip(f"real test data not found at {folder} (set NEWSFRAME_TEST_DATA)")
    return folder


def demo_corpus_in(folder: Path, *, articles: int) -> Path:
    """Write the demo corpus (`articles` articles) under `folder/raw`, ingest it, and return the corpus path."""
    from newsframe import demo, ingest

    demo.write(folder / "raw", articles=articles)
    out = folder / "corpus.parquet"
    ingest.ingest([folder / "raw"], out=out)
    return out


@pytest.fixture
def chromium() -> str:
    """Path of Debian's chromium; `make test` installs it where it can."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.skip("chromium is not installed (make browser, or apt-get install chromium)")
    return found


@pytest.fixture
def write(tmp_path):
    """Write a file under tmp_path from text (UTF-8) or bytes; return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write
