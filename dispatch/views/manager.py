"""The manager's dispatch board."""

import datetime as dt

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifu.accounts import selectors as people
from zhifu.accounts.choices import Role
from zhifu.accounts.policies import role_required
from zhifu.core.errors import DomainError
from zhifu.core.months import parse_day

from .. import selectors
from ..forms import ReassignForm, RunForm
from ..lifecycle import MANAGER, allowed_task_actions
from ..services import placement, runs


def _day(request) -> dt.date:
    raw = request.GET.get("date")
    return parse_day(raw) if raw else timezone.localdate()


@role_required(Role.MANAGER, Role.ADMIN)
def board(request):
    day = _day(request)
    districts = list(people.district_list(user=request.user))
    chosen = [d for d in districts if request.GET.get("district") == d.code] or districts[:1]
    tasks = list(selectors.board_tasks(user=request.user, day=day,
                                       district_ids=[d.id for d in chosen]))
    summary = selectors.board_summary(tasks=tasks)
    for task in tasks:
        task.actions = allowed_task_actions(task=task, role=MANAGER)
    specialists = list(people.specialist_list(user=request.user).filter(
        home_district__in=chosen, active=True).select_related("home_district"))
    return render(request, "dispatch/board.html", {
        "city_map": selectors.board_map(tasks=tasks),
        "spread": selectors.board_spread(tasks=tasks, specialists=specialists),
        "day": day, "districts": districts, "chosen": chosen, "summary": summary,
        **_runs_context(request.user, day),
        "run_form": RunForm(districts=districts, initial={"date": day}),
        "reassign_form": ReassignForm(specialists=specialists),
        "specialists": specialists,
    })


@role_required(Role.MANAGER, Role.ADMIN)
def run_rows(request):
    """The runs table alone, polled by htmx while a run is under way."""
    return render(request, "dispatch/_runs.html", _runs_context(request.user, _day(request)))


def _runs_context(user, day) -> dict:
    """The day's runs; the table keeps polling while one of them is under way."""
    runs = list(selectors.run_list(user=user).filter(service_date=day)
                .prefetch_related("districts")[:10])
    return {"runs": runs, "day": day, "polling": any(r.in_progress for r in runs)}


@require_POST
@role_required(Role.MANAGER, Role.ADMIN)
def run_create(request):
    districts = list(people.district_list(user=request.user))
    form = RunForm(request.POST, districts=districts)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("dispatch:board")
    data = form.cleaned_data
    try:
        run = runs.run_start(actor=request.user, day=data["date"],
                             district_ids=[int(d) for d in data["districts"]] or None,
                             mode=data["mode"], seconds=data["seconds"],
                             allow_cross_district=data["allow_cross_district"])
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("dispatch:board")
    messages.success(request, _("Run #%(id)s started.") % {"id": run.pk})
    # Back to the board on the day and the first district of the run, to watch it.
    planned = sorted(run.districts.all(), key=lambda d: d.code)
    chosen = next((d for d in districts if str(d.pk) in data["districts"]), None) or (
        planned[0] if planned else None)
    district = f"&district={chosen.code}" if chosen else ""
    return redirect(f"{reverse('dispatch:board')}?date={data['date']}{district}")


@require_POST
@role_required(Role.MANAGER, Role.ADMIN)
def task_reassign(request, pk: int):
    task = get_object_or_404(selectors.tasks_visible_to(user=request.user)
                             .select_related("district"), pk=pk)
    specialists = people.specialist_list(user=request.user)
    form = ReassignForm(request.POST, specialists=specialists)
    if form.is_valid():
        try:
            placement.task_reassign(actor=request.user, task_id=task.pk,
                                    specialist_id=form.cleaned_data["specialist"],
                                    reason=form.cleaned_data["reason"])
            messages.success(request, _("Task moved."))
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Choose a specialist from the list."))
    return redirect(f"{reverse('dispatch:board')}?date={task.service_date}"
                    f"&district={task.district.code}")
