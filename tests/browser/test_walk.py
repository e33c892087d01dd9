"""One case through the whole process in a real browser, each persona in their own session.

The same walk as ``tests/walk.py``, but only through the pages: referral, screening with a
sealed police answer, an information request, panel meetings under the mechanism's decision
rule, consent, an intervention and a session recorded on a phone, a review that returns the
case, a second adoption, exit, post-exit reviews, closure and a new episode. The database is
read only to check the result at the end.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.browser.kit import Personas, chromium, expect_message, field, menu, shot
from tests.world import World, make_world
from ura.cases.models import Case, TimelineEntry

# Playwright's sync API runs an event loop in this thread; without this, the ORM refuses to run here
# (Django reads the variable at each query, so setting it on import is early enough).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

SEALED_NOTE = "Sealed: a brother is known to counter-terrorism unit 7."

# Outcome labels as the vote and decision forms show them.
ADOPT = "Adopt with a support package"
RETURN = "Return through the process"
EXIT = "Exit"


# --- fixtures (named so as not to clash with tests/browser/conftest.py) -------------------------

@pytest.fixture(scope="module")
def walk_browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser



@pytest.fixture(params=["gjilan", "channel", "novi_pazar"])
def walk_world(request: pytest.FixtureRequest, live_server: Any) -> World:
    return make_world(request.param)


@pytest.fixture
def walk_personas(walk_browser: Browser, live_server: Any) -> Iterator[Personas]:
    personas = Personas(walk_browser, live_server.url)
    yield personas
    personas.close()


# --- what the user sees ------------------------------------------------------------------------







def expect_stage(page: Page, label: str) -> None:
    """The stage strip marks ``label`` as the current stage (and only it)."""
    current = page.locator("ul.steps li[aria-current=step]")
    expect(current).to_have_count(1)
    expect(current).to_have_text(re.compile(rf"(^|\s){re.escape(label)}$"))




def open_case(page: Page, ref: str) -> str:
    """Open the case from the case list; returns its address."""
    menu(page, "Cases")
    page.get_by_role("link", name=ref, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Case {ref}")
    return page.url


def press(page: Page, step: str, stage_label: str) -> None:
    """Take a step offered under "Next step" on the case page."""
    page.get_by_role("region", name="Next step").get_by_role("button", name=step, exact=True).click()
    expect_message(page, f"Done: the case is now in stage “{stage_label}”.")
    expect_stage(page, stage_label)


# --- the walk, by persona -------------------------------------------------------------------------

def refer(w: World, people: Personas, given: str, family: str, born: dt.date) -> str:
    page = people(w.referrer)
    menu(page, "Refer a concern")
    expect(page.get_by_role("heading", level=1)).to_have_text("Refer a concern")
    page.get_by_label(field("Given name")).fill(given)
    page.get_by_label(field("Family name")).fill(family)
    page.get_by_label(field("Date of birth")).fill(born.isoformat())
    page.get_by_label(field("Sex")).select_option(label="Male")
    page.get_by_label(field("Municipality or place")).fill("Gjilan")
    page.get_by_label(field("Type of concern")).select_option(label="Religiously motivated")
    # Prefilled from the teacher's agency, a school.
    expect(page.get_by_label(field("You are referring from"))).to_have_value("education")
    page.get_by_label(field("What have you observed?")).fill(
        "Shows classmates videos praising violence; skips classes.")
    page.get_by_label(field("Shares or consumes extremist material")).check()
    page.get_by_role("button", name="Send the referral").click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Your referral was received, reference ")
    ref = re.search(r"reference (\S+)$", heading.inner_text().strip()).group(1)  # type: ignore[union-attr]

    page.get_by_role("link", name="My referrals").first.click()
    row = page.get_by_role("row").filter(has_text=ref)
    expect(row).to_have_count(1)
    expect(row.locator("[data-status]")).to_have_text("received")
    expect(page.get_by_role("columnheader")).to_have_text(["Reference", "Referred on", "Status"])
    expect(page.locator("main")).not_to_contain_text(given)
    return ref


def screen(w: World, people: Personas, ref: str) -> str:
    coord = people(w.coordinator)
    case_url = open_case(coord, ref)
    expect_stage(coord, "Referred")
    press(coord, "Start screening", "Screening")
    coord.get_by_role("button", name="Ask the police for a deconfliction check").click()
    expect_message(coord, "The police have been asked.")
    expect(coord.get_by_role("region", name="Screening: police deconfliction")).to_contain_text(
        "awaiting the police answer")
    # Accepting before the police answer is not offered as possible: the guard refuses it.
    coord.get_by_role("button", name="Accept for case review").click()
    expect(coord.locator("ul.messages")).to_contain_text("The police deconfliction answer has not arrived yet.")
    expect_stage(coord, "Screening")

    police = people(w.police)
    menu(police, "Deconfliction")
    check = police.get_by_role("region", name=ref)
    check.get_by_label(field("Proceed")).check()
    check.get_by_label(field("Police note (sealed)")).fill(SEALED_NOTE)
    check.get_by_role("button", name="Send the answer").click()
    expect_message(police, f"Your answer for {ref} was sent. The note stays with the police.")
    expect(police.get_by_role("region", name=ref)).to_have_count(0)

    coord.goto(case_url)  # (the refused step left the browser on the step's address)
    expect(coord.get_by_role("region", name="Screening: police deconfliction")).to_contain_text("Proceed")
    press(coord, "Accept for case review", "Case review")
    expect(coord.locator("body")).not_to_contain_text(SEALED_NOTE)
    assert SEALED_NOTE not in coord.content()

    social = w.agencies["social"].name
    requests = coord.get_by_role("region", name="Case review: information requests")
    requests.get_by_text("Ask a member agency for information").click()
    requests.get_by_label(field("Ask which agency")).select_option(label=social)
    requests.get_by_label(field("What do you ask?")).fill("Is the family known to your centre?")
    requests.get_by_label(field("Purpose")).fill("Needs assessment")
    requests.get_by_label(field("Legal basis")).fill("Law on social protection, art. 12")
    requests.get_by_label(field("Answer due by")).fill((timezone.localdate() + dt.timedelta(days=7)).isoformat())
    requests.get_by_role("button", name="Send the request").click()
    expect_message(coord, f"The request was sent to {social}.")

    member = people(w.panel[2])
    menu(member, "Information requests")
    member.get_by_role("link", name=f"Answer for {ref}").click()
    member.get_by_label(field("Answer")).fill("Known since 2021; the mother is supportive.")
    member.get_by_role("button", name="Send", exact=True).click()
    expect_message(member, f"Your answer for {ref} was sent.")
    expect(member.locator("main")).to_contain_text("No requests are waiting for your agency.")

    coord.goto(case_url)
    expect(coord.get_by_role("region", name="Case review: information requests")).to_contain_text(
        "Known since 2021; the mother is supportive.")
    return case_url


class Meetings:
    """Meetings planned one day apart, so that the case's panel history keeps their order."""

    def __init__(self) -> None:
        self.n = 0

    def next_start(self) -> str:
        self.n += 1
        start = timezone.localtime() + dt.timedelta(days=self.n)
        return start.replace(hour=10, minute=0).strftime("%Y-%m-%dT%H:%M")


def hold_panel(w: World, people: Personas, meetings: Meetings, ref: str, name: str, *, stage_label: str,
               outcome: str, screenshot: str | None = None) -> None:
    """The coordinator plans a meeting and puts the case on it; the panel votes and decides ``outcome``."""
    coord = people(w.coordinator)
    menu(coord, "Panel meetings")
    plan = coord.get_by_role("region", name="Plan a meeting")
    plan.get_by_label(field("Date and time")).fill(meetings.next_start())
    plan.get_by_label(field("Place")).fill("Town hall, room 2")
    plan.get_by_role("button", name="Plan the meeting").click()
    expect_message(coord, "The meeting is planned. Add cases to its agenda.")
    meeting_url = coord.url

    coord.get_by_label(field("Case")).select_option(label=f"{ref} · {name} · {stage_label}")
    coord.get_by_role("button", name="Add to the agenda").click()
    expect_message(coord, "The case is on the agenda.")
    expect(coord.locator("#quorum")).to_contain_text("Not quorate")

    present = coord.get_by_role("group", name="Panel members present")
    for box in present.get_by_role("checkbox").all():
        box.check()
    coord.get_by_role("button", name="Record attendance").click()
    expect_message(coord, "Attendance recorded.")
    expect(coord.locator("#quorum")).to_contain_text("Quorate")
    expect(coord.locator("#quorum")).to_contain_text("4 of 4 voting agencies present")

    for i, member in enumerate(w.panel, start=1):
        page = people(member)
        page.goto(meeting_url)
        item = page.locator("article.item").filter(has_text=ref)
        vote = item.locator("form[data-form=vote]")
        vote.get_by_label(field(outcome)).check()
        vote.get_by_role("button", name="Cast my vote").click()
        expect(item.get_by_role("status")).to_have_text("Your vote is recorded.")
        expect(item).to_contain_text(f"{i} of 4 eligible members have voted.")

    chair_rule = w.mechanism.decision_rule == "chair"
    decider = people(w.chair if chair_rule else w.coordinator)
    decider.goto(meeting_url)
    item = decider.locator("article.item").filter(has_text=ref)
    decide = item.locator("form[data-form=decision]")
    if chair_rule:
        expect(decide).to_contain_text("the chair states the decision")
        decide.get_by_label(field(outcome)).check()
    else:
        expect(item).to_contain_text(f"If recorded now, the decision would be: {outcome}")
    decide.get_by_label(field("Reasons")).fill(f"Discussed with all agencies present; the panel agreed: {outcome}.")
    decide.get_by_role("button", name="Record the decision").click()
    expect(item.get_by_role("status")).to_have_text("The decision is recorded.")
    expect(item.locator(".decision")).to_contain_text(f"Decision: {outcome}")
    if screenshot:
        shot(decider, screenshot)

    if decider is not coord:
        coord.goto(meeting_url)
    coord.get_by_role("textbox", name=field("Minutes")).fill(f"All four agencies present. {ref}: {outcome}.")
    coord.get_by_role("button", name="Close the meeting and keep the minutes").click()
    expect_message(coord, "The meeting is closed and its minutes are kept.")
    coord.get_by_role("link", name="Open the case").click()
    expect(coord.get_by_role("heading", level=1)).to_contain_text(f"Case {ref}")


def consent(w: World, people: Personas) -> None:
    coord = people(w.coordinator)
    expect_stage(coord, "Consent")
    form = coord.locator("form[data-form=consent]")
    expect(form).to_contain_text("The person is a minor")
    expect(form.get_by_label(field("Parent or guardian"))).to_be_checked()
    form.get_by_label(field("Name of the person who answered")).fill("Drita Krasniqi")
    form.get_by_label(field("Relationship to the person")).fill("mother")
    form.get_by_label(field("Consent given")).check()
    form.get_by_label(field("What the consent covers")).fill("Mentoring; sharing what it needs with the provider")
    form.get_by_role("button", name="Record the answer").click()
    expect_message(coord, "The answer to the offer of support is recorded.")
    expect_stage(coord, "Support")


def add_intervention(w: World, people: Personas) -> None:
    coord = people(w.coordinator)
    cso = w.agencies["cso"]
    support = coord.locator("section#support")
    form = support.locator("form[data-form=intervention]")
    expect(form).to_be_visible()  # open while the plan is empty
    form.get_by_label(field("Type of intervention")).select_option(label="Mentoring")
    form.get_by_label(field("Provider agency")).select_option(label=f"{cso.name} ({cso.get_type_display()})")
    form.get_by_label(field("Goal")).fill("Weekly mentoring: school, football, a way back to his friends")
    form.get_by_label(field("Schedule")).fill("Thursdays 16:00, weekly")
    form.get_by_label(field("Funding source")).select_option(label="International donor")
    form.get_by_label(field("Funder")).fill("GCERF")
    form.get_by_label(field("Cost (EUR)")).fill("600.00")
    form.get_by_role("button", name="Add to the support plan").click()
    expect_message(coord, "The intervention is added to the support plan.")
    card = coord.locator("li.intervention").filter(has_text=f"Mentoring · {cso.name}")
    expect(card).to_contain_text("International donor · GCERF · EUR 600.00")
    expect(card).to_contain_text("No session recorded yet.")


def record_session(w: World, people: Personas, case_url: str) -> None:
    phone = people(w.provider, phone=True)
    menu(phone, "My interventions")
    card = phone.locator("article.intervention").filter(has_text="Mentoring")
    expect(card).to_have_count(1)
    card.get_by_role("link", name="Record a session").click()
    form = phone.locator("form[data-form=session]")
    expect(form.get_by_label(field("Yes, attended"))).to_be_checked()
    expect(form.get_by_label(field("Duration (minutes)"))).to_have_value("60")
    form.get_by_label(field("Progress notes")).fill(
        "Talked about football and school; agreed to go to class on Monday.")
    button = form.get_by_role("button", name="Record the session")
    box = button.bounding_box()
    assert box is not None and box["width"] > 300, "the session button should be full width on a phone"
    # Nothing on the page is wider than the phone's screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    shot(phone, "provider-session-form-360")
    button.click()
    expect_message(phone, "The session is recorded.")
    expect(phone.locator("ul.sessions li")).to_have_count(1)
    expect(phone.locator("ul.sessions")).to_contain_text("attended · 60 minutes")

    coord = people(w.coordinator)
    coord.goto(case_url)
    expect(coord.locator("li.intervention [data-sessions]")).to_contain_text("1 session, 1 attended")


def finish(w: World, people: Personas, ref: str) -> str:
    """Post-exit reviews, closure and a new episode; returns the new episode's reference."""
    coord = people(w.coordinator)
    expect_stage(coord, "Exited")
    reviews = coord.locator("li[data-review]")
    expect(reviews).to_have_count(len(w.mechanism.post_exit_review_months))
    # "Close" is refused while the reviews are still due.
    coord.get_by_role("button", name="Close the case").click()
    expect(coord.locator("ul.messages")).to_contain_text("Post-exit reviews are still due.")
    for _ in range(len(w.mechanism.post_exit_review_months)):
        review = coord.locator("li[data-review]").filter(has=coord.locator("form[data-form=review]")).first
        early = review.get_by_text("Not due yet; record it early")
        if early.count():
            early.click()
        form = review.locator("form[data-form=review]")
        form.get_by_label(field("No new concern")).check()
        form.get_by_label(field("Notes")).fill("Back at school; no new concern from the family or teachers.")
        form.get_by_role("button", name="Record the review").click()
        expect_message(coord, "The review is recorded.")
    expect(coord.locator("li[data-review] [data-outcome=no_concern]")).to_have_count(
        len(w.mechanism.post_exit_review_months))

    press(coord, "Close the case", "Closed")
    shot(coord, f"case-closed-{w.mechanism.decision_rule}")

    again = coord.get_by_role("region", name="Refer again (new episode)")
    again.get_by_label(field("The new concern comes from")).select_option(label="Family or friends")
    again.get_by_label(field("What has been observed?")).fill("His mother is worried again: new online contacts.")
    again.get_by_role("button", name="Open a new episode").click()
    message = coord.locator("ul.messages")
    expect(message).to_contain_text("A new episode was opened: ")
    new_ref = re.search(r"opened: (\S+)\.", message.inner_text()).group(1)  # type: ignore[union-attr]
    expect(coord.get_by_role("heading", level=1)).to_contain_text(f"Case {new_ref}")
    expect(coord.locator("main")).to_contain_text("episode 2")
    expect(coord.get_by_role("navigation", name="Episodes of this person")).to_contain_text(
        f"Previous episode: {ref} (episode 1)")
    expect_stage(coord, "Referred")
    shot(coord, f"episode-2-{w.mechanism.decision_rule}")
    return new_ref


# --- the test -------------------------------------------------------------------------------------

def test_walk_through_the_process(walk_world: World, walk_personas: Personas) -> None:
    w, people = walk_world, walk_personas
    consent_required = w.mechanism.consent_required
    given, family = "Besnik", "Hoxha"
    name = f"{given} {family}"
    born = dt.date(timezone.localdate().year - 15, 3, 4)  # a pupil of 14 or 15

    # 1. The teacher refers.
    ref = refer(w, people, given, family, born)

    # 2. Screening and case review.
    case_url = screen(w, people, ref)

    # 3. The panel adopts; 4. consent where the mechanism needs it; 5. support.
    meetings = Meetings()
    hold_panel(w, people, meetings, ref, name, stage_label="Case review", outcome=ADOPT,
               screenshot=f"meeting-{w.mechanism.decision_rule}")
    if consent_required:
        consent(w, people)
    expect_stage(people(w.coordinator), "Support")
    add_intervention(w, people)
    record_session(w, people, case_url)

    # 6. A review returns the case through the process; adopted again; a later review exits.
    hold_panel(w, people, meetings, ref, name, stage_label="Support", outcome=RETURN)
    coord = people(w.coordinator)
    expect_stage(coord, "Case review")
    expect(coord.locator("ul.steps li.done")).to_contain_text(["Screening", "Panel", "Support", "Review"])
    hold_panel(w, people, meetings, ref, name, stage_label="Case review", outcome=ADOPT)
    if consent_required:
        consent(w, people)
    expect_stage(coord, "Support")
    hold_panel(w, people, meetings, ref, name, stage_label="Support", outcome=EXIT)
    expect(coord.locator("#panel [data-outcome]")).to_have_count(4)

    # 7. Post-exit reviews, closure, a new episode.
    new_ref = finish(w, people, ref)

    # The referrer learns only that the referral is closed.
    teacher = people(w.referrer)
    menu(teacher, "My referrals")
    expect(teacher.get_by_role("row").filter(has_text=ref).locator("[data-status]")).to_have_text("closed")
    expect(teacher.locator("main")).not_to_contain_text(new_ref)

    # What the provider's phone shows once the case is closed (kept for a human to look at).
    phone = people(w.provider, phone=True)
    menu(phone, "My interventions")
    expect(phone.get_by_role("heading", level=1)).to_have_text("My interventions")
    shot(phone, f"provider-after-close-{w.mechanism.decision_rule}-360")

    # The database agrees.
    case = Case.objects.get(mechanism=w.mechanism, reference=ref)
    assert case.stage == "closed"
    again = Case.objects.get(mechanism=w.mechanism, reference=new_ref)
    assert (again.previous_id, again.person_id, again.episode, again.stage) == (case.pk, case.person_id, 2, "referred")
    adopted = ["panel", "consent", "support"] if consent_required else ["panel", "support"]
    expected = ["screening", "case_review", *adopted, "review", "case_review", *adopted, "review", "exited",
                "closed"]
    moves = list(TimelineEntry.objects.filter(case=case, kind="transition").order_by("at", "id")
                 .values_list("data__target", flat=True))
    assert moves == expected
    assert case.interventions.get().sessions.count() == 1
    assert not TimelineEntry.objects.filter(case=again, kind="transition").exists()
