"""Analyses: tidy frames from the articles frame, each function taking a frame and returning a new one. Words are
split and folded by `newsframe.words`, the one rule, which sits below every step (near-duplicates use it too).

    stopwords  French and English stop words and news boilerplate
    terms      term groups: mentions per article, keyword in context
    keyness    key terms of some articles against the rest (log-likelihood)
    timeline   counts, shares, term mentions, co-mentions, smoothing and spikes per calendar period
    vectors    word counts per article for topic models
    topics     topic models, their quality, shares over time and by source, numbers kept across runs
    events     dated events to mark on charts
"""

__all__: list[str] = []
