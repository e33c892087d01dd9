"""The browser pages where people create, see and revoke their own API tokens."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ura.api.models import SCOPES, ApiToken
from ura.api.services import token_create, token_revoke
from ura.errors import ServiceError
from ura.governance import policy
from ura.governance.audit import audit_record


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100,
                           help_text=gettext_lazy("Which system will use it, e.g. “school information system”."))
    scopes = forms.MultipleChoiceField(label=gettext_lazy("What it may do"), widget=forms.CheckboxSelectMultiple,
                                       choices=[(k, f"{k} — {v}") for k, v in SCOPES.items()])
    days = forms.IntegerField(label=gettext_lazy("Valid for (days)"), min_value=1, max_value=366, initial=90)


def _require(request: HttpRequest) -> None:
    if not policy.may_hold_api_tokens(request.user):
        raise PermissionDenied


def _page(request: HttpRequest, form: TokenForm, secret: str | None = None, created: ApiToken | None = None,
          status: int = 200) -> HttpResponse:
    tokens = list(ApiToken.objects.filter(owner=request.user))
    now = timezone.now()
    return render(request, "api/tokens.html", {
        "form": form, "secret": secret, "created": created, "now": now,
        "current": [t for t in tokens if t.is_active], "ended": [t for t in tokens if not t.is_active],
    }, status=status)


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    _require(request)
    audit_record(actor=request.user, action="api.tokens_viewed")
    return _page(request, TokenForm())


@login_required
@require_POST
def token_new(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = token_create(actor=request.user, owner=request.user, name=form.cleaned_data["name"],
                                         scopes=form.cleaned_data["scopes"], days=form.cleaned_data["days"])
        except ServiceError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            # The secret is shown on this answer only; reloading the page does not show it again.
            return _page(request, TokenForm(), secret=secret, created=token, status=201)
    return _page(request, form, status=400)


@login_required
@require_POST
def token_end(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    token = ApiToken.objects.filter(owner=request.user, pk=pk).first()
    if token is None:
        raise Http404
    token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token %(name)s is revoked; systems using it are refused from now on.")
                     % {"name": token.name})
    return redirect("tokens:list")
