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
