"""What a role may do that is not about rows: the one policy module.

Services call ``require(user, CAPABILITY)`` before they act, so a new page or endpoint
cannot forget a check its view never made. Rows (which shop, which demand) are the
door's business (``zhifu.access.restrict``); this module says whether the act itself
is allowed at all.
"""

from __future__ import annotations

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from zhifu.core.errors import PermissionDenied

from .scope import ADMIN, MANAGER, scope_of

CITY_LEVELS = ("city_department", "leadership")


class Capability(StrEnum):
    # City-wide settings: scoring rules and SW weights and thresholds, indicator rules, the
    # catalogue, strategy templates and rules, points rules, evaluation settings.
    EDIT_CITY_SETTINGS = "edit_city_settings"
    # City-wide background work: the profile recompute and strategy generation.
    RUN_CITY_JOBS = "run_city_jobs"
    # District work a manager does in its own districts (rows checked by the door).
    MANAGE_DISTRICT_WORK = "manage_district_work"
    # Master-data imports; every row is also checked against the door.
    IMPORT_MASTER_DATA = "import_master_data"
    # Full phone and ID numbers.
    UNMASK_PERSONAL_DATA = "unmask_personal_data"


_MESSAGES = {
    Capability.EDIT_CITY_SETTINGS: _("Only the city department changes city-wide settings."),
    Capability.RUN_CITY_JOBS: _("Only the city department starts city-wide work."),
    Capability.MANAGE_DISTRICT_WORK: _("Only managers do this."),
    Capability.IMPORT_MASTER_DATA: _("Only managers import master data."),
    Capability.UNMASK_PERSONAL_DATA: _("You may not see full personal numbers."),
}


def can(user, capability: Capability) -> bool:
    scope = scope_of(user)
    if capability == Capability.UNMASK_PERSONAL_DATA:
        return bool(scope.role and user.has_perm("accounts.view_unmasked_personal_data"))
    if scope.role == ADMIN:
        return True
    if scope.role != MANAGER:
        return False
    if capability in (Capability.EDIT_CITY_SETTINGS, Capability.RUN_CITY_JOBS):
        return scope.manager_level in CITY_LEVELS
    return capability in (Capability.MANAGE_DISTRICT_WORK, Capability.IMPORT_MASTER_DATA)


def require(user, capability: Capability) -> None:
    """Raise ``PermissionDenied`` (403, in the user's language) unless ``user`` may."""
    if not can(user, capability):
        raise PermissionDenied(_message(capability), code="not_allowed")


def _message(capability: Capability) -> str:
    # Looked up per call so the message follows the request's language.
    return str(_MESSAGES[capability])
