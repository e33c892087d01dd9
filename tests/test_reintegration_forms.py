"""The R&R forms: a household built, programmed and handed over, and custody milestones and the
pre-release meeting recorded — all from the pages, through the same services and policy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.reintegration_world import add_justice, returnee
from tests.walk import fresh
from tests.world import make_world
from ura.governance.models import AuditEvent, Disclosure
from ura.mechanisms.models import AgencyType
from ura.reintegration.models import CustodyEvent, Handover, HouseholdMember, PhaseEntry


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def dprrp(db):  # type: ignore[no-untyped-def]
    w = make_world("dprrp")
    w.extra["probation"] = add_justice(w)
    return w


def test_a_household_is_started_filled_programmed_and_offered_from_the_pages(dprrp) -> None:  # type: ignore[no-untyped-def]
    adult = returnee(dprrp, "Person", dt.date(1985, 1, 2), "m")
    wife = returnee(dprrp, "Wife", dt.date(1990, 3, 4), "f")
    child = returnee(dprrp, "Child", dt.date(2015, 5, 6), "m")
    c = _client(dprrp.coordinator)
    case_page = c.get(reverse("cases:detail", args=[adult.pk])).content.decode()
    assert reverse("reintegration:household_start", args=[adult.pk]) in case_page

    r = c.post(reverse("reintegration:household_start", args=[adult.pk]),
               {"name": "Household of Person X", "returned_on": "2026-11-01", "relationship": "head",
                "lives_at": "Detention centre"})
    assert r.status_code == 302
    household = HouseholdMember.objects.get(case=adult).household
    r = c.post(reverse("reintegration:household_member_add", args=[adult.pk]),
               {"reference": wife.reference, "relationship": "spouse", "lives_at": "Family home"})
    assert r.status_code == 302
    mother = HouseholdMember.objects.get(case=wife)
    r = c.post(reverse("reintegration:household_member_add", args=[adult.pk]),
               {"reference": child.reference, "relationship": "child", "guardian": mother.pk})
    assert r.status_code == 302
    assert HouseholdMember.objects.get(case=child).guardian == mother

    r = c.post(reverse("reintegration:household_programme", args=[adult.pk]),
               {"programme": "Family support at home.", "elements": ["psychological", "socio-economic"]})
    assert r.status_code == 302
    household.refresh_from_db()
    assert household.programme_elements == ["psychological", "socio-economic"]

    local = make_world("gjilan")
    r = c.post(reverse("reintegration:household_handover", args=[adult.pk]),
               {"to_mechanism": local.mechanism.pk, "note": "Settled in Gjilan."})
    assert r.status_code == 302
    assert Handover.objects.get(household=household).to_mechanism == local.mechanism
    page = c.get(reverse("reintegration:household", args=[adult.pk])).content.decode()
    assert "Wife X" in page and "Child X" in page and local.mechanism.name in page


@pytest.mark.parametrize("post,field", [({"reference": "NO-SUCH", "relationship": "child"}, "reference"),
                                        ({"reference": "", "relationship": "child"}, "reference"),
                                        ({"reference": "X", "relationship": "cousin"}, "relationship")])
def test_a_bad_member_is_refused_on_the_form(dprrp, post, field) -> None:  # type: ignore[no-untyped-def]
    adult = returnee(dprrp, "Person", dt.date(1985, 1, 2), "m")
    c = _client(dprrp.coordinator)
    c.post(reverse("reintegration:household_start", args=[adult.pk]), {"name": "H", "relationship": "head"})
    r = c.post(reverse("reintegration:household_member_add", args=[adult.pk]), post)
    assert r.status_code == 400 and field in r.context["form"].errors
    assert HouseholdMember.objects.count() == 1


def test_a_case_of_another_mechanism_cannot_join_the_household(dprrp) -> None:  # type: ignore[no-untyped-def]
    adult = returnee(dprrp, "Person", dt.date(1985, 1, 2), "m")
    other = make_world("gjilan")
    stranger = returnee(other, "Other", dt.date(1980, 1, 1), "m")
    c = _client(dprrp.coordinator)
    c.post(reverse("reintegration:household_start", args=[adult.pk]), {"name": "H", "relationship": "head"})
    r = c.post(reverse("reintegration:household_member_add", args=[adult.pk]),
               {"reference": stranger.reference, "relationship": "sibling"})
    assert r.status_code == 400 and not HouseholdMember.objects.filter(case=stranger).exists()


def test_custody_milestones_and_the_pre_release_meeting_are_recorded_from_the_pages(dprrp) -> None:  # type: ignore[no-untyped-def]
    adult = returnee(dprrp, "Person", dt.date(1985, 1, 2), "m")
    c = _client(dprrp.coordinator)
    r = c.post(reverse("reintegration:phase_enter", args=[adult.pk]), {"phase": "repatriation",
                                                                       "started_on": "2026-10-01"})
    assert r.status_code == 302 and PhaseEntry.objects.filter(case=adult, phase="repatriation").exists()
    r = c.post(reverse("reintegration:custody_record", args=[adult.pk]),
               {"kind": "detained", "on": "2026-10-02", "detail": "Held on arrival."})
    assert r.status_code == 302
    # Release conditions are required when the release is set: the form says so and records nothing.
    r = c.post(reverse("reintegration:custody_record", args=[adult.pk]), {"kind": "release_set", "on": "2027-03-01"})
    assert r.status_code == 400 and "conditions" in r.context["form"].errors
    assert list(CustodyEvent.objects.filter(case=adult).values_list("kind", flat=True)) == ["detained"]

    prison, probation = dprrp.agencies[AgencyType.PRISON], dprrp.agencies[AgencyType.PROBATION]
    school = dprrp.agencies["school"]
    present = [prison.pk, probation.pk, dprrp.agencies["police"].pk, school.pk]
    # The school attends but is not offered the risk assessments; a forged choice is refused.
    form = c.get(reverse("reintegration:pre_release_record", args=[adult.pk])).context["form"]
    assert school not in form.fields["share_risk_with"].queryset
    r = c.post(reverse("reintegration:pre_release_record", args=[adult.pk]),
               {"on": "2027-02-01", "agencies": present, "share_risk_with": [school.pk], "legal_basis": "Law"})
    assert r.status_code == 400 and not Disclosure.objects.filter(case=adult).exists()
    r = c.post(reverse("reintegration:pre_release_record", args=[adult.pk]),
               {"on": "2027-02-01", "agencies": present, "share_risk_with": [probation.pk],
                "legal_basis": "Law on execution of sentences", "detail": "Release plan agreed."})
    assert r.status_code == 302
    assert set(Disclosure.objects.filter(case=adult).values_list("agency_id", flat=True)) == {probation.pk}
    assert AuditEvent.objects.filter(action="reintegration.custody.pre_release", case_id=adult.pk).count() == 1
    page = c.get(reverse("cases:detail", args=[adult.pk])).content.decode()
    assert "Pre-release planning meeting" in page


def test_only_those_the_policy_allows_get_the_forms(dprrp) -> None:  # type: ignore[no-untyped-def]
    adult = returnee(dprrp, "Person", dt.date(1985, 1, 2), "m")
    for name in ("household_start", "phase_enter", "custody_record", "pre_release_record"):
        url = reverse(f"reintegration:{name}", args=[adult.pk])
        assert _client(dprrp.analyst).get(url).status_code == 404  # cannot open the case at all
        assert _client(dprrp.coordinator).get(url).status_code == 200
    # No household yet: its forms do not exist.
    assert _client(dprrp.coordinator).get(
        reverse("reintegration:household_member_add", args=[adult.pk])).status_code == 404
    assert fresh(adult).stage == adult.stage


def test_at_release_the_case_is_offered_to_the_team_that_takes_over_and_moves_with_its_history(dprrp) -> None:  # type: ignore[no-untyped-def]
    adult = returnee(dprrp, "Person", dt.date(1985, 1, 2), "m")
    local = make_world("gjilan")
    c = _client(dprrp.coordinator)
    c.post(reverse("reintegration:custody_record", args=[adult.pk]), {"kind": "detained", "on": "2026-01-02"})
    # A handover chosen with another milestone is refused on the form.
    r = c.post(reverse("reintegration:custody_record", args=[adult.pk]),
               {"kind": "sentenced", "on": "2026-03-01", "to_mechanism": local.mechanism.pk})
    assert r.status_code == 400 and "to_mechanism" in r.context["form"].errors
    r = c.post(reverse("reintegration:custody_record", args=[adult.pk]),
               {"kind": "released", "on": "2026-11-20", "detail": "Reports to probation weekly.",
                "to_mechanism": local.mechanism.pk})
    assert r.status_code == 302
    handover = Handover.objects.get(case=adult)
    assert handover.household is None and fresh(adult).mechanism == dprrp.mechanism  # nothing moved yet

    lc = _client(local.coordinator)
    assert lc.get(reverse("cases:detail", args=[adult.pk])).status_code == 404
    assert adult.reference in lc.get(reverse("reintegration:handovers")).content.decode()
    r = lc.post(reverse("reintegration:handover", args=[handover.pk]), {"answer": "accept", "response": ""})
    assert r.status_code == 302
    moved = fresh(adult)
    assert moved.mechanism == local.mechanism and moved.coordinator == local.coordinator
    page = lc.get(reverse("cases:detail", args=[adult.pk]))
    assert page.status_code == 200 and "Released" in page.content.decode()  # the history came with it
    assert _client(dprrp.coordinator).get(reverse("cases:detail", args=[adult.pk])).status_code == 404


def test_a_school_is_told_why_custody_is_not_shown(dprrp) -> None:  # type: ignore[no-untyped-def]
    from tests.walk import screen_and_review
    from ura.governance import categories as cat
    from ura.governance import policy

    adult = screen_and_review(dprrp, returnee(dprrp, "Person", dt.date(1985, 1, 2), "m"))
    school_member = dprrp.panel[1]
    from tests.walk import decide

    decide(dprrp, adult, "adopt")  # on the agenda: the school's panel member now opens the case
    case = fresh(adult)
    assert policy.visible_categories(school_member, case)  # the case is open to them
    why = policy.explain(school_member, case, cat.CUSTODY)
    assert not why.allowed and "pre-release" in why.reason
