import pandas as pd
from newsframe.analysis import keyness

from tests.analysis.frames import articles


def test_keyness_finds_the_words_of_the_target():
    frame = articles(*(["le sommet de Sotchi et la déclaration finale"] * 6 + ["le blé et les engrais du marché"] * 6))
    target = pd.Series([True] * 6 + [False] * 6, index=frame.index)
    key = keyness.key_terms(frame, target=target, min_count=3)
    assert set(key["term"]) == {"sommet", "sotchi", "déclaration", "finale"}  # stop words left out; accents kept
    assert (key["log_likelihood"] > 0).all() and (key["p_value"] < 0.05).all()
