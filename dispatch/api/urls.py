from django.urls import path

from . import manager, views

app_name = "dispatch-api"

urlpatterns = [
    path("specialist/day/", views.MyDayView.as_view(), name="my-day"),
    path("specialist/changes/", views.MyChangesView.as_view(), name="my-changes"),
    path("specialist/tasks/<int:pk>/", views.MyTaskView.as_view(), name="my-task"),
    path("specialist/tasks/<int:pk>/accept/", views.AcceptView.as_view(), name="task-accept"),
    path("specialist/tasks/<int:pk>/on-the-way/", views.OnTheWayView.as_view(),
         name="task-on-the-way"),
    path("specialist/tasks/<int:pk>/start/", views.StartView.as_view(), name="task-start"),
    path("specialist/tasks/<int:pk>/complete/", views.CompleteView.as_view(),
         name="task-complete"),
    path("specialist/tasks/<int:pk>/exception/", views.ExceptionView.as_view(),
         name="task-exception"),
    path("specialist/pool/", views.PoolView.as_view(), name="pool"),
    path("specialist/pool/<int:pk>/claim/", views.ClaimView.as_view(), name="pool-claim"),
    path("dispatch/runs/", views.RunListCreateView.as_view(), name="run-list"),
    path("dispatch/runs/<int:pk>/", views.RunDetailView.as_view(), name="run-detail"),
    path("dispatch/day/", manager.DayPlanView.as_view(), name="day-plan"),
    path("dispatch/tasks/<int:pk>/cancel/", manager.TaskCancelView.as_view(),
         name="task-cancel"),
    path("dispatch/tasks/<int:pk>/reassign/", manager.TaskReassignView.as_view(),
         name="task-reassign"),
    path("dispatch/urgent/", manager.UrgentTaskView.as_view(), name="urgent"),
    path("dispatch/absences/", manager.AbsenceView.as_view(), name="absences"),
]
