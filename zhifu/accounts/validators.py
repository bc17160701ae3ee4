import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
_LICENCE = re.compile(r"^[0-9A-Za-z]{6,32}$")


def validate_phone(value: str) -> None:
    if value and not _PHONE.match(value.strip()):
        raise ValidationError(
            _("Enter an 11-digit mobile number or a landline with area code."), code="phone"
        )


def validate_licence_no(value: str) -> None:
    if not _LICENCE.match(value or ""):
        raise ValidationError(
            _("A licence number has 6 to 32 letters or digits."), code="licence_no"
        )
