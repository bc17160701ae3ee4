"""The notification centre page (the managers' inbox): phone layout for retailers,
dashboard layout for staff. Filters: unread only, and the kind of notice."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zhifu.accounts.choices import Role
from zhifu.accounts.policies import phone_tabbar, role_required
from zhifu.core.errors import NotFound

from . import selectors, services


@role_required(*Role.values)
def notification_list(request):
    unread_only = request.GET.get("unread") == "1"
    group = request.GET.get("kind", "")
    if group not in {g.code for g in selectors.KIND_GROUPS}:
        group = ""
    qs = selectors.notification_list(user=request.user, unread_only=unread_only, group=group)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    filters = {k: v for k, v in (("unread", "1" if unread_only else ""), ("kind", group)) if v}
    # Retailers and specialists read their messages on a phone, under their own tab bar.
    tabbar = phone_tabbar(request.user)
    return render(request, "notifications/list.html", {
        "page": page, "base_template": "mobile_base.html" if tabbar else "base.html",
        "tabbar": tabbar, "groups": selectors.KIND_GROUPS,
        "unread_only": unread_only, "group": group, "query": urlencode(filters),
        "here": request.get_full_path(),
        "unread": selectors.notification_unread_count(user=request.user),
    })


def _back(request, fallback: str):
    target = request.POST.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@require_POST
@role_required(*Role.values)
def notification_read(request, pk: int):
    """Mark one read, then go where it points (or back to the list with ``next``)."""
    try:
        row = services.notification_mark_read(user=request.user, notification_id=pk)
    except NotFound as exc:
        raise Http404 from exc
    for target in (request.POST.get("next"), row.link):
        if target and url_has_allowed_host_and_scheme(target,
                                                      allowed_hosts={request.get_host()}):
            return redirect(target)
    return redirect("notifications:list")


@require_POST
@role_required(*Role.values)
def notification_read_all(request):
    services.notification_mark_all_read(user=request.user)
    return _back(request, reverse("notifications:list"))
