"""The case pages, as each persona uses them."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.walk import fresh, screen_and_review
from tests.world import World, make_world
from ura.cases.models import Case, InformationRequest, RequestStatus, TimelineEntry
from ura.cases.services import (
    case_transition,
    case_update,
    deconfliction_answer,
    deconfliction_request,
    information_request_create,
)
from ura.governance.models import AuditEvent
from ura.people.keys import name_query

SEALED = "Known to CT unit since March; informant in the family."


def referral_post(world: World, key: str = "0f9d3c1e2b6a4d5e8f7a6b5c4d3e2f1a", **overrides: str) -> dict:
    data = {
        "mechanism": str(world.mechanism.pk), "given_name": "Besa", "family_name": "Gashi", "father_name": "",
        "birth_date": "2009-02-03", "birth_date_precision": "day", "sex": "f", "place": "Gjilan",
        "concern_type": "right_wing", "source_sector": "education",
        "concern": "Draws extremist symbols in class and talks about attacking a mosque.",
        "indicators": ["material", "threats"], "submission_key": key,
    }
    data.update(overrides)
    return data


def screening(world: World) -> Case:
    return case_transition(case=world.refer(), transition="start_screening", actor=world.coordinator)


def audit_count(action: str, **kw: object) -> int:
    return AuditEvent.objects.filter(action=action, **kw).count()


# --- referral intake ---------------------------------------------------------------------------

def test_the_referral_form_hides_a_single_mechanism_and_shows_the_emergency_number(client, world: World) -> None:
    client.force_login(world.referrer)
    html = client.get(reverse("cases:refer")).content.decode()
    assert f'type="hidden" name="mechanism" value="{world.mechanism.pk}"' in html
    assert "112 / 192" in html
    assert 'name="submission_key"' in html
    assert '<option value="education" selected>' in html  # a teacher refers from education


def test_a_double_submitted_referral_creates_one_case(client, world: World) -> None:
    client.force_login(world.referrer)
    before = Case.objects.count()
    first = client.post(reverse("cases:refer"), referral_post(world))
    second = client.post(reverse("cases:refer"), referral_post(world))
    assert Case.objects.count() == before + 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]


def test_a_referral_keeps_what_the_person_and_the_concern_are(client, world: World) -> None:
    client.force_login(world.referrer)
    client.post(reverse("cases:refer"), referral_post(world))
    case = Case.objects.get(submission_key="0f9d3c1e2b6a4d5e8f7a6b5c4d3e2f1a")
    assert (case.person.given_name, case.person.birth_date) == ("Besa", dt.date(2009, 2, 3))
    assert case.indicators == ["material", "threats"]
    assert case.referred_by == world.referrer


def test_a_referral_with_missing_answers_is_shown_again_with_the_errors_and_the_text(client, world: World) -> None:
    client.force_login(world.referrer)
    response = client.post(reverse("cases:refer"), referral_post(world, given_name="", birth_date="2999-01-01"))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_given_name_error"' in html
    assert "talks about attacking a mosque" in html
    assert not Case.objects.filter(name_query("Gashi", prefix="person__")).exists()


def test_a_damaged_submission_key_is_a_form_error(client, world: World) -> None:
    client.force_login(world.referrer)
    response = client.post(reverse("cases:refer"), referral_post(world, key="<script>"))
    assert response.status_code == 400
    assert not Case.objects.filter(name_query("Gashi", prefix="person__")).exists()


def test_someone_outside_every_mechanism_cannot_refer(client, world: World) -> None:
    from tests.world import user

    client.force_login(user("stranger"))
    assert client.get(reverse("cases:refer")).status_code == 403


def test_a_referrer_sees_only_that_the_referral_was_received(client, world: World) -> None:
    client.force_login(world.referrer)
    response = client.post(reverse("cases:refer"), referral_post(world), follow=True)
    case = Case.objects.get(submission_key="0f9d3c1e2b6a4d5e8f7a6b5c4d3e2f1a")
    html = response.content.decode()
    assert f"Your referral was received, reference {case.reference}" in html
    assert "Besa" not in html
    assert "Referred" not in html  # no stage names


def test_a_receipt_is_for_its_referrer_only(client, world: World) -> None:
    case = world.refer()
    client.force_login(world.panel[1])
    assert client.get(reverse("cases:referral_received", args=[case.pk])).status_code == 404


def test_my_referrals_show_only_a_coarse_status(client, world: World) -> None:
    handled = screening(world)
    world.refer()
    client.force_login(world.referrer)
    html = client.get(reverse("cases:my_referrals")).content.decode()
    assert handled.reference in html
    assert html.count("data-status>being handled<") == 1
    assert html.count("data-status>received<") == 1
    assert "Screening" not in html
    assert "Arben" not in html


def test_a_referrer_cannot_open_the_case_page(client, world: World) -> None:
    case = world.refer()
    client.force_login(world.referrer)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


# --- who may open a case --------------------------------------------------------------------

def test_an_outsider_gets_the_same_404_as_for_a_missing_case(client, world: World, other: World) -> None:
    case = world.refer()
    client.force_login(other.coordinator)
    forbidden = client.get(reverse("cases:detail", args=[case.pk]))
    missing = client.get(reverse("cases:detail", args=[case.pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


def test_an_absurd_case_id_is_a_404(client, world: World) -> None:
    client.force_login(world.coordinator)
    assert client.get(f"/cases/{'9' * 30}/").status_code == 404


def test_an_outsider_cannot_move_a_case_of_another_mechanism(client, world: World, other: World) -> None:
    case = world.refer()
    client.force_login(other.coordinator)
    response = client.post(reverse("cases:transition", args=[case.pk, "start_screening"]),
                           {"start_screening-version": case.version})
    assert response.status_code == 404
    assert fresh(case).stage == "referred"


def test_the_case_page_writes_exactly_one_case_viewed_event(client, world: World) -> None:
    case = world.refer()
    client.force_login(world.coordinator)
    client.get(reverse("cases:detail", args=[case.pk]))
    assert audit_count("case.viewed", case_id=case.pk, actor=world.coordinator) == 1


def test_the_case_page_shows_the_stage_strip_with_the_current_stage_marked(client, world: World) -> None:
    case = screening(world)
    client.force_login(world.coordinator)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-stage="screening" aria-current="step"' in html
    assert html.count('aria-current="step"') == 1


def test_the_police_liaison_of_a_pseudonymised_mechanism_sees_no_name_on_the_case_page(client, db) -> None:
    w = make_world("passage4prevent")
    case = screening(w)
    deconfliction_request(case=case, actor=w.coordinator)
    client.force_login(w.police)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert case.reference in html
    assert case.person.given_name not in html


# --- transitions ---------------------------------------------------------------------------

def test_a_coordinator_moves_a_case_with_the_page_buttons(client, world: World) -> None:
    case = world.refer()
    client.force_login(world.coordinator)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:transition", args=[case.pk, "start_screening"]) in html
    response = client.post(reverse("cases:transition", args=[case.pk, "start_screening"]),
                           {"start_screening-version": case.version}, follow=True)
    assert response.status_code == 200
    assert fresh(case).stage == "screening"
    assert fresh(case).coordinator == world.coordinator


def test_a_refused_transition_shows_a_message_not_a_server_error(client, world: World) -> None:
    case = screening(world)
    client.force_login(world.coordinator)
    response = client.post(reverse("cases:transition", args=[case.pk, "accept"]), {"accept-version": case.version})
    assert response.status_code == 400
    assert "deconfliction answer has not arrived" in response.content.decode()
    assert fresh(case).stage == "screening"


def test_a_step_that_needs_a_reason_keeps_the_form_and_asks_for_it(client, world: World) -> None:
    case = screening(world)
    client.force_login(world.coordinator)
    response = client.post(reverse("cases:transition", args=[case.pk, "signpost"]),
                           {"signpost-version": case.version, "signpost-reason": "  "})
    assert response.status_code == 400
    assert 'aria-describedby="id_signpost-reason_error"' in response.content.decode()
    client.post(reverse("cases:transition", args=[case.pk, "signpost"]),
                {"signpost-version": case.version, "signpost-reason": "Youth counselling centre"})
    assert fresh(case).signposted_to == "Youth counselling centre"


def test_a_transition_from_a_stale_page_is_a_conflict_that_keeps_the_reason(client, world: World) -> None:
    case = screening(world)
    stale = case.version
    case_update(case=case, actor=world.coordinator, expected_version=stale, changes={"summary": "New facts."})
    client.force_login(world.coordinator)
    response = client.post(reverse("cases:transition", args=[case.pk, "screen_out"]),
                           {"screen_out-version": stale, "screen_out-reason": "Not a P/CVE concern"})
    assert response.status_code == 409
    assert "Not a P/CVE concern" in response.content.decode()
    assert fresh(case).stage == "screening"


def test_an_unknown_step_is_refused_with_a_message(client, world: World) -> None:
    case = world.refer()
    client.force_login(world.coordinator)
    response = client.post(reverse("cases:transition", args=[case.pk, "teleport"]), {"teleport-version": 1})
    assert response.status_code == 400
    assert fresh(case).stage == "referred"


def test_a_damaged_transition_form_is_refused_with_a_message(client, world: World) -> None:
    case = world.refer()
    client.force_login(world.coordinator)
    response = client.post(reverse("cases:transition", args=[case.pk, "start_screening"]),
                           {"start_screening-version": "x"})
    assert response.status_code == 400
    assert fresh(case).stage == "referred"


def test_a_panel_member_gets_no_buttons_and_a_refusal_if_they_post_anyway(client, world: World) -> None:
    case = screen_and_review(world, world.refer())  # the social-services member answered a request
    ask(world, case, agency="social")  # and is asked again, so may open the case
    member = world.panel[2]
    client.force_login(member)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "/transition/" not in html
    response = client.post(reverse("cases:transition", args=[case.pk, "refer_onward"]),
                           {"refer_onward-version": case.version, "refer_onward-reason": "x"})
    assert response.status_code == 403
    assert fresh(case).stage == "case_review"


def test_a_get_on_a_transition_changes_nothing_and_shows_the_case(client, world: World) -> None:
    case = world.refer()
    client.force_login(world.coordinator)
    response = client.get(reverse("cases:transition", args=[case.pk, "start_screening"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert fresh(case).stage == "referred"


# --- screening: police deconfliction --------------------------------------------------------

def test_a_coordinator_asks_the_police_from_the_case_page(client, world: World) -> None:
    case = screening(world)
    client.force_login(world.coordinator)
    response = client.post(reverse("cases:deconfliction_request", args=[case.pk]), follow=True)
    assert case.deconflictions.count() == 1
    assert "awaiting the police answer" in response.content.decode()
    again = client.post(reverse("cases:deconfliction_request", args=[case.pk]), follow=True)
    assert "already been asked" in again.content.decode()
    assert case.deconflictions.count() == 1


def test_the_sealed_police_note_never_reaches_the_coordinators_page(client, world: World) -> None:
    case = screening(world)
    d = deconfliction_request(case=case, actor=world.coordinator)
    deconfliction_answer(deconfliction=d, actor=world.police, answer="pause", police_note=SEALED)
    client.force_login(world.coordinator)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Pause" in html
    assert SEALED not in html


def test_the_police_liaison_reads_the_sealed_note_on_the_case_page(client, world: World) -> None:
    case = screening(world)
    d = deconfliction_request(case=case, actor=world.coordinator)
    deconfliction_answer(deconfliction=d, actor=world.police, answer="pause", police_note=SEALED)
    client.force_login(world.police)
    assert SEALED in client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_the_police_answer_a_check_from_their_queue(client, world: World) -> None:
    case = screening(world)
    d = deconfliction_request(case=case, actor=world.coordinator)
    client.force_login(world.police)
    html = client.get(reverse("cases:deconfliction_queue")).content.decode()
    assert case.reference in html and case.person.given_name in html
    response = client.post(reverse("cases:deconfliction_answer", args=[d.pk]),
                           {f"d{d.pk}-answer": "proceed", f"d{d.pk}-police_note": SEALED})
    assert response.status_code == 302
    d.refresh_from_db()
    assert (d.answer, d.police_note, d.answered_by) == ("proceed", SEALED, world.police)
    assert f'data-deconfliction="{d.pk}"' not in client.get(reverse("cases:deconfliction_queue")).content.decode()


def test_the_deconfliction_queue_view_is_audited(client, world: World) -> None:
    case = screening(world)
    deconfliction_request(case=case, actor=world.coordinator)
    client.force_login(world.police)
    client.get(reverse("cases:deconfliction_queue"))
    event = AuditEvent.objects.get(action="deconfliction.queue_viewed", actor=world.police)
    assert event.data["cases"] == [case.pk]


def test_a_pseudonymised_mechanism_shows_the_police_the_reference_only(client, db) -> None:
    w = make_world("passage4prevent")
    case = screening(w)
    deconfliction_request(case=case, actor=w.coordinator)
    client.force_login(w.police)
    html = client.get(reverse("cases:deconfliction_queue")).content.decode()
    assert case.reference in html
    assert case.person.given_name not in html
    assert case.person.family_name not in html


def test_an_answer_without_a_choice_is_shown_again_with_the_note_kept(client, world: World) -> None:
    case = screening(world)
    d = deconfliction_request(case=case, actor=world.coordinator)
    client.force_login(world.police)
    response = client.post(reverse("cases:deconfliction_answer", args=[d.pk]),
                           {f"d{d.pk}-answer": "maybe", f"d{d.pk}-police_note": SEALED})
    assert response.status_code == 400
    assert SEALED in response.content.decode()
    d.refresh_from_db()
    assert d.answer == ""


def test_the_police_of_another_mechanism_cannot_answer(client, world: World, other: World) -> None:
    case = screening(world)
    d = deconfliction_request(case=case, actor=world.coordinator)
    client.force_login(other.police)
    assert case.reference not in client.get(reverse("cases:deconfliction_queue")).content.decode()
    response = client.post(reverse("cases:deconfliction_answer", args=[d.pk]), {f"d{d.pk}-answer": "proceed"})
    assert response.status_code == 404


def test_a_coordinator_has_no_deconfliction_queue(client, world: World) -> None:
    client.force_login(world.coordinator)
    assert client.get(reverse("cases:deconfliction_queue")).status_code == 403


# --- case review: information requests ------------------------------------------------------

def in_review(world: World) -> Case:
    case = screening(world)
    d = deconfliction_request(case=case, actor=world.coordinator)
    deconfliction_answer(deconfliction=d, actor=world.police, answer="proceed")
    return case_transition(case=fresh(case), transition="accept", actor=world.coordinator)


def ask(world: World, case: Case, agency: str = "health") -> InformationRequest:
    return information_request_create(case=case, actor=world.coordinator, to_agency=world.agencies[agency],
                                      question="Has the person been treated for anxiety?",
                                      purpose="needs assessment", legal_basis="Law on health care, art. 5",
                                      due_on=timezone.localdate() + dt.timedelta(days=5))


def request_post(world: World, **overrides: str) -> dict:
    data = {"ir-to_agency": str(world.agencies["social"].pk), "ir-question": "Is the family known to you?",
            "ir-purpose": "needs assessment", "ir-legal_basis": "Law on social protection, art. 12",
            "ir-due_on": (timezone.localdate() + dt.timedelta(days=7)).isoformat()}
    data.update(overrides)
    return data


def test_a_coordinator_sends_an_information_request_from_the_case_page(client, world: World) -> None:
    case = in_review(world)
    client.force_login(world.coordinator)
    response = client.post(reverse("cases:request_create", args=[case.pk]), request_post(world))
    assert response.status_code == 302
    r = case.information_requests.get()
    assert (r.to_agency, r.legal_basis) == (world.agencies["social"], "Law on social protection, art. 12")


def test_an_information_request_due_in_the_past_is_a_form_error_that_keeps_the_text(client, world: World) -> None:
    case = in_review(world)
    client.force_login(world.coordinator)
    response = client.post(reverse("cases:request_create", args=[case.pk]),
                           request_post(world, **{"ir-due_on": "2001-01-01"}))
    assert response.status_code == 400
    assert "Is the family known to you?" in response.content.decode()
    assert not case.information_requests.exists()


def test_an_agency_of_another_mechanism_cannot_be_asked(client, world: World, other: World) -> None:
    case = in_review(world)
    client.force_login(world.coordinator)
    response = client.post(reverse("cases:request_create", args=[case.pk]),
                           request_post(world, **{"ir-to_agency": str(other.agencies["social"].pk)}))
    assert response.status_code == 400
    assert not case.information_requests.exists()


def test_the_answering_agency_sees_the_request_in_its_inbox(client, world: World) -> None:
    case = in_review(world)
    r = ask(world, case)
    client.force_login(world.panel[3])  # the doctor, member for the health centre
    html = client.get(reverse("cases:request_inbox")).content.decode()
    assert reverse("cases:request_answer", args=[r.pk]) in html
    assert case.reference in html


def test_the_answering_agency_reads_the_question_and_the_read_is_audited(client, world: World) -> None:
    case = in_review(world)
    r = ask(world, case)
    client.force_login(world.panel[3])
    html = client.get(reverse("cases:request_answer", args=[r.pk])).content.decode()
    for text in ("Has the person been treated for anxiety?", "needs assessment", "Law on health care, art. 5",
                 case.reference, case.person.given_name):
        assert text in html
    assert audit_count("case.inforequest.viewed", case_id=case.pk, actor=world.panel[3]) == 1


def test_the_answering_agency_answers_once(client, world: World) -> None:
    case = in_review(world)
    r = ask(world, case)
    client.force_login(world.panel[3])
    url = reverse("cases:request_answer", args=[r.pk])
    assert client.post(url, {"answer": "Seen twice in 2023 for anxiety."}).status_code == 302
    r.refresh_from_db()
    assert (r.status, r.answered_by) == (RequestStatus.ANSWERED, world.panel[3])
    again = client.post(url, {"answer": "Something else."})
    assert again.status_code == 400
    r.refresh_from_db()
    assert r.answer == "Seen twice in 2023 for anxiety."


def test_an_answer_must_be_an_answer_or_a_refusal_not_both(client, world: World) -> None:
    r = ask(world, in_review(world))
    client.force_login(world.panel[3])
    response = client.post(reverse("cases:request_answer", args=[r.pk]), {"answer": "Yes", "refusal_reason": "No"})
    assert response.status_code == 400
    r.refresh_from_db()
    assert r.status == RequestStatus.OPEN


def test_another_agency_cannot_open_a_request_not_addressed_to_it(client, world: World) -> None:
    r = ask(world, in_review(world))
    client.force_login(world.panel[2])  # social services, not health
    assert client.get(reverse("cases:request_answer", args=[r.pk])).status_code == 404


def test_the_pseudonymised_police_answer_a_request_without_seeing_the_name(client, db) -> None:
    w = make_world("passage4prevent")
    case = in_review(w)
    r = ask(w, case, agency="police")
    client.force_login(w.police)
    html = client.get(reverse("cases:request_answer", args=[r.pk])).content.decode()
    assert case.reference in html
    assert case.person.given_name not in html


# --- the timeline ----------------------------------------------------------------------------

def test_the_timeline_tells_what_happened_newest_first(client, world: World) -> None:
    case = in_review(world)
    client.force_login(world.coordinator)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    accepted = html.index("Accept for case review")
    received = html.index("The referral was received.")
    assert html.index('data-kind="transition"') < received
    assert accepted < received
    assert "The police answered the deconfliction check: Proceed." in html


def test_the_timeline_hides_entries_of_categories_the_user_may_not_see(client, world: World) -> None:
    case = screening(world)
    deconfliction_request(case=case, actor=world.coordinator)
    case_update(case=fresh(case), actor=world.coordinator, expected_version=fresh(case).version,
                changes={"needs_summary": "Needs a mentor."})
    client.force_login(world.police)  # sees identity, referral and police; not needs
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-kind="edited"' not in html
    assert "Needs a mentor." not in html
    assert 'data-kind="deconfliction_requested"' in html


# --- editing, and the conflict of two editors ------------------------------------------------

def edit_post(version: int, **fields: str) -> dict:
    data = {"version": str(version), "summary": "", "needs_summary": "", "risk_summary": "",
            "concern_type": "religious", "track": "prevention"}
    data.update(fields)
    return data


def test_a_coordinator_edits_the_summaries(client, world: World) -> None:
    case = world.refer()
    client.force_login(world.coordinator)
    response = client.post(reverse("cases:edit", args=[case.pk]), edit_post(case.version, summary="Seen at school."))
    assert response.status_code == 302
    assert fresh(case).summary == "Seen at school."


def test_the_second_of_two_editors_gets_a_conflict_with_their_text_kept(client, world: World) -> None:
    from tests.world import user
    from ura.mechanisms.models import Role
    from ura.mechanisms.services import membership_grant

    second = user("coord2-" + world.mechanism.slug)
    membership_grant(actor=None, user=second, mechanism=world.mechanism, agency=world.agencies["municipality"],
                     role=Role.COORDINATOR)
    case = world.refer()
    url = reverse("cases:edit", args=[case.pk])
    client.force_login(world.coordinator)
    assert f'name="version" value="{case.version}"' in client.get(url).content.decode()
    from django.test import Client

    other_client = Client()
    other_client.force_login(second)
    assert f'name="version" value="{case.version}"' in other_client.get(url).content.decode()

    first = client.post(url, edit_post(case.version, summary="First save: mother called the school."))
    second_response = other_client.post(url, edit_post(case.version, summary="Second: brother in Syria."))

    assert first.status_code == 302
    assert second_response.status_code == 409
    html = second_response.content.decode()
    assert "Second: brother in Syria." in html  # the user's own text, kept
    assert "First save: mother called the school." in html  # what is stored now
    assert f'name="version" value="{fresh(case).version}"' in html
    assert fresh(case).summary == "First save: mother called the school."


def test_someone_who_may_read_but_not_edit_gets_403_on_the_edit_page(client, world: World) -> None:
    case = screening(world)
    deconfliction_request(case=case, actor=world.coordinator)
    client.force_login(world.police)
    assert client.get(reverse("cases:edit", args=[case.pk])).status_code == 403


def test_an_edit_with_an_unknown_track_is_a_form_error(client, world: World) -> None:
    case = world.refer()
    client.force_login(world.coordinator)
    response = client.post(reverse("cases:edit", args=[case.pk]),
                           edit_post(case.version, track="reintegration", summary="Kept."))
    assert response.status_code == 400  # Gjilan has the prevention track only
    assert "Kept." in response.content.decode()


# --- a new episode ---------------------------------------------------------------------------

def test_an_ended_case_can_be_referred_again_once_from_its_page(client, world: World) -> None:
    case = screening(world)
    case = case_transition(case=case, transition="screen_out", actor=world.coordinator, reason="Not P/CVE")
    client.force_login(world.coordinator)
    assert "Refer again (new episode)" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    data = {"source_sector": "family", "concern_type": "religious", "concern": "Mother worried again.",
            "submission_key": "a1b2c3d4e5f60718293a4b5c6d7e8f90"}
    first = client.post(reverse("cases:rerefer", args=[case.pk]), data)
    second = client.post(reverse("cases:rerefer", args=[case.pk]), data)
    again = Case.objects.get(previous=case)
    assert first["Location"] == second["Location"] == reverse("cases:detail", args=[again.pk])
    html = client.get(reverse("cases:detail", args=[again.pk])).content.decode()
    assert f"Previous episode: {case.reference}" in html


# --- the case list ---------------------------------------------------------------------------

def test_the_case_list_shows_a_coordinator_the_cases_of_the_mechanism(client, world: World, other: World) -> None:
    mine, theirs = world.refer(), other.refer()
    client.force_login(world.coordinator)
    html = client.get(reverse("cases:list")).content.decode()
    assert mine.reference in html and mine.person.full_name in html
    assert theirs.reference not in html


def test_the_case_list_filters_by_stage_and_reference(client, world: World) -> None:
    screened, fresh_referral = screening(world), world.refer()
    client.force_login(world.coordinator)
    html = client.get(reverse("cases:list"), {"stage": "screening"}).content.decode()
    assert screened.reference in html and fresh_referral.reference not in html
    html = client.get(reverse("cases:list"), {"q": fresh_referral.reference[-4:]}).content.decode()
    assert fresh_referral.reference in html and screened.reference not in html


def test_the_case_list_answers_htmx_with_the_results_only(client, world: World) -> None:
    case = world.refer()
    client.force_login(world.coordinator)
    response = client.get(reverse("cases:list"), {"year": str(case.referred_on.year)}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.startswith('<div id="case-results"')
    assert case.reference in html
    assert "<html" not in html


def test_bad_filters_are_ignored_and_shown(client, world: World) -> None:
    case = world.refer()
    client.force_login(world.coordinator)
    response = client.get(reverse("cases:list"), {"stage": "limbo", "year": "abc", "page": "-3"})
    assert response.status_code == 200
    assert case.reference in response.content.decode()


def test_each_view_of_the_case_list_is_audited(client, world: World) -> None:
    case = world.refer()
    client.force_login(world.coordinator)
    client.get(reverse("cases:list"))
    event = AuditEvent.objects.get(action="case.list_viewed", actor=world.coordinator)
    assert event.data["cases"] == [case.pk]


def test_a_referrer_has_no_case_list(client, world: World) -> None:
    client.force_login(world.referrer)
    assert client.get(reverse("cases:list")).status_code == 403


def test_the_case_list_is_paginated_by_fifty(client, world: World) -> None:
    for _ in range(51):
        world.refer()
    client.force_login(world.coordinator)
    first = client.get(reverse("cases:list")).content.decode()
    second = client.get(reverse("cases:list"), {"page": "2"}).content.decode()
    assert first.count('href="/cases/') - first.count('href="/cases/refer') >= 50
    assert "Page 2 of 2" in second


# --- query counts ----------------------------------------------------------------------------

def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_case_list_query_count_does_not_grow_with_the_number_of_cases(client, world: World) -> None:
    for _ in range(3):
        case = world.refer()
    case_transition(case=case, transition="start_screening", actor=world.coordinator)
    client.force_login(world.coordinator)
    few = _queries(client, reverse("cases:list"))
    for _ in range(17):
        case = world.refer()
    case_transition(case=case, transition="start_screening", actor=world.coordinator)
    assert _queries(client, reverse("cases:list")) == few


def test_the_case_page_query_count_does_not_grow_with_the_timeline(client, world: World) -> None:
    case = in_review(world)
    ask(world, case)
    client.force_login(world.coordinator)
    url = reverse("cases:detail", args=[case.pk])
    few = _queries(client, url)
    for n in range(20):
        TimelineEntry.objects.create(case=case, actor=world.coordinator, kind="edited", category="needs_plan",
                                     data={"fields": ["summary"], "n": n})
    ask(world, case, agency="social")
    assert _queries(client, url) == few
