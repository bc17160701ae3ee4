"""The specialist's phone pages: today (``/s/``), a day's plan (``/s/plan/?date=``) and one
task (``/s/tasks/<id>/``) with the shop's profile and strategy. Work is done in the
mobile app (accept, check in, complete); these pages are for reading on the go, and what a
"your plan changed" notification opens."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from evaluation import selectors as evaluation_selectors
from profiling.selectors import profile_detail
from strategy.selectors import strategy_for_display
from zhifu.accounts.choices import Role
from zhifu.accounts.policies import role_required
from zhifu.core.masking import mask_phone
from zhifu.core.months import parse_day, this_month

from .. import selectors
from ..choices import TaskStatus


def _day_summary(tasks: list) -> dict:
    upcoming = [t for t in tasks if t.status != TaskStatus.DONE]
    return {"tasks": len(tasks), "done": sum(t.status == TaskStatus.DONE for t in tasks),
            "minutes": sum(t.service_minutes for t in tasks),
            "next": upcoming[0] if upcoming else None}


@role_required(Role.SPECIALIST)
def home(request):
    specialist = request.user.specialist
    today = timezone.localdate()
    tasks = list(selectors.specialist_day(user=request.user, day=today)
                 .select_related("retailer"))
    return render(request, "dispatch/s_home.html", {
        "tab": "today", "specialist": specialist, "day": today, "tasks": tasks,
        "summary": _day_summary(tasks), "phone": mask_phone(request.user.phone),
        "skills": specialist.skill_levels.select_related("skill"),
        "districts": specialist.districts.all(),
        "month": evaluation_selectors.specialist_month(specialist=specialist,
                                                       period=this_month()),
    })


@role_required(Role.SPECIALIST)
def day_plan(request):
    raw = request.GET.get("date")
    day = parse_day(raw) if raw else timezone.localdate()
    tasks = list(selectors.specialist_day(user=request.user, day=day)
                 .select_related("retailer"))
    return render(request, "dispatch/s_plan.html", {
        "tab": "plan", "day": day, "tasks": tasks, "summary": _day_summary(tasks),
        "previous": day - dt.timedelta(days=1), "next": day + dt.timedelta(days=1)})


@role_required(Role.SPECIALIST)
def task_page(request, pk: int):
    task = selectors.specialist_task_get(user=request.user, task_id=pk)
    if task is None:
        raise Http404
    return render(request, "dispatch/s_task.html", {
        "tab": "plan", "task": task, "phone": mask_phone(task.retailer.phone),
        "profile": profile_detail(retailer=task.retailer),
        "strategy": strategy_for_display(retailer=task.retailer)})
