"""The domain core: every mapping and rule the add-on, importer and statistics share."""

from __future__ import annotations

from datetime import date

import pytest

from case_tracker.domain import load, normalise_text, parse, source_text

D = load()


@pytest.mark.parametrize(
    ("outcomes", "form"),
    [
        (["talk_reminder"], 1),
        (["criticism", "admonition", "notice_criticism"], 1),
        (["acc_notice"], 1),
        (["party_warning"], 2),
        (["criticism", "party_serious_warning"], 2),
        (["gov_warning", "gov_demerit", "gov_major_demerit", "gov_demotion"], 2),
        (["org_suspension", "org_adjustment", "org_resignation", "org_removal"], 2),
        (["acc_organisational"], 2),
        (["org_downgrade"], 3),
        (["party_post_removal"], 3),
        (["party_probation", "gov_dismissal"], 3),
        (["party_warning", "party_expulsion"], 3),
        (["gov_expulsion"], 3),
        (["party_expulsion", "transfer_prosecution"], 4),
        (["admonition", "transfer_prosecution"], 4),
    ],
)
def test_four_forms_follow_the_heaviest_outcome(outcomes, form):
    assert D.form_of(outcomes) == form
    assert D.form_of(reversed(outcomes)) == form


def test_no_outcome_has_no_form():
    assert D.form_of([]) is None
    assert D.heaviest_outcome([]) is None


def test_every_outcome_maps_to_a_known_form_and_kind():
    forms = {f.number for f in D.forms}
    assert forms == {1, 2, 3, 4}
    for outcome in D.outcomes:
        assert outcome.form in forms
        assert outcome.kind in D.outcome_kinds
    severities = [o.severity for o in D.outcomes]
    assert len(set(severities)) == len(severities), "severity must order outcomes strictly"


def test_heavier_form_means_higher_severity():
    by_form: dict[int, list[int]] = {}
    for outcome in D.outcomes:
        by_form.setdefault(outcome.form, []).append(outcome.severity)
    for lighter, heavier in zip(sorted(by_form), sorted(by_form)[1:], strict=False):
        assert max(by_form[lighter]) < min(by_form[heavier])


def test_sanctions_are_exactly_party_and_government_sanctions():
    sanctioned = D.sanction_codes()
    assert sanctioned == {o.code for o in D.outcomes if o.kind in ("party", "government")}
    assert D.is_sanctioned(["criticism", "gov_demerit"])
    assert not D.is_sanctioned(["criticism", "org_removal", "acc_disciplinary"])
    assert not D.is_sanctioned([])


def test_party_sanctions_only_for_members():
    assert [o.code for o in D.party_only_violations(["party_expulsion"], False)] == [
        "party_expulsion"
    ]
    assert D.party_only_violations(["party_expulsion"], True) == ()
    assert D.party_only_violations(["gov_expulsion", "criticism"], False) == ()
    party = {o.code for o in D.outcomes if o.kind == "party"}
    assert party == {o.code for o in D.outcomes if o.party_only}


def test_eight_point_follows_the_category_list():
    assert D.is_eight_point("hl_gifts")
    assert D.is_eight_point("fb_duty")
    assert D.is_eight_point("e8_dining")
    assert not D.is_eight_point("loc_inaction")
    assert not D.is_eight_point("loc_work_discipline")
    eight = D.eight_point_categories()
    assert {c.code for c in D.categories if c.list_code == "local"}.isdisjoint(eight)


def test_lists_valid_in_a_period():
    codes = lambda s, e: {cl.code for cl in D.lists_for_period(s, e)}  # noqa: E731
    assert codes(date(2018, 1, 1), date(2018, 6, 30)) == {"ccdi2013", "local"}
    assert codes(date(2020, 1, 1), date(2020, 12, 31)) == {"ccdi2019", "local"}
    assert codes(date(2019, 7, 1), date(2019, 12, 31)) == {"ccdi2013", "ccdi2019", "local"}
    assert codes(date(2019, 11, 30), date(2019, 11, 30)) == {"ccdi2013", "local"}
    assert codes(date(2019, 12, 1), date(2019, 12, 1)) == {"ccdi2019", "local"}


def test_category_validity_dates():
    assert D.category_valid_on("e8_dining", date(2019, 11, 30))
    assert not D.category_valid_on("e8_dining", date(2019, 12, 1))
    assert D.category_valid_on("hl_dining_public", date(2019, 12, 1))
    assert not D.category_valid_on("hl_dining_public", date(2019, 11, 30))
    # 收送节礼 had its own row only from January 2014.
    assert not D.category_valid_on("e8_festival_gifts", date(2013, 12, 31))
    assert D.category_valid_on("e8_festival_gifts", date(2014, 1, 1))


def test_category_tree_is_two_levels_with_subtotal_parents():
    for list_code in ("ccdi2019", "ccdi2013", "local"):
        tops = D.top_categories(list_code)
        assert tops, list_code
        for top in tops:
            assert D.children(top.code), top.code
            assert all(child.is_leaf for child in D.children(top.code))


def test_poor_grades():
    assert D.poor_grades() == {"fairly_poor", "poor", "fail4"}
    assert D.is_poor_grade("poor") and D.is_poor_grade("fairly_poor")
    assert not D.is_poor_grade("average")
    five = [g.name for g in sorted(D.grades, key=lambda g: g.sequence) if g.scale == "five"]
    assert five == ["好", "较好", "一般", "较差", "差"]


def test_ranks_roll_up_to_the_ccdi_rows():
    assert D.rank("general_cadre").ccdi_rank == "township"
    assert D.rank("other_personnel").ccdi_rank == "township"
    assert D.rank("county").ccdi_rank == "county"
    assert {r.ccdi_rank for r in D.ranks} == {"provincial", "prefectural", "county", "township"}


def test_government_sanctions_were_called_zhengji_before_2018():
    assert D.outcome_kind_name("government", date(2017, 12, 31)) == "政纪处分"
    assert D.outcome_kind_name("government", date(2018, 6, 1)) == "政务处分"
    assert D.outcome_kind_name("party") == "党纪处分"


@pytest.mark.parametrize(
    ("kind", "text", "code"),
    [
        ("grades", "较 差", "fairly_poor"),
        ("grades", "差", "poor"),
        ("grades", "　较好　", "fairly_good"),
        ("grades", "Fairly poor", "fairly_poor"),
        ("outcomes", "开除党籍", "party_expulsion"),
        ("outcomes", "留党察看一年", "party_probation"),
        ("outcomes", "撤职", "gov_dismissal"),
        ("outcomes", "诫勉谈话", "admonition"),
        ("outcomes", "party_warning", "party_warning"),
        ("ranks", "乡科级", "township"),
        ("ranks", "村干部", "other_personnel"),
        ("inspection_methods", "四不两直", "four_no_two_direct"),
        ("categories", "公款出国(境)旅游", "e8_travel_abroad"),
        ("categories", "公款出国（境）旅游", "e8_travel_abroad"),
        ("categories", "不作为慢作为", "loc_inaction"),
        ("rectification_states", "已销号", "closed"),
    ],
)
def test_match_common_spellings(kind, text, code):
    assert D.match(kind, text) == code


def test_match_uses_the_date_to_pick_the_list():
    assert D.match("categories", "公款吃喝") is None  # in both lists: ambiguous without a date
    assert D.match("categories", "公款吃喝", on=date(2018, 6, 3)) == "e8_dining"
    assert D.match("categories", "违规公款吃喝", on=date(2020, 6, 3)) == "hl_dining_public"


def test_match_unknown_and_empty():
    assert D.match("grades", "很好") is None
    assert D.match("grades", "") is None
    assert D.match("grades", "   ") is None


def test_normalise_text_folds_full_width_and_spaces():
    assert normalise_text("１５ 个") == "15个"
    assert normalise_text("较　差") == "较差"
    assert normalise_text(None) == ""


def _edited(old: str, new: str) -> str:
    text = source_text()
    assert old in text
    return text.replace(old, new, 1)


def test_parse_refuses_inconsistent_definitions():
    with pytest.raises(ValueError, match="duplicate code"):
        parse(_edited('code = "poor"\n', 'code = "good"\n'))
    with pytest.raises(ValueError, match="bad parent"):
        parse(_edited('parent = "fb"\n', 'parent = "e8"\n'))
    with pytest.raises(ValueError, match="unknown form"):
        parse(_edited("form = 4\n", "form = 5\n"))


def test_unknown_code_names_itself():
    with pytest.raises(KeyError, match="no_such"):
        D.outcome("no_such")


# ------------------------------------------------------ ambiguous spellings
@pytest.mark.parametrize(
    ("kind", "text", "on", "candidates"),
    [
        ("outcomes", "开除", None, ("party_expulsion", "gov_expulsion")),
        ("outcomes", "警告", None, ("party_warning", "gov_warning")),
        ("outcomes", "　警 告 ", None, ("party_warning", "gov_warning")),
        ("categories", "其他", date(2018, 6, 3), ("e8_other", "loc_other")),
        ("categories", "其他", date(2021, 6, 3), ("fb_other", "hl_other", "loc_other")),
        ("categories", "公款吃喝", None, ("hl_dining_public", "e8_dining")),
    ],
)
def test_an_ambiguous_spelling_resolves_to_every_candidate_and_matches_none(
    kind, text, on, candidates
):
    assert set(D.resolve(kind, text, on)) == set(candidates)
    assert D.match(kind, text, on) is None


def test_full_names_still_match_and_the_dated_list_still_decides():
    assert D.match("outcomes", "开除公职") == "gov_expulsion"
    assert D.match("outcomes", "政务开除") == "gov_expulsion"
    assert D.match("outcomes", "开除党籍") == "party_expulsion"
    assert D.match("outcomes", "党纪警告") == "party_warning"
    assert D.match("categories", "其他问题") == "loc_other"
    assert D.resolve("grades", "很好") == ()


def test_the_domain_file_refuses_an_inconsistent_ambiguous_spelling():
    with pytest.raises(ValueError, match="also a spelling of gov_expulsion"):
        parse(_edited('aliases = ["开除公职", "行政开除"]', 'aliases = ["开除公职", "开除"]'))
    with pytest.raises(ValueError, match="unknown outcomes code 'x'"):
        parse(_edited('["party_expulsion", "gov_expulsion"]', '["x", "gov_expulsion"]'))
    with pytest.raises(ValueError, match="at least two candidates"):
        parse(_edited('["party_warning", "gov_warning"]', '["party_warning"]'))


def test_the_domain_command_and_the_template_list_the_ambiguous_spellings(tmp_path, capsys):
    from openpyxl import load_workbook

    from case_tracker.cli import main
    from case_tracker.importer.template import write_template

    assert main(["domain", "outcomes"]) == 0
    out = capsys.readouterr().out
    assert "开除 → 开除党籍 (party_expulsion) | 政务开除 (gov_expulsion)" in out
    assert "警告 → 党内警告 (party_warning) | 政务警告 (gov_warning)" in out
    assert main(["domain", "ambiguous"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(D.ambiguous) == 3
    guide = load_workbook(write_template(tmp_path / "t.xlsx"))["填写说明"]
    rows = {r[:3] for r in guide.iter_rows(values_only=True)}
    assert ("处理结果 Outcomes", "开除", "开除党籍、政务开除") in rows
    assert ("处理结果 Outcomes", "警告", "党内警告、政务警告") in rows
    assert (
        "问题类别 Category",
        "其他",
        "其他形式主义、官僚主义问题、其他享乐主义、奢靡之风问题、"
        "其他违反八项规定精神问题、其他问题",
    ) in rows


def test_a_deployments_domain_file_is_the_definition_in_force(tmp_path):
    """CASE_TRACKER_DOMAIN_FILE replaces the bundled file for every consumer of ``load``."""
    import os
    import subprocess
    import sys

    from case_tracker.domain import source_text

    own = tmp_path / "domain.toml"
    own.write_text(
        source_text()
        + '\n[[categories]]\ncode = "loc_own"\nlist = "local"\nparent = "loc"\n'
        + 'name = "本地新增类别"\nname_en = "Local category"\n',
        encoding="utf-8",
    )
    probe = "from case_tracker.domain import load; print(load().category('loc_own').name)"
    env = {**os.environ, "CASE_TRACKER_DOMAIN_FILE": str(own)}
    found = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "本地新增类别"
    env.pop("CASE_TRACKER_DOMAIN_FILE")
    bundled = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True)
    assert bundled.returncode != 0  # the bundled file has no such category
