from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ura.governance import policy
from ura.tasks.selectors import tasks_for


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
