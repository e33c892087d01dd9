"""``ura demo-code``: the current sign-in code of the demo accounts (development only)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ura.accounts.services import DEMO_TOTP_BASE32, demo_totp_code


class Command(BaseCommand):
    help = "Print the code the demo accounts' authenticator would show now (refused in production)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("ura demo-code is for demo installations; it refuses to run when URA_ENV=production.")
        now = time.time()
        left = 30 - int(now) % 30
        self.stdout.write(demo_totp_code(at=now))
        self.stderr.write(f"valid for {left} more seconds; the demo secret for an authenticator app is "
                          f"{DEMO_TOTP_BASE32}")
