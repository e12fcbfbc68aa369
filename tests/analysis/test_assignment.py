"""Topics given to articles outside a model's fit: a seeded sample, then each article's weights on its own."""

import numpy as np
import pandas as pd
import pytest
from newsframe.analysis import assignment, phrases, topics, vectors
from newsframe.errors import ParameterError

from tests.analysis.test_topics import demo_articles


@pytest.fixture(scope="module")
def fitted():
    """The demo's articles, and an NMF model of 10 topics fitted on a sample of 600 of them (with names)."""
    articles = demo_articles(count=1500)
    sampled = assignment.sample(articles, size=600, seed=2)
    names = phrases.find(sampled)
    return articles, sampled, names, topics.fit(vectors.vectorise(sampled, names=names), k=10, seed=0)


def test_the_sample_is_seeded_and_does_not_depend_on_the_order_of_the_articles(fitted):
    articles, sampled, _, _ = fitted
    assert len(sampled) == 600 and sampled["article_id"].is_unique
    assert sampled["published"].is_monotonic_increasing
    shuffled = articles.sample(frac=1, random_state=1)
    pd.testing.assert_frame_equal(assignment.sample(shuffled, size=600, seed=2), sampled)
    assert set(assignment.sample(articles, size=600, seed=3)["article_id"]) != set(sampled["article_id"])
    assert len(assignment.sample(articles, size=10_000)) == len(articles)  # a small corpus is its own sample


def test_the_fitted_articles_keep_their_topics(fitted):
    _, sampled, names, model = fitted
    assigned = assignment.assign(assignment.assigner(model, names=names), sampled)
    np.testing.assert_array_equal(assigned.vectors.counts.toarray(), model.vectors.counts.toarray())
    agree = (topics.dominant(assigned)["topic"] == topics.dominant(model)["topic"]).mean()
    assert agree >= 0.95, f"only {agree:.0%} of the fitted articles keep their dominant topic"
    np.testing.assert_allclose(assigned.weights.sum(axis=1), 1.0)


@pytest.mark.parametrize("options", [{"bigrams": True}, {"extra_stop_words": ["sommet", "summit"], "bigrams": True}])
def test_other_options_count_the_fitted_articles_as_the_fit_counted_them(fitted, options):
    _, sampled, names, _ = fitted
    fitted_vectors = vectors.vectorise(sampled, names=names, **options)
    assert any("\x1f" in key for key in fitted_vectors.keys)  # pairs of words are terms too
    model = topics.fit(fitted_vectors, k=10, seed=0)
    assigned = assignment.assign(assignment.assigner(model, names=names, **options), sampled)
    np.testing.assert_array_equal(assigned.vectors.counts.toarray(), fitted_vectors.counts.toarray())


def test_an_article_gets_the_same_weights_whatever_the_articles_beside_it(fitted):
    articles, _, names, model = fitted
    rule = assignment.assigner(model, names=names)
    together = assignment.assign(rule, articles)
    apart = [assignment.assign(rule, articles.iloc[start : start + 97]) for start in range(0, len(articles), 97)]
    np.testing.assert_array_equal(np.vstack([part.weights for part in apart]), together.weights)
    assert (together.weights.sum(axis=1) > 0).mean() > 0.99


def test_an_article_without_the_model_s_words_has_no_topic(fitted):
    articles, _, names, model = fitted
    blank = articles.iloc[:2].assign(title="", text=["zzqq xxvv", ""]).astype({"title": "string", "text": "string"})
    assigned = assignment.assign(assignment.assigner(model, names=names), blank)
    assert (assigned.weights == 0).all()
    assert topics.dominant(assigned)["topic"].isna().all()


def test_only_nmf_topics_are_assigned(fitted):
    _, sampled, _, _ = fitted
    lda = topics.fit(vectors.vectorise(sampled), k=5, method="lda", seed=0)
    with pytest.raises(ParameterError, match="lda model cannot be given to articles outside its fit.*nmf"):
        assignment.assigner(lda)
