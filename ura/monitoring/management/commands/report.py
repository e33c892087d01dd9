"""``ura report annual``: the annual report of a mechanism or a country, as PDF, CSV or XLSX.

    ura report annual --mechanism gjilan --year 2025 --pdf gjilan-2025.pdf
    ura report annual --country XK --year 2025 --pdf kosovo-2025.pdf --xlsx kosovo-2025.xlsx

Run on the server by its operators; the download is audited like one from the web.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils import timezone
from django.utils.translation import gettext as _

from ura.governance.audit import audit_record
from ura.mechanisms.models import Mechanism
from ura.monitoring import exports, pdf, selectors
from ura.monitoring.indicators import indicators_for
from ura.monitoring.queries import published_until
from ura.monitoring.scopes import Scope, country_scope, mechanism_scope


class Steps:
    """A progress bar on a terminal, one line per step otherwise (logs, CI)."""

    WIDTH = 30

    def __init__(self, out: OutputWrapper, total: int, *, quiet: bool) -> None:
        self.out, self.total, self.quiet, self.done = out, total, quiet, 0
        self.tty = hasattr(out, "isatty") and out.isatty()
        self.started = time.monotonic()

    def step(self, label: str) -> None:
        self.done += 1
        if self.quiet:
            return
        elapsed = time.monotonic() - self.started
        if self.tty:
            filled = self.WIDTH * self.done // self.total
            bar = "█" * filled + "·" * (self.WIDTH - filled)
            self.out.write(f"\r  {bar} {self.done}/{self.total} {label:<40} {elapsed:5.1f} s", ending="")
            self.out.flush()
            if self.done == self.total:
                self.out.write("")
        else:
            self.out.write(f"  [{self.done}/{self.total}] {label} ({elapsed:.1f} s)")


class Command(BaseCommand):
    help = "Produce reports. 'annual': a mechanism's or a country's annual report as PDF, CSV and/or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="kind", required=True)
        annual = sub.add_parser("annual", help="The annual report.")
        which = annual.add_mutually_exclusive_group(required=True)
        which.add_argument("--mechanism", help="The mechanism's short name (slug).")
        which.add_argument("--country", help="Two-letter country code: the national report over all its mechanisms.")
        annual.add_argument("--year", type=int, required=True)
        annual.add_argument("--pdf", type=Path, help="Write the PDF here.")
        annual.add_argument("--csv", type=Path, help="Write the aggregate tables as CSV here.")
        annual.add_argument("--xlsx", type=Path, help="Write the aggregate tables as XLSX here.")

    def handle(self, *args: Any, kind: str, mechanism: str | None, country: str | None, year: int,
               verbosity: int, **options: Any) -> None:
        outputs = {fmt: options[fmt] for fmt in ("pdf", "csv", "xlsx") if options.get(fmt)}
        if not outputs:
            raise CommandError(_("Say where to write the report: --pdf, --csv and/or --xlsx."))
        scope = self._scope(mechanism, country)
        last = published_until(timezone.localdate()).year
        if not 2000 <= year <= last:
            raise CommandError(_("Choose a year from 2000 to %(last)d.") % {"last": last})
        for path in outputs.values():
            if not path.parent.exists():
                raise CommandError(_("The folder %(folder)s does not exist.") % {"folder": path.parent})
        steps = Steps(self.stdout, 1 + len(outputs), quiet=verbosity < 1 or not sys.stdout)
        ind = indicators_for(scope, year, trend_years=2)
        steps.step(_("indicators computed"))
        for fmt, path in outputs.items():
            if fmt == "pdf":
                body = pdf.render(ind, narrative=selectors.narrative(scope.code, year))
            elif fmt == "csv":
                body = exports.as_csv(ind)
            else:
                body = exports.as_xlsx(ind)
            path.write_bytes(body)
            audit_record(actor=None, action="report.downloaded", mechanism=scope.mechanism,
                         data={"scope": scope.code, "year": year, "format": fmt, "via": "command"})
            steps.step(str(path))
        if verbosity >= 1:
            self.stdout.write(_("%(scope)s, %(year)d: %(hidden)d figures hidden to protect people.")
                              % {"scope": scope.label, "year": year, "hidden": ind.hidden_count()})

    def _scope(self, mechanism: str | None, country: str | None) -> Scope:
        if mechanism:
            found = Mechanism.objects.filter(slug=mechanism).first()
            if found is None:
                raise CommandError(_("There is no mechanism “%(slug)s”.") % {"slug": mechanism})
            return mechanism_scope(found)
        code = (country or "").upper()
        if not Mechanism.objects.filter(country=code).exists():
            raise CommandError(_("No mechanism is in country “%(country)s”.") % {"country": country})
        return country_scope(code)
