from __future__ import annotations

from django.conf import settings
from django.db import models


class ReminderSent(models.Model):
    """Which reminder went to whom on which day, so ``ura remind`` sends each once a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    task_key = models.CharField(max_length=80)
    sent_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "task_key", "sent_on"], name="reminder_once")]
