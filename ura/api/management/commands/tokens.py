"""``ura tokens create|list|revoke``: API tokens; the secret is printed once, at creation."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ura.accounts.models import User
from ura.api.models import SCOPES, ApiToken
from ura.api.services import token_create, token_revoke
from ura.errors import ServiceError


class Command(BaseCommand):
    help = "Create, list or revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("username")
        create.add_argument("--name", default="integration")
        create.add_argument("--scope", action="append", default=[], help=f"one of {', '.join(SCOPES)}; or 'all'")
        create.add_argument("--days", type=int, default=90)
        listing = sub.add_parser("list")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, action: str, **opts: Any) -> None:
        if action == "create":
            owner = User.objects.filter(username=opts["username"]).first()
            if owner is None:
                raise CommandError("No such user.")
            scopes = list(SCOPES) if "all" in opts["scope"] else opts["scope"]
            try:
                _token, secret = token_create(actor=None, owner=owner, name=opts["name"], scopes=scopes,
                                              days=opts["days"])
            except ServiceError as e:
                raise CommandError(e.message) from e
            self.stdout.write(secret)
        elif action == "list":
            qs = ApiToken.objects.select_related("owner")
            if opts.get("username"):
                qs = qs.filter(owner__username=opts["username"])
            for t in qs:
                state = "revoked" if t.revoked_at else ("active" if t.is_active else "expired")
                self.stdout.write(f"{t.prefix}\t{t.owner.username}\t{t.name}\t{state}\t{t.expires_at:%Y-%m-%d}\t"
                                  f"{' '.join(t.scopes)}")
        else:
            token = ApiToken.objects.filter(prefix=opts["prefix"]).first()
            if token is None:
                raise CommandError("No such token.")
            token_revoke(actor=None, token=token)
            self.stdout.write(f"revoked {token.prefix}")
