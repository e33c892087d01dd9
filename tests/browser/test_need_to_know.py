"""Need-to-know in a real browser: emergency access with its banner and its review by the DPO,
"Why can I see this?", and Passage4prevent's pseudonymised case for the police.

Chromium and the signed-in personas come from tests/browser/kit.py (fixtures in conftest.py).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.kit import Personas, menu, shot
from tests.world import World, make_world
from ura.cases.services import case_transition, deconfliction_request
from ura.governance import policy
from ura.governance.models import BreakGlass

pytestmark = pytest.mark.browser

REASON = "The school called: he threatened a classmate with a knife an hour ago."


def test_emergency_access_is_marked_explained_and_reviewed(live_server: Any, personas: Personas) -> None:
    w: World = make_world("gjilan")
    case = w.refer()
    member = personas(w.panel[1])

    # The case is closed to the panel member: the same 404 as for a missing case.
    assert member.goto(f"/cases/{case.pk}/").status == 404

    member.goto("/")
    menu(member, "Emergency access")
    member.get_by_label(re.compile(r"Case reference")).fill(case.reference)
    member.get_by_label(re.compile(r"Why you need to open this case now")).fill(REASON)
    member.get_by_role("button", name="Open the case with emergency access").click()
    expect(member.get_by_role("heading", level=1)).to_contain_text(f"Case {case.reference}")
    banner = member.locator("[data-breakglass-banner]")
    expect(banner).to_contain_text(case.reference)
    expect(member.locator("main")).to_contain_text(case.person.full_name)

    why = member.locator('details.why[data-why="identity"]').first
    why.locator("summary").click()
    expect(why).to_contain_text("emergency access")
    expect(why).to_contain_text("data-protection officer")
    shot(member, "breakglass-case")

    # Marked on every page while it lasts.
    menu(member, "My work")
    expect(member.locator("[data-breakglass-banner]")).to_contain_text(case.reference)

    dpo = personas(w.dpo)
    menu(dpo, "Emergency access reviews")
    bg = BreakGlass.objects.get(case=case)
    card = dpo.locator(f'[data-breakglass="{bg.pk}"]')
    expect(card).to_contain_text(REASON)
    expect(card.locator("[data-reads]")).to_have_text("1")
    expect(dpo.locator("main")).not_to_contain_text(case.person.given_name)
    shot(dpo, "breakglass-review")
    card.get_by_label("Justified", exact=True).check()
    card.get_by_role("button", name="Record the review").click()
    expect(dpo.locator("ul.messages")).to_contain_text("The review is recorded.")
    expect(dpo.locator(f'[data-breakglass="{bg.pk}"]')).to_have_attribute("data-reviewed", "yes")


def test_passage4prevent_police_see_a_pseudonym_and_why(live_server: Any, personas: Personas) -> None:
    w = make_world("passage4prevent")
    case = case_transition(case=w.refer(), transition="start_screening", actor=w.coordinator)
    deconfliction_request(case=case, actor=w.coordinator)
    police = personas(w.police)
    menu(police, "Cases")
    police.get_by_role("link", name=case.reference, exact=True).click()
    main = police.locator("main")
    expect(main).to_contain_text(policy.pseudonym(case))
    expect(main).not_to_contain_text(case.person.given_name)
    why = police.locator('details.why[data-why="identity"]').first
    expect(why.locator("summary")).to_have_text("Why is this not shown?")
    why.locator("summary").click()
    expect(why).to_contain_text("pseudonymised case")
    shot(police, "pseudonymised-case")
