from django.urls import path

from .views import manager, specialist

app_name = "dispatch"

urlpatterns = [
    path("s/", specialist.home, name="specialist-home"),
    path("s/plan/", specialist.day_plan, name="specialist-plan"),
    path("s/tasks/<int:pk>/", specialist.task_page, name="specialist-task"),
    path("dashboard/dispatch/", manager.board, name="board"),
    path("dashboard/dispatch/runs/", manager.run_rows, name="run-rows"),
    path("dashboard/dispatch/runs/new/", manager.run_create, name="run-create"),
    path("dashboard/dispatch/tasks/<int:pk>/reassign/", manager.task_reassign,
         name="task-reassign"),
]
