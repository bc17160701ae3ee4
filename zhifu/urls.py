from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from zhifu.core import views as core_views
from zhifu.core.media import protected_media


def docs_view(view):
    """The schema and its viewers need a signed-in user unless settings make them public
    (``API_DOCS_PUBLIC``: on while developing, off in production)."""
    guarded = login_required(view)

    def dispatch(request, *args, **kwargs):
        chosen = view if settings.API_DOCS_PUBLIC else guarded
        return chosen(request, *args, **kwargs)

    return dispatch


api_v1 = [
    path("", include("zhifu.accounts.api.urls")),
    path("", include("profiling.api.urls")),
    path("", include("demands.api.urls")),
    path("", include("dispatch.api.urls")),
    path("", include("zhifu.notifications.api.urls")),
    path("", include("evaluation.api.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin, the API docs).
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("healthz/", core_views.healthz, name="healthz"),
    path("readyz/", core_views.readyz, name="readyz"),
    # Uploaded files, only for those who may see what they belong to (zhifu/core/media.py).
    path("media/<path:name>", protected_media, name="media"),
    path("api/v1/", include(api_v1)),
    # The API's map: open under DEBUG, behind a login otherwise (settings.API_DOCS_PUBLIC).
    path("api/schema/", docs_view(SpectacularAPIView.as_view()), name="schema"),
    path("api/docs/", docs_view(SpectacularSwaggerView.as_view(url_name="schema")),
         name="api-docs"),
    path("api/redoc/", docs_view(SpectacularRedocView.as_view(url_name="schema")),
         name="api-redoc"),
    path("", include("zhifu.accounts.urls")),
    path("", include("profiling.urls")),
    path("", include("demands.urls")),
    path("", include("dispatch.urls")),
    path("", include("strategy.urls")),
    path("", include("zhifu.notifications.urls")),
    path("", include("evaluation.urls")),
]


handler400 = "zhifu.core.views.bad_request"
handler403 = "zhifu.core.views.permission_denied"
handler404 = "zhifu.core.views.page_not_found"
handler500 = "zhifu.core.views.server_error"
