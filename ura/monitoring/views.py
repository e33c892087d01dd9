"""Monitoring pages. Every view asks ``scopes`` (aggregates) or the policy (registers) first,
and every view of figures or download writes one audit event.

Bad filters are form errors on the page (status 400), never a server error; a scope the
user may not see is refused exactly like one that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ura.errors import Conflict, ServiceError
from ura.governance import policy
from ura.governance.audit import audit_record

from . import exports, pdf, selectors, services
from .charts import chart_for, svg, trend_chart
from .forms import ActivityForm, AllocationForm, BudgetLineForm, IndicatorFilterForm, NarrativeForm, TrainingForm
from .indicators import SECTIONS, Indicators, indicators_for
from .queries import published_until
from .scopes import Scope, scopes_for
from .suppression import HIDDEN_TEXT, SMALL_TEXT

TREND_YEARS = 3


def _filters(request: HttpRequest, *, default_year: int | None = None) -> tuple[IndicatorFilterForm, Any]:
    scopes = scopes_for(request.user)
    if not scopes:
        raise PermissionDenied
    form = IndicatorFilterForm(request.GET, scopes=scopes, default_year=default_year)
    return form, form.chosen()


def _viewed(request: HttpRequest, scope: Scope, year: int, page: str) -> None:
    audit_record(actor=request.user, action="indicators.viewed", mechanism=scope.mechanism,
                 data={"scope": scope.code, "year": year, "page": page})


def _last_complete_year() -> int:
    until = published_until(timezone.localdate())
    return until.year if (until.month, until.day) == (12, 31) else until.year - 1


def _charts(ind: Indicators) -> dict[str, Any]:
    return {t.key: svg(c) for t in ind.tables if (c := chart_for(t, width=380, stacked=True)) is not None}


def _query(scope: Scope, year: int) -> str:
    return urlencode({"scope": scope.code, "year": year})


def _context(ind: Indicators) -> dict[str, Any]:
    charts = _charts(ind)
    return {
        "ind": ind, "key_figures": ind.key_figures(),
        "sections": [(SECTIONS[k], [(t, charts.get(t.key)) for t in views]) for k, views in ind.sections()],
        "trend_svg": svg(trend_chart(_("Referrals by quarter"), [(c.label, f) for c, f in ind.trend])),
        "query": _query(ind.scope, ind.year), "small": SMALL_TEXT, "hidden": HIDDEN_TEXT,
        "legend": exports.legend(),
    }


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form, chosen = _filters(request)
    if chosen is None:
        return render(request, "monitoring/dashboard.html", {"form": form}, status=400)
    scope, year = chosen
    ind = indicators_for(scope, year, trend_years=TREND_YEARS)
    _viewed(request, scope, year, "dashboard")
    return render(request, "monitoring/dashboard.html", {"form": form, **_context(ind)})


@login_required
def report(request: HttpRequest) -> HttpResponse:
    form, chosen = _filters(request, default_year=_last_complete_year())
    if chosen is None:
        return render(request, "monitoring/report.html", {"form": form}, status=400)
    scope, year = chosen
    ind = indicators_for(scope, year)
    _viewed(request, scope, year, "report")
    return render(request, "monitoring/report.html", {
        "form": form, "narrative": selectors.narrative(scope.code, year),
        "can_write": services.can_write_report(request.user, scope), **_context(ind)})


def _download(request: HttpRequest, fmt: str) -> HttpResponse:
    form, chosen = _filters(request, default_year=_last_complete_year())
    if chosen is None:
        return render(request, "monitoring/report.html", {"form": form}, status=400)
    scope, year = chosen
    ind = indicators_for(scope, year, trend_years=2 if fmt == "pdf" else 1)
    if fmt == "pdf":
        body, content_type = pdf.render(ind, narrative=selectors.narrative(scope.code, year)), "application/pdf"
    elif fmt == "csv":
        body, content_type = exports.as_csv(ind), "text/csv; charset=utf-8"
    else:
        body = exports.as_xlsx(ind)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    audit_record(actor=request.user, action="report.downloaded", mechanism=scope.mechanism,
                 data={"scope": scope.code, "year": year, "format": fmt})
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="ura-{scope.code}-{year}.{fmt}"'
    return response


@login_required
def report_pdf(request: HttpRequest) -> HttpResponse:
    return _download(request, "pdf")


@login_required
def export_csv(request: HttpRequest) -> HttpResponse:
    return _download(request, "csv")


@login_required
def export_xlsx(request: HttpRequest) -> HttpResponse:
    return _download(request, "xlsx")


@login_required
def narrative_edit(request: HttpRequest) -> HttpResponse:
    form_filter, chosen = _filters(request, default_year=_last_complete_year())
    if chosen is None or not services.can_write_report(request.user, chosen[0]):
        raise Http404
    scope, year = chosen
    current = selectors.narrative(scope.code, year)
    back = f"{reverse('monitoring:report')}?{_query(scope, year)}"
    status = 200
    if request.method == "POST":
        form = NarrativeForm(request.POST, instance=current)
        if form.is_valid():
            try:
                services.narrative_save(actor=request.user, scope=scope, year=year,
                                        expected_version=form.cleaned_data["version"],
                                        texts={k: form.cleaned_data[k] for k in form.Meta.fields})
            except Conflict as e:
                messages.error(request, e.message)
                current = selectors.narrative(scope.code, year)
                form = NarrativeForm(instance=current, initial={"version": current.version if current else 1})
                status = 409
            else:
                messages.success(request, _("The report text is saved."))
                return redirect(back)
        else:
            status = 400
    else:
        form = NarrativeForm(instance=current, initial={"version": current.version if current else 1})
    return render(request, "monitoring/narrative_form.html", {
        "form": form, "scope": scope, "year": year, "back": back}, status=status)


# --- registers (coordinators) ------------------------------------------------------------------------

def _register_mechanisms(request: HttpRequest, action: str) -> list[Any]:
    mechanisms = policy.mechanisms_where(request.user, action)
    if not mechanisms:
        raise PermissionDenied
    return sorted(mechanisms, key=lambda m: m.name)


@login_required
def trainings(request: HttpRequest) -> HttpResponse:
    mechanisms = _register_mechanisms(request, "training.manage")
    status = 200
    if request.method == "POST":
        form = TrainingForm(request.POST, mechanisms=mechanisms)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.training_record(actor=request.user, mechanism=form.mechanism, topic=d["topic"],
                                         held_on=d["held_on"], trainer=d["trainer"], place=d["place"],
                                         hours=d["hours"], participants=d["participants"], others=d["others"])
            except ServiceError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, _("The training is recorded."))
                return redirect("monitoring:trainings")
        status = 400
    else:
        form = TrainingForm(mechanisms=mechanisms)
    return render(request, "monitoring/trainings.html", {
        "form": form, "trainings": selectors.trainings_for(request.user)[:200]}, status=status)


@login_required
def activities(request: HttpRequest) -> HttpResponse:
    mechanisms = _register_mechanisms(request, "activities.manage")
    status = 200
    if request.method == "POST":
        form = ActivityForm(request.POST, mechanisms=mechanisms)
        if form.is_valid():
            d = {k: v for k, v in form.cleaned_data.items() if k not in ("mechanism", "partners")}
            try:
                services.activity_record(actor=request.user, mechanism=form.mechanism,
                                         partners=list(form.cleaned_data["partners"]), **d)
            except ServiceError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, _("The activity is recorded."))
                return redirect("monitoring:activities")
        status = 400
    else:
        form = ActivityForm(mechanisms=mechanisms)
    return render(request, "monitoring/activities.html", {
        "form": form, "activities": selectors.activities_for(request.user)[:200]}, status=status)


@login_required
def funding(request: HttpRequest) -> HttpResponse:
    mechanisms = _register_mechanisms(request, "funding.manage")
    status = 200
    line_form = BudgetLineForm(mechanisms=mechanisms, prefix="line")
    allocation_form = AllocationForm(mechanisms=mechanisms, prefix="alloc")
    if request.method == "POST":
        if request.POST.get("form") == "allocation":
            allocation_form = AllocationForm(request.POST, mechanisms=mechanisms, prefix="alloc")
            if allocation_form.is_valid():
                d = allocation_form.cleaned_data
                try:
                    services.allocation_record(actor=request.user, line=d["line"], target=d["target_object"],
                                               amount=d["amount"])
                except ServiceError as e:
                    allocation_form.add_error("amount" if e.field == "amount" else None, e.message)
                else:
                    messages.success(request, _("The allocation is recorded."))
                    return redirect("monitoring:funding")
        else:
            line_form = BudgetLineForm(request.POST, mechanisms=mechanisms, prefix="line")
            if line_form.is_valid():
                d = line_form.cleaned_data
                try:
                    services.budget_line_add(actor=request.user, mechanism=line_form.mechanism, funder=d["funder"],
                                             source=d["source"], title=d["title"], year=d["year"],
                                             amount=d["amount"])
                except ServiceError as e:
                    line_form.add_error(None, e.message)
                else:
                    messages.success(request, _("The budget line is added."))
                    return redirect("monitoring:funding")
        status = 400
    # The allocation form names interventions by their case's reference: a read, audited.
    audit_record(actor=request.user, action="funding.viewed", mechanism=mechanisms[0] if len(mechanisms) == 1 else None,
                 data={"interventions_listed": len(allocation_form.targets)})
    return render(request, "monitoring/funding.html", {
        "line_form": line_form, "allocation_form": allocation_form,
        "lines": selectors.budget_lines_for(request.user)}, status=status)
