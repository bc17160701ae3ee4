"""The retailer's anonymous rating of a finished service (on the demand's page)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhifu.accounts.choices import Role
from zhifu.accounts.policies import role_required
from zhifu.core.errors import DomainError

from .. import services


@require_POST
@role_required(Role.RETAILER)
def rate(request, pk: int):
    try:
        services.rating_submit(user=request.user, demand_id=pk,
                               comment=request.POST.get("comment", ""),
                               **{a: request.POST.get(a) for a in services.ASPECTS})
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you. Your rating is anonymous to the specialist."))
    return redirect(f"/m/demands/{pk}/#rating")
