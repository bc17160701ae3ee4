from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from zhifu.accounts.api.serializers import PrivateTextField
from zhifu.core.params import parse_flag

from .. import selectors, services
from ..models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()
    title = PrivateTextField()
    body = PrivateTextField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "read", "read_at", "created_at"]

    def get_read(self, obj) -> bool:
        return obj.read_at is not None


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=_("How many notifications were marked read."))


class NotificationListView(generics.ListAPIView):
    """The caller's notifications, newest first (``?unread=1`` for unread only, ``?kind=``
    for one group of the inbox's filter)."""

    serializer_class = NotificationSerializer

    @extend_schema(tags=["notifications"], parameters=[
        OpenApiParameter("unread", bool, description=_("Only unread notifications.")),
        OpenApiParameter("kind", str, enum=[g.code for g in selectors.KIND_GROUPS],
                         description=_("Only this kind of notice, as the inbox groups them."))])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        unread = parse_flag(self.request.query_params.get("unread"), field="unread")
        return selectors.notification_list(user=self.request.user, unread_only=bool(unread),
                                           group=self.request.query_params.get("kind", ""))


class NotificationReadView(APIView):
    """Mark one of the caller's notifications read (someone else's: 404)."""

    @extend_schema(tags=["notifications"], request=None,
                   responses={200: NotificationSerializer})
    def post(self, request, pk: int):
        row = services.notification_mark_read(user=request.user, notification_id=pk)
        return Response(NotificationSerializer(row).data)


class NotificationReadAllView(APIView):
    @extend_schema(tags=["notifications"], request=None, responses={200: ReadAllSerializer})
    def post(self, request):
        return Response({"marked": services.notification_mark_all_read(user=request.user)})
