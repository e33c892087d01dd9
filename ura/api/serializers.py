"""What the API reads and writes. Readable case fields come from the policy's allow-list
(``policy.fields_for``): a field the persona may not read is absent, never null or masked."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ura.cases.models import ConcernType, Indicator, RequestStatus, SourceSector, Track
from ura.cases.workflow import Stage
from ura.governance import policy
from ura.governance.policy.fields import CASE, PERSON, PSEUDONYM
from ura.people.models import DatePrecision, Sex


class ErrorDetail(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, machine-readable: invalid, not_found, not_authenticated, "
                                           "authentication_failed, permission_denied, not_allowed, conflict, "
                                           "throttled, method_not_allowed, unsupported_media_type, not_acceptable, "
                                           "parse_error, idempotency_key_reused.")
    message = serializers.CharField(help_text="For people, in the language of Accept-Language.")
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   help_text="Field name → its problems (validation errors only).")


class Error(serializers.Serializer):
    error = ErrorDetail()


class StrictChar(serializers.CharField):
    """JSON strings only: a number is not quietly turned into text."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictInt(serializers.IntegerField):
    def to_internal_value(self, data: Any) -> int:
        if not isinstance(data, int) or isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBool(serializers.BooleanField):
    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictChoice(serializers.ChoiceField):
    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


class StrictDate(serializers.DateField):
    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(data)


class PersonOut(serializers.Serializer):
    id = serializers.IntegerField(required=False)
    given_name = serializers.CharField(required=False)
    family_name = serializers.CharField(required=False)
    father_name = serializers.CharField(required=False)
    birth_date = serializers.DateField(allow_null=True, required=False)
    birth_date_precision = serializers.CharField(required=False)
    sex = serializers.CharField(required=False)
    place = serializers.CharField(required=False)
    address = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)
    national_id = serializers.CharField(required=False)
    guardian_name = serializers.CharField(required=False)
    guardian_relationship = serializers.CharField(required=False)
    guardian_contact = serializers.CharField(required=False)
    pseudonym = serializers.CharField(help_text="In place of the identity, for a pseudonymised viewer.", required=False)


class CaseOut(serializers.Serializer):
    """A case as this user may read it: only the fields the policy allows are present."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    mechanism = serializers.IntegerField()
    episode = serializers.IntegerField()
    previous = serializers.IntegerField(allow_null=True)
    stage = serializers.CharField()
    stage_changed_at = serializers.DateTimeField()
    track = serializers.CharField()
    coordinator = serializers.IntegerField(allow_null=True)
    decided_on = serializers.DateField(allow_null=True)
    exited_on = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    version = serializers.IntegerField()
    person = PersonOut(required=False)
    referred_on = serializers.DateField(required=False)
    referred_by = serializers.IntegerField(allow_null=True, required=False)
    referring_agency = serializers.IntegerField(allow_null=True, required=False)
    referrer_name = serializers.CharField(required=False)
    referrer_contact = serializers.CharField(required=False)
    source_sector = serializers.CharField(required=False)
    concern_type = serializers.CharField(required=False)
    concern = serializers.CharField(required=False)
    indicators = serializers.ListField(child=serializers.CharField(), required=False)
    immediate_danger = serializers.BooleanField(required=False)
    summary = serializers.CharField(required=False)
    signposted_to = serializers.CharField(required=False)
    onward_to = serializers.CharField(required=False)
    needs_summary = serializers.CharField(required=False)
    risk_summary = serializers.CharField(required=False)


FK = {"mechanism", "previous", "coordinator", "referred_by", "referring_agency"}


def _value(obj: Any, name: str) -> Any:
    value = getattr(obj, f"{name}_id") if name in FK else getattr(obj, name)
    return value.isoformat() if hasattr(value, "isoformat") else value


def case_data(user: Any, case: Any) -> dict[str, Any]:
    """The case as ``user`` may read it (the allow-list of ``policy.fields_for``)."""
    access = policy.fields_for(user, case)
    out = {f: _value(case, f) for f in CaseOut().fields if f != "person" and f in access.reads(CASE)}
    person_fields = access.reads(PERSON)
    if person_fields:
        person = {f: _value(case.person, f) for f in PersonOut().fields if f in person_fields and f != PSEUDONYM}
        if PSEUDONYM in person_fields:
            person[PSEUDONYM] = policy.pseudonym(case)
        out["person"] = person
    return out


class CaseList(serializers.Serializer):
    count = serializers.IntegerField()
    results = CaseOut(many=True)


class CaseListQuery(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    track = serializers.ChoiceField(choices=Track.choices, required=False)
    mechanism = serializers.IntegerField(required=False, min_value=1, max_value=2**31)
    limit = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)
    offset = serializers.IntegerField(required=False, min_value=0, max_value=10**6, default=0)


class CaseUpdate(serializers.Serializer):
    """Only the fields this user may write; any other field is refused and named."""

    version = StrictInt(min_value=1, max_value=2**31, help_text="The version the edit starts from.")
    summary = StrictChar(required=False, allow_blank=True, max_length=10000)
    needs_summary = StrictChar(required=False, allow_blank=True, max_length=10000)
    risk_summary = StrictChar(required=False, allow_blank=True, max_length=10000)
    concern_type = StrictChoice(choices=ConcernType.choices, required=False)
    track = StrictChoice(choices=Track.choices, required=False)


class TransitionIn(serializers.Serializer):
    transition = StrictChar(max_length=60, help_text="The workflow step's name, e.g. start_screening.")
    reason = StrictChar(required=False, allow_blank=True, default="", max_length=2000)
    version = StrictInt(required=False, min_value=1, max_value=2**31)


class PersonIn(serializers.Serializer):
    given_name = StrictChar(max_length=120)
    family_name = StrictChar(max_length=120)
    father_name = StrictChar(max_length=120, required=False, allow_blank=True, default="")
    birth_date = StrictDate(required=False, allow_null=True, default=None)
    birth_date_precision = StrictChoice(choices=DatePrecision.choices, required=False,
                                                   default=DatePrecision.DAY)
    sex = StrictChoice(choices=Sex.choices, required=False, default=Sex.OTHER)
    place = StrictChar(max_length=120, required=False, allow_blank=True, default="")


class ReferralIn(serializers.Serializer):
    mechanism = StrictInt(min_value=1, max_value=2**31,
                                         help_text="A mechanism the user may refer to.")
    person = PersonIn()
    source_sector = StrictChoice(choices=SourceSector.choices)
    concern_type = StrictChoice(choices=ConcernType.choices)
    concern = StrictChar(max_length=5000)
    indicators = serializers.ListField(child=StrictChoice(choices=Indicator.choices), required=False,
                                       default=list, max_length=len(Indicator.choices))
    immediate_danger = StrictBool(required=False, default=False)


class ReferralOut(serializers.Serializer):
    """What a referrer learns: that it was received, and nothing more."""

    id = serializers.IntegerField()
    reference = serializers.CharField()
    referred_on = serializers.DateField()
    status = serializers.CharField()


class InformationRequestIn(serializers.Serializer):
    to_agency = StrictInt(min_value=1, max_value=2**31)
    question = StrictChar(max_length=5000)
    purpose = StrictChar(max_length=300)
    legal_basis = StrictChar(max_length=300)
    due_on = StrictDate()


class InformationRequestOut(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    to_agency = serializers.IntegerField(source="to_agency_id")
    question = serializers.CharField()
    purpose = serializers.CharField()
    legal_basis = serializers.CharField()
    due_on = serializers.DateField()
    requested_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    answer = serializers.CharField()
    refusal_reason = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)


class InformationAnswerIn(serializers.Serializer):
    answer = StrictChar(required=False, allow_blank=True, default="", max_length=10000)
    refusal_reason = StrictChar(required=False, allow_blank=True, default="", max_length=300)


class IndicatorsQuery(serializers.Serializer):
    scope = serializers.CharField(max_length=100, help_text="A scope code from /api/v1/indicators/scopes/.")
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class ScopeOut(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.CharField()
    label = serializers.CharField()


class FigureOut(serializers.Serializer):
    value = serializers.FloatField(allow_null=True, help_text="Absent (null) when suppressed or not applicable.")
    text = serializers.CharField(allow_blank=True)
    hidden = serializers.BooleanField()


class ColumnOut(serializers.Serializer):
    label = serializers.CharField()
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(help_text="0: the whole year.")


class RowOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    figures = FigureOut(many=True)


class TableOut(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = ColumnOut(many=True)
    rows = RowOut(many=True)


class IndicatorsOut(serializers.Serializer):
    scope = serializers.CharField()
    label = serializers.CharField()
    year = serializers.IntegerField()
    until = serializers.DateField()
    tables = TableOut(many=True)


class RatedItemOut(serializers.Serializer):
    item = serializers.CharField()
    label = serializers.CharField()
    rating = serializers.CharField(allow_null=True, help_text="The option's code; null when not rated.")
    rating_label = serializers.CharField(allow_blank=True)
    unknown = serializers.BooleanField(help_text="The assessor could not tell: unknown, never absent.")
    evidence = serializers.CharField(allow_blank=True)


class DomainOut(serializers.Serializer):
    domain = serializers.CharField()
    label = serializers.CharField()
    items = RatedItemOut(many=True)


class AssessmentOut(serializers.Serializer):
    """As recorded: item ratings with their evidence and the assessor's own judgement. Nothing is
    computed from the ratings (no total, score or rank)."""

    id = serializers.IntegerField()
    case = serializers.IntegerField()
    instrument = serializers.CharField()
    instrument_version = serializers.CharField()
    number = serializers.IntegerField()
    status = serializers.CharField()
    assessed_on = serializers.DateField(allow_null=True)
    summary = serializers.CharField(allow_blank=True)
    rationale = serializers.CharField(allow_blank=True)
    protective_factors = serializers.CharField(allow_blank=True)
    review_on = serializers.DateField(allow_null=True)
    domains = DomainOut(many=True, required=False)


class AgendaItemOut(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(help_text="The case's id; read it at /api/v1/cases/{id}/ as the policy allows.")
    reference = serializers.CharField()
    purpose = serializers.CharField()
    outcomes = serializers.ListField(child=serializers.CharField(), help_text="The outcomes a vote may choose.")
    my_vote = serializers.CharField(allow_null=True)
    decision = serializers.CharField(allow_null=True, help_text="The recorded outcome, once decided.")


class MeetingOut(serializers.Serializer):
    id = serializers.IntegerField()
    mechanism = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    location = serializers.CharField()
    status = serializers.CharField()
    decision_rule = serializers.CharField()
    items = AgendaItemOut(many=True)


class VoteIn(serializers.Serializer):
    outcome = StrictChar(max_length=20, help_text="One of the item's `outcomes`.")


class VoteOut(serializers.Serializer):
    item = serializers.IntegerField()
    outcome = serializers.CharField()


class DecisionIn(serializers.Serializer):
    reasons = StrictChar(max_length=10000)
    outcome = StrictChar(required=False, allow_blank=True, default="", max_length=20,
                         help_text="Only under the chair-decides rule: the chair's outcome.")


class DecisionOut(serializers.Serializer):
    item = serializers.IntegerField()
    case = serializers.IntegerField()
    outcome = serializers.CharField()
    rule = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField())
    decided_at = serializers.DateTimeField()
    case_stage = serializers.CharField(help_text="The case's stage after the decision moved it.")


class InterventionOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_reference = serializers.CharField()
    type = serializers.CharField()
    goal = serializers.CharField()
    schedule = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    sessions_open = serializers.BooleanField(help_text="Whether sessions can be recorded now (support under way).")


class SessionIn(serializers.Serializer):
    held_on = StrictDate()
    attended = StrictBool()
    minutes_spent = StrictInt(min_value=1, max_value=600)
    progress = StrictChar(required=False, allow_blank=True, default="", max_length=10000)


class SessionOut(serializers.Serializer):
    id = serializers.IntegerField()
    intervention = serializers.IntegerField(source="intervention_id")
    held_on = serializers.DateField()
    attended = serializers.BooleanField()
    minutes_spent = serializers.IntegerField()
    progress = serializers.CharField()
    recorded_at = serializers.DateTimeField()
