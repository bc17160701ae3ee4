"""API endpoints of the profiling app, mounted under /api/v1/."""

app_name = "profiling-api"

urlpatterns: list = []
