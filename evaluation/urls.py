from django.urls import path

from .views import manager, people, retailer, specialist

app_name = "evaluation"

urlpatterns = [
    path("m/demands/<int:pk>/rate/", retailer.rate, name="rate"),
    path("s/scores/", specialist.my_scores, name="specialist-scores"),
    path("dashboard/demands/<int:pk>/review/", manager.review, name="review"),
    path("dashboard/kpis/", manager.kpi_dashboard, name="dashboard"),
    path("dashboard/retailers/<int:pk>/", people.retailer_page, name="retailer-page"),
    path("dashboard/specialists/<int:pk>/", people.specialist_page, name="specialist-page"),
]
