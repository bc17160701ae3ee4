"""API endpoints of the demands app, mounted under /api/v1/."""

app_name = "demands-api"

urlpatterns: list = []
