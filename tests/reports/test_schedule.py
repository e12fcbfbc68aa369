import pytest
from newsframe import cli
from newsframe.errors import ParameterError
from newsframe.reports import schedule


def test_crontab_line_and_systemd_timer(tmp_path):
    line = schedule.crontab_line(tmp_path, when="30 5 * * *", ingest="data/raw")
    assert line.startswith("30 5 * * * cd ")
    assert "newsframe ingest data/raw" in line and "report --config reports.yml" in line
    assert line.endswith(f"{schedule.MARKER} {tmp_path}")
    with pytest.raises(ParameterError, match="five fields"):
        schedule.crontab_line(tmp_path, when="daily")
    units = schedule.systemd_units(tmp_path, on_calendar="daily")
    assert "OnCalendar=daily" in units["newsframe-reports.timer"]
    assert "report --config reports.yml" in units["newsframe-reports.service"]


def test_schedule_command_prints_the_line(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["schedule", "--at", "0 7 * * 1-5"]) == 0
    assert capsys.readouterr().out.startswith("0 7 * * 1-5 cd ")
