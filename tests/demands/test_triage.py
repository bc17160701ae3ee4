"""Manager triage: personalised needs matched to an item or made into a new one, duplicates
merged, and the shares of personalised and self-submitted demands."""

import pytest
from django.test import Client

from demands import selectors, services
from demands.choices import DemandStatus
from demands.models import CatalogueItem, Demand
from tests import factories
from tests.demands.conftest import MONDAY_9, catalogue_item
from tests.demands.test_pages import login
from zhifu.core.errors import DomainError


def need(org, text="想学抖音直播卖货", retailer=None):
    retailer = retailer or org.retailer_north
    return services.demand_submit_need(retailer=retailer, actor=retailer.user, text=text,
                                       now=MONDAY_9)


def test_match_to_an_existing_item(org):
    demand = need(org)
    item = CatalogueItem.objects.get(code="digital_tools")
    assert list(selectors.triage_queue(user=org.manager_north)) == [demand]
    matched = services.demand_triage(demand=demand, actor=org.manager_north, item=item)
    assert matched.item == item and matched.triaged_by == org.manager_north
    assert matched.service_minutes == item.service_minutes
    assert matched.kind == "personalised"  # it stays counted as a personalised need
    assert not selectors.triage_queue(user=org.manager_north).exists()
    assert matched.events.filter(action="triage").get().data == {"item": item.name_zh}


def test_turn_into_a_new_item(org):
    demand = need(org, "希望提供电子价签安装")
    # The catalogue is the whole city's: a district lead may match, not add.
    with pytest.raises(DomainError) as lead:
        services.demand_triage(demand=demand, actor=org.manager_north,
                               new_item={"tier": "contemporary", "name_zh": "电子价签安装"})
    assert lead.value.status_code == 403
    assert not CatalogueItem.objects.filter(name_zh="电子价签安装").exists()
    factories.city_level(org.manager_north)
    services.demand_triage(demand=demand, actor=org.manager_north,
                           new_item={"tier": "contemporary", "name_zh": "电子价签安装"})
    item = CatalogueItem.objects.get(name_zh="电子价签安装")
    assert item.created_from == demand and item.tier == "contemporary"
    assert Demand.objects.get(pk=demand.pk).item == item


def test_triage_is_refused_for_bad_input_and_outsiders(org):
    demand = need(org)
    factories.city_level(org.manager_north)
    before = CatalogueItem.objects.count()
    for kwargs, code in (({}, "item_required"),
                         ({"new_item": {"tier": "nope", "name_zh": "x"}}, "bad_tier"),
                         ({"new_item": {"tier": "inclusive", "name_zh": " "}}, "required")):
        with pytest.raises(DomainError) as refused:
            services.demand_triage(demand=demand, actor=org.manager_north, **kwargs)
        assert refused.value.code == code
    with pytest.raises(DomainError) as outsider:
        services.demand_triage(demand=demand, actor=org.manager_south,
                               item=catalogue_item("shop_management"))
    assert outsider.value.status_code == 404
    with pytest.raises(DomainError) as retailer:
        services.demand_triage(demand=demand, actor=org.retailer_north.user,
                               new_item={"tier": "inclusive", "name_zh": "x"})
    assert retailer.value.status_code == 403
    assert CatalogueItem.objects.count() == before
    assert Demand.objects.get(pk=demand.pk).triaged_at is None


def test_merge_duplicates(org):
    first, second = need(org), need(org)
    merged = services.demand_merge(demand=second, into=first, actor=org.manager_north,
                                   reason="重复提交")
    assert merged.status == DemandStatus.CLOSED and merged.merged_into == first
    with pytest.raises(DomainError) as self_merge:
        services.demand_merge(demand=first, into=first, actor=org.manager_north)
    assert self_merge.value.code == "bad_merge_target"
    foreign = need(org, retailer=org.retailer_south)
    with pytest.raises(DomainError) as outside:
        services.demand_merge(demand=first, into=foreign, actor=org.manager_north)
    assert outside.value.status_code == 404
    assert Demand.objects.get(pk=first.pk).status == DemandStatus.SUBMITTED


def test_shares_of_personalised_and_self_submitted(org):
    need(org)
    need(org, "第二个需求")
    services.demand_order(retailer=org.retailer_north, item=catalogue_item(),
                          actor=org.retailer_north.user, segment="basic", now=MONDAY_9)
    services.demand_order(retailer=org.retailer_north2, item=catalogue_item(),
                          actor=org.manager_north, segment="basic", now=MONDAY_9)
    need(org, retailer=org.retailer_south)  # another district: not in the north share
    shares = selectors.demand_shares(user=org.manager_north)
    assert shares["total"] == 4 and shares["personalised"] == 2
    assert shares["personalised_share"] == 0.5 and shares["self_submitted_share"] == 0.75
    assert selectors.demand_shares(user=org.admin)["total"] == 5


def test_triage_page(org):
    demand = need(org)
    client = login(org.manager_north)
    page = client.get("/dashboard/demands/triage/").content.decode()
    assert "想学抖音直播卖货" in page and "Personalised-need share" in page
    item = CatalogueItem.objects.get(code="digital_tools")
    empty = client.post(f"/dashboard/demands/{demand.pk}/triage/", {})
    assert empty.status_code == 302 and Demand.objects.get(pk=demand.pk).triaged_at is None
    done = client.post(f"/dashboard/demands/{demand.pk}/triage/", {"item": item.pk})
    assert done.status_code == 302 and Demand.objects.get(pk=demand.pk).item == item
    other = login(org.manager_south)
    assert other.post(f"/dashboard/demands/{demand.pk}/triage/",
                      {"item": item.pk}).status_code == 404
    assert Client().get("/dashboard/demands/triage/").status_code == 302
