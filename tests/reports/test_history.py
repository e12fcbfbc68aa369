import pytest
from newsframe.analysis import topics, vectors
from newsframe.errors import ParameterError
from newsframe.reports import history

from tests.analysis.frames import topic_articles


@pytest.fixture(scope="module")
def model():
    texts = ["le blé et les céréales du port", "la centrale nucléaire et l'uranium", "le sommet et les délégations",
             "les engrais et le blé", "l'uranium de la mine", "la déclaration finale du sommet"] * 5
    return topics.fit(vectors.vectorise(topic_articles(*texts), min_articles=2), k=3, seed=0)


def test_a_first_run_keeps_the_fitted_numbers_and_says_so(model, tmp_path):
    assert history.read_topic_terms(tmp_path / "topic_terms.csv") is None
    kept, changes = history.keep_topic_numbers(model, data_dir=tmp_path)
    assert kept.topic_ids.tolist() == model.topic_ids.tolist()
    assert changes["status"].eq("first run").all()
    assert history.keep_topic_numbers(model, data_dir="")[1]["status"].eq("first run").all()


def test_saved_topic_terms_let_the_next_run_keep_every_number(model, tmp_path):
    written = history.save_topic_terms(model, topics.labels(model), data_dir=tmp_path)
    assert written == tmp_path / "topic_terms.csv"
    again = history.read_topic_terms(written)
    assert set(again.columns) == {"topic", "label", "rank", "term", "weight"}
    kept, changes = history.keep_topic_numbers(model, data_dir=tmp_path)
    assert changes["status"].eq("kept").all() and changes["similarity"].min() == pytest.approx(1)
    assert history.save_topic_terms(model, topics.labels(model), data_dir="") is None


def test_a_file_that_is_not_topic_terms_is_refused(tmp_path):
    (tmp_path / "topic_terms.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="not a topic_terms file.*Delete it"):
        history.keep_topic_numbers(None, data_dir=tmp_path)
