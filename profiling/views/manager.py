"""The manager's profiling pages: profile list, a retailer's profile, imports, rules."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifu.accounts.choices import Role, band_of
from zhifu.accounts.policies import role_required
from zhifu.accounts.staging import committed_message, staged_commit, staged_preview
from zhifu.accounts.views.manager import export_response
from zhifu.core.errors import DomainError, NotFound
from zhifu.core.history import recent_changes
from zhifu.core.models import JobRun

from .. import exports, selectors, services
from ..choices import Segment
from ..filtersets import ProfileFilterSet
from ..forms import DimensionForm, IndicatorRuleForm, ProfileImportForm
from ..imports import IMPORTERS
from ..models import Dimension, Indicator
from ..scoring import rule_in_words

MANAGERS = (Role.MANAGER, Role.ADMIN)


@role_required(*MANAGERS)
def profile_list(request):
    period = selectors.latest_period()
    base = selectors.profile_list(user=request.user, period=period)
    filterset = ProfileFilterSet(request.GET, queryset=base, request=request)
    queryset = filterset.qs if filterset.is_valid() else base.none()
    if request.GET.get("export") == "xlsx":
        content = exports.profile_export(retailers=queryset, language=get_language())
        return export_response(content, stem="profiles", fmt="xlsx")
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    dimensions = list(selectors.dimension_list())
    segments = dict(Segment.choices)
    rows = [{"retailer": r, "band": band_of(r.grade), "segment": segments.get(r.snap_segment),
             "scores": [(r.snap_scores or {}).get(d.code) for d in dimensions],
             "weak": [d.name for d in dimensions
                      if (r.snap_verdicts or {}).get(d.code) == "weakness"]}
            for r in page]
    return render(request, "profiling/manager/list.html", {
        "filterset": filterset, "page": page, "rows": rows, "query": query.urlencode(),
        "dimensions": dimensions, "period": period,
        "job": JobRun.objects.filter(kind=services.RECOMPUTE_JOB).first(),
        "distribution": selectors.profile_distribution(queryset) if period else None,
    }, status=200 if filterset.is_valid() else 400)


@role_required(*MANAGERS)
def profile_detail(request, pk: int):
    try:
        retailer = selectors.profile_retailer_get(user=request.user, retailer_id=pk)
    except NotFound as exc:
        raise Http404 from exc
    return render(request, "profiling/manager/detail.html", {
        "retailer": retailer, "band": band_of(retailer.grade),
        "profile": selectors.profile_detail(retailer=retailer),
    })


@require_POST
@role_required(*MANAGERS)
def profile_recompute(request):
    services.profiles_recompute_request(requested_by=request.user)
    messages.success(request, _("Profiles are being recomputed; refresh in a moment."))
    return redirect("profiling:manager-profiles")


@role_required(*MANAGERS)
def profile_import(request):
    """Upload → preview (every bad row with its line) → write the good rows, all or none."""
    context, status = {"form": ProfileImportForm()}, 200
    try:
        if request.method == "POST" and "token" in request.POST:
            kind = request.POST.get("kind")
            if kind not in IMPORTERS:
                raise DomainError(_("Choose what the file holds."), code="import_kind")
            report = staged_commit(importer=IMPORTERS[kind], token=request.POST["token"],
                                   actor=request.user)
            messages.success(request, committed_message(report))
            return redirect("profiling:manager-import")
        if request.method == "POST":
            form = ProfileImportForm(request.POST, request.FILES)
            context["form"] = form
            if form.is_valid():
                kind = form.cleaned_data["kind"]
                report, token = staged_preview(importer=IMPORTERS[kind],
                                               upload=form.cleaned_data["file"],
                                               actor=request.user)
                context.update(report=report, kind=kind, token=token)
            else:
                status = 400
    except DomainError as exc:
        context["problem"], status = exc.message, 400
    return render(request, "profiling/manager/import.html", context, status=status)


@role_required(*MANAGERS)
def rule_list(request, *, errors=None, status=200):
    indicators = selectors.indicator_list()
    return render(request, "profiling/manager/rules.html", {
        "dimensions": [(d, DimensionForm(initial={
            "weight": d.weight, "strength_threshold": d.strength_threshold,
            "weakness_threshold": d.weakness_threshold, "peer_margin": d.peer_margin}))
            for d in selectors.dimension_list()],
        "indicators": [(i, IndicatorRuleForm(initial={
            "rule_kind": i.rule_kind, "max_points": i.max_points,
            "rule_params": json.dumps(i.rule_params, ensure_ascii=False)}),
            rule_in_words(kind=i.rule_kind, params=i.rule_params, max_points=i.max_points))
            for i in indicators],
        "errors": errors or {},
        "history": recent_changes(Dimension, Indicator), "show_object": True,
    }, status=status)


def _form_errors(form) -> str:
    return "; ".join(f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}"
                     for f, e in form.errors.items())


def _domain_errors(exc: DomainError) -> str:
    details = "; ".join(f"{field}: {' '.join(map(str, msgs))}"
                        for field, msgs in exc.fields.items())
    return f"{exc.message} {details}".strip()


def _save(request, *, key: str, form, save, saved_message: str):
    """Shared body of the two rule forms: parse, call the service, report on the page."""
    if not form.is_valid():
        return rule_list(request, errors={key: _form_errors(form)}, status=400)
    try:
        save(**form.cleaned_data)
    except DomainError as exc:
        # A refusal keeps its own status (403 for a district lead), shown on the page.
        return rule_list(request, errors={key: _domain_errors(exc)}, status=exc.status_code)
    messages.success(request, saved_message)
    return redirect("profiling:manager-rules")


@require_POST
@role_required(*MANAGERS)
def rule_update(request, pk: int):
    indicator = get_object_or_404(Indicator, pk=pk)
    return _save(
        request, key=f"i{pk}", form=IndicatorRuleForm(request.POST),
        save=lambda **data: services.indicator_rule_update(
            actor=request.user, indicator=indicator, **data),
        saved_message=_("Rule of “%(name)s” saved; it applies from the next recompute.")
        % {"name": indicator.name})


@require_POST
@role_required(*MANAGERS)
def dimension_update(request, pk: int):
    dimension = get_object_or_404(Dimension, pk=pk)
    return _save(
        request, key=f"d{pk}", form=DimensionForm(request.POST),
        save=lambda **data: services.dimension_update(
            actor=request.user, dimension=dimension, **data),
        saved_message=_("Settings of “%(name)s” saved; they apply from the next recompute.")
        % {"name": dimension.name})
