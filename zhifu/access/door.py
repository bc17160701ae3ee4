"""``restrict`` and ``access``: the only ways a scoped row reaches a user."""

from __future__ import annotations

from typing import Any, TypeVar

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext as _

from zhifu.accounts.choices import Role
from zhifu.core.errors import NotFound

from .rules import ACTIONS, CHANGE, CLAIM, NONE, RULES, VIEW
from .scope import scope_of

M = TypeVar("M", bound=Model)

__all__ = ["CHANGE", "CLAIM", "VIEW", "access", "district_staff", "restrict",
           "visible_district_ids", "WriteScope"]


def restrict(source: type[M] | QuerySet[M], user, action: str = VIEW) -> QuerySet[M]:
    """``source`` narrowed to the rows ``user`` may ``view`` or ``change``.

    A model without a rule is a programming error, not an open door."""
    queryset = source if isinstance(source, QuerySet) else source._default_manager.all()
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    scope = scope_of(user)
    if scope.everything:
        return queryset
    label = queryset.model._meta.label
    try:
        rule = RULES[label]
    except KeyError as exc:
        raise LookupError(f"no access rule for {label}") from exc
    if not scope.role:
        return queryset.none()
    condition = rule(scope, action)
    if condition == NONE:
        return queryset.none()
    return queryset.filter(condition)


def access(source: type[M] | QuerySet[M], user, pk: Any, action: str = VIEW, *,
           message: Any = None) -> M:
    """The one object ``pk`` if ``user`` may ``view``/``change`` it, else ``NotFound``.

    Another district's object answers exactly like a missing one, so ids cannot be probed.
    """
    try:
        found = restrict(source, user, action).filter(pk=pk).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound(message or _("Not found."))
    return found


def visible_district_ids(user) -> frozenset[int] | None:
    """The districts a user's scope covers; ``None`` means every district (admin)."""
    scope = scope_of(user)
    return None if scope.everything else scope.district_ids


def district_staff(district_id: int, *, managers: bool = True, specialists: bool = True,
                   level: str | None = None) -> QuerySet:
    """The people whose scope covers a district: its managers (at ``level`` if given) and
    the specialists who serve it. The inverse of a scope: who is told, who may handle."""
    condition = Q(pk__in=[])
    if managers:
        manager = Q(role=Role.MANAGER, managed_districts__id=district_id)
        if level:
            manager &= Q(manager_level=level)
        condition |= manager
    if specialists:
        condition |= Q(role=Role.SPECIALIST) & (Q(specialist__home_district_id=district_id)
                                                | Q(specialist__districts__id=district_id))
    user_model = get_user_model()
    ids = user_model.objects.filter(condition, is_active=True).values("pk")
    return user_model.objects.filter(pk__in=ids)


class WriteScope:
    """What one bulk write (an import) on ``actor``'s behalf may touch: the existing rows it
    may change, and the districts it may put rows in. ``actor=None`` is the operator at the
    console (a management command run without ``--as``), who may write everything."""

    def __init__(self, model: type[Model], actor) -> None:
        self.model = model
        self.actor = actor
        self.everything = actor is None or scope_of(actor).everything
        self._districts: frozenset[int] | None = None

    def changeable(self, pks) -> set:
        """Those of ``pks`` (existing rows of the model) the actor may change."""
        wanted = {pk for pk in pks if pk is not None}
        if self.everything or not wanted:
            return wanted
        return set(restrict(self.model, self.actor, CHANGE).filter(pk__in=wanted)
                   .values_list("pk", flat=True))

    def may_place(self, district_id: int | None) -> bool:
        """Whether a row may be put in (or moved to) this district."""
        if self.everything or district_id is None:
            return True
        if self._districts is None:
            self._districts = frozenset(restrict(apps.get_model("accounts.District"),
                                                 self.actor, CHANGE)
                                        .values_list("pk", flat=True))
        return district_id in self._districts
