"""Who acts on a demand: the role of an actor as the lifecycle sees it."""

from __future__ import annotations

from zhifu.access import CHANGE, restrict
from zhifu.accounts.choices import ManagerLevel
from zhifu.accounts.policies import is_admin, is_manager, is_retailer, is_specialist

from .choices import DemandStatus

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


def may_act_on(user, role: str, demand) -> bool:
    """Whether this user may touch this demand at all (before the transition's own rules):
    the door's ``change`` rule, asked for this one row."""
    if role in (SYSTEM, ADMIN):
        return True
    return restrict(type(demand), user, CHANGE).filter(pk=demand.pk).exists()


def may_approve(user, level: str) -> bool:
    """A manager signs off at their own level or above; admins always."""
    if is_admin(user):
        return True
    if not is_manager(user) or not user.manager_level:
        return False
    return LEVEL_RANK.get(user.manager_level, 0) >= LEVEL_RANK.get(level, 0)


# --- rating anonymity: one rule, read by the serializer, filters, errors and the lifecycle ---

def status_seen_by(role: str, status: str) -> str:
    """Ratings are anonymous to the specialist: not even whether (or when) a service was
    rated shows, so to a specialist "rated" reads as "completed" everywhere."""
    if role == SPECIALIST and status == DemandStatus.RATED:
        return DemandStatus.COMPLETED
    return status


def event_seen_by(role: str, action: str) -> bool:
    """The same anonymity for the timeline: a specialist never sees the rating step."""
    return not (role == SPECIALIST and action == "rate")


def statuses_seen_as(role: str, status: str) -> list[str]:
    """The real states a role sees as ``status`` (for filters): none for a state it never
    sees, several where anonymity folds them together."""
    return [real for real in DemandStatus.values if status_seen_by(role, real) == status]
