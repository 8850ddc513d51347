"""The ``[licensing]`` section of a rule pack, read from its TOML file (I/O layer).

The same file as :func:`bomcalc.io.rulepack.load_rule_pack` reads (``None``: the pack shipped
with bomcalc); :func:`bomcalc.core.licensing.licensing_from_dict` builds the record.
"""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from pathlib import Path

from ..core.errors import RulePackError
from ..core.licensing import Licensing, licensing_from_dict
from .rulepack import DEFAULT_PACK


def load_licensing(path: str | os.PathLike | None = None) -> Licensing:
    """The licensing policy (Clauses 2-4) of the rule pack at ``path``, or of the bundled pack."""
    if path is None:
        origin = f"bomcalc/rulepacks/{DEFAULT_PACK}"
        raw = (resources.files("bomcalc") / "rulepacks" / DEFAULT_PACK).read_bytes()
    else:
        origin = str(path)
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise RulePackError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RulePackError(f"{origin}: not a valid TOML rule pack ({exc})") from None
    return licensing_from_dict(document, origin)
