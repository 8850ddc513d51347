"""Optional features and the extra that installs each (core layer; nothing optional is imported here).

``pip install bomcalc`` installs what ``check``, ``validate``, ``whatif``, ``explain``,
``headroom``, ``where-used``, ``template``, ``report --output`` (the Excel workbook),
``report --pack`` and ``verify`` need. The rest comes with an extra (``setup.cfg``):

* ``optimise``: SciPy's mixed-integer solver, for ``mitigate``;
* ``notebooks``: Jupyter and matplotlib, for ``report --html`` and the notebooks;
* ``web``: the packages of the upload page;
* ``notice``: Jinja2, for ``notice``; ``docx``: python-docx, for ``notice --format docx``;
* ``all``: all of them.

Optional packages are imported only inside the functions that use them. A feature whose extra
is missing raises :class:`MissingExtraError`, one line naming the extra to install.
"""

from __future__ import annotations

import importlib.util

from .errors import BomError

#: extra -> (what it is called in messages, the modules it provides)
EXTRAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "optimise": ("the optimiser", ("scipy",)),
    "notebooks": ("the notebook packages", ("nbformat", "nbclient", "nbconvert", "ipykernel", "matplotlib")),
    "web": ("the web packages", ("starlette", "uvicorn", "jinja2", "python_multipart")),
    "notice": ("the template engine", ("jinja2",)),
    "docx": ("python-docx", ("docx",)),
}


class MissingExtraError(BomError):
    """A feature needs packages that are installed only with one of bomcalc's extras."""

    def __init__(self, feature: str, extra: str):
        self.feature, self.extra = feature, extra
        super().__init__(f"{feature} needs {EXTRAS[extra][0]}: pip install 'bomcalc[{extra}]'")


def _installed(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a parent package missing, or a module left half-imported
        return False


def missing_modules(extra: str) -> tuple[str, ...]:
    """The modules of ``extra`` that cannot be imported here (nothing is imported to find out)."""
    return tuple(module for module in EXTRAS[extra][1] if not _installed(module))


def require_extra(extra: str, feature: str) -> None:
    """Raise :class:`MissingExtraError` unless every module of ``extra`` is installed.

    ``feature`` names what needs it, as the user asked for it (``"bomcalc mitigate"``).
    """
    if missing_modules(extra):
        raise MissingExtraError(feature, extra)
