import pandas as pd
from newsframe import demo, ingest
from newsframe.analysis import timeline


def test_demo_is_deterministic():
    assert demo.generate(seed=3, articles=50) == demo.generate(seed=3, articles=50)
    assert demo.generate(seed=3, articles=50) != demo.generate(seed=4, articles=50)


def test_demo_round_trips_through_ingest_with_its_burst(tmp_path):
    demo.write(tmp_path / "demo", articles=400)
    result = ingest.read([tmp_path / "demo"])
    summary = result.summary()
    assert summary["rejected"] == 0 and summary["kept"] == 400 + demo.BURST_EXTRA
    assert set(summary["languages"]) == {"fr", "en"}
    assert set(summary["sources"]) == set(demo.OUTLETS)
    weekly = timeline.count(result.articles, freq="W")
    peak = weekly.loc[weekly["articles"].idxmax(), "period_start"]
    assert abs(peak - pd.Timestamp(demo.EVENT_DATE)) <= pd.Timedelta(days=10)


def test_demo_refuses_to_overwrite(tmp_path):
    demo.write(tmp_path / "demo", articles=5)
    try:
        demo.write(tmp_path / "demo", articles=5)
    except Exception as exc:  # noqa: BLE001 - the type is checked below
        assert "already holds files" in str(exc)
    else:
        raise AssertionError("a second write must be refused")
