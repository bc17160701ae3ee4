"""Specialists' scores, points and rank; co-creation ratings; managers' reviews."""

import datetime as dt

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from zhifu.accounts.policies import IsManagerOrAdmin, IsSpecialist
from zhifu.core.months import add_months, parse_month, this_month

from .. import selectors, services

PERIOD = OpenApiParameter("period", str, description="YYYY-MM; default the last closed month")


def _period(request) -> dt.date:
    raw = request.query_params.get("period")
    if not raw:
        return add_months(this_month(), -1)
    return parse_month(raw)


class MyScoresView(APIView):
    """My three dimensions (radar) and my ratings' aggregate for a month. Ratings are
    shown only for a closed month with enough ratings; never one by one."""

    permission_classes = [IsSpecialist]

    @extend_schema(parameters=[PERIOD], responses={200: dict}, tags=["specialist"])
    def get(self, request):
        period = _period(request)
        specialist = request.user.specialist
        return Response({
            "period": period.isoformat(),
            "capability": selectors.capability_for(specialist=specialist, period=period),
            "ratings": selectors.rating_aggregate(specialist=specialist, period=period),
        })


class MyPointsView(APIView):
    """My points of a month: each entry with its reason; points from ratings as one line."""

    permission_classes = [IsSpecialist]

    @extend_schema(parameters=[PERIOD], responses={200: dict}, tags=["specialist"])
    def get(self, request):
        return Response(selectors.specialist_points(specialist=request.user.specialist,
                                                    period=_period(request)))


class MyRankView(APIView):
    """My rank in the city for a month, and the top ten (names and points only)."""

    permission_classes = [IsSpecialist]

    @extend_schema(parameters=[PERIOD], responses={200: dict}, tags=["specialist"])
    def get(self, request):
        period = _period(request)
        table = selectors.ranking(period=period)
        mine = next((row for row in table if row["specialist_id"] == request.user.specialist.pk),
                    None)
        return Response({
            "period": period.isoformat(), "of": len(table), "mine": mine,
            "top": [{"rank": r["rank"], "name": r["name"], "points": r["points"]}
                    for r in table[:10]],
            "awards": [{"rank": a.rank, "name": a.specialist.user.display_name,
                        "title": a.title} for a in selectors.awards(period=period)],
        })


class CoCreationSerializer(serializers.Serializer):
    cooperation = serializers.IntegerField(min_value=1, max_value=5)
    data_provided = serializers.IntegerField(min_value=1, max_value=5)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class CoCreationView(APIView):
    """Rate the retailer's co-creation after a finished task."""

    permission_classes = [IsSpecialist]

    @extend_schema(request=CoCreationSerializer, responses={200: CoCreationSerializer},
                   tags=["specialist"])
    def post(self, request, pk: int):
        body = CoCreationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rating = services.co_creation_submit(user=request.user, task_id=pk,
                                             **body.validated_data)
        return Response(CoCreationSerializer(rating).data)


class ReviewSerializer(serializers.Serializer):
    demand = serializers.IntegerField()
    audit_passed = serializers.BooleanField()
    quality = serializers.IntegerField(min_value=1, max_value=5)
    complaint_upheld = serializers.BooleanField(default=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ReviewView(APIView):
    """A manager's review of a finished demand (the third leg of the evaluation)."""

    permission_classes = [IsManagerOrAdmin]

    @extend_schema(request=ReviewSerializer, responses={200: ReviewSerializer},
                   tags=["evaluation"])
    def post(self, request):
        body = ReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        review = services.review_submit(user=request.user, demand_id=data.pop("demand"), **data)
        return Response({"demand": review.demand_id, "audit_passed": review.audit_passed,
                         "quality": review.quality,
                         "complaint_upheld": review.complaint_upheld, "note": review.note})
