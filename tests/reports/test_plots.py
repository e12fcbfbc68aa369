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
    assert "Line chart of articles per week from 2025-01-06 to 2025-02-10" in chart.alt
    assert "one line per source (2: RFI, Le Monde)" in chart.alt and "Highest: 12 (Le Monde" in chart.alt
    assert "The last period is incomplete." in chart.caption
    data, metadata = chart._repr_mimebundle_()
    assert metadata["image/png"]["alt"] == chart.alt and data["image/png"]
    assert chart.saved(tmp_path / "out") is chart
    written = {p.name for p in (tmp_path / "out").iterdir()}
    assert written == {"per_week.svg", "per_week.png", "per_week.txt", "per_week.csv"}
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


def shares_frame(peaks: dict, *, sparse_week: int = 2, weeks: int = 6):
    """Shares per week for each panel: its peak in week 1, 5 % otherwise; one sparse week whose band reaches 80 %."""
    rows = []
    for panel, peak in peaks.items():
        for week in range(weeks):
            share = peak if week == 1 else 0.05
            rows.append({"period_start": pd.Timestamp("2025-01-06") + pd.Timedelta(weeks=week), "group": panel,
                         "share": share, "share_low": share / 2,
                         "share_high": 0.8 if week == sparse_week else min(share + 0.05, 1.0), "is_complete": True})
    return pd.DataFrame(rows)


def test_no_panel_cuts_its_values_even_when_sparse_bands_reach_high_in_every_panel():
    frame = shares_frame({"Brexit": 0.3, "China": 1.0, "Russia": 0.35})  # close enough to share one axis
    chart = plots.small_multiples(frame, value="share", series="group", freq="W", band=("share_low", "share_high"),
                                  percent=True, title="t")
    panels = {ax.get_title(loc="left"): ax for ax in chart.figure.axes if ax.get_visible()}
    assert panels["China"].get_ylim()[1] >= 100
    assert panels["Brexit"].get_ylim() == panels["China"].get_ylim()  # shared: values within 4 times


def test_panels_are_scaled_by_their_values_not_their_bands_and_a_cut_band_is_said():
    frame = shares_frame({"Brexit": 0.1, "China": 1.0, "Russia": 0.12})
    chart = plots.small_multiples(frame, value="share", series="group", freq="W", band=("share_low", "share_high"),
                                  percent=True, title="t")
    panels = {ax.get_title(loc="left"): ax for ax in chart.figure.axes if ax.get_visible()}
    assert panels["China"].get_ylim()[1] >= 100
    assert 12 <= panels["Brexit"].get_ylim()[1] < 40  # its own scale, from its values; the 80 % band is cut
    assert "bands are cut" in chart.caption


def test_bands_that_fit_are_not_cut_and_the_caption_says_nothing():
    frame = shares_frame({"a": 0.3, "b": 0.35}, sparse_week=99)
    chart = plots.small_multiples(frame, value="share", series="group", freq="W", band=("share_low", "share_high"),
                                  percent=True, title="t")
    assert chart.figure.axes[0].get_ylim()[1] >= 35 and "cut" not in chart.caption


def empty_frames():
    periods = counts_frame("x").iloc[0:0]
    return {
        "counts": lambda: plots.counts(periods.drop(columns="source"), freq="W"),
        "lines": lambda: plots.lines(periods, value="articles", series="source", title="Per source"),
        "small_multiples": lambda: plots.small_multiples(
            periods.assign(share_low=0.0, share_high=0.0), value="articles", series="source",
            band=("share_low", "share_high"), title="Articles mentioning the anchor with each group"),
        "keyness": lambda: plots.keyness(pd.DataFrame({"term": pd.Series([], dtype="string"),
                                                       "log_likelihood": pd.Series([], dtype=float)}), title="Key"),
        "dispersion": lambda: plots.dispersion(pd.DataFrame({
            "published": pd.Series([], dtype="datetime64[ns, UTC]"), "source": pd.Series([], dtype="string"),
            "mentions": pd.Series([], dtype="int64")})),
    }


@pytest.mark.parametrize("function", list(empty_frames()))
def test_an_empty_frame_gives_a_plain_sentence_not_blank_axes(function, tmp_path):
    chart = empty_frames()[function]()
    assert isinstance(chart, charts.Chart)
    data, _ = chart._repr_mimebundle_()
    assert "image/png" not in data and chart.alt in data["text/plain"]
    assert ("No key terms" if function == "keyness" else "Nothing to draw") in data["text/html"]
    assert chart.with_articles(pd.DataFrame()) is chart  # the notebooks chain it
    assert chart.saved(tmp_path) is chart and not list(tmp_path.glob("*.png"))


def test_an_empty_chart_can_say_why_in_the_callers_words():
    chart = plots.small_multiples(counts_frame("x").iloc[0:0], value="articles", series="source",
                                  empty="no co-mention anchor was given")
    assert chart.alt == "Nothing to draw: no co-mention anchor was given."


def tick_labels(chart):
    ax = chart.figure.axes[0]
    chart.figure.draw_without_rendering()
    return [t.get_text() for t in ax.get_xticklabels()] + [ax.xaxis.get_offset_text().get_text()]


@pytest.mark.parametrize(("periods", "freq", "start", "months", "years"), [
    (13, "W", "2017-01-02", True, "2017"),  # 3 months
    (13, "W", "2016-11-07", True, "2016–2017"),  # 3 months across a new year: matplotlib named 2017 only
    (52, "W", "2016-07-04", True, "2017"),  # a year
    (8 * 52, "W", "2017-01-02", False, "2020"),  # 8 years of weeks
    (8 * 365, "D", "2017-01-02", False, "2020"),  # 8 years of days
])
def test_date_axes_show_years_always_and_months_only_over_a_year_or_less(periods, freq, start, months, years):
    frame = counts_frame("x", weeks=periods, start=start).drop(columns="source").assign(
        period_start=pd.date_range(start, periods=periods, freq=freq))
    labels = tick_labels(plots.counts(frame, freq=freq))
    assert any(years in label for label in labels), labels
    names = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
    assert any(label in names for label in labels) is months, labels


def test_line_alt_text_names_the_period_once_and_numbers_plainly():
    frame = counts_frame("RFI", "Le Monde").assign(articles=lambda f: f["articles"] * 193.1)
    chart = plots.lines(frame, value="articles", series="source", freq="W", title="t", ylabel="articles per week")
    assert "Line chart of articles per week from 2025-01-06" in chart.alt
    assert "Highest: 2,317 (Le Monde, period starting 2025-02-10)" in chart.alt and "e+" not in chart.alt
    shares = counts_frame("a").assign(share=lambda f: f["articles"] / 7)
    chart = plots.lines(shares, value="share", series="source", freq="W", percent=True, ylabel="share of articles")
    assert "Highest: 85.7 %" in chart.alt


def test_multiples_alt_text_names_the_period_once():
    chart = plots.small_multiples(counts_frame("a", "b"), value="articles", series="source", freq="W",
                                  ylabel="articles per week")
    assert "articles per week per week" not in chart.alt and "articles per week." in chart.alt


def test_an_empty_name_is_said_as_none_not_left_blank():
    frame = pd.concat([counts_frame("Entreprises"), counts_frame("")]).rename(
        columns={"source": "section"})
    chart = plots.lines(frame, value="articles", series="section", freq="W")
    assert "(2: Entreprises, (no section))" in chart.alt
    assert ", ," not in chart.alt and ": ," not in chart.alt


def topic_frame():
    return pd.DataFrame({"period_start": pd.to_datetime(["2025-01-01", "2025-02-01"] * 2),
                         "name": ["1. a", "1. a", "2. b", "2. b"], "source": ["X", "Y", "X", "Y"],
                         "share": [0.2, 0.4, 0.8, 0.6], "is_complete": True})


def test_topic_charts_speak_of_topics_and_sources_and_say_bars_for_bars():
    heat = plots.heatmap(topic_frame(), rows="name", columns="source", value="share", title="t")
    assert heat.alt.startswith("Heat map of the share for 2 topics by 2 sources.")
    stacked = plots.stacked(topic_frame(), series="name", title="t")
    assert stacked.alt.startswith("Stacked bar chart of 2 topics' share of each month's articles")
    assert stacked.figure.axes[0].patches  # bars, as the interactive chart draws them


def kwic_lines(count: int, *, left: str = "un long contexte avant le mot ") -> pd.DataFrame:
    return pd.DataFrame({"date": [f"2025-01-{1 + d % 28:02d}" for d in range(count)], "source": "S",
                         "left": left, "keyword": "Ukraine", "right": " et un long contexte après"})


def test_kwic_table_says_how_many_lines_it_shows_and_where_the_rest_are():
    html = plots.kwic_table(kwic_lines(200), rows=40, saved_as="kwic.csv").to_html()
    assert "40 of 200 lines shown" in html and "kwic.csv" in html
    assert "40 of 200 lines shown" in plots.kwic_table(kwic_lines(200), rows=40).to_html()
    assert "All 12 lines" in plots.kwic_table(kwic_lines(12), rows=40).to_html()
    assert "No line in context" in plots.kwic_table(kwic_lines(0), rows=40).to_html()


def test_kwic_table_fits_the_page_and_cuts_the_context_far_from_the_keyword():
    styled = plots.kwic_table(kwic_lines(3, left="début lointain " * 20 + "juste avant le mot "), rows=40)
    html = styled.to_html()
    assert "table-layout: fixed" in html and "width: 100%" in html
    shown = styled.data["left"].iloc[0]
    assert shown.startswith("…") and shown.endswith("juste avant le mot ") and len(shown) <= 61


def test_a_saved_chart_writes_its_data_beside_it_with_formulas_neutralised(tmp_path):
    frame = counts_frame("=HYPERLINK(\"http://x\")", "RFI")
    plots.lines(frame, value="articles", series="source", freq="W", name="per_week").saved(tmp_path)
    written = pd.read_csv(tmp_path / "per_week.csv")
    assert len(written) == len(frame) and written["source"].iloc[0] == "'=HYPERLINK(\"http://x\")"


def test_tables_show_days_as_days_and_times_only_when_there_are_some():
    frame = pd.DataFrame({"period_start": pd.to_datetime(["2025-02-10", "2025-02-17"]),
                          "published": pd.to_datetime(["2025-02-10 08:30", "2025-02-17"], utc=True, format="ISO8601"),
                          "n": [1, 2]})
    page = plots.table(frame).to_html()
    assert "2025-02-10</td>" in page and "00:00:00" not in page
    assert "2025-02-10 08:30</td>" in page and "2025-02-17 00:00</td>" in page
