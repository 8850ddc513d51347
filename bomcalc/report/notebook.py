"""Running report notebooks and exporting them as HTML (report layer).

The audit report is a Jupyter notebook shipped inside the package
(``bomcalc/notebooks/audit_report.ipynb``, a byte-identical copy of
``notebooks/audit_report.ipynb``). :func:`export_html_report` runs it on a BOM in a fresh
kernel and writes the result as one self-contained HTML file: prose, tables and charts, no
code, no scripts and no links to fetch anything.

Parameters reach a notebook the way papermill passes them: a code cell tagged
``injected-parameters`` is inserted after the cell tagged ``parameters`` and overrides its
defaults. The kernel is the ``python3`` kernel of ipykernel, started with the interpreter that
runs bomcalc, so the notebook sees the same installation whatever other kernels are registered.

A failure while running becomes a :class:`~bomcalc.core.errors.BomError` naming the notebook, the
code cell and its section, and the error (for a bomcalc error, with the lines the cell printed,
such as every data problem of the BOM); never a traceback.
"""

from __future__ import annotations

import ast
import datetime as dt
import os
import re
import subprocess
from importlib import resources
from pathlib import Path

from ..core.errors import BomError
from .safe_text import CONTENT_SECURITY_POLICY, html_hazards, terminal_text
from ..io.rulepack import load_rule_pack
from ..io.writers import write_atomic

#: The notebook :func:`export_html_report` runs, inside the ``bomcalc`` package.
AUDIT_NOTEBOOK = ("notebooks", "audit_report.ipynb")

#: The Jupyter kernel the notebooks run in (installed with ipykernel).
KERNEL_NAME = "python3"

#: Cells left out of an HTML report: the parameters (the report states the values it used) and
#: prose meant for someone running the notebook.
REPORT_HIDDEN_TAGS = ("parameters", "injected-parameters", "hide-in-report")

#: Longest time one cell may run [s].
CELL_TIMEOUT = 600

# The options of :func:`bomcalc.read_workbook` the audit notebook passes on (READING_OPTIONS): the fields of
# :class:`~bomcalc.io.readers.ReadOptions` but ``part1_items`` (from the rule pack); ``parts``
# and ``declarations`` are parameters of their own, the others go into ``reading_options``.
from ..io.readers import READING_OPTIONS  # noqa: E402

_BOMCALC_ERRORS = ("BomError", "BomDataError", "CycleError", "InputFileError", "RulePackError", "ScenarioError")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

#: nbconvert's lab template with everything that could run or fetch taken out: no require.js,
#: MathJax, Mermaid or widget scripts, no JavaScript or widget outputs, SVG outputs left out,
#: Markdown and Mermaid outputs shown as the text they are; and a Content-Security-Policy that
#: lets the page use only its own inline styles and embedded images.
_HTML_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}
<meta http-equiv="Content-Security-Policy" content="{{ resources.content_security_policy | e }}">
{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block data_javascript -%}{%- endblock data_javascript -%}
{%- block data_widget_view -%}{%- endblock data_widget_view -%}
{%- block data_svg -%}{%- endblock data_svg -%}
{% block data_markdown scoped -%}
<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="text/plain"><pre>{{ output.data['text/markdown'] | e }}</pre></div>
{%- endblock data_markdown %}
{% block data_mermaid scoped -%}
<div class="jp-RenderedText jp-OutputArea-output" data-mime-type="text/plain"><pre>{{ output.data['text/vnd.mermaid'] | e }}</pre></div>
{%- endblock data_mermaid %}
"""


def audit_notebook_path() -> Path:
    """The audit notebook shipped with bomcalc."""
    resource = resources.files("bomcalc").joinpath(*AUDIT_NOTEBOOK)
    if not resource.is_file():
        raise BomError("the audit notebook is missing from the bomcalc installation "
                       f"({'/'.join(AUDIT_NOTEBOOK)}); reinstall bomcalc")
    return Path(str(resource))


def _jupyter():
    """The Jupyter modules, or a clear error saying what to install."""
    try:
        import nbclient
        import nbformat
        from nbclient import exceptions
        from nbconvert import HTMLExporter
    except ImportError as exc:
        raise BomError(f"running report notebooks needs {exc.name or 'the Jupyter packages'}: "
                       "pip install 'bomcalc[notebooks]'") from None
    return nbformat, nbclient, exceptions, HTMLExporter


def _literal(value, name: str):
    """``value`` as something whose ``repr`` is Python source for it: paths and dates as text."""
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_literal(item, name) for item in value]
    if isinstance(value, dict):
        return {str(key): _literal(item, name) for key, item in value.items()}
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    raise BomError(f"notebook parameter '{name}' must be text, a path, a number or a list of them, "
                   f"not {type(value).__name__}")


def parameter_source(parameters: dict) -> str:
    """The source of the cell that sets ``parameters`` (names to plain values)."""
    lines = ["# Parameters injected for this run"]
    for name, value in parameters.items():
        if not name.isidentifier():
            raise BomError(f"'{name}' cannot be a notebook parameter: not a Python name")
        text = repr(_literal(value, name))
        try:
            ast.literal_eval(text)  # a plain literal, nothing that runs code
        except (ValueError, SyntaxError):
            raise BomError(f"notebook parameter '{name}' has no plain value: {text}") from None
        lines.append(f"{name} = {text}")
    return "\n".join(lines) + "\n"


def with_parameters(notebook, parameters: dict):
    """``notebook`` with a cell tagged ``injected-parameters`` after its ``parameters`` cell.

    An earlier injected cell is replaced; without a ``parameters`` cell the new cell comes
    first. The notebook is changed in place and returned.
    """
    import nbformat

    cells = [cell for cell in notebook.cells if "injected-parameters" not in cell.metadata.get("tags", [])]
    position = next((number + 1 for number, cell in enumerate(cells)
                     if "parameters" in cell.metadata.get("tags", [])), 0)
    if parameters:
        injected = nbformat.v4.new_code_cell(parameter_source(parameters))
        injected.id = "injected-parameters"
        injected.metadata["tags"] = ["injected-parameters"]
        cells.insert(position, injected)
    notebook.cells = cells
    return notebook


def _section(notebook, index: int) -> str | None:
    """The last Markdown heading above cell ``index``."""
    for cell in reversed(notebook.cells[:index]):
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            if line.startswith("#"):
                return line.lstrip("#").strip()
    return None


def failure_message(notebook, name: str, ename: str, evalue: str) -> str:
    """One clear message for an error raised while running ``notebook`` (already run up to it).

    Names the code cell as numbered in the notebook file (injected parameters not counted), its
    section, and the error; a bomcalc error comes with what the cell printed (its data problems).
    """
    number, index, printed = None, None, ""
    count = 0
    for position, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        injected = "injected-parameters" in cell.metadata.get("tags", [])
        count += 0 if injected else 1
        if any(output.get("output_type") == "error" for output in cell.get("outputs", [])):
            number, index = (count if not injected else None), position
            printed = "".join(output.get("text", "") for output in cell.outputs
                              if output.get("output_type") == "stream" and output.get("name") == "stdout")
            break
    if index is None:
        where = f"{name} stopped"
    elif number is None:
        where = f"{name} stopped in its injected parameters"
    else:
        section = _section(notebook, index)
        where = f"{name} stopped in code cell {number}" + (f" (section '{section}')" if section else "")
    evalue = _ANSI.sub("", evalue or "").strip()
    message = f"{where}: {ename}: {evalue}" if evalue else f"{where}: {ename}"
    if ename in _BOMCALC_ERRORS:
        details = _ANSI.sub("", printed).strip()
        return message + ("\n" + details if details else "")
    return message + "; run the notebook in Jupyter to see where the error comes from"


def _kernel_manager_class():
    """A kernel manager that starts ipykernel with this interpreter, never a kernel registered elsewhere."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class SameInterpreterKernelManager(AsyncKernelManager):
        @default("kernel_spec_manager")
        def _kernel_spec_manager_default(self):
            # no kernel folders: only ipykernel's own python3 spec, which runs sys.executable
            return KernelSpecManager(kernel_dirs=[])

    return SameInterpreterKernelManager


def execute_notebook(path: str | os.PathLike, parameters: dict | None = None, working_dir: str | os.PathLike | None = None,
                     name: str | None = None, timeout: int = CELL_TIMEOUT):
    """Run the notebook at ``path`` with ``parameters`` and return it with its outputs.

    ``working_dir`` is the kernel's working directory (default: the notebook's folder, as in
    Jupyter), against which the notebook resolves relative paths. ``name`` names the notebook
    in messages. Raises :class:`~bomcalc.core.errors.BomError` when a cell fails.
    """
    nbformat, nbclient, exceptions, _ = _jupyter()
    from jupyter_client.kernelspec import NoSuchKernel

    path = Path(path)
    name = name or path.name
    try:
        notebook = nbformat.read(path, as_version=4)
    except (OSError, ValueError) as exc:
        raise BomError(f"{path}: cannot be read as a notebook ({exc})") from None
    with_parameters(notebook, parameters or {})
    folder = Path(working_dir) if working_dir is not None else path.parent
    client = nbclient.NotebookClient(
        notebook, timeout=timeout, kernel_name=KERNEL_NAME, kernel_manager_class=_kernel_manager_class(),
        resources={"metadata": {"path": str(folder)}},
        extra_arguments=["--IPKernelApp.log_level=ERROR"],  # kernel start-up chatter is not the user's business
        record_timing=False,  # no timestamps in the executed notebook
    )
    try:
        try:
            client.execute(stderr=subprocess.DEVNULL)  # the kernel's own log lines are not the user's business
        except Exception:
            if getattr(client, "_async_cleanup_kernel_future", None) is not None:  # nbclient's Ctrl-C handler ran
                raise KeyboardInterrupt from None
            raise
    except exceptions.CellExecutionError as exc:
        raise BomError(failure_message(notebook, name, exc.ename, exc.evalue)) from None
    except exceptions.CellTimeoutError:
        raise BomError(failure_message(notebook, name, "timeout", f"a cell ran longer than {timeout} s")) from None
    except exceptions.DeadKernelError as exc:
        raise BomError(f"{name}: the notebook kernel died ({exc}); is the machine out of memory?") from None
    except NoSuchKernel:
        raise BomError(f"{name}: the '{KERNEL_NAME}' Jupyter kernel is not available: pip install ipykernel") from None
    return notebook


def _visible_controls(notebook) -> None:
    """Show control characters in printed text as escapes, never as colours (ansi2html would)."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                output["text"] = terminal_text(output.get("text", ""))
            elif "text/plain" in output.get("data", {}):
                output["data"]["text/plain"] = terminal_text(output["data"]["text/plain"])


def notebook_html(notebook, title: str | None = None) -> str:
    """An executed notebook as one self-contained HTML page: prose and outputs, no code, no scripts.

    Nothing on the page runs or fetches anything: the template leaves out every script, and a
    Content-Security-Policy allows only inline styles and embedded images. Input text in the
    outputs is escaped by the notebook; the finished page is scanned all the same, and a page
    that would hold a script, an event handler or an outside link is refused (a fault of
    bomcalc, not of the data).
    """
    _, _, _, HTMLExporter = _jupyter()
    from jinja2 import DictLoader
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="lab", template_file="bomcalc_report.html.j2",
        extra_loaders=[DictLoader({"bomcalc_report.html.j2": _HTML_TEMPLATE})],
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True, exclude_anchor_links=True,
    )
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags=set(REPORT_HIDDEN_TAGS)), enabled=True)
    if title:
        notebook.metadata["title"] = title
    notebook.metadata.pop("widgets", None)  # widget state would come with a script
    _visible_controls(notebook)
    body, _ = exporter.from_notebook_node(notebook, resources={"content_security_policy": CONTENT_SECURITY_POLICY})
    hazards = html_hazards(body)
    if hazards:
        raise BomError(f"the HTML report would hold active content ({'; '.join(sorted(set(hazards))[:5])}); "
                       "it was not written. This is a fault in bomcalc, not in your data: report it")
    return body


def export_html_report(output_path: str | os.PathLike, bom_path: str | os.PathLike, as_of=None,
                       rules: str | os.PathLike | None = None, *, part2_scope: str = "materials",
                       alternates: str = "conservative", accept: str = "none", destination: str | None = None,
                       **reading_options) -> Path:
    """Run the audit notebook on a BOM and write it as an HTML report, whole or not at all.

    ``as_of`` (``YYYY-MM-DD`` or a date; default today), ``rules`` (a rule-pack file or a packaged
    pack's id; default the bundled pack), ``destination`` (for a pack whose threshold depends on
    it), ``part2_scope``, ``alternates``, ``accept`` and ``reading_options`` (the fields of
    :class:`~bomcalc.io.readers.ReadOptions` in ``READING_OPTIONS``) mean what they mean for :func:`bomcalc.read_workbook` and
    :func:`bomcalc.evaluate`. Relative paths are read from the current working directory.
    Returns the path written. Raises :class:`~bomcalc.core.errors.BomError` when the BOM cannot be
    read (with every data problem), a cell fails, or the file cannot be written.
    """
    unknown = sorted(set(reading_options) - set(READING_OPTIONS))
    if unknown:
        raise BomError(f"unknown reading option(s) {', '.join(unknown)}; known: {', '.join(READING_OPTIONS)}")
    if not Path(bom_path).exists():
        raise BomError(f"{bom_path}: no such file or folder")
    load_rule_pack(rules)  # a pack that cannot be read stops here, before the notebook runs
    target = Path(output_path)
    if not (target.parent if str(target.parent) else Path(".")).is_dir():
        raise BomError(f"{target}: the folder {target.parent} does not exist")
    options = {key: value for key, value in reading_options.items() if value is not None}
    parameters = {
        "bom_path": bom_path,
        "as_of": as_of,
        "rules": rules,
        "parts": _as_list(options.pop("parts", ())),
        "declarations": _as_list(options.pop("declarations", ())),
        "reading_options": options,
        "part2_scope": part2_scope,
        "alternates": alternates,
    }
    if accept != "none":  # the notebook's default; a parameter only when the policy is used
        parameters["accept"] = accept
    if destination:
        parameters["destination"] = destination
    executed = execute_notebook(audit_notebook_path(), parameters, working_dir=Path.cwd(), name="the audit report")
    page = notebook_html(executed, title=f"Licence audit: {Path(bom_path).name}")
    try:
        write_atomic(target, page.encode("utf-8"))
    except OSError as exc:
        raise BomError(f"{target}: cannot be written ({exc.strerror or exc})") from None
    return target


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, (str, os.PathLike)):
        return [value]
    return list(value)
