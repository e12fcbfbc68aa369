import pandas as pd
from newsframe.analysis import keyness

from tests.analysis.frames import articles


def test_keyness_finds_the_words_of_the_target():
    frame = articles(*(["le sommet de Sotchi et la déclaration finale"] * 6 + ["le blé et les engrais du marché"] * 6))
    target = pd.Series([True] * 6 + [False] * 6, index=frame.index)
    key = keyness.key_terms(frame, target=target, min_count=3)
    assert set(key["term"]) == {"sommet", "sotchi", "déclaration", "finale"}  # stop words left out; accents kept
    assert (key["log_likelihood"] > 0).all() and (key["p_value"] < 0.05).all()


def test_keyness_can_count_names_as_one_term():
    from newsframe.analysis import phrases

    summit = "Selon Vladimir Poutine, le sommet de Sotchi réunit la Côte d'Ivoire et Vladimir Poutine."
    frame = articles(*([summit] * 6 + ["le blé et les engrais du marché de Vladimir"] * 6))
    target = pd.Series([True] * 6 + [False] * 6, index=frame.index)
    names = phrases.find(frame)
    assert {"Vladimir Poutine", "Côte d'Ivoire"} <= set(names["phrase"])
    key = set(keyness.key_terms(frame, target=target, min_count=3, names=names)["term"])
    assert {"Vladimir Poutine", "Côte d'Ivoire", "sotchi"} <= key and "poutine" not in key
