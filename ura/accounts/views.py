"""Signing in: the password, then the code from the authenticator app (or enrolling one first), a
security key or a recovery code; and the page where people manage those second factors."""

from __future__ import annotations

import json
from base64 import b32encode
from typing import Any
from urllib.parse import urlencode, urlsplit

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from ura.accounts import recovery, security_keys, services
from ura.accounts.forms import CODE_REFUSED, CodeForm, RecoveryCodeForm, SignInForm
from ura.accounts.models import SecurityKey
from ura.accounts.selectors import client_ip, locked_usernames, sign_in_locked, totp_device
from ura.errors import ServiceError
from ura.governance import policy
from ura.governance.audit import audit_record


class SignInView(LoginView):
    """The password step. It signs the account in *unverified*: until the second step, the
    two-factor middleware lets the session reach only the sign-in steps and sign-out."""

    form_class = SignInForm
    redirect_authenticated_user = True

    def get_redirect_url(self) -> str:
        url = super().get_redirect_url()
        return "" if urlsplit(url).path == self.request.path else url  # never back to this page (a loop)

    def form_valid(self, form: SignInForm) -> HttpResponse:
        user = form.get_user()
        auth_login(self.request, user)
        step = "two_factor" if totp_device(user) else "two_factor_enrol"
        return redirect(f"{reverse(step)}?{urlencode({'next': self.get_success_url()})}")


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _signed_in(request: HttpRequest, device: Any) -> HttpResponseRedirect:
    _verified(request, device)
    return redirect(_next(request))


def _verified(request: HttpRequest, device: Any) -> None:
    otp_login(request, device)
    request.session.cycle_key()  # a new session id once both factors have passed
    services.sign_in_succeeded(user=request.user, ip=client_ip(request), device=device)  # type: ignore[arg-type]


def _step_allowed(request: HttpRequest) -> HttpResponseRedirect | None:
    """Signed out: to the password step. Already verified: on to where they were going."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': _next(request)})}")
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect(_next(request))
    return None


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the account's authenticator app."""
    if (away := _step_allowed(request)) is not None:
        return away
    user = request.user
    device = totp_device(user)
    if device is None:
        return redirect(f"{reverse('two_factor_enrol')}?{urlencode({'next': _next(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        if not sign_in_locked(username=user.get_username(), ip=ip) and device.verify_token(form.cleaned_data["code"]):
            return _signed_in(request, device)
        services.sign_in_failed(username=user.get_username(), ip=ip, stage="code")
        form.add_error("code", CODE_REFUSED)
    return _code_step(request, form, RecoveryCodeForm(), status=400 if form.errors else 200)


def _code_step(request: HttpRequest, form: CodeForm, recovery_form: RecoveryCodeForm, status: int) -> HttpResponse:
    codes = recovery.recovery_codes_of(request.user)
    return render(request, "accounts/two_factor.html", {
        "form": form, "recovery_form": recovery_form, "next": _next(request),
        "has_keys": bool(security_keys.keys_of(request.user)), "has_recovery_codes": bool(codes and codes.digests),
    }, status=status)


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_POST
def two_factor_recovery(request: HttpRequest) -> HttpResponse:
    """The second step with a recovery code, when the app and the keys are out of reach."""
    if (away := _step_allowed(request)) is not None:
        return away
    user, ip = request.user, client_ip(request)
    form = RecoveryCodeForm(request.POST)
    if form.is_valid():
        device = None if sign_in_locked(username=user.get_username(), ip=ip) else recovery.recovery_code_use(
            user=user, code=form.cleaned_data["code"])
        if device is not None:
            left = len(device.digests)
            messages.warning(request, ngettext(
                "You signed in with a recovery code; %(n)s is left. Make new ones on the Sign-in security page.",
                "You signed in with a recovery code; %(n)s are left. Make new ones on the Sign-in security page if "
                "you are running short.", left) % {"n": left})
            return _signed_in(request, device)
        services.sign_in_failed(username=user.get_username(), ip=ip, stage="recovery")
        form.add_error("code", _("That recovery code is not right, or it has been used already."))
    return _code_step(request, CodeForm(), form, status=400)


# --- security keys (WebAuthn): the second step's other way, and the page to add and remove keys --------

def _refused(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _json_body(request: HttpRequest) -> dict[str, Any]:
    """The JSON object a ceremony's second request sends; ServiceError for anything else."""
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        body = None
    if not isinstance(body, dict):
        raise ServiceError(_("Your browser did not send an answer from a security key."))
    return body


@csrf_protect
@never_cache
@require_POST
def two_factor_key_options(request: HttpRequest) -> HttpResponse:
    """The second step with a security key, first half: a challenge for the user's keys."""
    if (away := _step_allowed(request)) is not None:
        return away
    try:
        return HttpResponse(security_keys.authentication_options(request), content_type="application/json")
    except ServiceError as e:
        return _refused(e.message)


@csrf_protect
@never_cache
@require_POST
def two_factor_key(request: HttpRequest) -> HttpResponse:
    """Second half: the key's signature. Counts as a failed sign-in when it does not verify."""
    if (away := _step_allowed(request)) is not None:
        return away
    user, ip = request.user, client_ip(request)
    try:
        answer = _json_body(request)
        key = None if sign_in_locked(username=user.get_username(), ip=ip) else security_keys.authentication_finish(
            request, credential=answer.get("credential"))
    except ServiceError as e:
        return _refused(e.message)
    if key is None:
        services.sign_in_failed(username=user.get_username(), ip=ip, stage="key")
        return _refused(_("That security key did not sign you in. Use a key registered to this account, "
                          "or enter the code from your authenticator app."))
    _verified(request, key)
    return JsonResponse({"next": _next(request)})


def _may_manage(request: HttpRequest) -> None:
    if not policy.may_manage_own_second_factors(request.user):
        raise PermissionDenied


@login_required
@never_cache
@require_http_methods(["GET"])
def security(request: HttpRequest) -> HttpResponse:
    """The account's second factors: the authenticator app, and security keys to add or remove."""
    _may_manage(request)
    return _security_page(request)


def _security_page(request: HttpRequest, new_codes: list[str] | None = None, status: int = 200) -> HttpResponse:
    keys, codes = security_keys.keys_of(request.user), recovery.recovery_codes_of(request.user)
    if new_codes is None:  # making codes is audited as that (one request, one event)
        audit_record(actor=request.user, action="account.security.viewed", obj=request.user, data={"keys": len(keys)})
    return render(request, "accounts/security.html", {
        "app": totp_device(request.user), "keys": keys, "name_length": security_keys.NAME_LENGTH,
        "codes_left": len(codes.digests) if codes else None, "new_codes": new_codes}, status=status)


@login_required
@require_POST
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    """Ten new recovery codes, shown on this answer only (reloading the page does not show them again)."""
    _may_manage(request)
    return _security_page(request, new_codes=recovery.recovery_codes_create(user=request.user))


@login_required
@csrf_protect
@require_POST
def security_key_options(request: HttpRequest) -> HttpResponse:
    _may_manage(request)
    return HttpResponse(security_keys.registration_options(request), content_type="application/json")


@login_required
@csrf_protect
@require_POST
def security_key_add(request: HttpRequest) -> HttpResponse:
    _may_manage(request)
    try:
        body = _json_body(request)
        key = security_keys.registration_finish(request, name=str(body.get("name") or ""),
                                                credential=body.get("credential"))
    except ServiceError as e:
        return _refused(e.message)
    messages.success(request, _("The security key %(name)s is added. You can sign in with it from now on.")
                     % {"name": key.name})
    return JsonResponse({"next": reverse("accounts:security")}, status=201)


@login_required
@require_POST
def security_key_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _may_manage(request)
    key = SecurityKey.objects.filter(user=request.user, pk=pk).first()
    if key is None:
        raise Http404
    security_keys.key_remove(actor=request.user, key=key)  # type: ignore[arg-type]
    messages.success(request, _("The security key %(name)s is removed; it no longer signs you in.")
                     % {"name": key.name})
    return redirect("accounts:security")


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    """Before anything else, an account without a second factor sets one up: scan, then confirm a code."""
    if (away := _step_allowed(request)) is not None:
        return away
    user = request.user
    if not policy.second_factor_required(user):
        return redirect(_next(request))
    if totp_device(user) is not None:
        return redirect(f"{reverse('two_factor')}?{urlencode({'next': _next(request)})}")
    device = services.two_factor_enrol_start(user=user)  # type: ignore[arg-type]
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        if not sign_in_locked(username=user.get_username(), ip=ip) and services.two_factor_enrol_confirm(
                user=user, device=device, token=form.cleaned_data["code"], ip=ip):  # type: ignore[arg-type]
            messages.success(request, _("Two-factor sign-in is set up. Ura will ask for a code each time you sign in."))
            return _signed_in(request, device)
        services.sign_in_failed(username=user.get_username(), ip=ip, stage="code")
        form.add_error("code", CODE_REFUSED)
    key = b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, svgclass="qr", title=_("QR code to scan with your authenticator app"))
    return render(request, "accounts/enrol.html", {
        "form": form, "next": _next(request), "qr": qr,
        "key": " ".join(key[i:i + 4] for i in range(0, len(key), 4)),
    })


@login_required
@require_http_methods(["GET"])
def locked(request: HttpRequest) -> HttpResponse:
    """Administrators: the names their members sign in with that are locked now, to unlock."""
    if not policy.may_unlock_sign_ins(request.user):
        raise PermissionDenied
    mine = {u.lower() for u in policy.accounts_administered_by(request.user).values_list("username", flat=True)}
    rows = [r for r in locked_usernames() if r["username"] in mine]
    audit_record(actor=request.user, action="account.locks.viewed", data={"shown": len(rows)})
    return render(request, "accounts/locked.html", {"rows": rows})


@login_required
@require_http_methods(["POST"])
def unlock(request: HttpRequest) -> HttpResponse:
    if not policy.may_unlock_sign_ins(request.user):
        raise PermissionDenied
    username = (request.POST.get("username") or "").strip()
    allowed = policy.accounts_administered_by(request.user).filter(username__iexact=username).exists()
    if not username or not allowed:
        return HttpResponseBadRequest(_("There is no such account among the members you administer."))
    services.sign_in_unlock(actor=request.user, username=username, reason=request.POST.get("reason", ""))
    messages.success(request, _("%(name)s can sign in again.") % {"name": username})
    return redirect("accounts:locked")
