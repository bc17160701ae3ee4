"""Configuration history: each edit page says who changed what, from what to what."""

from django.test import Client

from demands.models import CatalogueItem
from profiling.models import Dimension
from strategy.models import StrategyRule
from tests import factories
from zhifu.accounts.models import Skill
from zhifu.core.history import change_history


def _client(user, language="zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def _catalogue_form(item, **changes) -> dict:
    data = {"name_zh": item.name_zh, "name_en": item.name_en,
            "response_hours": item.response_hours, "resolution_hours": item.resolution_hours,
            "service_minutes": item.service_minutes, "impact_scope": item.impact_scope,
            "compliance_risk": item.compliance_risk,
            "capacity_pressure": item.capacity_pressure, "active": "on",
            "checklist": "\n".join(item.checklist),
            "skills": [s.pk for s in item.skills.all()]}
    data.update(changes)
    return data


def test_a_catalogue_edit_and_its_skills_are_one_entry_on_the_edit_page(org):
    item = CatalogueItem.objects.get(code="shop_management")
    city = factories.city_level(org.manager_north)
    client = _client(city)
    before = client.get(f"/dashboard/catalogue/{item.pk}/").content.decode()
    # The migration recorded what the catalogue was before anyone edited it.
    assert "修改记录" in before and "创建" in before

    new_skill = Skill.objects.exclude(pk__in=item.skills.values("pk")).first()
    old_hours = item.response_hours
    form = _catalogue_form(item, response_hours=old_hours + 2,
                           skills=[new_skill.pk, *[s.pk for s in item.skills.all()]])
    assert client.post(f"/dashboard/catalogue/{item.pk}/", form).status_code == 302

    entries = change_history(item)
    assert [entry.kind for entry in entries] == ["changed", "created"]
    latest = entries[0]
    assert latest.who == city.display_name
    labels = {change.label: change for change in latest.changes}
    assert set(labels) == {"响应时限（工作小时）", "所需技能"}
    assert (labels["响应时限（工作小时）"].old,
            labels["响应时限（工作小时）"].new) == (str(old_hours), str(old_hours + 2))
    assert new_skill.name not in labels["所需技能"].old
    assert new_skill.name in labels["所需技能"].new

    page = client.get(f"/dashboard/catalogue/{item.pk}/").content.decode()
    assert city.display_name in page and f"{old_hours} → {old_hours + 2}" in page

    # Saving the same form again changes nothing a person sees: no new line.
    client.post(f"/dashboard/catalogue/{item.pk}/", form)
    assert len(change_history(item)) == 2


def test_a_rule_edit_shows_its_history_but_not_what_the_feedback_loop_learns(org):
    rule = StrategyRule.objects.get(code="weak-data")
    city = factories.city_level(org.manager_north)
    client = _client(city)
    assert client.post(f"/dashboard/strategy/rules/{rule.pk}/", {
        "code": rule.code, "name": "数据弱", "condition": "weak_dimension", "reason": "r",
        "priority": 99, "parameter": "data_operations", "active": "on"}).status_code == 302
    rule.refresh_from_db()
    rule.learned_adjustment = 0.25
    rule.save()

    entries = change_history(rule)
    assert [entry.kind for entry in entries] == ["changed", "created"]
    changed = {change.label for change in entries[0].changes}
    assert "优先级" in changed and "学习调整值" not in changed
    page = client.get(f"/dashboard/strategy/rules/{rule.pk}/").content.decode()
    assert "修改记录" in page and "60 → 99" in page


def test_the_profile_rules_page_lists_recent_changes_across_dimensions(org):
    dimension = Dimension.objects.order_by("position").first()
    city = factories.city_level(org.manager_north)
    client = _client(city)
    assert client.post(f"/dashboard/profiles/rules/dimensions/{dimension.pk}/", {
        "weight": 3, "strength_threshold": dimension.strength_threshold,
        "weakness_threshold": dimension.weakness_threshold,
        "peer_margin": dimension.peer_margin}).status_code == 302
    page = client.get("/dashboard/profiles/rules/").content.decode()
    assert "修改记录" in page and dimension.name in page
    assert f"{dimension.weight} → 3.0" in page
    # The same words in English for an English reader.
    english = _client(city, "en").get("/dashboard/profiles/rules/").content.decode()
    assert "Change history" in english


def test_the_admin_shows_the_history_of_a_setting(org):
    item = CatalogueItem.objects.get(code="shop_management")
    page = _client(org.admin).get(f"/admin/demands/catalogueitem/{item.pk}/history/")
    assert page.status_code == 200
