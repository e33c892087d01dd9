"""The Person X scenario (DESIGN.md §2, R&R track): return, custody, assessments by discipline,
family programme and individual plans, handover to the municipal team, pre-release meeting,
release and post-release plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.reintegration_world import PersonX, person_x
from ura.assessments.selectors import visible_assessments
from ura.cases.models import Case, TimelineEntry
from ura.errors import NotAllowed, ServiceError
from ura.governance import categories as cat
from ura.governance import policy
from ura.governance.models import AuditEvent
from ura.mechanisms.models import AgencyType
from ura.panels import services as panels
from ura.reintegration import services as rr
from ura.reintegration.models import CustodyKind, HandoverStatus, Phase


@pytest.fixture
def px(db) -> PersonX:  # type: ignore[no-untyped-def]
    return person_x()


def _pre_release(px: PersonX) -> None:
    a = px.local.agencies
    rr.pre_release_meeting_record(
        actor=px.local.coordinator, case=px.adult, on=timezone.localdate(),
        agencies=[a[AgencyType.PRISON], a[AgencyType.PROBATION], a["police"], a["social"], a["cso"], a["school"]],
        share_risk_with=[a[AgencyType.PROBATION]], detail="Release plan agreed.",
        legal_basis="Law on execution of criminal sanctions")


def test_the_household_links_each_members_own_case(px: PersonX) -> None:
    cases = {m.case_id for m in px.household.members.all()}
    assert cases == {px.adult.pk, px.wife.pk, px.child.pk}
    assert px.child.household_member.guardian.case == px.wife


def test_the_adults_case_follows_the_custody_milestones(px: PersonX) -> None:
    kinds = list(px.adult.custody_events.values_list("kind", flat=True))
    assert kinds == ["detained", "trial", "sentenced", "prison_programme", "prison_visit"]


def test_wife_and_child_are_assessed_by_discipline(px: PersonX) -> None:
    for case in (px.wife, px.child):
        codes = set(case.assessments.values_list("instrument__code", flat=True))
        assert codes == {"ura-rr-socioeconomic", "ura-rr-ideological"}


def test_the_family_gets_a_programme_and_each_member_an_individual_plan(px: PersonX) -> None:
    assert "family-counselling" in px.household.programme_elements
    assert set(px.child.interventions.values_list("type__code", flat=True)) == {"school-registration",
                                                                               "catch-up-learning"}
    assert set(px.wife.interventions.values_list("type__code", flat=True)) == {"parenting-workshop",
                                                                              "vocational-training"}


def test_the_handover_moves_cases_and_persons_to_the_local_team(px: PersonX) -> None:
    for case in (px.adult, px.wife, px.child):
        assert case.mechanism == px.local.mechanism and case.person.mechanism == px.local.mechanism
    assert px.household.mechanism == px.local.mechanism


def test_the_handover_changes_who_sees_the_cases(px: PersonX) -> None:
    assert policy.can_view_case(px.local.coordinator, Case.objects.get(pk=px.wife.pk))
    assert not policy.can_view_case(px.central.coordinator, Case.objects.get(pk=px.wife.pk))


def test_the_history_stays_with_the_case(px: PersonX) -> None:
    kinds = set(TimelineEntry.objects.filter(case=px.adult).values_list("kind", flat=True))
    assert {"referred", "custody", "handover_proposed", "handover_accepted"} <= kinds
    assert px.adult.rr_phases.filter(phase=Phase.REPATRIATION).exists()


def test_the_handover_is_audited_on_both_sides(px: PersonX) -> None:
    mechanisms = set(AuditEvent.objects.filter(action="reintegration.handover.accepted")
                     .values_list("mechanism_id", flat=True))
    assert mechanisms == {px.central.mechanism.pk, px.local.mechanism.pk}


def test_the_receiving_team_may_ask_for_more_first(db) -> None:  # type: ignore[no-untyped-def]
    px = person_x(handed_over=False)
    h = rr.handover_propose(actor=px.central.coordinator, household=px.household, to_mechanism=px.local.mechanism,
                            note="Please take over.")
    h = rr.handover_respond(actor=px.local.coordinator, handover=h, accept=False, response="Send the medical file.")
    assert h.status == HandoverStatus.MORE_ASKED
    assert Case.objects.get(pk=px.wife.pk).mechanism == px.central.mechanism


def test_only_the_receiving_team_answers_a_handover(db) -> None:  # type: ignore[no-untyped-def]
    px = person_x(handed_over=False)
    h = rr.handover_propose(actor=px.central.coordinator, household=px.household, to_mechanism=px.local.mechanism,
                            note="Please take over.")
    with pytest.raises(NotAllowed):
        rr.handover_respond(actor=px.central.coordinator, handover=h, accept=True)


def test_the_pre_release_meeting_shares_the_police_risk_assessment_with_probation(px: PersonX) -> None:
    _pre_release(px)
    adult = Case.objects.get(pk=px.adult.pk)
    assert {cat.RISK, cat.CUSTODY} <= policy.visible_categories(px.probation, adult)
    assert [a.instrument.code for a in visible_assessments(px.probation, adult)] == ["ura-rr-security"]


def test_the_pre_release_meeting_does_not_share_it_with_the_school(px: PersonX) -> None:
    _pre_release(px)
    school = px.local.panel[1]
    assert cat.RISK not in policy.visible_categories(school, Case.objects.get(pk=px.adult.pk))


def test_risk_assessments_never_go_to_the_school(px: PersonX) -> None:
    a = px.local.agencies
    with pytest.raises(ServiceError):
        rr.pre_release_meeting_record(actor=px.local.coordinator, case=px.adult, on=timezone.localdate(),
                                      agencies=[a["school"]], share_risk_with=[a["school"]], legal_basis="None")


def test_release_and_the_post_release_plan_are_recorded(px: PersonX) -> None:
    _pre_release(px)
    c = px.local.coordinator
    rr.custody_record(actor=c, case=px.adult, kind=CustodyKind.RELEASE_SET, on=timezone.localdate(),
                      conditions="Report to probation weekly; no contact with named persons.")
    rr.custody_record(actor=c, case=px.adult, kind=CustodyKind.RELEASED, on=timezone.localdate())
    rr.custody_record(actor=c, case=px.adult, kind=CustodyKind.POST_RELEASE, on=timezone.localdate(),
                      detail="Mentoring, vocational training, family counselling.")
    assert list(px.adult.custody_events.values_list("kind", flat=True))[-4:] == [
        "pre_release", "release_set", "released", "post_release"]


def test_a_release_date_needs_its_conditions(px: PersonX) -> None:
    with pytest.raises(ServiceError):
        rr.custody_record(actor=px.local.coordinator, case=px.adult, kind=CustodyKind.RELEASE_SET,
                          on=timezone.localdate())


def test_probation_reads_custody_of_a_case_on_its_agenda_but_a_school_does_not(px: PersonX) -> None:
    meeting = panels.meeting_create(actor=px.local.coordinator, mechanism=px.local.mechanism,
                                    starts_at=timezone.now() + dt.timedelta(days=1))
    panels.agenda_add(actor=px.local.coordinator, meeting=meeting, case=px.adult)
    adult = Case.objects.get(pk=px.adult.pk)
    assert cat.CUSTODY in policy.visible_categories(px.probation, adult)
    assert cat.CUSTODY not in policy.visible_categories(px.local.panel[1], adult)


def test_the_provider_cannot_record_custody(px: PersonX) -> None:
    with pytest.raises(NotAllowed):
        rr.custody_record(actor=px.local.provider, case=px.adult, kind=CustodyKind.RELEASED,
                          on=timezone.localdate())
