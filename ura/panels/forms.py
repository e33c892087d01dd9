"""Forms check the shape of input; the services decide whether it may happen."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ura.cases.models import Case
from ura.mechanisms.models import Mechanism, Membership
from ura.panels.models import Meeting, Outcome


class MeetingForm(forms.Form):
    mechanism = forms.ModelChoiceField(label=_("Mechanism"), queryset=Mechanism.objects.none())
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    location = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args: Any, mechanisms: list[Mechanism], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["mechanism"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Mechanism.objects.filter(pk__in=[m.pk for m in mechanisms])
        if len(mechanisms) == 1:
            field.initial = mechanisms[0].pk
            field.widget = forms.HiddenInput()


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.reference} · {obj.person.full_name} · {obj.get_stage_display()}"


class AgendaAddForm(forms.Form):
    case = CaseChoiceField(label=_("Case"), queryset=Case.objects.none(),
                           help_text=_("Cases in case review come for a decision, cases in support for a review."))

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = candidates  # type: ignore[attr-defined]


class AttendanceForm(forms.Form):
    present = forms.TypedMultipleChoiceField(label=_("Present"), coerce=int, required=False,
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, members: Iterable[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = []
        for m in members:
            label = f"{m.user} · {m.agency.name}"
            if not m.agency.votes_on_panel:
                label += " · " + str(_("does not vote"))
            choices.append((m.pk, label))
        self.fields["present"].choices = choices  # type: ignore[attr-defined]


class ConflictForm(forms.Form):
    reason = forms.CharField(label=_("Nature of the conflict"), max_length=300,
                             help_text=_("For example: a relative, a client of yours, or a personal link."))


def _outcome_choices(outcomes: Iterable[str]) -> list[tuple[str, str]]:
    return [(o, Outcome(o).label) for o in outcomes]


class VoteForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Your vote"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, outcomes: Iterable[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = _outcome_choices(outcomes)  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("The chair's decision"), widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Why the panel decided this; kept in the minutes."))

    def __init__(self, *args: Any, outcomes: Iterable[str], chair_rule: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if chair_rule:
            self.fields["outcome"].choices = _outcome_choices(outcomes)  # type: ignore[attr-defined]
        else:
            # Under majority and consensus the votes decide; nobody picks the outcome.
            del self.fields["outcome"]


class CloseForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("Who attended, what was discussed, the decisions and actions."))


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        when = timezone.localtime(obj.starts_at).strftime("%Y-%m-%d %H:%M")
        return f"{when} · {obj.location}" if obj.location else when


class ScheduleForm(forms.Form):
    """From the case page: put this case on a planned meeting's agenda."""

    meeting = MeetingChoiceField(label=_("Panel meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]
