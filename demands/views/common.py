"""Small helpers shared by the demand pages."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhifu.core.errors import DomainError


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def go(request, url: str):
    """Redirect, also for htmx requests (which follow HX-Redirect instead of 302)."""
    if is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def refuse(request, template: str, context: dict, exc) -> HttpResponse:
    """Render the page again with the service's message, under the error's status."""
    context = {**context, "error": exc.message, "error_code": exc.code,
               "error_fields": exc.fields}
    return render(request, template, context, status=exc.status_code)


def form_error(form) -> DomainError:
    """A form's field errors as the same error the services raise."""
    fields = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
    return DomainError(_("Some fields are not valid."), code="validation_error", fields=fields)
