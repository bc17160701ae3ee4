"""API endpoints of the demands app, mounted under /api/v1/."""

from django.urls import path

from . import views

app_name = "demands-api"

urlpatterns = [
    path("catalogue/", views.CatalogueView.as_view(), name="catalogue"),
    path("demands/", views.DemandListView.as_view(), name="demand-list"),
    path("demands/<int:pk>/", views.DemandDetailView.as_view(), name="demand-detail"),
    path("demands/<int:pk>/actions/", views.DemandActionView.as_view(), name="demand-action"),
    path("demands/<int:pk>/checklist/", views.DemandChecklistView.as_view(),
         name="demand-checklist"),
]
