"""Notification API. Include under /api/v1/:
``path("", include("zhifu.notifications.api.urls"))``."""

from django.urls import path

from . import views

app_name = "notifications-api"

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="list"),
    path("notifications/<int:pk>/read/", views.NotificationReadView.as_view(), name="read"),
    path("notifications/read-all/", views.NotificationReadAllView.as_view(), name="read-all"),
]
