"""The data-protection officer's tools: who accessed a person's file, the access review, and the
subject-access export (JSON and PDF); none of them for anyone but the DPO."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.walk import decide, screen_and_review, start_support
from tests.world import World
from ura.cases.models import Case
from ura.governance import dpo
from ura.governance.audit import audit_record
from ura.governance.models import AccessReviewMark, AuditEvent, LegalHold
from ura.governance.services import breakglass_open


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _supported(w: World) -> Case:
    case = screen_and_review(w, w.refer())
    decide(w, case, "adopt")
    return start_support(w, case)


def _table(html: str) -> str:
    return html[html.index('<table class="accesses'):html.index("</table>")]


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 10)))


def _read_at(monkeypatch: pytest.MonkeyPatch, when: dt.datetime, **kw: Any) -> None:
    """An audit event of a read, written as if at ``when``."""
    monkeypatch.setattr("ura.governance.audit.timezone.now", lambda: when)
    audit_record(action="case.viewed", **kw)
    monkeypatch.undo()


# --- who accessed the file ---------------------------------------------------------------------------------

def test_who_accessed_names_agency_role_action_and_purpose_in_plain_words(world: World) -> None:
    case = world.refer()
    _client(world.coordinator).get(reverse("cases:detail", args=[case.pk]))
    html = _client(world.dpo).get(reverse("governance:dpo_accesses", args=[case.pk])).content.decode()
    table = _table(html)
    assert "Secondary school" in table and "Referrer" in table and "Referred the person" in table
    assert "Municipality" in table and "Coordinator" in table and "Read the file" in table
    assert "Running the case" in table


def test_who_accessed_does_not_name_individual_staff(world: World) -> None:
    case = world.refer()
    _client(world.coordinator).get(reverse("cases:detail", args=[case.pk]))
    table = _table(_client(world.dpo).get(reverse("governance:dpo_accesses", args=[case.pk])).content.decode())
    assert "Tester" not in table and world.coordinator.username not in table


def test_emergency_access_is_shown_as_such(world: World) -> None:
    case = world.refer()
    breakglass_open(actor=world.panel[1], reference=case.reference, reason="A threat was made at school today.")
    _client(world.panel[1]).get(reverse("cases:detail", args=[case.pk]))
    lines = dpo.accesses_of(case)
    assert any(line.emergency and line.purpose == "Emergency access" and line.action == "Read the file"
               for line in lines)


def test_who_accessed_covers_every_episode_of_the_person(world: World) -> None:
    from ura.cases.services import case_rerefer, case_transition

    first = case_transition(case=world.refer(), transition="start_screening", actor=world.coordinator)
    first = case_transition(case=first, transition="screen_out", actor=world.coordinator, reason="not P/CVE")
    first = case_transition(case=first, transition="close_ended", actor=world.coordinator)
    second = case_rerefer(actor=world.coordinator, previous=first, submission_key="again",
                          referral={"source_sector": "family", "concern_type": "religious", "concern": "Again."})
    assert {line.case for line in dpo.accesses_of(second)} == {first.reference, second.reference}


def test_opening_who_accessed_is_itself_recorded(world: World) -> None:
    case = world.refer()
    _client(world.dpo).get(reverse("governance:dpo_accesses", args=[case.pk]))
    assert AuditEvent.objects.filter(action="dpo.accesses_viewed", case_id=case.pk, actor=world.dpo).count() == 1


# --- the access review ---------------------------------------------------------------------------------------

def test_emergency_access_is_flagged(world: World) -> None:
    case = world.refer()
    breakglass_open(actor=world.panel[1], reference=case.reference, reason="A threat was made at school today.")
    _client(world.panel[1]).get(reverse("cases:detail", args=[case.pk]))
    flags = dpo.access_flags(world.dpo)
    assert [(f.rule, f.user, f.cases) for f in flags] == [("breakglass", world.panel[1], [case.reference])]


def test_reads_outside_office_hours_are_flagged(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    case = world.refer()
    wednesday = dt.date(2026, 11, 25)
    _read_at(monkeypatch, _at(wednesday, 23), actor=world.coordinator, obj=case)
    _read_at(monkeypatch, _at(wednesday, 10), actor=world.coordinator, obj=case)
    flags = dpo.access_flags(world.dpo, now=_at(wednesday, 23) + dt.timedelta(hours=1))
    assert [(f.rule, f.reads, f.day) for f in flags] == [("after_hours", 1, wednesday)]


def test_weekend_reads_are_flagged(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    case = world.refer()
    saturday = dt.date(2026, 11, 21)
    _read_at(monkeypatch, _at(saturday, 11), actor=world.coordinator, obj=case)
    assert [f.rule for f in dpo.access_flags(world.dpo, now=_at(saturday, 12))] == ["after_hours"]


def test_many_cases_read_in_one_day_are_flagged(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    day = dt.date(2026, 11, 25)
    cases = [world.refer() for _ in range(dpo.MANY_READS + 1)]
    for case in cases[:-1]:
        _read_at(monkeypatch, _at(day, 10), actor=world.coordinator, obj=case)
    assert not dpo.access_flags(world.dpo, now=_at(day, 12))
    _read_at(monkeypatch, _at(day, 11), actor=world.coordinator, obj=cases[-1])
    flags = dpo.access_flags(world.dpo, now=_at(day, 12))
    assert [(f.rule, len(f.cases)) for f in flags] == [("many_reads", dpo.MANY_READS + 1)]


def test_a_read_by_an_agency_with_no_task_on_the_case_is_flagged(world: World,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    case = world.refer()  # referred by the school; nothing asked of social services
    day = dt.date(2026, 11, 25)
    _read_at(monkeypatch, _at(day, 10), actor=world.panel[2], obj=case)  # social services
    _read_at(monkeypatch, _at(day, 10), actor=world.panel[1], obj=case)  # the school referred it
    _read_at(monkeypatch, _at(day, 10), actor=world.coordinator, obj=case)  # runs every case
    flags = dpo.access_flags(world.dpo, now=_at(day, 12))
    assert [(f.rule, f.user) for f in flags] == [("no_task", world.panel[2])]


def test_an_information_request_is_a_task(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    case = screen_and_review(world, world.refer())  # social services were asked
    day = dt.date(2026, 11, 25)
    _read_at(monkeypatch, _at(day, 10), actor=world.panel[2], obj=case)
    assert not dpo.access_flags(world.dpo, now=_at(day, 12))


def test_the_dpo_marks_a_flag_reviewed_with_a_note(world: World) -> None:
    case = world.refer()
    breakglass_open(actor=world.panel[1], reference=case.reference, reason="A threat was made at school today.")
    _client(world.panel[1]).get(reverse("cases:detail", args=[case.pk]))
    flag = dpo.access_flags(world.dpo)[0]
    response = _client(world.dpo).post(reverse("governance:access_review_mark"),
                                       {"flag": flag.key, "note": "Spoke with the teacher; justified."})
    assert response.status_code == 302
    assert dpo.access_flags(world.dpo)[0].mark.note == "Spoke with the teacher; justified."
    assert AuditEvent.objects.filter(action="dpo.access_review_marked", data__flag=flag.key).count() == 1


def test_a_mark_needs_a_note_and_a_real_flag(world: World) -> None:
    client = _client(world.dpo)
    assert client.post(reverse("governance:access_review_mark"),
                       {"flag": "after_hours:1:2:2026-11-25", "note": ""}).status_code == 400
    assert client.post(reverse("governance:access_review_mark"),
                       {"flag": "made-up", "note": "x"}).status_code == 400
    assert not AccessReviewMark.objects.exists()


def test_the_dpo_of_another_mechanism_cannot_mark_its_flags(world: World, other: World) -> None:
    response = _client(other.dpo).post(reverse("governance:access_review_mark"),
                                       {"flag": f"after_hours:{world.mechanism.pk}:1:2026-11-25", "note": "x"})
    assert response.status_code == 400
    assert not AccessReviewMark.objects.exists()


def test_the_access_review_page_lists_flags_unreviewed_first(world: World) -> None:
    case = world.refer()
    breakglass_open(actor=world.panel[1], reference=case.reference, reason="A threat was made at school today.")
    _client(world.panel[1]).get(reverse("cases:detail", args=[case.pk]))
    html = _client(world.dpo).get(reverse("governance:access_review")).content.decode()
    assert 'data-rule="breakglass"' in html and 'data-reviewed="no"' in html
    assert _client(world.dpo).get(reverse("governance:access_review"), {"days": "abc"}).status_code == 400


# --- the subject-access export ---------------------------------------------------------------------------

def test_the_json_export_holds_the_persons_whole_record(world: World) -> None:
    case = _supported(world)
    response = _client(world.dpo).get(reverse("governance:dpo_export_json", args=[case.pk]))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    record = json.loads(response.content)
    person = Case.objects.get(pk=case.pk).person
    assert record["person"]["given_name"] == dpo.value(person, "given_name")
    [c] = record["cases"]
    assert c["reference"] == case.reference and c["concern"] == "Shares videos praising violence with classmates."
    assert c["information_requests"][0]["answer"] == "Known since 2021; supportive mother."
    assert c["interventions"][0]["sessions"][0]["progress"] == "Talked about football and school."
    assert c["panel_decisions"][0]["reasons"] == "Discussed; see minutes."
    assert record["accesses"] and record["withheld"]


def test_the_json_export_withholds_the_sealed_police_note(world: World) -> None:
    case = _supported(world)
    text = _client(world.dpo).get(reverse("governance:dpo_export_json", args=[case.pk])).content.decode()
    assert "nothing known" not in text
    assert '"answer": "Proceed"' in text


def test_the_export_names_the_referring_agency_not_the_referrer(world: World) -> None:
    case = world.refer()
    record = json.loads(_client(world.dpo).get(reverse("governance:dpo_export_json", args=[case.pk])).content)
    assert record["cases"][0]["referring_agency"] == world.agencies["school"].name
    assert world.referrer.get_full_name() not in json.dumps(record)


def test_the_pdf_export_is_a_real_pdf_with_the_persons_record(world: World) -> None:
    import pypdfium2 as pdfium

    case = _supported(world)
    response = _client(world.dpo).get(reverse("governance:dpo_export_pdf", args=[case.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    pdf = pdfium.PdfDocument(response.content)
    text = " ".join(page.get_textpage().get_text_range() for page in pdf).replace("\r", "").replace("\n", " ")
    person = Case.objects.get(pk=case.pk).person
    assert dpo.value(person, "given_name") in text and case.reference in text
    assert "Talked about football and school." in text and "Who accessed the file" in text


def test_each_download_is_audited(world: World) -> None:
    case = world.refer()
    client = _client(world.dpo)
    client.get(reverse("governance:dpo_export_json", args=[case.pk]))
    client.get(reverse("governance:dpo_export_pdf", args=[case.pk]))
    events = AuditEvent.objects.filter(action="export.downloaded", case_id=case.pk, actor=world.dpo)
    assert sorted(e.data["format"] for e in events) == ["json", "pdf"]
    assert all(e.data["kind"] == "subject_access" for e in events)


# --- only the DPO ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["governance:dpo_person", "governance:dpo_accesses", "governance:dpo_export_json",
                                 "governance:dpo_export_pdf"])
def test_only_the_dpo_of_the_mechanism_gets_the_persons_file(world: World, other: World, url: str) -> None:
    case = world.refer()
    for user in (world.coordinator, world.analyst, world.admin, world.police, other.dpo):
        assert _client(user).get(reverse(url, args=[case.pk])).status_code == 404, user.username
    assert _client(world.dpo).get(reverse(url, args=[case.pk])).status_code == 200


def test_a_missing_case_looks_like_a_forbidden_one(world: World) -> None:
    assert _client(world.dpo).get(reverse("governance:dpo_person", args=[10**9])).status_code == 404


# --- the person's file: finding it, holds, erasure ----------------------------------------------------------

def test_the_dpo_finds_a_person_by_case_reference(world: World, other: World) -> None:
    case, theirs = world.refer(), other.refer()
    client = _client(world.dpo)
    response = client.get(reverse("governance:dpo_home"), {"reference": case.reference.lower()})
    assert response.status_code == 302 and response["Location"] == reverse("governance:dpo_person", args=[case.pk])
    assert client.get(reverse("governance:dpo_home"), {"reference": theirs.reference}).status_code == 400


def test_the_dpo_places_and_lifts_a_hold_from_the_persons_file(world: World) -> None:
    case = world.refer()
    client = _client(world.dpo)
    url = reverse("governance:legal_hold_place", args=[case.pk])
    assert client.post(url, {f"hold{case.pk}-reason": "Court case 12/2026"}).status_code == 302
    assert LegalHold.objects.get(case=case, lifted_at__isnull=True).reason == "Court case 12/2026"
    assert client.post(url, {f"hold{case.pk}-reason": "again"}).status_code == 400
    lift = reverse("governance:legal_hold_lift", args=[case.pk])
    assert client.post(lift, {f"lift{case.pk}-reason": "Judgment final"}).status_code == 302
    assert not LegalHold.objects.filter(case=case, lifted_at__isnull=True).exists()
    assert list(AuditEvent.objects.filter(case_id=case.pk, action__startswith="legalhold.")
                .values_list("action", flat=True)) == ["legalhold.placed", "legalhold.lifted"]


def test_the_coordinator_sees_the_hold_on_the_case_page(world: World) -> None:
    case = world.refer()
    _client(world.dpo).post(reverse("governance:legal_hold_place", args=[case.pk]),
                            {f"hold{case.pk}-reason": "Inquiry"})
    assert "data-legal-hold" in _client(world.coordinator).get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_an_erasure_request_from_the_persons_file(world: World) -> None:
    from ura.cases.services import case_transition

    case = case_transition(case=world.refer(), transition="start_screening", actor=world.coordinator)
    case = case_transition(case=case, transition="screen_out", actor=world.coordinator, reason="not P/CVE")
    client = _client(world.dpo)
    url = reverse("governance:erasure_request", args=[case.pk])
    assert client.post(url, {"reason": "Letter of 2 March"}).status_code == 400  # not confirmed
    assert client.post(url, {"reason": "Letter of 2 March", "confirm": "on"}).status_code == 302
    assert dpo.value(Case.objects.get(pk=case.pk).person, "given_name") == ""
    assert "Erased person" in client.get(reverse("governance:dpo_person", args=[case.pk])).content.decode()


def test_an_erasure_request_for_an_open_case_is_refused_with_a_reason(world: World) -> None:
    case = world.refer()
    response = _client(world.dpo).post(reverse("governance:erasure_request", args=[case.pk]),
                                       {"reason": "asked", "confirm": "on"})
    assert response.status_code == 400 and case.reference in response.content.decode()
