"""Write the hostile corpus: one file (or folder) per case, each meant to break a reader.

Usage: ``python -m tests.hostile.make_corpus FOLDER`` writes every case into FOLDER; the test
calls :func:`make_corpus`. ``manifest.toml`` beside this file names each case, the command run
on it and the outcome expected. Big cases are written as text directly (or as one repeated
zip member) so that the whole corpus is written in a few seconds.
"""

from __future__ import annotations

import sys
from pathlib import Path

from . import corpus_data, corpus_files  # noqa: F401  (each registers its cases)
from .corpus_base import CASES


def make_corpus(folder: str | Path) -> dict[str, Path]:
    """Write every case into ``folder``; returns case name -> the file or folder to read."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return {name: function(folder) for name, function in CASES.items()}


if __name__ == "__main__":  # pragma: no cover
    written = make_corpus(sys.argv[1] if len(sys.argv) > 1 else "hostile_corpus")
    print(f"{len(written)} cases written")
