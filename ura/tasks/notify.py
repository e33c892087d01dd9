"""Notifications are sent only after the transaction that caused them commits."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

log = logging.getLogger(__name__)


def notify_on_commit(users: Iterable[Any], subject: str, body: str) -> None:
    recipients = sorted({u.email for u in users if getattr(u, "email", "")})
    if not recipients:
        return

    def send() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except OSError:
            # A mail outage must not undo casework; the task list still shows the item.
            log.exception("notification could not be sent: %s", subject)

    transaction.on_commit(send)
