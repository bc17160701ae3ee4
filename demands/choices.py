from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.TextChoices):
    INCLUSIVE = "inclusive", _("Inclusive services")
    VALUE_ADDED = "value_added", _("Value-added services")
    CONTEMPORARY = "contemporary", _("Contemporary services")


class DemandKind(models.TextChoices):
    SERVICE = "service", _("Catalogue service")
    PERSONALISED = "personalised", _("Personalised need")
    CONSULTATION = "consultation", _("Consultation")
    COMPLAINT = "complaint", _("Complaint")
    SUGGESTION = "suggestion", _("Suggestion")


class DemandSource(models.TextChoices):
    RETAILER = "retailer", _("Submitted by the retailer")
    SPECIALIST = "specialist", _("Logged by a specialist")
    MANAGER = "manager", _("Logged by a manager")
    STRATEGY = "strategy", _("Recommended by a strategy")


class DemandStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    SCHEDULED = "scheduled", _("Scheduled")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_CUSTOMER = "waiting_customer", _("Waiting for the customer")
    ESCALATED = "escalated", _("Escalated")
    COMPLETED = "completed", _("Completed")
    RATED = "rated", _("Rated")
    CLOSED = "closed", _("Demand closed")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (
    DemandStatus.SUBMITTED, DemandStatus.ACCEPTED, DemandStatus.SCHEDULED,
    DemandStatus.IN_PROGRESS, DemandStatus.WAITING_CUSTOMER, DemandStatus.ESCALATED,
)
FINAL_STATUSES = (DemandStatus.CLOSED, DemandStatus.REJECTED, DemandStatus.CANCELLED)
# The service was delivered (whatever happened after): counted as done, reviewable.
SERVED_STATUSES = (DemandStatus.COMPLETED, DemandStatus.RATED, DemandStatus.CLOSED)
# Ended without the service.
UNSERVED_STATUSES = (DemandStatus.REJECTED, DemandStatus.CANCELLED)
# States in which the SLA clock runs (waiting_customer pauses it).
SLA_RUNNING = (
    DemandStatus.SUBMITTED, DemandStatus.ACCEPTED, DemandStatus.SCHEDULED,
    DemandStatus.IN_PROGRESS, DemandStatus.ESCALATED,
)


class SlaState(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    PAUSED = "paused", _("Paused")
    AT_RISK = "at_risk", _("At risk")
    BREACHED = "breached", _("Breached")
    MET = "met", _("Met")
    MISSED = "missed", _("Missed")


class ApprovalLevel(models.TextChoices):
    NONE = "", _("No approval needed")
    DISTRICT_LEAD = "district_lead", _("District lead")
    CITY_DEPARTMENT = "city_department", _("City department")


class EscalationLevel(models.IntegerChoices):
    SPECIALIST = 1, _("Specialist")
    DISTRICT_LEAD = 2, _("District lead")
    CITY_DEPARTMENT = 3, _("City department")
