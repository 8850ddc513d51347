"""Writers: results into JSON, CSV and text files (I/O layer).

Every file is written whole or not at all: the text goes to a temporary file in the target
folder, which then replaces the target in one step; a read-only target is refused, never
replaced. A folder (an audit pack) is built under a temporary name beside its target and
renamed when complete (:func:`atomic_folder`).

Text from the input never becomes a formula in a spreadsheet program (OWASP "CSV injection"):
a CSV text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading single quote, unless it is a plain number such as ``-0.5``.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from ..core.errors import InputFileError
from .outputs import OutputError, os_error_message

#: First characters that make a spreadsheet program read a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader never sees a half-written file.

    A read-only ``path`` is refused, never replaced. Any operating-system error (permissions,
    a missing folder, a full disk) becomes an :class:`~bomcalc.io.outputs.OutputError` naming the
    path and the fix; the temporary file is removed however the write ends (Ctrl-C included).
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputFileError(f"{target}: the folder {folder} does not exist; create it first, or correct the path")
    if target.is_dir():
        raise OutputError(f"{target}: is a folder; give a file name")
    if target.exists() and (not os.stat(target).st_mode & 0o222 or not os.access(target, os.W_OK)):
        raise OutputError(f"{target}: the file is read-only, so it is not replaced; make it writable (chmod u+w) "
                          "or write somewhere else")
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise OutputError(os_error_message(exc, target, prefer_path=True)) from None
        raise OutputError(f"{target}: no file can be created in the folder {folder} ({exc.strerror or exc}); "
                          "make the folder writable or write somewhere else") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file, not the temporary file's 0600
        os.replace(temporary, target)
    except OSError as exc:
        _remove(temporary)
        raise OutputError(os_error_message(exc, target, prefer_path=True)) from None
    except BaseException:
        _remove(temporary)
        raise


def _remove(temporary: str | None) -> None:
    if temporary is not None and os.path.lexists(temporary):
        os.unlink(temporary)


@contextlib.contextmanager
def atomic_folder(path: str | os.PathLike):
    """Build a folder under a temporary name beside ``path``; rename it to ``path`` when complete.

    Yields the temporary folder. ``path`` must not exist or be an empty folder. When the block
    ends with an exception (Ctrl-C included) the temporary folder is removed and ``path`` is
    left as it was: a reader never sees half a folder.
    """
    target = Path(path)
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{target}: the folder {parent} does not exist; create it first, or correct the path")
    if target.exists() and not target.is_dir():
        raise OutputError(f"{target}: is a file; give a new folder")
    if target.is_dir() and any(target.iterdir()):
        raise OutputError(f"{target}: the folder exists and is not empty; give a new folder")
    try:
        temporary = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise OutputError(os_error_message(exc, target, prefer_path=True)) from None
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o777 & ~umask)  # as an ordinary new folder, not mkdtemp's 0700
        yield temporary
        try:
            if target.is_dir():
                target.rmdir()  # empty, checked above; fails (and is reported) if something appeared meanwhile
            os.rename(temporary, target)
        except OSError as exc:
            raise OutputError(os_error_message(exc, target, prefer_path=True)) from None
    finally:
        if temporary.exists():
            shutil.rmtree(temporary, ignore_errors=True)


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
