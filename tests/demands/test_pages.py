"""The retailer's phone pages and the manager's dashboard pages, through the test client."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from demands import services
from demands.choices import DemandKind, DemandStatus
from demands.models import CatalogueItem, Demand
from tests import factories
from tests.demands.conftest import catalogue_item, make_demand


def login(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.post("/login/", {"username": user.username,
                                   "password": factories.PASSWORD}).status_code == 302
    return client


def token(html: str) -> str:
    return re.search(r'name="client_token" value="([0-9a-f]+)"', html).group(1)


def test_catalogue_shows_tiers_and_reasons(org):
    client = login(org.retailer_north.user)
    page = client.get("/m/services/")
    html = page.content.decode()
    assert page.status_code == 200
    for tier in ("Inclusive services", "Value-added services", "Contemporary services"):
        assert tier in html
    assert "terminal maintenance" in html
    assert "Only for Rural network" in html  # rural-network item shown with its reason
    assert "Only for grade bands 24-30" in html  # cigar
    assert html.count('class="button primary d-order"') >= 10
    assert org.retailer_north.phone not in html


def test_catalogue_in_chinese_by_default(org):
    client = Client()
    client.post("/login/", {"username": org.retailer_north.user.username,
                            "password": factories.PASSWORD})
    html = client.get("/m/services/").content.decode()
    assert "终端维护服务" in html and "农网专项服务" in html


def test_order_flow_with_htmx_and_double_submit(org):
    client = login(org.retailer_north.user)
    item = CatalogueItem.objects.get(code="terminal_maintenance")
    form = client.get(f"/m/services/{item.pk}/order/", HTTP_HX_REQUEST="true")
    assert form.status_code == 200 and "<html" not in form.content.decode()
    start = (timezone.localtime() + dt.timedelta(days=2)).replace(hour=10, minute=0)
    data = {"client_token": token(form.content.decode()), "note": "冰柜不制冷",
            "preferred_start": start.strftime("%Y-%m-%dT%H:%M"),
            "preferred_end": (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")}
    done = client.post(f"/m/services/{item.pk}/order/", data, HTTP_HX_REQUEST="true")
    demand = Demand.objects.get()
    assert done.status_code == 204 and done["HX-Redirect"] == f"/m/demands/{demand.pk}/"
    assert demand.preferred_start is not None and demand.description == "冰柜不制冷"
    again = client.post(f"/m/services/{item.pk}/order/", data, HTTP_HX_REQUEST="true")
    assert again.status_code == 409 and "already submitted" in again.content.decode()
    assert Demand.objects.count() == 1


@pytest.mark.parametrize("data,status,needle", [
    ({"note": "x" * 1001}, 400, "Some fields are not valid"),
    ({"preferred_start": "not a date"}, 400, "Some fields are not valid"),
    ({"preferred_start": "2020-01-01T10:00", "preferred_end": "2020-01-01T12:00"}, 400,
     "in the past"),
])
def test_bad_order_input_on_the_page(org, data, status, needle):
    client = login(org.retailer_north.user)
    item = CatalogueItem.objects.get(code="terminal_maintenance")
    response = client.post(f"/m/services/{item.pk}/order/", {"client_token": "t-1", **data})
    assert response.status_code == status and needle in response.content.decode()
    assert not Demand.objects.exists()


def test_a_form_without_its_submission_token_is_refused_and_stores_nothing(org):
    """A double tap must never store two demands: the form's token is required."""
    client = login(org.retailer_north.user)
    item = CatalogueItem.objects.get(code="terminal_maintenance")
    for url, data in ((f"/m/services/{item.pk}/order/", {}),
                      ("/m/needs/new/", {"kind": "personalised", "text": "想做会员营销"})):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 400
        assert "表单已过期" in response.content.decode()
    assert not Demand.objects.exists()


def test_ineligible_and_unknown_items_cannot_be_ordered(org):
    client = login(org.retailer_north.user)
    rural = CatalogueItem.objects.get(code="rural_network")
    refused = client.post(f"/m/services/{rural.pk}/order/", {"client_token": "t-1"})
    assert refused.status_code == 400 and "Only for Rural network" in refused.content.decode()
    assert client.post("/m/services/999999/order/", {}).status_code == 404
    personalised = CatalogueItem.objects.filter(is_personalised=True).first()
    assert client.get(f"/m/services/{personalised.pk}/order/").status_code == 404
    assert not Demand.objects.exists()


def test_personalised_need_with_photo(org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(org.retailer_north.user)
    page = client.get("/m/needs/new/")
    photo = SimpleUploadedFile("shop.png", factories.image_bytes(), "image/png")
    response = client.post("/m/needs/new/", {"kind": "personalised", "text": "想做会员营销",
                                             "client_token": token(page.content.decode()),
                                             "photo": photo})
    demand = Demand.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/m/demands/{demand.pk}/"
    assert demand.kind == "personalised" and demand.photo.name.startswith("demands/")
    empty = client.post("/m/needs/new/", {"kind": "personalised", "text": "  ",
                                          "client_token": "t-2"})
    assert empty.status_code == 400 and Demand.objects.count() == 1
    bad = client.post("/m/needs/new/", {"kind": "personalised", "text": "x", "client_token": "t-3",
                                        "photo": SimpleUploadedFile("x.png", b"GIF89a....")})
    assert bad.status_code == 400 and "JPEG, PNG or WebP" in bad.content.decode()
    assert Demand.objects.count() == 1


def test_my_demands_timeline_and_who_handles(org):
    demand = services.demand_order(retailer=org.retailer_north, item=catalogue_item(),
                                   actor=org.retailer_north.user, segment="basic")
    services.demand_accept(demand=demand, actor=org.manager_north)
    services.demand_schedule(demand=demand, actor=org.manager_north,
                             specialist=org.specialist_north)
    client = login(org.retailer_north.user)
    listing = client.get("/m/demands/").content.decode()
    assert f"/m/demands/{demand.pk}/" in listing and "SLA deadline" in listing
    html = client.get(f"/m/demands/{demand.pk}/").content.decode()
    name = org.specialist_north.user.display_name
    assert name in html and org.specialist_north.user.phone not in html
    for step in ("Submitted", "Accepted", "Scheduled"):
        assert step in html
    assert "Cancel this demand" in html


def test_cancel_confirm_and_someone_elses_demand(org):
    mine = make_demand(org.retailer_north)
    theirs = make_demand(org.retailer_north2)
    client = login(org.retailer_north.user)
    assert client.get(f"/m/demands/{theirs.pk}/").status_code == 404
    assert client.post(f"/m/demands/{theirs.pk}/cancel/").status_code == 404
    assert client.post(f"/m/demands/{mine.pk}/explode/").status_code == 404
    assert client.get(f"/m/demands/{mine.pk}/cancel/").status_code == 405
    assert client.post(f"/m/demands/{mine.pk}/cancel/", {"reason": "不需要了"}).status_code == 302
    assert Demand.objects.get(pk=mine.pk).status == DemandStatus.CANCELLED
    twice = client.post(f"/m/demands/{mine.pk}/cancel/")
    assert twice.status_code == 409 and "cannot be done" in twice.content.decode()
    assert Demand.objects.get(pk=theirs.pk).status == DemandStatus.SUBMITTED
    done = make_demand(org.retailer_north, status=DemandStatus.COMPLETED)
    assert client.post(f"/m/demands/{done.pk}/confirm/").status_code == 302
    html = client.get(f"/m/demands/{done.pk}/").content.decode()
    assert "Rate this service" in html and 'id="rating"' in html


def test_other_roles_cannot_open_retailer_pages(org):
    for user in (org.manager_north, org.specialist_north.user):
        client = login(user)
        assert client.get("/m/services/").status_code == 403
        assert client.get("/m/demands/").status_code == 403
    assert Client().get("/m/services/").status_code == 302


def test_manager_pages(org):
    demand = make_demand(org.retailer_north)
    foreign = make_demand(org.retailer_south)
    client = login(org.manager_north)
    listing = client.get("/dashboard/demands/")
    assert listing.status_code == 200
    assert f"/dashboard/demands/{demand.pk}/" in listing.content.decode()
    assert f"/dashboard/demands/{foreign.pk}/" not in listing.content.decode()
    assert client.get(f"/dashboard/demands/{foreign.pk}/").status_code == 404
    page = client.get(f"/dashboard/demands/{demand.pk}/")
    assert page.status_code == 200 and "Audit trail" in page.content.decode()
    accepted = client.post(f"/dashboard/demands/{demand.pk}/act/", {"action": "accept"})
    assert accepted.status_code == 302
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.ACCEPTED
    stale = client.post(f"/dashboard/demands/{demand.pk}/act/", {"action": "accept"})
    assert stale.status_code == 409
    no_reason = client.post(f"/dashboard/demands/{demand.pk}/act/", {"action": "reject"})
    assert no_reason.status_code == 400
    unknown_spec = client.post(f"/dashboard/demands/{demand.pk}/act/",
                               {"action": "schedule", "specialist": 99999})
    assert unknown_spec.status_code == 404
    foreign_spec = client.post(f"/dashboard/demands/{demand.pk}/act/",
                               {"action": "schedule", "specialist": org.specialist_south.pk})
    assert foreign_spec.status_code == 404
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.ACCEPTED
    for url in ("/dashboard/demands/triage/", "/dashboard/catalogue/",
                "/dashboard/demands/?status=accepted"):
        assert client.get(url).status_code == 200, url
    # An unknown filter value is said, on the form, never silently ignored.
    bogus = client.get("/dashboard/demands/?status=accepted&sla_state=bogus")
    assert bogus.status_code == 400 and "sla_state" in bogus.context["filterset"].errors
    retailer = login(org.retailer_north.user)
    assert retailer.get("/dashboard/demands/").status_code == 403


def test_catalogue_edit_recomputes_priority(org):
    item = CatalogueItem.objects.get(code="shop_management")
    client = login(factories.city_level(org.manager_north))
    form = client.get(f"/dashboard/catalogue/{item.pk}/")
    assert form.status_code == 200
    data = {"name_zh": "店铺管理服务", "name_en": "shop management", "response_hours": 4,
            "resolution_hours": 30, "service_minutes": 50, "impact_scope": 5,
            "compliance_risk": 5, "capacity_pressure": 5, "active": "on",
            "checklist": "货架整洁\n价签齐全\n", "grade_bands": ["24-30"]}
    assert client.post(f"/dashboard/catalogue/{item.pk}/", data).status_code == 302
    item.refresh_from_db()
    assert item.priority == 100 and item.checklist == ["货架整洁", "价签齐全"]
    assert item.grade_bands == ["24-30"]
    bad = client.post(f"/dashboard/catalogue/{item.pk}/", {**data, "impact_scope": 9,
                                                          "resolution_hours": 1})
    assert bad.status_code == 400
    item.refresh_from_db()
    assert item.impact_scope == 5 and item.resolution_hours == 30


def test_the_manager_page_offers_the_fields_each_action_needs(org):
    """The form for each action is built from the lifecycle's requirements table: a complaint's
    acceptance asks for a handler, a suggestion's for a reply date; posting without them is
    refused with the field named, and with them the demand moves."""
    complaint = make_demand(org.retailer_north, kind=DemandKind.COMPLAINT, item=None)
    suggestion = make_demand(org.retailer_north, kind=DemandKind.SUGGESTION, item=None)
    client = login(org.manager_north)
    complaint_page = client.get(f"/dashboard/demands/{complaint.pk}/").content.decode()
    suggestion_page = client.get(f"/dashboard/demands/{suggestion.pk}/").content.decode()
    assert 'name="handler"' in complaint_page and 'name="reply_due_on"' not in complaint_page
    assert 'name="reply_due_on"' in suggestion_page and 'name="handler"' not in suggestion_page
    refused = client.post(f"/dashboard/demands/{suggestion.pk}/act/", {"action": "accept"})
    assert refused.status_code == 400
    assert Demand.objects.get(pk=suggestion.pk).status == DemandStatus.SUBMITTED
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    accepted = client.post(f"/dashboard/demands/{suggestion.pk}/act/",
                           {"action": "accept", "reply_due_on": due})
    assert accepted.status_code == 302
    assert Demand.objects.get(pk=suggestion.pk).status == DemandStatus.ACCEPTED


def test_the_review_form_refuses_bad_input_and_other_districts(org):
    """The third leg through its page: a bad star count is said and writes nothing; another
    district's manager gets a 404; a good review is kept and can be corrected."""
    from evaluation.models import ManagerReview

    done = make_demand(org.retailer_north, status=DemandStatus.COMPLETED,
                       assignee=org.specialist_north, completed_at=timezone.now())
    url = f"/dashboard/demands/{done.pk}/review/"
    south = login(org.manager_south)
    assert south.post(url, {"quality": "4", "audit_passed": "on"}).status_code == 404
    north = login(org.manager_north)
    page = north.get(f"/dashboard/demands/{done.pk}/").content.decode()
    assert 'class="d-act review-form"' in page
    bad = north.post(url, {"quality": "nine"}, follow=True)
    assert bad.status_code == 200 and "1 to 5" in bad.content.decode()
    assert not ManagerReview.objects.filter(demand=done).exists()
    assert north.post(url, {"quality": "4", "audit_passed": "on"}).status_code == 302
    assert north.post(url, {"quality": "2"}).status_code == 302
    review = ManagerReview.objects.get(demand=done)
    assert review.quality == 2 and review.audit_passed is False
    retailer = login(org.retailer_north.user)
    assert retailer.post(url, {"quality": "5"}).status_code == 403
