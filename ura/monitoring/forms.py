from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ura.mechanisms.models import Agency, Mechanism, Membership
from ura.support.models import FundingSource, Intervention

from .models import Activity, ActivityKind, Audience, BudgetLine, ReportNarrative
from .queries import published_until
from .scopes import Scope

FIRST_YEAR = 2010


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _not_in_future(value: dt.date | None) -> dt.date | None:
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("This date is in the future."))
    return value


class IndicatorFilterForm(forms.Form):
    """Whose figures and which year: only whole years of the scopes the policy allows."""

    scope = forms.ChoiceField(label=_("Mechanism or level"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, data: Any = None, *, scopes: list[Scope], default_year: int | None = None) -> None:
        last = published_until(timezone.localdate()).year
        self.scopes = {s.code: s for s in scopes}
        initial = {"scope": scopes[0].code if scopes else "", "year": default_year or last}
        if data is not None:
            data = {**initial, **{k: data.get(k) for k in ("scope", "year") if data.get(k)}}
        super().__init__(data, initial=initial)
        self.fields["scope"].choices = [(s.code, s.label) for s in scopes]
        self.fields["year"].choices = [(y, str(y)) for y in range(last, FIRST_YEAR - 1, -1)]

    def chosen(self) -> tuple[Scope, int] | None:
        if not self.is_bound or not self.is_valid():
            return None
        return self.scopes[self.cleaned_data["scope"]], self.cleaned_data["year"]


class MechanismChoiceMixin:
    """A mechanism field when the user works for more than one mechanism."""

    def _mechanism_field(self, mechanisms: list[Mechanism]) -> None:
        self.mechanisms = {m.pk: m for m in mechanisms}
        field = forms.TypedChoiceField(label=_("Mechanism"), coerce=int,
                                       choices=[(m.pk, m.name) for m in mechanisms])
        if len(mechanisms) == 1:
            field.widget = forms.HiddenInput()
            field.initial = mechanisms[0].pk
        self.fields["mechanism"] = field  # type: ignore[attr-defined]

    @property
    def mechanism(self) -> Mechanism:
        return self.mechanisms[self.cleaned_data["mechanism"]]  # type: ignore[attr-defined]


class TrainingForm(MechanismChoiceMixin, forms.Form):
    topic = forms.CharField(label=_("Topic"), max_length=200,
                            help_text=_("For example: recognising signs of radicalisation; the referral pathway."))
    held_on = forms.DateField(label=_("Date"), widget=_date_input())
    trainer = forms.CharField(label=_("Trainer"), max_length=200)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    hours = forms.IntegerField(label=_("Duration (hours)"), min_value=1, max_value=200, initial=4)
    members = forms.MultipleChoiceField(label=_("Members of the mechanism who took part"), required=False,
                                        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, mechanisms: list[Mechanism], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._mechanism_field(mechanisms)
        memberships = (Membership.objects.filter(mechanism__in=mechanisms, active=True)
                       .select_related("user", "agency", "mechanism").order_by("agency__name", "user__last_name"))
        self.member_map: dict[str, Membership] = {}
        choices = []
        for m in memberships:
            key = f"{m.mechanism_id}:{m.user_id}:{m.agency_id}"
            if key in self.member_map:
                continue
            self.member_map[key] = m
            who = m.user.get_full_name() or m.user.username
            choices.append((key, f"{who} · {m.agency.name}"))
        self.fields["members"].choices = choices
        self.agencies = list(Agency.objects.filter(mechanism__in=mechanisms).order_by("name"))
        for a in self.agencies:
            self.fields[f"others_{a.pk}"] = forms.IntegerField(
                label=_("Others from %(agency)s") % {"agency": a.name}, min_value=0, max_value=500,
                required=False, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))

    def clean_held_on(self) -> Any:
        return _not_in_future(self.cleaned_data.get("held_on"))

    def other_fields(self) -> list[forms.BoundField]:
        return [self[f"others_{a.pk}"] for a in self.agencies]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "mechanism" not in data:
            return data
        mechanism_id = data["mechanism"]
        members = [self.member_map[k] for k in data.get("members", [])]
        if any(m.mechanism_id != mechanism_id for m in members):
            self.add_error("members", _("Choose members of the training's mechanism only."))
        others = {a.pk: data.get(f"others_{a.pk}") or 0 for a in self.agencies}
        if any(n and a.mechanism_id != mechanism_id for a in self.agencies for n in [others[a.pk]]):
            self.add_error(None, _("Other participants must come from agencies of the training's mechanism."))
        if not members and not any(others.values()):
            self.add_error("members", _("Record at least one participant."))
        data["participants"] = [(m.agency, m.user) for m in members]
        data["others"] = {a: others[a.pk] for a in self.agencies if others[a.pk]}
        return data


class ActivityForm(MechanismChoiceMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["kind", "title", "held_on", "place", "audience", "participants", "partners", "other_partners",
                  "funding_source", "funder", "cost"]
        widgets = {"held_on": _date_input(), "partners": forms.CheckboxSelectMultiple}
        labels = {"participants": _("Number of participants")}

    def __init__(self, *args: Any, mechanisms: list[Mechanism], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._mechanism_field(mechanisms)
        self.fields["kind"].choices = ActivityKind.choices
        self.fields["audience"].choices = Audience.choices
        self.fields["partners"].queryset = Agency.objects.filter(mechanism__in=mechanisms).order_by("name")
        self.fields["cost"].min_value = 0
        self.order_fields(["mechanism", *self.Meta.fields])

    def clean_held_on(self) -> Any:
        return _not_in_future(self.cleaned_data.get("held_on"))

    def clean_cost(self) -> Any:
        cost = self.cleaned_data.get("cost")
        if cost is not None and cost < 0:
            raise forms.ValidationError(_("The cost cannot be negative."))
        return cost

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if "mechanism" in data and any(a.mechanism_id != data["mechanism"] for a in data.get("partners", [])):
            self.add_error("partners", _("Choose partners of the activity's mechanism only."))
        return data


class BudgetLineForm(MechanismChoiceMixin, forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["funder", "source", "title", "year", "amount"]
        help_texts = {"funder": _("For example: GCERF, IOM, EU, the municipal budget.")}

    def __init__(self, *args: Any, mechanisms: list[Mechanism], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._mechanism_field(mechanisms)
        self.fields["source"].choices = FundingSource.choices
        self.fields["year"].min_value = FIRST_YEAR
        self.fields["year"].max_value = timezone.localdate().year + 5
        self.order_fields(["mechanism", *self.Meta.fields])

    def clean_amount(self) -> Any:
        amount = self.cleaned_data.get("amount")
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("The amount must be more than zero."))
        return amount


class AllocationForm(forms.Form):
    line = forms.ModelChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none())
    target = forms.ChoiceField(label=_("Spent on"))
    amount = forms.DecimalField(label=_("Amount (EUR)"), max_digits=10, decimal_places=2, min_value=0.01)

    def __init__(self, *args: Any, mechanisms: list[Mechanism], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = (BudgetLine.objects.filter(mechanism__in=mechanisms)
                                        .select_related("mechanism").order_by("-year", "funder"))
        interventions = (Intervention.objects.filter(case__mechanism__in=mechanisms)
                         .select_related("case", "type").order_by("-starts_on")[:300])
        activities = Activity.objects.filter(mechanism__in=mechanisms).order_by("-held_on")[:300]
        self.targets: dict[str, Intervention | Activity] = {}
        choices_i, choices_a = [], []
        for i in interventions:
            self.targets[f"i{i.pk}"] = i
            choices_i.append((f"i{i.pk}", f"{i.case.reference} · {i.type.name} · {i.starts_on:%Y-%m-%d}"))
        for a in activities:
            self.targets[f"a{a.pk}"] = a
            choices_a.append((f"a{a.pk}", f"{a.title} · {a.held_on:%Y-%m-%d}"))
        self.fields["target"].choices = [(_("Interventions"), choices_i), (_("Prevention activities"), choices_a)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        line, target = data.get("line"), self.targets.get(data.get("target", ""))
        if line and target:
            owner = target.case.mechanism_id if isinstance(target, Intervention) else target.mechanism_id
            if owner != line.mechanism_id:
                self.add_error("target", _("The budget line and what it pays for must belong to the same mechanism."))
        data["target_object"] = target
        return data


class NarrativeForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ReportNarrative
        fields = ["summary", "achievements", "challenges", "plans"]
        help_texts = {
            "summary": _("A few sentences on the year: what the mechanism did and for whom. No names."),
            "challenges": _("For example: trust between agencies, information exchange, funding."),
        }
