"""ura match-params: learn the matcher's m and u probabilities from the persons on record.

No labelled pairs are needed (``ura.matching.linkage.estimate_parameters``: u from random pairs,
m by expectation–maximisation). A sample of the register is read — identity fields are opened
in memory only — and the result, probabilities per field and agreement level, is stored for
screening to use. Nothing about any person is written.
"""

from __future__ import annotations

import random
import sys
from typing import Any

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ura.governance.audit import audit_record
from ura.matching.linkage import estimate_parameters
from ura.matching.models import MatchParameters
from ura.people.keys import person_record
from ura.people.models import Person


class Command(BaseCommand):
    help = "Learn the identity matcher's parameters from the persons on record (no labels needed)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--sample", type=int, default=50_000,
                            help="persons to learn from, chosen at random (default 50,000)")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["sample"] < 100:
            raise CommandError(_("Learn from at least 100 persons."))
        ids = list(Person.objects.values_list("pk", flat=True))
        if len(ids) < 100:
            raise CommandError(_("There are fewer than 100 persons on record: keep the defaults for now."))
        chosen = random.Random(opts["seed"]).sample(ids, min(opts["sample"], len(ids)))
        records = []
        tty = sys.stderr.isatty()
        for start in range(0, len(chosen), 2000):
            records += [person_record(p) for p in Person.objects.filter(pk__in=chosen[start:start + 2000])]
            if tty:
                width, done = 30, len(records)
                filled = width * done // len(chosen)
                sys.stderr.write(f"\r{_('reading')} [{'#' * filled}{'.' * (width - filled)}] {done}/{len(chosen)}")
        if tty:
            sys.stderr.write("\n")
        params = estimate_parameters(records)
        row = MatchParameters.objects.create(persons=len(records), m=params.m, u=params.u)
        cache.delete("ura:matching:parameters")
        audit_record(actor=None, action="matching.parameters_estimated", obj=row, data={"persons": len(records)})
        self.stdout.write(_("Learnt from %(n)s persons; screening uses these parameters from now on.")
                          % {"n": len(records)})
        for name in params.m:
            self.stdout.write(f"  {name:<15} m={[round(x, 3) for x in params.m[name]]} "
                              f"u={[round(x, 4) for x in params.u[name]]}")
