"""Charts: what they show, what they say about it (alt text, caption), and the files a paper needs."""

import pandas as pd
import pytest
from newsframe.analysis import timeline
from newsframe.analysis.events import empty as no_events
from newsframe.reports import charts, plots


def counts_frame(*series, weeks=6, start="2025-01-06"):
    rows = []
    for index, name in enumerate(series):
        for week in range(weeks):
            rows.append({"period_start": pd.Timestamp(start) + pd.Timedelta(weeks=week), "source": name,
                         "articles": (index + 1) * (week + 1), "is_complete": week < weeks - 1})
    return pd.DataFrame(rows)


def test_a_chart_says_what_it_shows_and_saves_svg_png_and_caption(tmp_path):
    chart = plots.lines(counts_frame("RFI", "Le Monde"), value="articles", series="source", freq="W",
                        title="Articles per week", ylabel="articles per week", name="per_week")
    assert "Line chart of articles per week per week from 2025-01-06 to 2025-02-10" in chart.alt
    assert "one line per source (2: RFI, Le Monde)" in chart.alt and "Highest: 12 (Le Monde" in chart.alt
    assert "The last period is incomplete." in chart.caption
    data, metadata = chart._repr_mimebundle_()
    assert metadata["image/png"]["alt"] == chart.alt and data["image/png"]
    assert chart.saved(tmp_path / "out") is chart
    assert {p.name for p in (tmp_path / "out").iterdir()} == {"per_week.svg", "per_week.png", "per_week.txt"}
    png = (tmp_path / "out" / "per_week.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000  # 300 dpi
    assert "Alt text:" in (tmp_path / "out" / "per_week.txt").read_text("utf-8")
    assert chart.saved("") is chart  # no folder, nothing written


def test_text_from_the_data_is_drawn_literally_never_as_a_formula(tmp_path):
    frame = counts_frame("$\\undefinedmacro$", "$5 and $6")
    events = pd.DataFrame({"date": pd.to_datetime(["2025-01-20"], utc=True), "end_date": pd.NaT,
                           "label": pd.array(["$\\frac{1}{0}$"], dtype="string")})
    chart = plots.lines(frame, value="articles", series="source", freq="W", events=events, title="$x$")
    chart.saved(tmp_path)  # drawing would fail on an unknown macro if it were read as math
    legend = [text.get_text() for text in chart.figure.axes[0].get_legend().get_texts()]
    assert legend == [r"\$\undefinedmacro\$", r"\$5 and \$6"]


def test_names_are_shortened_in_the_middle_and_other_is_grey():
    assert charts.short("Flux RSS - BFMTV - Environnement - Climat et biodiversité", 30).count("…") == 1
    palette = charts.colours(["a", "other (3 sources)", "b"])
    assert palette == {"a": charts.PALETTE[0], "other (3 sources)": charts.OTHER, "b": charts.PALETTE[1]}


def test_events_outside_the_range_are_listed_not_drawn():
    events = pd.DataFrame({"date": pd.to_datetime(["2025-01-20", "1999-01-01"], utc=True), "end_date": pd.NaT,
                           "label": pd.array(["inside", "long ago"], dtype="string")})
    chart = plots.counts(counts_frame("x").drop(columns="source"), freq="W", events=events)
    assert "Events outside this range: long ago (1999-01-01)." in chart.caption
    low, high = chart.figure.axes[0].get_xlim()
    assert high - low < 80  # days: the axis is not stretched back to 1999


def test_close_event_labels_are_staggered():
    events = pd.DataFrame({"date": pd.to_datetime(["2025-01-20", "2025-01-21", "2025-01-22"], utc=True),
                           "end_date": pd.NaT, "label": pd.array(["a", "b", "c"], dtype="string")})
    chart = plots.counts(counts_frame("x").drop(columns="source"), freq="W", events=events)
    heights = [text.xy[1] for text in chart.figure.axes[0].texts]
    assert len(set(heights)) == 3


def test_panels_get_their_own_scale_when_they_differ_widely_and_dates_each():
    frame = counts_frame("small", "huge").assign(articles=lambda f: f["articles"] * f["source"].map(
        {"small": 1, "huge": 100}))
    chart = plots.small_multiples(frame, value="articles", series="source", freq="W", title="t")
    panels = {ax.get_title(loc="left"): ax for ax in chart.figure.axes}
    assert panels["small"].get_ylim()[1] < panels["huge"].get_ylim()[1] / 10
    assert all(label.get_visible() for label in panels["small"].get_xticklabels())
    shared = plots.small_multiples(counts_frame("a", "b"), value="articles", series="source", freq="W")
    assert shared.figure.axes[0].get_ylim() == shared.figure.axes[1].get_ylim()


def test_one_period_is_drawn_as_a_point_on_a_sensible_axis():
    frame = counts_frame("only", weeks=1)
    chart = plots.counts(frame.drop(columns="source"), freq="W")
    low, high = chart.figure.axes[0].get_xlim()
    assert 10 <= high - low <= 20  # days: one week either side, not hours, not years
    assert "There is one period only" in chart.alt


def test_many_sources_get_top_lines_and_other(tmp_path):
    from newsframe.corpus import select

    articles = pd.DataFrame({"published": pd.date_range("2025-01-01", periods=300, freq="6h", tz="UTC"),
                             "source": [f"feed {i % 40}" for i in range(300)]})
    counted = timeline.count(select.with_top(articles, "source", top=8), freq="W", by="source")
    chart = plots.lines(counted, value="articles", series="source", freq="W", events=no_events())
    legend = [text.get_text() for text in chart.figure.axes[0].get_legend().get_texts()]
    assert len(legend) == 9 and legend[-1] == "other (32 sources)" or "other (32 sources)" in legend


def test_kwic_table_spreads_its_rows_and_keeps_the_words_next_to_the_keyword():
    kwic = pd.DataFrame({"date": sorted([f"2025-01-{d:02d}" for d in range(1, 31)] * 3), "source": "S",
                         "left": "un long contexte avant le mot " * 3, "keyword": "Ukraine",
                         "right": " et un long contexte après" * 3})
    styled = plots.kwic_table(kwic, rows=10)
    assert len(styled.data) == 10 and styled.data["date"].iloc[-1] >= "2025-01-28"
    html = styled.to_html()
    assert "avant le mot" in html and "text-align: right" in html


@pytest.mark.parametrize("function", ["heatmap", "stacked"])
def test_topic_charts_have_alt_text(function):
    frame = pd.DataFrame({"period_start": pd.to_datetime(["2025-01-01", "2025-02-01"] * 2), "name": ["1. a", "1. a",
                          "2. b", "2. b"], "source": ["X", "Y", "X", "Y"], "share": [0.2, 0.4, 0.8, 0.6],
                          "is_complete": True})
    chart = (plots.heatmap(frame, rows="name", columns="source", value="share", title="t") if function == "heatmap"
             else plots.stacked(frame, series="name", title="t"))
    assert chart.alt and "No description" not in chart.alt


def test_presence_leaves_periods_without_articles_white_and_says_which_sources_have_most():
    from newsframe.analysis import quality

    frame = pd.DataFrame({"published": pd.to_datetime(["2024-01-05", "2024-02-05", "2024-03-05", "2024-01-09"],
                                                      utc=True), "source": ["RFI", "RFI", "RFI", "AllAfrica"]})
    chart = plots.presence(quality.presence(frame, freq="M"), freq="M")
    assert "Grid of 2 sources by 3 months" in chart.alt and "AllAfrica 2" in chart.alt
    mesh = chart.figure.axes[0].collections[0]
    assert mesh.get_array().mask.sum() == 2  # AllAfrica's February and March: no article, no colour
