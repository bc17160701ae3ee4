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


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def validate_id_number(value: str) -> None:
    """An 18-character resident ID number with a valid check character (GB 11643)."""
    text = (value or "").strip().upper()
    if len(text) != 18 or not text[:17].isdigit():
        raise ValidationError(_("An ID number has 17 digits and a check digit or X."),
                              code="id_number")
    check = _ID_CHECK[sum(int(d) * w for d, w in zip(text[:17], _ID_WEIGHTS, strict=True)) % 11]
    if text[17] != check:
        raise ValidationError(_("This ID number's check digit is wrong."), code="id_number")
