from django.urls import path

from .views import manager, retailer

app_name = "strategy"

urlpatterns = [
    path("m/recommended/", retailer.recommended, name="recommended"),
    path("m/recommended/<slug:code>/<slug:action>/", retailer.recommended_act,
         name="recommended-act"),
    path("dashboard/strategy/", manager.overview, name="overview"),
    path("dashboard/strategy/templates/<int:pk>/", manager.template_edit, name="template-edit"),
    path("dashboard/strategy/rules/new/", manager.rule_edit, name="rule-new"),
    path("dashboard/strategy/rules/<int:pk>/", manager.rule_edit, name="rule-edit"),
    path("dashboard/strategy/generate/", manager.generate, name="generate"),
    path("dashboard/strategy/retailers/<int:retailer_id>/", manager.retailer_history,
         name="retailer-history"),
]
