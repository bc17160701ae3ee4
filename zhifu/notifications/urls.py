"""The notification centre page. Include at the site root:
``path("", include("zhifu.notifications.urls"))``."""

from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:pk>/read/", views.notification_read, name="read"),
    path("notifications/read-all/", views.notification_read_all, name="read-all"),
]
