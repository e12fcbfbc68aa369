"""The one runner: execute a notebook template with parameters through papermill, then render offline HTML.

Templates in `notebooks/` are never executed in place: the executed copy and the HTML go to the output folder, each
written atomically, so a failed run leaves the previous good report untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newsframe import atomic
from newsframe.errors import ParameterError, ReportError

KERNEL_NAME = "newsframe"
TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Report:
    """Where a finished report lives."""

    html: Path
    notebook: Path


def notebook_parameters(template: str | Path) -> dict[str, dict]:
    """Return the parameters declared in a notebook's `parameters` cell: name -> {inferred_type_name, default, help}."""
    import papermill

    return papermill.inspect_notebook(str(template))


def check_parameters(template: str | Path, parameters: dict) -> None:
    """Raise ParameterError naming any parameter the notebook does not declare."""
    declared = notebook_parameters(template)
    unknown = sorted(set(parameters) - set(declared))
    if unknown:
        raise ParameterError(
            f"{template}: unknown parameter(s) {', '.join(unknown)}; this notebook takes {', '.join(declared)}."
        )


def run(template: str | Path, *, parameters: dict, out_dir: str | Path, name: str | None = None,
        kernel: str = KERNEL_NAME) -> Report:
    """Execute `template` with `parameters` and render it to `out_dir/<name>.html`; return the report's paths."""
    template, out_dir = Path(template), Path(out_dir)
    name = name or template.stem
    check_parameters(template, parameters)
    executed = out_dir / "executed" / f"{name}.ipynb"
    notebook = _execute(template, executed, parameters=parameters, kernel=kernel)
    html = atomic.write_text(out_dir / f"{name}.html", render_html(notebook))
    return Report(html=html, notebook=executed)


def _execute(template: Path, executed: Path, *, parameters: dict, kernel: str):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    executed.parent.mkdir(parents=True, exist_ok=True)
    scratch = executed.with_name(f".{executed.stem}.running.ipynb")
    try:
        notebook = papermill.execute_notebook(
            str(template), str(scratch), parameters=parameters, kernel_name=kernel, progress_bar=False,
            cwd=str(Path.cwd()),
        )
    except PapermillExecutionError as exc:
        failed = scratch.replace(executed.with_name(f"{executed.stem}.failed.ipynb"))
        raise ReportError(
            f"{template}: cell {exc.exec_count} failed with {exc.ename}: {exc.evalue}. "
            f"The executed notebook, with the error, is at {failed}; the previous report was left in place."
        ) from exc
    scratch.replace(executed)
    return notebook


def render_html(notebook) -> str:
    """Return a notebook as one self-contained HTML page: code hidden, figures inline, no external scripts."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="newsframe_offline",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_notebook_node(notebook)
    return body
