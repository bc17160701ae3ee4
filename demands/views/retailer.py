"""The retailer's phone pages: catalogue, ordering, needs, my demands and their timeline."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhifu.accounts.choices import Role
from zhifu.accounts.policies import role_required
from zhifu.core.errors import DomainError

from .. import selectors, services
from ..choices import FINAL_STATUSES, OPEN_STATUSES
from ..forms import NeedForm, OrderForm, ReasonForm, new_token
from ..lifecycle import allowed_actions, event_label
from ..models import CatalogueItem
from ..sla import attach_sla_seen
from .common import form_error, go, is_htmx, refuse

PAGE_SIZE = 20


@role_required(Role.RETAILER)
def catalogue(request):
    retailer = request.user.retailer
    tiers = selectors.catalogue_for_retailer(retailer=retailer)
    return render(request, "demands/m_catalogue.html", {"tiers": tiers, "retailer": retailer})


def _item_or_404(item_id: int) -> CatalogueItem:
    item = selectors.catalogue_list().filter(pk=item_id, is_personalised=False).first()
    if item is None:
        raise Http404
    return item


@role_required(Role.RETAILER)
def order(request, item_id: int):
    item = _item_or_404(item_id)
    template = "demands/_order_form.html" if is_htmx(request) else "demands/m_order.html"
    if request.method != "POST":
        form = OrderForm(initial={"client_token": new_token()})
        return render(request, template, {"item": item, "form": form})
    form = OrderForm(request.POST)
    context = {"item": item, "form": form}
    if not form.is_valid():
        return refuse(request, template, context, form_error(form))
    try:
        demand = services.demand_order(
            retailer=request.user.retailer, item=item, actor=request.user,
            note=form.cleaned_data["note"], preferred_start=form.cleaned_data["preferred_start"],
            preferred_end=form.cleaned_data["preferred_end"],
            client_token=form.cleaned_data["client_token"])
    except DomainError as exc:
        return refuse(request, template, context, exc)
    messages.success(request, _("Your order is submitted."))
    return go(request, reverse("demands:demand-detail", args=[demand.pk]))


@role_required(Role.RETAILER)
def need_new(request):
    template = "demands/m_need.html"
    if request.method != "POST":
        form = NeedForm(initial={"client_token": new_token()})
        return render(request, template, {"form": form})
    form = NeedForm(request.POST, request.FILES)
    if not form.is_valid():
        return refuse(request, template, {"form": form}, form_error(form))
    try:
        demand = services.demand_submit_need(
            retailer=request.user.retailer, actor=request.user, kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"], photo=form.cleaned_data.get("photo"),
            client_token=form.cleaned_data["client_token"])
    except DomainError as exc:
        return refuse(request, template, {"form": form}, exc)
    messages.success(request, _("Your request is submitted."))
    return go(request, reverse("demands:demand-detail", args=[demand.pk]))


@role_required(Role.RETAILER)
def my_demands(request):
    show = request.GET.get("show", "open")
    qs = selectors.demand_list(user=request.user)
    if show == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif show == "done":
        qs = qs.exclude(status__in=(*OPEN_STATUSES, *FINAL_STATUSES))
    elif show == "closed":
        qs = qs.filter(status__in=FINAL_STATUSES)
    else:
        show = "all"
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = attach_sla_seen(page.object_list)
    return render(request, "demands/m_my_demands.html", {
        "page": page, "show": show, "query": f"show={show}",
        "awaiting": selectors.demands_awaiting_retailer(user=request.user)})


def _detail_context(request, demand) -> dict:
    events = list(demand.events.all())
    for event in events:
        event.label = event_label(event)
    return {"demand": demand, "events": events,
            "actions": allowed_actions(demand=demand, role="retailer"),
            "reason_form": ReasonForm()}


def _own_demand(request, pk: int):
    demand = selectors.demand_get(user=request.user, demand_id=pk)
    if demand is None:
        raise Http404
    return demand


@role_required(Role.RETAILER)
def demand_detail(request, pk: int):
    demand = _own_demand(request, pk)
    return render(request, "demands/m_demand.html", _detail_context(request, demand))


RETAILER_ACTIONS = {
    "cancel": (services.demand_cancel, gettext_lazy("The demand is cancelled.")),
    "confirm": (services.demand_confirm, gettext_lazy("Thank you for confirming.")),
    "resume": (services.demand_resume, gettext_lazy("The specialist is told you have replied.")),
    "reopen": (services.demand_reopen, gettext_lazy("The demand is reopened.")),
}


@require_POST
@role_required(Role.RETAILER)
def demand_act(request, pk: int, action: str):
    if action not in RETAILER_ACTIONS:
        raise Http404
    demand = _own_demand(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if not form.is_valid():
        return refuse(request, "demands/m_demand.html", _detail_context(request, demand),
                      form_error(form))
    service, done = RETAILER_ACTIONS[action]
    kwargs = {"demand": demand, "actor": request.user}
    if action != "confirm":
        kwargs["reason"] = reason
    try:
        service(**kwargs)
    except DomainError as exc:
        demand = _own_demand(request, pk)
        return refuse(request, "demands/m_demand.html", _detail_context(request, demand), exc)
    messages.success(request, done)
    return go(request, reverse("demands:demand-detail", args=[pk]))
