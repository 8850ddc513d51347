"""The ``check`` result as one JSON-ready document (report layer).

``bomcalc check --format json`` and the upload page's ``POST /api/check`` both write
:func:`check_document`, so that the two can never differ.
"""

from __future__ import annotations

from ..core.determine import Evaluation
from ..core.explain import explain
from .documents import result_document
from .explain_text import explanation_document


def explanations(evaluation: Evaluation) -> list[dict]:
    """The explanation trail of every item, as JSON-ready documents (``check --explain``)."""
    return [explanation_document(explain(evaluation, part_id)) for part_id in evaluation.items["part_id"]]


def check_document(evaluation: Evaluation, with_trail: bool = False) -> dict:
    """The whole result as one JSON-ready document (decimals as strings); ``with_trail``: with
    the explanation trail of every item under ``explanations``."""
    document = result_document(evaluation)
    if with_trail:
        document["explanations"] = explanations(evaluation)
    return document
