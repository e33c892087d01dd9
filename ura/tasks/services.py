"""Reminders: each user gets one email a day listing what is due or overdue for them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from ura.accounts.models import User
from ura.governance.audit import audit_record
from ura.tasks.models import ReminderSent
from ura.tasks.selectors import REVIEW_SOON_DAYS, Task, tasks_for


@dataclass(frozen=True)
class RemindResult:
    users: int
    emails: int
    tasks: int


def _body(user: Any, tasks: list[Task]) -> str:
    # Only references and kinds of work: email is not a safe channel for case content.
    lines = [_("Hello %(name)s,") % {"name": user.get_full_name() or user.username}, "",
             _("These items in Ura are due for you:"), ""]
    for t in tasks:
        due = formats.date_format(t.due, "SHORT_DATE_FORMAT") if t.due else ""
        flag = _(" (overdue)") if t.overdue else ""
        lines.append(f"- {t.title} · {t.mechanism} · {due}{flag}")
        lines.append(f"  {settings.URA_BASE_URL}{t.url}")
    lines += ["", _("Sign in to Ura to act on them.")]
    return "\n".join(lines)


def reminders_send(*, today: dt.date | None = None, dry_run: bool = False,
                   progress: Callable[[int, int], None] | None = None) -> RemindResult:
    """Email each user their due items (due within the reminder window or overdue), once a day."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=REVIEW_SOON_DAYS // 2)
    users = list(User.objects.filter(is_active=True, memberships__active=True).exclude(email="").distinct()
                 .order_by("pk"))
    already = set(ReminderSent.objects.filter(sent_on=today).values_list("user_id", "task_key"))
    emails = total = 0
    for n, user in enumerate(users, 1):
        with translation.override(user.language):  # task titles are written in the recipient's language
            due = [t for t in tasks_for(user, today=today) if t.due is None or t.due <= horizon]
        fresh = [t for t in due if (user.pk, t.key) not in already]
        if fresh and not dry_run:
            with translation.override(user.language), transaction.atomic():
                try:
                    ReminderSent.objects.bulk_create(
                        [ReminderSent(user=user, task_key=t.key, sent_on=today) for t in fresh])
                except IntegrityError:
                    # Another run is sending the same reminders right now.
                    continue
                send_mail(_("Ura: %(n)s items due") % {"n": len(fresh)}, _body(user, fresh),
                          settings.DEFAULT_FROM_EMAIL, [user.email])
                audit_record(actor=None, action="tasks.reminder_sent", obj=user, data={"tasks": len(fresh)})
            emails += 1
            total += len(fresh)
        elif fresh:
            emails += 1
            total += len(fresh)
        if progress:
            progress(n, len(users))
    return RemindResult(users=len(users), emails=emails, tasks=total)
