"""Who acts on a demand: the role of an actor as the lifecycle sees it."""

from __future__ import annotations

from zhifu.accounts.choices import ManagerLevel
from zhifu.accounts.policies import is_admin, is_manager, is_retailer, is_specialist

SYSTEM = "system"
RETAILER = "retailer"
SPECIALIST = "specialist"
MANAGER = "manager"
ADMIN = "admin"

LEVEL_RANK = {ManagerLevel.DISTRICT_LEAD: 1, ManagerLevel.CITY_DEPARTMENT: 2,
              ManagerLevel.LEADERSHIP: 3}


def actor_role(user) -> str:
    """The lifecycle role of a user; ``None`` (a background job) is the system."""
    if user is None:
        return SYSTEM
    if is_admin(user):
        return ADMIN
    if is_manager(user):
        return MANAGER
    if is_specialist(user):
        return SPECIALIST
    if is_retailer(user):
        return RETAILER
    return ""


def manages(user, demand) -> bool:
    return user.managed_districts.filter(pk=demand.district_id).exists()


def serves(user, demand) -> bool:
    """The specialist is assigned, or works the demand's district and it is unassigned."""
    specialist = user.specialist
    if demand.assignee_id is not None:
        return demand.assignee_id == specialist.pk
    return (specialist.home_district_id == demand.district_id
            or specialist.districts.filter(pk=demand.district_id).exists())


def owns(user, demand) -> bool:
    return demand.retailer_id == user.retailer.pk


def may_act_on(user, role: str, demand) -> bool:
    """Whether this user may touch this demand at all (before the transition's own rules)."""
    if role in (SYSTEM, ADMIN):
        return True
    if role == MANAGER:
        return manages(user, demand)
    if role == SPECIALIST:
        return serves(user, demand)
    if role == RETAILER:
        return owns(user, demand)
    return False


def may_approve(user, level: str) -> bool:
    """A manager signs off at their own level or above; admins always."""
    if is_admin(user):
        return True
    if not is_manager(user) or not user.manager_level:
        return False
    return LEVEL_RANK.get(user.manager_level, 0) >= LEVEL_RANK.get(level, 0)
