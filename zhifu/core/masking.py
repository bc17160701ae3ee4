"""Masking of personal numbers for display: 13812345678 → 138****5678."""

from __future__ import annotations

import re

# Mainland mobile numbers, optionally with +86, written whole or in 3-4-4 groups separated
# by a space or a hyphen (138 1234 5678, 138-1234-5678, +86 138 1234 5678).
PHONE_RE = re.compile(
    r"(?<![0-9A-Za-z])(?:\+?86[- ]?)?(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?![0-9A-Za-z])")
# Landlines with an area code: 0754-88881234, (0754) 8888 1234, 020-12345678.
LANDLINE_RE = re.compile(
    r"(?<![0-9A-Za-z])(\(?0\d{2,3}\)?[- ]?)(\d{3,4})[- ]?(\d{4})(?![0-9A-Za-z])")
# Resident ID numbers: 17 digits and a digit or X.
ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")


def mask_phone(value: str | None) -> str:
    """Keep the first three and last four digits of a phone number."""
    if not value:
        return ""
    digits = re.sub(r"\D", "", str(value))
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_id_number(value: str | None) -> str:
    """Keep the first and last four characters of an ID number."""
    if not value:
        return ""
    text = str(value).strip()
    if len(text) <= 8:
        return "*" * len(text)
    return f"{text[:4]}{'*' * (len(text) - 8)}{text[-4:]}"


def mask_text(text: str) -> str:
    """Mask every phone and ID number found inside free text (log lines, notes, a need
    typed by a retailer). Order numbers, dates, amounts and licence numbers (12 digits and
    more without a phone's shape) are left alone."""
    if not text:
        return text
    text = ID_RE.sub(lambda m: mask_id_number(m.group(0)), text)
    text = PHONE_RE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return LANDLINE_RE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)


def has_personal_number(text: str | None) -> bool:
    return bool(text) and mask_text(text) != text


def personal_numbers(text: str | None) -> list[str]:
    """The phone and ID numbers found in free text, as written (for the audit trail)."""
    if not text:
        return []
    found = [m.group(0) for m in ID_RE.finditer(text)]
    found += [m.group(0) for m in PHONE_RE.finditer(text)]
    found += [m.group(0) for m in LANDLINE_RE.finditer(text)]
    return found
