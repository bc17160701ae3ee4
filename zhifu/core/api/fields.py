"""Serializer fields shared by the API."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$",
                      "example": "08:30"})
class ClockTimeField(serializers.TimeField):
    """A time of day with no date and no zone (a shift, a time window): ``"08:30"``.

    OpenAPI's ``format: time`` means an RFC 3339 time with a UTC offset, which a shift
    does not have; the schema says exactly what is sent instead.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%H:%M")
        super().__init__(**kwargs)


class NumberField(serializers.FloatField):
    """A float that must be sent as a number (or a numeric string): ``true`` is not 1.0."""

    default_error_messages = {"invalid": serializers.FloatField.default_error_messages["invalid"]}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        value = super().to_internal_value(data)
        if value != value or value in (float("inf"), float("-inf")):  # NaN, infinities
            self.fail("invalid")
        return value
