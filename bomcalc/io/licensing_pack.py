"""The ``[licensing]`` section of a rule pack, read from its TOML file (I/O layer).

The same pack as :func:`bomcalc.io.rulepack.load_rule_pack` reads (a file, a packaged pack's id,
or ``None``: the default pack), an overlay merged onto the pack it extends, so an overlay
without a ``[licensing]`` section of its own keeps its base's;
:func:`bomcalc.core.licensing.licensing_from_dict` builds the record.
"""

from __future__ import annotations

import os

from ..core.licensing import Licensing, licensing_from_dict
from .rulepack import rule_pack_document


def load_licensing(path: str | os.PathLike | None = None) -> Licensing:
    """The licensing policy (Clauses 2-4) of the rule pack at ``path``, or of the default pack."""
    document, origin = rule_pack_document(path)
    return licensing_from_dict(document, origin)
