"""``ura credentials``: record, revoke and list assessors' credentials from the command line."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from ura.accounts.models import User
from ura.assessments.models import Credential
from ura.assessments.services import credential_record, credential_revoke
from ura.errors import ServiceError


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("Give dates as YYYY-MM-DD, not %(value)r.") % {"value": value}) from None


class Command(BaseCommand):
    help = "Record (grant), revoke (revoke) or list (list) the credentials assessors hold."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="{grant,revoke,list}")
        grant = commands.add_parser("grant", help="Record that USER holds CODE (e.g. vera-2r).")
        grant.add_argument("username")
        grant.add_argument("code")
        grant.add_argument("--from", dest="valid_from", help="First day of validity (default: today).")
        grant.add_argument("--until", dest="valid_until", help="Last day of validity (default: none).")
        grant.add_argument("--note", default="", help="The certificate or training, and who gave it.")
        revoke = commands.add_parser("revoke", help="Revoke a credential from today.")
        revoke.add_argument("id", type=int)
        listing = commands.add_parser("list", help="List recorded credentials.")
        listing.add_argument("--user", dest="username")

    def handle(self, *args: Any, **options: Any) -> None:
        sub = options["subcommand"]
        try:
            if sub == "grant":
                user = User.objects.filter(username=options["username"]).first()
                if user is None:
                    raise CommandError(_("No user is called %(name)r.") % {"name": options["username"]})
                start = _date(options["valid_from"]) if options["valid_from"] else timezone.localdate()
                end = _date(options["valid_until"]) if options["valid_until"] else None
                c = credential_record(actor=None, user=user, code=options["code"], valid_from=start, valid_until=end,
                                      note=options["note"])
                self.stdout.write(_("Recorded credential %(id)s: %(user)s holds %(code)s.")
                                  % {"id": c.pk, "user": user.username, "code": c.code})
            elif sub == "revoke":
                c = Credential.objects.filter(pk=options["id"]).first()
                if c is None:
                    raise CommandError(_("There is no credential %(id)s.") % {"id": options["id"]})
                credential_revoke(actor=None, credential=c)
                self.stdout.write(_("Revoked credential %(id)s.") % {"id": c.pk})
            else:
                qs = Credential.objects.select_related("user").order_by("user__username", "code", "id")
                if options["username"]:
                    qs = qs.filter(user__username=options["username"])
                today = timezone.localdate()
                for c in qs:
                    state = _("valid") if c.valid_on(today) else _("not valid today")
                    self.stdout.write(f"{c.pk}\t{c.user.username}\t{c.code}\t{c.valid_from}\t"
                                      f"{c.valid_until or '-'}\t{state}")
        except ServiceError as e:
            raise CommandError(e.message) from None
