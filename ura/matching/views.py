"""Screening for earlier records: thin views over ``screening`` and ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ura.errors import NotAllowed, ServiceError
from ura.governance import policy
from ura.governance.audit import audit_record
from ura.matching import screening, services
from ura.matching.models import MatchDecision, Verdict


@login_required
def screen(request: HttpRequest, pk: int) -> HttpResponse:
    case = policy.case_for(request.user, pk)
    if not policy.can(request.user, "person.search", case=case):
        raise PermissionDenied
    result = screening.screen(request.user, case)
    # One event for the request; the mechanisms whose records were hinted at are named in it.
    audit_record(actor=request.user, action="matching.candidates_viewed", obj=case,
                 data={"candidates": [c.person.pk for c in result.candidates],
                       "hinted_mechanisms": [e.mechanism.pk for e in result.elsewhere], "compared": result.compared})
    return render(request, "matching/screen.html", {
        "case": case, "s": result, "verdicts": Verdict,
        "can_decide": policy.can(request.user, "identity.decide", case=case),
    })


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    case = policy.case_for(request.user, pk)
    if not policy.can(request.user, "identity.decide", case=case):
        raise PermissionDenied
    try:
        candidate = int(request.POST.get("candidate", ""))
    except ValueError:
        messages.error(request, _("Choose a record."))
        return redirect("matching:screen", case.pk)
    try:
        d = services.match_decide(actor=request.user, case=case, candidate_id=candidate,
                                  verdict=request.POST.get("verdict", ""))
    except NotAllowed:
        raise PermissionDenied from None
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, {
            Verdict.LINKED: _("The records are linked as the same person; each keeps its own history."),
            Verdict.MERGED: _("The records are merged: this case now belongs to the earlier record. You can undo it."),
            Verdict.DISMISSED: _("Recorded as not the same person."),
        }[Verdict(d.verdict)])
    return redirect("matching:screen", case.pk)


@login_required
@require_POST
def undo(request: HttpRequest, pk: int) -> HttpResponse:
    d = MatchDecision.objects.filter(pk=pk).select_related("case").first()
    if d is None or not policy.cases_visible_to(request.user).filter(pk=d.case_id).exists():
        raise Http404
    try:
        services.match_undo(actor=request.user, decision=d)
    except NotAllowed:
        raise PermissionDenied from None
    except ServiceError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("The decision is undone."))
    return redirect("matching:screen", d.case_id)
