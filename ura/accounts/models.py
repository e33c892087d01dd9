from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, TimestampMixin


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


class SecurityKey(TimestampMixin, Device):
    """A security key, or the authenticator built into a phone or computer, that signs its holder
    in with WebAuthn: the browser proves the key holds the private half of ``public_key`` and that
    it is answering this site. Nothing secret is stored here; the private key never leaves the
    authenticator. A second factor like the authenticator app (``django_otp`` device)."""

    credential_id = models.CharField(_("credential id"), max_length=1400, unique=True)  # base64url, as browsers send it
    public_key = models.BinaryField(_("public key"))  # COSE-encoded
    sign_count = models.PositiveBigIntegerField(_("signature counter"), default=0)
    transports = models.JSONField(_("transports"), default=list, blank=True)

    class Meta:
        verbose_name = _("security key")
        verbose_name_plural = _("security keys")

    def __str__(self) -> str:
        return self.name


class RecoveryCodes(TimestampMixin, Device):
    """Ten one-time codes for when the authenticator app and the security keys are out of reach, kept
    only as SHA-256 digests (80 random bits each: a digest cannot be turned back into its code). A
    second factor like the others; making new codes replaces the old ones."""

    digests = models.JSONField(_("unused codes (digests)"), default=list)

    class Meta:
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return self.name
