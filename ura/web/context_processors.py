from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ura.governance import policy
from ura.web.navigation import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    # Emergency access is marked on every page while it lasts.
    return {"menu": menu_for(user), "breakglass": policy.breakglass_active(user)}
