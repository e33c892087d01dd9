"""Forms validate input for the case pages; the services decide and write."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ura.cases.models import ConcernType, DeconflictionAnswer, Indicator, SourceSector, Track
from ura.cases.workflow import Stage
from ura.governance import categories as cat
from ura.mechanisms.models import Agency, AgencyType, Mechanism
from ura.people.models import DatePrecision, Sex

DANGER_NOTE = _("If someone is in immediate danger, call the police on 112 / 192 now.")

# The sector a referral comes from, where the referrer's agency makes it obvious.
SECTOR_BY_AGENCY_TYPE: dict[str, str] = {
    AgencyType.POLICE: SourceSector.POLICE,
    AgencyType.SCHOOL: SourceSector.EDUCATION,
    AgencyType.SOCIAL: SourceSector.SOCIAL,
    AgencyType.HEALTH: SourceSector.HEALTH,
    AgencyType.PROBATION: SourceSector.JUSTICE,
    AgencyType.PRISON: SourceSector.JUSTICE,
    AgencyType.RELIGIOUS: SourceSector.RELIGIOUS,
    AgencyType.CSO: SourceSector.CSO,
    AgencyType.SPORTS: SourceSector.COMMUNITY,
}


def new_submission_key() -> str:
    return uuid.uuid4().hex


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class SubmissionKeyField(forms.CharField):
    """A hidden one-use key: the same form submitted twice creates one record."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(widget=forms.HiddenInput, min_length=16, max_length=64, **kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value.replace("-", "").isalnum():
            raise forms.ValidationError(_("This form is damaged. Reload the page and try again."))
        return value


class ReferralForm(forms.Form):
    """What a referrer can tell in a few minutes, from a phone."""

    mechanism = forms.TypedChoiceField(label=_("Mechanism"), coerce=int)
    given_name = forms.CharField(label=_("Given name"), max_length=120)
    family_name = forms.CharField(label=_("Family name"), max_length=120)
    father_name = forms.CharField(label=_("Father's name"), max_length=120, required=False,
                                  help_text=_("Optional. Helps to tell apart people with the same name."))
    birth_date = forms.DateField(label=_("Date of birth"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("Optional. If you know only the month or the year, enter the "
                                             "first day of it and say so below."))
    birth_date_precision = forms.ChoiceField(label=_("How exact is the date of birth?"),
                                             choices=DatePrecision.choices, initial=DatePrecision.UNKNOWN)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.OTHER)
    place = forms.CharField(label=_("Municipality or place"), max_length=120, required=False)
    national_id = forms.CharField(label=_("National identity number"), max_length=40, required=False,
                                  help_text=_("Optional. Only if you already know it; do not ask the person for it."))
    concern_type = forms.ChoiceField(label=_("Type of concern"), choices=ConcernType.choices,
                                     initial=ConcernType.OTHER)
    source_sector = forms.ChoiceField(label=_("You are referring from"), choices=SourceSector.choices)
    concern = forms.CharField(label=_("What have you observed?"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("Describe what you saw or heard, when, and who else knows. "
                                          "Facts rather than opinions."))
    indicators = forms.MultipleChoiceField(label=_("Which of these have you observed?"), required=False,
                                           choices=Indicator.choices, widget=forms.CheckboxSelectMultiple)
    immediate_danger = forms.BooleanField(label=_("Someone is in immediate danger"), required=False,
                                          help_text=DANGER_NOTE)
    submission_key = SubmissionKeyField()

    def __init__(self, *args: Any, mechanisms: list[Mechanism], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mechanisms = {m.pk: m for m in mechanisms}
        field = self.fields["mechanism"]
        field.choices = [(m.pk, m.name) for m in mechanisms]  # type: ignore[attr-defined]
        if len(mechanisms) == 1:
            field.widget = forms.HiddenInput()
            field.initial = mechanisms[0].pk

    def clean_birth_date(self) -> Any:
        born = self.cleaned_data.get("birth_date")
        if born is not None and born > timezone.localdate():
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        return born

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        born, precision = data.get("birth_date"), data.get("birth_date_precision")
        if born is None and precision and precision != DatePrecision.UNKNOWN:
            self.add_error("birth_date", _("Enter the date of birth, or choose “Unknown” below."))
        elif born is not None and precision == DatePrecision.UNKNOWN:
            data["birth_date_precision"] = DatePrecision.DAY
        return data

    @property
    def chosen_mechanism(self) -> Mechanism:
        return self.mechanisms[self.cleaned_data["mechanism"]]

    def person(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {k: d[k] for k in ("given_name", "family_name", "father_name", "birth_date",
                                  "birth_date_precision", "sex", "place", "national_id")}

    def referral(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {k: d[k] for k in ("source_sector", "concern_type", "concern", "indicators", "immediate_danger")}


class RereferralForm(forms.Form):
    """A new concern about a person whose earlier episode has ended."""

    source_sector = forms.ChoiceField(label=_("The new concern comes from"), choices=SourceSector.choices)
    concern_type = forms.ChoiceField(label=_("Type of concern"), choices=ConcernType.choices)
    concern = forms.CharField(label=_("What has been observed?"), max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 4}))
    indicators = forms.MultipleChoiceField(label=_("Observed indicators"), required=False,
                                           choices=Indicator.choices, widget=forms.CheckboxSelectMultiple)
    immediate_danger = forms.BooleanField(label=_("Someone is in immediate danger"), required=False,
                                          help_text=DANGER_NOTE)
    submission_key = SubmissionKeyField()

    def referral(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {k: d[k] for k in ("source_sector", "concern_type", "concern", "indicators", "immediate_danger")}


class CaseFilterForm(forms.Form):
    """The case list's filters. Every field is optional; an invalid one is ignored and shown."""

    q = forms.CharField(label=_("Reference"), max_length=30, required=False)
    mechanism = forms.TypedChoiceField(label=_("Mechanism"), coerce=int, required=False, empty_value=None)
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=_blank(_("Any stage")) + Stage.choices)
    track = forms.ChoiceField(label=_("Track"), required=False, choices=_blank(_("Any track")) + Track.choices)
    concern_type = forms.ChoiceField(label=_("Type of concern"), required=False,
                                     choices=_blank(_("Any type")) + ConcernType.choices)
    year = forms.TypedChoiceField(label=_("Year of referral"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, mechanisms: list[Mechanism], years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mechanism"].choices = (  # type: ignore[attr-defined]
            _blank(_("All mechanisms")) + [(m.pk, m.name) for m in mechanisms])
        self.fields["year"].choices = _blank(_("Any year")) + [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        self.show_mechanism = len(mechanisms) > 1

    def filters(self) -> dict[str, Any]:
        """The valid, non-empty filters; invalid ones are dropped (and shown as errors)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {k: v for k, v in data.items() if v not in (None, "")}


class TransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class CaseEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    summary = forms.CharField(label=_("Case summary"), required=False, max_length=10000,
                              widget=forms.Textarea(attrs={"rows": 5}))
    needs_summary = forms.CharField(label=_("Needs"), required=False, max_length=10000,
                                    widget=forms.Textarea(attrs={"rows": 5}))
    risk_summary = forms.CharField(label=_("Risk (professional judgement)"), required=False, max_length=10000,
                                   widget=forms.Textarea(attrs={"rows": 5}),
                                   help_text=_("Your reasoned judgement, not a score."))
    concern_type = forms.ChoiceField(label=_("Type of concern"), choices=ConcernType.choices)
    track = forms.ChoiceField(label=_("Track"), choices=Track.choices)

    CHANGE_FIELDS = ("summary", "needs_summary", "risk_summary", "concern_type", "track")

    def __init__(self, *args: Any, tracks: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["track"].choices = [(v, label) for v, label in Track.choices  # type: ignore[attr-defined]
                                        if v in tracks]

    def changes(self) -> dict[str, Any]:
        return {f: self.cleaned_data[f] for f in self.CHANGE_FIELDS}


class InformationRequestForm(forms.Form):
    to_agency = forms.ModelChoiceField(label=_("Ask which agency"), queryset=Agency.objects.none())
    question = forms.CharField(label=_("What do you ask?"), max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 3}))
    purpose = forms.CharField(label=_("Purpose"), max_length=300,
                              help_text=_("Why the mechanism needs this information."))
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300,
                                  help_text=_("The law, article or agreement that allows the sharing."))
    due_on = forms.DateField(label=_("Answer due by"), widget=forms.DateInput(attrs={"type": "date"}))
    categories = forms.MultipleChoiceField(
        label=_("What the agency may see of the case until it answers"), required=False,
        choices=[(c, cat.LABELS[c]) for c in cat.LABELS if c in cat.SHAREABLE], widget=forms.CheckboxSelectMultiple,
        initial=list(cat.DEFAULT_REQUEST),
        help_text=_("Share only what the agency needs to answer. Its access ends with its answer."))

    def __init__(self, *args: Any, mechanism: Mechanism, **kwargs: Any) -> None:
        super().__init__(*args, prefix="ir", **kwargs)
        self.fields["to_agency"].queryset = (  # type: ignore[attr-defined]
            Agency.objects.filter(mechanism=mechanism, secondary_actor=False).order_by("name"))

    def clean_due_on(self) -> Any:
        due = self.cleaned_data["due_on"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due


class InformationAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), required=False, max_length=10000,
                             widget=forms.Textarea(attrs={"rows": 6}),
                             help_text=_("Share only what the purpose needs."))
    refusal_reason = forms.CharField(label=_("Or: reason for refusing"), required=False, max_length=300,
                                     help_text=_("Leave empty if you answer."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("answer", "").strip()) == bool(data.get("refusal_reason", "").strip()):
            raise forms.ValidationError(_("Either answer the request or give a reason for refusing it."))
        return data


class DeconflictionAnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer"), choices=DeconflictionAnswer.choices,
                               widget=forms.RadioSelect)
    police_note = forms.CharField(label=_("Police note (sealed)"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Seen by police only. The mechanism learns the answer, "
                                              "never this note."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pk = kwargs.pop("pk")
        super().__init__(*args, prefix=f"d{pk}", **kwargs)
