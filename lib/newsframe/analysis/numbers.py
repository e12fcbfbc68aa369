"""Numbers researchers write as text in parameters, read without pandas so that they are checked before any kernel
starts: the numbers of topics to try (`12`, `8-16`, `6-20:2`, `5,10,15`), and the articles they need."""

from __future__ import annotations

from newsframe.errors import ParameterError

__all__ = ["articles_for_topics", "parse_k"]


def parse_k(value: int | str) -> list[int]:
    """Return the k values asked for: `12`, `"8-16"` (every k from 8 to 16), `"6-20:2"` (every second) or
    `"5,10,15"`."""
    text = str(value).replace(" ", "")
    try:
        if "-" in text:
            span, _, step = text.partition(":")
            low, high = (int(x) for x in span.split("-"))
            found = list(range(low, high + 1, int(step or 1)))
        else:
            found = [int(x) for x in text.split(",") if x]
    except ValueError:
        found = []
    if not found or min(found) < 2:
        raise ParameterError(f"k={value!r}: give a number of topics (2 or more), a range such as 8-16 or 6-20:2, "
                             "or a list such as 5,10,15.")
    return found


def articles_for_topics(k: int) -> int:
    """Return how many articles a topic model of `k` topics needs at the least: 3 per topic, and 20 whatever k (with
    fewer, the topics are the few articles' own words)."""
    return max(20, 3 * k)
