from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in to Ura. What they may do comes from their memberships."""

    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en",
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class FailedSignIn(models.Model):
    """One refused sign-in attempt (wrong password, unknown account, wrong code, or while locked).

    Counted per username and per client address within a window to lock further attempts. The
    username is kept as typed (lower-cased) whether or not such an account exists, so that a lock
    says nothing about which accounts exist. Never holds a password.
    """

    username = models.CharField(_("username"), max_length=150, db_index=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True, db_index=True)
    at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")

    def __str__(self) -> str:
        return f"{self.username} {self.ip or ''} {self.at:%Y-%m-%d %H:%M}"
