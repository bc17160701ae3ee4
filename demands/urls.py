"""Pages of the demands app (phone pages under /m/, dashboard pages under /dashboard/)."""

app_name = "demands"

urlpatterns: list = []
