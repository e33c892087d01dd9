"""Changes to accounts and sign-in state: failures and locks, the second factor, sessions.

Each change writes its audit event in the same transaction. Passwords and codes are never
logged; the name typed at a failed sign-in is logged only when it is an existing account's
(people sometimes type their password into the username field).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from ura.accounts.models import FailedSignIn, RecoveryCodes, SecurityKey, User
from ura.accounts.selectors import sign_in_locked, username_key
from ura.errors import NotAllowed
from ura.governance.audit import audit_record

# Demo accounts share one published secret (README) so people trying Ura can sign in.
DEMO_TOTP_KEY = "7572612d64656d6f2d323032362d746f74702121"  # b"ura-demo-2026-totp!!"
DEMO_TOTP_BASE32 = "OVZGCLLEMVWW6LJSGAZDMLLUN52HAIJB"


def _account(username: str) -> User | None:
    return User.objects.filter(username__iexact=username_key(username)).first() if username else None


def sign_in_failed(*, username: str, ip: str | None, stage: str) -> None:
    """Record a refused attempt (``stage``: password, code, key, recovery or locked); audit it, and the
    lock it causes."""
    now = timezone.now()
    account = _account(username)
    with transaction.atomic():
        was_locked = sign_in_locked(username=username, ip=ip)
        FailedSignIn.objects.create(username=username_key(username), ip=ip, at=now)
        # Housekeeping: rows older than two windows can no longer count.
        FailedSignIn.objects.filter(at__lt=now - dt.timedelta(seconds=2 * settings.URA_LOGIN_WINDOW_SECONDS)).delete()
        data = {"ip": ip, "stage": stage, "account": "known" if account else "unknown"}
        audit_record(actor=None, action="account.sign_in.failed", obj=account, data=data)
        if not was_locked and sign_in_locked(username=username, ip=ip):
            audit_record(actor=None, action="account.sign_in.locked", obj=account, data=data)


def sign_in_succeeded(*, user: User, ip: str | None, device: Any) -> None:
    """Both factors passed: the name's failures are forgotten (not the address's)."""
    with transaction.atomic():
        FailedSignIn.objects.filter(username=username_key(user.get_username())).delete()
        audit_record(actor=user, action="account.signed_in", obj=user,
                     data={"ip": ip, "device": device.__class__.__name__})


def sign_in_unlock(*, actor: Any, username: str, reason: str = "") -> int:
    """An administrator lifts a lock on a name; returns how many failures were forgotten."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        raise NotAllowed()
    with transaction.atomic():
        count, _ = FailedSignIn.objects.filter(username=username_key(username)).delete()
        audit_record(actor=actor, action="account.unlocked", obj=_account(username), reason=reason,
                     data={"username": username_key(username), "failures": count})
    return count


def sign_in_unlock_address(*, actor: Any, ip: str, reason: str = "") -> int:
    """Lift the lock on a client address (for example a shared office gateway)."""
    with transaction.atomic():
        count, _ = FailedSignIn.objects.filter(ip=ip).delete()
        audit_record(actor=actor, action="account.address_unlocked", reason=reason,
                     data={"ip": ip, "failures": count})
    return count


def two_factor_enrol_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator-app device the enrolment page shows (one per user, reused)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def two_factor_enrol_confirm(*, user: User, device: TOTPDevice, token: str, ip: str | None) -> bool:
    """A code from the new device confirms it; other devices of the user are removed."""
    if device.user_id != user.pk or device.confirmed:
        raise NotAllowed()
    if not device.verify_token(token):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(actor=user, action="account.two_factor.enrolled", obj=user, data={"ip": ip})
    return True


def two_factor_reset(*, actor: Any, user: User, reason: str) -> None:
    """An administrator removes a user's second factors (a lost phone, a lost key): they enrol an
    authenticator app again at next sign-in."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        SecurityKey.objects.filter(user=user).delete()
        RecoveryCodes.objects.filter(user=user).delete()
        sessions_end(user=user)
        audit_record(actor=actor, action="account.two_factor.reset", obj=user, reason=reason)


def demo_two_factor_ensure(*, user: User) -> TOTPDevice:
    """Demo and test accounts: a confirmed device with the published demo secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Demo authenticator", key=DEMO_TOTP_KEY,
                                               confirmed=True)


def demo_totp_code(*, at: float) -> str:
    """The code the demo secret gives at a moment (``ura demo-code``, the browser tests)."""
    generator = TOTP(bytes.fromhex(DEMO_TOTP_KEY), step=30, t0=0, digits=6)
    generator.time = at
    return f"{generator.token():06d}"


def sessions_end(*, user: User) -> int:
    """Delete every stored session of this user (database sessions); returns how many."""
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            ended.append(session.session_key)
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


def account_disable(*, actor: Any, user: User, reason: str) -> None:
    """Disable an account: it can no longer sign in, and its sessions end at once."""
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        ended = sessions_end(user=user)
        audit_record(actor=actor, action="account.disabled", obj=user, reason=reason, data={"sessions": ended})


def audit_session_expired(*, user: User, why: str) -> None:
    with transaction.atomic():
        audit_record(actor=user, action="account.session.expired", obj=user, data={"timeout": why})


def session_stamp(*, session: Any, now: float) -> None:
    """At sign-in: the session's clock starts (idle and absolute timeouts)."""
    from ura.accounts.selectors import SEEN_AT, SIGNED_IN_AT

    session[SIGNED_IN_AT] = int(now)
    session[SEEN_AT] = int(now)
