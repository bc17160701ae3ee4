"""The retailer's "recommended for you" on the phone: one tap orders, another declines."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from demands import services as demand_services
from demands.models import CatalogueItem
from zhifu.accounts.choices import Role
from zhifu.accounts.policies import role_required
from zhifu.core.errors import DomainError

from .. import selectors, services


@role_required(Role.RETAILER)
def recommended(request):
    retailer = request.user.retailer
    return render(request, "strategy/recommended.html", {
        "strategy": selectors.strategy_for_display(retailer=retailer, for_retailer=True)})


@require_POST
@role_required(Role.RETAILER)
def recommended_act(request, code: str, action: str):
    retailer = request.user.retailer
    current = selectors.current_strategy(retailer=retailer)
    offered = {r["item"] for r in (current.recommendations if current else [])}
    if code not in offered or action not in ("order", "decline"):
        messages.error(request, _("This recommendation does not exist."))
        return redirect("strategy:recommended")
    try:
        if action == "decline":
            services.recommendation_decline(retailer=retailer, item_code=code,
                                            actor=request.user)
            messages.success(request, _("Noted. We will not suggest it again for a while."))
            return redirect("strategy:recommended")
        item = CatalogueItem.objects.get(code=code, active=True)
        demand = demand_services.demand_order(
            retailer=retailer, item=item, actor=request.user, note=_("Ordered from your "
                                                                      "recommendations"),
            client_token=request.POST.get("token", "")[:64])
    except (DomainError, CatalogueItem.DoesNotExist) as exc:
        messages.error(request, getattr(exc, "message", _("This service is not available.")))
        return redirect("strategy:recommended")
    messages.success(request, _("Ordered. You can follow it here."))
    return redirect("demands:demand-detail", pk=demand.pk)
