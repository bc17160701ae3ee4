"""API endpoints of the profiling app, mounted under /api/v1/."""

from django.urls import path

from . import views

app_name = "profiling-api"

urlpatterns = [
    path("retailers/<int:pk>/profile/", views.RetailerProfileView.as_view(),
         name="retailer-profile"),
    path("retailers/<int:pk>/collections/", views.RetailerCollectionView.as_view(),
         name="retailer-collections"),
    path("profile-indicators/", views.IndicatorListView.as_view(), name="indicator-list"),
]
