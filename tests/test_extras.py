"""The light install: core commands without the optional packages, and one clear line when an extra is missing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import bomcalc
from bomcalc.cli import main
from bomcalc.core.extras import EXTRAS, MissingExtraError, missing_modules

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_boms"
SERVO = str(SAMPLES / "servo_actuator.xlsx")

#: Every module an extra provides, and what they bring with them.
OPTIONAL = sorted({m for _, modules in EXTRAS.values() for m in modules}
                  | {"IPython", "jupyter_client", "jupyter_core", "traitlets", "nbclient", "nbconvert"})


def _hide(monkeypatch, module: str) -> None:
    """Make ``module`` and its submodules impossible to import, as when it is not installed."""
    for name in [n for n in sys.modules if n == module or n.startswith(module + ".")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, module, None)


def _one_error_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_mitigate_without_the_optimiser_names_the_extra(monkeypatch):
    _hide(monkeypatch, "scipy")
    result = CliRunner().invoke(main, ["mitigate", SERVO, "--options", str(SAMPLES / "servo_sourcing_options.csv"),
                                       "--volumes", str(SAMPLES / "servo_volumes.csv"), "--as-of", "2026-11-11"])
    assert result.exit_code == 1
    assert _one_error_line(result) == "Error: bomcalc mitigate needs the optimiser: pip install 'bomcalc[optimise]'"
    assert result.stdout == ""


@pytest.mark.parametrize("module", EXTRAS["notebooks"][1])
def test_html_report_without_a_notebook_package_names_the_extra(monkeypatch, tmp_path, module):
    _hide(monkeypatch, module)
    target = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", SERVO, "--html", str(target), "--output", str(tmp_path / "r.xlsx")])
    assert result.exit_code == 1
    assert _one_error_line(result) == ("Error: bomcalc report --html needs the notebook packages: "
                                       "pip install 'bomcalc[notebooks]'")
    assert list(tmp_path.iterdir()) == []  # refused before any work


def test_the_python_api_names_the_extra_too(monkeypatch):
    evaluation = bomcalc.evaluate(bomcalc.read_workbook(SERVO), as_of="2026-11-11")
    _hide(monkeypatch, "scipy")
    assert missing_modules("optimise") == ("scipy",)
    with pytest.raises(MissingExtraError, match=r"pip install 'bomcalc\[optimise\]'"):
        bomcalc.mitigate(evaluation, str(SAMPLES / "servo_sourcing_options.csv"))
    from bomcalc.io.sourcing import read_sourcing_options
    from bomcalc.core.mitigation.optimiser import mitigate  # the search itself, past the API's check

    options = read_sourcing_options(SAMPLES / "servo_sourcing_options.csv", evaluation.bom)
    with pytest.raises(MissingExtraError, match=r"the least-cost search needs the optimiser"):
        mitigate(evaluation, options)


CORE_COMMANDS = """
import json, os, sys
for name in {optional!r}:
    sys.modules[name] = None  # as in an install without any extra
from bomcalc.cli import main
out = sys.argv[1]
servo, samples = {servo!r}, {samples!r}
commands = {{
    "check": ["check", servo, "--as-of", "2026-11-11"],
    "check json": ["check", servo, "--format", "json", "--output", os.path.join(out, "r.json")],
    "validate": ["validate", servo],
    "whatif": ["whatif", servo, "--scenarios", os.path.join(samples, "servo_scenarios.toml")],
    "explain": ["explain", servo, "MAG-ARC"],
    "headroom": ["headroom", servo],
    "where-used": ["where-used", servo, "DY-MET"],
    "template": ["template", "--output", os.path.join(out, "blank.xlsx")],
    "report": ["report", servo, "--output", os.path.join(out, "report.xlsx")],
    "report --pack": ["report", servo, "--pack", os.path.join(out, "pack")],
    "verify": ["verify", os.path.join(out, "pack")],
    "mitigate": ["mitigate", servo, "--options", os.path.join(samples, "servo_sourcing_options.csv")],
}}
codes = {{}}
for name, args in commands.items():
    try:
        main.main(args=args, prog_name="bomcalc", standalone_mode=False)
        codes[name] = 0
    except SystemExit as exc:
        codes[name] = exc.code
print("CODES " + json.dumps(codes))
"""


def test_core_commands_run_without_any_optional_package(tmp_path):
    script = CORE_COMMANDS.format(optional=OPTIONAL, servo=SERVO, samples=str(SAMPLES))
    run = subprocess.run([sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, cwd=ROOT,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    codes = json.loads(run.stdout.rsplit("CODES ", 1)[1])
    assert codes == {name: 0 for name in codes if name != "mitigate"} | {"mitigate": 1}, run.stderr
    assert "Error: bomcalc mitigate needs the optimiser: pip install 'bomcalc[optimise]'" in run.stderr
    assert "Internal error" not in run.stderr and "Traceback" not in run.stderr
    assert (tmp_path / "report.xlsx").is_file() and (tmp_path / "blank.xlsx").is_file()


def test_quick_start_installs_everything_and_ci_runs_exactly_its_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```", 2)[1]
    commands = [line for line in block.splitlines() if line.strip()]
    assert commands == ["pip install -e '.[all,test]' && bomcalc check sample_boms/servo_actuator.xlsx",
                        "python -m pytest -q"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci[-2:] == commands


def test_every_extra_in_setup_cfg_matches_the_modules_bomcalc_checks():
    import configparser

    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    extras = {name: {line.split(">=")[0].strip() for line in value.split("\n") if line.strip()}
              for name, value in config["options.extras_require"].items()}
    distribution = {"python_multipart": "python-multipart", "docx": "python-docx"}
    for extra, (_, modules) in EXTRAS.items():
        assert extras[extra] == {distribution.get(m, m) for m in modules}, extra
        assert extras[extra] <= extras["all"], extra
    assert extras["all"] == set().union(*(extras[e] for e in EXTRAS))
    assert extras["notebooks"] | extras["optimise"] | extras["web"] | {"pytest", "hypothesis", "httpx", "httpx2", "selenium"} == extras["test"]
    core = {line.split(">=")[0].strip() for line in config["options"]["install_requires"].split("\n") if line.strip()}
    assert core == {"pandas", "numpy", "openpyxl", "networkx", "click", "python-calamine", "pycountry", "tqdm",
                    "chinese-calendar"}
