from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password. Both are case-sensitive."),
        "inactive": _("This account is disabled. Ask your administrator."),
    }


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel file"),
                           help_text=_("The first row holds the column titles."))
