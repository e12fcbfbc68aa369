import numpy as np
import pandas as pd
import pytest
from newsframe import demo
from newsframe.analysis import stopwords, timeline, topics, vectors
from newsframe.errors import ParameterError
from scipy import sparse

from tests.analysis.frames import topic_articles as articles


def demo_articles(seed=7, count=1200):
    generated = demo.generate(seed=seed, articles=count)
    frame = pd.DataFrame({
        "article_id": [f"d{seed}-{i}" for i in range(len(generated))],
        "title": [a.title for a in generated], "text": [a.text for a in generated],
        "published": pd.to_datetime([a.published for a in generated]).tz_localize("UTC"),
        "source": [a.source for a in generated], "language": [a.language for a in generated],
        "theme": [a.theme for a in generated],
    })
    return frame.astype({c: "string" for c in ("article_id", "title", "text", "source", "language", "theme")})


def test_npmi_known_values():
    # Four articles: a and b always together, a and c never, a and d independent.
    presence = sparse.csr_matrix(np.array([[1, 1, 0, 1], [1, 1, 0, 0], [0, 0, 1, 1], [0, 0, 1, 0]]))
    assert topics.npmi(presence, [[0, 1], [0, 2], [0, 3]]) == pytest.approx([1.0, -1.0, 0.0])


def test_diversity_is_the_unique_share_of_top_words():
    assert topics.diversity([["a", "b"], ["b", "c"]]) == 0.75


@pytest.mark.parametrize(("value", "expected"), [(12, [12]), ("8-10", [8, 9, 10]), ("6-10:2", [6, 8, 10]),
                                                 ("5, 10,15", [5, 10, 15])])
def test_parse_k(value, expected):
    assert topics.parse_k(value) == expected


@pytest.mark.parametrize("bad", ["", "1", "ten", "9-x"])
def test_parse_k_refuses_nonsense(bad):
    with pytest.raises(ParameterError, match="number of topics"):
        topics.parse_k(bad)


def test_recommend_takes_the_best_quality_and_says_why():
    swept = pd.DataFrame({"k": [4, 6, 8], "coherence": [0.5, 0.6, 0.7], "diversity": [1.0, 0.9, 0.6]})
    swept["quality"] = swept["coherence"] * swept["diversity"]
    k, reason = topics.recommend(swept)
    assert k == 6 and "0.540" in reason and "next best k=4" in reason


@pytest.fixture(scope="module")
def demo_model():
    frame = demo_articles()
    model = topics.fit(vectors.vectorise(frame), k=10, seed=1)
    return frame, model


def test_planted_demo_themes_come_out_as_separate_topics(demo_model):
    frame, model = demo_model
    main = topics.dominant(model).merge(frame[["article_id", "theme"]], on="article_id")
    purity = main.groupby("topic")["theme"].agg(lambda t: t.value_counts(normalize=True).iloc[0])
    majority = main.groupby("topic")["theme"].agg(lambda t: t.value_counts().index[0])
    assert (purity >= 0.9).all()
    assert set(majority) == set(demo.THEMES)  # every theme has a topic of its own


def test_fit_is_reproducible_and_accounts_for_every_article(demo_model):
    frame, model = demo_model
    again = topics.fit(model.vectors, k=10, seed=1)
    np.testing.assert_allclose(again.weights, model.weights)
    main = topics.dominant(model)
    assert len(main) == len(frame) and main["topic"].notna().all()
    long = topics.weights(model)
    assert long.groupby("article_id")["weight"].sum().round(6).eq(1).all()


def test_article_without_words_has_no_topic_but_is_listed():
    frame = pd.concat([demo_articles(count=200), articles("2023 ; 45")], ignore_index=True)
    for method in topics.METHODS:
        main = topics.dominant(topics.fit(vectors.vectorise(frame), k=5, method=method))
        assert len(main) == len(frame) and main["topic"].isna().sum() == 1


def test_fit_refuses_impossible_k():
    counted = vectors.vectorise(articles("Mali Niger", "Mali Togo"), min_articles=1, max_share=1.0)
    with pytest.raises(ParameterError, match="k=5 topics need at least 20 articles with words; the selection has 2"):
        topics.fit(counted, k=5)
    many = vectors.vectorise(articles(*(["Mali Niger"] * 30)), min_articles=1, max_share=1.0)
    with pytest.raises(ParameterError, match="choose k from 2 to 2"):
        topics.fit(many, k=5)
    with pytest.raises(ParameterError, match="nmf, lda"):
        topics.fit(counted, k=2, method="bertopic")


def test_table_labels_and_representative_articles(demo_model, tmp_path):
    frame, model = demo_model
    path = tmp_path / "labels.txt"
    path.write_text("# my labels\n3: Sécurité (fr)\n", encoding="utf-8")
    chosen = topics.labels(model, path)
    table = topics.table(model, chosen)
    assert table.loc[table["topic"] == 3, "label"].item() == "Sécurité (fr)"
    assert table["articles"].sum() == len(frame) and table["share"].sum() == pytest.approx(1)
    assert table["coherence"].between(-1, 1).all()
    best = topics.representative(model, frame, chosen, n=3)
    assert best.groupby("topic").size().eq(3).all()
    assert best.groupby("topic")["weight"].apply(lambda w: w.is_monotonic_decreasing).all()


def test_labels_file_errors_name_the_line(tmp_path):
    path = tmp_path / "labels.txt"
    path.write_text("1: fine\nsecurity\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="line 2: expected `number: label`"):
        topics.read_labels(path)


def test_shares_over_time_are_normalised_by_all_articles_of_the_period(demo_model):
    frame, model = demo_model
    shares = topics.over_time(model, frame, freq="M")
    per_period = shares.groupby("period_start").agg(share=("share", "sum"), articles=("articles", "first"))
    assert per_period.loc[per_period["articles"] > 0, "share"].round(6).eq(1).all()  # every article has a topic
    monthly = frame["published"].dt.tz_localize(None).dt.to_period("M").value_counts()
    assert per_period["articles"].sum() == monthly.sum() == len(frame)
    complete = timeline.count(frame, freq="M").set_index("period_start")["is_complete"]
    assert shares.groupby("period_start")["is_complete"].first().equals(complete)


def test_share_by_source_and_terms_over_time(demo_model):
    frame, model = demo_model
    by_source = topics.by_source(model, frame)
    assert by_source.groupby("source")["share"].sum().round(6).eq(1).all()
    # A French outlet's coverage is in the French topics (those whose articles are mostly French).
    main = topics.dominant(model).merge(frame[["article_id", "language"]], on="article_id")
    french_topics = main.groupby("topic")["language"].agg(lambda x: x.value_counts().index[0]).eq("fr")
    alpha = by_source[by_source["source"] == "Radio Alpha"].set_index("topic")["share"]
    assert alpha[french_topics[french_topics].index].sum() > 0.9  # names such as Rosatom are in both languages
    moved = topics.terms_over_time(model, frame, freq="Y")
    assert set(moved["topic"]) == set(model.topic_ids) and moved["terms"].str.len().gt(0).all()


def test_refitted_topics_keep_their_numbers(demo_model):
    frame, model = demo_model
    previous = topics.topic_terms(model)
    grown = pd.concat([frame, demo_articles(seed=8, count=300)], ignore_index=True)
    refitted = topics.fit(vectors.vectorise(grown), k=10, seed=5)  # another seed: topics come out in another order
    renumbered, changes = topics.identify(refitted, previous)
    assert changes["status"].eq("kept").all() and changes["similarity"].min() > 0.8
    old, new = model.top_terms(5), renumbered.top_terms(5)
    assert all(len(set(old[t]) & set(new[t])) >= 3 for t in old)


def test_new_and_gone_topics_are_reported(demo_model):
    frame, model = demo_model
    previous = topics.topic_terms(model)
    unrelated = pd.DataFrame({"topic": 11, "label": "football", "rank": [1, 2], "term": ["but", "match"],
                              "weight": [0.5, 0.5]})
    security = previous["label"].str.contains("military|militaires|exercices", regex=True)
    dropped = previous.loc[security, "topic"].iloc[0]
    previous = pd.concat([previous[previous["topic"] != dropped], unrelated], ignore_index=True)
    renumbered, changes = topics.identify(model, previous)
    assert changes["status"].value_counts().to_dict() == {"kept": 9, "new": 1, "gone": 1}
    assert changes.loc[changes["status"] == "new", "topic"].item() == 12  # never a number used before
    assert changes.loc[changes["status"] == "gone", "previous_label"].item() == "football"
    assert sorted(renumbered.topic_ids) == sorted(set(range(1, 11)) - {dropped} | {12})


def test_sweep_reports_each_k(demo_model):
    frame, model = demo_model
    swept = topics.sweep(model.vectors, ks=[5, 10], labels=frame.set_index("article_id")["theme"])
    assert swept["k"].tolist() == [5, 10]
    assert swept["agreement"].iloc[1] > swept["agreement"].iloc[0] > 0.3  # ten topics: themes x languages
    assert topics.recommend(swept)[0] == 10


def test_french_feeds_topics_have_no_stop_word_or_boilerplate(shared_data):
    from newsframe import ingest

    arts = ingest.read([shared_data / "fr-rss-2025" / "corpus02_feb2025_multisource.json"]).articles
    model = topics.fit(vectors.vectorise(arts), k=20, seed=0)
    top = {w for words in model.top_terms(10).values() for w in words}
    from newsframe.words import fold_word

    assert not {fold_word(w) for w in top} & stopwords.words()


def test_labels_with_bigrams_do_not_repeat_words():
    frame = demo_articles(count=400)
    model = topics.fit(vectors.vectorise(frame, bigrams=True), k=10, seed=0)
    for label in topics.labels(model).values():
        words = label.replace(" · ", " ").split()
        assert len(words) == len(set(words)), label
    assert any(" " in part for label in topics.labels(model).values() for part in label.split(" · "))


def test_a_catch_all_topic_is_flagged_with_advice():
    share = pd.Series([0.5, 0.1, 0.1, 0.15, 0.15])
    flagged = topics.catch_all(share, pd.Series([0.02, 0.2, 0.25, 0.22, 0.18]))
    assert flagged.tolist() == [True, False, False, False, False]
    assert not topics.catch_all(share, pd.Series([0.19, 0.2, 0.25, 0.22, 0.18])).any()


def test_sparse_periods_get_no_shares_and_no_vocabulary(demo_model):
    frame, model = demo_model
    lonely = frame.assign(published=frame["published"].where(frame.index > 0, pd.Timestamp("2019-06-01", tz="UTC")))
    shares = topics.over_time(model, lonely, freq="Y", min_articles=30)
    assert shares.loc[shares["period_start"] == pd.Timestamp("2019-01-01"), "share"].isna().all()
    empty = shares["articles"] == 0  # 2020 and 2021: no article, so no share (a chart leaves a gap, not a 0)
    assert empty.any() and shares.loc[empty, "share"].isna().all()
    moved = topics.terms_over_time(model, lonely, freq="Y", min_articles=30)
    assert pd.Timestamp("2019-01-01") not in set(moved["period_start"])
