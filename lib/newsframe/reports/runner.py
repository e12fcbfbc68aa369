"""The one runner: execute a notebook template with parameters through papermill, then render offline HTML.

Templates in `notebooks/` are never executed in place: the executed copy and the HTML go to the output folder, each
written atomically, so a failed run leaves the previous good report untouched. The facts a notebook displays for the
next run (`history.facts`) are taken out of it before rendering: the report never shows them.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass, field
from pathlib import Path

from newsframe import atomic
from newsframe.errors import ReportError
from newsframe.reports import since as since_facts
from newsframe.reports.pages import manifest_html, since_html

KERNEL_NAME = "newsframe"
TEMPLATES = Path(__file__).parent / "templates"

__all__ = ["KERNEL_NAME", "Report", "render_html", "run", "split_facts", "warnings"]


@functools.cache
def ipc_kernel_manager() -> type:
    """Return a kernel manager that talks to the kernel over local sockets (files only this user can open) instead
    of TCP on localhost, which ipykernel warns about. Built on first use: jupyter_client is slow to import, and a
    scheduled run with nothing to do should not pay for it."""
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum

    class IPCKernelManager(AsyncKernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

    return IPCKernelManager


@dataclass(frozen=True)
class Report:
    """Where a finished report lives; with `previous` given to `run`, this run's facts and what changed since."""

    html: Path
    notebook: Path
    facts: dict = field(default_factory=dict)
    since: dict | None = None


def run(template: str | Path, *, parameters: dict, out_dir: str | Path, name: str | None = None,
        kernel: str = KERNEL_NAME, manifest: dict | None = None, previous: dict | None = None) -> Report:
    """Execute `template` with `parameters` and render it to `out_dir/<name>.html`; return the report's paths.

    With a `manifest` (facts about the run), the report opens with it, completed with the run's duration and the
    warnings the notebook printed. With `previous`, what the report's last successful run recorded (`finished`, its
    time, and `facts`; empty before any), the report opens with what changed since (`since.compare`), and the
    `Report` holds this run's facts for the next.
    """
    template, out_dir = Path(template), Path(out_dir)
    name = name or template.stem
    if Path(name).name != name or name.startswith("."):
        raise ReportError(f"report name {name!r} must be a plain file name: reports are written inside {out_dir}.")
    executed = out_dir / "executed" / f"{name}.ipynb"
    started = time.perf_counter()
    notebook = _execute(template, executed, parameters=parameters, kernel=kernel)
    found, notebook = split_facts(notebook)
    facts, change = {}, None
    if previous is not None:
        facts = since_facts.collect(parameters, found)
        change = since_facts.compare(previous.get("facts"), facts, when=previous.get("finished", ""))
    if manifest is not None:
        manifest = {**manifest, "duration": f"{time.perf_counter() - started:.1f} s", "warnings": warnings(notebook)}
    try:
        html = render_html(notebook, manifest=manifest, since=change)
    except Exception as exc:  # noqa: BLE001 - a rendering failure is this report's failure, said so
        raise ReportError(f"{template}: ran, but could not be rendered as HTML ({type(exc).__name__}: {exc}). The "
                          f"executed notebook is at {executed}; the previous report was left in place.") from exc
    page = atomic.write_text(out_dir / f"{name}.html", html)
    return Report(html=page, notebook=executed, facts=facts, since=change)


def split_facts(notebook) -> tuple[dict, object]:
    """Return the facts an executed notebook displayed with `history.facts` (merged, later calls winning) and the
    notebook without them, to render: nbconvert would leave an empty output and warn about their type."""
    import nbformat

    found, cells = {}, []
    for cell in notebook.cells:
        outputs = cell.get("outputs", [])
        kept = [output for output in outputs if since_facts.FACTS_MIME not in output.get("data", {})]
        for output in outputs:
            found.update(output.get("data", {}).get(since_facts.FACTS_MIME) or {})
        cells.append(cell if len(kept) == len(outputs) else nbformat.from_dict({**cell, "outputs": kept}))
    return found, nbformat.from_dict({**notebook, "cells": cells})


def warnings(notebook) -> list[str]:
    """Return what an executed notebook printed to stderr (Python's warnings, mostly), line by line, without
    repeats or the source lines warnings quote: the report shows none of it, its run manifest lists it."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                found += [line.strip() for line in output.get("text", "").splitlines()
                          if line.strip() and not line.startswith((" ", "\t"))]
    return list(dict.fromkeys(found))


def _execute(template: Path, executed: Path, *, parameters: dict, kernel: str):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    executed.parent.mkdir(parents=True, exist_ok=True)
    scratch = executed.with_name(f".{executed.stem}.running.ipynb")
    try:
        notebook = papermill.execute_notebook(
            str(template), str(scratch), parameters=parameters, kernel_name=kernel, progress_bar=False,
            cwd=str(Path.cwd()), kernel_manager_class=ipc_kernel_manager(),
        )
    except PapermillExecutionError as exc:
        failed = scratch.replace(executed.with_name(f"{executed.stem}.failed.ipynb"))
        raise ReportError(
            f"{template}: cell {exc.exec_count} failed with {exc.ename}: {str(exc.evalue).rstrip('.')}. "
            f"The executed notebook, with the error, is at {failed}; the previous report was left in place."
        ) from exc
    except Exception as exc:  # noqa: BLE001 - the kernel died, is missing, timed out…: said in a researcher's terms
        failed = scratch.replace(executed.with_name(f"{executed.stem}.failed.ipynb")) if scratch.exists() else None
        kept = f" The notebook as far as it ran is at {failed}." if failed else ""
        raise ReportError(f"{template}: {_kernel_problem(exc, kernel)}{kept} The previous report was left in "
                          "place.") from exc
    scratch.replace(executed)
    return notebook


def _kernel_problem(exc: Exception, kernel: str) -> str:
    """Say what went wrong with the kernel, and what to do."""
    name = type(exc).__name__
    if name == "NoSuchKernel":
        return (f"the Jupyter kernel {kernel!r} is not installed in this environment. Run `make setup`, or "
                f"`python -m ipykernel install --sys-prefix --name {kernel}` in it.")
    if name == "DeadKernelError":
        return ("the notebook's kernel died while it ran (killed, or out of memory: a large corpus may need a "
                f"`start`/`end` range or more memory) ({exc}).")
    if name in {"CellTimeoutError", "TimeoutError"}:
        return f"a cell ran too long and was stopped ({exc})."
    return f"the notebook could not be run ({name}: {exc})."


def render_html(notebook, *, manifest: dict | None = None, since: dict | None = None) -> str:
    """Return a notebook as one self-contained HTML page: code hidden, figures inline, no external scripts; what
    changed `since` the last report (`since.compare`) and the `manifest`, if any, shown first."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="newsframe_offline",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    shown_first = {"newsframe_since": since_html(since), "newsframe_manifest": manifest_html(manifest)}
    body, _ = exporter.from_notebook_node(notebook, resources=shown_first)
    return body
