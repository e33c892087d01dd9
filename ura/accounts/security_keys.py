"""Security keys (WebAuthn): adding one to an account, and signing in with it as the second factor.

Each ceremony takes two requests. The first answers with the options the browser hands to
``navigator.credentials`` and a fresh challenge, kept in the session; the second brings what the
authenticator signed, which must answer that challenge, for this site (relying-party id and origin
of the request). A challenge serves once and for CHALLENGE_SECONDS at most. The verification itself
is ``webauthn``'s (py_webauthn): attestation and assertion formats, signatures, counters.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from ura.accounts.models import SecurityKey, User
from ura.errors import ServiceError
from ura.governance.audit import audit_record

CHALLENGE = "ura_webauthn_challenge"  # session key: {"purpose", "challenge" (base64url), "at" (epoch seconds)}
CHALLENGE_SECONDS = 300
NAME_LENGTH = 64  # as django_otp's Device.name
_TRANSPORTS = {t.value for t in AuthenticatorTransport}


def relying_party(request: HttpRequest) -> tuple[str, str]:
    """(relying-party id, origin) of this request: the host it was sent to (one of ALLOWED_HOSTS),
    unless URA_WEBAUTHN_RP_ID names the registrable domain to use instead."""
    host = request.get_host()
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return settings.URA_WEBAUTHN_RP_ID or name, f"{request.scheme}://{host}"


def keys_of(user: Any) -> list[SecurityKey]:
    return list(SecurityKey.objects.filter(user=user, confirmed=True).order_by("created_at", "id"))


def _descriptors(keys: list[SecurityKey]) -> list[PublicKeyCredentialDescriptor]:
    return [PublicKeyCredentialDescriptor(id=base64url_to_bytes(k.credential_id),
                                          transports=[AuthenticatorTransport(t) for t in k.transports
                                                      if t in _TRANSPORTS] or None)
            for k in keys]


def _remember(request: HttpRequest, purpose: str, challenge: bytes) -> None:
    request.session[CHALLENGE] = {"purpose": purpose, "challenge": bytes_to_base64url(challenge),
                                  "at": int(time.time())}


def _challenge(request: HttpRequest, purpose: str) -> bytes:
    """The challenge issued for ``purpose``, used up by asking; ServiceError if there is none (any more)."""
    issued = request.session.pop(CHALLENGE, None)
    if (not isinstance(issued, dict) or issued.get("purpose") != purpose
            or time.time() - float(issued.get("at", 0)) > CHALLENGE_SECONDS):
        raise ServiceError(_("The request for your security key has expired. Please try again."))
    return base64url_to_bytes(str(issued["challenge"]))


def _credential(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not isinstance(raw.get("response"), dict):
        raise ServiceError(_("Your browser did not send an answer from a security key."))
    return raw


def registration_options(request: HttpRequest) -> str:
    """JSON for ``navigator.credentials.create``: a new key for the signed-in user (not one they have)."""
    user: User = request.user  # type: ignore[assignment]
    rp_id, _origin = relying_party(request)
    options = generate_registration_options(
        rp_id=rp_id, rp_name="Ura", user_id=f"ura-user-{user.pk}".encode(), user_name=user.get_username(),
        user_display_name=str(user),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED, user_verification=UserVerificationRequirement.PREFERRED),
        exclude_credentials=_descriptors(keys_of(user)))
    _remember(request, "register", options.challenge)
    return options_to_json(options)


def registration_finish(request: HttpRequest, *, name: str, credential: Any) -> SecurityKey:
    """Check the authenticator's answer and keep the new key; ServiceError saying why not."""
    user: User = request.user  # type: ignore[assignment]
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Give the key a name, so that you can tell your keys apart."), field="name")
    if len(name) > NAME_LENGTH:
        raise ServiceError(_("The name is too long (at most %(n)s characters).") % {"n": NAME_LENGTH}, field="name")
    expected = _challenge(request, "register")
    rp_id, origin = relying_party(request)
    answer = _credential(credential)
    try:
        verified = verify_registration_response(credential=answer, expected_challenge=expected, expected_rp_id=rp_id,
                                                expected_origin=origin)
    except (WebAuthnException, ValueError, KeyError, TypeError):
        raise ServiceError(_("The security key's answer could not be verified. Please try again.")) from None
    transports = answer["response"].get("transports")
    key = SecurityKey(user=user, name=name, confirmed=True, credential_id=bytes_to_base64url(verified.credential_id),
                      public_key=verified.credential_public_key, sign_count=verified.sign_count,
                      transports=[t for t in transports if t in _TRANSPORTS] if isinstance(transports, list) else [])
    try:
        with transaction.atomic():
            key.save()
            audit_record(actor=user, action="account.security_key.added", obj=user, data={"key": key.pk})
    except IntegrityError:
        raise ServiceError(_("This security key is already registered.")) from None
    return key


def authentication_options(request: HttpRequest) -> str:
    """JSON for ``navigator.credentials.get``: any of the signed-in (not yet verified) user's keys."""
    keys = keys_of(request.user)
    if not keys:
        raise ServiceError(_("Your account has no security key. Enter the code from your authenticator app."))
    rp_id, _origin = relying_party(request)
    options = generate_authentication_options(rp_id=rp_id, allow_credentials=_descriptors(keys),
                                              user_verification=UserVerificationRequirement.PREFERRED)
    _remember(request, "sign_in", options.challenge)
    return options_to_json(options)


def authentication_finish(request: HttpRequest, *, credential: Any) -> SecurityKey | None:
    """The user's key that signed this sign-in's challenge, its counter moved on; None if none did."""
    expected = _challenge(request, "sign_in")
    answer = _credential(credential)
    key = SecurityKey.objects.filter(user=request.user, confirmed=True, credential_id=answer["id"]).first()
    if key is None:
        return None
    rp_id, origin = relying_party(request)
    try:
        verified = verify_authentication_response(
            credential=answer, expected_challenge=expected, expected_rp_id=rp_id, expected_origin=origin,
            credential_public_key=bytes(key.public_key), credential_current_sign_count=key.sign_count)
    except (WebAuthnException, ValueError, KeyError, TypeError):
        return None  # a wrong signature, another site, or a counter gone backwards (a cloned key)
    # Only if no other sign-in moved the counter meanwhile: the same answer must not serve twice.
    moved = SecurityKey.objects.filter(pk=key.pk, sign_count=key.sign_count).update(
        sign_count=verified.new_sign_count, last_used_at=timezone.now())
    return key if moved else None


def key_remove(*, actor: User, key: SecurityKey) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action="account.security_key.removed", obj=key.user, data={"key": key.pk})
        key.delete()

