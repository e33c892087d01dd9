"""``ura account locked | unlock USERNAME | unlock-address IP | reset-two-factor USERNAME | disable USERNAME``:
account security for system administrators."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ura.accounts import services
from ura.accounts.models import User
from ura.accounts.selectors import locked_usernames


class Command(BaseCommand):
    help = "Lift a sign-in lock, reset a lost second factor, or disable an account (its sessions end at once)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("locked", help="list the names that are locked now")
        p = sub.add_parser("unlock-address", help="forget the failed sign-ins from one client address")
        p.add_argument("address")
        p.add_argument("--reason", default="", help="kept in the audit log")
        for name, text in (("unlock", "forget the failed sign-ins of a name"),
                           ("reset-two-factor", "remove the account's authenticator; it enrols again at sign-in"),
                           ("disable", "disable the account and end its sessions")):
            p = sub.add_parser(name, help=text)
            p.add_argument("username")
            p.add_argument("--reason", default="", help="kept in the audit log")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "locked":
            for row in locked_usernames():
                self.stdout.write(f"{row['username']}\t{row['failures']} failures, latest {row['last']:%Y-%m-%d %H:%M}")
            return
        if action == "unlock-address":
            try:
                ip = str(ipaddress.ip_address(options["address"]))
            except ValueError:
                raise CommandError(f"{options['address']!r} is not an IP address.") from None
            count = services.sign_in_unlock_address(actor=None, ip=ip, reason=options["reason"])
            self.stdout.write(f"{options['address']}: {count} failed sign-ins forgotten.")
            return
        username, reason = options["username"], options["reason"]
        if action == "unlock":
            count = services.sign_in_unlock(actor=None, username=username, reason=reason)
            self.stdout.write(f"{username}: {count} failed sign-ins forgotten.")
            return
        user = User.objects.filter(username__iexact=username).first()
        if user is None:
            raise CommandError(f"There is no account named {username!r}.")
        if action == "reset-two-factor":
            services.two_factor_reset(actor=None, user=user, reason=reason)
            self.stdout.write(f"{user.username} will set up two-factor sign-in again at the next sign-in.")
        else:
            services.account_disable(actor=None, user=user, reason=reason)
            self.stdout.write(f"{user.username} is disabled; its sessions have ended.")
