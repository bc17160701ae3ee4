from django.urls import path

from .views import manager, retailer

app_name = "evaluation"

urlpatterns = [
    path("m/demands/<int:pk>/rate/", retailer.rate, name="rate"),
    path("dashboard/kpis/", manager.kpi_dashboard, name="dashboard"),
]
