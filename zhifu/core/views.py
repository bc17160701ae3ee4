"""Health check and error pages: JSON under /api/, a page in the user's language elsewhere."""

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .api.errors import json_error_view


def healthz(request):
    """Liveness and database reachability for the load balancer and compose healthchecks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok"})
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "database unavailable"}, status=503)


def _error(request, status: int, code: str, message: str):
    if request.path.startswith("/api/"):
        return json_error_view(code, message, status)
    return render(request, "error.html", {"status": status, "message": message}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "bad_request", _("The request could not be understood."))


def permission_denied(request, exception=None):
    return _error(request, 403, "permission_denied",
                  _("You do not have permission to open this page."))


def page_not_found(request, exception=None):
    return _error(request, 404, "not_found", _("The page you asked for does not exist."))


def server_error(request):
    return _error(request, 500, "server_error",
                  _("Something went wrong on our side. Please try again."))
