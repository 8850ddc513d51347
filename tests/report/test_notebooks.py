"""The notebooks run on the samples in a real kernel, and the HTML audit report shows no code.

The kernel runs are the slowest tests of the suite (a few seconds each): every notebook runs
once per session, in module-scoped fixtures shared by the tests that read its outputs.
"""

from __future__ import annotations

import ast
import hashlib
import re
from pathlib import Path

import nbformat
import pytest

import bomcalc
from bomcalc.report.notebook import (
    audit_notebook_path,
    execute_notebook,
    export_html_report,
    failure_message,
    parameter_source,
    with_parameters,
)

ROOT = Path(__file__).resolve().parent.parent.parent
NOTEBOOKS = ROOT / "notebooks"
AUDIT = NOTEBOOKS / "audit_report.ipynb"
WHATIF = NOTEBOOKS / "whatif_analysis.ipynb"
SERVO = ROOT / "sample_boms" / "servo_actuator.xlsx"
AS_OF = "2026-03-01"  # limbs suspended: statuses stand, "would be required"
FLAGGED = ("MAG-ARC", "DY-MET")  # licence required for the servo (sample_boms/README.md)
SCENARIOS = ("Dy from Japan", "Ferrite instead of NdFeB in the encoder", "Terbium oxide origin confirmed Chinese",
             "Arc magnet supplier declares China-free content", "Half the diffused Dy in the arc magnets",
             "Rule back with a 0.5% threshold")

#: What a notebook may use of bomcalc: the public API, the explanation trail and the report formatters.
PUBLIC_MODULES = {"bomcalc", "bomcalc.core.explain", "bomcalc.report.explain_text", "bomcalc.report.documents"}


def _cells(notebook, cell_type="code"):
    return [cell for cell in notebook.cells if cell.cell_type == cell_type]


def _cell(notebook, cell_id):
    return next(cell for cell in notebook.cells if cell.get("id") == cell_id)


def _output_text(cell) -> str:
    """Everything a cell showed: printed text, Markdown, HTML and plain-text representations."""
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(output["text"])
        for kind in ("text/markdown", "text/html", "text/plain"):
            if kind in output.get("data", {}):
                parts.append(output["data"][kind])
    return "\n".join(parts)


def _errors(notebook):
    return [(index, output.get("ename"), output.get("evalue")) for index, cell in enumerate(notebook.cells)
            for output in cell.get("outputs", []) if output.get("output_type") == "error"]


def _images(notebook) -> int:
    return sum("image/png" in output.get("data", {}) for cell in notebook.cells for output in cell.get("outputs", []))


@pytest.fixture(scope="module")
def audit(tmp_path_factory):
    """The audit notebook run with its default BOM (the servo, found from the notebook's folder)."""
    executed = execute_notebook(AUDIT, {"as_of": AS_OF}, working_dir=NOTEBOOKS)
    nbformat.write(executed, tmp_path_factory.mktemp("audit") / "audit_report.ipynb")
    return executed


@pytest.fixture(scope="module")
def whatif(tmp_path_factory):
    """The what-if notebook run with its defaults (the servo and its scenarios)."""
    executed = execute_notebook(WHATIF, {"as_of": AS_OF}, working_dir=NOTEBOOKS)
    nbformat.write(executed, tmp_path_factory.mktemp("whatif") / "whatif_analysis.ipynb")
    return executed


@pytest.fixture(scope="module")
def html_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    written = export_html_report(folder / "servo_audit.html", SERVO, as_of=AS_OF)
    return folder, written


# --- the notebook files -------------------------------------------------------------------------


@pytest.mark.parametrize("path", [AUDIT, WHATIF, audit_notebook_path()], ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_notebooks_have_no_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert all(cell.outputs == [] and cell.execution_count is None for cell in _cells(notebook)), (
        f"clear the outputs: jupyter nbconvert --clear-output --inplace {path}")


def test_packaged_audit_notebook_is_the_one_in_notebooks():
    assert audit_notebook_path().read_bytes() == AUDIT.read_bytes(), (
        "bomcalc/notebooks/audit_report.ipynb must be a copy of notebooks/audit_report.ipynb: copy it over")


@pytest.mark.parametrize("path, names", [
    (AUDIT, {"bom_path", "as_of", "rules", "parts", "declarations", "reading_options"}),
    (WHATIF, {"bom_path", "scenarios_path", "as_of"}),
], ids=["audit", "whatif"])
def test_notebooks_have_a_tagged_parameters_cell(path, names):
    notebook = nbformat.read(path, as_version=4)
    tagged = [cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1
    assigned = {target.id for node in ast.parse(tagged[0].source).body for target in node.targets}
    assert names <= assigned


@pytest.mark.parametrize("path", [AUDIT, WHATIF], ids=["audit", "whatif"])
def test_notebooks_call_only_the_public_api(path):
    notebook = nbformat.read(path, as_version=4)
    used = set()
    for cell in _cells(notebook):
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bomcalc"):
                assert node.module in PUBLIC_MODULES, node.module
            elif isinstance(node, ast.Import):
                assert all(alias.name in PUBLIC_MODULES or not alias.name.startswith("bomcalc") for alias in node.names)
            elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "bomcalc":
                used.add(node.attr)
    assert used - set(bomcalc.__all__) <= {"mitigate"}  # mitigate only behind hasattr


# --- parameters ---------------------------------------------------------------------------------


def test_parameters_go_in_a_tagged_cell_after_the_parameters_cell():
    notebook = nbformat.read(AUDIT, as_version=4)
    position = next(i for i, cell in enumerate(notebook.cells) if "parameters" in cell.metadata.get("tags", []))
    with_parameters(notebook, {"bom_path": Path("a.xlsx"), "parts": ("m.xlsx",)})
    with_parameters(notebook, {"bom_path": "b.xlsx"})  # a second injection replaces the first
    injected = [cell for cell in notebook.cells if "injected-parameters" in cell.metadata.get("tags", [])]
    assert len(injected) == 1 and notebook.cells[position + 1] is injected[0]
    assert "bom_path = 'b.xlsx'" in injected[0].source and "parts" not in injected[0].source


def test_parameters_are_plain_literals():
    import datetime as dt

    source = parameter_source({"as_of": dt.date(2026, 3, 1), "parts": [Path("m.xlsx")], "rules": None})
    assert "as_of = '2026-03-01'" in source and "parts = ['m.xlsx']" in source and "rules = None" in source
    with pytest.raises(bomcalc.BomError, match="rules"):
        parameter_source({"rules": bomcalc.load_rule_pack()})


def test_an_unknown_reading_option_is_refused_before_anything_runs(tmp_path):
    with pytest.raises(bomcalc.BomError, match="unknown reading option"):
        export_html_report(tmp_path / "r.html", SERVO, part_master="m.xlsx")
    with pytest.raises(bomcalc.BomError, match="no such file"):
        export_html_report(tmp_path / "r.html", tmp_path / "missing.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_a_failing_cell_is_named_with_its_section_and_the_lines_it_printed():
    notebook = nbformat.read(AUDIT, as_version=4)
    with_parameters(notebook, {"bom_path": "bad.csv"})
    load = _cell(notebook, "load")
    load.outputs = [nbformat.v4.new_output("stream", name="stdout", text="error: bad.csv, row 4: qty must be > 0\n"),
                    nbformat.v4.new_output("error", ename="BomDataError", evalue="1 data error(s)", traceback=[])]
    number = [cell.get("id") for cell in _cells(notebook) if cell.get("id") != "injected-parameters"].index("load") + 1
    message = failure_message(notebook, "the audit report", "BomDataError", "1 data error(s)")
    assert message.startswith(f"the audit report stopped in code cell {number} (section 'Reading the BOM'): BomDataError")
    assert "row 4: qty must be > 0" in message


# --- the audit notebook, run --------------------------------------------------------------------


def test_audit_notebook_runs_without_an_error(audit):
    assert _errors(audit) == []
    assert _images(audit) >= 2  # Pareto of contributions, ratios against the line


def test_audit_notebook_names_the_flagged_items(audit):
    flagged = _output_text(_cell(audit, "flagged"))
    licence_required = flagged.split("Indeterminate")[0]
    assert all(f"<strong>{item}</strong>" in licence_required for item in FLAGGED)  # HTML, never Markdown from data
    assert "MAG-ENC" not in flagged  # not required: not flagged
    trails = _output_text(_cell(audit, "trails"))
    assert all(f"{item}: " in trails for item in FLAGGED) and "0.126 >= 0.0026: yes" in trails


def test_audit_notebook_states_its_provenance(audit):
    provenance = _output_text(_cell(audit, "provenance"))
    digest = hashlib.sha256(SERVO.read_bytes()).hexdigest()
    assert digest in provenance and "mofcom-61-2025" in provenance and bomcalc.__version__ in provenance
    assert "does not replace legal advice" in _cell(audit, "closing").source


# --- the what-if notebook, run ------------------------------------------------------------------


def test_whatif_notebook_runs_without_an_error(whatif):
    assert _errors(whatif) == []
    assert _images(whatif) >= 2  # flips per scenario, ratios before and after
    comparison = _output_text(_cell(whatif, "comparison"))
    assert all(name in comparison for name in SCENARIOS)
    assert "DY-MET" in _output_text(_cell(whatif, "headroom"))


# --- the HTML report ----------------------------------------------------------------------------


def test_html_report_names_the_flagged_items_and_shows_no_code(html_report):
    folder, written = html_report
    assert written == folder / "servo_audit.html" and [p.name for p in folder.iterdir()] == ["servo_audit.html"]
    page = written.read_text(encoding="utf-8")
    assert all(item in page for item in FLAGGED) and "licence_required" in page
    code_cells = re.findall(r'class="jp-Cell jp-CodeCell[^"]*"', page)
    assert code_cells and all("jp-mod-noInput" in cell for cell in code_cells)
    assert "import bomcalc" not in page and "bomcalc.validate(" not in page and "bom_path =" not in page
    assert "<script" not in page  # self-contained: nothing to fetch when opened
    assert "does not replace legal advice" in page


def test_html_report_of_a_bom_with_data_errors_is_a_clear_error(tmp_path):
    bad = ROOT / "tests" / "fixtures" / "layouts" / "errors" / "bad_qty.csv"
    with pytest.raises(bomcalc.BomError) as caught:
        export_html_report(tmp_path / "r.html", bad)
    message = str(caught.value)
    assert "section 'Reading the BOM'" in message and "BomDataError" in message
    assert "qty must be greater than 0" in message and "Traceback" not in message
    assert list(tmp_path.iterdir()) == []


def test_audit_notebook_runs_with_an_overlay_and_names_both_packs(tmp_path):
    from ..test_rules_cli import OVERLAY

    overlay = tmp_path / "counsel.toml"
    overlay.write_text(OVERLAY, encoding="utf-8")  # counsel extends the suspension through 2027-11-10
    executed = execute_notebook(AUDIT, {"as_of": "2026-12-01", "rules": str(overlay)}, working_dir=NOTEBOOKS)
    assert _errors(executed) == []
    provenance = _output_text(_cell(executed, "provenance"))
    assert "acme-counsel 2026-12-01 (overlay on mofcom-61-2025 2026.11.1)" in provenance
    assert hashlib.sha256(overlay.read_bytes()).hexdigest() in provenance
    packaged = bomcalc.load_rule_pack().origin
    assert packaged in provenance and "may be out of date" not in provenance
    assert "suspended until 2027-11-10 by Counsel memo 2026-11-20" in provenance
