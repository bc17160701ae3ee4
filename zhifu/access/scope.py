"""A user's scope: computed once per user object and read by every rule."""

from __future__ import annotations

from dataclasses import dataclass

from zhifu.accounts.choices import Role

ADMIN = "admin"
MANAGER = "manager"
SPECIALIST = "specialist"
RETAILER = "retailer"
NOBODY = ""

_CACHE_ATTRIBUTE = "_access_scope"


@dataclass(frozen=True)
class Scope:
    """What the rules need to know about the asking user.

    ``district_ids`` are the districts a manager manages or a specialist serves (its home
    district and those assigned); a retailer's is its own shop's district.
    """

    role: str
    user_id: int | None = None
    district_ids: frozenset[int] = frozenset()
    retailer_id: int | None = None
    specialist_id: int | None = None
    manager_level: str = ""

    @property
    def everything(self) -> bool:
        return self.role == ADMIN


NO_SCOPE = Scope(role=NOBODY)


def _compute(user) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    if user.is_superuser or user.role == Role.ADMIN:
        return Scope(role=ADMIN, user_id=user.pk)
    if user.role == Role.MANAGER:
        return Scope(role=MANAGER, user_id=user.pk, manager_level=user.manager_level or "",
                     district_ids=frozenset(
                         user.managed_districts.values_list("id", flat=True)))
    if user.role == Role.SPECIALIST and hasattr(user, "specialist"):
        specialist = user.specialist
        served = set(specialist.districts.values_list("id", flat=True))
        served.add(specialist.home_district_id)
        return Scope(role=SPECIALIST, user_id=user.pk, specialist_id=specialist.pk,
                     district_ids=frozenset(served))
    if user.role == Role.RETAILER and hasattr(user, "retailer"):
        retailer = user.retailer
        return Scope(role=RETAILER, user_id=user.pk, retailer_id=retailer.pk,
                     district_ids=frozenset({retailer.district_id}))
    return NO_SCOPE


def scope_of(user) -> Scope:
    """The user's scope, computed on first use and kept on the user object (one request)."""
    if user is None:
        return NO_SCOPE
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = _compute(user)
        try:
            setattr(user, _CACHE_ATTRIBUTE, cached)
        except AttributeError:  # AnonymousUser and friends may refuse attributes
            pass
    return cached


def forget_scope(user) -> None:
    """Drop the cached scope (after the user's districts or role changed)."""
    if user is not None and hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)
