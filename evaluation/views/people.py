"""The dashboard's page on one retailer and on one specialist (see ``evaluation.overview``).
Another district's id answers 404, exactly like an id that does not exist."""

from django.http import Http404
from django.shortcuts import render

from zhifu.accounts.choices import Role, band_of
from zhifu.accounts.policies import role_required

from .. import overview

MANAGERS = (Role.MANAGER, Role.ADMIN)


@role_required(*MANAGERS)
def retailer_page(request, pk: int):
    context = overview.retailer_overview(user=request.user, retailer_id=pk)
    if context is None:
        raise Http404
    context["band"] = band_of(context["retailer"].grade)
    return render(request, "evaluation/retailer.html", context)


@role_required(*MANAGERS)
def specialist_page(request, pk: int):
    context = overview.specialist_overview(user=request.user, specialist_id=pk)
    if context is None:
        raise Http404
    return render(request, "evaluation/specialist.html", context)
