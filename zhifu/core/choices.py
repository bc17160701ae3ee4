"""The states of a job row, shared by every kind of background work."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


JOB_ENDED = (JobStatus.SUCCEEDED, JobStatus.FAILED)
