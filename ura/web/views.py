from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ura.governance import policy
from ura.tasks.selectors import tasks_for
from ura.web.language import CHOSEN_BEFORE_SIGN_IN, remember, supported, user_language_set


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Each user's own start page: their roles, and what is due for them."""
    memberships = policy.memberships(request.user)
    roles = {m.role for m in memberships}
    tasks = tasks_for(request.user)
    return render(request, "web/start.html", {
        "memberships": memberships, "roles": roles, "tasks": tasks,
        "overdue": [t for t in tasks if t.overdue],
    })


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The language switcher. Open to everyone: it changes only the requester's own preference
    (on their user when signed in, in the language cookie always), so no policy question arises."""
    language = request.POST.get("language", "")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("start")
    response = redirect(target)
    if not supported(language):
        messages.error(request, _("Ura is not available in that language."))
        return response
    if request.user.is_authenticated:
        user_language_set(user=request.user, language=language)
    else:
        request.session[CHOSEN_BEFORE_SIGN_IN] = language
    translation.activate(language)
    remember(response, language)
    return response
