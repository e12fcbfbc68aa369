"""The HTML newsframe writes itself, beside the rendered notebooks: the index of reports, a failed job's error page,
and the blocks that open each report (what changed since the last report, the run manifest). Every value is
escaped."""

from __future__ import annotations

import html
import json
from pathlib import Path

from newsframe import __version__, atomic
from newsframe.reports import since
from newsframe.reports.config import Job
from newsframe.reports.state import now

__all__ = ["error_page", "manifest_html", "since_html", "write_index"]


def error_page(job: Job, error: str, *, when: str) -> str:
    """Return a small HTML page saying which job failed, when, and why (the failing cell is in the message)."""
    return _page(f"Report {job.name} failed", f"""
<h1>Report <code>{html.escape(job.name)}</code> failed</h1>
<p>Run of {html.escape(when)}. The previous good report, if any, was left in place.</p>
<pre>{html.escape(error)}</pre>
<p>The executed notebook with the error is in <code>executed/{html.escape(job.name)}.failed.ipynb</code>.</p>
<p><a href="index.html">All reports</a></p>""")


def write_index(out: Path, state: dict) -> Path:
    """Write `<out>/index.html`: every report written to `out` (by any reports file, or one-off from the command
    line), with its corpus (articles and dates), status, last successful run, a link, and what changed since the
    run before (as its report's box says)."""
    rows = [_index_row(out, name, entry) for name, entry in sorted(state.items())
            if not name.startswith("_") and isinstance(entry, dict)]
    body = f"""
<h1>Reports</h1>
<p>Every report in <code>{html.escape(str(out))}</code>, written by newsframe {html.escape(__version__)}.
Updated {html.escape(now())}.</p>
<table><thead><tr><th>report</th><th>corpus</th><th>status</th><th>last successful run</th><th>from</th></tr>
</thead><tbody>{''.join(rows) or '<tr><td colspan="5">No report yet.</td></tr>'}</tbody></table>"""
    return atomic.write_text(out / "index.html", _page("Reports", body))


def _index_row(out: Path, name: str, entry: dict) -> str:
    status = entry.get("status", "never run")
    page = entry.get("html")
    link = (f'<a href="{html.escape(page)}">{html.escape(name)}</a>' if page and (out / page).exists()
            else html.escape(name))
    error = f' · <a href="{html.escape(name)}.error.html">what went wrong</a>' if status == "failed" else ""
    corpus = entry.get("corpus") or {}
    held = corpus.get("articles", 0)
    described = (f"{held:,} article{'' if held == 1 else 's'}, {corpus.get('first published', '')} to "
                 f"{corpus.get('last published', '')}" if corpus else "—")
    source = entry.get("config") or "—"
    changed = (f"<tr class='since'><td colspan='5'>{html.escape(since.summary(entry['since']))}</td></tr>"
               if isinstance(entry.get("since"), dict) else "")
    return (f"<tr><td>{link}<br><small>{html.escape(entry.get('notebook', ''))}</small></td>"
            f"<td>{html.escape(described)}</td>"
            f"<td class='{html.escape(status.replace(' ', '-'))}'>{html.escape(status)}{error}</td>"
            f"<td>{html.escape(entry.get('finished', '—'))}</td><td>{html.escape(source)}</td></tr>{changed}")


def _page(title: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}}
table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ddd;padding:.4em;text-align:left}}
.failed{{color:#b00020;font-weight:bold}}.ok{{color:#1b5e20}}pre{{white-space:pre-wrap;background:#f6f6f6;padding:1em}}
tr:has(+ tr.since) td{{border-bottom:none}}tr.since td{{padding-top:0;font-size:.85em;color:#444}}
</style></head><body>{body}
</body></html>
"""


def since_html(change: dict | None) -> str:
    """Return what changed since the last report (`since.compare`) as the box that opens a report (every value
    escaped, no script), or nothing."""
    if change is None:
        return ""
    said, heading = since.lines(change), f"<strong>{html.escape(since.heading(change))}:</strong>"
    if len(said) == 1:
        return f'<div class="newsframe-since" role="note"><p>{heading} {html.escape(said[0])}</p></div>'
    items = "".join(f"<li>{html.escape(line)}</li>" for line in said)
    return f'<div class="newsframe-since" role="note"><p>{heading}</p><ul>{items}</ul></div>'


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
