"""Annex 1 classification suggestions: the labelled cases' recall, and one behaviour per test."""

from __future__ import annotations

import csv
import tomllib
from fractions import Fraction
from importlib import resources
from pathlib import Path

import pytest

import bomcalc
from bomcalc.core.classify import PartText, Suggestion, Vocabulary, classify_parts, classify_text, vocabulary_of
from bomcalc.core.classify_vocabulary import normalise
from bomcalc.core.errors import BomError, RulePackError
from bomcalc.core.rules import rule_pack_from_dict

CASES = Path(__file__).with_name("classify_cases.csv")


@pytest.fixture(scope="module")
def pack():
    return bomcalc.load_rule_pack()


@pytest.fixture(scope="module")
def vocabulary(pack):
    return vocabulary_of(pack)


def _pack_data() -> dict:
    return tomllib.loads((resources.files("bomcalc") / "rulepacks" / "mofcom_61_2025.toml").read_text("utf-8"))


def suggest(vocabulary, description="", hs_code="", annex1=None, is_assembly=False, scope="materials") -> Suggestion:
    return classify_text(PartText("P1", description, hs_code, annex1, is_assembly), vocabulary, scope)


# --- the labelled list -----------------------------------------------------------------------

def _labelled():
    with open(CASES, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def labelled(vocabulary):
    rows = _labelled()
    parts = [PartText(f"case-{n}", r["description"], r["hs_code"], None, r["is_assembly"] == "yes") for n, r in enumerate(rows, 2)]
    return rows, classify_parts(parts, vocabulary)


def test_the_labelled_list_is_large_mixed_and_well_formed():
    rows = _labelled()
    assert len(rows) >= 150
    assert {r["expected"] for r in rows} == {"part1", "part2", "review", "none"}
    assert {r["is_assembly"] for r in rows} == {"yes", "no"}
    text = " ".join(r["description"] for r in rows)
    for script in ("金属镝", "ジスプロシウム", "디스프로슘", "Metall", "métal", "DY METAL"):
        assert script in text


@pytest.mark.parametrize("cls", ["part1", "part2"])
def test_recall_of_part1_and_part2_is_at_least_95_percent(labelled, cls):
    rows, got = labelled
    hits = [s.suggestion == cls for r, s in zip(rows, got) if r["expected"] == cls]
    missed = [r["description"] for r, s in zip(rows, got) if r["expected"] == cls and s.suggestion != cls]
    assert len(hits) >= 50
    assert Fraction(sum(hits), len(hits)) >= Fraction(95, 100), missed


def test_no_labelled_negative_or_review_case_is_suggested_as_part1_or_part2(labelled):
    rows, got = labelled
    wrong = [(r["description"], s.suggestion) for r, s in zip(rows, got)
             if r["expected"] in ("none", "review") and s.suggestion in ("part1", "part2")]
    assert wrong == []


def test_review_labels_are_met_by_review(labelled):
    rows, got = labelled
    assert [r["description"] for r, s in zip(rows, got) if r["expected"] == "review" and s.suggestion != "review"] == []


def test_every_suggestion_has_a_class_a_confidence_and_a_reason(labelled):
    _, got = labelled
    assert all(s.suggestion in ("part1", "part2", "review", "none") for s in got)
    assert all(s.confidence in ("high", "medium", "low") and s.reasons for s in got)


# --- the vocabulary is data with sources -----------------------------------------------------

def test_the_shipped_pack_has_a_vocabulary_citing_its_sources(pack):
    vocabulary = pack.vocabulary
    assert isinstance(vocabulary, Vocabulary)
    entries = vocabulary.terms + vocabulary.patterns + vocabulary.codes + vocabulary.rules
    assert len(entries) > 40
    assert all(pack.source(e.source) is not None for e in entries)
    assert all(e.basis in ("text", "report", "open") for e in entries)


def test_each_part1_item_of_the_annex_list_is_found_by_its_english_and_chinese_name(pack, vocabulary):
    for item in pack.part1_items:
        for name in (item["name"], item["name_zh"]):
            result = suggest(vocabulary, name)
            assert (result.suggestion, result.confidence) == ("part1", "high"), name
            assert any(f"[{item['id']}]" in reason for reason in result.reasons), (name, result.reasons)


@pytest.mark.parametrize("text", ["Dysprosium-Metall", "dysprosium métal", "ジスプロシウム金属", "金属ジスプロシウム",
                                  "디스프로슘 금속", "Dy2O3", "Tb4O7", "Sm2Co17", "SmCo5", "TbFe", "DyFe", "Tb-Dy-Fe",
                                  "Terfenol-D", "Dy metal 99.5%"])
def test_the_named_part1_forms_of_the_brief_are_part1(vocabulary, text):
    assert suggest(vocabulary, text).suggestion == "part1"


def test_a_reason_names_the_word_found_the_entry_and_its_source(vocabulary):
    result = suggest(vocabulary, "DY METAL 99.5% 1KG")
    assert result.reasons == ('term "dy metal" (dy-metal) [dy-metal]: dysprosium metal, Annex 1 Part 1; source mofcom-61 (report)',)


def test_a_pack_without_classification_has_no_vocabulary_and_vocabulary_of_says_so():
    data = _pack_data()
    del data["classification"]
    bare = rule_pack_from_dict(data, "bare.toml")
    assert bare.vocabulary is None
    with pytest.raises(BomError, match=r"bare\.toml.*no \[classification\] section"):
        vocabulary_of(bare)


@pytest.mark.parametrize("change, message", [
    (lambda c: c["terms"][0].update(source="nowhere"), "source 'nowhere' is not one of the pack's"),
    (lambda c: c["terms"][0].update(suggests="part3"), "suggests 'part3'"),
    (lambda c: c["terms"][0].update(basis="rumour"), "basis 'rumour'"),
    (lambda c: c["patterns"][0].update(pattern="(unclosed"), "not a regular expression"),
    (lambda c: c["rules"][0].update(when=["no-such-group"]), "unknown group"),
    (lambda c: c["terms"].append({"id": "idle", "words": ["x"]}), "neither 'suggests' nor 'groups'"),
], ids=["an unknown source", "an unknown class", "an unknown basis", "a broken pattern", "a rule on an unknown group",
        "an entry that can never count"])
def test_a_bad_vocabulary_entry_is_a_rule_pack_error_naming_it(change, message):
    data = _pack_data()
    change(data["classification"])
    with pytest.raises(RulePackError, match=message):
        rule_pack_from_dict(data, "edited.toml")


def test_the_words_are_data_a_small_vocabulary_classifies_by_its_own_words():
    small = Vocabulary.from_dict({
        "source": "s", "basis": "open",
        "terms": [{"id": "unobtainium", "suggests": "part1", "words": ["unobtainium bar"], "label": "test word"}],
    }, source_ids={"s"})
    assert suggest(small, "UNOBTAINIUM-BAR 3 kg").suggestion == "part1"
    assert suggest(small, "Dysprosium metal").suggestion == "none"


# --- behaviours ------------------------------------------------------------------------------

@pytest.mark.parametrize("grade", ["N35", "N38", "N42", "N48", "N50", "N52", "N55", "N42SH", "N38EH", "N45UH", "N35AH",
                                   "N40M", "N50H", "42SH", "38UH"])
def test_grades_n35_to_n55_with_a_magnet_word_are_part2_high(vocabulary, grade):
    assert (suggest(vocabulary, f"Magnet {grade} 10x5").suggestion, suggest(vocabulary, f"Magnet {grade} 10x5").confidence) == ("part2", "high")


@pytest.mark.parametrize("grade", ["N30", "N34", "N56", "N60", "30SH", "60SH"])
def test_grades_outside_n35_to_n55_are_not_high_confidence(vocabulary, grade):
    result = suggest(vocabulary, f"Magnet {grade} 10x5")
    assert not (result.suggestion == "part2" and result.confidence == "high")
    assert result.suggestion == "review"


def test_a_grade_alone_is_part2_below_high_and_a_bare_number_with_h_is_no_grade(vocabulary):
    assert (suggest(vocabulary, "N42SH").suggestion, suggest(vocabulary, "N42SH").confidence) == ("part2", "medium")
    assert (suggest(vocabulary, "N52").suggestion, suggest(vocabulary, "N52").confidence) == ("part2", "low")
    assert suggest(vocabulary, "O-ring 42H NBR").suggestion == "none"
    assert suggest(vocabulary, "Cable 35M").suggestion == "none"


@pytest.mark.parametrize("code", ["2805301200", "2805.30.12.00", "2805 3012 00", "2805.3012.00", "２８０５３０１２００"])
def test_a_customs_line_matches_with_or_without_dots_and_spaces(vocabulary, code):
    result = suggest(vocabulary, "", hs_code=code)
    assert (result.suggestion, result.confidence) == ("part1", "high")
    assert "hs-dy-metal" in result.reasons[0] and "mofcom-18" in result.reasons[0]


def test_the_six_digit_heading_alone_is_only_review_and_never_read_inside_a_description(vocabulary):
    assert (suggest(vocabulary, "", hs_code="2805.30").suggestion, suggest(vocabulary, "", hs_code="280530").confidence) == ("review", "low")
    assert suggest(vocabulary, "", hs_code="2805301990").suggestion == "review"
    assert suggest(vocabulary, "bracket 280530").suggestion == "none"


def test_a_full_customs_line_inside_the_description_counts(vocabulary):
    assert suggest(vocabulary, "Lot 7, HS 2805.30.13.00").suggestion == "part1"
    assert suggest(vocabulary, "Block HS 8505111000").suggestion == "part2"


def test_control_codes_are_part1_at_medium_and_a_magnet_named_beside_them_makes_part2(vocabulary):
    assert (suggest(vocabulary, "ECCN 1C905").suggestion, suggest(vocabulary, "ECCN 1C905").confidence) == ("part1", "medium")
    assert suggest(vocabulary, "", hs_code="1C904").suggestion == "part1"
    assert suggest(vocabulary, "NdFeB magnet 1C905").suggestion == "part2"


def test_between_part1_and_part2_the_more_confident_match_wins_and_part2_a_tie(vocabulary):
    assert suggest(vocabulary, "Sm-Co alloy 1:5 ingot").suggestion == "part1"  # the alloy named (high) over a ratio (medium)
    assert suggest(vocabulary, "SmCo disc 10x2 2:17").suggestion == "part2"  # SmCo (medium) and a magnet type (medium)
    assert suggest(vocabulary, "SmCo5 magnet").suggestion == "part2"
    assert suggest(vocabulary, "Dysprosium metal target").suggestion == "part2"
    assert suggest(vocabulary, "Gear ratio 1:5").suggestion == "none"


def test_a_listed_symbol_counts_only_when_a_purity_and_a_metal_form_follow(vocabulary):
    assert (suggest(vocabulary, "RAW MAT DY 99.5 INGOT").suggestion, suggest(vocabulary, "Sm 99.9% metal").confidence) == ("part1", "medium")
    assert suggest(vocabulary, "DY-200 metal bracket").suggestion == "none"


def test_chinese_text_without_spaces_is_matched(vocabulary):
    assert suggest(vocabulary, "烧结钕铁硼磁钢N45H镀镍").suggestion == "part2"
    assert suggest(vocabulary, "金属镝Dy≥99.5%").suggestion == "part1"
    assert suggest(vocabulary, "铁氧体磁铁").suggestion == "none"
    assert suggest(vocabulary, "钛靶").suggestion == "none"


def test_normalisation_folds_width_case_accents_and_punctuation():
    assert normalise("Ｄｙ₂Ｏ₃") == "dy2o3"
    assert normalise("Dysprosium-Métal, 99,5 %") == "dysprosium metal 99 5 %"
    assert normalise("ジスプロシウム") == "ジスプロシウム"  # Japanese voiced marks are kept


def test_given_annex1_is_echoed_with_high_confidence(vocabulary):
    result = suggest(vocabulary, "Dysprosium metal", annex1="part1")
    assert result == Suggestion("P1", "part1", "high", ("given in the data",))
    assert suggest(vocabulary, "Bracket", annex1=" Part 2 ").suggestion == "part2"


def test_a_given_class_is_never_contradicted_silently(vocabulary):
    result = suggest(vocabulary, "Ferrite magnet", annex1="part2")
    assert (result.suggestion, result.confidence) == ("part2", "high")
    assert result.reasons[0] == "given in the data"
    assert "the text suggests none (high)" in result.reasons[1] and "ferrite" in result.reasons[1]
    weak = suggest(vocabulary, "Magnet 10x5", annex1="none")
    assert weak.reasons == ("given in the data",)  # a low-confidence review does not argue with the data


def test_a_given_value_that_is_not_a_class_is_reported_and_not_used(vocabulary):
    result = suggest(vocabulary, "NdFeB magnet", annex1="yes")
    assert result.suggestion == "part2"
    assert "'yes' is not one of part1, part2, none" in result.reasons[0]


@pytest.mark.parametrize("description, materials, assemblies", [
    ("Motor with NdFeB rotor", ("review", "low"), ("part2", "medium")),
    ("Loudspeaker with neodymium magnet", ("review", "low"), ("part2", "medium")),
    ("Sensor with magnet", ("review", "low"), ("review", "low")),
    ("Loudspeaker 8 ohm", ("none", "low"), ("review", "low")),
    ("DC motor with ferrite magnets", ("none", "medium"), ("none", "medium")),
    ("NdFeB magnet N42SH", ("part2", "high"), ("part2", "high")),
], ids=["a motor with an NdFeB rotor", "a speaker with a neodymium magnet", "a sensor with an unnamed magnet",
        "a loudspeaker naming no magnet", "a motor with ferrite magnets", "a magnet with BOM lines below it"])
def test_assemblies_depend_on_the_part2_scope(vocabulary, description, materials, assemblies):
    for scope, expected in (("materials", materials), ("assemblies", assemblies)):
        result = suggest(vocabulary, description, is_assembly=True, scope=scope)
        assert (result.suggestion, result.confidence) == expected, (scope, result.reasons)


def test_an_unknown_scope_is_an_error(vocabulary):
    with pytest.raises(BomError, match="part2 scope must be one of materials, assemblies"):
        suggest(vocabulary, "NdFeB", scope="everything")
    with pytest.raises(BomError):
        classify_parts([], vocabulary, "everything")


def test_negations_drop_the_word_they_touch(vocabulary):
    assert suggest(vocabulary, "Dysprosium-free alloy").suggestion == "none"
    result = suggest(vocabulary, "无镝钕铁硼磁铁")
    assert result.suggestion == "part2" and not any('"镝"' in r and "dy-name" in r and "set aside" not in r for r in result.reasons)
    assert suggest(vocabulary, "non-rare-earth magnet").suggestion == "none"


def test_a_negative_that_sets_aside_a_listed_match_gives_review_not_none(vocabulary):
    result = suggest(vocabulary, "NdFeB magnet N42, replaces ferrite")
    assert (result.suggestion, result.confidence) == ("review", "low")
    assert any("set aside by term \"ferrite\"" in reason for reason in result.reasons)
    assert suggest(vocabulary, "Ferrite magnet 20x10").suggestion == "none"  # only the generic magnet word was set aside
    assert suggest(vocabulary, "Motor with ferrite and NdFeB magnets", is_assembly=True).suggestion == "review"


def test_the_longest_match_wins_a_stretch_of_text(vocabulary):
    assert suggest(vocabulary, "Magnet wire AWG 28").suggestion == "none"
    assert suggest(vocabulary, "Yttrium oxide").suggestion == "none"
    assert suggest(vocabulary, "Neodymium metal").suggestion == "none"
    assert suggest(vocabulary, "Neodymium magnet").suggestion == "part2"


def test_words_after_for_or_with_describe_the_purpose_not_the_part(vocabulary):
    assert suggest(vocabulary, "Dy metal for NdFeB magnets").suggestion == "part1"
    assert suggest(vocabulary, "NdFeB magnet with Dy").suggestion == "part2"
    housing = suggest(vocabulary, "Housing for NdFeB magnet")
    assert (housing.suggestion, housing.confidence) == ("review", "low")


def test_chinese_purpose_phrases_before_and_after_the_part(vocabulary):
    assert suggest(vocabulary, "电机用钕铁硼磁钢").suggestion == "part2"  # "for motors" before 用
    assert suggest(vocabulary, "钕铁硼磁钢用于电机").suggestion == "part2"  # "used in motors" after 用于
    assert suggest(vocabulary, "电机用于钕铁硼").suggestion == "review"  # only the purpose names a magnet


def test_a_code_read_as_a_number_and_a_missing_description_are_taken_as_they_come(vocabulary):
    assert suggest(vocabulary, None, hs_code=2805301300).suggestion == "part1"
    assert suggest(vocabulary, None, hs_code=None).suggestion == "none"


def test_traps_are_not_listed(vocabulary):
    for text in ("Dyneema rope", "Magnetic stirrer", "magnetic sensor", "Nd2O3", "Y2O3 powder", "Sc2O3", "ITO target",
                 "titanium sputtering target", "Alnico 5", "ferrite magnet", "PrNd metal", "Al-Sc 2% master alloy"):
        assert suggest(vocabulary, text).suggestion in ("none", "review"), text


def test_classify_parts_keeps_order_and_ids(vocabulary):
    parts = [PartText("A", "Dy2O3"), PartText("B", "ferrite magnet"), PartText("C", "")]
    assert [(s.part_id, s.suggestion) for s in classify_parts(parts, vocabulary)] == [("A", "part1"), ("B", "none"), ("C", "none")]


def test_a_vocabulary_copied_or_pickled_before_any_search_classifies_the_same(labelled):
    import copy
    import pickle

    fresh = rule_pack_from_dict(_pack_data())  # its term patterns not yet compiled
    rows, expected = labelled
    parts = [PartText(f"case-{n}", r["description"], r["hs_code"], None, r["is_assembly"] == "yes") for n, r in enumerate(rows, 2)]
    for vocabulary in (pickle.loads(pickle.dumps(vocabulary_of(fresh))), copy.deepcopy(vocabulary_of(fresh))):
        assert vocabulary == vocabulary_of(fresh)
        got = classify_parts(parts, vocabulary)
        assert [(s.part_id, s.suggestion, s.confidence, s.reasons) for s in got] == \
               [(s.part_id, s.suggestion, s.confidence, s.reasons) for s in expected]
    assert suggest(vocabulary_of(fresh), "Dysprosium metal 99.5%").suggestion == "part1"
