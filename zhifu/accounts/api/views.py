from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

from zhifu.core.api.filters import StrictFilterBackend

from .. import selectors, services
from ..filtersets import RetailerFilterSet
from ..policies import IsManagerOrAdmin, IsStaffRole
from .serializers import (
    LogoutSerializer,
    MeSerializer,
    RetailerSerializer,
    SpecialistSerializer,
    TokenPairSerializer,
    TokenRefreshRotateSerializer,
)


class TokenObtainView(TokenObtainPairView):
    """Log in with username and password; returns an access token (≤ 15 min) and a
    refresh token (≤ 7 days)."""

    throttle_scope = "login"

    def get_throttles(self):
        return [ScopedRateThrottle()]

    @extend_schema(responses={200: TokenPairSerializer}, tags=["auth"])
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class TokenRefreshRotateView(TokenRefreshView):
    """Exchange a refresh token for a new access token and a new refresh token; the old
    refresh token is blacklisted. A refresh token is spent once, even when sent many times
    at once; none works after a password change."""

    serializer_class = TokenRefreshRotateSerializer

    @extend_schema(responses={200: TokenPairSerializer}, tags=["auth"])
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class LogoutView(APIView):
    """Revoke the refresh token, and the access token used for this call if one was sent."""

    permission_classes = [AllowAny]

    @extend_schema(request=LogoutSerializer, tags=["auth"],
                   responses={204: OpenApiResponse(description=_("Logged out"))})
    def post(self, request):
        serializer = LogoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        access = request.auth if request.auth is not None and hasattr(request.auth, "get") else None
        services.session_logout_api(refresh=serializer.validated_data["refresh"], access=access)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(generics.RetrieveAPIView):
    """The logged-in user, with the specialist's profile when there is one."""

    serializer_class = MeSerializer

    @extend_schema(tags=["me"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        return self.request.user


class RetailerListView(generics.ListAPIView):
    """Retailers the caller may see: a specialist's districts, a manager's districts."""

    serializer_class = RetailerSerializer
    permission_classes = [IsStaffRole]
    filter_backends = [StrictFilterBackend]
    filterset_class = RetailerFilterSet

    @extend_schema(tags=["retailers"], parameters=[
        OpenApiParameter("district", str, description=_("District code or name (CH, 澄海区)"))])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.retailer_list(user=self.request.user)


class RetailerDetailView(generics.RetrieveAPIView):
    serializer_class = RetailerSerializer
    permission_classes = [IsStaffRole]

    @extend_schema(tags=["retailers"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.retailer_list(user=self.request.user)


class SpecialistListView(generics.ListAPIView):
    """Specialists in the manager's districts (admins: all)."""

    serializer_class = SpecialistSerializer
    permission_classes = [IsManagerOrAdmin]

    @extend_schema(tags=["specialists"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.specialist_list(user=self.request.user)


class SpecialistDetailView(generics.RetrieveAPIView):
    serializer_class = SpecialistSerializer
    permission_classes = [IsStaffRole]

    @extend_schema(tags=["specialists"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.specialist_list(user=self.request.user)
