"""Pages of the profiling app (phone pages under /m/, dashboard pages under /dashboard/)."""

app_name = "profiling"

urlpatterns: list = []
