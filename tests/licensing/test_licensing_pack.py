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


def test_an_overlay_without_a_licensing_section_keeps_its_base_policy_and_may_amend_it(tmp_path):
    overlay = tmp_path / "counsel.toml"
    overlay.write_text(
        'id = "acme-counsel"\nversion = "1"\nextends = "mofcom-61-2025"\n'
        '[[sources]]\nid = "memo"\ntitle = "Counsel memo"\n'
        '[[events]]\ndate = 2026-11-11\naction = "suspend"\nuntil = 2027-11-10\n'
        'limbs = ["de_minimis", "chinese_technology", "china_origin"]\nsource = "memo"\n', encoding="utf-8")
    assert load_licensing(overlay).report_days == 10
    with overlay.open("a", encoding="utf-8") as handle:
        handle.write("[humanitarian_exemption]\nreport_within_working_days = 7\n")
    assert load_licensing(overlay).report_days == 7
