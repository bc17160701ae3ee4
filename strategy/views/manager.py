"""The manager's strategy pages: templates, rules and their effect, a retailer's history."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifu.access.capabilities import Capability, can
from zhifu.accounts import selectors as people
from zhifu.accounts.choices import Role
from zhifu.accounts.policies import role_required
from zhifu.core.errors import DomainError
from zhifu.core.history import change_history

from .. import selectors, services
from ..forms import RuleForm, TemplateForm
from ..models import GradeBandTemplate, StrategyRule


def _may_edit(user) -> bool:
    # Templates and rules apply to the whole city: the city department decides them.
    return can(user, Capability.EDIT_CITY_SETTINGS)


@role_required(Role.MANAGER, Role.ADMIN)
def overview(request):
    return render(request, "strategy/overview.html", {
        "templates": GradeBandTemplate.objects.prefetch_related("items"),
        "rules": selectors.rule_effects(),
        "may_edit": _may_edit(request.user),
    })


@role_required(Role.MANAGER, Role.ADMIN)
def template_edit(request, pk: int):
    template = get_object_or_404(GradeBandTemplate, pk=pk)
    form = TemplateForm(request.POST or None, instance=template)
    if request.method == "POST":
        if not _may_edit(request.user):
            messages.error(request, _("Only the city department edits strategy templates."))
            return redirect("strategy:overview")
        if form.is_valid():
            try:
                services.template_update(
                    actor=request.user,
                    template=template, items=form.cleaned_data["items"],
                    visit_cycle_days=form.cleaned_data["visit_cycle_days"],
                    visit_minutes=form.cleaned_data["visit_minutes"],
                    visit_priority=form.cleaned_data["visit_priority"],
                    talking_points=form.cleaned_data["talking_points_text"].splitlines())
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Template saved; it applies from the next "
                                            "generation."))
                return redirect("strategy:overview")
    return render(request, "strategy/edit.html", {"form": form, "title": template.band,
                                                  "history": change_history(template)})


@role_required(Role.MANAGER, Role.ADMIN)
def rule_edit(request, pk: int | None = None):
    rule = get_object_or_404(StrategyRule, pk=pk) if pk else StrategyRule()
    form = RuleForm(request.POST or None, instance=rule)
    if request.method == "POST":
        if not _may_edit(request.user):
            messages.error(request, _("Only the city department edits strategy rules."))
            return redirect("strategy:overview")
        if form.is_valid():
            data = form.cleaned_data
            key = services.CONDITION_PARAMS.get(data["condition"])
            params = {key: data["parameter"]} if key else {}
            fields = {k: data[k] for k in ("code", "name", "condition", "reason",
                                           "talking_point", "visit_cycle_days", "priority",
                                           "active")}
            try:
                services.rule_save(actor=request.user, rule=form.instance, items=data["items"],
                                   condition_params=params, **fields)
            except DomainError as exc:
                for field, errors in exc.fields.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
                if not exc.fields:
                    form.add_error(None, exc.message)
            else:
                messages.success(request, _("Rule saved; it applies from the next generation."))
                return redirect("strategy:overview")
    return render(request, "strategy/edit.html", {
        "form": form, "title": rule.name or _("New rule"),
        "history": change_history(rule) if rule.pk else None})


@require_POST
@role_required(Role.MANAGER, Role.ADMIN)
def generate(request):
    services.strategies_generate_request(requested_by=request.user)
    messages.success(request, _("Strategies are being generated."))
    return redirect("strategy:overview")


@role_required(Role.MANAGER, Role.ADMIN)
def retailer_history(request, retailer_id: int):
    retailer = people.retailer_get(user=request.user, retailer_id=retailer_id)
    if retailer is None:
        raise Http404
    return render(request, "strategy/history.html", {
        "retailer": retailer, "versions": selectors.strategy_history(retailer=retailer)})
