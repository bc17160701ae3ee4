"""Configuration history: who changed a setting, when, and from what to what.

The settings managers edit (catalogue items, band templates, strategy rules, profile
dimensions and indicators, the working calendar, evaluation settings and points rules)
carry ``history = HistoricalRecords(...)`` from django-simple-history, which writes one row
per save with the user of the request (``HistoryRequestMiddleware``). This module turns
those rows into what an edit page shows: entries of readable field changes.

A form save writes the row and then its many-to-many fields, which the library records as
a second row a moment later; rows of one user within ``SAME_SAVE_SECONDS`` are one entry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

SAME_SAVE_SECONDS = 2
EMPTY = "—"
# Columns of every history row that are bookkeeping, never a change a person made.
_BOOKKEEPING = {"history_id", "history_date", "history_change_reason", "history_type",
                "history_user", "history_user_id", "updated_at"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    kind: str  # "created", "changed" or "deleted"
    object_label: str
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return {"created": _("created"), "changed": _("changed"),
                "deleted": _("deleted")}[self.kind]


_KINDS = {"+": "created", "~": "changed", "-": "deleted"}


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return _("system")
    return getattr(user, "display_name", "") or user.get_username()


def _m2m_targets(model: type[models.Model], name: str, rows) -> str:
    """The related objects of one many-to-many snapshot, by name."""
    relation = model._meta.get_field(name)
    target = relation.related_model
    column = relation.m2m_reverse_field_name()
    ids = [row.get(column) for row in rows or []]
    names = {obj.pk: str(obj) for obj in target.objects.filter(pk__in=[i for i in ids if i])}
    shown = [names.get(i, f"#{i}") for i in ids if i]
    return "、".join(sorted(shown)) or EMPTY


def _readable(model: type[models.Model], name: str, value) -> str:
    model_field = model._meta.get_field(name)
    if model_field.many_to_many:
        return _m2m_targets(model, name, value)
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("yes") if value else _("no")
    if model_field.is_relation:
        target = model_field.related_model.objects.filter(pk=value).first()
        return str(target) if target is not None else f"#{value}"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _label(model: type[models.Model], name: str) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


def _changes(model, before, after) -> list[FieldChange]:
    """Readable changes from one history row to a later one (``before`` None: created)."""
    if before is None:
        return []
    delta = after.diff_against(before, foreign_keys_are_objs=False)
    changes = []
    for change in delta.changes:
        if change.field in _BOOKKEEPING:
            continue
        old = _readable(model, change.field, change.old)
        new = _readable(model, change.field, change.new)
        if old != new:
            changes.append(FieldChange(_label(model, change.field), old, new))
    return changes


def _group(records: list) -> list[list]:
    """Rows oldest first, grouped so that one save and its many-to-many update are one."""
    groups: list[list] = []
    window = timedelta(seconds=SAME_SAVE_SECONDS)
    for record in records:
        last = groups[-1][-1] if groups else None
        if (last is not None and record.history_type == "~"
                and last.history_type != "-"
                and record.history_user_id == last.history_user_id
                and record.history_date - last.history_date <= window):
            groups[-1].append(record)
        else:
            groups.append([record])
    return groups


def _entries(model, records: list) -> list[HistoryEntry]:
    """History entries of one object, newest first, from its rows oldest first."""
    entries = []
    previous = None
    for group in _group(records):
        first, last = group[0], group[-1]
        entries.append(HistoryEntry(
            when=last.history_date, who=_who(first), kind=_KINDS[first.history_type],
            object_label=str(last.instance), changes=_changes(model, previous, last)))
        previous = last
    entries.reverse()
    # A save that changed nothing a person sees (a re-save) is not worth a line.
    return [entry for entry in entries if entry.kind != "changed" or entry.changes]


def change_history(instance: models.Model, limit: int = 20) -> list[HistoryEntry]:
    """What happened to one setting, newest first."""
    model = type(instance)
    records = list(instance.history.select_related("history_user")
                   .order_by("history_date", "history_id"))
    return _entries(model, records)[:limit]


def recent_changes(*model_classes: type[models.Model], limit: int = 20) -> list[HistoryEntry]:
    """The latest changes across several kinds of setting, newest first."""
    found = []
    for model in model_classes:
        latest = (model.history.select_related("history_user")
                  .order_by("-history_date", "-history_id")[: limit * 3])
        ids = {record.id for record in latest}
        records = (model.history.filter(id__in=ids).select_related("history_user")
                   .order_by("id", "history_date", "history_id"))
        by_object: dict[int, list] = {}
        for record in records:
            by_object.setdefault(record.id, []).append(record)
        for rows in by_object.values():
            found.extend(_entries(model, rows))
    entries = sorted(found, key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


def record_baseline(apps, app_label: str, names: list[str]) -> None:
    """Migration step: the first history row of every setting that existed before its
    history did, so the first edit shows what it changed."""
    now = timezone.now()
    for name in names:
        model = apps.get_model(app_label, name)
        historical = apps.get_model(app_label, f"Historical{name}")
        m2m = [f for f in model._meta.many_to_many
               if _has_model(apps, app_label, f"Historical{name}_{f.name}")]
        copied = [f.attname for f in historical._meta.concrete_fields
                  if not f.name.startswith("history_") and f.name != "m2m_history_id"
                  and hasattr(model, f.attname)]
        for row in model.objects.all():
            if historical.objects.filter(id=row.pk).exists():
                continue
            record = historical.objects.create(
                history_date=now, history_type="+", history_change_reason="baseline",
                **{attname: getattr(row, attname) for attname in copied})
            for relation in m2m:
                through = apps.get_model(app_label, f"Historical{name}_{relation.name}")
                source = relation.m2m_field_name()
                target = relation.m2m_reverse_field_name()
                links = relation.remote_field.through.objects.filter(**{source: row})
                through.objects.bulk_create([
                    through(history=record, id=link.pk, **{
                        f"{source}_id": row.pk,
                        f"{target}_id": getattr(link, f"{target}_id")})
                    for link in links])


def _has_model(apps, app_label: str, name: str) -> bool:
    try:
        apps.get_model(app_label, name)
    except LookupError:
        return False
    return True
