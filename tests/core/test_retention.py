"""The retention purge: closed shops anonymised across their history, old rows gone."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from zhifu.accounts.models import Retailer, User
from zhifu.core.models import PersonalDataAccess
from zhifu.core.retention import REDACTED, personal_data_purge


def _age(model, pk, field, days):
    model.objects.filter(pk=pk).update(**{field: timezone.now() - dt.timedelta(days=days)})


def test_a_long_closed_shop_is_anonymised_with_its_history(org):
    from demands import services as demand_services
    from demands.models import CatalogueItem, Demand, DemandEvent

    shop = org.retailer_south
    item = CatalogueItem.objects.filter(active=True).first()
    demand = demand_services.demand_order(retailer=shop, item=item, actor=shop.user,
                                          note="联系我 13800001234", segment="basic")
    demand_services.demand_cancel(demand=demand, actor=shop.user, reason="电话 13800001234")
    login = shop.user_id
    Retailer.objects.filter(pk=shop.pk).update(status="closed",
                                               owner_id_number="11010519491231002X")
    _age(Retailer, shop.pk, "updated_at", 4 * 365)
    keep = org.retailer_north  # open: untouched
    result = personal_data_purge()
    assert result["shops_anonymised"] == 1
    shop.refresh_from_db()
    assert (shop.owner_name, shop.phone, shop.address, shop.user_id) == (REDACTED, "", "", None)
    assert shop.owner_id_number == ""
    assert not User.objects.filter(pk=login).exists()
    assert Demand.objects.get(pk=demand.pk).description == ""
    assert not DemandEvent.objects.filter(demand=demand).exclude(reason="").exists()
    assert Demand.objects.get(pk=demand.pk).status == "cancelled"  # statistics stay
    keep.refresh_from_db()
    assert keep.owner_name != REDACTED and keep.phone
    assert personal_data_purge()["shops_anonymised"] == 0  # twice changes nothing more


def test_recently_closed_shops_are_kept(org):
    Retailer.objects.filter(pk=org.retailer_south.pk).update(status="closed")
    assert personal_data_purge()["shops_anonymised"] == 0
    org.retailer_south.refresh_from_db()
    assert org.retailer_south.owner_name != REDACTED


def test_old_notifications_and_audit_rows_go(org, capsys):
    from zhifu.notifications.services import notify

    old, new = notify(recipients=[org.manager_north, org.manager_south], kind="t", title="x")
    _age(type(old), old.pk, "created_at", 400)
    audit = PersonalDataAccess.objects.create(user=org.admin, masked_value="138****0000",
                                              where="/x/")
    _age(PersonalDataAccess, audit.pk, "at", 4 * 365)
    call_command("purge_personal_data")
    out = capsys.readouterr().out
    assert "notifications: 1" in out and "audit_rows: 1" in out
    assert type(old).objects.filter(pk=new.pk).exists()
