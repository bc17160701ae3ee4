"""Raising demands: eligibility with reasons, request kinds, and bad input refused cleanly."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.translation import override

from demands import services
from demands.choices import DemandKind, DemandStatus
from demands.eligibility import ineligibility_reasons
from demands.models import CatalogueItem, Demand, DemandEvent, RequestPromise
from tests import factories
from tests.demands.conftest import MONDAY_9, catalogue_item
from zhifu.core.errors import DomainError
from zhifu.notifications.models import Notification

PNG = factories.image_bytes()


def test_catalogue_is_loaded_from_the_tables(db):
    assert CatalogueItem.objects.count() == 20
    tiers = dict(CatalogueItem.objects.values_list("code", "tier"))
    assert tiers["rural_network"] == "contemporary" and tiers["struggling_support"] == "value_added"
    rural = CatalogueItem.objects.get(code="rural_network")
    assert rural.name_zh == "农网专项服务" and rural.item_score == 15
    assert rural.market_types == ["rural"]
    assert list(rural.skills.values_list("code", flat=True)) == ["rural_network"]
    cigar = CatalogueItem.objects.get(code="cigar_business")
    assert cigar.grade_bands == ["24-30"] and cigar.approval_level == "city_department"
    assert CatalogueItem.objects.get(code="struggling_support").segments == ["basic"]
    assert CatalogueItem.objects.filter(is_personalised=True).count() == 3
    assert all(0 <= p <= 100 for p in CatalogueItem.objects.values_list("priority", flat=True))


def test_eligibility_reasons_name_every_failed_precondition(org):
    shop = org.retailer_north  # grade 10, urban, convenience store
    cigar = CatalogueItem.objects.get(code="cigar_business")
    with override("en"):
        reasons = ineligibility_reasons(item=cigar, retailer=shop, segment="basic")
        assert len(reasons) == 2
        assert "24-30" in reasons[0] and "10" in reasons[0]
        assert "business formats" in reasons[1]
        rural = ineligibility_reasons(item=CatalogueItem.objects.get(code="rural_network"),
                                      retailer=shop, segment="basic")
        assert rural == ["Only for Rural network (农网) shops."]
        help_ = CatalogueItem.objects.get(code="struggling_support")
        assert ineligibility_reasons(item=help_, retailer=shop, segment="basic") == []
        assert "segments" in ineligibility_reasons(item=help_, retailer=shop,
                                                   segment="value")[0]
    shop.grade, shop.market_type, shop.business_format = 26, "rural", "tobacco_liquor"
    assert ineligibility_reasons(item=cigar, retailer=shop, segment="value") == []


def test_ineligible_order_is_refused_and_changes_nothing(org):
    cigar = CatalogueItem.objects.get(code="cigar_business")
    with pytest.raises(DomainError) as refused:
        services.demand_order(retailer=org.retailer_north, item=cigar,
                              actor=org.retailer_north.user, segment="basic", now=MONDAY_9)
    assert refused.value.code == "not_eligible"
    assert not Demand.objects.exists() and not DemandEvent.objects.exists()


def test_order_snapshots_the_item_and_sets_deadlines(org):
    item = CatalogueItem.objects.get(code="information_collection")
    window = (MONDAY_9 + dt.timedelta(days=1), MONDAY_9 + dt.timedelta(days=1, hours=2))
    demand = services.demand_order(retailer=org.retailer_north, item=item,
                                   actor=org.retailer_north.user, note="想开通扫码数采",
                                   preferred_start=window[0], preferred_end=window[1],
                                   segment="basic", now=MONDAY_9)
    assert demand.status == DemandStatus.SUBMITTED and demand.source == "retailer"
    assert demand.checklist == item.checklist and demand.priority == item.priority
    # 8 working hours from Monday 09:00 → Tuesday 10:00; 40 h (7 h days) → next Monday 16:00
    assert demand.response_due_at == MONDAY_9 + dt.timedelta(days=1, hours=1)
    assert demand.resolution_due_at == MONDAY_9 + dt.timedelta(days=7, hours=7)
    assert demand.events.get().action == "submit"
    # the district lead hears about it
    assert Notification.objects.filter(recipient=org.manager_north, kind="demand.new").exists()


def test_double_submit_and_open_duplicates_are_refused(org):
    item = catalogue_item("terminal_maintenance")
    args = {"retailer": org.retailer_north, "item": item, "actor": org.retailer_north.user,
            "segment": "basic", "now": MONDAY_9}
    services.demand_order(client_token="tok-1", **args)
    with pytest.raises(DomainError) as twice:
        services.demand_order(client_token="tok-1", **args)
    assert twice.value.code == "duplicate_submit" and twice.value.status_code == 409
    with pytest.raises(DomainError) as again:
        services.demand_order(client_token="tok-2", **args)
    assert again.value.code == "already_open"
    assert Demand.objects.count() == 1


@pytest.mark.parametrize("fields,code", [
    ({"note": "x" * 1001}, "too_long"),
    ({"preferred_start": MONDAY_9 + dt.timedelta(hours=3),
      "preferred_end": MONDAY_9 + dt.timedelta(hours=1)}, "bad_window"),
    ({"preferred_start": MONDAY_9 - dt.timedelta(days=2),
      "preferred_end": MONDAY_9 - dt.timedelta(days=1)}, "bad_window"),
    ({"preferred_start": MONDAY_9 + dt.timedelta(days=1), "preferred_end": None},
     "bad_window"),
    ({"preferred_start": MONDAY_9 + dt.timedelta(days=1),
      "preferred_end": MONDAY_9 + dt.timedelta(days=90)}, "bad_window"),
])
def test_bad_order_input(org, fields, code):
    with pytest.raises(DomainError) as refused:
        services.demand_order(retailer=org.retailer_north, item=catalogue_item(),
                              actor=org.retailer_north.user, segment="basic", now=MONDAY_9,
                              **fields)
    assert refused.value.code == code
    assert not Demand.objects.exists()


def test_ordering_for_someone_elses_shop_or_a_suspended_one(org):
    with pytest.raises(DomainError) as foreign:
        services.demand_order(retailer=org.retailer_south, item=catalogue_item(),
                              actor=org.retailer_north.user, segment="basic", now=MONDAY_9)
    assert foreign.value.status_code == 404
    org.retailer_north.status = "suspended"
    with pytest.raises(DomainError) as suspended:
        services.demand_order(retailer=org.retailer_north, item=catalogue_item(),
                              actor=org.retailer_north.user, segment="basic", now=MONDAY_9)
    assert suspended.value.code == "retailer_inactive"
    assert not Demand.objects.exists()


@pytest.mark.parametrize("text,photo,kind,code", [
    ("", None, "personalised", "required"),
    ("   ", None, "personalised", "required"),
    ("x" * 1001, None, "personalised", "too_long"),
    ("门头灯坏了", None, "service", "bad_kind"),
    ("门头灯坏了", SimpleUploadedFile("a.png", b"MZ\x90\x00" * 20), "personalised",
     "photo_bad_type"),
    ("门头灯坏了", SimpleUploadedFile("a.png", PNG + b"\x00" * (5 * 1024 * 1024)),
     "personalised", "photo_too_large"),
])
def test_bad_need_input(org, text, photo, kind, code):
    with pytest.raises(DomainError) as refused:
        services.demand_submit_need(retailer=org.retailer_north, actor=org.retailer_north.user,
                                    text=text, photo=photo, kind=kind, now=MONDAY_9)
    assert refused.value.code == code
    assert not Demand.objects.exists()


def test_request_kinds_follow_table_2(org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    shop, user = org.retailer_north, org.retailer_north.user
    need = services.demand_submit_need(retailer=shop, actor=user, text="想学短视频带货\n细节…",
                                       photo=SimpleUploadedFile("p.png", PNG), now=MONDAY_9)
    assert need.kind == DemandKind.PERSONALISED and need.item is None and need.photo
    assert need.title == "想学短视频带货"
    consult = services.demand_submit_need(retailer=shop, actor=user, kind="consultation",
                                          text="新品什么时候到货？", now=MONDAY_9)
    # answered within 24 plain hours, weekends included
    assert consult.wall_clock and consult.resolution_due_at == MONDAY_9 + dt.timedelta(hours=24)
    answered = services.demand_answer(demand=consult, actor=org.specialist_north.user,
                                      answer="周三到货。", now=MONDAY_9 + dt.timedelta(hours=1))
    assert answered.status == DemandStatus.COMPLETED and answered.sla_state == "met"

    complaint = services.demand_submit_need(retailer=shop, actor=user, kind="complaint",
                                            text="送货员态度差", now=MONDAY_9)
    with pytest.raises(DomainError) as no_handler:
        services.demand_accept(demand=complaint, actor=org.manager_north)
    assert no_handler.value.code == "handler_required"
    services.demand_accept(demand=complaint, actor=org.manager_north, handler=org.manager_north)
    complaint.refresh_from_db()
    assert complaint.handler == org.manager_north
    complaint.status = DemandStatus.COMPLETED
    complaint.save()
    with pytest.raises(DomainError) as not_followed:
        services.demand_close(demand=complaint, actor=org.manager_north)
    assert not_followed.value.code == "follow_up_required"
    services.demand_follow_up(demand=complaint, actor=org.manager_north, note="已回访，客户满意")
    assert services.demand_close(demand=complaint, actor=org.manager_north).status == "closed"

    suggestion = services.demand_submit_need(retailer=shop, actor=user, kind="suggestion",
                                             text="建议增加夜间配送", now=MONDAY_9)
    with pytest.raises(DomainError) as no_date:
        services.demand_accept(demand=suggestion, actor=org.manager_north)
    assert no_date.value.code == "reply_date_required"
    services.demand_accept(demand=suggestion, actor=org.manager_north,
                           reply_due_on=dt.date(2026, 11, 30))
    with pytest.raises(DomainError) as no_verdict:
        services.demand_answer(demand=suggestion, actor=org.manager_north, answer="研究中")
    assert no_verdict.value.code == "adopted_required"
    replied = services.demand_answer(demand=suggestion, actor=org.manager_north,
                                     answer="下月起试行夜间配送", adopted=True)
    assert replied.adopted is True and replied.reply_due_on == dt.date(2026, 11, 30)


def test_compliance_gates(people):
    item = CatalogueItem.objects.get(code="modern_terminal")
    people.retailer_north.grade = 20
    people.retailer_north.save()
    demand = services.demand_order(retailer=people.retailer_north, item=item,
                                   actor=people.retailer_north.user, segment="potential",
                                   now=MONDAY_9)
    services.demand_accept(demand=demand, actor=people.manager_north)
    with pytest.raises(DomainError) as unapproved:
        services.demand_schedule(demand=demand, actor=people.manager_north,
                                 specialist=people.specialist_north)
    assert unapproved.value.code == "approval_required"
    services.demand_approve(demand=demand, actor=people.manager_north)
    services.demand_schedule(demand=demand, actor=people.manager_north,
                             specialist=people.specialist_north)
    services.demand_start(demand=demand, actor=people.specialist_north.user)
    with pytest.raises(DomainError) as unchecked:
        services.demand_complete(demand=demand, actor=people.specialist_north.user)
    assert unchecked.value.code == "checklist_incomplete"
    with pytest.raises(DomainError) as bogus:
        services.demand_confirm_checklist(demand=demand, actor=people.specialist_north.user,
                                          point="随便写的")
    assert bogus.value.code == "bad_checklist_point"
    for point in item.checklist:
        services.demand_confirm_checklist(demand=demand, actor=people.specialist_north.user,
                                          point=point)
    done = services.demand_complete(demand=demand, actor=people.specialist_north.user)
    assert done.status == DemandStatus.COMPLETED


def test_approval_needs_a_high_enough_level(people):
    cigar = CatalogueItem.objects.get(code="cigar_business")
    people.retailer_north.grade, people.retailer_north.business_format = 28, "tobacco_liquor"
    people.retailer_north.save()
    demand = services.demand_order(retailer=people.retailer_north, item=cigar,
                                   actor=people.retailer_north.user, segment="value",
                                   now=MONDAY_9)
    with pytest.raises(DomainError) as low:
        services.demand_approve(demand=demand, actor=people.manager_north)  # district lead
    assert low.value.code == "approval_level_too_low"
    approved = services.demand_approve(demand=demand, actor=people.city)
    assert approved.approved_by == people.city


def test_cancel_only_before_work_starts(org):
    demand = services.demand_order(retailer=org.retailer_north, item=catalogue_item(),
                                   actor=org.retailer_north.user, segment="basic",
                                   now=MONDAY_9)
    services.demand_accept(demand=demand, actor=org.manager_north)
    services.demand_schedule(demand=demand, actor=None, specialist=org.specialist_north)
    services.demand_start(demand=demand, actor=org.specialist_north.user)
    with pytest.raises(DomainError) as started:
        services.demand_cancel(demand=demand, actor=org.retailer_north.user)
    assert started.value.code == "wrong_state"
    services.demand_wait_customer(demand=demand, actor=org.specialist_north.user,
                                  reason="请提供冰柜型号")
    with pytest.raises(DomainError) as paused:
        services.demand_cancel(demand=demand, actor=org.retailer_north.user)
    assert paused.value.code == "already_started"
    resumed = services.demand_resume(demand=demand, actor=org.retailer_north.user,
                                     reason="型号是 XC-200")
    assert resumed.status == DemandStatus.IN_PROGRESS


def test_confirming_twice_is_a_conflict(org):
    from tests.demands.conftest import make_demand

    demand = make_demand(org.retailer_north, status=DemandStatus.COMPLETED)
    services.demand_confirm(demand=demand, actor=org.retailer_north.user)
    with pytest.raises(DomainError) as twice:
        services.demand_confirm(demand=demand, actor=org.retailer_north.user)
    assert twice.value.code == "already_confirmed"
    assert demand.events.filter(action="confirm").count() == 1


def test_staff_may_log_demands_only_for_shops_they_see(org):
    from django.utils import timezone

    from tests.dispatch.conftest import make_task

    make_task(org.retailer_north, timezone.localdate(), specialist=org.specialist_north)
    logged = services.demand_submit_need(retailer=org.retailer_north,
                                         actor=org.specialist_north.user, text="客户口头反映",
                                         now=MONDAY_9)
    assert logged.source == "specialist"
    for outsider in (org.specialist_south.user, org.manager_south):
        with pytest.raises(DomainError) as refused:
            services.demand_submit_need(retailer=org.retailer_north, actor=outsider,
                                        text="越权代录", now=MONDAY_9)
        assert refused.value.status_code == 404
    assert Demand.objects.count() == 1


def test_the_retailer_hears_about_each_step(people):
    demand = services.demand_order(retailer=people.retailer_north, item=catalogue_item(),
                                   actor=people.retailer_north.user, segment="basic",
                                   now=MONDAY_9)
    services.demand_accept(demand=demand, actor=people.manager_north)
    services.demand_schedule(demand=demand, actor=people.manager_north,
                             specialist=people.specialist_north)
    retailer_kinds = list(Notification.objects.filter(recipient=people.retailer_north.user)
                          .order_by("id").values_list("kind", flat=True))
    assert retailer_kinds == ["demand.accept", "demand.schedule"]
    assigned = Notification.objects.get(recipient=people.specialist_north.user)
    assert assigned.kind == "demand.assigned" and str(demand.pk) in assigned.title
    assert assigned.link == f"/s/demands/{demand.pk}/"  # a page a person reads, not JSON
    assert "需求" in assigned.title  # written in the recipient's language (Chinese first)
    # the retailer's own actions are not echoed back to it
    services.demand_cancel(demand=demand, actor=people.retailer_north.user)
    assert Notification.objects.filter(recipient=people.retailer_north.user).count() == 2
    assert Notification.objects.filter(recipient=people.specialist_north.user,
                                       kind="demand.cancel").exists()


def test_a_request_promise_is_data_the_operator_changes_in_the_admin(org):
    complaint = RequestPromise.objects.get(kind=DemandKind.COMPLAINT)
    assert (complaint.response_hours, complaint.resolution_hours) == (4, 40)  # table 2
    admin = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    admin.force_login(org.admin)
    url = f"/admin/demands/requestpromise/{complaint.pk}/change/"
    assert admin.get(url).status_code == 200
    refused = admin.post(url, {"kind": "complaint", "response_hours": 30,
                               "resolution_hours": 20})
    assert refused.status_code == 200  # resolution before response: said on the form
    assert admin.post(url, {"kind": "complaint", "response_hours": 2,
                            "resolution_hours": 16}).status_code == 302
    # The retailer raises the complaint on its phone page, as it would.
    retailer = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    retailer.force_login(org.retailer_north.user)
    form = retailer.get("/m/needs/new/").content.decode()
    client_token = re.search(r'name="client_token" value="([0-9a-f]+)"', form).group(1)
    sent = retailer.post("/m/needs/new/", {"kind": "complaint", "text": "店员态度不好",
                                          "client_token": client_token})
    assert sent.status_code == 302
    raised = Demand.objects.get(retailer=org.retailer_north, kind=DemandKind.COMPLAINT)
    assert (raised.response_hours, raised.resolution_hours, raised.wall_clock) == (2, 16, False)
    history = admin.get(f"/admin/demands/requestpromise/{complaint.pk}/history/")
    assert history.status_code == 200
