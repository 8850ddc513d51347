"""bomcalc: which products need a Chinese export licence under the rare-earth de minimis rule.

Public API::

    import bomcalc
    bom = bomcalc.read_workbook("sample_boms/servo_actuator.xlsx")
    result = bomcalc.evaluate(bom, as_of="2026-03-01")
    result.items          # one row per Annex 1 item, licence-required first
"""

from ._version import __version__

from .api import evaluate, load_rule_pack, mitigate, parse_date, read_scenarios, read_workbook, validate, whatif  # noqa: E402
from .api import READING_OPTIONS, ReadOptions, RuleOptions, check, reading_dict, reading_record, report  # noqa: E402
from .api import Classification, accept_suggestions, classification_document, classify, suggestions  # noqa: E402
from .core.determine import INDETERMINATE, NOT_REQUIRED, REQUIRED, Evaluation  # noqa: E402
from .core.regime import status_meaning  # noqa: E402
from .core.errors import (  # noqa: E402
    BomDataError,
    BomError,
    CycleError,
    DataIssue,
    InputFileError,
    RulePackError,
)
from .core.model import Bom, bom_from_records  # noqa: E402
from .report.documents import result_document  # noqa: E402
from .report.mitigation_text import format_mitigation, mitigation_document  # noqa: E402
from .core.scenarios import Change, Comparison, Scenario, apply_scenario, parse_scenarios  # noqa: E402
from .core.contributions import contributions, extended_quantities, headroom, where_used  # noqa: E402
from .core.rules import RulePack  # noqa: E402

__all__ = [
    "__version__",
    "read_workbook",
    "evaluate",
    "validate",
    "whatif",
    "mitigate",
    "check",
    "report",
    "classify",
    "Classification",
    "classification_document",
    "suggestions",
    "accept_suggestions",
    "ReadOptions",
    "READING_OPTIONS",
    "RuleOptions",
    "reading_record",
    "reading_dict",
    "format_mitigation",
    "mitigation_document",
    "read_scenarios",
    "parse_scenarios",
    "apply_scenario",
    "Scenario",
    "Change",
    "Comparison",
    "contributions",
    "extended_quantities",
    "headroom",
    "where_used",
    "load_rule_pack",
    "parse_date",
    "bom_from_records",
    "result_document",
    "Bom",
    "Evaluation",
    "RulePack",
    "DataIssue",
    "BomError",
    "BomDataError",
    "CycleError",
    "InputFileError",
    "RulePackError",
    "REQUIRED",
    "INDETERMINATE",
    "NOT_REQUIRED",
    "status_meaning",
]
