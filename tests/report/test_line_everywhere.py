"""Every place that applies the de minimis line agrees, inclusive or strict as the pack says.

An item of value 100 holding exactly 0.1 of China-origin Part 1 content sits on the 0.1% line:
an inclusive pack catches it, a strict one does not. The determination, the headroom, the
explanation text and the audit workbook all take the answer from the one line test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

import bomcalc
from bomcalc.core.contributions import headroom
from bomcalc.core.explain import explain
from bomcalc.report.audit import report_tables
from bomcalc.report.explain_text import format_explanation

D = Decimal


@pytest.mark.parametrize("inclusive, status", [(True, "licence_required"), (False, "not_required")],
                         ids=["exactly on an inclusive line is caught", "exactly on a strict line is clear"])
def test_an_item_on_the_line_is_judged_alike_everywhere(make_bom, inclusive, status):
    bom = make_bom([("MOTOR", "part2", "JP", None), ("MAGNET", "part1", "CN", D("0.1")), ("HOUSING", None, "JP", D("99.9"))],
                   [("MOTOR", "MAGNET", 1), ("MOTOR", "HOUSING", 1)])
    pack = dataclasses.replace(bomcalc.load_rule_pack(), inclusive=inclusive)
    evaluation = bomcalc.evaluate(bom, as_of=dt.date(2026, 11, 11), rules=pack)
    item = evaluation.items.set_index("part_id").loc["MOTOR"]
    assert (item["value"], item["cn_part1_value"], item["status"]) == (D("100"), D("0.1"), status)

    room = headroom(evaluation).set_index("part_id").loc["MOTOR"]
    assert (room["line_value"], room["headroom"], room["must_shed"]) == (D("0.1"), D("0"), D("0"))
    assert room["fix_by"] == (("MAGNET",) if inclusive else ())

    text = format_explanation(explain(evaluation, "MOTOR"), evaluation.currency)
    sign = ">=" if inclusive else ">"
    assert f"0.1 {sign} 0.1" in text
    assert f"0.1 {sign} 0.1: {'yes' if inclusive else 'no'}" in text

    summary = report_tables(evaluation)["Summary"].set_index("part_id").loc["MOTOR"]
    assert (summary["against_line"], summary["status"]) == ("on", status)
