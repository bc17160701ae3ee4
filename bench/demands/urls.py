"""Only the pages the benchmark measures (login, retailer portal, demand pages), so a
half-finished edit elsewhere in the tree cannot stop a measurement. Used with --isolated."""

from django.urls import include, path

urlpatterns = [
    path("", include("zhifu.accounts.urls")),
    path("", include("demands.urls")),
]
