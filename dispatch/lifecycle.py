"""The lifecycle of a service task as one table: which action a role may take from
which state, where it leads and what it needs.

    open ─(run)→ assigned ─accept→ accepted ─start→ in_progress ─complete→ done
    offered ─claim→ accepted      any working state ─exception→ back to its pool
    unstarted ─cancel (manager)→ cancelled     unstarted ─reassign (manager)→ assigned

The services in ``dispatch.services.field`` check every action against this table,
and the phone (``allowed_actions`` on each task in the API) and the manager's board
read it to offer only what can succeed. A rule about states lives here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhifu.accounts.policies import is_specialist
from zhifu.core.errors import Conflict

from .choices import MOVABLE, PINNED, DispatchMode, TaskStatus

SPECIALIST = "specialist"
MANAGER = "manager"
POOL = "pool"  # back to where unplanned work waits: the open pool in grab mode, else open
SAME = "same"  # the action keeps the state


@dataclass(frozen=True)
class TaskAction:
    verb: Any
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    requires: tuple[str, ...] = ()  # the request fields the action needs


WORKING = (TaskStatus.ASSIGNED, TaskStatus.ACCEPTED, TaskStatus.IN_PROGRESS)
TASK_ACTIONS: dict[str, TaskAction] = {
    "accept": TaskAction(gettext_lazy("Accept"), (TaskStatus.ASSIGNED,), TaskStatus.ACCEPTED,
                         frozenset({SPECIALIST})),
    "claim": TaskAction(gettext_lazy("Take this task"), (TaskStatus.OFFERED,),
                        TaskStatus.ACCEPTED, frozenset({SPECIALIST})),
    "on_the_way": TaskAction(gettext_lazy("On my way"), (TaskStatus.ASSIGNED, TaskStatus.ACCEPTED),
                             SAME, frozenset({SPECIALIST}), requires=("eta_minutes",)),
    "start": TaskAction(gettext_lazy("Check in"), (TaskStatus.ASSIGNED, TaskStatus.ACCEPTED),
                        TaskStatus.IN_PROGRESS, frozenset({SPECIALIST}),
                        requires=("latitude", "longitude")),
    "complete": TaskAction(gettext_lazy("Complete"), (TaskStatus.IN_PROGRESS,),
                           TaskStatus.DONE, frozenset({SPECIALIST}),
                           requires=("notes", "checklist_confirmed")),
    "exception": TaskAction(gettext_lazy("Report a problem"), WORKING, POOL,
                            frozenset({SPECIALIST}), requires=("kind",)),
    "reassign": TaskAction(gettext_lazy("Assign by hand"), (*MOVABLE, TaskStatus.ACCEPTED),
                           TaskStatus.ASSIGNED, frozenset({MANAGER}),
                           requires=("specialist",)),
    "cancel": TaskAction(gettext_lazy("Cancel"), (*MOVABLE, *PINNED), TaskStatus.CANCELLED,
                         frozenset({MANAGER}), requires=("reason",)),
}


def task_role(user) -> str:
    """The role a user acts in on tasks: the one who does the work, or who plans it."""
    return SPECIALIST if is_specialist(user) else MANAGER


def allowed_task_actions(*, task, role: str, mine: bool = True) -> list[str]:
    """The actions ``role`` may try on ``task`` now. For a specialist, only a pool task
    (claim) or its own work (``mine``) offers anything; the services still check."""
    names = []
    for name, action in TASK_ACTIONS.items():
        if role not in action.roles or task.status not in action.sources:
            continue
        if role == SPECIALIST and (name == "claim") == mine:
            continue
        names.append(name)
    return names


def may_from_state(task, action: str) -> bool:
    return task.status in TASK_ACTIONS[action].sources


def target_of(task, action: str) -> str:
    """The state ``action`` leads to; a task sent back goes to the pool it came from (the
    open pool in grab mode; command work waits, open, for the re-plan)."""
    target = TASK_ACTIONS[action].target
    if target == SAME:
        return task.status
    if target == POOL:
        return TaskStatus.OFFERED if task.mode == DispatchMode.GRAB else TaskStatus.OPEN
    return target


def require_state(task, action: str) -> None:
    """409 unless ``action`` may be taken from the task's state."""
    if not may_from_state(task, action):
        raise Conflict(_("This cannot be done while the task is %(status)s.")
                       % {"status": task.get_status_display()}, code="wrong_state")


# What each step on a task's history says, in the reader's language.
EVENT_LABELS = {
    "accepted": gettext_lazy("Accepted"), "claimed": gettext_lazy("Taken from the pool"),
    "on_the_way": gettext_lazy("On the way"), "started": gettext_lazy("Checked in"),
    "completed": gettext_lazy("Completed"), "exception": gettext_lazy("Problem reported"),
    "reassigned": gettext_lazy("Moved by a manager"), "cancelled": gettext_lazy("Cancelled"),
    "withdrawn": gettext_lazy("Withdrawn with its demand"),
    "planned": gettext_lazy("Planned by a run"), "freed": gettext_lazy("Freed by an absence"),
    "urgent_added": gettext_lazy("Added as urgent work"),
    "released": gettext_lazy("Left a specialist's day"),
    "rolled_over": gettext_lazy("Rolled over to the next working day"),
    "escalated": gettext_lazy("Escalated to the district lead"),
}


def require_version(task, expected: int | None) -> None:
    """409 when the caller read an older version of the task than there is now (it sent
    ``If-Match``), saying what happened since and giving the version to retry with."""
    if expected is None or expected == task.version:
        return
    since = list(task.events.filter(task_version__gt=expected).order_by("id")[:20])
    what = "、".join(dict.fromkeys(str(EVENT_LABELS.get(e.action, e.action)) for e in since))
    error = Conflict(_("This task changed since you read it (version %(yours)s, now "
                       "%(now)s): %(what)s.") % {"yours": expected, "now": task.version,
                                                 "what": what or _("updated")},
                     code="version_conflict")
    error.extra = {"version": task.version, "changes": [
        {"action": e.action, "label": str(EVENT_LABELS.get(e.action, e.action)),
         "at": e.created_at.isoformat(), "version": e.task_version} for e in since]}
    raise error
