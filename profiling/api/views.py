
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from zhifu.accounts.policies import IsStaffRole
from zhifu.core.months import parse_month

from .. import selectors, services
from .serializers import (
    CollectionSerializer,
    IndicatorSerializer,
    ProfileSerializer,
    RawValueSerializer,
)


class RetailerProfileView(APIView):
    """A retailer's SW profile: six dimension scores with verdicts, radar data, segment and
    trend. Specialists see the retailers of their districts (and, with dispatch, of their
    tasks); managers their districts."""

    permission_classes = [IsStaffRole]

    @extend_schema(responses={200: ProfileSerializer}, tags=["profiles"])
    def get(self, request, pk: int):
        retailer = selectors.profile_retailer_get(user=request.user, retailer_id=pk)
        return Response(ProfileSerializer(selectors.profile_detail(retailer=retailer)).data)


class RetailerCollectionView(APIView):
    """Information collection (信息采集): raw indicator values a specialist gathered at the
    shop. All values are checked first; one bad value saves nothing."""

    permission_classes = [IsStaffRole]

    @extend_schema(request=CollectionSerializer, responses={201: RawValueSerializer(many=True)},
                   tags=["profiles"])
    def post(self, request, pk: int):
        retailer = selectors.profile_retailer_get(user=request.user, retailer_id=pk)
        serializer = CollectionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        period = serializer.validated_data.get("period")
        saved = services.raw_values_collect(
            retailer=retailer, values=serializer.validated_data["values"],
            collected_by=request.user,
            period=parse_month(period) if period else None)
        return Response(RawValueSerializer(saved, many=True).data,
                        status=status.HTTP_201_CREATED)


class IndicatorListView(generics.ListAPIView):
    """The profile indicators, their answers, and which of them can be collected."""

    serializer_class = IndicatorSerializer
    permission_classes = [IsStaffRole]
    pagination_class = None

    @extend_schema(tags=["profiles"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.indicator_list()
