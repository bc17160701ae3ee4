#!/usr/bin/env python3
"""Plays a specialist's phone app against a running 智服 server, through the public API only.

    python tests/e2e/specialist_app.py --base http://127.0.0.1:8000 --username sp001 --password …

Standard library only, like a thin mobile client: log in, fetch the day, accept the
first task, check in at the shop, complete it with a photo and the checklist, report
an exception on the next one, refresh the token (and see the old one refused), log out.
Prints one line per step; exits non-zero at the first step that does not behave.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
import urllib.error
import urllib.request
import uuid

# A 1x1 PNG: the smallest real photo.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


class Client:
    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")
        self.access = ""

    def call(self, method: str, path: str, body=None, *, files=None, expect=(200,)):
        headers = {"Accept": "application/json", "Accept-Language": "zh-hans"}
        data = None
        if files is not None:
            boundary = uuid.uuid4().hex
            data = _multipart(boundary, body or {}, files)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.access:
            headers["Authorization"] = f"Bearer {self.access}"
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        payload = json.loads(raw) if raw else None
        if status not in expect:
            raise SystemExit(f"FAIL {method} {path}: {status} {payload}")
        return status, payload


def _multipart(boundary: str, fields: dict, files: list[tuple[str, str, bytes, str]]) -> bytes:
    lines: list[bytes] = []
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            lines += [f"--{boundary}".encode(),
                      f'Content-Disposition: form-data; name="{name}"'.encode(), b"",
                      str(item).encode()]
    for name, filename, content, content_type in files:
        lines += [f"--{boundary}".encode(),
                  f'Content-Disposition: form-data; name="{name}"; filename="{filename}"'
                  .encode(), f"Content-Type: {content_type}".encode(), b"", content]
    lines += [f"--{boundary}--".encode(), b""]
    return b"\r\n".join(lines)


def run(base: str, username: str, password: str) -> None:
    app = Client(base)
    _, tokens = app.call("POST", "/api/v1/auth/token/",
                         {"username": username, "password": password})
    app.access = tokens["access"]
    print("login ok")
    _, me = app.call("GET", "/api/v1/me/")
    assert me["role"] == "specialist", me
    _, day = app.call("GET", "/api/v1/specialist/day/")
    if len(day) < 2:
        raise SystemExit(f"FAIL need at least two tasks today, got {len(day)}")
    print(f"day ok: {len(day)} tasks in route order")
    first, second = day[0], day[1]
    _, detail = app.call("GET", f"/api/v1/specialist/tasks/{first['id']}/")
    assert "strategy" in detail and "profile" in detail, detail
    app.call("POST", f"/api/v1/specialist/tasks/{first['id']}/accept/")
    print("accept ok")
    shop = first["retailer"]
    _, started = app.call("POST", f"/api/v1/specialist/tasks/{first['id']}/start/",
                          {"latitude": shop["latitude"], "longitude": shop["longitude"]})
    assert started["status"] == "in_progress" and not started["check_in_far"], started
    print("check-in ok")
    _, done = app.call("POST", f"/api/v1/specialist/tasks/{first['id']}/complete/",
                       {"notes": "已完成服务，陈列整改到位。",
                        "checklist_confirmed": detail["checklist"]},
                       files=[("photos", "shop.png", PNG, "image/png")])
    assert done["status"] == "done" and len(done["photos"]) == 1, done
    print("complete with photo ok")
    _, reported = app.call("POST", f"/api/v1/specialist/tasks/{second['id']}/exception/",
                           {"kind": "shop_closed", "note": "店铺今日歇业"})
    assert reported["status"] in ("open", "assigned", "offered"), reported
    print("exception ok")
    _, rotated = app.call("POST", "/api/v1/auth/token/refresh/",
                          {"refresh": tokens["refresh"]})
    app.call("POST", "/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]},
             expect=(401,))
    app.access = rotated["access"]
    app.call("GET", "/api/v1/me/")
    print("refresh ok (old refresh token refused)")
    app.call("POST", "/api/v1/auth/logout/", {"refresh": rotated["refresh"]}, expect=(204,))
    app.call("GET", "/api/v1/me/", expect=(401,))
    print("logout ok")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--username", default="sp001")
    parser.add_argument("--password", default="zhifu2026")
    args = parser.parse_args(argv)
    run(args.base, args.username, args.password)
    print("ALL STEPS PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
