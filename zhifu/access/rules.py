"""Which rows of each scoped model a scope may see (``view``) or change (``change``).

One function per model, keyed by the model's label, so this module imports no domain
app: a rule names fields, never classes. A rule answers ``ALL``, ``NONE`` or a ``Q`` on
the model's own fields. Admins never reach a rule (they see everything).

Decisions worth knowing (docs/architecture.md, "Who sees what"):
- a manager sees and changes what lies in the districts it manages; a city-wide dispatch
  run is visible to it only if every district of the run is one of them;
- a specialist sees its own work: the tasks and demands assigned to it (and, in grab
  mode, the offered tasks of the districts it serves) and only the shops behind that
  work — not every shop of its districts;
- a retailer sees its own shop and what belongs to it;
- individual ratings are never visible to the rated specialist (only aggregates).
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.db.models import Q

from .scope import MANAGER, RETAILER, SPECIALIST, Scope

ALL = Q()
NONE = Q(pk__in=[])

VIEW = "view"
CHANGE = "change"
CLAIM = "claim"  # grab mode: a task of the pool, whatever its state now
ACTIONS = (VIEW, CHANGE, CLAIM)

Rule = Callable[[Scope, str], Q]
RULES: dict[str, Rule] = {}


def rule(*labels: str):
    def register(function: Rule) -> Rule:
        for label in labels:
            RULES[label] = function
        return function
    return register


def _in_districts(scope: Scope, path: str) -> Q:
    return Q(**{f"{path}__in": sorted(scope.district_ids)})


def _model(label: str):
    return apps.get_model(label)


def _id_field(path: str) -> str:
    """The lookup of a related row's id: ``pk`` for the row itself, else ``<path>_id``."""
    return f"{path}_id__in" if path else "pk__in"


def _specialist_work(scope: Scope, retailer_path: str) -> Q:
    """The shops behind a specialist's work: its tasks, assigned demands, planned visits.

    Subqueries rather than joins, so a shop with many tasks is still one row."""
    sid = scope.specialist_id
    lookup = _id_field(retailer_path)
    return (Q(**{lookup: _model("dispatch.ServiceTask").objects.filter(
                specialist_id=sid).values("retailer_id")})
            | Q(**{lookup: _model("demands.Demand").objects.filter(
                assignee_id=sid).values("retailer_id")})
            | Q(**{lookup: _model("strategy.PlannedVisit").objects.filter(
                specialist_id=sid).values("retailer_id")}))


def _retailer_rule(scope: Scope, action: str, path: str = "") -> Q:
    """Rows that belong to a shop (the shop itself when ``path`` is empty)."""
    field = f"{path}__" if path else ""
    if scope.role == MANAGER:
        return _in_districts(scope, f"{field}district_id")
    if scope.role == RETAILER:
        return Q(**{f"{path}_id" if path else "pk": scope.retailer_id})
    if scope.role == SPECIALIST and action == VIEW:
        return _specialist_work(scope, path)
    return NONE


def _specialist_rule(scope: Scope, action: str, path: str = "") -> Q:
    """Rows that belong to a specialist (the specialist itself when ``path`` is empty)."""
    field = f"{path}__" if path else ""
    if scope.role == MANAGER:
        home = _in_districts(scope, f"{field}home_district_id")
        if action == CHANGE:
            return home
        served = _model("accounts.Specialist").districts.through.objects.filter(
            district_id__in=sorted(scope.district_ids)).values("specialist_id")
        return home | Q(**{_id_field(path): served})
    if scope.role == SPECIALIST and action == VIEW:
        return Q(**{f"{path}_id" if path else "pk": scope.specialist_id})
    return NONE


# --- organisation -----------------------------------------------------------------------------

@rule("accounts.District")
def district_rule(scope: Scope, action: str) -> Q:
    """``change`` a district: put shops and people in it (a manager's own districts)."""
    if action == VIEW or (action == CHANGE and scope.role == MANAGER):
        return Q(pk__in=sorted(scope.district_ids))
    return NONE


@rule("accounts.Grid")
def grid_rule(scope: Scope, action: str) -> Q:
    if action != VIEW:
        return NONE
    return _in_districts(scope, "district_id")


@rule("accounts.Retailer")
def retailer_rule(scope: Scope, action: str) -> Q:
    return _retailer_rule(scope, action)


@rule("accounts.Specialist")
def specialist_rule(scope: Scope, action: str) -> Q:
    return _specialist_rule(scope, action)


@rule("accounts.User")
def user_rule(scope: Scope, action: str) -> Q:
    """People a manager may name (handlers, assignees): staff of its districts."""
    if action != VIEW:
        return Q(pk=scope.user_id)
    if scope.role == MANAGER:
        managers = _model("accounts.User").managed_districts.through.objects.filter(
            district_id__in=sorted(scope.district_ids)).values("user_id")
        return Q(pk__in=managers) | _in_districts(scope, "specialist__home_district_id")
    return Q(pk=scope.user_id)


@rule("accounts.ConsentRecord")
def consent_rule(scope: Scope, action: str) -> Q:
    return _retailer_rule(scope, action, "retailer") if scope.role == MANAGER else NONE


# --- demands ----------------------------------------------------------------------------------

def _demand_rule(scope: Scope, action: str, path: str = "") -> Q:
    field = f"{path}__" if path else ""
    if scope.role == MANAGER:
        return _in_districts(scope, f"{field}district_id")
    if scope.role == RETAILER:
        return Q(**{f"{field}retailer_id": scope.retailer_id})
    if scope.role == SPECIALIST:
        mine = Q(**{f"{field}assignee_id": scope.specialist_id})
        if action == CHANGE:  # an unassigned demand of its districts may be taken on
            return mine | (Q(**{f"{field}assignee__isnull": True})
                           & _in_districts(scope, f"{field}district_id"))
        return mine
    return NONE


@rule("demands.Demand")
def demand_rule(scope: Scope, action: str) -> Q:
    return _demand_rule(scope, action)


@rule("demands.DemandEvent", "demands.DemandEscalation")
def demand_part_rule(scope: Scope, action: str) -> Q:
    return _demand_rule(scope, action, "demand")


# --- dispatch ---------------------------------------------------------------------------------

def _task_rule(scope: Scope, action: str, path: str = "") -> Q:
    field = f"{path}__" if path else ""
    if action == CLAIM:
        if scope.role != SPECIALIST:
            return NONE
        return Q(**{f"{field}mode": "grab"}) & _in_districts(scope, f"{field}district_id")
    if scope.role == MANAGER:
        return _in_districts(scope, f"{field}district_id")
    if scope.role == SPECIALIST:
        # Grab mode: offered tasks of the districts it serves are open to it.
        return (Q(**{f"{field}specialist_id": scope.specialist_id})
                | (Q(**{f"{field}status": "offered"})
                   & _in_districts(scope, f"{field}district_id")))
    if scope.role == RETAILER and action == VIEW:
        return Q(**{f"{field}retailer_id": scope.retailer_id})
    return NONE


@rule("dispatch.ServiceTask")
def task_rule(scope: Scope, action: str) -> Q:
    return _task_rule(scope, action)


@rule("dispatch.TaskPhoto", "dispatch.TaskEvent")
def task_part_rule(scope: Scope, action: str) -> Q:
    return _task_rule(scope, action, "task")


@rule("dispatch.DispatchRun")
def run_rule(scope: Scope, action: str) -> Q:
    """A run whose districts all lie in the manager's: a city-wide run is not a lead's."""
    if scope.role != MANAGER or not scope.district_ids:
        return NONE
    managed = sorted(scope.district_ids)
    through = _model("dispatch.DispatchRun").districts.through
    return (Q(pk__in=through.objects.filter(district_id__in=managed).values("dispatchrun_id"))
            & ~Q(pk__in=through.objects.exclude(district_id__in=managed)
                 .values("dispatchrun_id")))


@rule("dispatch.DistrictSolve")
def district_solve_rule(scope: Scope, action: str) -> Q:
    return _in_districts(scope, "district_id") if scope.role == MANAGER else NONE


@rule("dispatch.SpecialistAbsence")
def absence_rule(scope: Scope, action: str) -> Q:
    return _specialist_rule(scope, action, "specialist")


# --- profiling and strategy: a shop's data ----------------------------------------------------

@rule("profiling.OrderRecord", "profiling.RawValue", "profiling.ProfileSnapshot",
      "strategy.RetailerStrategy", "strategy.RecommendationFeedback")
def shop_data_rule(scope: Scope, action: str) -> Q:
    return _retailer_rule(scope, action, "retailer")


@rule("strategy.PlannedVisit")
def planned_visit_rule(scope: Scope, action: str) -> Q:
    if scope.role == SPECIALIST:
        return Q(specialist_id=scope.specialist_id) if action == VIEW else NONE
    return _retailer_rule(scope, action, "retailer")


# --- evaluation -------------------------------------------------------------------------------

@rule("evaluation.ServiceRating")
def service_rating_rule(scope: Scope, action: str) -> Q:
    """The retailer's own ratings; the managers of the district. Never the rated person."""
    if scope.role == MANAGER and action == VIEW:
        return _in_districts(scope, "demand__district_id")
    if scope.role == RETAILER:
        return Q(retailer_id=scope.retailer_id)
    return NONE


@rule("evaluation.CoCreationRating")
def co_creation_rule(scope: Scope, action: str) -> Q:
    if scope.role == MANAGER and action == VIEW:
        return _in_districts(scope, "retailer__district_id")
    if scope.role == SPECIALIST:
        return Q(specialist_id=scope.specialist_id)
    return NONE


@rule("evaluation.ManagerReview")
def review_rule(scope: Scope, action: str) -> Q:
    if scope.role == MANAGER:
        return _in_districts(scope, "demand__district_id")
    if scope.role == SPECIALIST and action == VIEW:
        return Q(demand__assignee_id=scope.specialist_id)
    return NONE


@rule("evaluation.WorkQualityRecord", "evaluation.CapabilitySnapshot",
      "evaluation.PointsEntry")
def specialist_record_rule(scope: Scope, action: str) -> Q:
    return _specialist_rule(scope, action, "specialist")


@rule("evaluation.MonthlyAward")
def award_rule(scope: Scope, action: str) -> Q:
    # 营销服务之星 is a public honour: every signed-in user may see it; nobody edits it here.
    return ALL if action == VIEW and scope.role else NONE


# --- notifications ----------------------------------------------------------------------------

@rule("notifications.Notification")
def notification_rule(scope: Scope, action: str) -> Q:
    return Q(recipient_id=scope.user_id) if scope.user_id else NONE
