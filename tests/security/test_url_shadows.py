"""No named URL is hidden behind an earlier pattern (a rating form once answered 404 because
/m/demands/<pk>/<action>/ caught /m/demands/<pk>/rate/)."""

from __future__ import annotations

import re

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

SAMPLE_VALUES = {"int": "7", "slug": "sample-slug", "str": "sample", "path": "a/b",
                 "uuid": "12345678-1234-5678-1234-567812345678"}


def _named_routes():
    def walk(patterns, prefix, namespace, converters):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern),
                                pattern.namespace or namespace,
                                {**converters, **getattr(pattern.pattern, "converters", {})})
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield (prefix + str(pattern.pattern), name,
                       {**converters, **getattr(pattern.pattern, "converters", {})})

    return list(walk(get_resolver().url_patterns, "", None, {}))


def _sample(route: str, converters: dict) -> str:
    def fill(match):
        kind, param = match.group(1) or "str", match.group(2)
        if kind in SAMPLE_VALUES:
            return SAMPLE_VALUES[kind]
        # A custom converter: the first value its pattern accepts.
        return converters[param].regex.split("|")[0].replace("\\", "")
    path = re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)
    # A regex part inside a path (a library's admin views): each group takes a number,
    # its anchors go.
    path = re.sub(r"\([^()]*\)", "7", path).replace("^", "").replace("$", "")
    return "/" + path


def test_no_named_url_is_shadowed():
    shadowed = []
    routes = _named_routes()
    assert len(routes) > 50  # the walk found the project's patterns
    for route, name, converters in routes:
        if "(?P<" in route or route.startswith("^"):  # admin's named-group regexes: skip
            continue
        path = _sample(route, converters)
        try:
            match = resolve(path)
        except Resolver404:
            shadowed.append(f"{name}: {path} resolves to nothing")
            continue
        if match.view_name != name:
            shadowed.append(f"{name}: {path} is caught by {match.view_name}")
    assert shadowed == []


def test_the_check_finds_a_shadowed_pattern(settings):
    """The check itself can fail: a catch-all before a specific route is reported."""
    from django.urls import clear_url_caches, path

    def view(request):
        return None

    module = type("urls", (), {"urlpatterns": [
        path("m/demands/<int:pk>/<slug:action>/", view, name="catch-all"),
        path("m/demands/<int:pk>/rate/", view, name="rate")]})
    settings.ROOT_URLCONF = module
    clear_url_caches()
    try:
        routes = _named_routes()
        caught = [name for route, name, conv in routes
                  if resolve(_sample(route, conv)).view_name != name]
    finally:
        clear_url_caches()
    assert caught == ["rate"]
