"""Pages of the profiling app (phone pages under /m/, dashboard pages under /dashboard/)."""

from django.urls import path

from .views import manager, retailer

app_name = "profiling"

urlpatterns = [
    path("m/profile/", retailer.my_profile, name="retailer-profile"),
    path("dashboard/profiles/", manager.profile_list, name="manager-profiles"),
    path("dashboard/profiles/<int:pk>/", manager.profile_detail, name="manager-profile"),
    path("dashboard/profiles/recompute/", manager.profile_recompute, name="manager-recompute"),
    path("dashboard/profiles/import/", manager.profile_import, name="manager-import"),
    path("dashboard/profiles/rules/", manager.rule_list, name="manager-rules"),
    path("dashboard/profiles/rules/indicators/<int:pk>/", manager.rule_update,
         name="manager-rule-update"),
    path("dashboard/profiles/rules/dimensions/<int:pk>/", manager.dimension_update,
         name="manager-dimension-update"),
]
