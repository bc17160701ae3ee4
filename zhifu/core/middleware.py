"""Refuse input no field can hold, before any view sees it."""

from django.utils.translation import gettext as _

from .views import _error

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
