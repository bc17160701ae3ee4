"""The browser's own date pickers. An ``<input type="date">`` takes its value only as
``YYYY-MM-DD`` (and ``datetime-local`` as ``YYYY-MM-DDTHH:MM``) whatever the page's language;
Django's default widgets write the localized format, which the browser drops, so a form
shown again (after an error, or with its default day) would come back blank."""

from django import forms


class DatePicker(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimePicker(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")
