"""Demonstration data: seven mechanisms, one per template, with staff and a history of cases.

``demo_load`` is what ``ura demo`` runs. It is idempotent by mechanism: a mechanism whose
slug exists is left as it is, so running it again changes nothing. Everything is
generated from a fixed seed: two installations loaded on the same day hold the same demo.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ura.accounts.models import User
from ura.accounts.services import demo_two_factor_ensure
from ura.errors import ServiceError
from ura.mechanisms.demo import known, person_x, plans
from ura.mechanisms.demo.bodies import MECHANISMS, PASSWORD, MechanismSpec, username
from ura.mechanisms.demo.clock import SimulatedClock
from ura.mechanisms.demo.story import Story
from ura.mechanisms.models import Agency, Mechanism
from ura.mechanisms.services import agency_create, mechanism_create, membership_grant
from ura.support.models import InterventionType

__all__ = ["PASSWORD", "DemoReport", "Progress", "demo_load"]


@dataclass
class DemoReport:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


class Progress:
    """What ``demo_load`` tells its caller while it works; the command draws it as a bar."""

    def begin(self, spec: MechanismSpec) -> None: ...

    def advance(self, fraction: float) -> None: ...

    def end(self, spec: MechanismSpec, *, persons: int) -> None: ...


def demo_load(*, persons: int = 200, seed: int = 2026, progress: Progress | None = None) -> DemoReport:
    """Create the demo mechanisms that do not exist yet; ``persons`` is the total over all of them."""
    if not InterventionType.objects.exists():
        raise ServiceError(_("The intervention catalogue is empty: run “ura migrate” first."))
    progress = progress or Progress()
    report = DemoReport()
    # History ends at midnight: what happens today is left to the people using the demo.
    end = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(0, 0)))
    assignments = list(enumerate(plans.assign(persons, seed)))
    password = ""
    _second_factors()
    for spec in MECHANISMS:
        if Mechanism.objects.filter(slug=spec.slug).exists():
            report.skipped.append(spec.slug)
            continue
        password = password or make_password(PASSWORD)  # hashed once: the same for every demo account
        mine = [(i, a) for i, a in assignments if a.mechanism == spec.slug]
        progress.begin(spec)
        _load_mechanism(spec, mine, seed=seed, end=end, password=password, advance=progress.advance)
        progress.end(spec, persons=len(mine))
        report.created.append(spec.slug)
    known.play(report.created)
    return report


def _second_factors() -> None:
    """Demo accounts sign in with the published demo secret (README), also those of a demo loaded earlier."""
    names = [username(s.persona, spec.slug) for spec in MECHANISMS for s in spec.staff]
    for user in User.objects.filter(username__in=names):
        demo_two_factor_ensure(user=user)


def _load_mechanism(spec: MechanismSpec, assignments: list[tuple[int, plans.Assignment]], *, seed: int,
                    end: dt.datetime, password: str, advance: Callable[[float], None]) -> None:
    start = timezone.make_aware(dt.datetime.combine(plans.HISTORY_STARTS - dt.timedelta(days=28), dt.time(9)))
    clock = SimulatedClock(start)
    # Notifications of the replayed history go nowhere. The transaction sits inside the
    # override so its on-commit notifications still see it; one mechanism is all or nothing.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), clock.installed(), \
            transaction.atomic():
        mechanism = mechanism_create(actor=None, template=spec.template, slug=spec.slug, name=spec.name,
                                     level=spec.level, country=spec.country, place=spec.place)
        agencies: dict[str, Agency] = {
            a.key: agency_create(actor=None, mechanism=mechanism, name=a.name, type=a.type,
                                 votes_on_panel=a.votes_on_panel, secondary_actor=a.secondary_actor)
            for a in spec.agencies
        }
        staff = {}
        for s in spec.staff:
            name = username(s.persona, spec.slug)
            user, _created = User.objects.get_or_create(username=name, defaults={
                "first_name": s.first_name, "last_name": s.last_name, "email": f"{name}@demo.ura.example",
                "password": password, "language": spec.language})
            demo_two_factor_ensure(user=user)
            membership_grant(actor=None, user=user, mechanism=mechanism, agency=agencies[s.agency], role=s.role,
                             is_chair=s.is_chair)
            staff[s.persona] = User.objects.get(pk=user.pk)  # a fresh object: no stale membership cache
        story = Story(spec=spec, mechanism=mechanism, agencies=agencies, staff=staff,
                      rng=random.Random(f"{seed}:{spec.slug}"), clock=clock, end=end, progress=advance)
        story.play(assignments)
        if spec.template == "dprrp":
            person_x.play(story)
