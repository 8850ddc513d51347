"""Imports point inward: the package's layers, read from the source with ``ast``.

Core (``bomcalc.core``) imports nothing from io, report, the CLI, the api or the audit pack, and no
file-format, notebook, plotting or CLI library; io imports nothing from report, the CLI, the api
or the pack; no submodule imports the package root; no two modules import each other (imports
inside functions count).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "bomcalc"

#: Libraries core must not import: file formats, notebooks, plotting, templates, the CLI.
OUTER_LIBRARIES = (
    "click",
    "openpyxl",
    "python_calamine",
    "xlsxwriter",
    "pyxlsb",
    "xlrd",
    "nbformat",
    "nbclient",
    "nbconvert",
    "jupyter_client",
    "ipykernel",
    "traitlets",
    "matplotlib",
    "jinja2",
    "starlette",
    "uvicorn",
    "tqdm",
)
#: Top-level modules of the interface layer (and the audit pack, which calls the api).
INTERFACES = ("bomcalc.api", "bomcalc.cli", "bomcalc.cli_base", "bomcalc.cli_portfolio", "bomcalc.cli_failures", "bomcalc.cli_progress", "bomcalc.cli_rules", "bomcalc.cli_screen",
              "bomcalc.licensing_api", "bomcalc.pack", "bomcalc.pack_trust", "bomcalc.portfolio", "bomcalc.cli_serve",
              "bomcalc.__main__", "bomcalc.web")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, at any depth."""
    name = _module_name(path)
    package = name if _is_package(path) else name.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # "from . import x" may name a submodule: count it as an import of that submodule.
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.append((node.lineno, candidate if _exists(candidate) else target))
    return found


def _exists(module: str) -> bool:
    if not module.startswith("bomcalc"):
        return False
    relative = Path(*module.split(".")[1:]) if "." in module else Path()
    return (PACKAGE / relative).with_suffix(".py").is_file() or (PACKAGE / relative / "__init__.py").is_file()


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}
IMPORTS = {name: _imports(path) for name, path in MODULES.items()}


def _violations(layer: str, forbidden_modules: tuple[str, ...], forbidden_libraries: tuple[str, ...]) -> list[str]:
    found = []
    for name, imports in IMPORTS.items():
        if not _within(name, layer):
            continue
        for line, target in imports:
            if any(_within(target, bad) for bad in forbidden_modules):
                found.append(f"{name}:{line} imports {target}")
            if target.split(".")[0] in forbidden_libraries:
                found.append(f"{name}:{line} imports {target}")
    return found


def test_the_layer_packages_exist():
    assert (PACKAGE / "core" / "__init__.py").is_file()
    assert (PACKAGE / "io" / "__init__.py").is_file()
    assert (PACKAGE / "report" / "__init__.py").is_file()
    assert (PACKAGE / "_version.py").is_file()


def test_core_imports_no_outer_layer_and_no_file_or_ui_library():
    outer = ("bomcalc.io", "bomcalc.report") + INTERFACES
    assert _violations("bomcalc.core", outer, OUTER_LIBRARIES) == []


def test_io_imports_no_report_cli_api_or_pack():
    assert _violations("bomcalc.io", ("bomcalc.report",) + INTERFACES, ()) == []


#: The libraries of the upload page (the optional ``web`` extra).
WEB_LIBRARIES = ("starlette", "uvicorn", "multipart", "python_multipart")  # jinja2 serves the notebooks too


def test_the_web_package_is_an_interface_over_the_api_and_nothing_else_imports_it_or_its_libraries():
    inner = [name for name in MODULES if not _within(name, "bomcalc.web") and name != "bomcalc.cli_serve"]
    found = [f"{name}:{line} imports {target}" for name in inner for line, target in IMPORTS[name]
             if _within(target, "bomcalc.web") or target.split(".")[0] in WEB_LIBRARIES]
    assert found == []
    assert _violations("bomcalc.web", ("bomcalc.cli", "bomcalc.cli_base", "bomcalc.cli_serve"), ("click",)) == []


def test_no_submodule_imports_the_package_root():
    found = [f"{name}:{line} imports {target}"
             for name, imports in IMPORTS.items() if name != "bomcalc"
             for line, target in imports if target == "bomcalc" or target == "bomcalc.__init__"]
    assert found == []


def test_no_two_modules_import_each_other():
    edges = {name: {target for _, target in imports if target in MODULES and target != name}
             for name, imports in IMPORTS.items()}
    pairs = sorted({tuple(sorted((a, b))) for a, targets in edges.items() for b in targets if a in edges.get(b, ())})
    assert pairs == []


@pytest.mark.parametrize("source, expected", [
    ("from .. import __version__", "bomcalc"),
    ("from ..report import safe_text", "bomcalc.report"),
    ("def f():\n    from ..cli import main\n", "bomcalc.cli"),
    ("import bomcalc", "bomcalc"),
], ids=["a relative import of the root", "a relative import of a module", "an import inside a function",
        "an absolute import of the root"])
def test_the_reader_resolves_relative_and_function_level_imports(monkeypatch, source, expected):
    fake = PACKAGE / "core" / "example.py"  # read as if it sat in bomcalc/core/
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: source)
    targets = [target for _, target in _imports(fake)]
    assert len(targets) == 1 and _within(targets[0], expected)
    assert _within(targets[0], "bomcalc.report") or not _within(targets[0], "bomcalc.report.safe_text")


def _private_imports(path: Path) -> list[str]:
    """``from bomcalc.x import _name`` (absolute or relative) in the file: a private name of another module.
    Dunder names (``__version__``) are not private."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").split(".")[0] == "bomcalc"):
            found += [f"{_module_name(path)}:{node.lineno} imports {alias.name}" for alias in node.names
                      if alias.name.startswith("_") and not (alias.name.startswith("__") and alias.name.endswith("__"))]
    return found


def test_no_module_imports_another_modules_private_names():
    assert [found for path in MODULES.values() for found in _private_imports(path)] == []


@pytest.mark.parametrize("source, caught", [
    ("from .cells import _number", True),
    ("from bomcalc.io.cells import _number", True),
    ("def f():\n    from ..layout import _Candidate\n", True),
    ("from ._version import __version__", False),
    ("from .cells import read_number", False),
    ("from os.path import _joinrealpath", False),
], ids=["a relative import of a private name", "an absolute import of a private name", "one inside a function",
        "a dunder name", "a public name", "another library's private name"])
def test_the_private_import_check_sees_private_names(monkeypatch, source, caught):
    fake = PACKAGE / "io" / "example.py"
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: source)
    assert bool(_private_imports(fake)) is caught


#: The longest a function may be, from its ``def`` line to the last line of its body.
MAX_FUNCTION_LINES = 80


def _long_functions(path: Path, limit: int = MAX_FUNCTION_LINES) -> list[str]:
    return [f"{_module_name(path)}.{node.name} (line {node.lineno}): {node.end_lineno - node.lineno + 1} lines"
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > limit]


def test_no_function_is_longer_than_80_lines():
    assert [found for path in MODULES.values() for found in _long_functions(path)] == []


def test_the_length_check_counts_from_def_to_the_last_line(monkeypatch):
    fake = PACKAGE / "io" / "example.py"
    body = "def f(x):\n" + "    x += 1\n" * 79  # 80 lines: allowed
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: body)
    assert _long_functions(fake) == []
    monkeypatch.setattr(Path, "read_text", lambda self, encoding=None: body + "    return x\n")  # 81 lines
    assert _long_functions(fake) == ["bomcalc.io.example.f (line 1): 81 lines"]


def test_every_module_is_under_500_lines():
    long = {name: n for name, path in MODULES.items() if (n := len(path.read_text(encoding="utf-8").splitlines())) >= 500}
    assert long == {}
