from __future__ import annotations

import time
from typing import Any

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ura.accounts"
    label = "accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_start_session_clock, dispatch_uid="ura.accounts.session_clock")


def _start_session_clock(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Every way of signing in starts the idle and absolute timeouts (SignInMiddleware ends them)."""
    from ura.accounts.services import session_stamp

    if request is not None and hasattr(request, "session"):
        session_stamp(session=request.session, now=time.time())
