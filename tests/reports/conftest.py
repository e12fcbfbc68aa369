import pytest

from tests.conftest import demo_corpus_in


@pytest.fixture(scope="module")
def demo_corpus(tmp_path_factory):
    """A small demo corpus (300 articles), ingested once per test module."""
    return demo_corpus_in(tmp_path_factory.mktemp("demo"), articles=300)
