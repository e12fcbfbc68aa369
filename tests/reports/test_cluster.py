"""The timeline report on a partitioned corpus, analysed month by month on a dask.distributed cluster of two worker
processes on this machine (its articles without their texts in memory, the texts on the workers), through the real
runner: the same figures, data and interactive charts as the report analysed in memory."""

import base64
import gzip
import json
import os
import re
import sys

import pandas as pd
import pytest
from newsframe import corpus
from newsframe.analysis import partitions
from newsframe.reports import runner

from tests.conftest import demo_corpus_in
from tests.reports.helpers import TIMELINE, TOPICS

pytestmark = pytest.mark.slow

GROUPS = {"Russia": ["Russie", "Russia", "russe*"], "summit": ["sommet", "summit"]}


@pytest.fixture(scope="module")
def partitioned(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    return corpus.write(corpus.read(demo_corpus_in(folder, articles=600)), folder / "partitioned", partitioned=True)


def run_timeline(corpus_path, out, **parameters):
    return runner.run(TIMELINE, out_dir=out, parameters={"corpus_path": str(corpus_path), "freq": "M",
                                                         "term_groups": GROUPS, "data_dir": str(out / "data"),
                                                         **parameters})


def data_files(report) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((report.html.parent / "data").glob("*.csv"))}


def figures(report) -> list[str]:
    return re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", report.html.read_text("utf-8"))


def chart_data(report) -> list[str]:
    """Return what the interactive charts embed (specs, series, the articles listed and their words in context),
    without the random id each chart's element gets."""
    page = report.html.read_text("utf-8")
    data = re.findall(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', page, flags=re.DOTALL)
    return [re.sub(r"nf-[0-9a-f]{12}\b", "nf-…", text) for text in data]


def in_context(report) -> list[list]:
    """Return the rows the term groups' lists show with words in context (packed in the page)."""
    page = report.html.read_text("utf-8")
    packed = re.findall(r'<script[^>]*data-nf-packed="gzip"[^>]*>"([^"]+)"</script>', page)
    return [row for text in packed for row in json.loads(gzip.decompress(base64.b64decode(text)))["rows"]
            if len(row) > 2]


def test_the_timeline_report_on_a_local_cluster_is_the_report_counted_in_memory(partitioned, tmp_path, monkeypatch):
    from dask.distributed import LocalCluster

    monkeypatch.delenv(partitions.SCHEDULER_VARIABLE, raising=False)
    # the kernel and the workers are new processes: they import newsframe from where this test does
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(sys.path))
    in_memory = run_timeline(partitioned, tmp_path / "memory")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        on_cluster = run_timeline(partitioned, tmp_path / "cluster", scheduler=cluster.scheduler_address)
        months = cluster.scheduler.task_prefixes["in_month"]  # each task reads and analyses one month
        assert months.state_counts["memory"] >= 5 * len(partitions.months(partitioned))  # boilerplate (2), mentions…
        assert len(cluster.scheduler.workers) == 2
    assert data_files(on_cluster) == data_files(in_memory)
    assert {"articles_per_period.csv", "term_mentions.csv", "kwic.csv", "key_terms.csv", "boilerplate.csv",
            "co_mentions.csv", "mentions_by_date_and_source.csv"} <= set(data_files(in_memory))
    assert figures(on_cluster) == figures(in_memory) and len(figures(in_memory)) >= 5
    assert chart_data(on_cluster) == chart_data(in_memory) and len(chart_data(in_memory)) >= 5
    assert in_context(on_cluster) == in_context(in_memory) and in_context(in_memory)  # their texts came from the months
    assert cluster.scheduler_address in on_cluster.html.read_text("utf-8")  # the report says where it ran
    assert "this machine, in memory" in in_memory.html.read_text("utf-8")


def run_topics(corpus_path, out, **parameters):
    return runner.run(TOPICS, out_dir=out, parameters={"corpus_path": str(corpus_path), "k": "4-6", "freq": "M",
                                                       "data_dir": str(out / "data"), **parameters})


def table(report, name) -> pd.DataFrame:
    frame = pd.read_csv(report.html.parent / "data" / f"{name}.csv")
    return frame.drop(columns=["seconds"], errors="ignore")  # how long each fit took


def test_the_topics_report_on_a_local_cluster_fits_on_the_sample_and_assigns_by_month(partitioned, tmp_path,
                                                                                     monkeypatch):
    from dask.distributed import LocalCluster

    monkeypatch.delenv(partitions.SCHEDULER_VARIABLE, raising=False)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(sys.path))
    in_memory = run_topics(partitioned, tmp_path / "memory")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        on_cluster = run_topics(partitioned, tmp_path / "cluster", scheduler=cluster.scheduler_address)
        assert cluster.scheduler.task_prefixes["in_month"].state_counts["memory"] > 0
    page = on_cluster.html.read_text("utf-8")
    assert cluster.scheduler_address in page and "this machine, in memory" in in_memory.html.read_text("utf-8")
    # The demo's 646 articles are their own sample: the same articles, words, choice of k and topics as in memory.
    assert re.search(r"fitted on all [0-9,]+ articles", page)
    for name in ("boilerplate", "model_selection", "topics", "topic_vocabulary", "topics_by_source"):
        pd.testing.assert_frame_equal(table(on_cluster, name), table(in_memory, name), check_exact=False, rtol=1e-4)
    # Shares over time legitimately differ a little: in memory each article's weights are the fit's own; on the
    # cluster every article (the sample's too) is given its weights by least squares against the fitted topics.
    shares, fitted = table(on_cluster, "topic_shares"), table(in_memory, "topic_shares")
    pd.testing.assert_frame_equal(shares.drop(columns=["weight", "share"]), fitted.drop(columns=["weight", "share"]))
    assert (shares["share"] - fitted["share"]).abs().max() < 0.01  # 0.0002 on the demo
