from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Indicator, RawValue


class DimensionScoreSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    group = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    verdict = serializers.CharField(allow_null=True,
                                    help_text=_("strength, neutral or weakness"))
    peer_mean = serializers.FloatField(allow_null=True)
    strength_threshold = serializers.FloatField()
    weakness_threshold = serializers.FloatField()


class RfmSerializer(serializers.Serializer):
    r = serializers.IntegerField()
    f = serializers.IntegerField()
    m = serializers.IntegerField()


class SegmentSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    yearly_amount = serializers.FloatField()
    recency_days = serializers.IntegerField(allow_null=True)
    frequency = serializers.IntegerField()
    rfm = RfmSerializer()
    churn_warning = serializers.BooleanField()


class RadarIndicatorSerializer(serializers.Serializer):
    name = serializers.CharField()
    max = serializers.IntegerField()


class RadarSerializer(serializers.Serializer):
    indicators = RadarIndicatorSerializer(many=True)
    values = serializers.ListField(child=serializers.FloatField())
    peer = serializers.ListField(child=serializers.FloatField(allow_null=True),
                                 help_text=_("Peer-group means; null where the group is too "
                                             "small."))


class TrendPointSerializer(serializers.Serializer):
    period = serializers.CharField()
    total = serializers.FloatField()
    scores = serializers.DictField(child=serializers.FloatField())


class ProfileSerializer(serializers.Serializer):
    retailer_id = serializers.IntegerField()
    period = serializers.CharField(allow_null=True)
    computed_at = serializers.DateTimeField(allow_null=True)
    total = serializers.FloatField(allow_null=True)
    dimensions = DimensionScoreSerializer(many=True)
    strengths = serializers.ListField(child=serializers.CharField())
    weaknesses = serializers.ListField(child=serializers.CharField())
    segment = SegmentSerializer(allow_null=True)
    radar = RadarSerializer()
    trend = TrendPointSerializer(many=True)


class CollectionSerializer(serializers.Serializer):
    period = serializers.RegexField(
        r"^\d{4}-(0[1-9]|1[0-2])$", required=False,
        help_text=_("The month the values describe, YYYY-MM (default: this month)."))
    values = serializers.DictField(
        child=serializers.JSONField(), allow_empty=False,
        help_text=_("Indicator code → value: a number, or one of the indicator's answers."))


class RawValueSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code")
    period = serializers.DateField(format="%Y-%m")

    class Meta:
        model = RawValue
        fields = ["indicator", "period", "value_number", "value_text", "source"]


class IndicatorSerializer(serializers.ModelSerializer):
    dimension = serializers.CharField(source="dimension.code")
    answers = serializers.SerializerMethodField()
    collectable = serializers.SerializerMethodField()

    class Meta:
        model = Indicator
        fields = ["code", "name", "name_en", "dimension", "max_points", "unit", "source",
                  "rule_kind", "answers", "collectable"]

    def get_answers(self, obj) -> dict[str, str]:
        """For category indicators: the accepted answers and their labels."""
        if not obj.is_category:
            return {}
        labels = obj.rule_params.get("labels", {})
        return {code: labels.get(code, code) for code in obj.rule_params.get("map", {})}

    def get_collectable(self, obj) -> bool:
        return obj.source != "master"
