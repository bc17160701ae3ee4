"""Pages of the demands app (phone pages under /m/, the specialist's under /s/, dashboard
pages under /dashboard/)."""

import re

from django.urls import path, register_converter

from .views import manager, retailer, specialist

app_name = "demands"


class RetailerActionConverter:
    """Only the retailer's own lifecycle steps, so /m/demands/<pk>/<action>/ never catches a
    sibling path of another app (the rating form lives at /m/demands/<pk>/rate/)."""

    regex = "|".join(re.escape(action) for action in sorted(retailer.RETAILER_ACTIONS))

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(RetailerActionConverter, "retailer_action")

urlpatterns = [
    path("m/services/", retailer.catalogue, name="catalogue"),
    path("m/services/<int:item_id>/order/", retailer.order, name="order"),
    path("m/needs/new/", retailer.need_new, name="need-new"),
    path("m/demands/", retailer.my_demands, name="my-demands"),
    path("m/demands/<int:pk>/", retailer.demand_detail, name="demand-detail"),
    path("m/demands/<int:pk>/<retailer_action:action>/", retailer.demand_act,
         name="demand-act"),
    path("s/demands/<int:pk>/", specialist.demand_detail, name="specialist-demand"),
    path("dashboard/demands/", manager.demand_list, name="manager-demands"),
    path("dashboard/demands/triage/", manager.triage, name="manager-triage"),
    path("dashboard/demands/<int:pk>/", manager.demand_detail, name="manager-demand"),
    path("dashboard/demands/<int:pk>/act/", manager.demand_act, name="manager-demand-act"),
    path("dashboard/demands/<int:pk>/triage/", manager.triage_act, name="manager-triage-act"),
    path("dashboard/catalogue/", manager.catalogue, name="manager-catalogue"),
    path("dashboard/catalogue/<int:pk>/", manager.catalogue_edit, name="manager-catalogue-edit"),
]
