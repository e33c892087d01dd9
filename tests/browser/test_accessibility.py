"""WCAG 2.1 A and AA, checked by axe-core on every page of the main journeys in every language, and
the referral and session forms on a 360-px phone.

axe-core comes from npm at the version pinned in tests/browser/package-lock.json (``make
test-browser`` runs ``npm ci`` there) and is injected by Playwright into each page as it is. One
browser, one signed-in context per persona; between languages only the users' saved language
changes (and, before sign-in, the switcher on the sign-in page is used).

The phone test saves docs/screenshots/referral-sq.png and referral-sr-cyrl.png, the referral form
as a teacher sees it on a phone in Albanian and in Serbian Cyrillic.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from tests.authz_world import _own_objects
from tests.browser.kit import TIMEOUT_MS, Personas, chromium, shot
from tests.reintegration_world import person_x
from tests.walk import decide, screen_and_review, start_support
from tests.world import PASSWORD, World, make_world, user
from ura.accounts.models import SecurityKey, User
from ura.accounts.recovery import recovery_codes_create
from ura.accounts.services import demo_two_factor_ensure
from ura.mechanisms.models import Role
from ura.mechanisms.services import membership_grant
from ura.web.language import HTML_LANG

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Every language Ura offers; URA_A11Y_LANGUAGES=sq,mk narrows a run while fixing what it finds.
LANGUAGES = [code for code, _name in settings.LANGUAGES
             if code in os.environ.get("URA_A11Y_LANGUAGES", code).split(",")]
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 360, "height": 740}


# --- axe ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `npm ci --prefix tests/browser` (make test-browser does)")
    return AXE.read_text(encoding="utf-8")


def axe_violations(page: Page, source: str) -> list[str]:
    """What axe-core finds on the page as it is now, one line per rule with up to three elements."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(source)  # through the DevTools protocol: Ura's Content-Security-Policy still holds
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                    resultTypes: ['violations']});
            return result.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(
                n => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\\s+/g, ' '))}));
        }""", TAGS)
    return [f"{v['id']} ({v['help']}): " + " | ".join(v["nodes"]) for v in found]


# --- the pages --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Stop:
    """One page of a journey, opened by ``who`` (a key of ``Scene.users``)."""

    name: str
    who: str
    url: str


@dataclass
class Scene:
    users: dict[str, User]
    stops: list[Stop]


def a11y_scene() -> Scene:
    w = make_world("gjilan")
    objects = _own_objects(w)
    px = person_x(handed_over=False)
    draft = _draft_assessment(w, objects["case"])
    users = {"referrer": w.referrer, "coordinator": w.coordinator, "panel": w.panel[1], "chair": w.chair,
             "provider": w.provider, "analyst": w.analyst, "dpo": w.dpo, "dprrp": px.central.coordinator}
    second_step = w.admin  # signs in only up to the code page, in the anonymous context
    case, meeting, intervention = objects["case"], objects["meeting"], objects["intervention"]
    stops = [
        Stop("start page", "referrer", reverse("start")),
        Stop("referral form", "referrer", reverse("cases:refer")),
        Stop("my referrals", "referrer", reverse("cases:my_referrals")),
        Stop("case list", "coordinator", reverse("cases:list")),
        Stop("case page", "coordinator", reverse("cases:detail", args=[case])),
        Stop("case edit form", "coordinator", reverse("cases:edit", args=[case])),
        Stop("panel meetings", "coordinator", reverse("panels:list")),
        Stop("panel meeting (coordinator)", "coordinator", reverse("panels:detail", args=[meeting])),
        Stop("panel meeting (chair)", "chair", reverse("panels:detail", args=[meeting])),
        Stop("panel meeting (member)", "panel", reverse("panels:detail", args=[meeting])),
        Stop("assessment", "coordinator", reverse("assessments:detail", args=[objects["assessment"]])),
        Stop("assessment form", "coordinator", reverse("assessments:edit", args=[draft])),
        Stop("my interventions", "provider", reverse("support:my_interventions")),
        Stop("support plan and session form", "provider", reverse("support:intervention", args=[intervention])),
        Stop("household", "dprrp", reverse("reintegration:household", args=[px.adult.pk])),
        Stop("monitoring dashboard", "analyst", reverse("monitoring:dashboard")),
        Stop("annual report", "analyst", reverse("monitoring:report")),
        Stop("emergency access reviews", "dpo", reverse("governance:breakglass_reviews")),
        Stop("sharing agreements", "dpo", reverse("governance:agreements")),
        Stop("data protection", "dpo", reverse("governance:dpo_home")),
        Stop("data protection: a person's record", "dpo", reverse("governance:dpo_person", args=[case])),
        Stop("data protection: who opened the case", "dpo", reverse("governance:dpo_accesses", args=[case])),
        Stop("access review", "dpo", reverse("governance:access_review")),
        Stop("API tokens", "coordinator", reverse("tokens:list")),
        Stop("sign-in security", "coordinator", reverse("accounts:security")),
    ]
    demo_two_factor_ensure(user=second_step)
    # Registered keys and recovery codes, listed on the security page and offered at the code step.
    for holder in (w.coordinator, second_step):
        recovery_codes_create(user=holder)
        SecurityKey.objects.create(user=holder, name="blue key", confirmed=True, credential_id=f"a2V5LQ{holder.pk}",
                                   public_key=b"\xa5")
    return Scene({**users, "admin": second_step}, stops)


def _draft_assessment(w: World, case_pk: int) -> int:
    from ura.assessments.models import Assessment
    from ura.assessments.services import assessment_revise

    current = Assessment.objects.filter(case_id=case_pk).order_by("-pk").first()
    assert current is not None
    return assessment_revise(actor=w.coordinator, assessment=current).pk


@pytest.fixture(scope="module")
def a11y_browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def a11y_personas(a11y_browser: Browser, live_server: Any) -> Iterator[Personas]:
    personas = Personas(a11y_browser, live_server.url)
    yield personas
    personas.close()


def open_page(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 400, f"{url}: HTTP {response and response.status}"


def expect_language(page: Page, language: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", HTML_LANG.get(language, language))


def submit_without_browser_checks(page: Page) -> None:
    """Send the main form as it is, past the browser's own required-field checks: the server's errors."""
    with page.expect_navigation():
        page.evaluate("() => { const f = document.querySelector('main form[method=post]');"
                      " f.noValidate = true; f.requestSubmit(); }")


# --- the tests ---------------------------------------------------------------------------------------------

def test_the_main_journeys_have_no_wcag_violations_in_any_language(
        a11y_personas: Personas, a11y_browser: Browser, live_server: Any, axe_source: str) -> None:
    scene = a11y_scene()
    pages = {key: a11y_personas(u) for key, u in scene.users.items() if key != "admin"}  # signed in once
    violations: list[str] = []

    def check(page: Page, language: str, name: str) -> None:
        violations.extend(f"[{language}] {name}: {v}" for v in axe_violations(page, axe_source))

    for language in LANGUAGES:
        User.objects.filter(pk__in=[u.pk for u in scene.users.values()]).update(language=language)

        # Before sign-in: the switcher on the sign-in page, then a failed sign-in.
        context = a11y_browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        anonymous = context.new_page()
        open_page(anonymous, reverse("login"))
        anonymous.locator("#language-select").select_option(language)
        with anonymous.expect_navigation():
            anonymous.locator("form.language button[type=submit]").click()
        expect_language(anonymous, language)
        check(anonymous, language, "sign-in page")
        anonymous.locator("#id_username").fill(f"nobody-{language}")
        anonymous.locator("#id_password").fill("not the password")
        with anonymous.expect_navigation():
            anonymous.locator("main form button[type=submit]").click()
        expect(anonymous.locator("main [role=alert]").first).to_be_visible()
        check(anonymous, language, "sign-in page, refused")
        anonymous.locator("#id_username").fill(scene.users["admin"].username)
        anonymous.locator("#id_password").fill(PASSWORD)
        with anonymous.expect_navigation():
            anonymous.locator("main form button[type=submit]").click()
        expect(anonymous).to_have_url(re.compile(re.escape(reverse("two_factor"))))
        check(anonymous, language, "sign-in page, second step")
        context.close()

        for stop in scene.stops:
            page = pages[stop.who]
            open_page(page, stop.url)
            expect_language(page, language)
            check(page, language, stop.name)
            if stop.name == "referral form":
                submit_without_browser_checks(page)
                expect(page.locator("main .errorlist").first).to_be_visible()
                check(page, language, "referral form with errors")

    assert not violations, f"{len(violations)} WCAG 2.1 A/AA violations:\n" + "\n".join(violations)


def test_the_referral_and_session_forms_fit_a_phone(a11y_browser: Browser, live_server: Any) -> None:
    w = make_world("gjilan")
    teacher = user(f"phone-teacher-{w.mechanism.slug}")
    membership_grant(actor=None, user=teacher, mechanism=w.mechanism, agency=w.agencies["school"], role=Role.REFERRER)
    case = screen_and_review(w, w.refer())
    decide(w, case, "adopt")
    intervention = start_support(w, case).interventions.get()
    phone = a11y_browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=True)
    phone.set_default_timeout(TIMEOUT_MS)
    sign_in = phone.new_page()
    open_page(sign_in, reverse("login"))
    sign_in.locator("#language-select").select_option("sr-cyrl")
    with sign_in.expect_navigation():
        sign_in.locator("form.language button[type=submit]").click()
    fits_the_screen(sign_in, "sign-in page (sr-cyrl)")
    shot(sign_in, "sign-in-phone-sr-cyrl")
    phone.close()
    personas = Personas(a11y_browser, live_server.url)
    try:
        teacher_page, provider_page = personas(teacher, phone=True), personas(w.provider, phone=True)
        DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for language in ("sq", "sr-cyrl", "en"):
            User.objects.filter(pk__in=[teacher.pk, w.provider.pk]).update(language=language)
            open_page(teacher_page, reverse("cases:refer"))
            expect_language(teacher_page, language)
            fits_the_screen(teacher_page, f"referral form ({language})")
            if language != "en":
                teacher_page.screenshot(path=str(DOCS_SCREENSHOTS / f"referral-{language}.png"), full_page=True)
            submit_without_browser_checks(teacher_page)
            fits_the_screen(teacher_page, f"referral form with errors ({language})")
            open_page(provider_page, reverse("support:intervention", args=[intervention.pk]))
            fits_the_screen(provider_page, f"session form ({language})")
            shot(provider_page, f"session-form-phone-{language}")
    finally:
        personas.close()


def fits_the_screen(page: Page, what: str) -> None:
    """Nothing wider than the screen, and every control of the main form big enough to hit with a thumb."""
    overflow = page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        return [...document.querySelectorAll('body *')].filter(e => {
            const r = e.getBoundingClientRect();
            return r.width > 0 && r.right > width + 1 && getComputedStyle(e).position !== 'absolute';
        }).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
                                (e.className && typeof e.className === 'string' ? '.' + e.className : ''));
    }""")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), \
        f"{what}: the page scrolls sideways at 360 px; too wide: {json.dumps(overflow)}"
    small = page.evaluate("""() => [...document.querySelectorAll(
            'main form button, main form input:not([type=hidden]):not([type=checkbox]):not([type=radio]), ' +
            'main form select, main form textarea')]
        .filter(e => e.offsetParent !== null)
        .filter(e => { const r = e.getBoundingClientRect(); return r.height < 24 || r.width < 24; })
        .map(e => (e.name || e.id || e.tagName) + ' ' + Math.round(e.getBoundingClientRect().width) + 'x' +
                  Math.round(e.getBoundingClientRect().height))""")
    assert not small, f"{what}: controls smaller than 24 × 24 px: {small}"
