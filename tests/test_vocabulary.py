"""The national vocabulary: names read as standard names on every sheet, reported once; local names kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from workbook_fixture import Tables, consistent_tables, write_workbook
from workforce.inputs.issues import Issue, errors_in, warnings_in
from workforce.inputs.reader import read_workbook
from workforce.inputs.validate import reference_ics_codes, validate
from workforce.inputs.vocabulary import (ADULT_SOCIAL_CARE, NHS, NameKind, VocabularyError, name_key,
                                         parse_vocabulary, sector_family, vocabulary)

HCSW = "Healthcare support workers"


def check(tmp_path: Path, tables: Tables) -> tuple[object, list[Issue]]:
    raw, issues = read_workbook(write_workbook(tmp_path / "ics.xlsx", tables))
    assert raw is not None
    data, more = validate(raw, reference_ics_codes())
    return data, issues + more


def renamed(tables: Tables, old: str, new: str, sheets: tuple[str, ...] | None = None) -> Tables:
    """Every cell equal to ``old`` (on ``sheets``, default all) written as ``new``."""
    for name, rows in tables.items():
        if sheets is None or name in sheets:
            for row in rows[1:]:
                row[:] = [new if cell == old else cell for cell in row]
    return tables


def messages(issues: list[Issue]) -> list[str]:
    return [i.message() for i in warnings_in(issues)]


def test_name_key_ignores_case_spacing_punctuation_and_plurals() -> None:
    assert name_key("Health-care  Assistants") == name_key("healthcare assistant")
    assert name_key("Nurses & health visitors") == name_key("nurse and health visitor")
    assert name_key("Children's nurses") == name_key("childrens nurse")
    assert name_key("Registered nurses") != name_key("Registered managers")


def test_the_vocabulary_is_consistent_and_covers_both_taxonomies() -> None:
    vocab = vocabulary()
    sectors = {e.name: e.family for e in vocab.names[NameKind.SECTOR]}
    assert sectors == {"Acute": NHS, "Mental health": NHS, "Community": NHS, "Ambulance": NHS, "Primary care": NHS,
                       "Social care residential": ADULT_SOCIAL_CARE, "Social care domiciliary": ADULT_SOCIAL_CARE,
                       "Social care community": ADULT_SOCIAL_CARE}
    groups = {e.name for e in vocab.names[NameKind.STAFF_GROUP]}
    assert {"Doctors", "Registered nurses", HCSW, "Allied health professionals", "Care workers",
            "Senior care workers", "Registered managers", "Social workers"} <= groups
    assert all(e.source for kind in NameKind for e in vocab.names[kind])
    with pytest.raises(VocabularyError, match="reads as both"):
        parse_vocabulary({"staff_group": [{"name": "Nurses", "synonyms": ["RN"]},
                                          {"name": "Nurse practitioners", "synonyms": ["RNs"]}]})


@pytest.mark.parametrize(("kind", "written", "standard"), [
    (NameKind.STAFF_GROUP, "HCAs", HCSW), (NameKind.STAFF_GROUP, "RNs", "Registered nurses"),
    (NameKind.STAFF_GROUP, "Mental health nurses", "Registered nurses"),
    (NameKind.STAFF_GROUP, "registered  nurse", "Registered nurses"), (NameKind.STAFF_GROUP, "Carer", "Care workers"),
    (NameKind.STAFF_GROUP, "AHPs", "Allied health professionals"),
    (NameKind.SECTOR, "Care homes", "Social care residential"),
    (NameKind.SECTOR, "home care", "Social care domiciliary"),
    (NameKind.SECTOR, "NHS acute", "Acute"), (NameKind.CHANNEL, "Overseas recruitment", "International"),
    (NameKind.ROUTE, "RNDA", "Nursing degree apprenticeship")])
def test_synonyms_and_spellings_read_as_the_standard_name(kind: NameKind, written: str, standard: str) -> None:
    assert vocabulary().standard_name(kind, written) == standard


def test_unknown_names_are_kept_and_consultants_are_not_doctors() -> None:
    vocab = vocabulary()
    assert vocab.standard(NameKind.STAFF_GROUP, "Consultants") is None
    assert vocab.standard_name(NameKind.STAFF_GROUP, " Physician   associates") == "Physician associates"
    assert vocab.closest(NameKind.STAFF_GROUP, "Physician associates") == ["Nursing associates"]


def test_sector_family_uses_the_vocabulary() -> None:
    assert sector_family("Day care") == ADULT_SOCIAL_CARE  # a synonym of Social care community
    assert sector_family("Community") == NHS and sector_family("Social care community") == ADULT_SOCIAL_CARE
    assert sector_family("Extra care housing (social care)") == ADULT_SOCIAL_CARE  # outside the vocabulary
    assert sector_family("Hospice") == NHS


def test_a_synonym_is_read_on_every_sheet_and_reported_once(tmp_path: Path) -> None:
    data, issues = check(tmp_path, renamed(consistent_tables(), HCSW, "HCAs"))
    assert errors_in(issues) == [] and data is not None
    assert messages(issues) == ['Workforce!B3: "HCAs" read as "Healthcare support workers"']
    key = ("Acute", HCSW)
    assert key in data.demand_fte and data.role(key).staff_in_post_fte == 600
    assert [c.role for c in data.recruitment if c.role == key] == [key]
    assert data.deployment[0].from_role == key and data.training[0].from_role == key
    as_json = warnings_in(issues)[0].as_dict()
    assert (as_json["sheet"], as_json["cell"], as_json["column"], as_json["found"]) == ("Workforce", "B3",
                                                                                       "staff_group", '"HCAs"')


def test_each_sheet_may_spell_a_role_its_own_way(tmp_path: Path) -> None:
    tables = consistent_tables()
    renamed(tables, HCSW, "Healthcare assistant", ("Demand",))
    renamed(tables, HCSW, "HCSW", ("Recruitment", "Deployment"))
    renamed(tables, HCSW, "health care support worker", ("Training",))
    renamed(tables, "Social care domiciliary", "Home care", ("Deployment", "Retention"))
    renamed(tables, "Registered nurses", "RN", ("Pipeline",))
    renamed(tables, "International", "Overseas", ("Recruitment",))
    renamed(tables, "Nursing apprenticeship", "RNDA", ("Training",))
    baseline, _ = check(tmp_path, consistent_tables())
    data, issues = check(tmp_path, tables)
    assert errors_in(issues) == []
    assert sorted(messages(issues)) == sorted([
        'Demand!B3: "Healthcare assistant" read as "Healthcare support workers"',
        'Recruitment!C4: "HCSW" read as "Healthcare support workers"',
        'Training!C2: "health care support worker" read as "Healthcare support workers"',
        'Retention!B3: "Home care" read as "Social care domiciliary"',
        'Pipeline!B2: "RN" read as "Registered nurses"',
        'Recruitment!A3: "Overseas" read as "International"',
        'Training!A2: "RNDA" read as "Nursing degree apprenticeship"'])
    assert data.roles == baseline.roles and data.deployment == baseline.deployment
    assert [c.channel for c in data.recruitment] == [c.channel for c in baseline.recruitment]
    assert data.training[0].route == "Nursing degree apprenticeship"


def test_a_local_role_is_kept_as_written_with_the_closest_standard_names(tmp_path: Path) -> None:
    tables = consistent_tables()
    renamed(tables, HCSW, "Physician associates")
    data, issues = check(tmp_path, tables)
    assert errors_in(issues) == [] and data is not None
    assert ("Acute", "Physician associates") in data.demand_fte
    [issue] = warnings_in(issues)
    assert (issue.sheet, issue.cell, issue.column, issue.found) == ("Workforce", "B3", "staff_group",
                                                                   '"Physician associates"')
    assert 'did you mean "Nursing associates"?' in issue.expected
    assert 'nationally it appears as a staff group of its own, "Physician associates"' in issue.expected


def test_a_local_role_matches_across_sheets_ignoring_plurals(tmp_path: Path) -> None:
    tables = consistent_tables()
    renamed(tables, HCSW, "Physician associates", ("Workforce",))
    renamed(tables, HCSW, "physician  associate", ("Demand", "Recruitment", "Deployment", "Training"))
    data, issues = check(tmp_path, tables)
    assert errors_in(issues) == [] and data is not None
    key = ("Acute", "Physician associates")  # the Workforce sheet's spelling
    assert data.demand_fte[key] == (650, 660, 670) and data.training[0].from_role == key
    assert [i.cell for i in warnings_in(issues)] == ["B3", "B3"]  # each spelling reported once, where first met
    assert [i.sheet for i in warnings_in(issues)] == ["Workforce", "Demand"]


def test_a_standard_name_exactly_as_written_gives_no_warning(tmp_path: Path) -> None:
    _, issues = check(tmp_path, consistent_tables())
    assert issues == []


def test_two_rows_that_read_as_one_role_are_a_duplicate_naming_both(tmp_path: Path) -> None:
    tables = consistent_tables()
    tables["Workforce"].append(["Acute", "HCAs", "Trusts", 50, 0.14, None, 30_000, 0.55, 0.1, 0.05, None])
    _, issues = check(tmp_path, tables)
    [issue] = errors_in(issues)
    assert (issue.sheet, issue.cell, issue.found) == ("Workforce", "row 5", "Acute / HCAs")
    assert 'this row ("Acute / HCAs") and row 3 ("Acute / Healthcare support workers") both read as ' \
           "Healthcare support workers (Acute)" in issue.expected


def test_two_demand_rows_that_read_as_one_role_are_a_duplicate(tmp_path: Path) -> None:
    tables = consistent_tables()
    tables["Demand"].append(["NHS acute", "HCA", 1, 1, 1])
    _, issues = check(tmp_path, tables)
    [issue] = errors_in(issues)
    assert (issue.sheet, issue.cell) == ("Demand", "row 5") and "row 3" in issue.expected
    assert "both read as Healthcare support workers (Acute)" in issue.expected


def test_validate_reports_the_reading_in_text_and_json(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "ics.xlsx", renamed(consistent_tables(), HCSW, "HCAs"))
    text = CliRunner().invoke(main, ["validate", str(path)])
    assert text.exit_code == 0 and 'Warning: Workforce!B3: "HCAs" read as "Healthcare support workers"' in text.stderr
    report = json.loads(CliRunner().invoke(main, ["validate", str(path), "--json"]).stdout)
    assert [w["message"] for w in report["warnings"]] == ['Workforce!B3: "HCAs" read as "Healthcare support workers"']


def test_vocabulary_command_lists_names_and_synonyms() -> None:
    text = CliRunner().invoke(main, ["vocabulary"])
    assert text.exit_code == 0 and "Healthcare support workers" in text.stdout and "HCA" in text.stdout
    listed = json.loads(CliRunner().invoke(main, ["vocabulary", "--json"]).stdout)
    assert set(listed) == {"sector", "staff_group", "channel", "route"}
    hcsw = next(e for e in listed["staff_group"] if e["name"] == HCSW)
    assert "HCA" in hcsw["synonyms"] and hcsw["source"]
    assert {e["family"] for e in listed["sector"]} == {NHS, ADULT_SOCIAL_CARE}


def test_the_plan_repeats_the_reading_on_its_insights_sheet(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from workforce.runner import solve_workbook
    from workforce.scenario import load_scenario

    path = write_workbook(tmp_path / "ics.xlsx", renamed(consistent_tables(), HCSW, "HCAs"))
    outcome = solve_workbook(path, load_scenario(), output_path=tmp_path / "plan.xlsx")
    assert [w.message() for w in outcome.plan.warnings] == [
        'Workforce!B3: "HCAs" read as "Healthcare support workers"']
    assert {r.staff_group for r in outcome.plan.roles} == {"Registered nurses", HCSW, "Care workers"}
    texts = [c for row in load_workbook(tmp_path / "plan.xlsx")["Insights"].iter_rows(values_only=True) for c in row]
    assert 'Workforce!B3: "HCAs" read as "Healthcare support workers"' in texts
