"""``ura demo``: load the demonstration mechanisms, staff and case history."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ura.errors import ServiceError
from ura.mechanisms.demo import PASSWORD, DemoReport, Progress, demo_load
from ura.mechanisms.demo.bodies import MechanismSpec
from ura.monitoring.demo import monitoring_demo_load


class Bar(Progress):
    """A one-line progress bar on a terminal; one line per mechanism otherwise (logs, CI)."""

    WIDTH = 30

    def __init__(self, out: OutputWrapper, *, quiet: bool) -> None:
        self.out = out
        self.quiet = quiet
        self.tty = hasattr(out, "isatty") and out.isatty()
        self.label = ""
        self.shown = -1
        self.started = 0.0

    def begin(self, spec: MechanismSpec) -> None:
        self.label = f"{spec.place} ({spec.template})"
        self.shown = -1
        self.started = time.monotonic()
        if not self.quiet and not self.tty:
            self.out.write(_("Creating %(label)s …") % {"label": self.label})
        self.advance(0.0)

    def advance(self, fraction: float) -> None:
        percent = max(0, min(100, int(fraction * 100)))
        if self.quiet or not self.tty or percent == self.shown:
            return
        self.shown = percent
        filled = self.WIDTH * percent // 100
        bar = "█" * filled + "·" * (self.WIDTH - filled)
        self.out.write(f"\r  {self.label:<44} {bar} {percent:3d}%", ending="")
        self.out.flush()

    def end(self, spec: MechanismSpec, *, persons: int) -> None:
        if self.quiet:
            return
        done = ngettext("%(persons)d person, %(seconds).1f s", "%(persons)d persons, %(seconds).1f s", persons) % {
            "persons": persons, "seconds": time.monotonic() - self.started}
        if self.tty:
            self.out.write(f"\r  {self.label:<44} {'█' * self.WIDTH} 100%  {done}")
        else:
            self.out.write(f"  {done}")


class Command(BaseCommand):
    help = ("Load demonstration data: seven mechanisms (one per template), their staff and a history of "
            "synthetic cases since 2019. Running it again changes nothing.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, default=200,
                            help="How many synthetic persons to refer, over all mechanisms (default 200).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed; the same seed gives the same data.")

    def handle(self, *args: Any, persons: int, seed: int, verbosity: int, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(_("Demo data is never loaded into a production installation (URA_ENV=production)."))
        if persons < 0:
            raise CommandError(_("--persons cannot be negative."))
        started = time.monotonic()
        try:
            report = demo_load(persons=persons, seed=seed, progress=Bar(self.stdout, quiet=verbosity < 1))
            # Trainings, prevention activities, budgets and report text for the monitoring pages.
            monitoring_demo_load(seed=seed)
        except ServiceError as exc:
            raise CommandError(exc.message) from None
        if verbosity >= 1:
            self.summary(report, time.monotonic() - started)

    def summary(self, report: DemoReport, seconds: float) -> None:
        if report.created:
            if report.skipped:
                self.stdout.write(_("Already there and left as they were: %(slugs)s.")
                                  % {"slugs": ", ".join(report.skipped)})
            self.stdout.write(self.style.SUCCESS(
                _("Demo data loaded in %(seconds).1f s.") % {"seconds": seconds}))
        else:
            self.stdout.write(_("The demo data is already loaded; nothing was changed."))
        self.stdout.write(_("Sign in as <persona>.<mechanism>, for example coordinator.gjilan or "
                            "referrer.kumanovo, with the password %(password)s") % {"password": PASSWORD})
