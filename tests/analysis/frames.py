"""Small inline article frames for the analysis tests."""

import pandas as pd


def articles(*texts, titles=None):
    return pd.DataFrame({
        "article_id": [f"a{i}" for i in range(len(texts))],
        "title": titles or [None] * len(texts),
        "text": list(texts),
        "published": pd.to_datetime([f"2025-01-{i % 28 + 1:02d}" for i in range(len(texts))], utc=True),
        "source": ["S"] * len(texts),
    }).astype({"article_id": "string", "title": "string", "text": "string", "source": "string"})


def topic_articles(*texts, titles=None, languages=None, dates=None):
    n = len(texts)
    return pd.DataFrame({
        "article_id": [f"a{i}" for i in range(n)],
        "title": titles or [None] * n,
        "text": list(texts),
        "published": pd.to_datetime(dates or [f"2025-01-{i % 28 + 1:02d}" for i in range(n)], utc=True),
        "source": ["S"] * n,
        "language": languages or ["fr"] * n,
    }).astype({"article_id": "string", "title": "string", "text": "string", "source": "string"})
