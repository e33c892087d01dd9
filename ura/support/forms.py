"""Forms check the shape of input; the services decide whether it may happen."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ura.governance import categories as cat
from ura.governance.models import ConsentDecision, ConsentGiver
from ura.mechanisms.models import Agency
from ura.support.models import FundingSource, InterventionStatus, InterventionType, PostExitOutcome


def _date_input(**attrs: Any) -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


def _not_in_future(day: Any) -> Any:
    if day is not None and day > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))
    return day


class ConsentForm(forms.Form):
    given_by = forms.ChoiceField(label=_("Who answered"), choices=ConsentGiver.choices, widget=forms.RadioSelect,
                                 help_text=_("For a minor, a parent or guardian answers."))
    giver_name = forms.CharField(label=_("Name of the person who answered"), max_length=200)
    relationship = forms.CharField(label=_("Relationship to the person"), max_length=80, required=False,
                                   help_text=_("Needed when a parent or guardian answers, e.g. mother."))
    decision = forms.ChoiceField(label=_("Answer"), choices=ConsentDecision.choices, widget=forms.RadioSelect)
    scope = forms.CharField(label=_("What the consent covers"), max_length=300,
                            help_text=_("The support offered and the sharing of information it needs."))
    decided_on = forms.DateField(label=_("Date"), widget=_date_input())
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies that may receive information"), queryset=Agency.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("If the consent is withdrawn, sharing with these agencies stops at once."))
    categories = forms.MultipleChoiceField(
        label=_("What they may receive"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(c, cat.LABELS[c]) for c in cat.LABELS if c in cat.SHAREABLE])

    def __init__(self, *args: Any, mechanism: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"decided_on": timezone.localdate()})
        kwargs.setdefault("auto_id", "id_consent_%s")
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.filter(mechanism=mechanism, secondary_actor=False).order_by("name")
        self.fields["agencies"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["agencies"].initial = list(agencies.values_list("pk", flat=True))
        self.fields["categories"].initial = list(cat.DEFAULT_CONSENT)

    def clean_decided_on(self) -> Any:
        return _not_in_future(self.cleaned_data.get("decided_on"))


class ProviderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_type_display()})"


class InterventionForm(forms.Form):
    type = forms.ModelChoiceField(label=_("Type of intervention"), queryset=InterventionType.objects.all())
    provider = ProviderChoiceField(label=_("Provider agency"), queryset=Agency.objects.none())
    goal = forms.CharField(label=_("Goal"), max_length=300)
    schedule = forms.CharField(label=_("Schedule"), max_length=200,
                               help_text=_("For example: Thursdays 16:00, weekly."))
    starts_on = forms.DateField(label=_("Start"), widget=_date_input())
    ends_on = forms.DateField(label=_("Planned end"), required=False, widget=_date_input())
    funding_source = forms.ChoiceField(label=_("Funding source"), choices=FundingSource.choices)
    funder = forms.CharField(label=_("Funder"), max_length=120, required=False,
                             help_text=_("The donor or budget line, if any."))
    cost = forms.DecimalField(label=_("Cost (EUR)"), min_value=0, max_digits=10, decimal_places=2, initial=0,
                              widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"starts_on": timezone.localdate(), "cost": 0})
        kwargs.setdefault("auto_id", "id_intervention_%s")
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = (  # type: ignore[attr-defined]
            Agency.objects.filter(mechanism_id=case.mechanism_id, secondary_actor=False).order_by("name"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end cannot be before the start."))
        return data


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=InterventionStatus.choices)


class PostExitReviewForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=PostExitOutcome.choices, widget=forms.RadioSelect,
                                help_text=_("A new concern opens a new episode for the person."))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    held_on = forms.DateField(label=_("Held on"), widget=_date_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_held_on(self) -> Any:
        return _not_in_future(self.cleaned_data.get("held_on"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == PostExitOutcome.CONCERN and not (data.get("notes") or "").strip():
            self.add_error("notes", _("Describe the new concern; it becomes the new episode's referral."))
        return data


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the session"), widget=_date_input())
    attended = forms.TypedChoiceField(label=_("Did the person attend?"), widget=forms.RadioSelect,
                                      choices=[("yes", _("Yes, attended")), ("no", _("No, did not attend"))],
                                      coerce=lambda v: v == "yes", initial="yes")
    minutes_spent = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=600, initial=60,
                                       widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    progress = forms.CharField(label=_("Progress notes"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("What was done and how it went. Write only what the plan needs."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean_held_on(self) -> Any:
        return _not_in_future(self.cleaned_data.get("held_on"))
