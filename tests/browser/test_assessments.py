"""A structured assessment in a real browser: one assessor completes the vulnerability framework
with evidence, a second assessor countersigns it on a phone, and after a reassessment the
comparison shows what changed and the evidence for it.

The case is prepared with the services (referral, screening, case review, on a panel agenda);
everything about the assessment happens through the pages. Screenshots go to screenshots/.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.kit import Personas, chromium, expect_message, field, shot
from tests.world import World, make_world
from ura.assessments.models import Assessment, Status

# Playwright's sync API runs an event loop in this thread; Django reads this at each query.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser


NOT_PRESENT = "Not present – the sources show no sign of it"
SOME = "Some indication"
CLEAR = "Clear indication"
UNKNOWN = "Unknown – not enough information"

# The first assessment: item → (rating, evidence).
FIRST: dict[str, tuple[str, str]] = {
    "engagement.grievance": (CLEAR, "Told the counsellor on 3 March that 'the state humiliates people like us'."),
    "engagement.threat": (SOME, "Says his community is 'under attack'; mother confirms he repeats this at home."),
    "engagement.belonging": (CLEAR, "Dropped football in January; says the online group is 'the only family I have'."),
    "engagement.excitement": (NOT_PRESENT, "Counsellor and mother both describe him as withdrawn, not thrill-seeking."),
    "engagement.contacts": (CLEAR, "Daily chat with an account that posts recruitment videos (teacher saw it)."),
    "engagement.material": (CLEAR, "Showed classmates videos praising an attack (two teachers, 14 February)."),
    "engagement.influence": (SOME, "Older cousin drives him to meetings; mother is worried about the cousin."),
    "engagement.transition": (CLEAR, "Father emigrated in December; he changed school in January."),
    "engagement.family": (UNKNOWN, "Missing: whether the cousin is involved with the group; ask social services."),
    "intent.us_and_them": (SOME, "Called a classmate of another faith 'an enemy' once (teacher's note)."),
    "intent.justifies": (SOME, "Said the attack in the video was 'deserved' when challenged by his teacher."),
    "intent.identity_fusion": (NOT_PRESENT, "Talks about many other interests (cars, his little sister)."),
    "intent.no_other_way": (UNKNOWN, "Missing: not yet discussed with him; the mentor will ask."),
    "intent.stated": (NOT_PRESENT, "No threat to anyone in school records, chats seen or interviews."),
    "capability.knowledge": (NOT_PRESENT, "No sign of interest in weapons or explosives; teacher and police agree."),
    "capability.means": (NOT_PRESENT, "Police check: no firearm in the household; no known access."),
    "capability.history": (NOT_PRESENT, "No offending or violence on record (police answer of 10 March)."),
    "capability.travel": (UNKNOWN, "Missing: passport status; ask the family at the next visit."),
}
# The reassessment changes these.
LATER: dict[str, tuple[str, str]] = {
    "engagement.contacts": (SOME, "Blocked the recruiting account in April (shown to his mentor); one contact left."),
    "engagement.belonging": (SOME, "Back in the football team since April; coach says he comes every week."),
    "intent.no_other_way": (NOT_PRESENT, "Told his mentor he wants to study law 'to change things properly'."),
}


# --- fixtures (named so as not to clash with tests/browser/conftest.py) -------------------------

@pytest.fixture(scope="module")
def assess_browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser



@pytest.fixture
def assess_world(live_server: Any) -> World:
    from tests.test_assessments import countersigning, in_review, on_agenda

    w = make_world("gjilan")
    countersigning(w)
    w.extra["case"] = on_agenda(w, in_review(w))
    return w


@pytest.fixture
def assess_personas(assess_browser: Browser, live_server: Any) -> Iterator[Personas]:
    personas = Personas(assess_browser, live_server.url)
    yield personas
    personas.close()


# --- what the user sees --------------------------------------------------------------------------







def fits_the_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "wider than a 360px phone"


def rate(form: Locator, item_id: str, rating: str, evidence: str) -> None:
    item = form.locator(f'[data-item="{item_id}"]')
    item.get_by_role("radio", name=rating, exact=True).check()
    item.get_by_role("textbox").fill(evidence)


def section(page: Page) -> Locator:
    return page.get_by_role("region", name="Assessments")


# --- the test ----------------------------------------------------------------------------------

def test_assess_countersign_reassess_and_compare(assess_world: World, assess_personas: Personas) -> None:
    w, people = assess_world, assess_personas
    case = w.extra["case"]
    case_url = f"/cases/{case.pk}/"

    # 1. The coordinator starts the vulnerability framework from the case page.
    coord = people(w.coordinator)
    coord.goto(case_url)
    assessments = section(coord)
    expect(assessments).to_contain_text("No assessment has been submitted for this case yet.")
    assessments.get_by_label(field("Instrument")).select_option(
        label="Vulnerability framework (engagement, intent, capability)")
    assessments.get_by_role("button", name="Start a draft").click()
    expect_message(coord, "A draft was started.")
    form = coord.locator("form[data-form=assessment]")
    expect(form.get_by_role("group", name=field("Summary judgement")).get_by_role("radio", checked=True)) \
        .to_have_count(0)  # Ura never picks the judgement

    # Submitting with answers missing keeps what was typed and marks what is missing, field by field.
    rate(form, "engagement.grievance", *FIRST["engagement.grievance"])
    form.get_by_label(field("Information sources")).fill(
        "Interview with him and his mother (12 March); school counsellor's notes; police answer of 10 March.")
    form.get_by_role("button", name="Submit the assessment").click()
    expect_message(coord, "Your draft is saved, but it cannot be submitted yet")
    missing = coord.locator("#id_r__intent__stated_error")
    expect(missing).to_contain_text("Rate this item.")
    expect(coord.locator('[data-item="engagement.grievance"] textarea')).to_have_value(FIRST["engagement.grievance"][1])
    shot(coord, "assessment-incomplete")

    form = coord.locator("form[data-form=assessment]")
    for item_id, (rating, evidence) in FIRST.items():
        rate(form, item_id, rating, evidence)
    form.get_by_role("group", name=field("Summary judgement")).get_by_role("radio", name="Moderate concern").check()
    form.get_by_label(field("Rationale for the summary judgement")).fill(
        "Drawn to the group by grievance and loss of belonging after his father left; some justification of "
        "violence, but no intent or capability seen. Support through the mechanism; review in three months.")
    form.get_by_label(field("Protective factors")).fill("Close to his mother and sister; liked football; "
                                                          "wants to finish school.")
    form.get_by_role("button", name="Submit the assessment").click()
    expect_message(coord, "The assessment is submitted. It now needs a second signature.")
    about = coord.get_by_role("region", name="About this assessment")
    expect(about).to_contain_text("awaiting a second signature")
    expect(about).to_contain_text("Limitations:")
    rated = coord.locator('[data-item="engagement.family"]')
    expect(rated).to_contain_text(UNKNOWN)
    expect(rated).not_to_contain_text("Not present")
    # The assessor cannot countersign their own assessment.
    expect(coord.get_by_role("button", name="Countersign the assessment")).to_have_count(0)
    shot(coord, "assessment-submitted")

    # 2. A second assessor, from the centre for social work, countersigns on a phone.
    social = people(w.panel[2], phone=True)
    social.goto(case_url)
    section(social).get_by_role("link", name="Read and countersign").click()
    expect(social.get_by_role("heading", level=1)).to_contain_text("Vulnerability framework")
    fits_the_phone(social)
    social.get_by_role("button", name="Countersign the assessment").click()
    expect_message(social, "You countersigned the assessment.")
    expect(social.get_by_role("region", name="About this assessment")).to_contain_text("Countersigned")
    expect(social.locator("[data-countersigned]")).to_contain_text(w.agencies["social"].name)
    fits_the_phone(social)
    shot(social, "assessment-countersigned-360")

    # 3. Later, a reassessment: the coordinator starts a new version and changes what changed.
    coord.goto(case_url)
    row = section(coord).locator("li.assessment")
    expect(row.locator("[data-status]")).to_contain_text("Countersigned")
    expect(row).to_contain_text("Moderate concern")
    expect(row).to_contain_text("Limitations:")
    shot(coord, "case-assessments")
    row.get_by_role("button", name="Start a new version").click()
    expect_message(coord, "A new version was started from the current one.")
    form = coord.locator("form[data-form=assessment]")
    expect(form.locator('[data-item="engagement.contacts"] textarea')).to_have_value(
        FIRST["engagement.contacts"][1])  # carried over to be checked
    for item_id, (rating, evidence) in LATER.items():
        rate(form, item_id, rating, evidence)
    form.get_by_role("group", name=field("Summary judgement")).get_by_role("radio", name="Low concern").check()
    form.get_by_label(field("Rationale for the summary judgement")).fill(
        "Back in his team and away from the recruiting account; grievance remains. Continue mentoring.")
    form.get_by_role("button", name="Submit the assessment").click()
    expect_message(coord, "The assessment is submitted.")

    # 4. The comparison shows what changed, and the evidence for it.
    coord.get_by_role("link", name="what changed since the previous version").click()
    expect(coord.get_by_role("heading", level=1)).to_contain_text("What changed")
    changed = coord.locator('[data-item="engagement.contacts"]')
    expect(changed.locator("[data-change=rating]")).to_have_text("rating changed")
    expect(changed.locator('[data-side="earlier"]')).to_contain_text(CLEAR)
    expect(changed.locator('[data-side="later"]')).to_contain_text(SOME)
    expect(changed.locator('[data-side="later"]')).to_contain_text("Blocked the recruiting account in April")
    expect(coord.locator("[data-change=rating]")).to_have_count(len(LATER))
    same = coord.get_by_role("region", name="Items without change")
    same.get_by_text("Show the items whose rating and evidence stayed the same").click()
    expect(same.locator('[data-item="capability.means"] [data-change=none]')).to_have_text("no change")
    expect(same.locator('[data-item="engagement.contacts"]')).to_have_count(0)
    summary = coord.get_by_role("region", name=re.compile("Summary judgement"))
    expect(summary).to_contain_text("Moderate concern")
    expect(summary).to_contain_text("Low concern")
    shot(coord, "assessment-comparison")

    phone = people(w.panel[2], phone=True)
    phone.goto(coord.url)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("What changed")
    fits_the_phone(phone)
    shot(phone, "assessment-comparison-360")

    # The database agrees.
    first, second = Assessment.objects.filter(case=case).order_by("number")
    assert (first.status, first.countersigned_by_id) == (Status.SUPERSEDED, w.panel[2].pk)
    assert (second.status, second.previous_id, second.summary) == (Status.SUBMITTED, first.pk, "low")
    assert second.ratings.get(item_id="engagement.contacts").rating == "some"
    assert second.review_on is not None and second.review_on <= timezone.localdate() + dt.timedelta(days=182)


def test_a_needs_assessment_on_a_phone(assess_world: World, assess_personas: Personas) -> None:
    """A social worker on the panel starts the needs framework on a 360px phone; the form fits and
    says, on each field, what is still missing."""
    w, people = assess_world, assess_personas
    phone = people(w.panel[2], phone=True)
    phone.goto(f"/cases/{w.extra['case'].pk}/")
    assessments = section(phone)
    expect(assessments.get_by_label(field("Instrument"))).to_be_visible()  # open while nothing is assessed
    assessments.get_by_label(field("Instrument")).select_option(label="Needs framework")
    assessments.get_by_role("button", name="Start a draft").click()
    expect_message(phone, "A draft was started.")
    fits_the_phone(phone)
    form = phone.locator("form[data-form=assessment]")
    rate(form, "housing.stable", "Pressing need – support is needed now",
         "Family of five in one room since the eviction in February (social worker's visit, 2 March).")
    rate(form, "legal.documents", "Unknown – not enough information yet",
         "Missing: whether the youngest child was registered at birth; ask the civil registry.")
    form.get_by_role("button", name="Submit the assessment").click()
    expect_message(phone, "Your draft is saved, but it cannot be submitted yet")
    expect(phone.locator("#id_r__ete__school_error")).to_contain_text("Rate this item.")
    expect(phone.locator("#id_summary_error")).to_contain_text("Choose your summary judgement.")
    evidence = phone.locator('[data-item="ete.school"] textarea')
    expect(evidence).to_have_attribute("aria-describedby", "id_e__ete__school_error")
    fits_the_phone(phone)
    shot(phone, "assessment-needs-form-360")
    assert Assessment.objects.get(instrument__code="ura-needs").ratings.get(item_id="housing.stable").rating \
        == "pressing_need"
