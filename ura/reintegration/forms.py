from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ura.mechanisms.models import Agency, Mechanism
from ura.reintegration.models import CustodyKind, HouseholdMember, Phase, Relationship
from ura.support.models import InterventionType


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class HandoverAnswerForm(forms.Form):
    ACCEPT, MORE = "accept", "more"
    answer = forms.ChoiceField(label=_("Your answer"), widget=forms.RadioSelect,
                               choices=[(ACCEPT, _("Accept: the cases move to your team with their history")),
                                        (MORE, _("Ask the central division for more"))])
    response = forms.CharField(label=_("Message to the central division"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("Required when you ask for more."))


class HouseholdForm(forms.Form):
    name = forms.CharField(label=_("Name of the household"), max_length=200,
                           help_text=_("How the team refers to the family, e.g. the family name."))
    returned_on = forms.DateField(label=_("Date of return"), required=False, widget=DateInput())
    relationship = forms.ChoiceField(label=_("This person's place in the household"), choices=Relationship.choices)
    lives_at = forms.CharField(label=_("Lives at"), max_length=200, required=False)


class MemberForm(forms.Form):
    reference = forms.CharField(label=_("Case reference"), max_length=40,
                                help_text=_("Each member has their own case; open one for them first if needed."))
    relationship = forms.ChoiceField(label=_("Relationship"), choices=Relationship.choices)
    guardian = forms.ModelChoiceField(label=_("Guardian in the household"), required=False,
                                      queryset=HouseholdMember.objects.none(),
                                      help_text=_("For a child: the member who has parental responsibility."))
    lives_at = forms.CharField(label=_("Lives at"), max_length=200, required=False)

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["guardian"]
        field.queryset = members  # type: ignore[attr-defined]
        field.label_from_instance = lambda m: f"{m.case.reference} · {m.get_relationship_display()}"  # type: ignore[attr-defined]


class ProgrammeForm(forms.Form):
    programme = forms.CharField(label=_("The family programme"), required=False, max_length=10000,
                                widget=forms.Textarea(attrs={"rows": 5}),
                                help_text=_("What the family does together; "
                                            "each member's own plan stays on their case."))
    elements = forms.MultipleChoiceField(label=_("Programme elements"), required=False,
                                         widget=forms.CheckboxSelectMultiple, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["elements"].choices = [  # type: ignore[attr-defined]
            (t.code, t.name) for t in InterventionType.objects.order_by("name")]


class HandoverForm(forms.Form):
    to_mechanism = forms.ModelChoiceField(label=_("Team that takes over"), queryset=Mechanism.objects.none())
    note = forms.CharField(label=_("What the receiving team should know"), max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, mechanisms: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_mechanism"].queryset = mechanisms  # type: ignore[attr-defined]


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), choices=Phase.choices)
    started_on = forms.DateField(label=_("Started on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


def _agencies(mechanism: Mechanism, **filters: Any) -> Any:
    return Agency.objects.filter(mechanism=mechanism, **filters).order_by("name")


class CustodyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Milestone"),
                             choices=[c for c in CustodyKind.choices if c[0] != CustodyKind.PRE_RELEASE])
    on = forms.DateField(label=_("Date"), widget=DateInput())
    detail = forms.CharField(label=_("Details"), required=False, max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    conditions = forms.CharField(label=_("Conditions of release"), required=False, max_length=5000,
                                 widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text=_("Required when the release date and conditions are set."))
    agencies = forms.ModelMultipleChoiceField(label=_("Agencies involved"), required=False,
                                              widget=forms.CheckboxSelectMultiple, queryset=Agency.objects.none())
    to_mechanism = forms.ModelChoiceField(
        label=_("At release, hand the case to"), required=False, queryset=Mechanism.objects.none(),
        help_text=_("The team that takes over after release, e.g. the municipal team where the person will live. "
                    "The case moves with its history once that team accepts."))

    def __init__(self, *args: Any, mechanism: Mechanism, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = _agencies(mechanism)  # type: ignore[attr-defined]
        self.fields["to_mechanism"].queryset = (  # type: ignore[attr-defined]
            Mechanism.objects.exclude(pk=mechanism.pk).order_by("name"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("to_mechanism") and data.get("kind") != CustodyKind.RELEASED:
            self.add_error("to_mechanism", _("A case is handed over at release; choose the milestone “Released”."))
        return data


class PreReleaseForm(forms.Form):
    on = forms.DateField(label=_("Date of the meeting"), widget=DateInput())
    agencies = forms.ModelMultipleChoiceField(label=_("Agencies present"), widget=forms.CheckboxSelectMultiple,
                                              queryset=Agency.objects.none())
    share_risk_with = forms.ModelMultipleChoiceField(
        label=_("Share the risk assessments with"), required=False, widget=forms.CheckboxSelectMultiple,
        queryset=Agency.objects.none(),
        help_text=_("Only the agencies that manage the release need them: prison, probation and police."))
    legal_basis = forms.CharField(label=_("Legal basis for sharing"), required=False, max_length=300)
    detail = forms.CharField(label=_("What was agreed"), required=False, max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, mechanism: Mechanism, receivers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agencies"].queryset = _agencies(mechanism)  # type: ignore[attr-defined]
        self.fields["share_risk_with"].queryset = _agencies(mechanism, type__in=receivers)  # type: ignore[attr-defined]
