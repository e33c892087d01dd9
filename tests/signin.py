"""Signing in within tests: ``client.force_login(user)`` stands for a complete sign-in, password
and second factor (tests/conftest.py makes it so); ``unverified_login`` is the password step alone.

The enforcement itself is tested through the real sign-in steps in tests/test_account_security.py.
"""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpRequest
from django.test import Client
from django_otp import login as otp_login

from ura.accounts.services import demo_totp_code, demo_two_factor_ensure

unverified_login = Client.force_login  # Django's own, captured before tests/conftest.py wraps it


def verified_login(client: Client, user: Any, backend: str | None = None) -> None:
    unverified_login(client, user, backend)
    device = demo_two_factor_ensure(user=user)
    session = client.session
    request = HttpRequest()
    request.session, request.user = session, user
    otp_login(request, device)  # django-otp's own helper marks the session verified
    session.save()


def demo_code(*, offset: int = 0) -> str:
    """The code an authenticator app with the demo secret shows now (``offset`` steps of 30 s later)."""
    return demo_totp_code(at=time.time() + offset * 30)
