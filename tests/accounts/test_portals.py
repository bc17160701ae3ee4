"""Each role lands on its own portal and is refused everywhere else."""

import pytest
from django.test import Client

from tests import factories

PORTALS = {
    "retailer": "/m/",
    "specialist": "/s/",
    "manager": "/dashboard/",
    "admin": "/admin/",
}
MANAGER_PAGES = ["/dashboard/", "/dashboard/retailers/", "/dashboard/specialists/"]


def _users(org):
    return {
        "retailer": org.retailer_north.user,
        "specialist": org.specialist_north.user,
        "manager": org.manager_north,
        "admin": org.admin,
    }


def _login(user) -> Client:
    client = Client()
    response = client.post("/login/", {"username": user.username,
                                       "password": factories.PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client


@pytest.mark.parametrize("role", list(PORTALS))
def test_each_role_lands_on_its_own_portal(org, role):
    client = _login(_users(org)[role])
    response = client.get("/", follow=False)
    assert response.status_code == 302
    assert response["Location"] == PORTALS[role]
    assert client.get(PORTALS[role]).status_code == 200


@pytest.mark.parametrize("role", ["retailer", "specialist", "manager"])
def test_other_portals_are_refused(org, role):
    client = _login(_users(org)[role])
    for other_role, url in PORTALS.items():
        if other_role == role or (role == "manager" and other_role == "admin"):
            continue
        response = client.get(url)
        if url == "/admin/":
            # Django admin sends non-staff users to its own login page instead of a 403.
            assert response.status_code == 302 and "/admin/login/" in response["Location"]
        else:
            assert response.status_code == 403, (role, url)
    if role != "manager":
        for url in MANAGER_PAGES:
            assert client.get(url).status_code == 403


def test_manager_is_kept_out_of_admin(org):
    client = _login(org.manager_north)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_anonymous_users_are_sent_to_login(db):
    client = Client()
    for url in ["/", "/m/", "/s/", *MANAGER_PAGES]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_wrong_password_gets_a_clear_message_in_chinese(org):
    response = Client().post("/login/", {"username": org.manager_north.username,
                                         "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_wrong_password_message_in_english_when_asked(org):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/login/", {"username": org.manager_north.username, "password": "wrong"})
    assert "Wrong username or password" in response.content.decode()


def test_inactive_user_cannot_log_in(org):
    org.manager_north.is_active = False
    org.manager_north.save()
    response = Client().post("/login/", {"username": org.manager_north.username,
                                         "password": factories.PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in Client().session


def test_logout_is_post_only_and_ends_the_session(org):
    client = _login(org.manager_north)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_manager_sees_only_managed_districts(org):
    client = _login(org.manager_north)
    page = client.get("/dashboard/retailers/").content.decode()
    assert org.retailer_north.licence_no in page
    assert org.retailer_south.licence_no not in page
    overview = client.get("/dashboard/").content.decode()
    assert org.north.name in overview and org.south.name not in overview
    specialists = client.get("/dashboard/specialists/").content.decode()
    assert org.specialist_north.employee_no in specialists
    assert org.specialist_south.employee_no not in specialists


def test_retailer_home_shows_own_shop_only(org):
    client = _login(org.retailer_north.user)
    page = client.get("/m/").content.decode()
    assert org.retailer_north.licence_no in page
    assert org.retailer_north2.licence_no not in page


def test_pages_render_in_both_languages(org):
    client = _login(org.manager_north)
    assert "片区" in client.get("/dashboard/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/dashboard/"})
    assert "Overview of my districts" in client.get("/dashboard/").content.decode()
