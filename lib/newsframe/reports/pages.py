"""The HTML newsframe writes itself, beside the rendered notebooks: the index of reports, a failed job's error page
and the run manifest block that opens each report. Every value is escaped."""

from __future__ import annotations

import html
import json
from pathlib import Path

from newsframe import __version__, atomic
from newsframe.reports.config import Config, Job
from newsframe.reports.state import now

__all__ = ["error_page", "manifest_html", "write_index"]


def error_page(job: Job, error: str, *, when: str) -> str:
    """Return a small HTML page saying which job failed, when, and why (the failing cell is in the message)."""
    return _page(f"Report {job.name} failed", f"""
<h1>Report <code>{html.escape(job.name)}</code> failed</h1>
<p>Run of {html.escape(when)}. The previous good report, if any, was left in place.</p>
<pre>{html.escape(error)}</pre>
<p>The executed notebook with the error is in <code>executed/{html.escape(job.name)}.failed.ipynb</code>.</p>
<p><a href="index.html">All reports</a></p>""")


def write_index(config: Config, state: dict) -> Path:
    """Write `<out>/index.html`: every job with its status, its last successful run and a link to its report."""
    rows = []
    for job in config.jobs:
        last = state.get(job.name, {})
        status = last.get("status", "never run")
        link = (f'<a href="{html.escape(last["html"])}">{html.escape(job.name)}</a>' if last.get("html")
                and (config.out / last["html"]).exists() else html.escape(job.name))
        error = (f' · <a href="{html.escape(job.name)}.error.html">what went wrong</a>' if status == "failed" else "")
        rows.append(f"<tr><td>{link}</td><td>{html.escape(str(job.notebook))}</td>"
                    f"<td class='{html.escape(status.replace(' ', '-'))}'>{html.escape(status)}{error}</td>"
                    f"<td>{html.escape(last.get('finished', '—'))}</td></tr>")
    body = f"""
<h1>Reports</h1>
<p>Written by newsframe {html.escape(__version__)} from <code>{html.escape(str(config.path))}</code>.
Updated {html.escape(now())}.</p>
<table><thead><tr><th>report</th><th>notebook</th><th>status</th><th>last successful run</th></tr></thead>
<tbody>{''.join(rows)}</tbody></table>"""
    return atomic.write_text(config.out / "index.html", _page("Reports", body))


def _page(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}}
table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ddd;padding:.4em;text-align:left}}
.failed{{color:#b00020;font-weight:bold}}.ok{{color:#1b5e20}}pre{{white-space:pre-wrap;background:#f6f6f6;padding:1em}}
</style></head><body>{body}
</body></html>
"""


def manifest_html(manifest: dict | None) -> str:
    """Return the run manifest as an HTML block (every value escaped), or nothing."""
    if not manifest:
        return ""
    rows = []
    for key, value in manifest.items():
        if isinstance(value, dict):
            value = "; ".join(f"{k} = {json.dumps(v, ensure_ascii=False, default=str)}" for k, v in value.items())
        elif isinstance(value, list):
            value = "; ".join(map(str, value)) or "none"
        rows.append(f"<tr><th>{html.escape(str(key))}</th><td>{html.escape(str(value))}</td></tr>")
    return ('<details class="newsframe-manifest"><summary>About this run: corpus, parameters, versions</summary>'
            f'<table>{"".join(rows)}</table></details>')
