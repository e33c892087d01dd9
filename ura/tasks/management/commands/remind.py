from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ura.tasks.services import reminders_send


class Command(BaseCommand):
    help = "Email each user the items due or overdue for them (once a day per item)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")
        parser.add_argument("--dry-run", action="store_true", help="Count what would be sent; send nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(_("--date must look like 2026-11-28.")) from None
        interactive = self.stdout.isatty()

        def progress(done: int, total: int) -> None:
            if interactive:
                width = 30
                filled = width * done // max(total, 1)
                self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")

        result = reminders_send(today=today, dry_run=options["dry_run"], progress=progress)
        if interactive:
            self.stdout.write("")
        verb = _("would send") if options["dry_run"] else _("sent")
        self.stdout.write(_("%(verb)s %(emails)s reminder emails covering %(tasks)s items to %(users)s users checked.")
                          % {"verb": verb, "emails": result.emails, "tasks": result.tasks, "users": result.users})
