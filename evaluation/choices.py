from django.db import models
from django.utils.translation import gettext_lazy as _


class PointsKind(models.TextChoices):
    """Why points were given or taken (each kind has an editable rule)."""

    RATING = "rating", _("Customer rating")
    SLA_MET = "sla_met", _("SLA met")
    VISIT_DONE = "visit_done", _("Planned visit completed")
    FIRST_TIME = "first_time", _("Resolved the first time")
    SLA_BREACH = "sla_breach", _("SLA breached")
    COMPLAINT_UPHELD = "complaint_upheld", _("Complaint upheld")
    MANUAL = "manual", _("Manual adjustment")


class CapabilityDimension(models.TextChoices):
    """The three dimensions of a specialist's capability (tables 3–5): the radar's axes and the
    keys of a snapshot's parts. Not the retailer profile's six SW dimensions
    (``profiling.models.Dimension``)."""

    BASIC = "basic_information", _("Basic information")
    QUALITY = "work_quality", _("Work quality")
    SERVICE = "service_evaluation", _("Service evaluation")
