import numpy as np
from newsframe.analysis import stopwords, vectors

from tests.analysis.frames import topic_articles as articles


def counts_of(vectors):
    totals = np.asarray(vectors.counts.sum(axis=0)).ravel()
    return dict(zip(vectors.terms, totals.tolist(), strict=True))


def test_vectorise_folds_elision_case_and_accents_and_shows_the_usual_spelling():
    frame = articles("L'Afrique et l’Afrique, d'Afrique.", "AFRIQUE, sécurité, Sécurité et securite.",
                     "Afrique : la sécurité.")
    found = counts_of(vectors.vectorise(frame, min_articles=1, max_share=1.0))
    assert found["afrique"] == 5
    assert found["sécurité"] == 4  # "securite" is the same word, shown in its most frequent spelling
    assert not set(found) & stopwords.words()  # et, la, d, l…


def test_vectorise_leaves_out_rare_and_ubiquitous_words_and_numbers():
    frame = articles("Mali Niger 2023 x", "Mali Togo 2023", "Mali Niger", "Mali Togo")
    found = counts_of(vectors.vectorise(frame, min_articles=2, max_share=0.9))
    assert set(found) == {"niger", "togo"}  # mali is in every article, x has one letter, 2023 none


def test_vectorise_drops_words_common_within_one_language():
    # "selon" is in every French article but in only half of all the articles.
    frame = articles(*["selon le Mali", "selon le Niger"] * 30, *["Mali talks", "Niger talks"] * 30,
                     languages=["fr"] * 60 + ["en"] * 60)
    found = counts_of(vectors.vectorise(frame, min_articles=2))
    assert "selon" not in found and "talks" not in found and {"mali", "niger"} <= set(found)


def test_vectorise_takes_articles_of_unknown_language():
    frame = articles(*["selon le Mali", "selon le Niger", "selon le Togo"] * 20,
                     *["Mali talks", "Niger talks", "Togo talks"] * 20, languages=[None] + ["fr"] * 59 + ["en"] * 60)
    found = counts_of(vectors.vectorise(frame, min_articles=2))
    assert "selon" not in found and "talks" not in found and {"mali", "niger", "togo"} <= set(found)


def test_vectorise_bigrams_join_neighbouring_kept_words():
    frame = articles("L'Union africaine et la Russie", "l’Union africaine", "Union africaine")
    found = counts_of(vectors.vectorise(frame, bigrams=True, min_articles=1, max_share=1.0))
    assert found["union africaine"] == 3 and "africaine russie" in found


def test_vectorise_keeps_every_article_even_without_words():
    counted = vectors.vectorise(articles("Mali Niger", "", "le la les", "Mali Niger"), min_articles=1, max_share=1.0)
    assert counted.counts.shape[0] == 4 and counted.empty.tolist() == [False, True, True, False]


def test_vectorise_counts_each_name_as_one_term_shown_as_written():
    from newsframe.analysis import phrases

    from tests.analysis.test_phrases import FRENCH

    frame = articles(*FRENCH)
    names = phrases.find(frame)
    found = counts_of(vectors.vectorise(frame, min_articles=1, max_share=1.0, names=names))
    assert found["États-Unis"] == 5 and found["Jean-Luc Mélenchon"] == 5 and found["Donald Trump"] == 5
    assert "mélenchon" not in found and "luc" not in found  # the name's words are not counted alone as well
    plain = counts_of(vectors.vectorise(frame, min_articles=1, max_share=1.0))
    assert "États-Unis" not in plain and plain["mélenchon"] == 5
