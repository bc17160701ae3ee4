"""The manager's dashboard pages: demand flow, one demand with its audit trail and actions,
triage of personalised needs, and the catalogue."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dispatch import selectors as dispatch_selectors
from dispatch.services import placement
from zhifu.access import district_staff
from zhifu.accounts.choices import Role
from zhifu.accounts.policies import role_required
from zhifu.accounts.views.manager import EXPORT_TYPES, export_response
from zhifu.core.errors import DomainError
from zhifu.core.history import change_history

from .. import exports, selectors, services
from ..choices import DemandStatus
from ..filtersets import DemandFilterSet
from ..forms import CatalogueItemForm, ManagerActionForm, TriageForm
from ..lifecycle import (
    ACTION_LABELS,
    ACTION_VERBS,
    action_requirements,
    allowed_actions,
    event_label,
)
from ..policies import actor_role
from ..sla import attach_sla_seen
from .common import form_error, go, refuse

MANAGERS = (Role.MANAGER, Role.ADMIN)


@role_required(*MANAGERS)
def demand_list(request):
    """The filtered list (the API's filterset), a page of it, or all of it as a file."""
    filterset = DemandFilterSet(request.GET, queryset=selectors.demand_list(user=request.user),
                                request=request)
    valid = filterset.is_valid()
    queryset = filterset.qs if valid else filterset.queryset.none()
    fmt = request.GET.get("export")
    if valid and fmt in EXPORT_TYPES:
        content = exports.demand_export(demands=queryset, fmt=fmt, language=get_language())
        return export_response(content, stem="demands", fmt=fmt)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    page.object_list = attach_sla_seen(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(request, "demands/manager_list.html", {
        "page": page, "query": query.urlencode(), "filterset": filterset,
        "counts": selectors.demand_counts_by_status(user=request.user),
        "statuses": DemandStatus.choices,
    }, status=200 if valid else 400)


def _demand(request, pk: int):
    demand = selectors.demand_get(user=request.user, demand_id=pk)
    if demand is None:
        raise Http404
    return demand


def _next_morning() -> str:
    """The next working day at nine, as a datetime-local field's value."""
    day = selectors.work_calendar().next_working_day(timezone.localdate())
    return f"{day.isoformat()}T09:00"


def _detail_context(request, demand) -> dict:
    events = list(demand.events.all())
    for event in events:
        event.label = event_label(event)
    return {
        "demand": demand, "events": events,
        "actions": [(a, ACTION_VERBS[a], action_requirements(a, demand)) for a in
                    allowed_actions(demand=demand, role=actor_role(request.user))],
        # Those who can serve it first; the schedule form proposes the next working morning.
        "specialists": dispatch_selectors.demand_candidates(user=request.user, demand=demand),
        "schedule_from": _next_morning(),
        "handlers": district_staff(demand.district_id).order_by("username"),
        "duplicates": selectors.duplicates_of(user=request.user, demand=demand)[:10],
        "escalations": list(demand.escalations.all()),
    }


@role_required(*MANAGERS)
def demand_detail(request, pk: int):
    demand = _demand(request, pk)
    return render(request, "demands/manager_demand.html", _detail_context(request, demand))


@require_POST
@role_required(*MANAGERS)
def demand_act(request, pk: int):
    demand = _demand(request, pk)
    form = ManagerActionForm(request.POST)
    if not form.is_valid():
        return refuse(request, "demands/manager_demand.html", _detail_context(request, demand),
                      form_error(form))
    data = form.cleaned_data
    try:
        params = selectors.action_objects(user=request.user, data=data)
        if data["action"] == "schedule":
            # Scheduled work is a task in the specialist's day, placed like any move.
            placement.demand_place_by_hand(
                actor=request.user, demand=demand, specialist=params.get("specialist"),
                planned_start=params.get("planned_start"), reason=data.get("reason") or "")
        else:
            services.demand_transition(demand=demand, actor=request.user,
                                       action=data["action"], reason=data.get("reason") or "",
                                       expected_status=demand.status, **params)
    except DomainError as exc:
        demand = _demand(request, pk)
        return refuse(request, "demands/manager_demand.html", _detail_context(request, demand),
                      exc)
    messages.success(request, _("Done: %(step)s.") % {"step": ACTION_LABELS[data["action"]]})
    return go(request, reverse("demands:manager-demand", args=[pk]))


@role_required(*MANAGERS)
def triage(request):
    queue = selectors.triage_queue(user=request.user)
    page = Paginator(queue, 30).get_page(request.GET.get("page"))
    since = timezone.now() - timezone.timedelta(days=90)
    return render(request, "demands/manager_triage.html", {
        "page": page, "form": TriageForm(),
        "shares": selectors.demand_shares(user=request.user, since=since),
        "shares_all": selectors.demand_shares(user=request.user),
    })


@require_POST
@role_required(*MANAGERS)
def triage_act(request, pk: int):
    demand = _demand(request, pk)
    form = TriageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an existing service, or name a new one."))
        return go(request, reverse("demands:manager-triage"))
    data = form.cleaned_data
    new_item = None
    if data["item"] is None:
        if not (data["new_tier"] and data["new_name"].strip()):
            messages.error(request, _("Choose an existing service, or name a new one."))
            return go(request, reverse("demands:manager-triage"))
        new_item = {"tier": data["new_tier"], "name_zh": data["new_name"]}
    try:
        services.demand_triage(demand=demand, actor=request.user, item=data["item"],
                               new_item=new_item)
    except DomainError as exc:
        messages.error(request, exc.message)
        return go(request, reverse("demands:manager-triage"))
    messages.success(request, _("Demand #%(id)s is matched.") % {"id": demand.pk})
    return go(request, reverse("demands:manager-triage"))


@role_required(*MANAGERS)
def catalogue(request):
    items = selectors.catalogue_list(active_only=False)
    return render(request, "demands/manager_catalogue.html", {"items": items})


@role_required(*MANAGERS)
def catalogue_edit(request, pk: int):
    item = selectors.catalogue_list(active_only=False).filter(pk=pk).first()
    if item is None:
        raise Http404
    if request.method != "POST":
        form = CatalogueItemForm(initial=CatalogueItemForm.initial_for(item))
        return render(request, "demands/manager_catalogue_edit.html",
                      {"item": item, "form": form, "history": change_history(item)})
    form = CatalogueItemForm(request.POST)
    context = {"item": item, "form": form, "history": change_history(item)}
    if not form.is_valid():
        return refuse(request, "demands/manager_catalogue_edit.html", context,
                      form_error(form))
    data = dict(form.cleaned_data)
    skills = data.pop("skills")
    try:
        services.catalogue_item_update(item=item, actor=request.user, skills=skills, **data)
    except DomainError as exc:
        return refuse(request, "demands/manager_catalogue_edit.html", context, exc)
    messages.success(request, _("The catalogue item is saved."))
    return go(request, reverse("demands:manager-catalogue"))

