"""Middlewares of account and browser security.

``SignInMiddleware`` (after django-otp's ``OTPMiddleware``) ends sessions that have been idle
or open too long, and keeps a session whose second factor has not passed to the sign-in steps:
every other page redirects there, so a new view is covered without remembering a decorator.
The API answers such a session as signed out (``VerifiedSessionAuthentication``).

``ContentSecurityPolicyMiddleware`` sends the Content-Security-Policy header: scripts and
styles only from Ura itself, no inline script, no framing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from ura.accounts.selectors import SEEN_AT, session_expired
from ura.accounts.services import audit_session_expired
from ura.governance import policy

# What a session may reach before its second factor has passed.
OPEN_BEFORE_SECOND_FACTOR = frozenset({"login", "logout", "two_factor", "two_factor_enrol", "two_factor_key_options",
                                       "two_factor_key", "two_factor_recovery", "set_language"})
SEEN_RESOLUTION = 60  # seconds: the last-seen time is saved at most once a minute


def _now() -> float:
    return time.time()


class SignInMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
            view_name, is_api = match.view_name, match.namespace == "api"
        except Resolver404:
            view_name, is_api = "", False
        now = _now()
        expired = session_expired(request.session, now=now)
        if expired:
            audit_session_expired(user=user, why=expired)
            logout(request)
            if is_api:
                return self.get_response(request)
            messages.info(request, _("Your session has ended. Please sign in again."))
            return self._to(request, reverse(settings.LOGIN_URL))
        if now - request.session.get(SEEN_AT, 0) >= SEEN_RESOLUTION:
            request.session[SEEN_AT] = int(now)
        if (is_api or view_name in OPEN_BEFORE_SECOND_FACTOR or user.is_verified()  # type: ignore[union-attr]
                or not policy.second_factor_required(user)):
            return self.get_response(request)
        return self._to(request, reverse("two_factor"))

    @staticmethod
    def _to(request: HttpRequest, url: str) -> HttpResponse:
        target = f"{url}?{urlencode({'next': request.get_full_path()})}" if request.method == "GET" else url
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            policy = settings.URA_CSP
            for prefix, relaxed in settings.URA_CSP_PATHS.items():
                if request.path_info.startswith(prefix):
                    policy = relaxed
            response["Content-Security-Policy"] = "; ".join(f"{k} {' '.join(v)}" for k, v in policy.items())
        return response
