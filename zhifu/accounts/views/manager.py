"""The manager's PC dashboard: overview, retailers and specialists in managed districts."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .. import imports, selectors
from ..choices import Role
from ..filtersets import RetailerFilterSet
from ..policies import role_required

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def export_response(content: bytes, *, stem: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.{fmt}"'
    return response


@role_required(Role.MANAGER, Role.ADMIN)
def manager_home(request):
    overview = selectors.district_overview(user=request.user)
    totals = {
        "retailers": sum(d["retailers"] for d in overview),
        "specialists": sum(d["specialists"] for d in overview),
        "districts": len(overview),
    }
    return render(request, "manager/home.html", {"overview": overview, "totals": totals})


@role_required(Role.MANAGER, Role.ADMIN)
def retailer_list(request):
    filterset = RetailerFilterSet(request.GET, queryset=selectors.retailer_list(user=request.user),
                                  request=request)
    valid = filterset.is_valid()
    queryset = filterset.qs if valid else filterset.queryset.none()
    fmt = request.GET.get("export")
    if valid and fmt in EXPORT_TYPES:
        return export_response(
            imports.retailer_export(retailers=queryset, user=request.user, fmt=fmt),
            stem="retailers", fmt=fmt,
        )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(request, "manager/retailers.html", {
        "filterset": filterset, "page": page, "query": query.urlencode(),
    }, status=200 if valid else 400)


@role_required(Role.MANAGER, Role.ADMIN)
def specialist_list(request):
    queryset = selectors.specialist_list(user=request.user)
    fmt = request.GET.get("export")
    if fmt in EXPORT_TYPES:
        return export_response(
            imports.specialist_export(specialists=queryset, user=request.user, fmt=fmt),
            stem="specialists", fmt=fmt,
        )
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(request, "manager/specialists.html", {"page": page})
