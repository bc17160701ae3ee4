"""Who may do what, decided on the server in one place.

Pages use ``role_required``; API views use the ``Is*`` permission classes; both
ask the same predicates.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from .choices import Role


def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role == Role.ADMIN))


def is_manager(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.MANAGER)


def is_specialist(user) -> bool:
    return bool(
        user and user.is_authenticated and user.role == Role.SPECIALIST
        and hasattr(user, "specialist")
    )


def is_retailer(user) -> bool:
    return bool(
        user and user.is_authenticated and user.role == Role.RETAILER
        and hasattr(user, "retailer")
    )


ROLE_CHECKS = {
    Role.ADMIN: is_admin,
    Role.MANAGER: is_manager,
    Role.SPECIALIST: is_specialist,
    Role.RETAILER: is_retailer,
}


def has_role(user, *roles: str) -> bool:
    return any(ROLE_CHECKS[role](user) for role in roles)


def can_view_unmasked(user) -> bool:
    """Full phone and ID numbers only for those explicitly granted it."""
    return bool(
        user and user.is_authenticated and user.is_active
        and user.has_perm("accounts.view_unmasked_personal_data")
    )


def role_required(*roles: str):
    """Page decorator: anonymous users go to login, the wrong role gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        # Read by the authorisation matrix test: every page declares who may open it.
        wrapper.allowed_roles = frozenset(roles)
        return wrapper

    return decorator


class _RolePermission(BasePermission):
    roles: tuple[str, ...] = ()

    def has_permission(self, request, view) -> bool:
        return has_role(request.user, *self.roles)


class IsSpecialist(_RolePermission):
    roles = (Role.SPECIALIST,)


class IsManagerOrAdmin(_RolePermission):
    roles = (Role.MANAGER, Role.ADMIN)


class IsStaffRole(_RolePermission):
    """Specialists, managers and admins: the roles that read other people's shops."""

    roles = (Role.SPECIALIST, Role.MANAGER, Role.ADMIN)


def phone_tabbar(user) -> str:
    """The tab bar of the phone portal this user reads its pages in (retailers and
    specialists), or ``""`` for the desk portals: messages and error pages follow it."""
    if is_retailer(user):
        return "m_tabbar.html"
    if is_specialist(user):
        return "specialist/_tabbar.html"
    return ""
