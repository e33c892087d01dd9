"""Reads about sign-in: the client's address, locks, second factors and the session's clock."""

from __future__ import annotations

import datetime as dt
import ipaddress
from typing import Any

from django.conf import settings
from django.db.models import Count, Max
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ura.accounts.models import FailedSignIn

# Session keys: when the password step succeeded, and when the session was last used (epoch seconds).
SIGNED_IN_AT = "ura_signed_in_at"
SEEN_AT = "ura_seen_at"


def username_key(username: str) -> str:
    """Failures count against the name as typed, case-insensitively, whether or not it exists."""
    return (username or "").strip().lower()[:150]


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind ``URA_PROXY_COUNT`` trusted proxies, the address the
    outermost of them saw (the rest of X-Forwarded-For can be written by the client)."""
    hops = settings.URA_PROXY_COUNT
    raw: str = request.META.get("REMOTE_ADDR", "")
    if hops:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        raw = forwarded[-hops] if len(forwarded) >= hops else ""
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.URA_LOGIN_WINDOW_SECONDS)


def sign_in_locked(*, username: str, ip: str | None) -> bool:
    """Too many failures for this name or from this address within the window."""
    since = _window_start()
    recent = FailedSignIn.objects.filter(at__gte=since)
    if recent.filter(username=username_key(username)).count() >= settings.URA_LOGIN_FAILURES:
        return True
    return ip is not None and recent.filter(ip=ip).count() >= settings.URA_LOGIN_IP_FAILURES


def locked_usernames() -> list[dict[str, Any]]:
    """Names locked now, with how many failures and the latest, for the unlock page and command."""
    rows = (FailedSignIn.objects.filter(at__gte=_window_start()).values("username")
            .annotate(failures=Count("id"), last=Max("at")).filter(failures__gte=settings.URA_LOGIN_FAILURES)
            .order_by("-last"))
    return list(rows)


def totp_device(user: Any, *, confirmed: bool | None = True) -> TOTPDevice | None:
    devices = TOTPDevice.objects.devices_for_user(user, confirmed=confirmed)
    return devices.order_by("-id").first()


def session_expired(session: Any, *, now: float) -> str | None:
    """``"idle"`` or ``"absolute"`` when the signed-in session has run out, else ``None``."""
    signed_in = session.get(SIGNED_IN_AT)
    seen = session.get(SEEN_AT, signed_in)
    if not isinstance(signed_in, int | float) or not isinstance(seen, int | float):
        return "absolute"  # a session from before timeouts existed, or tampered with: start again
    if now - signed_in > settings.SESSION_COOKIE_AGE:
        return "absolute"
    if now - seen > settings.URA_SESSION_IDLE_SECONDS:
        return "idle"
    return None
