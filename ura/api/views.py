"""API views: thin. Policy (``case_for`` / ``can``), service or selector, serialise.

A case, request or scope the user may not open is the same 404 as a missing one.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes, schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ura.api import serializers as s
from ura.api.idempotency import HEADER, idempotent, submission_key
from ura.assessments import selectors as assessment_selectors
from ura.cases import selectors
from ura.cases.models import Case
from ura.cases.services import (
    case_transition,
    case_update,
    information_request_answer,
    information_request_create,
    referral_submit,
)
from ura.governance import policy
from ura.governance.audit import audit_record
from ura.mechanisms.models import Agency
from ura.monitoring.indicators import indicators_for
from ura.monitoring.scopes import scope_for, scopes_for
from ura.panels import selectors as panel_selectors
from ura.panels import services as panel_services
from ura.panels.models import AgendaItem, Meeting, Vote
from ura.support import selectors as support_selectors
from ura.support import services as support_services

ERR = OpenApiResponse(s.Error)
COMMON = {400: ERR, 401: ERR, 403: ERR, 406: ERR, 429: ERR}
IDEMPOTENCY = OpenApiParameter(HEADER, str, OpenApiParameter.HEADER, required=False,
                               description="A retried POST with the same key returns the first answer; "
                                           "the same key with another body is refused (422).")


PK = OpenApiParameter("id", int, OpenApiParameter.PATH)


def _pk(value: str) -> int:
    """A path id; anything that is not one is the same 404 as a missing object."""
    try:
        pk = int(value)
    except ValueError:
        raise exceptions.NotFound() from None
    if not 0 < pk < 2**63:
        raise exceptions.NotFound()
    return pk


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@permission_classes([AllowAny])
@authentication_classes([])
@schema(None)
def not_found(request: Request) -> Response:
    raise exceptions.NotFound()


def _errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {**COMMON, **dict.fromkeys(codes, ERR)}


def _valid(serializer_class: type[s.serializers.Serializer], data: Any) -> dict[str, Any]:
    # Query strings go in as a plain dict: DRF treats an empty value in a QueryDict as "not sent".
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ApiView(APIView):
    required_scope: str = ""


class CaseListView(ApiView):
    required_scope = "cases:read"

    @extend_schema(operation_id="cases_list", parameters=[s.CaseListQuery], responses={200: s.CaseList, **_errors()})
    def get(self, request: Request) -> Response:
        q = _valid(s.CaseListQuery, request.query_params.dict())
        filters = {k: q[k] for k in ("stage", "track", "mechanism") if k in q}
        qs = selectors.case_list(request.user, filters)
        cases = list(qs[q["offset"]:q["offset"] + q["limit"]])
        policy.prefetch_access(request.user, cases)
        audit_record(actor=request.user, action="api.case_list_viewed",
                     data={"filters": filters, "cases": [c.pk for c in cases]})
        return Response({"count": qs.count(), "results": [s.case_data(request.user, c) for c in cases]})


class CaseDetailView(ApiView):
    @property
    def required_scope(self) -> str:  # type: ignore[override]
        return "cases:read" if self.request.method == "GET" else "cases:write"

    @extend_schema(operation_id="cases_retrieve", parameters=[PK], responses={200: s.CaseOut, **_errors(404)})
    def get(self, request: Request, pk: str) -> Response:
        case = policy.case_for(request.user, _pk(pk))
        data = s.case_data(request.user, case)
        audit_record(actor=request.user, action="api.case_viewed", obj=case,
                     data={"fields": sorted(data), **policy.read_flags(request.user, case)})
        return Response(data)

    @extend_schema(operation_id="cases_update", parameters=[PK], request=s.CaseUpdate,
                   responses={200: s.CaseOut, **_errors(404, 409)},
                   description="Edit the case's summary fields. A field this user may not write is refused "
                               "(403, code field_not_writable) and named in `fields`.")
    def patch(self, request: Request, pk: str) -> Response:
        case = policy.case_for(request.user, _pk(pk))
        if not isinstance(request.data, dict):
            raise exceptions.ValidationError({"non_field_errors": [_("Send a JSON object.")]})
        known = set(s.CaseUpdate().fields)
        unknown = sorted(str(k) for k in request.data if k not in known)
        if unknown:
            raise exceptions.ValidationError({f: [_("This field does not exist or cannot be edited.")]
                                              for f in unknown})
        writable = policy.writable_fields(request.user, case)
        refused = sorted(f for f in request.data if f != "version" and f not in writable)
        if refused:
            raise FieldNotWritable({f: [_("You may not edit this field.")] for f in refused})
        data = _valid(s.CaseUpdate, request.data)
        version = data.pop("version")
        case = case_update(case=case, actor=request.user, expected_version=version, changes=data)
        return Response(s.case_data(request.user, case))


class FieldNotWritable(exceptions.PermissionDenied):
    default_code = "field_not_writable"

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__(_("You may not edit these fields of this case."), code="field_not_writable")
        self.fields = fields


class CaseTransitionView(ApiView):
    required_scope = "cases:write"

    @extend_schema(operation_id="cases_transition", parameters=[PK], request=s.TransitionIn,
                   responses={200: s.CaseOut, **_errors(404, 409)})
    def post(self, request: Request, pk: str) -> Response:
        case = policy.case_for(request.user, _pk(pk))
        user = request.user
        if not (policy.can(user, "case.transition", case=case) or policy.is_chair(user, case.mechanism)):
            raise exceptions.PermissionDenied(_("Your role cannot take this step."))
        data = _valid(s.TransitionIn, request.data)
        case = case_transition(case=case, transition=data["transition"], actor=request.user, reason=data["reason"],
                               expected_version=data.get("version"))
        return Response(s.case_data(request.user, case))


class ReferralCreateView(ApiView):
    required_scope = "referrals:submit"

    @extend_schema(operation_id="referrals_create", request=s.ReferralIn, parameters=[IDEMPOTENCY],
                   responses={201: s.ReferralOut, **_errors(404, 422)})
    def post(self, request: Request) -> Response:
        if not policy.mechanisms_where(request.user, "referral.submit"):
            raise exceptions.PermissionDenied(_("You cannot refer to any mechanism."))
        return idempotent(request, lambda: self._create(request))

    def _create(self, request: Request) -> Response:
        data = _valid(s.ReferralIn, request.data)
        mechanisms = {m.pk: m for m in policy.mechanisms_where(request.user, "referral.submit")}
        if data["mechanism"] not in mechanisms:
            raise exceptions.ValidationError({"mechanism": [_("You cannot refer to this mechanism.")]})
        person = dict(data.pop("person"))
        mechanism = mechanisms[data.pop("mechanism")]
        case = referral_submit(actor=request.user, mechanism=mechanism, person=person, referral=data,
                               submission_key=submission_key(request) or f"api-{uuid.uuid4().hex}")
        receipt = selectors.own_referral(request.user, case.pk)
        return Response({"id": receipt.pk, "reference": receipt.reference,
                         "referred_on": receipt.referred_on.isoformat(), "status": str(receipt.status)},
                        status=status.HTTP_201_CREATED)


def _request_data(r: Any) -> dict[str, Any]:
    return dict(s.InformationRequestOut(r).data)


class InformationRequestCreateView(ApiView):
    required_scope = "inforequests:write"

    @extend_schema(operation_id="information_requests_create", request=s.InformationRequestIn,
                   parameters=[PK, IDEMPOTENCY], responses={201: s.InformationRequestOut, **_errors(404, 422)})
    def post(self, request: Request, pk: str) -> Response:
        case = policy.case_for(request.user, _pk(pk))
        if not policy.can(request.user, "inforequest.create", case=case):
            raise exceptions.PermissionDenied(_("You cannot request information for this case."))
        return idempotent(request, lambda: self._create(request, case))

    def _create(self, request: Request, case: Case) -> Response:
        data = _valid(s.InformationRequestIn, request.data)
        agency = Agency.objects.filter(pk=data.pop("to_agency"), mechanism=case.mechanism).first()
        if agency is None:
            raise exceptions.ValidationError({"to_agency": [_("Choose a member agency of this mechanism.")]})
        r = information_request_create(case=case, actor=request.user, to_agency=agency, **data)
        return Response(_request_data(r), status=status.HTTP_201_CREATED)


class InformationRequestInboxView(ApiView):
    required_scope = "inforequests:answer"

    @extend_schema(operation_id="information_requests_inbox", responses={200: s.InformationRequestOut(many=True),
                                                                          **_errors()})
    def get(self, request: Request) -> Response:
        requests = selectors.requests_inbox(request.user)
        audit_record(actor=request.user, action="api.inforequests_viewed", data={"requests": [r.pk for r in requests]})
        return Response([_request_data(r) for r in requests])


class InformationRequestAnswerView(ApiView):
    required_scope = "inforequests:answer"

    @extend_schema(operation_id="information_requests_answer", parameters=[PK], request=s.InformationAnswerIn,
                   responses={200: s.InformationRequestOut, **_errors(404)})
    def post(self, request: Request, pk: str) -> Response:
        r = selectors.request_for(request.user, _pk(pk))
        data = _valid(s.InformationAnswerIn, request.data)
        r = information_request_answer(request=r, actor=request.user, **data)
        return Response(_request_data(r))


class IndicatorScopesView(ApiView):
    required_scope = "indicators:read"

    @extend_schema(operation_id="indicators_scopes", responses={200: s.ScopeOut(many=True), **_errors()})
    def get(self, request: Request) -> Response:
        return Response([{"code": x.code, "kind": x.kind, "label": str(x.label)} for x in scopes_for(request.user)])


class IndicatorsView(ApiView):
    required_scope = "indicators:read"

    @extend_schema(operation_id="indicators_retrieve", parameters=[s.IndicatorsQuery],
                   responses={200: s.IndicatorsOut, **_errors(404)},
                   description="Aggregate figures with small cells suppressed (a hidden figure has no value).")
    def get(self, request: Request) -> Response:
        q = _valid(s.IndicatorsQuery, request.query_params.dict())
        scope = scope_for(request.user, q["scope"])
        if scope is None:
            raise exceptions.NotFound()
        ind = indicators_for(scope, q["year"])
        return Response({
            "scope": scope.code, "label": str(scope.label), "year": ind.year, "until": ind.until.isoformat(),
            "tables": [{"key": t.key, "title": t.title,
                        "columns": [{"label": str(c.label), "year": c.year, "quarter": c.quarter} for c in t.columns],
                        "rows": [{"key": r.definition.key, "label": r.label, "kind": r.kind,
                                  "figures": [{"value": None if f.hidden else f.number, "text": str(f.text),
                                               "hidden": f.hidden} for f in r.figures]}
                                 for r in t.rows]}
                       for t in ind.tables],
        })


def _assessment_data(a: Any, *, domains: bool) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": a.pk, "case": a.case_id, "instrument": a.instrument.code, "instrument_version": str(a.instrument.version),
        "number": a.number, "status": a.status, "assessed_on": a.assessed_on.isoformat() if a.assessed_on else None,
        "summary": a.summary, "rationale": a.rationale, "protective_factors": a.protective_factors,
        "review_on": a.review_on.isoformat() if a.review_on else None,
    }
    if domains:
        out["domains"] = [{"domain": d.domain.id, "label": str(d.domain.label), "items": [
            {"item": r.item.id, "label": str(r.item.label), "rating": r.option.code if r.option else None,
             "rating_label": str(r.option.label) if r.option else "", "unknown": bool(r.option and r.option.unknown),
             "evidence": r.evidence} for r in d.items]}
            for d in assessment_selectors.rated_domains(a)]
    return out


class CaseAssessmentsView(ApiView):
    required_scope = "assessments:read"

    @extend_schema(operation_id="cases_assessments", parameters=[PK],
                   responses={200: s.AssessmentOut(many=True), **_errors(404)})
    def get(self, request: Request, pk: str) -> Response:
        case = policy.case_for(request.user, _pk(pk))
        found = assessment_selectors.visible_assessments(request.user, case)
        audit_record(actor=request.user, action="api.assessments_listed", obj=case,
                     data={"assessments": [a.pk for a in found], **policy.read_flags(request.user, case)})
        return Response([_assessment_data(a, domains=False) for a in found])


class AssessmentDetailView(ApiView):
    required_scope = "assessments:read"

    @extend_schema(operation_id="assessments_retrieve", parameters=[PK],
                   responses={200: s.AssessmentOut, **_errors(404)})
    def get(self, request: Request, pk: str) -> Response:
        a = assessment_selectors.assessment_for(request.user, _pk(pk))
        audit_record(actor=request.user, action="api.assessment_viewed", obj=a, case=a.case,
                     data=policy.read_flags(request.user, a.case))
        return Response(_assessment_data(a, domains=True))


def _meetings_data(user: Any, meetings: list[Meeting]) -> list[dict[str, Any]]:
    """The meetings with their agenda, in three queries however many meetings there are."""
    items: dict[int, list[AgendaItem]] = {m.pk: [] for m in meetings}
    for i in (AgendaItem.objects.filter(meeting__in=meetings).select_related("case", "decision")
              .order_by("position", "id")):
        items[i.meeting_id].append(i)
    mine = dict(Vote.objects.filter(item__meeting__in=meetings, membership__user=user)
                .values_list("item_id", "outcome"))
    return [_meeting_data(m, items[m.pk], mine) for m in meetings]


def _meeting_data(meeting: Meeting, items: list[AgendaItem], mine: dict[int, str]) -> dict[str, Any]:
    return {
        "id": meeting.pk, "mechanism": meeting.mechanism_id, "starts_at": meeting.starts_at.isoformat(),
        "location": meeting.location, "status": meeting.status, "decision_rule": meeting.mechanism.decision_rule,
        "items": [{"id": i.pk, "case": i.case_id, "reference": i.case.reference, "purpose": i.purpose,
                   "outcomes": [str(o) for o in panel_services.outcomes_for(i)], "my_vote": mine.get(i.pk),
                   "decision": i.decision.outcome if hasattr(i, "decision") else None} for i in items],
    }


class MeetingListView(ApiView):
    required_scope = "meetings:read"

    @extend_schema(operation_id="meetings_list", responses={200: s.MeetingOut(many=True), **_errors()},
                   description="Upcoming meetings, then the 50 most recent past ones, of the panels the user sits on "
                               "or coordinates. Agenda items name cases by reference only.")
    def get(self, request: Request) -> Response:
        upcoming, past = panel_selectors.meeting_list(user=request.user)
        data = _meetings_data(request.user, upcoming + past)
        audit_record(actor=request.user, action="api.meetings_viewed",
                     data={"meetings": [m["id"] for m in data],
                           "cases": sorted({i["case"] for m in data for i in m["items"]})})
        return Response(data)


class MeetingDetailView(ApiView):
    required_scope = "meetings:read"

    @extend_schema(operation_id="meetings_retrieve", parameters=[PK], responses={200: s.MeetingOut, **_errors(404)})
    def get(self, request: Request, pk: str) -> Response:
        meeting = panel_selectors.meeting_for(request.user, _pk(pk))
        [data] = _meetings_data(request.user, [meeting])
        audit_record(actor=request.user, action="api.meeting_viewed", obj=meeting, mechanism=meeting.mechanism,
                     data={"cases": [i["case"] for i in data["items"]]})
        return Response(data)


ITEM = OpenApiParameter("item", int, OpenApiParameter.PATH)


def _item(request: Request, pk: str, item: str) -> AgendaItem:
    meeting = panel_selectors.meeting_for(request.user, _pk(pk))
    return panel_selectors.agenda_item_for(request.user, meeting, _pk(item))


class VoteView(ApiView):
    required_scope = "panel:vote"

    @extend_schema(operation_id="meetings_vote", parameters=[PK, ITEM], request=s.VoteIn,
                   responses={200: s.VoteOut, **_errors(404)},
                   description="Cast or change the user's vote on an agenda item, as a panel member recorded "
                               "present whose agency votes and who declared no conflict on the case.")
    def post(self, request: Request, pk: str, item: str) -> Response:
        agenda_item = _item(request, pk, item)
        if not policy.can(request.user, "meeting.vote", mechanism=agenda_item.meeting.mechanism):
            raise exceptions.PermissionDenied(_("Only panel members vote."))
        data = _valid(s.VoteIn, request.data)
        vote = panel_services.vote_cast(actor=request.user, item=agenda_item, outcome=data["outcome"])
        return Response({"item": agenda_item.pk, "outcome": vote.outcome})


class DecisionView(ApiView):
    required_scope = "panel:decide"

    @extend_schema(operation_id="meetings_decide", parameters=[PK, ITEM], request=s.DecisionIn,
                   responses={201: s.DecisionOut, **_errors(404)},
                   description="Record the panel's decision on an agenda item: the mechanism's decision rule is "
                               "applied to the votes cast, and the case moves accordingly. Coordinator or chair.")
    def post(self, request: Request, pk: str, item: str) -> Response:
        agenda_item = _item(request, pk, item)
        mechanism = agenda_item.meeting.mechanism
        if not (policy.can(request.user, "meeting.manage", mechanism=mechanism)
                or policy.is_chair(request.user, mechanism)):
            raise exceptions.PermissionDenied(_("Only the coordinator or the chair records the decision."))
        data = _valid(s.DecisionIn, request.data)
        decision = panel_services.decision_record(actor=request.user, item=agenda_item, reasons=data["reasons"],
                                                  chair_outcome=data["outcome"] or None)
        case = Case.objects.only("stage").get(pk=decision.case_id)
        return Response({"item": agenda_item.pk, "case": decision.case_id, "outcome": decision.outcome,
                         "rule": decision.rule, "counts": decision.tally.get("counts", {}),
                         "decided_at": decision.decided_at.isoformat(), "case_stage": case.stage},
                        status=status.HTTP_201_CREATED)


def _intervention_data(i: Any) -> dict[str, Any]:
    return {"id": i.pk, "case_reference": i.case.reference, "type": str(i.type), "goal": i.goal,
            "schedule": i.schedule, "starts_on": i.starts_on.isoformat(),
            "ends_on": i.ends_on.isoformat() if i.ends_on else None, "status": i.status,
            "sessions_open": support_selectors.session_allowed(i.case)}


def _session_data(x: Any) -> dict[str, Any]:
    return dict(s.SessionOut(x).data)


class InterventionListView(ApiView):
    required_scope = "sessions:write"

    @extend_schema(operation_id="interventions_list", responses={200: s.InterventionOut(many=True), **_errors()},
                   description="The interventions the user's own agency delivers, named by case reference.")
    def get(self, request: Request) -> Response:
        found = list(support_selectors.interventions_for_provider(request.user))
        audit_record(actor=request.user, action="api.interventions_viewed",
                     data={"interventions": [i.pk for i in found]})
        return Response([_intervention_data(i) for i in found])


class SessionView(ApiView):
    required_scope = "sessions:write"

    @extend_schema(operation_id="sessions_list", parameters=[PK], responses={200: s.SessionOut(many=True),
                                                                           **_errors(404)})
    def get(self, request: Request, pk: str) -> Response:
        intervention = support_selectors.intervention_for_provider(request.user, _pk(pk))
        sessions = list(support_selectors.sessions_of(intervention))
        audit_record(actor=request.user, action="api.sessions_viewed", obj=intervention, case=intervention.case,
                     data={"sessions": [x.pk for x in sessions]})
        return Response([_session_data(x) for x in sessions])

    @extend_schema(operation_id="sessions_create", parameters=[PK, IDEMPOTENCY], request=s.SessionIn,
                   responses={201: s.SessionOut, **_errors(404, 422)},
                   description="Record a session of this intervention (the providing agency only, while support "
                               "is under way).")
    def post(self, request: Request, pk: str) -> Response:
        intervention = support_selectors.intervention_for_provider(request.user, _pk(pk))
        return idempotent(request, lambda: self._create(request, intervention))

    def _create(self, request: Request, intervention: Any) -> Response:
        data = _valid(s.SessionIn, request.data)
        session = support_services.session_record(actor=request.user, intervention=intervention, **data)
        return Response(_session_data(session), status=status.HTTP_201_CREATED)
