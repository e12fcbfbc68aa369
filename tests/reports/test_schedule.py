import os
import subprocess

import pytest
from newsframe import cli
from newsframe.errors import ParameterError
from newsframe.reports import schedule


def test_crontab_line_and_systemd_timer(tmp_path):
    line = schedule.crontab_line(tmp_path, when="30 5 * * *", ingest="data/raw")
    assert line.startswith("30 5 * * * cd ")
    assert "newsframe ingest data/raw" in line and "report --config reports.yml" in line
    assert line.endswith(f"{schedule.MARKER} {tmp_path}")
    assert "%" not in line  # cron reads % as a line break
    with pytest.raises(ParameterError, match="five fields"):
        schedule.crontab_line(tmp_path, when="daily")
    units = schedule.systemd_units(tmp_path, on_calendar="daily")
    assert "OnCalendar=daily" in units["newsframe-reports.timer"]
    assert "report --config reports.yml" in units["newsframe-reports.service"]


def test_schedule_command_uses_the_corpus_of_the_reports_file(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports.yml").write_text("out: site\ncorpus: data/processed/news.parquet\njobs:\n"
                                          "  - {name: t, notebook: t.ipynb}\n", encoding="utf-8")
    assert cli.main(["schedule", "--at", "0 7 * * 1-5", "--ingest", "data/raw"]) == 0
    line = capsys.readouterr().out
    assert line.startswith("0 7 * * 1-5 cd ")
    assert "--out data/processed/news.parquet" in line and ">> site/schedule.log 2>&1" in line


def test_schedule_without_a_reports_file_says_so(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["schedule"]) == 1
    assert "reports file reports.yml not found" in capsys.readouterr().err


def test_the_scheduled_command_logs_everything_each_step_prints(tmp_path):
    """Run the command a schedule runs, with a stand-in `newsframe` that prints to both streams and fails at
    ingest: the log holds the date line, ingest's output and its error, and no report runs after it."""
    stand_in = tmp_path / ".venv" / "bin" / "newsframe"
    stand_in.parent.mkdir(parents=True)
    stand_in.write_text('#!/bin/sh\necho "$1 says hello"\necho "$1 complains" >&2\n[ "$1" != ingest ]\n')
    stand_in.chmod(0o755)
    command = schedule.command(tmp_path, ingest="data/raw", log="out/schedule.log")
    done = subprocess.run(["/bin/sh", "-c", command], capture_output=True, text=True, env={**os.environ})
    log = (tmp_path / "out" / "schedule.log").read_text()
    assert done.returncode != 0 and done.stdout == "" and done.stderr == ""
    assert log.startswith("== newsframe, ")
    assert "ingest says hello" in log and "ingest complains" in log and "report says" not in log
