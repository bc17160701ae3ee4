"""An owner's ID number is stored only under recorded consent, masked, and erased on
withdrawal or at the retention purge."""

import pytest

from tests.accounts.test_imports import HEADER, csv_bytes
from zhifu.accounts import services
from zhifu.accounts.imports import retailer_import
from zhifu.accounts.models import ConsentRecord, Retailer
from zhifu.core.errors import DomainError, PermissionDenied

VALID_ID = "11010519491231002X"  # the GB 11643 standard's own example number


def test_id_number_needs_consent_and_a_valid_check_digit(org):
    shop = org.retailer_north
    with pytest.raises(DomainError) as no_consent:
        services.retailer_id_number_set(retailer=shop, id_number=VALID_ID,
                                        actor=org.manager_north)
    assert no_consent.value.code == "consent_required"
    with pytest.raises(DomainError) as bad:
        services.retailer_id_number_set(retailer=shop, id_number="110105194912310021",
                                        actor=org.manager_north, consent_how="签字同意书")
    assert bad.value.code == "bad_id_number"
    assert Retailer.objects.get(pk=shop.pk).owner_id_number == ""
    assert not ConsentRecord.objects.exists()
    services.retailer_id_number_set(retailer=shop, id_number=VALID_ID.lower(),
                                    actor=org.manager_north, consent_how="签字同意书")
    assert Retailer.objects.get(pk=shop.pk).owner_id_number == VALID_ID
    record = ConsentRecord.objects.get()
    assert record.recorded_by == org.manager_north and record.withdrawn_at is None


def test_withdrawal_erases_the_number(org):
    shop = org.retailer_north
    services.retailer_id_number_set(retailer=shop, id_number=VALID_ID,
                                    actor=org.manager_north, consent_how="签字同意书")
    services.retailer_consent_withdraw(retailer=shop, actor=org.manager_north)
    assert Retailer.objects.get(pk=shop.pk).owner_id_number == ""
    assert ConsentRecord.objects.get().withdrawn_at is not None
    with pytest.raises(DomainError):  # no consent in force any more
        services.retailer_id_number_set(retailer=shop, id_number=VALID_ID,
                                        actor=org.manager_north)


def test_only_the_shops_managers_may_record_it(org):
    with pytest.raises(PermissionDenied):
        services.retailer_id_number_set(retailer=org.retailer_north, id_number=VALID_ID,
                                        actor=org.manager_south, consent_how="x")
    with pytest.raises(PermissionDenied):
        services.retailer_id_number_set(retailer=org.retailer_north, id_number=VALID_ID,
                                        actor=org.specialist_north.user, consent_how="x")


def test_import_stores_ids_only_with_consent(org):
    header = HEADER.strip() + ",身份证号,身份证号采集同意\n"
    good = ("440599000001,陈记便利店,陈伟,13800001111,,23.37,116.70,N1,,12,城网,便利店,"
            f",{VALID_ID},2026-11 签字同意书")
    missing = ("440599000002,林记食杂店,林芳,13800002222,,23.38,116.71,N1,,5,城网,便利店,"
               f",{VALID_ID},")
    report = retailer_import(actor=None,
                             content=csv_bytes(good, missing, header=header), filename="r.csv",
                             commit=True)
    assert [(e.line, e.column) for e in report.errors] == [(3, "id_consent")]
    assert Retailer.objects.get(licence_no="440599000001").owner_id_number == VALID_ID
    assert not Retailer.objects.filter(licence_no="440599000002").exists()
    assert ConsentRecord.objects.count() == 1
    again = retailer_import(actor=None, content=csv_bytes(good, header=header), filename="r.csv",
                            commit=True)
    assert (again.updated, again.unchanged, ConsentRecord.objects.count()) == (0, 1, 1)


def test_the_number_is_never_exported(org):
    from zhifu.accounts.imports import retailer_export

    services.retailer_id_number_set(retailer=org.retailer_north, id_number=VALID_ID,
                                    actor=org.manager_north, consent_how="签字同意书")
    content = retailer_export(retailers=Retailer.objects.all(), user=org.admin, fmt="csv")
    assert VALID_ID.encode() not in content and "身份证".encode() not in content
