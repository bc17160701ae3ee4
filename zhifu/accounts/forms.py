from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from . import lockout


class LockoutMixin:
    """Counts the attempt before the password is checked and refuses a locked account or
    address; only a verified password clears the count (an empty one is a failure)."""

    def clean(self):
        username = self.data.get("username", "") or ""
        address = lockout.client_address(self.request)
        try:
            with lockout.login_attempt(username=username, address=address) as attempt:
                try:
                    return super().clean()
                finally:
                    attempt.succeeded = self.user_cache is not None
        except lockout.LoginLocked as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc


class LoginForm(LockoutMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password. The password is case-sensitive."),
        "inactive": _("This account is disabled. Ask your administrator."),
    }


class AdminLoginForm(LockoutMixin, AdminAuthenticationForm):
    pass


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"),
                           help_text=_("The first row holds the column titles."))
