from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation

from ura.governance import policy
from ura.web.language import HTML_LANG, LANGUAGE_NAMES
from ura.web.navigation import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    # The language switcher is on every page, the sign-in page included.
    current = translation.get_language()
    languages = {"languages": [{"code": code, "name": name, "lang": HTML_LANG.get(code, code)}
                               for code, name in LANGUAGE_NAMES.items()],
                 "html_lang": HTML_LANG.get(current, current)}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], **languages}
    # Emergency access is marked on every page while it lasts.
    return {"menu": menu_for(user), "breakglass": policy.breakglass_active(user), **languages}
