"""Tenancy that does not rest on remembering a filter: every model hanging off a case has declared
doors, each door is in the authorization matrix, and the policy's queryset and its per-case grants
agree on every case for every persona."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from tests import authz_table
from tests.authz_world import _ask, _shared_case
from tests.walk import decide, screen_and_review, start_support
from tests.world import World
from ura.cases.models import Case
from ura.governance import policy
from ura.governance.services import breakglass_open


def _reaches_case(model: type[models.Model], depth: int = 2) -> bool:
    for f in model._meta.get_fields():
        if isinstance(f, models.ForeignKey | models.OneToOneField) and not f.auto_created:
            if f.related_model is Case:
                return True
            if depth > 1 and isinstance(f.related_model, type) and _reaches_case(f.related_model, depth - 1):
                return True
    return False


def test_every_model_that_reaches_a_case_declares_how_it_is_read() -> None:
    found = {m._meta.label_lower for m in apps.get_models() if _reaches_case(m)}
    missing = sorted(found - set(policy.CASE_CHILDREN))
    assert not missing, ("Models that reach a case but are not in ura/governance/policy/scoped.py: "
                         + ", ".join(missing))


def test_every_declared_door_is_in_the_authorization_matrix() -> None:
    doors = {door for doors in policy.CASE_CHILDREN.values() for door in doors}
    assert not [d for d in sorted(doors) if not authz_table.has(d)]


def test_the_case_manager_filters_through_the_policy(world: World, other: World) -> None:
    mine, theirs = world.refer(), other.refer()
    assert list(Case.objects.visible_to(world.coordinator)) == [mine]
    assert list(Case.objects.visible_to(other.coordinator)) == [theirs]
    assert not Case.objects.visible_to(world.analyst).exists()


def test_the_queryset_and_the_grants_agree_for_every_persona_and_case(channel: World, other: World) -> None:
    w = channel
    supported = start_support(w, _adopted(w))
    waiting = screen_and_review(w, w.refer())
    shared = Case.objects.get(pk=_shared_case(w)["case"])
    referred = w.refer()
    breakglass_open(actor=w.panel[1], reference=referred.reference, reason="A threat was made this morning at school.")
    cases = [supported, waiting, shared, referred, other.refer()]
    personas = [w.coordinator, *w.panel, w.referrer, w.police, w.provider, w.analyst, w.dpo, w.admin,
                other.coordinator, other.police]
    for user in personas:
        visible = set(policy.cases_visible_to(user).values_list("pk", flat=True))
        for case in cases:
            granted = bool(policy.access(user, Case.objects.get(pk=case.pk)).grants)
            assert granted == (case.pk in visible), (user.username, case.reference)


def _adopted(w: World) -> Case:
    case = screen_and_review(w, w.refer())
    decide(w, case, "adopt")
    return Case.objects.get(pk=case.pk)


def test_a_request_shares_exactly_the_categories_chosen(world: World) -> None:
    case = screen_and_review(world, world.refer())
    case.deconflictions.all().delete()  # the police reach it through the request alone
    from ura.cases.services import information_request_create

    information_request_create(case=case, actor=world.coordinator, to_agency=world.agencies["police"],
                               question="Known?", purpose="deconfliction", legal_basis="Police Act, art. 3",
                               due_on=case.referred_on.replace(year=case.referred_on.year + 1),
                               categories=["referral"])
    assert policy.visible_categories(world.police, Case.objects.get(pk=case.pk)) == {"referral"}


def test_an_answer_ends_the_access_a_request_gave(world: World) -> None:
    from ura.cases.services import information_request_answer

    case = screen_and_review(world, world.refer())
    r = _ask(world, case, "school")
    member = world.panel[1]
    assert policy.can_view_case(member, case)
    information_request_answer(request=r, actor=member, answer="Not known to the school.")
    assert not policy.can_view_case(member, case)
    assert not policy.visible_categories(member, Case.objects.get(pk=case.pk))
