import json

from newsframe import corpus
from newsframe.corpus import fingerprint


def test_manifest_and_ingest_summary_give_the_corpus_one_fingerprint(demo_corpus):
    summary = json.loads(corpus.summary_path(demo_corpus).read_text("utf-8"))
    assert fingerprint.of_corpus_file(demo_corpus) == summary["corpus_fingerprint"]
