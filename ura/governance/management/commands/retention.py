from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from ura.governance.retention import PurgeResult, retention_purge
from ura.mechanisms.models import Mechanism


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("--today must be a date written YYYY-MM-DD, not “%(value)s”.")
                           % {"value": value}) from None


class Command(BaseCommand):
    help = "Erase the personal data of cases whose retention period has ended (purge), keeping anonymous statistics."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="{purge}")
        purge = commands.add_parser(
            "purge", help="Erase expired cases, one per transaction; held cases are skipped and listed.")
        purge.add_argument("--dry-run", action="store_true",
                           help="List what would be erased (case references and counts) and change nothing.")
        purge.add_argument("--today", metavar="YYYY-MM-DD",
                           help="Run as if today were this date (default: today in the installation's time zone).")
        purge.add_argument("--mechanism", metavar="SLUG", help="Only this mechanism's cases.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = _day(options["today"]) if options["today"] else timezone.localdate()
        mechanisms = None
        if options["mechanism"]:
            mechanisms = list(Mechanism.objects.filter(slug=options["mechanism"]))
            if not mechanisms:
                raise CommandError(_("No mechanism has the slug “%(slug)s”.") % {"slug": options["mechanism"]})
        interactive = self.stdout.isatty()

        def progress(done: int, total: int) -> None:
            width = 30
            filled = width * done // max(total, 1)
            self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")

        result = retention_purge(today=today, dry_run=options["dry_run"], mechanisms=mechanisms,
                                 progress=progress if interactive else None)
        if interactive:
            self.stdout.write("")
        self._report(result, today=today, dry_run=options["dry_run"])
        if result.failed:
            raise CommandError(_("%(n)s case(s) could not be erased and were left whole.") % {"n": len(result.failed)})

    def _report(self, result: PurgeResult, *, today: dt.date, dry_run: bool) -> None:
        w = self.stdout.write
        if dry_run:
            w(_("Dry run for %(today)s: nothing was changed.") % {"today": today.isoformat()})
            for due, plan in result.planned:
                counts = ", ".join(f"{label} {n}" for label, n in sorted(plan.as_data()["deleted"].items()))
                w(_("would erase %(ref)s (%(mechanism)s, expired %(expires)s): delete %(counts)s; "
                    "person %(person)s") % {
                    "ref": due.case.reference, "mechanism": due.case.mechanism.slug,
                    "expires": due.expires.isoformat(), "counts": counts or "—",
                    "person": _("anonymised") if plan.person else _("kept (another case is still kept)")})
        else:
            for due, _plan in result.erased:
                w(_("erased %(ref)s") % {"ref": due.case.reference})
        for due in result.held:
            w(_("held %(ref)s: under a legal hold, not erased") % {"ref": due.case.reference})
        for due, problem in result.failed:
            self.stderr.write(_("failed %(ref)s: %(problem)s (the case is left whole)")
                              % {"ref": due.case.reference, "problem": problem})
        n = len(result.planned) if dry_run else len(result.erased)
        w((_("%(n)s case(s) would be erased, %(held)s held, %(failed)s failed.") if dry_run else
           _("%(n)s case(s) erased, %(held)s held, %(failed)s failed."))
          % {"n": n, "held": len(result.held), "failed": len(result.failed)})
