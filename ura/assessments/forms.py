"""Forms check the shape of input; the services decide whether it may happen and whether it is complete."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ura.accounts.models import User
from ura.assessments.definitions import Domain, Item
from ura.assessments.models import Assessment, InstrumentVersion


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _key(item_id: str) -> str:
    """A form-field-safe name for an item id (ids may contain dots)."""
    return item_id.replace(".", "__")


def rating_field(item_id: str) -> str:
    return f"r__{_key(item_id)}"


def evidence_field(item_id: str) -> str:
    return f"e__{_key(item_id)}"


def form_field(service_field: str | None) -> str | None:
    """The form field for a field name a service reported (``rating:<item>``, ``evidence:<item>``, ...)."""
    if service_field is None:
        return None
    kind, _sep, item = service_field.partition(":")
    if kind == "rating" and item:
        return rating_field(item)
    if kind == "evidence" and item:
        return evidence_field(item)
    return service_field


class AssessorChoiceField(forms.ModelMultipleChoiceField):
    agencies: dict[int, str] = {}

    def label_from_instance(self, obj: Any) -> str:
        agency = self.agencies.get(obj.pk, "")
        name = obj.get_full_name() or obj.username
        return f"{name} ({agency})" if agency else name


@dataclass(frozen=True)
class ItemFields:
    item: Item
    rating: forms.BoundField
    evidence: forms.BoundField


@dataclass(frozen=True)
class DomainFields:
    domain: Domain
    items: list[ItemFields]


class AssessmentForm(forms.Form):
    """The whole draft on one page: the item ratings with their evidence, then the judgement."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    assessed_on = forms.DateField(label=_("Date of the assessment"), required=False, widget=_date_input())
    sources = forms.CharField(
        label=_("Information sources"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who was met, which records were read or which agencies answered, with dates."))
    summary = forms.ChoiceField(
        label=_("Summary judgement"), required=False, widget=forms.RadioSelect, choices=(),
        help_text=_("Your own judgement from all the information, not a count of the ratings above."))
    rationale = forms.CharField(
        label=_("Rationale for the summary judgement"), required=False, max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Which ratings and evidence weighed most, and why."))
    protective_factors = forms.CharField(
        label=_("Protective factors"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What protects the person or helps change: relationships, commitments, strengths."))
    review_on = forms.DateField(label=_("Review by"), required=False, widget=_date_input())
    co_assessors = AssessorChoiceField(
        label=_("Other assessors"), required=False, queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Colleagues who made this assessment with you; each signs it with you."))

    def __init__(self, *args: Any, assessment: Assessment, co_assessors: list[tuple[Any, str]],
                 **kwargs: Any) -> None:
        """``co_assessors``: the colleagues who may assess with this instrument, with their agency's name."""
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        spec = assessment.instrument.spec
        self.fields["summary"].choices = [(o.code, o.label) for o in spec.summary_scale]  # type: ignore[attr-defined]
        if co_assessors:
            field = self.fields["co_assessors"]
            field.queryset = User.objects.filter(  # type: ignore[attr-defined]
                pk__in=[u.pk for u, _agency in co_assessors]).order_by("last_name", "first_name")
            field.agencies = {u.pk: agency for u, agency in co_assessors}  # type: ignore[attr-defined]
        else:
            del self.fields["co_assessors"]
        self._domains = spec.domains
        for d in self._domains:
            for item in d.items:
                self.fields[rating_field(item.id)] = forms.ChoiceField(
                    label=item.label, required=False, widget=forms.RadioSelect, help_text=item.guidance,
                    choices=[(o.code, o.label) for o in d.scale])
                self.fields[evidence_field(item.id)] = forms.CharField(
                    label=_("Evidence"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))

    @property
    def domains(self) -> list[DomainFields]:
        return [DomainFields(d, [ItemFields(i, self[rating_field(i.id)], self[evidence_field(i.id)])
                                 for i in d.items]) for d in self._domains]

    def clean_assessed_on(self) -> Any:
        day = self.cleaned_data.get("assessed_on")
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(_("The date of the assessment cannot be in the future."))
        return day

    def ratings(self) -> dict[str, tuple[str, str]]:
        return {i.id: (self.cleaned_data.get(rating_field(i.id)) or "",
                       (self.cleaned_data.get(evidence_field(i.id)) or "").strip())
                for d in self._domains for i in d.items}

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        out = {"assessed_on": data.get("assessed_on"), "sources": data.get("sources", "").strip(),
               "summary": data.get("summary") or "", "rationale": data.get("rationale", "").strip(),
               "protective_factors": data.get("protective_factors", "").strip(), "review_on": data.get("review_on"),
               "ratings": self.ratings()}
        if "co_assessors" in self.fields:
            out["co_assessors"] = list(data.get("co_assessors") or [])
        return out


def initial_for(a: Assessment) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "revision": a.revision, "assessed_on": a.assessed_on, "sources": a.sources, "summary": a.summary or None,
        "rationale": a.rationale, "protective_factors": a.protective_factors,
        "review_on": a.review_on or (a.assessed_on + _interval(a) if a.assessed_on else None),
        "co_assessors": [x.user_id for x in a.assessors.all() if x.user_id != a.created_by_id],
    }
    for r in a.ratings.all():
        initial[rating_field(r.item_id)] = r.rating or None
        initial[evidence_field(r.item_id)] = r.evidence
    return initial


def _interval(a: Assessment) -> dt.timedelta:
    return dt.timedelta(days=a.instrument.review_interval_days)


class InstrumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class StartForm(forms.Form):
    instrument = InstrumentChoiceField(label=_("Instrument"), queryset=InstrumentVersion.objects.none())

    def __init__(self, *args: Any, instruments: list[InstrumentVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = InstrumentVersion.objects.filter(  # type: ignore[attr-defined]
            pk__in=[v.pk for v in instruments]).order_by("name")


class RevisionForm(forms.Form):
    """The revision of the assessment the page showed: acting on a changed one is refused."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ConfirmForm(forms.Form):
    """A button's form says what it is for, so that an empty or stray request changes nothing."""

    confirm = forms.ChoiceField(choices=[("yes", "yes")], widget=forms.HiddenInput)


class NeedsForm(forms.Form):
    needs = forms.MultipleChoiceField(label=_("Needs this intervention addresses"), required=False,
                                      widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = choices  # type: ignore[attr-defined]

    def keys(self) -> list[tuple[str, str]]:
        out = []
        for value in self.cleaned_data["needs"]:
            code, _sep, item = value.partition(":")
            out.append((code, item))
        return out


class CredentialForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Member"), queryset=User.objects.none())
    code = forms.ChoiceField(label=_("Credential"), choices=())
    valid_from = forms.DateField(label=_("Valid from"), widget=_date_input())
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=_date_input(),
                                  help_text=_("Leave empty if it does not expire."))
    note = forms.CharField(label=_("Note"), required=False, max_length=200,
                           help_text=_("The certificate or training, and who gave it."))

    def __init__(self, *args: Any, members: list[Any], codes: list[str], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"valid_from": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(  # type: ignore[attr-defined]
            pk__in=[u.pk for u in members]).order_by("last_name", "first_name")
        self.fields["code"].choices = [(c, c) for c in codes]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("The end of validity cannot be before its start."))
        return data


class CountersignRuleForm(forms.Form):
    rule = forms.ChoiceField(choices=[("countersign", "countersign")], widget=forms.HiddenInput,
                             initial="countersign")
    required = forms.BooleanField(label=_("Submitted assessments need a second signature"), required=False)
