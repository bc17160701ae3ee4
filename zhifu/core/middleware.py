"""Middleware of the platform: request ids, refusing input no field can hold, security
headers, domain errors as their own responses."""

from django.utils.translation import gettext as _

from .errors import DomainError
from .logging import accepted_request_id, request_id_var
from .views import _error

REQUEST_ID_HEADER = "X-Request-ID"


class RequestIdMiddleware:
    """Gives each request an id (the caller's X-Request-ID when it is a short safe token),
    echoes it in the response and tags every log line of the request with it, and the
    Celery tasks the request sends (``zhifu.core.tracing``). First in MIDDLEWARE, so the
    other middleware's lines carry it too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = accepted_request_id(request.headers.get(REQUEST_ID_HEADER))
        token = request_id_var.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[REQUEST_ID_HEADER] = request.request_id
        return response

NUL = "\x00"


class RejectNulCharactersMiddleware:
    """A NUL character in a parameter, a form field or a JSON body is never meaningful,
    and PostgreSQL cannot store or even compare it: answer 400 instead of failing later."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            return _error(request, 400, "invalid_characters",
                          _("The request contains characters that are not allowed."))
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if NUL in request.path:
            return True
        for values in request.GET.lists():
            if NUL in values[0] or any(NUL in v for v in values[1]):
                return True
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method in ("POST", "PUT", "PATCH"):
            if content_type.startswith("application/json"):
                body = request.body
                return b"\x00" in body or b"\\u0000" in body
            if content_type.startswith(("application/x-www-form-urlencoded",
                                        "multipart/form-data")):
                for key, values in request.POST.lists():
                    if NUL in key or any(NUL in v for v in values):
                        return True
        return False


# Scripts only from our own static files: no inline script, no eval, no other origin.
# ECharts positions its tooltips with inline styles, hence 'unsafe-inline' for styles only.
STRICT_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data: blob:; connect-src 'self'; font-src 'self' data:; "
              "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
# Django's admin and the vendored Swagger UI / ReDoc pages carry inline scripts.
VENDOR_CSP = STRICT_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
VENDOR_PAGES = ("/admin/", "/api/docs/", "/api/redoc/")


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        vendor = request.path.startswith(VENDOR_PAGES)
        response.headers.setdefault("Content-Security-Policy",
                                    VENDOR_CSP if vendor else STRICT_CSP)
        # The platform needs no camera, microphone or payment API; positions come from the
        # specialist's app through the API, not from the browser.
        response.headers.setdefault("Permissions-Policy",
                                    "camera=(), microphone=(), payment=(), geolocation=()")
        return response


class DomainErrorMiddleware:
    """A ``DomainError`` that a page view did not handle becomes its own status and message
    (404, 403, 409, 400 …), never a 500. API views answer through DRF's handler first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        return _error(request, exception.status_code, exception.code, str(exception.message))
