"""Phone numbers are masked in every page, API response, export and log line,
unless the user holds the explicit permission."""

import io
import logging

import pandas as pd
from django.contrib.auth.models import Permission
from django.test import Client

from tests.conftest import login_api
from zhifu.core.masking import mask_id_number, mask_phone, mask_text


def test_mask_functions():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0754-88881234") == "075*****1234"
    assert mask_phone("") == ""
    assert mask_id_number("440507199001011234") == "4405**********1234"
    assert mask_text("call 13812345678 or +86 13912345678, id 44050719900101123X") == (
        "call 138****5678 or 139****5678, id 4405**********123X")


def test_api_masks_phone(org, api):
    login_api(api, org.manager_north)
    body = api.get(f"/api/v1/retailers/{org.retailer_north.id}/").content.decode()
    assert org.retailer_north.phone not in body
    assert mask_phone(org.retailer_north.phone) in body
    me = api.get("/api/v1/specialists/").content.decode()
    assert org.specialist_north.user.phone not in me


def test_specialist_does_not_see_its_own_number_whole_either(org, api):
    login_api(api, org.specialist_north.user)
    assert org.specialist_north.user.phone not in api.get("/api/v1/me/").content.decode()


def test_pages_mask_phone(org):
    client = Client()
    client.force_login(org.manager_north)
    for url in ["/dashboard/retailers/", "/dashboard/specialists/"]:
        page = client.get(url).content.decode()
        assert org.retailer_north.phone not in page
        assert org.specialist_north.user.phone not in page
    client.force_login(org.retailer_north.user)
    assert org.retailer_north.phone not in client.get("/m/").content.decode()
    client.force_login(org.specialist_north.user)
    assert org.specialist_north.user.phone not in client.get("/s/").content.decode()


def test_exports_mask_phone(org):
    client = Client()
    client.force_login(org.manager_north)
    csv_body = client.get("/dashboard/retailers/?export=csv").content.decode("utf-8-sig")
    assert org.retailer_north.phone not in csv_body and "****" in csv_body
    xlsx = client.get("/dashboard/specialists/?export=xlsx")
    frame = pd.read_excel(io.BytesIO(xlsx.content), dtype=str)
    assert org.specialist_north.user.phone not in frame.to_string()


def test_explicit_permission_unmasks(org, api):
    org.manager_north.user_permissions.add(
        Permission.objects.get(codename="view_unmasked_personal_data"))
    login_api(api, org.manager_north)
    body = api.get(f"/api/v1/retailers/{org.retailer_north.id}/").json()
    assert body["phone"] == org.retailer_north.phone


def test_log_lines_are_masked(caplog):
    from zhifu.core.logging import MaskPersonalDataFilter

    logger = logging.getLogger("zhifu.test.masking")
    handler_filter = MaskPersonalDataFilter()
    record = logger.makeRecord("x", logging.INFO, __file__, 1,
                               "retailer %s called from %s", ("13812345678", "0754"), None)
    handler_filter.filter(record)
    assert record.getMessage() == "retailer 138****5678 called from 0754"


def test_logging_config_masks_console_output(capsys, settings):
    import logging.config

    logging.config.dictConfig(settings.LOGGING)
    logging.getLogger("zhifu.anything").warning("phone 13812345678 id 440507199001011234")
    err = capsys.readouterr().err
    assert "13812345678" not in err and "440507199001011234" not in err
    assert "138****5678" in err
