"""Run the reports on a schedule: a crontab line or a systemd user timer for this project, printed or installed."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

from newsframe.errors import ParameterError

__all__ = ["command", "crontab_line", "install_crontab", "install_systemd", "systemd_units"]

MARKER = "# newsframe reports"  # marks the crontab line as ours, so that installing twice replaces it


def command(project: Path, *, config: str = "reports.yml", ingest: str = "",
            corpus: str = "data/processed/corpus.parquet", log: str = "reports/schedule.log") -> str:
    """Return the shell command a schedule runs: optionally ingest `ingest` (a folder under the project) into
    `corpus` first, then every report of `config`; everything each step prints, errors included, is appended to
    `log` after a line with the date."""
    newsframe = shlex.quote(str(project / ".venv" / "bin" / "newsframe"))
    steps = ["echo \"== newsframe, $(date -u)\""]
    if ingest:
        steps.append(f"{newsframe} ingest {shlex.quote(ingest)} --out {shlex.quote(corpus)}")
    steps.append(f"{newsframe} report --config {shlex.quote(config)}")
    log_folder = shlex.quote(str(Path(log).parent))
    return (f"cd {shlex.quote(str(project))} && mkdir -p {log_folder} && {{ {' && '.join(steps)}; }} "
            f">> {shlex.quote(log)} 2>&1")


def crontab_line(project: Path, *, when: str = "0 6 * * 1", **options) -> str:
    """Return a crontab line running the reports at `when` (cron's five fields; default Mondays 06:00); `options`
    as `command` takes them."""
    if len(when.split()) != 5:
        raise ParameterError(f"--at {when!r}: give cron's five fields, e.g. '0 6 * * 1' (Mondays at 06:00).")
    return f"{when} {command(project, **options)} {MARKER} {project}"


def systemd_units(project: Path, *, on_calendar: str = "Mon *-*-* 06:00:00", **options) -> dict[str, str]:
    """Return a systemd user service and timer (file name -> content) running the reports on `on_calendar`;
    `options` as `command` takes them."""
    service = f"""[Unit]
Description=newsframe reports for {project}

[Service]
Type=oneshot
ExecStart=/bin/sh -c {shlex.quote(command(project, **options))}
"""
    timer = f"""[Unit]
Description=Run newsframe reports for {project}

[Timer]
OnCalendar={on_calendar}
Persistent=true

[Install]
WantedBy=timers.target
"""
    return {"newsframe-reports.service": service, "newsframe-reports.timer": timer}


def install_crontab(line: str, project: Path) -> str:
    """Add `line` to the user's crontab, replacing an earlier newsframe line for the same project; return the
    new crontab."""
    current = subprocess.run(["crontab", "-l"], capture_output=True, text=True)
    kept = [entry for entry in (current.stdout if current.returncode == 0 else "").splitlines()
            if not entry.endswith(f"{MARKER} {project}")]
    table = "\n".join([*kept, line]) + "\n"
    subprocess.run(["crontab", "-"], input=table, text=True, check=True)
    return table


def install_systemd(units: dict[str, str], *, folder: Path | None = None) -> list[Path]:
    """Write the units to the user's systemd folder and enable the timer; return the files written."""
    folder = folder or Path.home() / ".config" / "systemd" / "user"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in units.items():
        (folder / name).write_text(content, encoding="utf-8")
        written.append(folder / name)
    for step in (["daemon-reload"], ["enable", "--now", "newsframe-reports.timer"]):
        done = subprocess.run(["systemctl", "--user", *step], capture_output=True, text=True)
        if done.returncode != 0:
            raise ParameterError(f"systemctl --user {' '.join(step)} failed: {done.stderr.strip()}. The unit files "
                                 f"are in {folder}; enable the timer by hand, or use cron instead.")
    return written
