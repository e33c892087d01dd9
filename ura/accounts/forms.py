"""The sign-in forms: password (with locks), the code from the authenticator app, enrolment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from ura.accounts import services
from ura.accounts.selectors import client_ip, sign_in_locked

# One message for a wrong password, an unknown or disabled account and a locked name or address:
# the answer never tells whether an account exists.
REFUSED = _("Your username and password did not match. Please try again.")
CODE_REFUSED = _("That code is not right, or there have been too many attempts. "
                 "Check your authenticator app and try again.")


class SignInForm(AuthenticationForm):
    error_messages = {"invalid_login": REFUSED, "inactive": REFUSED}

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password") or ""
        ip = client_ip(self.request) if self.request else None
        if username and password and sign_in_locked(username=username, ip=ip):
            make_password(password)  # about as long as checking a password: the lock is not timed apart
            services.sign_in_failed(username=username, ip=ip, stage="locked")
            raise self.get_invalid_login_error()
        try:
            return super().clean()
        except forms.ValidationError:
            if username and password:
                services.sign_in_failed(username=username, ip=ip, stage="password")
            raise


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=12,
        help_text=_("The six-digit code your authenticator app shows for Ura now."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "pattern": "[0-9]{6}", "autofocus": True}),
        error_messages={"required": _("Enter the six-digit code."), "max_length": _("Enter the six-digit code.")},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != 6 or not code.isdigit():
            raise forms.ValidationError(_("Enter the six-digit code."))
        return code


class RecoveryCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Recovery code"), max_length=40,
        help_text=_("One of the ten codes you printed or saved when you made them, e.g. abcd-efgh-jkmn-pqrs."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
        error_messages={"required": _("Enter a recovery code.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_recovery_%s")  # on the page beside the code form's own "code"
        super().__init__(*args, **kwargs)
