"""Thin views: policy, selector or service, render. Missing and forbidden both answer 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ura.errors import NotAllowed, ServiceError
from ura.governance import policy
from ura.reintegration import selectors
from ura.reintegration.forms import HandoverAnswerForm
from ura.reintegration.models import Handover, HandoverStatus
from ura.reintegration.services import handover_respond


@login_required
def household(request: HttpRequest, pk: int) -> HttpResponse:
    view = selectors.household_for_case(request.user, pk)
    return render(request, "reintegration/household.html", {"v": view, "case_pk": pk})


@login_required
def handovers(request: HttpRequest) -> HttpResponse:
    mechanisms = policy.mechanisms_where(request.user, "handover.manage")
    if not mechanisms:
        raise PermissionDenied
    rows = (Handover.objects.filter(to_mechanism__in=mechanisms)
            .exclude(status=HandoverStatus.ACCEPTED)
            .select_related("household", "from_mechanism", "to_mechanism"))
    return render(request, "reintegration/handovers.html", {"handovers": rows})


@login_required
def handover(request: HttpRequest, pk: int) -> HttpResponse:
    h = selectors.handover_for(request.user, pk)
    form = HandoverAnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                handover_respond(actor=request.user, handover=h,
                                 accept=form.cleaned_data["answer"] == HandoverAnswerForm.ACCEPT,
                                 response=form.cleaned_data["response"])
            except NotAllowed:
                raise Http404 from None
            except ServiceError as e:
                form.add_error(e.field if e.field in form.fields else None, str(e))
            else:
                messages.success(request, _("Your answer was sent to the central division."))
                return redirect("reintegration:handovers")
        status = 400
    members = h.household.members.count()
    return render(request, "reintegration/handover.html", {"h": h, "form": form, "members": members},
                  status=status)
