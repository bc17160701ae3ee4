"""Rows that record background work, so long jobs show progress and survive retries."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import JOB_ENDED, JobStatus


class JobRow(models.Model):
    """What every job row records, whatever the work: its state, progress, parameters,
    result or error, who asked, and when it was asked for, started and ended. A plain
    background job (``JobRun``) and a dispatch run (with its districts and lease) are both
    this shape; ``zhifu.core.services`` claims and finishes either."""

    status = models.CharField(
        _("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED,
        db_index=True,
    )
    progress = models.FloatField(_("progress"), default=0.0)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        "accounts.User", verbose_name=_("requested by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def in_progress(self) -> bool:
        """Queued or running: its page keeps polling for progress."""
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def ended(self) -> bool:
        return self.status in JOB_ENDED


class JobRun(JobRow):
    """One run of a background job (profile recompute, strategy generation, import…)."""

    Status = JobStatus

    kind = models.CharField(_("kind"), max_length=64, db_index=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"


class PersonalDataAccess(models.Model):
    """Someone was shown a personal number whole (PIPL audit trail).

    The number itself is not stored again: the masked form identifies whose it was
    together with the page or export it was shown on.
    """

    user = models.ForeignKey("accounts.User", verbose_name=_("viewer"), null=True,
                             on_delete=models.SET_NULL, related_name="+")
    masked_value = models.CharField(_("number (masked)"), max_length=32)
    where = models.CharField(_("page or export"), max_length=255)
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("view of unmasked personal data")
        verbose_name_plural = _("views of unmasked personal data")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.masked_value} {self.at:%Y-%m-%d %H:%M}"


class IdempotentRequest(models.Model):
    """A write sent with an ``Idempotency-Key``: what it answered, so the same key sent
    again (a phone replaying what it queued offline, a retry after a lost answer) gets that
    answer back instead of doing the work twice. Kept a day (the nightly purge)."""

    user = models.ForeignKey("accounts.User", verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="+")
    key = models.CharField(_("idempotency key"), max_length=64)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    body = models.BinaryField(_("answer"), blank=True, default=b"")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [models.UniqueConstraint(fields=["user", "key"],
                                               name="idempotency_key_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
