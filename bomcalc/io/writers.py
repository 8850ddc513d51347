"""Writers: results into JSON, CSV and text files (I/O layer).

Every file is written whole or not at all: the text goes to a temporary file in the target
folder, which then replaces the target in one step.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from ..errors import InputFileError


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
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def json_text(document: dict) -> str:
    """A document as stable, indented JSON text ending in a newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def csv_text(table: pd.DataFrame) -> str:
    """A table as CSV text (UTF-8, ``\\n`` line ends)."""
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()
