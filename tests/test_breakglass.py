"""Emergency access: a written reason, a time limit, a banner on every page, every read flagged in
the audit trail, and a review by the data-protection officer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.world import World
from ura.cases.models import Case
from ura.errors import ServiceError
from ura.governance import categories as cat
from ura.governance import policy
from ura.governance.models import AuditEvent, BreakGlass
from ura.governance.services import breakglass_open, breakglass_review

REASON = "The school reports he threatened a classmate an hour ago."


def opened(w: World, user: object = None) -> tuple[Case, BreakGlass]:
    case = w.refer()
    return case, breakglass_open(actor=user or w.panel[1], reference=case.reference, reason=REASON)


def test_emergency_access_opens_a_case_the_rules_keep_closed(world: World) -> None:
    case = world.refer()
    assert not policy.can_view_case(world.panel[1], case)
    breakglass_open(actor=world.panel[1], reference=case.reference, reason=REASON)
    assert policy.can_view_case(world.panel[1], case)
    assert policy.visible_categories(world.panel[1], Case.objects.get(pk=case.pk)) == policy.BREAK_GLASS_CATEGORIES


def test_it_needs_a_written_reason(world: World) -> None:
    case = world.refer()
    with pytest.raises(ServiceError) as e:
        breakglass_open(actor=world.panel[1], reference=case.reference, reason="urgent")
    assert e.value.field == "reason"
    assert not BreakGlass.objects.exists()


def test_a_case_of_another_mechanism_and_a_missing_one_get_the_same_answer(world: World, other: World) -> None:
    theirs = other.refer()
    answers = []
    for reference in (theirs.reference, "NOPE-2026-9999"):
        with pytest.raises(ServiceError) as e:
            breakglass_open(actor=world.panel[1], reference=reference, reason=REASON)
        answers.append(e.value.message)
    assert answers[0] == answers[1]
    assert not BreakGlass.objects.exists()


@pytest.mark.parametrize("persona", ["referrer", "analyst", "dpo", "admin"])
def test_roles_without_casework_cannot_break_the_glass(client, world: World, persona: str) -> None:  # type: ignore[no-untyped-def]
    case = world.refer()
    with pytest.raises(ServiceError):
        breakglass_open(actor=getattr(world, persona), reference=case.reference, reason=REASON)
    client.force_login(getattr(world, persona))
    assert client.get(reverse("governance:breakglass_open")).status_code == 404


def test_access_ends_after_the_time_limit(world: World) -> None:
    case, bg = opened(world)
    assert bg.expires_at - bg.opened_at == dt.timedelta(hours=policy.BREAK_GLASS_HOURS)
    BreakGlass.objects.filter(pk=bg.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert not policy.can_view_case(world.panel[1], case)
    assert not policy.visible_categories(world.panel[1], Case.objects.get(pk=case.pk))
    assert policy.breakglass_active(world.panel[1]) == []


def test_after_expiry_the_case_page_is_a_404(client, world: World) -> None:  # type: ignore[no-untyped-def]
    case, bg = opened(world)
    client.force_login(world.panel[1])
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    BreakGlass.objects.filter(pk=bg.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_a_banner_marks_every_page_while_it_lasts(client, world: World) -> None:  # type: ignore[no-untyped-def]
    case, _bg = opened(world)
    client.force_login(world.panel[1])
    for url in (reverse("start"), reverse("cases:detail", args=[case.pk]), reverse("panels:list"),
                reverse("cases:request_inbox")):
        html = client.get(url).content.decode()
        assert "data-breakglass-banner" in html and case.reference in html, url
    client.force_login(world.panel[2])
    assert "data-breakglass-banner" not in client.get(reverse("start")).content.decode()


def test_the_opening_and_every_read_under_it_are_flagged_in_the_audit_trail(client, world: World) -> None:  # type: ignore[no-untyped-def]
    case, bg = opened(world)
    assert AuditEvent.objects.filter(action="breakglass.opened", case_id=case.pk, actor=world.panel[1]).count() == 1
    client.force_login(world.panel[1])
    client.get(reverse("cases:detail", args=[case.pk]))
    client.get(reverse("cases:detail", args=[case.pk]))
    reads = AuditEvent.objects.filter(action="case.viewed", case_id=case.pk, actor=world.panel[1])
    assert [e.data.get("breakglass") for e in reads] == [bg.pk, bg.pk]


def test_a_read_by_the_normal_rules_is_not_flagged(client, world: World) -> None:  # type: ignore[no-untyped-def]
    case = world.refer()
    client.force_login(world.coordinator)
    client.get(reverse("cases:detail", args=[case.pk]))
    assert "breakglass" not in AuditEvent.objects.get(action="case.viewed", case_id=case.pk).data


def test_emergency_access_reads_and_never_writes(client, world: World) -> None:  # type: ignore[no-untyped-def]
    case, _bg = opened(world, world.police)
    client.force_login(world.police)
    response = client.post(reverse("cases:transition", args=[case.pk, "start_screening"]),
                           {"start_screening-version": case.version})
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).stage == "referred"
    assert client.get(reverse("cases:edit", args=[case.pk])).status_code == 403


def test_the_police_note_stays_sealed_under_emergency_access(world: World) -> None:
    case, _bg = opened(world, world.provider)
    assert cat.POLICE not in policy.visible_categories(world.provider, case)


def test_the_dpo_reviews_each_use_and_reads_no_case_content(client, world: World) -> None:  # type: ignore[no-untyped-def]
    case, bg = opened(world)
    client.force_login(world.panel[1])
    client.get(reverse("cases:detail", args=[case.pk]))
    client.force_login(world.dpo)
    html = client.get(reverse("governance:breakglass_reviews")).content.decode()
    assert f'data-breakglass="{bg.pk}" data-reviewed="no"' in html
    assert REASON in html and case.reference in html and 'data-reads="1"' in html
    assert case.person.given_name not in html and case.concern not in html
    response = client.post(reverse("governance:breakglass_review", args=[bg.pk]),
                           {f"bg{bg.pk}-review": "justified", f"bg{bg.pk}-note": ""})
    assert response.status_code == 302
    bg.refresh_from_db()
    assert (bg.review, bg.reviewed_by) == ("justified", world.dpo)


def test_an_unjustified_access_needs_a_note(world: World) -> None:
    _case, bg = opened(world)
    with pytest.raises(ServiceError):
        breakglass_review(actor=world.dpo, breakglass=bg, review="not_justified", note="")


def test_only_the_dpo_of_the_mechanism_reviews(client, world: World, other: World) -> None:  # type: ignore[no-untyped-def]
    _case, bg = opened(world)
    for user in (world.coordinator, world.admin, other.dpo):
        client.force_login(user)
        assert client.post(reverse("governance:breakglass_review", args=[bg.pk]),
                           {f"bg{bg.pk}-review": "justified"}).status_code == 404
    client.force_login(other.dpo)
    assert f'data-breakglass="{bg.pk}"' not in client.get(reverse("governance:breakglass_reviews")).content.decode()


def test_the_form_opens_the_case_and_warns(client, world: World) -> None:  # type: ignore[no-untyped-def]
    case = world.refer()
    client.force_login(world.provider)
    response = client.post(reverse("governance:breakglass_open"), {"reference": case.reference, "reason": REASON},
                           follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[case.pk])
    assert "You are reading this case with emergency access" in html


def test_a_short_reason_keeps_the_form_with_what_was_typed(client, world: World) -> None:  # type: ignore[no-untyped-def]
    case = world.refer()
    client.force_login(world.provider)
    response = client.post(reverse("governance:breakglass_open"), {"reference": case.reference, "reason": "now"})
    assert response.status_code == 400
    assert case.reference in response.content.decode()
