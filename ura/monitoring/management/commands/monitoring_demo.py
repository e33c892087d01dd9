"""``ura monitoring_demo``: trainings, activities, budgets and report texts for the demo mechanisms."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ura.monitoring.demo import monitoring_demo_load


class Command(BaseCommand):
    help = "Load demonstration monitoring data (after 'ura demo'). Running it again changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, seed: int, verbosity: int, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(_("Demo data is never loaded into a production installation (URA_ENV=production)."))
        loaded = monitoring_demo_load(seed=seed)
        if verbosity >= 1:
            self.stdout.write(_("Monitoring data loaded for %(n)d mechanisms.") % {"n": len(loaded)})
