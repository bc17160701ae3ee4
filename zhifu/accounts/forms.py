from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from . import lockout


class LockoutMixin:
    """Refuses locked usernames/addresses before checking the password, counts failures."""

    def clean(self):
        username = self.data.get("username", "") or ""
        address = lockout.client_address(self.request)
        try:
            lockout.login_check_allowed(username=username, address=address)
        except lockout.LoginLocked as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from exc
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                lockout.login_record_failure(username=username, address=address)
            raise
        lockout.login_record_success(username=username)
        return cleaned


class LoginForm(LockoutMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password. Both are case-sensitive."),
        "inactive": _("This account is disabled. Ask your administrator."),
    }


class AdminLoginForm(LockoutMixin, AdminAuthenticationForm):
    pass


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"),
                           help_text=_("The first row holds the column titles."))
