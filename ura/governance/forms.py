"""Forms check the shape of input; the services in ``ura.governance.services`` decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ura.governance import categories as cat
from ura.governance.models import BreakGlassReview
from ura.mechanisms.models import Agency, Mechanism

SHAREABLE_CHOICES = [(c, cat.LABELS[c]) for c in cat.LABELS if c in cat.SHAREABLE]


class BreakGlassForm(forms.Form):
    reference = forms.CharField(label=_("Case reference"), max_length=30,
                                help_text=_("For example GJI-2026-0042."))
    reason = forms.CharField(label=_("Why you need to open this case now"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("The emergency, in a full sentence. The data-protection officer reads it."))


class BreakGlassReviewForm(forms.Form):
    review = forms.ChoiceField(label=_("Was the emergency access justified?"), choices=BreakGlassReview.choices,
                               widget=forms.RadioSelect)
    note = forms.CharField(label=_("Note"), max_length=500, required=False,
                           help_text=_("Needed when the access was not justified: what follows from it."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pk = kwargs.pop("pk")
        super().__init__(*args, prefix=f"bg{pk}", **kwargs)


class AgreementForm(forms.Form):
    mechanism = forms.ModelChoiceField(label=_("Mechanism"), queryset=Mechanism.objects.none())
    agency = forms.ModelChoiceField(label=_("Receiving agency"), queryset=Agency.objects.none())
    categories = forms.MultipleChoiceField(label=_("What is shared"), choices=SHAREABLE_CHOICES,
                                           widget=forms.CheckboxSelectMultiple)
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300,
                                  help_text=_("The law, article or memorandum that allows the sharing."))
    valid_from = forms.DateField(label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(label=_("Valid until"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, mechanisms: list[Mechanism], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"valid_from": timezone.localdate()})
        super().__init__(*args, **kwargs)
        ids = [m.pk for m in mechanisms]
        self.fields["mechanism"].queryset = Mechanism.objects.filter(pk__in=ids)  # type: ignore[attr-defined]
        self.fields["agency"].queryset = (  # type: ignore[attr-defined]
            Agency.objects.filter(mechanism_id__in=ids, secondary_actor=False).order_by("name"))
        if len(mechanisms) == 1:
            self.fields["mechanism"].initial = mechanisms[0].pk
            self.fields["mechanism"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        mechanism, agency = data.get("mechanism"), data.get("agency")
        if mechanism and agency and agency.mechanism_id != mechanism.pk:
            self.add_error("agency", _("Choose a member agency of this mechanism."))
        return data


class ShareForm(forms.Form):
    agreement = forms.IntegerField(min_value=1, max_value=2**62)
