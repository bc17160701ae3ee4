"""Uploads are pictures we re-drew, under names we chose, served only to those who may see
what they belong to (issue 12, finding 6)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests import factories
from tests.conftest import login_api
from zhifu.core.errors import DomainError
from zhifu.core.images import MAX_PIXELS, clean_image

PNG_HEADER = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("name,content", [
    ("evil.html", PNG_HEADER + b"<html><script>alert(1)</script></html>"),
    ("evil.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"),
    ("evil.js", b"\xff\xd8\xff\xe0" + b"alert(document.cookie)"),
    ("shop.png", PNG_HEADER + b"\0" * 100),  # a header and nothing behind it
])
def test_anything_but_a_whole_picture_is_refused(name, content):
    with pytest.raises(DomainError) as refused:
        clean_image(SimpleUploadedFile(name, content, "image/png"))
    assert refused.value.code == "photo_bad_type"


def test_too_many_pixels_is_refused_before_decoding():
    side = int(MAX_PIXELS ** 0.5) + 50
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, format="PNG")  # tiny file, huge picture
    with pytest.raises(DomainError) as refused:
        clean_image(SimpleUploadedFile("big.png", buffer.getvalue()))
    assert refused.value.code == "photo_too_many_pixels"


def test_a_picture_is_redrawn_without_metadata_under_our_name():
    buffer = io.BytesIO()
    picture = Image.new("RGB", (20, 10), (10, 200, 10))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    picture.save(buffer, format="JPEG", exif=exif)
    cleaned = clean_image(SimpleUploadedFile("../../etc/evil.html", buffer.getvalue()))
    assert cleaned.name.endswith(".jpg") and "/" not in cleaned.name
    assert "evil" not in cleaned.name
    with Image.open(io.BytesIO(cleaned.read())) as again:
        assert again.format == "JPEG" and again.size == (20, 10)
        assert not again.getexif()


@pytest.fixture
def shops(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from demands import services

    a, b = factories.district("A1", "甲片区"), factories.district("B1", "乙片区")
    mine, theirs = factories.retailer(a), factories.retailer(b)
    demand = services.demand_submit_need(
        retailer=mine, actor=mine.user, text="门头灯坏了",
        photo=SimpleUploadedFile("door.png", factories.image_bytes(), "image/png"))
    return dict(demand=demand, mine=mine, theirs=theirs, lead_a=factories.manager(a),
                lead_b=factories.manager(b))


def test_the_photo_is_served_only_to_those_who_see_its_demand(shops):
    demand = shops["demand"]
    url = demand.photo.url
    assert url.startswith("/media/demands/") and url.endswith(".jpg")
    owner = Client()
    owner.force_login(shops["mine"].user)
    response = owner.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    lead = Client()
    lead.force_login(shops["lead_a"])
    assert lead.get(url).status_code == 200
    for outsider in (shops["theirs"].user, shops["lead_b"]):
        stranger = Client()
        stranger.force_login(outsider)
        assert stranger.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # anonymous: log in first
    assert owner.get("/media/demands/../../etc/passwd").status_code == 404


def test_the_retailer_sees_its_own_photo_on_its_page(shops):
    owner = Client()
    owner.force_login(shops["mine"].user)
    page = owner.get(f"/m/demands/{shops['demand'].pk}/").content.decode()
    assert shops["demand"].photo.url in page


def test_in_production_nginx_serves_the_bytes(shops, settings):
    settings.MEDIA_SERVE_MODE = "x-accel"
    owner = Client()
    owner.force_login(shops["mine"].user)
    response = owner.get(shops["demand"].photo.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + shops["demand"].photo.name
    assert response["X-Content-Type-Options"] == "nosniff"


def test_task_photos_reach_the_specialist_and_its_managers_only(db, settings, tmp_path, api):
    from django.utils import timezone

    from dispatch.choices import TaskStatus
    from tests.dispatch.conftest import make_task

    settings.MEDIA_ROOT = tmp_path
    district = factories.district("T1", "任务片区")
    specialist = factories.specialist(district)
    shop = factories.retailer(district)
    task = make_task(shop, timezone.localdate(), specialist=specialist,
                     status=TaskStatus.IN_PROGRESS)
    login_api(api, specialist.user)
    done = api.post(f"/api/v1/specialist/tasks/{task.pk}/complete/", {
        "notes": "完成", "photos": [SimpleUploadedFile("a.png", factories.image_bytes(),
                                                      "text/html")]}, format="multipart")
    assert done.status_code == 200, done.content
    url = done.json()["photos"][0]
    assert url.startswith("/media/task-photos/") and url.endswith(".jpg")
    assert api.get(url).status_code in (302, 404)  # a token is not a session
    web = Client()
    web.force_login(specialist.user)
    assert web.get(url).status_code == 200
    other = Client()
    other.force_login(factories.manager(factories.district("T2", "别处")))
    assert other.get(url).status_code == 404
