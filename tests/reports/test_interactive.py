"""Interactive charts as page fragments: the library once per kernel, data that cannot become markup, the PNG kept."""

import base64
import gzip
import io
import json
import re

import pandas as pd
import pytest
from newsframe.analysis import terms, timeline
from newsframe.errors import ReportError
from newsframe.reports import interactive, plots
from PIL import Image

from tests.reports.test_drilldown import WEEKS, articles

HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"


@pytest.fixture(autouse=True)
def fresh_kernel():
    interactive.Assets.reset()
    yield
    interactive.Assets.reset()


def view(frame: pd.DataFrame, *, by: str | None = None, name: str = "per_week"):
    counts = timeline.count(frame, freq="W", by=by)
    chart = plots.lines(counts, value="articles", series=by, freq="W", title="Articles", name=name)
    return chart.with_articles(frame)


def embedded(page: str, element_id: str):
    found = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def test_the_library_and_the_articles_are_written_once_per_kernel():
    frame = articles(WEEKS)
    first, second = view(frame).to_html(), view(frame, by="source").to_html()
    page = first + second
    assert page.count("vega-embed") >= 1 and first.count("vegaEmbed=") == 1 and "vegaEmbed=" not in second
    assert page.count('id="nf-articles-') == 1  # the same articles: embedded once, read by both charts
    assert page.count('class="nf-chart"') == 2 and page.count('window.NF.mount("') == 2
    interactive.Assets.reset()
    assert "vegaEmbed=" in view(frame).to_html()


def test_titles_and_sources_that_are_markup_stay_inert_strings():
    frame = articles({"2025-01-06": 3}, sources=(HOSTILE, "RFI"))
    frame["title"] = pd.array([HOSTILE] * 3, dtype="string")
    page = view(frame, by="source").to_html()
    library = interactive.library()
    ours = page.replace(library, "")
    assert "<script>alert" not in ours and "<img src=x" not in ours and "</script><script>alert" not in ours
    assert ours.count("<script") == ours.count("</script>")  # nothing closed a script early
    key = re.search(r'id="nf-articles-(\w+)"', page).group(1)
    payload = embedded(page, f"nf-articles-{key}")
    assert {row[3] for row in payload["rows"]} == {HOSTILE} and HOSTILE in payload["sources"]


@pytest.mark.parametrize(("code", "written"), [
    ("a = '</script><b>'", "a = '<\\/script><b>'"),
    ("a = '</SCRIPT >'", "a = '<\\/SCRIPT >'"),
    ("a = '<!-- x'", "a = '<\\!-- x'"),
])
def test_inline_code_cannot_close_its_script(code, written):
    assert interactive.script(code) == f"<script>{written}</script>"


def test_json_escapes_markup_and_reads_back_the_same():
    text = interactive.json_script({"title": HOSTILE + " & \u2028"}, element_id="x")
    inside = text.removeprefix('<script type="application/json" id="x">').removesuffix("</script>")
    assert "<" not in inside and ">" not in inside and "&" not in inside
    assert json.loads(inside) == {"title": HOSTILE + " & \u2028"}


def test_the_output_keeps_the_png_with_its_alt_text_and_loads_nothing_from_the_web():
    shown = view(articles(WEEKS))
    data, metadata = shown._repr_mimebundle_()
    assert set(data) == {"text/html", "image/png", "text/plain"} and metadata["image/png"]["alt"] == shown.chart.alt
    fragment = data["text/html"]
    image = re.search(r'<img class="nf-static"[^>]*>', fragment).group(0)
    assert f'alt="{shown.chart.alt}"' in image and "style=" not in image and "data:image/png;base64," in image
    assert not re.search(r"""(src|href)=["']?https?://""", fragment)
    assert 'data-nf-name="per_week"' in fragment


def test_the_config_lists_each_series_articles():
    frame = articles(WEEKS)
    shown = view(frame, by="source")
    config = shown.config()
    assert config["series"] == ["AFP", "Le Monde", "RFI"] and len(config["member"]) == len(shown.drawn.payload["rows"])
    assert sum(n for key, n in config["totals"].items() if key.startswith("0:")) == 120


def test_a_chart_without_an_interactive_view_says_so():
    chart = plots.keyness(pd.DataFrame({"term": ["a"], "log_likelihood": [3.0]}), title="k")
    with pytest.raises(ReportError, match="no interactive view"):
        chart.with_articles(articles(WEEKS))


def test_a_topic_chart_lists_the_articles_whose_main_topic_it_is():
    frame = articles({"2025-01-06": 4, "2025-02-03": 2})
    shares = pd.DataFrame({"period_start": pd.to_datetime(["2025-01-01"] * 2 + ["2025-02-01"] * 2),
                           "topic": [1, 2] * 2, "name": ["1. a", "2. b"] * 2, "share": [0.5, 0.5, 0.25, 0.75],
                           "articles": [4, 4, 2, 2], "is_complete": True})
    chart = plots.stacked(shares, series="name", freq="M", order=["1. a", "2. b"], title="t")
    main = pd.DataFrame({"article_id": frame["article_id"], "topic": pd.array([1, 2, 2, 2, None, 1], dtype="Int64")})
    shown = chart.with_articles(frame, topics=main)
    assert shown.member == [0, 1, 1, 1, -1, 0] and shown.totals == {"0:0": 1, "0:1": 3, "1:0": 1}
    assert [row["main"] for row in shown.spec["data"]["values"]] == [1, 3, 1, 0]


def test_a_period_written_as_a_word_works_as_its_code():
    frame = articles(WEEKS)
    shown = plots.counts(timeline.count(frame, freq="week"), freq="week").with_articles(frame)
    assert shown.drawn.payload["period"] == "week" and shown.spec["params"][0]["value"][0] == "week of 2025-01-06"


def term_articles():
    frame = articles({"2025-01-06": 60, "2025-01-13": 5})
    frame["text"] = pd.array([("Macron à Kyiv." if i % 2 else "Trump et Macron.") if i % 3 else "Rien."
                              for i in range(len(frame))], dtype="string")
    return frame


GROUPS = {"Macron": ["Macron"], "Ukraine": ["Kyiv", "Ukraine"], "Trump": ["Trump"]}


def test_single_group_charts_share_one_mentions_payload_and_a_co_mention_chart_lists_its_pairs():
    frame = term_articles()
    found = terms.mentions(frame, GROUPS)
    counted = timeline.count_mentions(frame, found, freq="W")
    shares = plots.small_multiples(counted, value="share", series="group", freq="W", band=("share_low", "share_high"),
                                   percent=True, title="Share", name="term_shares")
    first = shares.with_articles(frame, found=found, term_groups=GROUPS)
    mentions = plots.small_multiples(counted, value="mentions", series="group", freq="W", title="Mentions",
                                     name="term_mentions").with_articles(frame, found=found, term_groups=GROUPS)
    pairs = timeline.count_mentions(frame, timeline.co_mentions(found, anchor="Macron"), freq="W")
    second = plots.small_multiples(pairs, value="share", series="group", freq="W", title="Pairs").with_articles(
        frame, found=found, term_groups=GROUPS)
    page = first.to_html() + mentions.to_html() + second.to_html()
    assert page.count('id="nf-mentions-') == 2 and first.mentions.key == mentions.mentions.key != second.mentions.key
    assert page.count('data-nf-packed="gzip">') == 2  # compressed: mostly titles, read on a click
    assert first.series == ["Macron", "Trump", "Ukraine"]  # the panels' order
    assert first.mentions.groups == [0, 2, 1] and first.mentions.payload["sets"] == [[name] for name in GROUPS]
    assert second.series == ["Macron × Trump", "Macron × Ukraine"] and second.mentions.groups == [0, 1]
    assert second.mentions.payload["sets"] == [["Macron", "Trump"], ["Macron", "Ukraine"]]
    expected = counted.assign(p=(counted["period_start"] != counted["period_start"].min()).astype(int))
    assert first.totals == {f"{p}:{first.series.index(g)}": n for p, g, n in
                            zip(expected["p"], expected["group"], expected["articles_mentioning"], strict=True) if n}
    assert first.config()["seriesNote"] == " (articles mentioning it)" and "in context" in first.hint


def test_a_packed_payload_reads_back_the_same():
    value = {"title": HOSTILE + " é \u2028", "rows": list(range(100))}
    text = interactive.packed_script(value, element_id="nf-mentions-x")
    inside = re.search(r'data-nf-packed="gzip">"([A-Za-z0-9+/=]*)"</script>$', text).group(1)
    assert json.loads(gzip.decompress(base64.b64decode(inside))) == value


def test_a_term_chart_without_any_group_stays_static():
    frame = term_articles()
    found = terms.mentions(frame, {})
    counted = timeline.count_mentions(frame, found, freq="W")
    chart = plots.small_multiples(counted, value="share", series="group", freq="W", title="none")
    assert chart.with_articles(frame, found=found, term_groups={}) is chart


def test_a_topic_by_source_cell_lists_that_sources_articles_whose_main_topic_it_is():
    frame = articles({"2025-01-06": 6, "2025-02-03": 3}, sources=("RFI", "AFP", "Le Monde"))
    by_source = pd.DataFrame({"source": ["RFI", "RFI", "other (2 sources)", "other (2 sources)"],
                              "topic": [1, 2, 1, 2], "name": ["1. a", "2. b"] * 2, "articles": [3, 3, 6, 6],
                              "share": [0.5, 0.5, 0.4, 0.6]})
    chart = plots.heatmap(by_source, rows="name", columns="source", value="share", order=["1. a", "2. b"], title="t")
    main = pd.DataFrame({"article_id": frame["article_id"], "topic": pd.array([1, 2, 2, 1, 1, 2, 2, 2, 1],
                                                                              dtype="Int64")})
    shown = chart.with_articles(frame, topics=main, freq="M")
    rows = pd.DataFrame(shown.drawn.payload["rows"], columns=["p", "date", "source", "title", "url"])
    source = [shown.drawn.payload["sources"][i] for i in rows["source"]]
    assert shown.columns == ["RFI", "other (2 sources)"]
    assert shown.column == [0 if s == "RFI" else 1 for s in source]  # AFP and Le Monde are in "other"
    topic = dict(zip(frame["title"], main["topic"], strict=True))
    assert shown.member == [topic[t] - 1 for t in rows["title"]]
    expected = pd.DataFrame({"s": main["topic"] - 1, "c": (frame["source"] != "RFI").astype(int)}).value_counts()
    assert shown.totals == {f"{s}:{c}": n for (s, c), n in expected.items()}
    assert shown.config()["columns"] == shown.columns and "main topic" in shown.hint


def test_the_static_chart_behind_an_interactive_one_is_a_paletted_png_of_its_screen_size():
    shown = view(articles(WEEKS))
    png, width = shown.fallback()
    with Image.open(io.BytesIO(base64.b64decode(png))) as image:
        assert image.mode == "P" and len(image.getcolors(interactive.FALLBACK_COLOURS)) <= interactive.FALLBACK_COLOURS
        assert width == image.width == shown.chart.png(interactive.FALLBACK_DPI)[1]
    assert len(png) < len(shown.chart.png(interactive.FALLBACK_DPI)[0])
