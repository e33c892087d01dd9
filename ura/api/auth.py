"""Token authentication, scope permission and per-token throttling."""

from __future__ import annotations

import hmac
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling
from rest_framework.request import Request

from ura.api.models import ApiToken
from ura.api.services import token_hash


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <secret>``. Expired, revoked and unknown tokens get the same answer."""

    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            secret = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        token = (ApiToken.objects.select_related("owner").filter(prefix=secret.split(".", 1)[0]).first())
        if (token is None or not hmac.compare_digest(token.secret_hash, token_hash(secret))
                or not token.is_active or not token.owner.is_active):
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        # Answers (and error messages) in the owner's language, as on the pages.
        if token.owner.language in dict(settings.LANGUAGES):
            translation.activate(token.owner.language)
        return token.owner, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "ura.api.auth.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <secret>`; the secret is shown once, when the token is created."}


class HasScope(permissions.BasePermission):
    """The view's ``required_scope`` must be on the token. A browser session acts as the user
    and is limited by the policy alone."""

    message = _("This token does not have the scope this operation needs.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        scope = getattr(view, "required_scope", None)
        return scope is not None and scope in token.scopes


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, once its second factor has passed; before that it is no sign-in at all."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        is_verified = getattr(result[0], "is_verified", None)
        return result if is_verified is not None and is_verified() else None


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "ura.api.auth.VerifiedSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME,
                "description": "The browser's session, after both sign-in steps (password and code)."}


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """Per token (or per signed-in user for the browser); the rate is ``URA_API_RATE``."""

    scope = "token"

    def get_rate(self) -> str:
        return settings.URA_API_RATE

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"t{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"u{request.user.pk}"
        else:
            ident = f"a{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
