from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class HandoverAnswerForm(forms.Form):
    ACCEPT, MORE = "accept", "more"
    answer = forms.ChoiceField(label=_("Your answer"), widget=forms.RadioSelect,
                               choices=[(ACCEPT, _("Accept the household and its cases")),
                                        (MORE, _("Ask the central division for more"))])
    response = forms.CharField(label=_("Message to the central division"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("Required when you ask for more."))
