"""Forms of the data-protection officer's pages: they check the shape of input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ura.governance.dpo import REVIEW_DAYS


class FindForm(forms.Form):
    reference = forms.CharField(label=_("Case reference"), max_length=30,
                                help_text=_("Any case of the person, for example GJI-2026-0042."))


class HoldForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the hold"), max_length=300,
                             help_text=_("The inquiry, court case or order that needs the data kept. "
                                         "No names: the reason outlives the case."))


class LiftForm(forms.Form):
    reason = forms.CharField(label=_("Reason for lifting the hold"), max_length=300)


class ErasureForm(forms.Form):
    reason = forms.CharField(label=_("The request and your decision"), max_length=200,
                             help_text=_("When and how the person asked, and why erasure applies. No names: "
                                         "this stays in the audit log."))
    confirm = forms.BooleanField(label=_("I understand that every case of this person will be erased and "
                                         "cannot be restored."))


class DaysForm(forms.Form):
    days = forms.TypedChoiceField(label=_("Period"), coerce=int, required=False, empty_value=30)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [  # type: ignore[attr-defined]
            (d, gettext("Last %(n)s days") % {"n": d}) for d in REVIEW_DAYS]


class MarkForm(forms.Form):
    flag = forms.CharField(max_length=120, widget=forms.HiddenInput)
    note = forms.CharField(label=_("What you found, or what was done"), max_length=500)
