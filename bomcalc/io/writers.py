"""Writers: results into JSON, CSV and text files (I/O layer).

Every file is written whole or not at all: the text goes to a temporary file in the target
folder, which then replaces the target in one step.

Text from the input never becomes a formula in a spreadsheet program (OWASP "CSV injection"):
a CSV text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading single quote, unless it is a plain number such as ``-0.5``.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from pathlib import Path

import pandas as pd

from ..errors import InputFileError

#: First characters that make a spreadsheet program read a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader never sees a half-written file."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputFileError(f"{target}: the folder {folder} does not exist")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file, not the temporary file's 0600
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def json_text(document: dict) -> str:
    """A document as stable, indented JSON text ending in a newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def defuse_formula(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet program would read it as a formula.

    Text starting with one of :data:`FORMULA_PREFIXES` is prefixed, except a plain number
    (``-0.5``, ``+3``, ``-1e-5``), which a spreadsheet reads as that number and nothing else.
    """
    if text.startswith(FORMULA_PREFIXES) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _defused(table: pd.DataFrame) -> pd.DataFrame:
    safe = table.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(lambda cell: defuse_formula(cell) if isinstance(cell, str) else cell)
    return safe


def csv_text(table: pd.DataFrame) -> str:
    """A table as CSV text (UTF-8, ``\\n`` line ends); text cells are defused (:func:`defuse_formula`)."""
    buffer = io.StringIO()
    _defused(table).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()
