from django.urls import path

from .views import retailer

app_name = "evaluation"

urlpatterns = [
    path("m/demands/<int:pk>/rate/", retailer.rate, name="rate"),
]
