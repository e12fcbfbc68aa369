"""The demo's timeline and topics reports in Chromium, from a file path: the charts draw with no network, a click
(or a link to it) lists the period's articles as the corpus has them, and without JavaScript the PNGs show."""

import html
import re
import time

import pandas as pd
import pytest
from newsframe import boilerplate, corpus, select, terms
from newsframe.reports import drilldown, runner

from tests.conftest import demo_corpus_in
from tests.reports.helpers import TIMELINE, TOPICS, open_in_chromium

pytestmark = pytest.mark.slow
OFFLINE = ("--host-resolver-rules=MAP * ~NOTFOUND",)
TIMELINE_CHARTS = 6  # articles per period, by source, share by source, term shares, mentions, co-mentions
ITEM = re.compile(r'<li><time>([^<]*)</time><span class="nf-source"> · (.*?) · </span>'
                  r'<(?:a|span)[^>]*>(.*?)</(?:a|span)>(?:<div class="nf-kwic">.*?</div>)*</li>')


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("interactive")
    corpus_path = demo_corpus_in(folder, articles=500)
    parameters = {"corpus_path": str(corpus_path), "freq": "W", "co_mention_anchor": "Mali",
                  "terms_file": str(folder / "raw" / "_terms.txt")}
    timeline = runner.run(TIMELINE, parameters=parameters, out_dir=folder / "out")
    topics = runner.run(TOPICS, parameters={"corpus_path": str(corpus_path), "k": "6", "freq": "M",
                                            "data_dir": str(folder / "topics")}, out_dir=folder / "out")
    return {"corpus": corpus_path, "timeline": timeline.html, "topics": topics.html, "data": folder / "topics"}


def selected(corpus_path) -> pd.DataFrame:
    """The articles the notebooks chart, selected as they select them (default parameters)."""
    articles = corpus.read(corpus_path, include_duplicates=True)
    articles = select.within(articles, select.coverage(articles["published"]))
    return select.select(articles, include_duplicates=False, count="articles")


def listed(dom: str, name: str) -> tuple[str, list[tuple[str, str, str]]]:
    """Return a chart's drill-down header and its (date, source, title) lines."""
    chart = re.search(rf'data-nf-name="{name}".*?<div[^>]*class="nf-drill"[^>]*>(.*?)</div><script class="nf-config"',
                      dom, re.S).group(1)  # the list, up to the chart's config
    head = re.search(r'<p class="nf-drill-head">(.*?)</p>', chart)
    lines = [tuple(html.unescape(part) for part in found) for found in ITEM.findall(chart)]
    return html.unescape(head.group(1)) if head else "", lines


def lines_of(articles: pd.DataFrame) -> list[tuple[str, str, str]]:
    return sorted(zip(articles["published"].dt.strftime("%Y-%m-%d"), articles["source"], articles["title"].fillna(""),
                      strict=True))


def busiest_week(articles: pd.DataFrame) -> pd.Timestamp:
    weeks = articles["published"].dt.tz_convert(None).dt.to_period("W-SUN").dt.start_time
    return weeks.value_counts().idxmax()


def in_week(articles: pd.DataFrame, monday: pd.Timestamp) -> pd.DataFrame:
    weeks = articles["published"].dt.tz_convert(None).dt.to_period("W-SUN").dt.start_time
    return articles[weeks == monday]


def test_the_charts_draw_from_a_file_path_without_any_network(demo, chromium, tmp_path):
    for name, charts in (("timeline", TIMELINE_CHARTS), ("topics", 2)):
        dom, requested = open_in_chromium(chromium, demo[name], tmp_path / name, flags=OFFLINE)
        assert not requested, f"the {name} report asked the network for {requested[:5]}"
        assert dom.count("data-nf-rendered=") == charts and "data-nf-error=" not in dom
        images = re.findall(r'<img[^>]*class="nf-static"[^>]*>', dom)
        assert [("display: none" in image) for image in images] == [True] * charts  # Vega drew: the PNG steps aside
        assert "<canvas" in dom


def test_a_link_to_a_week_lists_every_article_of_the_week(demo, chromium, tmp_path):
    articles = selected(demo["corpus"])
    monday = busiest_week(articles)
    dom, _ = open_in_chromium(chromium, demo["timeline"], tmp_path, fragment=f"#nf-pick=articles_per_period:"
                              f"{monday:%Y-%m-%d}", flags=OFFLINE)
    head, shown = listed(dom, "articles_per_period")
    expected = lines_of(in_week(articles, monday))
    assert 0 < len(expected) < 50 and sorted(shown) == expected
    assert head == (f"week of {monday:%Y-%m-%d}: {len(expected)} of {len(expected)} articles listed (this page holds "
                    "at most 50 articles per week, drawn at random)")


def test_a_source_in_a_week_lists_that_sources_articles(demo, chromium, tmp_path):
    articles = selected(demo["corpus"])
    monday = busiest_week(articles)
    source = in_week(articles, monday)["source"].value_counts().index[0]
    dom, _ = open_in_chromium(chromium, demo["timeline"], tmp_path, fragment=f"#nf-pick=articles_by_source:"
                              f"{monday:%Y-%m-%d}:{source}", flags=OFFLINE)
    head, shown = listed(dom, "articles_by_source")
    week = in_week(articles, monday)
    assert sorted(shown) == lines_of(week[week["source"] == source]) and shown
    assert f" · {source}: {len(shown)} of {len(shown)} articles listed" in head


def test_a_topic_in_a_month_lists_the_articles_whose_main_topic_it_is(demo, chromium, tmp_path):
    articles = selected(demo["corpus"])
    main = pd.read_csv(demo["data"] / "dominant_topic.csv", dtype={"article_id": "string"})
    shares = pd.read_csv(demo["data"] / "topic_shares.csv")
    topic, name = shares[["topic", "name"]].drop_duplicates().iloc[0]
    month = articles["published"].dt.tz_convert(None).dt.to_period("M").dt.start_time
    busiest = month.value_counts().idxmax()
    ids = set(main.loc[main["topic"] == topic, "article_id"])
    expected = articles[(month == busiest) & articles["article_id"].isin(ids)]
    dom, _ = open_in_chromium(chromium, demo["topics"], tmp_path, fragment=f"#nf-pick=topic_shares_stacked:"
                              f"{busiest:%Y-%m-%d}:{name}", flags=OFFLINE)
    head, shown = listed(dom, "topic_shares_stacked")
    assert 0 < len(expected) < 50 and sorted(shown) == lines_of(expected)
    assert f"{name} (main topic): {len(shown)} of {len(expected)} articles listed" in head


def test_without_javascript_the_static_charts_show(demo, chromium, tmp_path):
    # Through DevTools: with --blink-settings=scriptEnabled=false, Chromium's --dump-dom prints nothing at all.
    pytest.importorskip("websocket")
    from tests.reports.devtools import Browser

    browser = Browser(chromium, tmp_path / "profile")
    try:
        browser.send("Emulation.setScriptExecutionDisabled", value=True)
        browser.open(demo["timeline"].as_uri(), until="document.readyState == 'complete'")
        assert browser.evaluate("typeof window.vegaEmbed") == "undefined"
        root = browser.send("DOM.getDocument")["root"]["nodeId"]
        images = browser.send("DOM.querySelectorAll", nodeId=root, selector="img.nf-static")["nodeIds"]
        assert len(images) == TIMELINE_CHARTS
        for image in images:
            attributes = browser.send("DOM.getAttributes", nodeId=image)["attributes"][::2]
            assert "alt" in attributes and "style" not in attributes
            assert browser.send("DOM.getBoxModel", nodeId=image)["model"]["width"] >= 900  # laid out, shown
        drawn = browser.send("DOM.querySelectorAll", nodeId=root, selector="[data-nf-rendered]")["nodeIds"]
        assert drawn == []
    finally:
        browser.close()


def test_hovering_a_point_shows_its_values_and_clicking_it_lists_its_articles(demo, chromium, tmp_path):
    pytest.importorskip("websocket")
    from tests.reports.devtools import Browser

    articles = selected(demo["corpus"])
    monday = busiest_week(articles)
    expected = lines_of(in_week(articles, monday))
    browser = Browser(chromium, tmp_path / "profile")
    try:
        x, y, tip = hover(browser, demo["timeline"], chart="articles_per_period", start=monday)
        assert f"week of {monday:%Y-%m-%d}" in tip and f"{len(expected):,}" in tip and "denominator" in tip
        browser.mouse("mousePressed", x, y)
        browser.mouse("mouseReleased", x, y)
        head = wait_for(browser, "document.querySelector('[data-nf-name=articles_per_period] .nf-drill-head')"
                                 " && document.querySelector('[data-nf-name=articles_per_period] .nf-drill-head')"
                                 ".textContent")
        assert head.startswith(f"week of {monday:%Y-%m-%d}: {len(expected)} of {len(expected)} articles listed")
        shown = browser.evaluate("Array.from(document.querySelectorAll('[data-nf-name=articles_per_period] "
                                 ".nf-drill-list li')).map(li => [li.children[0].textContent, "
                                 "li.children[1].textContent.slice(3, -3), li.children[2].textContent])")
        assert sorted(map(tuple, shown)) == expected
        assert not [url for url in browser.requested if not url.startswith(("file:", "data:", "about:"))]
        browser.send("Emulation.setEmulatedMedia", media="print")  # on paper, the static charts again
        shown = "Array.from(document.querySelectorAll('img.nf-static')).map(i => getComputedStyle(i).display)"
        assert browser.evaluate(shown) == ["inline"] * TIMELINE_CHARTS
    finally:
        browser.close()


def mention(n: int) -> str:
    return f"{n} article mentions" if n == 1 else f"{n:,} articles mention"


def hover(browser, page, *, chart: str, start, series: str = "", charts: int = TIMELINE_CHARTS
          ) -> tuple[float, float, str]:
    """Open `page` (the demo timeline) until its `charts` are drawn, move the mouse onto the point of `series` at the
    period `start` on `chart`, and return where it is and the tooltip's text."""
    browser.open(page.as_uri(), until=f"document.querySelectorAll('[data-nf-rendered]').length == {charts}")
    x, y = browser.evaluate(POINT % {"name": chart, "start": f"{start:%Y-%m-%d}", "series": series})
    browser.mouse("mouseMoved", x, y)
    tooltip = "document.getElementById('vg-tooltip-element')"
    return x, y, wait_for(browser, f"{tooltip} && {tooltip}.classList.contains('visible') && {tooltip}.textContent")


def wait_for(browser, expression: str, timeout: float = 20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = browser.evaluate(expression)
        if value:
            return value
        time.sleep(0.1)
    raise TimeoutError(expression)


# Where a period's point is on the page: walk Vega's scene graph to the circle of that period, adding the offsets of
# the groups it sits in, the view's origin and padding, and the canvas's place on the page.
POINT = """(function () {
  var el = document.querySelector('[data-nf-name="%(name)s"]'), view = NF.views[el.id], found = [];
  var payload = JSON.parse(document.getElementById('nf-articles-' +
                JSON.parse(el.querySelector('script.nf-config').textContent).articles).textContent);
  var p = payload.periods.indexOf('%(start)s');
  function walk(mark, dx, dy) {
    (mark.items || []).forEach(function (item) {
      if (mark.marktype === 'group') {
        (item.items || []).forEach(function (c) { walk(c, dx + (item.x || 0), dy + (item.y || 0)); });
      }
      else if (mark.marktype === 'symbol' && item.datum && item.datum.p === p && item.datum.v !== null
               && (!'%(series)s' || item.datum.n === '%(series)s')) found.push([dx + item.x, dy + item.y]);
    });
  }
  walk(view.scenegraph().root, 0, 0);
  el.scrollIntoView();
  var box = el.querySelector('canvas').getBoundingClientRect(), origin = view.origin(), pad = view.padding();
  return [box.left + pad.left + origin[0] + found[0][0], box.top + pad.top + origin[1] + found[0][1]];
})()"""


def mentioning(articles: pd.DataFrame, folder, *groups: str) -> pd.DataFrame:
    """The articles that mention every one of `groups`, found as the timeline notebook finds them (boilerplate left
    out)."""
    found = terms.mentions(boilerplate.strip(articles, boilerplate.find(articles)),
                           terms.groups(folder / "raw" / "_terms.txt"))
    ids = [set(found.loc[found["group"] == group, "article_id"]) for group in groups]
    return articles[articles["article_id"].isin(set.intersection(*ids))]


def test_clicking_a_term_groups_week_lists_the_articles_that_mention_it_with_the_term_in_context(demo, chromium,
                                                                                                 tmp_path):
    pytest.importorskip("websocket")
    from tests.reports.devtools import Browser

    articles = selected(demo["corpus"])
    mali = mentioning(articles, demo["corpus"].parent, "Mali")
    monday = busiest_week(mali)
    expected = in_week(mali, monday)
    browser = Browser(chromium, tmp_path / "profile")
    try:
        x, y, tip = hover(browser, demo["timeline"], chart="term_shares", start=monday, series="Mali")
        total = len(in_week(articles, monday))
        share = f"{len(expected) / total * 100:.1f}".replace(".", ",") + "\u202f%"  # the demo corpus is mostly French
        assert f"week of {monday:%Y-%m-%d}" in tip and "Mali" in tip and share in tip
        assert f"Articles mentioning it{len(expected)}" in tip and f"(denominator){total}" in tip
        browser.mouse("mousePressed", x, y)
        browser.mouse("mouseReleased", x, y)
        chart = "document.querySelector('[data-nf-name=term_shares] .nf-drill-head')"
        head = wait_for(browser, f"{chart} && {chart}.textContent")
        assert head.startswith(f"week of {monday:%Y-%m-%d} · Mali: {mention(len(expected))} Mali this week; "
                               f"{len(expected)} listed")
        shown = browser.evaluate("Array.from(document.querySelectorAll('[data-nf-name=term_shares] .nf-drill-list li'))"
                                 ".map(li => [li.children[0].textContent, li.children[1].textContent.slice(3, -3), "
                                 "li.children[2].textContent, li.querySelector('.nf-kwic b')?.textContent, "
                                 "li.querySelector('.nf-kwic')?.textContent])")
        assert sorted(tuple(line[:3]) for line in shown) == lines_of(expected) and shown
        in_context = [line for line in shown if line[3] is not None]
        assert len(in_context) == min(len(shown), drilldown.SNIPPETS)  # the first few of a period in context
        texts = {title: " ".join(f"{title}\n{text}".split()) for title, text in zip(expected["title"],
                                                                                   expected["text"], strict=True)}
        for _, _, title, keyword, context in in_context:
            assert keyword.lower() in {"mali", "bamako"} or keyword.lower().startswith("malien")
            assert context.strip("…") in texts[title]  # the words around it, as the article has them
        assert not [url for url in browser.requested if not url.startswith(("file:", "data:", "about:"))]
    finally:
        browser.close()


def test_a_link_to_a_co_mention_lists_the_articles_that_mention_both_groups(demo, chromium, tmp_path):
    articles = selected(demo["corpus"])
    folder = demo["corpus"].parent
    both = mentioning(articles, folder, "Mali", "sommet / summit")
    monday = busiest_week(both)
    dom, _ = open_in_chromium(chromium, demo["timeline"], tmp_path, fragment=f"#nf-pick=co_mentions:"
                              f"{monday:%Y-%m-%d}:Mali × sommet / summit", flags=OFFLINE)
    head, shown = listed(dom, "co_mentions")
    assert sorted(shown) == lines_of(in_week(both, monday)) and shown
    assert (f"Mali × sommet / summit: {mention(len(shown))} Mali and sommet / summit this week; {len(shown)} listed"
            in head)


def test_a_link_to_a_heat_map_cell_lists_that_sources_articles_whose_main_topic_it_is(demo, chromium, tmp_path):
    articles = selected(demo["corpus"])
    main = pd.read_csv(demo["data"] / "dominant_topic.csv", dtype={"article_id": "string"})
    by_source = pd.read_csv(demo["data"] / "topics_by_source.csv")
    names = by_source.drop_duplicates("topic").sort_values("topic")["name"].tolist()  # the rows, in topic order
    sources = list(pd.unique(by_source["source"]))  # the columns, as the heat map draws them
    joined = articles.merge(main, on="article_id")
    topic, source = joined.groupby(["topic", "source"]).size().idxmax()  # the fullest cell
    name = by_source.loc[by_source["topic"] == topic, "name"].iloc[0]
    dom, _ = open_in_chromium(chromium, demo["topics"], tmp_path, flags=OFFLINE,
                              fragment=f"#nf-pick=topics_by_source:cell:{names.index(name)}:{sources.index(source)}")
    expected = joined[(joined["topic"] == topic) & (joined["source"] == source)]
    head, shown = listed(dom, "topics_by_source")
    assert 0 < len(expected) < 100 and sorted(shown) == lines_of(expected)
    assert head.startswith(f"{name} (main topic) · {source}: {len(expected)} of {len(expected)} articles listed")


def busy_week() -> tuple[pd.DataFrame, dict]:
    """200 articles the week of 2025-02-17 (39 mention Ukraine, 120 Trump) and 10 the week before: the shared sample
    (50 a week) holds only some of the busy week's mentioning articles."""
    rows = []
    for monday, n in (("2025-02-10", 10), ("2025-02-17", 200)):
        for i in range(n):
            text = ("Kyiv et l'Ukraine attendent." if i % 5 == 0 and i < 195 else
                    "Donald Trump a parlé." if i % 5 in (1, 2, 3) else "Rien à signaler.")
            rows.append({"article_id": f"{monday}-{i}", "published": pd.Timestamp(monday, tz="UTC")
                         + pd.Timedelta(minutes=43 * i), "source": ("RFI", "Le Monde", "AFP")[i % 3],
                         "title": f"{monday} article {i}", "url": f"https://example.org/{monday}/{i}", "text": text})
    frame = pd.DataFrame(rows).astype({"article_id": "string", "title": "string", "source": "string",
                                       "url": "string", "text": "string"})
    return frame, {"Ukraine": ["Ukraine", "Kyiv"], "Trump": ["Trump"]}


def page_of(fragments: list[str], path):
    """Write the charts' fragments as a page, as a report holds them."""
    path.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>' + "".join(fragments)
                    + "</body></html>", encoding="utf-8")
    return path


@pytest.mark.parametrize(("group", "listed_count", "said"), [
    ("Ukraine", 39, "39 articles mention Ukraine this week; 39 listed (the first 5 show the words around the term)"),
    ("Trump", 50, "120 articles mention Trump this week; showing 50 of 120, drawn at random (this page holds at most "
                  "50 per week and term group; the first 5 show the words around the term)"),
])
def test_a_term_groups_busiest_week_lists_its_mentioning_articles_up_to_the_cap_beyond_the_shared_sample(
        chromium, tmp_path, group, listed_count, said):
    pytest.importorskip("websocket")
    from newsframe.analysis import timeline
    from newsframe.reports import interactive, plots

    from tests.reports.devtools import Browser

    frame, groups = busy_week()
    found = terms.mentions(frame, groups)
    mentioning = frame[frame["article_id"].isin(found.loc[found["group"] == group, "article_id"])]
    monday = busiest_week(mentioning)
    expected = in_week(mentioning, monday)
    sampled = frame.loc[drilldown.sample(frame, freq="W").rows]
    assert len(in_week(sampled[sampled["article_id"].isin(expected["article_id"])], monday)) < listed_count
    interactive.Assets.reset()
    counted = timeline.count_mentions(frame, found, freq="W")
    chart = plots.small_multiples(counted, value="share", series="group", freq="W", percent=True, title="Shares",
                                  band=("share_low", "share_high"), name="term_shares")
    page = page_of([chart.with_articles(frame, found=found, term_groups=groups).to_html()], tmp_path / "terms.html")
    browser = Browser(chromium, tmp_path / "profile")
    try:
        x, y, _ = hover(browser, page, chart="term_shares", start=monday, series=group, charts=1)
        browser.mouse("mousePressed", x, y)
        browser.mouse("mouseReleased", x, y)
        chart_head = "document.querySelector('[data-nf-name=term_shares] .nf-drill-head')"
        head = wait_for(browser, f"{chart_head} && {chart_head}.textContent")
        assert head.startswith(f"week of {monday:%Y-%m-%d} · {group}: {said}")
        shown = browser.evaluate("Array.from(document.querySelectorAll('[data-nf-name=term_shares] .nf-drill-list li'))"
                                 ".map(li => [li.children[0].textContent, li.children[1].textContent.slice(3, -3), "
                                 "li.children[2].textContent])")
        shown = sorted(map(tuple, shown))
        assert len(shown) == len(set(shown)) == listed_count
        assert set(shown) <= set(lines_of(expected))  # every one mentions the group, in that week
        if len(expected) <= drilldown.CAP:
            assert shown == lines_of(expected)  # all of them
        in_sample = in_week(sampled[sampled["article_id"].isin(expected["article_id"])], monday)
        assert set(lines_of(in_sample)) <= set(shown)  # the sampled ones among them
        assert not [url for url in browser.requested if not url.startswith(("file:", "data:", "about:"))]
    finally:
        browser.close()


# The x axis's labels, read from Vega's scene graph (the canvas holds no text to read).
AXIS_LABELS = """(function () {
  var el = document.querySelector('[data-nf-name="%(name)s"]'), found = [];
  function walk(mark) {
    (mark.items || []).forEach(function (item) {
      if (mark.marktype === 'text' && mark.role === 'axis-label' && item.text) found.push(String(item.text));
      (item.items || []).forEach(walk);
    });
  }
  walk(NF.views[el.id].scenegraph().root);
  return found;
})()"""


def test_a_french_corpus_hovers_and_labels_in_french_number_and_date_formats(chromium, tmp_path):
    pytest.importorskip("websocket")
    from newsframe.analysis import timeline
    from newsframe.reports import interactive, plots

    from tests.reports.devtools import Browser

    rows = []
    for monday, n in (("2025-02-03", 300), ("2025-02-10", 1234)):
        for i in range(n):
            rows.append({"article_id": f"{monday}-{i}", "published": pd.Timestamp(monday, tz="UTC")
                         + pd.Timedelta(minutes=8 * i), "source": "RFI", "title": f"{monday} {i}", "language": "fr",
                         "text": "L'Ukraine." if i % 8 == 0 and i < 1232 else "Rien."})
    frame = pd.DataFrame(rows).astype({"article_id": "string", "title": "string", "source": "string",
                                       "text": "string", "language": "string"})
    groups = {"Ukraine": ["Ukraine"]}
    found = terms.mentions(frame, groups)
    counted = timeline.count_mentions(frame, found, freq="W")
    assert counted["articles_mentioning"].tolist()[-1] == 154  # 154 of 1,234: 12.48 %
    interactive.Assets.reset()
    chart = plots.lines(counted, value="share", series="group", freq="W", percent=True, title="Parts",
                        ylabel="part des articles", name="term_shares")
    page = page_of([chart.with_articles(frame, found=found, term_groups=groups).to_html()], tmp_path / "fr.html")
    browser = Browser(chromium, tmp_path / "profile")
    try:
        _, _, tip = hover(browser, page, chart="term_shares", start=pd.Timestamp("2025-02-10"), series="Ukraine",
                          charts=1)
        assert "12,5\u202f%" in tip and "1\u202f234" in tip  # decimal comma, narrow no-break spaces
        assert "12.5" not in tip and "1,234" not in tip
        axis = browser.evaluate(AXIS_LABELS % {"name": "term_shares"})
        assert any("févr." in label for label in axis), axis  # French month names on the time axis
        assert any(label.endswith("\u202f%") for label in axis), axis  # and on the share axis: "10 %"
    finally:
        browser.close()


def test_a_keyboard_reaches_each_chart_and_lists_a_periods_articles_without_a_mouse(chromium, tmp_path):
    pytest.importorskip("websocket")
    from newsframe.analysis import timeline
    from newsframe.reports import interactive, plots

    from tests.reports.devtools import Browser

    frame, groups = busy_week()
    found = terms.mentions(frame, groups)
    interactive.Assets.reset()
    counts = plots.counts(timeline.count(frame, freq="W"), freq="W", name="per_week").with_articles(frame)
    counted = timeline.count_mentions(frame, found, freq="W")
    shares = plots.small_multiples(counted, value="share", series="group", freq="W", percent=True, title="Shares",
                                   name="term_shares").with_articles(frame, found=found, term_groups=groups)
    page = page_of([counts.to_html(), shares.to_html()], tmp_path / "keys.html")
    focused = "document.activeElement.closest('.nf-chart')?.getAttribute('data-nf-name')"
    head = "document.querySelector('[data-nf-name=%s] .nf-drill-head')?.textContent"
    shown = ("Array.from(document.querySelectorAll('[data-nf-name=%s] .nf-drill-list li')).map(li => "
             "[li.children[0].textContent, li.children[1].textContent.slice(3, -3), li.children[2].textContent])")
    browser = Browser(chromium, tmp_path / "profile")
    try:
        browser.open(page.as_uri(), until="document.querySelectorAll('[data-nf-rendered]').length == 2")
        browser.key("Tab")
        assert browser.evaluate(focused) == "per_week"
        label = browser.evaluate("document.activeElement.getAttribute('aria-label')")
        assert label.startswith(counts.chart.alt) and "Enter lists the articles" in label
        hint = browser.evaluate("document.querySelector('[data-nf-name=per_week] .nf-hint').textContent")
        assert hint.endswith("Keyboard: Tab to the chart, then the arrow keys and Enter.")  # said to all readers
        browser.key("Enter")  # the first week: its 10 articles, as the corpus has them
        assert wait_for(browser, head % "per_week").startswith("week of 2025-02-10: 10 of 10 articles listed")
        assert sorted(map(tuple, browser.evaluate(shown % "per_week"))) == lines_of(in_week(
            frame, pd.Timestamp("2025-02-10")))
        browser.key("ArrowRight")
        status = "document.querySelector('[data-nf-name=per_week] .nf-focus').textContent"
        assert browser.evaluate(status) == "week of 2025-02-17: 200 articles. Enter lists them."
        browser.key(" ")
        assert wait_for(browser, head % "per_week").startswith("week of 2025-02-17: 50 of 200 articles listed")
        browser.key("Tab")  # past the listed titles' links, to the next chart
        while browser.evaluate(focused) == "per_week":
            browser.key("Tab")
        assert browser.evaluate(focused) == "term_shares"
        browser.key("End")
        series = shares.series.index("Ukraine")
        for _ in range(series):
            browser.key("ArrowDown")
        browser.key("Enter")
        assert wait_for(browser, head % "term_shares").startswith(
            "week of 2025-02-17 · Ukraine: 39 articles mention Ukraine this week; 39 listed")
        ukraine = frame[frame["article_id"].isin(found.loc[found["group"] == "Ukraine", "article_id"])]
        assert sorted(map(tuple, browser.evaluate(shown % "term_shares"))) == lines_of(
            in_week(ukraine, pd.Timestamp("2025-02-17")))
    finally:
        browser.close()
