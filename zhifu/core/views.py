"""Health checks and error pages: JSON under /api/, a page in the user's language elsewhere."""

from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _

from zhifu.accounts.policies import phone_tabbar

from . import health
from .api.errors import json_error_view


def healthz(request):
    """Liveness: the process is up and answering. It touches no dependency, so a database
    outage never makes the orchestrator restart healthy web processes."""
    return JsonResponse({"status": "ok"})


def readyz(request):
    """Readiness: 200 when the database, the cache and the broker all answer in time,
    503 naming the checks that failed otherwise (for load balancers and compose)."""
    ready, checks = health.readiness()
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks},
                        status=200 if ready else 503)


def _error(request, status: int, code: str, message: str):
    if request.path.startswith("/api/"):
        return json_error_view(code, message, status)
    user = getattr(request, "user", None)
    tabbar = phone_tabbar(user) if user is not None and user.is_authenticated else ""
    return render(request, "error.html", {
        "status": status, "message": message, "tabbar": tabbar,
        "base_template": "mobile_base.html" if tabbar else "base.html"}, status=status)


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


def favicon(request):
    """The icon where a page names none (the admin, the API docs): the static file's URL is
    looked up per request, after ``collectstatic`` has named it."""
    return redirect(static("img/favicon.ico"), permanent=True)
