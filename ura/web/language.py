"""The language each user reads Ura in: chosen with the switcher, kept on the user, applied to every request.

Signed-in users' choice is saved on ``User.language`` and follows them to any browser, and to the
emails and reports Ura makes for them. Before sign-in the choice lives in Django's language
cookie, which ``LocaleMiddleware`` reads; a language picked on the sign-in page becomes the
user's own once they have signed in.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from ura.accounts.models import User
from ura.governance.audit import audit_record

# Each language named in itself, so that a reader finds their own whatever language the page is in.
LANGUAGE_NAMES = {
    "en": "English",
    "sq": "Shqip",
    "sr-latn": "Srpski (latinica)",
    "sr-cyrl": "Српски (ћирилица)",
    "mk": "Македонски",
    "bs": "Bosanski",
}
# Session key: the language picked before signing in, saved on the user once they have.
CHOSEN_BEFORE_SIGN_IN = "ura_language_chosen"
# BCP 47 tags for the lang attribute (Django's codes are lower case).
HTML_LANG = {"sr-latn": "sr-Latn", "sr-cyrl": "sr-Cyrl"}


def supported(language: str) -> bool:
    return language in dict(settings.LANGUAGES)


def user_language_set(*, user: User, language: str) -> None:
    """Save ``language`` as ``user``'s language (the caller has checked that Ura supports it)."""
    if user.language == language:
        return
    previous = user.language
    user.language = language
    user.save(update_fields=["language"])
    audit_record(actor=user, action="account.language_changed", obj=user,
                 data={"from": previous, "to": language})


def remember(response: HttpResponse, language: str) -> None:
    """Keep the language in the cookie too, so the sign-in page after signing out stays in it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class UserLanguageMiddleware:
    """After authentication: a signed-in user's saved language wins over the browser's and the cookie's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and CHOSEN_BEFORE_SIGN_IN in request.session:
            # Chosen on the sign-in page of this very session (the session survives signing in):
            # the user's own latest choice. A cookie left by someone else on this browser is not.
            chosen = request.session.pop(CHOSEN_BEFORE_SIGN_IN)
            if supported(chosen):
                user_language_set(user=user, language=chosen)
        language = user.language if user is not None and user.is_authenticated else None
        if language and supported(language):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if (language and supported(language)
                and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language):
            remember(response, language)
        return response
