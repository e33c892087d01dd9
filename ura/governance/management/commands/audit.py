from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ura.governance.chain import Anchor, audit_chain_anchor, audit_chain_verify, audit_guard_findings, default_jobs


class Command(BaseCommand):
    help = ("Check the audit log's hash chain (verify), print its end to keep elsewhere (anchor), or check that "
            "the database refuses this connection any change to it (guard).")

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="{verify,anchor,guard}")
        verify = commands.add_parser("verify", help="Recompute every event's hash; name the first broken event.")
        verify.add_argument("--anchor", metavar="FILE",
                            help="Also check against an anchor written earlier by `ura audit anchor`.")
        verify.add_argument("--jobs", type=int, default=default_jobs(), metavar="N",
                            help="Processes reading a long chain at once on PostgreSQL (default: one per CPU, "
                                 "at most four).")
        anchor = commands.add_parser("anchor", help="Print the chain's last seq and hash as JSON.")
        anchor.add_argument("--output", metavar="FILE", help="Write the anchor to FILE as well.")
        commands.add_parser("guard", help="Check that the database refuses this connection any change to audit "
                                          "events (PostgreSQL; run it with the application's DATABASE_URL).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "verify":
            self.verify(options["anchor"], options["jobs"])
        elif options["subcommand"] == "guard":
            self.guard()
        else:
            self.anchor(options["output"])

    def verify(self, anchor_file: str | None, jobs: int) -> None:
        if jobs < 1:
            raise CommandError(_("--jobs must be at least 1."))
        anchor = None
        if anchor_file:
            try:
                anchor = Anchor.from_json(Path(anchor_file).read_text(encoding="utf-8"))
            except OSError as exc:
                raise CommandError(_("Cannot read the anchor: %(error)s") % {"error": exc}) from None
            except ValueError as exc:
                raise CommandError(str(exc)) from None
        interactive = self.stdout.isatty()

        def progress(done: int, total: int) -> None:
            width = 30
            filled = width * done // max(total, 1)
            self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")

        report = audit_chain_verify(anchor=anchor, progress=progress if interactive else None, jobs=jobs)
        if interactive:
            self.stdout.write("")
        if not report.ok:
            self.stderr.write(_("Checked %(n)s events in %(seconds).2f s before the first broken one.")
                              % {"n": report.events, "seconds": report.seconds})
            raise CommandError(_("Audit chain broken: %(problem)s.") % {"problem": report.problem})
        self.stdout.write(_("OK: %(n)s events, head seq %(seq)s hash %(hash)s")
                          % {"n": report.events, "seq": report.head_seq, "hash": report.head_hash})
        self.stdout.write(_("Checked %(n)s events in %(seconds).2f s (%(rate)s events/s).")
                          % {"n": report.events, "seconds": report.seconds, "rate": f"{report.per_second:,.0f}"})
        if anchor is not None:
            self.stdout.write(_("The anchor (seq %(seq)s, taken %(at)s) matches.")
                              % {"seq": anchor.seq, "at": anchor.at or "?"})

    def anchor(self, output: str | None) -> None:
        text = audit_chain_anchor().as_json()
        if output:
            try:
                Path(output).write_text(text + "\n", encoding="utf-8")
            except OSError as exc:
                raise CommandError(_("Cannot write the anchor: %(error)s") % {"error": exc}) from None
        self.stdout.write(text)

    def guard(self) -> None:
        findings = audit_guard_findings()
        if not findings:
            raise CommandError(_("This database (SQLite) has no guard of its own: whoever can write the file can "
                                 "change the audit log, and only `ura audit verify` shows it. Run Ura on PostgreSQL "
                                 "in production."))
        for finding in findings:
            self.stdout.write(f"{'ok ' if finding.ok else 'NO '} {finding.text}")
        if not all(f.ok for f in findings):
            raise CommandError(_("This connection could change or remove audit events. Connect as a role that "
                                 "neither owns the tables nor is a superuser."))
        self.stdout.write(_("The database refuses this connection any change to audit events."))
