from django.urls import path

from . import views

app_name = "evaluation-api"

urlpatterns = [
    path("specialist/scores/", views.MyScoresView.as_view(), name="my-scores"),
    path("specialist/points/", views.MyPointsView.as_view(), name="my-points"),
    path("specialist/rank/", views.MyRankView.as_view(), name="my-rank"),
    path("specialist/tasks/<int:pk>/co-creation/", views.CoCreationView.as_view(),
         name="co-creation"),
    path("reviews/", views.ReviewView.as_view(), name="reviews"),
]
