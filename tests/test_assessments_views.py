"""Assessment pages, as each persona uses them; and the guard-rails every page must keep."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.test_assessments import (
    LICENSED,
    complete,
    countersigning,
    in_review,
    instrument,
    load,
    on_agenda,
    write,
)
from tests.walk import decide, start_support
from tests.world import World
from ura.assessments import services
from ura.assessments.forms import evidence_field, rating_field
from ura.assessments.models import Assessment, Credential, InstrumentVersion, ItemRating, Status
from ura.cases.models import Case
from ura.governance.models import AuditEvent

NOTICE = "structured professional judgement, not a score and not a prediction"


def page(client: Any, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def detail_url(a: Assessment) -> str:
    return reverse("assessments:detail", args=[a.pk])


def case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk])


def form_post(a: Assessment, *, ratings: dict[str, tuple[str, str]] | None = None, action: str = "save",
              **fields: str) -> dict[str, str]:
    data = {"revision": str(Assessment.objects.get(pk=a.pk).revision), "action": action,
            "assessed_on": timezone.localdate().isoformat(), "sources": "", "summary": "", "rationale": "",
            "protective_factors": "", "review_on": ""}
    for item_id, (code, evidence) in (ratings or {}).items():
        data[rating_field(item_id)] = code
        data[evidence_field(item_id)] = evidence
    data.update(fields)
    return data


def supported(w: World) -> Case:
    """A case in support, with a needs assessment and a vulnerability assessment."""
    case = in_review(w)
    complete(w, case, "ura-needs", default="no_need",
             pattern={"housing.stable": "pressing_need", "ete.school": "some_need", "family.care": "unknown"})
    complete(w, case, "ura-vulnerability", default="some")
    decide(w, case, "adopt")
    return start_support(w, case)


# --- starting, filling in and submitting ----------------------------------------------------------

def test_a_coordinator_starts_a_draft_from_the_case_page(client, world: World) -> None:
    case = in_review(world)
    client.force_login(world.coordinator)
    html = page(client, case_url(case))
    assert 'id="assessments"' in html and "Start an assessment" in html
    v = instrument("ura-vulnerability")
    response = client.post(reverse("assessments:start", args=[case.pk]), {"instrument": v.pk})
    a = Assessment.objects.get(case=case)
    assert response["Location"] == reverse("assessments:edit", args=[a.pk])
    assert (a.status, a.created_by) == (Status.DRAFT, world.coordinator)


def test_an_instrument_needing_a_credential_is_not_offered_and_says_why(client, world: World) -> None:
    case = in_review(world)
    client.force_login(world.coordinator)
    html = page(client, case_url(case))
    medical = instrument("ura-rr-medical")
    start = re.search(r'<form[^>]*data-form="start-assessment".*?</form>', html, re.S).group(0)  # type: ignore[union-attr]
    assert "Vulnerability framework" in start and "medical evaluation" not in start
    assert "needs the credential “medical-practitioner”" in html
    response = client.post(reverse("assessments:start", args=[case.pk]), {"instrument": medical.pk}, follow=True)
    assert "needs the credential" in response.content.decode()
    assert not Assessment.objects.filter(case=case).exists()


def test_the_summary_judgement_is_never_chosen_for_the_assessor(client, world: World) -> None:
    case = in_review(world)
    a = services.assessment_start(actor=world.coordinator, case=case, instrument=instrument("ura-vulnerability"))
    client.force_login(world.coordinator)
    html = page(client, reverse("assessments:edit", args=[a.pk]))
    summary = re.search(r'<fieldset[^>]*id_summary.*?</fieldset>', html, re.S)
    assert summary is not None and "checked" not in summary.group(0)
    assert "not a count of the ratings above" in html


def test_a_draft_is_saved_as_typed_even_when_incomplete(client, world: World) -> None:
    case = in_review(world)
    a = services.assessment_start(actor=world.coordinator, case=case, instrument=instrument("ura-vulnerability"))
    client.force_login(world.coordinator)
    response = client.post(reverse("assessments:edit", args=[a.pk]), form_post(
        a, ratings={"engagement.grievance": ("some", "Says the police humiliated his brother.")}))
    assert response.status_code == 302
    row = ItemRating.objects.get(assessment=a, item_id="engagement.grievance")
    assert (row.rating, row.evidence) == ("some", "Says the police humiliated his brother.")


def test_submitting_an_incomplete_draft_marks_each_missing_answer_on_its_field(client, world: World) -> None:
    case = in_review(world)
    a = services.assessment_start(actor=world.coordinator, case=case, instrument=instrument("ura-vulnerability"))
    client.force_login(world.coordinator)
    response = client.post(reverse("assessments:edit", args=[a.pk]), form_post(
        a, action="submit", ratings={"engagement.grievance": ("some", "")}, sources="Interview on Monday"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Your draft is saved, but it cannot be submitted yet" in html
    ev = f"id_{evidence_field('engagement.grievance')}"
    assert f'aria-describedby="{ev}_error"' in html and 'aria-invalid="true"' in html
    assert f'id="id_{rating_field("intent.stated")}_error"' in html  # an item not rated
    assert 'id="id_summary_error"' in html
    assert "Interview on Monday" in html
    assert Assessment.objects.get(pk=a.pk).sources == "Interview on Monday"
    assert Assessment.objects.get(pk=a.pk).status == Status.DRAFT


def test_a_complete_draft_is_submitted_from_the_page(client, world: World) -> None:
    case = in_review(world)
    v = instrument("ura-vulnerability")
    a = services.assessment_start(actor=world.coordinator, case=case, instrument=v)
    ratings = {i.id: ("not_present", "Teacher and mother report nothing of the kind.") for i in v.spec.items()}
    client.force_login(world.coordinator)
    today = timezone.localdate()
    response = client.post(reverse("assessments:edit", args=[a.pk]), form_post(
        a, action="submit", ratings=ratings, sources="Interview; school report", summary="low",
        rationale="Nothing points to engagement.", review_on=(today + dt.timedelta(days=90)).isoformat()))
    assert response["Location"] == detail_url(a)
    assert Assessment.objects.get(pk=a.pk).status == Status.SUBMITTED


def test_a_stale_form_is_a_conflict_and_keeps_what_was_typed(client, world: World) -> None:
    case = in_review(world)
    a = services.assessment_start(actor=world.coordinator, case=case, instrument=instrument("ura-vulnerability"))
    client.force_login(world.coordinator)
    old = form_post(a, sources="My version of the sources")
    services.assessment_save(actor=world.coordinator, assessment=a, expected_revision=a.revision, assessed_on=None,
                             sources="Saved first", summary="", rationale="", protective_factors="", review_on=None,
                             ratings={})
    response = client.post(reverse("assessments:edit", args=[a.pk]), old)
    assert response.status_code == 409
    assert "My version of the sources" in response.content.decode()
    assert Assessment.objects.get(pk=a.pk).sources == "Saved first"


def test_a_damaged_form_is_a_400_not_a_server_error(client, world: World) -> None:
    case = in_review(world)
    a = services.assessment_start(actor=world.coordinator, case=case, instrument=instrument("ura-vulnerability"))
    client.force_login(world.coordinator)
    response = client.post(reverse("assessments:edit", args=[a.pk]),
                           {"revision": "x", "assessed_on": "tomorrow", rating_field("intent.stated"): "<b>"})
    assert response.status_code == 400


def test_a_submitted_assessment_is_not_edited_from_the_page(client, world: World) -> None:
    a = complete(world, in_review(world))
    client.force_login(world.coordinator)
    response = client.post(reverse("assessments:edit", args=[a.pk]), form_post(a, sources="changed"))
    assert response["Location"] == detail_url(a)
    assert Assessment.objects.get(pk=a.pk).sources != "changed"


def test_revising_from_the_page_opens_a_new_draft(client, world: World) -> None:
    a = complete(world, in_review(world))
    client.force_login(world.coordinator)
    response = client.post(reverse("assessments:revise", args=[a.pk]), {"revision": a.revision})
    new = Assessment.objects.get(previous=a)
    assert response["Location"] == reverse("assessments:edit", args=[new.pk])


def test_a_draft_can_be_discarded_by_its_assessor(client, world: World) -> None:
    case = in_review(world)
    a = services.assessment_start(actor=world.coordinator, case=case, instrument=instrument("ura-needs"))
    client.force_login(world.coordinator)
    client.post(reverse("assessments:discard", args=[a.pk]), {"revision": a.revision})
    assert not Assessment.objects.filter(pk=a.pk).exists()


# --- countersigning -------------------------------------------------------------------------------

def test_a_second_assessor_countersigns_from_the_assessment_page(client, world: World) -> None:
    countersigning(world)
    case = on_agenda(world, in_review(world))
    a = complete(world, case)
    client.force_login(world.coordinator)
    own = page(client, detail_url(a))
    assert "awaiting a second signature" in own and "Countersign the assessment" not in own
    client.force_login(world.panel[2])
    assert "Read and countersign" in page(client, case_url(case))
    assert "Countersign the assessment" in page(client, detail_url(a))
    assert client.post(reverse("assessments:countersign", args=[a.pk])).status_code == 400  # no revision
    client.post(reverse("assessments:countersign", args=[a.pk]), {"revision": a.revision})
    html = page(client, detail_url(a))
    assert Assessment.objects.get(pk=a.pk).status == Status.COUNTERSIGNED
    assert world.agencies["social"].name in re.search(r"data-countersigned>(.*?)</dd>", html).group(1)  # type: ignore[union-attr]


# --- who may read what ---------------------------------------------------------------------------

def test_a_missing_and_a_forbidden_assessment_are_the_same_404(client, world: World, other: World) -> None:
    a = complete(world, in_review(world))
    client.force_login(other.coordinator)
    forbidden = client.get(detail_url(a))
    missing = client.get(reverse("assessments:detail", args=[a.pk + 1000]))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


def test_a_provider_sees_the_needs_but_not_the_risk(client, world: World) -> None:
    case = supported(world)
    needs = Assessment.objects.get(case=case, instrument__code="ura-needs")
    risk = Assessment.objects.get(case=case, instrument__code="ura-vulnerability")
    client.force_login(world.provider)
    html = page(client, case_url(case))
    assert f'data-assessment="{needs.pk}"' in html
    assert f'data-assessment="{risk.pk}"' not in html and "Vulnerability framework" not in html
    page(client, detail_url(needs))
    missing = client.get(reverse("assessments:detail", args=[risk.pk + 1000]))
    forbidden = client.get(detail_url(risk))
    assert forbidden.status_code == 404 and forbidden.content == missing.content


def test_health_assessments_are_for_those_who_read_health(client, world: World) -> None:
    case = on_agenda(world, in_review(world))
    doctor = world.panel[3]
    services.credential_record(actor=world.coordinator, mechanism=world.mechanism, user=doctor,
                               code="medical-practitioner", valid_from=timezone.localdate(), valid_until=None)
    a = complete(world, case, "ura-rr-medical", by=doctor)
    client.force_login(doctor)
    page(client, detail_url(a))  # the doctor who made it
    client.force_login(world.coordinator)
    page(client, detail_url(a))
    client.force_login(world.panel[1])  # a teacher on the panel
    page(client, detail_url(a), 404)
    assert f'data-assessment="{a.pk}"' not in page(client, case_url(case))


def test_the_police_see_their_security_check_but_not_the_team_s_risk_assessment(client, world: World) -> None:
    case = in_review(world)
    check = complete(world, case, "ura-rr-security", by=world.police)
    team = complete(world, case, "ura-vulnerability")
    client.force_login(world.police)
    page(client, detail_url(check))
    page(client, detail_url(team), 404)
    client.force_login(world.coordinator)
    page(client, detail_url(check))


def test_a_draft_is_seen_by_its_assessors_only(client, world: World) -> None:
    case = on_agenda(world, in_review(world))
    draft = services.assessment_start(actor=world.panel[2], case=case, instrument=instrument("ura-vulnerability"))
    client.force_login(world.coordinator)
    page(client, detail_url(draft), 404)
    page(client, reverse("assessments:edit", args=[draft.pk]), 404)
    client.force_login(world.panel[2])
    assert f'data-draft="{draft.pk}"' in page(client, case_url(case))


# --- every read is audited ------------------------------------------------------------------------

def test_opening_an_assessment_leaves_exactly_one_audit_event(client, world: World) -> None:
    a = complete(world, in_review(world))
    client.force_login(world.coordinator)
    page(client, detail_url(a))
    events = AuditEvent.objects.filter(action="assessment.viewed", object_id=str(a.pk), actor=world.coordinator)
    assert events.count() == 1
    assert events.get().case_id == a.case_id


def test_the_case_page_records_which_assessments_it_showed(client, world: World) -> None:
    case = in_review(world)
    a = complete(world, case)
    b = complete(world, case, "ura-needs")
    client.force_login(world.coordinator)
    page(client, case_url(case))
    # One event for the page (tests/audit_matrix.py): the case read, naming the assessments shown.
    event = AuditEvent.objects.filter(action="case.viewed", case_id=case.pk).latest("seq")
    assert event.data["assessments"] == sorted([a.pk, b.pk])


def test_a_case_page_without_assessments_records_no_assessment_read(client, world: World) -> None:
    case = in_review(world)
    client.force_login(world.coordinator)
    page(client, case_url(case))
    assert not AuditEvent.objects.filter(action="assessment.viewed").exists()


def test_a_comparison_is_audited_naming_both_assessments(client, world: World) -> None:
    case = in_review(world)
    first = complete(world, case)
    second = complete(world, case, draft=services.assessment_revise(actor=world.coordinator, assessment=first))
    client.force_login(world.coordinator)
    page(client, reverse("assessments:compare", args=[first.pk, second.pk]))
    event = AuditEvent.objects.get(action="assessment.compared")
    assert event.data["assessments"] == [first.pk, second.pk]


# --- guard-rails: no derived numbers, unknown is unknown, limitations everywhere -------------------

# Bijections of each scale's codes that keep what the pages may legitimately depend on: unknown
# stays unknown, and a need stays a need. Whatever else a page showed that was computed from the
# ratings (a total, a sum, an average, a count, a rank, a colour) would change under them.
PERMUTE = {
    "not_present": "some", "some": "clear", "clear": "not_present",  # vulnerability
    "no_need": "need_met", "need_met": "no_need", "some_need": "pressing_need", "pressing_need": "some_need",
    "not_seen": "emerging", "emerging": "clear_strength",  # strengths ("clear" is shared; see below)
}


def _permute(v: InstrumentVersion, code: str) -> str:
    scale = {o.code for d in v.spec.domains for o in d.scale}
    if scale >= {"not_seen", "emerging", "clear"} and code in {"not_seen", "emerging", "clear"}:
        return {"not_seen": "emerging", "emerging": "clear", "clear": "not_seen"}[code]
    return {k: v for k, v in PERMUTE.items() if k != "emerging"}.get(code, code)


def _labels() -> list[str]:
    labels = set()
    for v in InstrumentVersion.objects.filter(code__in=["ura-vulnerability", "ura-needs"]):
        for d in v.spec.domains:
            labels |= {o.label for o in d.scale if not o.unknown}
    return sorted(labels, key=len, reverse=True)


def _normalise(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]*"', "", html)
    html = re.sub(r'data-rating="[^"]*"', "", html)
    html = html.replace(" checked", "")
    for label in _labels():
        html = html.replace(label, "⟪rating⟫")
    return html


def _numbers(rows: list[ItemRating], order: list[str]) -> set[str]:
    """Counts, sums and averages one could compute from these ratings (to show the test has teeth)."""
    counts = [sum(1 for r in rows if r.rating == code) for code in order]
    total = sum(i * c for i, c in enumerate(counts))
    return {str(total), *map(str, counts)}


def _normalise_api(data: Any) -> str:
    """An API answer with each rating's code and label blanked (unknown stays visible as ``unknown``)."""
    if isinstance(data, dict):
        return json.dumps({k: "⟪rating⟫" if k in ("rating", "rating_label") and v else _normalise_api(v)
                           for k, v in data.items()}, sort_keys=True)
    if isinstance(data, list):
        return json.dumps([_normalise_api(v) for v in data])
    return json.dumps(data)


def test_no_page_shows_anything_computed_from_the_ratings(client, world: World) -> None:
    countersigning(world)
    case = on_agenda(world, in_review(world))
    vulnerability = {"engagement.grievance": "clear", "engagement.threat": "clear", "engagement.contacts": "clear",
                     "intent.justifies": "unknown", "intent.stated": "not_present", "capability.means": "unknown",
                     "capability.history": "not_present", "engagement.material": "clear"}
    first = complete(world, case, default="some", pattern={"engagement.grievance": "not_present"})
    services.assessment_countersign(actor=world.panel[2], assessment=first)
    second = complete(world, case, default="some", pattern=vulnerability,
                      draft=services.assessment_revise(actor=world.coordinator, assessment=first))
    needs = complete(world, case, "ura-needs", default="no_need",
                     pattern={"housing.stable": "pressing_need", "ete.school": "some_need", "family.care": "unknown",
                              "strengths.motivation": "emerging", "finances.income": "need_met"})
    draft = services.assessment_revise(actor=world.coordinator, assessment=needs)
    urls = [case_url(case), detail_url(first), detail_url(second), detail_url(needs),
            reverse("assessments:compare", args=[first.pk, second.pk]), reverse("assessments:edit", args=[draft.pk]),
            detail_url(draft)]
    api = [f"/api/v1/cases/{case.pk}/assessments/", f"/api/v1/cases/{case.pk}/",
           *(f"/api/v1/assessments/{a.pk}/" for a in (first, second, needs, draft))]
    client.force_login(world.coordinator)
    before = {url: _normalise(page(client, url)) for url in urls}
    before_api = {url: _normalise_api(client.get(url).json()) for url in api}

    rows = list(ItemRating.objects.filter(assessment=second))
    order = ["not_present", "some", "clear"]
    old_numbers = _numbers(rows, order)
    for r in ItemRating.objects.select_related("assessment__instrument").filter(assessment__case=case):
        r.rating = _permute(r.assessment.instrument, r.rating)
        r.save(update_fields=["rating"])
    assert _numbers(list(ItemRating.objects.filter(assessment=second)), order) != old_numbers

    for url in urls:
        assert _normalise(page(client, url)) == before[url], url
    for url in api:
        assert _normalise_api(client.get(url).json()) == before_api[url], url


def test_unknown_is_shown_as_unknown_never_as_absent(client, world: World) -> None:
    a = complete(world, in_review(world), default="not_present", pattern={"intent.stated": "unknown"})
    client.force_login(world.coordinator)
    html = page(client, detail_url(a))
    item = re.search(r'data-item="intent.stated">(.*?)</li>', html, re.S).group(1)  # type: ignore[union-attr]
    assert "Unknown – not enough information" in item
    assert "Not present" not in item
    other = re.search(r'data-item="intent.justifies">(.*?)</li>', html, re.S).group(1)  # type: ignore[union-attr]
    assert "Not present – the sources show no sign of it" in other


def test_an_unrated_item_is_shown_as_not_rated(client, world: World) -> None:
    case = in_review(world)
    a = services.assessment_start(actor=world.coordinator, case=case, instrument=instrument("ura-vulnerability"))
    client.force_login(world.coordinator)
    item = re.search(r'data-item="intent.stated">(.*?)</li>', page(client, detail_url(a)), re.S)
    assert item is not None and "not rated yet" in item.group(1)


def test_every_result_carries_the_limitations_notice(client, world: World) -> None:
    case = in_review(world)
    first = complete(world, case)
    second = complete(world, case, draft=services.assessment_revise(actor=world.coordinator, assessment=first))
    complete(world, case, "ura-needs")
    client.force_login(world.coordinator)
    html = page(client, case_url(case))
    assert html.count('class="assessment"') == html.count(NOTICE) == 2
    for url in (detail_url(second), reverse("assessments:compare", args=[first.pk, second.pk])):
        html = page(client, url)
        assert NOTICE in html and "is structured professional judgement, not a prediction" in html


def test_a_stale_assessment_is_marked_and_prompts_reassessment(client, world: World) -> None:
    case = in_review(world)
    long_ago = timezone.localdate() - dt.timedelta(days=100)
    a = complete(world, case, assessed_on=long_ago, review_on=long_ago + dt.timedelta(days=60))
    client.force_login(world.coordinator)
    html = page(client, case_url(case))
    assert "Stale: reassessment due" in html and "Start the reassessment" in html
    assert "was due for review on" in page(client, detail_url(a))


# --- change over time -----------------------------------------------------------------------------

def test_the_comparison_shows_what_changed_and_the_evidence_for_it(client, world: World) -> None:
    case = in_review(world)
    first = complete(world, case, default="some", summary="moderate")
    draft = services.assessment_revise(actor=world.coordinator, assessment=first)
    second = complete(world, case, draft=draft, default="some", summary="low",
                      pattern={"engagement.contacts": "not_present"})
    rating = ItemRating.objects.get(assessment=second, item_id="engagement.contacts")
    rating.evidence = "Has stopped meeting the group, says his coach."
    rating.save(update_fields=["evidence"])  # encrypted: through save(), not a bare update()
    client.force_login(world.coordinator)
    html = page(client, reverse("assessments:compare", args=[second.pk, first.pk]))  # either order
    row = re.search(r'data-item="engagement.contacts" class="compare-row">(.*?)</li>', html, re.S).group(1)  # type: ignore[union-attr]
    assert "rating changed" in row and "Some indication" in row and "Not present" in row
    assert "Has stopped meeting the group, says his coach." in row
    same = re.search(r'data-item="intent.stated" class="compare-row">(.*?)</li>', html, re.S).group(1)  # type: ignore[union-attr]
    assert "no change" in same
    assert html.index('data-side="earlier"') < html.index('data-side="later"')
    assert "Moderate concern" in html and "Low concern" in html


def test_only_two_versions_of_the_same_instrument_and_person_are_compared(client, world: World) -> None:
    case = in_review(world)
    a = complete(world, case)
    b = complete(world, case, "ura-needs")
    client.force_login(world.coordinator)
    page(client, reverse("assessments:compare", args=[a.pk, b.pk]), 404)
    page(client, reverse("assessments:compare", args=[a.pk, a.pk]), 404)


# --- needs feed the plan -------------------------------------------------------------------------

def test_the_case_page_shows_unmet_needs_until_an_intervention_cites_them(client, world: World) -> None:
    case = supported(world)
    intervention = case.interventions.get()
    client.force_login(world.coordinator)
    html = page(client, case_url(case))
    unmet = re.search(r'<ul class="unmet">(.*?)</ul>', html, re.S).group(1)  # type: ignore[union-attr]
    assert 'data-need="housing.stable"' in unmet and 'data-need="ete.school"' in unmet
    unknown = re.search(r'<ul class="unknown">(.*?)</ul>', html, re.S).group(1)  # type: ignore[union-attr]
    assert 'data-need="family.care"' in unknown

    url = reverse("assessments:intervention_needs", args=[intervention.pk])
    assert "A safe and stable place to live" in page(client, url)
    client.post(url, {"needs": ["ura-needs:housing.stable"]})
    html = page(client, case_url(case))
    unmet = re.search(r'<ul class="unmet">(.*?)</ul>', html, re.S).group(1)  # type: ignore[union-attr]
    addressed = re.search(r'<ul class="addressed">(.*?)</ul>', html, re.S).group(1)  # type: ignore[union-attr]
    assert 'data-need="housing.stable"' not in unmet
    assert 'data-need="housing.stable"' in addressed and "Mentoring" in addressed


def test_citing_a_need_that_is_not_one_is_a_form_error(client, world: World) -> None:
    case = supported(world)
    client.force_login(world.coordinator)
    response = client.post(reverse("assessments:intervention_needs", args=[case.interventions.get().pk]),
                           {"needs": ["ura-needs:family.relationships"]})
    assert response.status_code == 400


def test_a_provider_sees_unmet_needs_but_cannot_change_the_plan(client, world: World) -> None:
    case = supported(world)
    client.force_login(world.provider)
    html = page(client, case_url(case))
    assert 'data-need="housing.stable"' in html
    page(client, reverse("assessments:intervention_needs", args=[case.interventions.get().pk]), 404)


# --- instruments and credentials --------------------------------------------------------------------

def test_the_instrument_pages_show_licence_and_credential(client, world: World, tmp_path: Path) -> None:
    load(write(tmp_path, LICENSED))
    client.force_login(world.panel[1])
    html = page(client, reverse("assessments:instruments"))
    assert "Example Rights Holder Ltd" in html and "may not be redistributed" in html and "example-cert" in html
    licensed = instrument("example-licensed")
    detail = page(client, reverse("assessments:instrument", args=[licensed.pk]))
    assert "First factor" not in detail and "shown to assessors who hold its credential" in detail
    page(client, reverse("assessments:instrument_download", args=[licensed.pk]), 404)
    needs = instrument("ura-needs")
    assert "A safe and stable place to live" in page(client, reverse("assessments:instrument", args=[needs.pk]))
    assert '"code": "ura-needs"' in page(client, reverse("assessments:instrument_download", args=[needs.pk]))


def test_a_coordinator_records_and_revokes_a_credential_on_the_page(client, world: World, tmp_path: Path) -> None:
    load(write(tmp_path, LICENSED))
    client.force_login(world.coordinator)
    html = page(client, reverse("assessments:credentials"))
    assert world.panel[3].username in html
    response = client.post(reverse("assessments:credentials"), {
        "user": world.panel[3].pk, "code": "example-cert", "valid_from": timezone.localdate().isoformat(),
        "valid_until": "", "note": "Trained in May"})
    assert response.status_code == 302
    c = Credential.objects.get(user=world.panel[3], code="example-cert")
    assert services.credential_valid(world.panel[3], "example-cert")
    assert client.post(reverse("assessments:credential_revoke", args=[c.pk])).status_code == 400
    assert services.credential_valid(world.panel[3], "example-cert")
    client.post(reverse("assessments:credential_revoke", args=[c.pk]), {"confirm": "yes"})
    assert not services.credential_valid(world.panel[3], "example-cert")


def test_credentials_are_managed_by_coordinators_and_administrators_only(client, world: World,
                                                                         other: World) -> None:
    c = services.credential_record(actor=None, user=world.panel[3], code="psychiatrist",
                                   valid_from=timezone.localdate(), valid_until=None)
    client.force_login(world.panel[1])
    assert client.get(reverse("assessments:credentials")).status_code == 403
    client.force_login(other.coordinator)
    assert client.post(reverse("assessments:credential_revoke", args=[c.pk]), {"confirm": "yes"}).status_code == 404
    assert Credential.objects.get(pk=c.pk).revoked_on is None


def test_a_credential_ending_before_it_starts_is_a_form_error(client, world: World) -> None:
    client.force_login(world.coordinator)
    response = client.post(reverse("assessments:credentials"), {
        "user": world.panel[3].pk, "code": "psychiatrist", "valid_from": "2030-01-02", "valid_until": "2030-01-01"})
    assert response.status_code == 400
    assert not Credential.objects.exists()


def test_an_administrator_sets_the_two_signature_rule(client, world: World) -> None:
    client.force_login(world.admin)
    assert "Submitted assessments need a second signature" in page(client, reverse("assessments:credentials"))
    client.post(reverse("assessments:countersign_rule", args=[world.mechanism.pk]),
                {f"m{world.mechanism.pk}-rule": "countersign", f"m{world.mechanism.pk}-required": "on"})
    world.mechanism.refresh_from_db()
    assert world.mechanism.features["assessment_countersign"] is True
    client.force_login(world.coordinator)
    assert client.post(reverse("assessments:countersign_rule", args=[world.mechanism.pk])).status_code == 404


# --- query counts ---------------------------------------------------------------------------------

def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_case_page_does_not_grow_with_the_number_of_assessments(client, world: World) -> None:
    case = supported(world)
    client.force_login(world.coordinator)
    few = _queries(client, case_url(case))
    for code in ("ura-rr-ideological", "ura-rr-security"):
        complete(world, case, code)
    for a in list(Assessment.objects.filter(case=case, status=Status.SUBMITTED)):
        complete(world, case, draft=services.assessment_revise(actor=world.coordinator, assessment=a))
    assert _queries(client, case_url(case)) == few


def test_the_assessment_and_comparison_pages_do_not_grow_with_the_versions(client, world: World) -> None:
    case = in_review(world)
    first = complete(world, case)
    second = complete(world, case, draft=services.assessment_revise(actor=world.coordinator, assessment=first))
    client.force_login(world.coordinator)
    compare = reverse("assessments:compare", args=[first.pk, second.pk])
    few_detail, few_compare = _queries(client, detail_url(second)), _queries(client, compare)
    latest = second
    for _ in range(4):
        latest = complete(world, case, draft=services.assessment_revise(actor=world.coordinator, assessment=latest))
    assert _queries(client, detail_url(latest)) == few_detail
    assert _queries(client, reverse("assessments:compare", args=[first.pk, latest.pk])) == few_compare


@pytest.mark.parametrize("name", ["assessments:detail", "assessments:edit"])
def test_an_absurd_assessment_id_is_a_404(client, world: World, name: str) -> None:
    client.force_login(world.coordinator)
    assert client.get(f"/assessments/{'9' * 30}/{'edit/' if name.endswith('edit') else ''}").status_code == 404
