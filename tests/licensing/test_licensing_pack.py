"""The [licensing] section of the bundled rule pack: every entry cited, malformed packs refused clearly."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from bomcalc.core.errors import RulePackError
from bomcalc.core.licensing import REQUIRED_OUTCOMES, licensing_from_dict
from bomcalc.io.licensing_pack import load_licensing

DOCUMENT = tomllib.loads((resources.files("bomcalc") / "rulepacks" / "mofcom_61_2025.toml").read_text(encoding="utf-8"))
SOURCES = {source["id"] for source in DOCUMENT["sources"]}


def test_every_outcome_and_policy_names_a_source_of_the_pack_and_a_basis():
    section = DOCUMENT["licensing"]
    for entry in [*section["outcomes"], *section["policies"], section["ownership"], section["humanitarian_report"],
                  section["notice"]]:
        assert entry["source"] in SOURCES, entry
        assert entry["basis"] in ("text", "report", "open"), entry


def test_the_bundled_pack_loads_with_every_outcome_and_the_report_days():
    licensing = load_licensing()
    assert set(REQUIRED_OUTCOMES) <= set(licensing.outcomes)
    assert licensing.report_days == 10
    assert [p.id for p in licensing.policies_for("end_use", "Logic-Chips")] == ["advanced-logic"]
    assert licensing.is_ordinary("end_user_type", "Commercial") and not licensing.is_ordinary("end_use", "toys")


@pytest.mark.parametrize("change, message", [
    (lambda d: d.pop("licensing"), "has no \\[licensing\\] section"),
    (lambda d: d["licensing"]["policies"][0].update(outcome="maybe"), "outcome 'maybe' is not one of"),
    (lambda d: d["licensing"]["policies"][0].update(field="colour"), "field 'colour' is not one of"),
    (lambda d: d["licensing"]["ownership"].update(threshold="1.5"), "threshold must be a share"),
    (lambda d: d["licensing"].update(outcomes=d["licensing"]["outcomes"][1:]), "lacks denied_in_principle"),
], ids=["no section", "an unknown outcome", "an unknown field", "a threshold over 1", "a missing outcome"])
def test_a_malformed_section_is_one_clear_error(change, message):
    import copy

    document = copy.deepcopy(DOCUMENT)
    change(document)
    with pytest.raises(RulePackError, match=message):
        licensing_from_dict(document, "my_pack.toml")
