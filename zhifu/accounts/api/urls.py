from django.urls import path

from . import views

app_name = "accounts-api"

urlpatterns = [
    path("auth/token/", views.TokenObtainView.as_view(), name="token"),
    path("auth/token/refresh/", views.TokenRefreshRotateView.as_view(), name="token-refresh"),
    path("auth/logout/", views.LogoutView.as_view(), name="logout"),
    path("me/", views.MeView.as_view(), name="me"),
    path("retailers/", views.RetailerListView.as_view(), name="retailer-list"),
    path("retailers/<int:pk>/", views.RetailerDetailView.as_view(), name="retailer-detail"),
    path("specialists/", views.SpecialistListView.as_view(), name="specialist-list"),
    path("specialists/<int:pk>/", views.SpecialistDetailView.as_view(), name="specialist-detail"),
]
