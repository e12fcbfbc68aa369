import numpy as np
import pandas as pd
import pytest
from newsframe import demo, stopwords, timeline, topics
from newsframe.errors import ParameterError
from scipy import sparse


def articles(*texts, titles=None, languages=None, dates=None):
    n = len(texts)
    return pd.DataFrame({
        "article_id": [f"a{i}" for i in range(n)],
        "title": titles or [None] * n,
        "text": list(texts),
        "published": pd.to_datetime(dates or [f"2025-01-{i % 28 + 1:02d}" for i in range(n)], utc=True),
        "source": ["S"] * n,
        "language": languages or ["fr"] * n,
    }).astype({"article_id": "string", "title": "string", "text": "string", "source": "string"})


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


def counts_of(vectors):
    totals = np.asarray(vectors.counts.sum(axis=0)).ravel()
    return dict(zip(vectors.terms, totals.tolist(), strict=True))


def test_vectorise_folds_elision_case_and_accents_and_shows_the_usual_spelling():
    frame = articles("L'Afrique et l’Afrique, d'Afrique.", "AFRIQUE, sécurité, Sécurité et securite.",
                     "Afrique : la sécurité.")
    found = counts_of(topics.vectorise(frame, min_articles=1, max_share=1.0))
    assert found["afrique"] == 5
    assert found["sécurité"] == 4  # "securite" is the same word, shown in its most frequent spelling
    assert not set(found) & stopwords.words()  # et, la, d, l…


def test_vectorise_leaves_out_rare_and_ubiquitous_words_and_numbers():
    frame = articles("Mali Niger 2023 x", "Mali Togo 2023", "Mali Niger", "Mali Togo")
    found = counts_of(topics.vectorise(frame, min_articles=2, max_share=0.9))
    assert set(found) == {"niger", "togo"}  # mali is in every article, x has one letter, 2023 none


def test_vectorise_drops_words_common_within_one_language():
    # "selon" is in every French article but in only half of all the articles.
    frame = articles(*["selon le Mali", "selon le Niger"] * 30, *["Mali talks", "Niger talks"] * 30,
                     languages=["fr"] * 60 + ["en"] * 60)
    found = counts_of(topics.vectorise(frame, min_articles=2))
    assert "selon" not in found and "talks" not in found and {"mali", "niger"} <= set(found)


def test_vectorise_takes_articles_of_unknown_language():
    frame = articles(*["selon le Mali", "selon le Niger", "selon le Togo"] * 20,
                     *["Mali talks", "Niger talks", "Togo talks"] * 20, languages=[None] + ["fr"] * 59 + ["en"] * 60)
    found = counts_of(topics.vectorise(frame, min_articles=2))
    assert "selon" not in found and "talks" not in found and {"mali", "niger", "togo"} <= set(found)


def test_vectorise_bigrams_join_neighbouring_kept_words():
    frame = articles("L'Union africaine et la Russie", "l’Union africaine", "Union africaine")
    found = counts_of(topics.vectorise(frame, bigrams=True, min_articles=1, max_share=1.0))
    assert found["union africaine"] == 3 and "africaine russie" in found


def test_vectorise_keeps_every_article_even_without_words():
    vectors = topics.vectorise(articles("Mali Niger", "", "le la les", "Mali Niger"), min_articles=1, max_share=1.0)
    assert vectors.counts.shape[0] == 4 and vectors.empty.tolist() == [False, True, True, False]


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
    model = topics.fit(topics.vectorise(frame), k=10, seed=1)
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
        main = topics.dominant(topics.fit(topics.vectorise(frame), k=5, method=method))
        assert len(main) == len(frame) and main["topic"].isna().sum() == 1


def test_fit_refuses_impossible_k():
    vectors = topics.vectorise(articles("Mali Niger", "Mali Togo"), min_articles=1, max_share=1.0)
    with pytest.raises(ParameterError, match="choose k from 2 to 2"):
        topics.fit(vectors, k=5)
    with pytest.raises(ParameterError, match="nmf, lda"):
        topics.fit(vectors, k=2, method="bertopic")


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
    refitted = topics.fit(topics.vectorise(grown), k=10, seed=5)  # another seed: topics come out in another order
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


def test_first_run_and_topic_terms_round_trip(demo_model, tmp_path):
    frame, model = demo_model
    assert topics.read_topic_terms(tmp_path / "topic_terms.csv") is None
    _, changes = topics.identify(model, None)
    assert changes["status"].eq("first run").all()
    topics.topic_terms(model).to_csv(tmp_path / "topic_terms.csv", index=False)
    again = topics.read_topic_terms(tmp_path / "topic_terms.csv")
    assert topics.identify(model, again)[1]["similarity"].min() == pytest.approx(1)


def test_sweep_reports_each_k(demo_model):
    frame, model = demo_model
    swept = topics.sweep(model.vectors, ks=[5, 10], labels=frame.set_index("article_id")["theme"])
    assert swept["k"].tolist() == [5, 10]
    assert swept["agreement"].iloc[1] > swept["agreement"].iloc[0] > 0.3  # ten topics: themes x languages
    assert topics.recommend(swept)[0] == 10


def test_french_feeds_topics_have_no_stop_word_or_boilerplate(shared_data):
    from newsframe import ingest

    arts = ingest.read([shared_data / "fr-rss-2025" / "corpus02_feb2025_multisource.json"]).articles
    model = topics.fit(topics.vectorise(arts), k=20, seed=0)
    top = {w for words in model.top_terms(10).values() for w in words}
    from newsframe.terms import fold_word

    assert not {fold_word(w) for w in top} & stopwords.words()


def test_labels_with_bigrams_do_not_repeat_words():
    frame = demo_articles(count=400)
    model = topics.fit(topics.vectorise(frame, bigrams=True), k=10, seed=0)
    for label in topics.labels(model).values():
        words = label.replace(" · ", " ").split()
        assert len(words) == len(set(words)), label
    assert any(" " in part for label in topics.labels(model).values() for part in label.split(" · "))
