"""Service tasks, the runs that plan them, and what happened to each task in the field."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhifu.core.models import JobRow

from .choices import DispatchMode, ExceptionKind, RunStatus, RunTrigger, TaskSource, TaskStatus


class DispatchRun(JobRow):
    """One optimisation of one day for some districts: the job row the worker reports on.
    Beyond a plain job it keeps a lease (``attempts``; a run whose worker died is taken
    again) and fans out to one ``DistrictSolve`` per district."""

    service_date = models.DateField(_("service date"), db_index=True)
    districts = models.ManyToManyField("accounts.District", verbose_name=_("districts"),
                                       related_name="dispatch_runs")
    mode = models.CharField(_("mode"), max_length=10, choices=DispatchMode.choices,
                            default=DispatchMode.COMMAND)
    trigger = models.CharField(_("trigger"), max_length=10, choices=RunTrigger.choices,
                               default=RunTrigger.MANUAL)
    seed = models.PositiveIntegerField(_("seed"), default=1)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # After every district is solved: the neighbours' routes that take on work a district
    # could not serve (services.reinforcement), before the merge applies them all.
    reinforcement = models.JSONField(_("cross-district reinforcement"), default=dict,
                                     blank=True)

    class Meta(JobRow.Meta):
        verbose_name = _("dispatch run")
        verbose_name_plural = _("dispatch runs")

    def __str__(self) -> str:
        return f"#{self.pk} {self.service_date} ({self.status})"


class DistrictSolve(models.Model):
    """One district's share of a run, solved by its own Celery task and merged after."""

    run = models.ForeignKey(DispatchRun, verbose_name=_("run"), on_delete=models.CASCADE,
                            related_name="district_solves")
    district = models.ForeignKey("accounts.District", verbose_name=_("district"),
                                 on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices,
                              default=RunStatus.QUEUED)
    progress = models.FloatField(_("progress"), default=0.0)
    plan = models.JSONField(_("plan"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    seconds = models.FloatField(_("seconds"), default=0.0)

    class Meta:
        verbose_name = _("district solve")
        verbose_name_plural = _("district solves")
        constraints = [models.UniqueConstraint(fields=["run", "district"],
                                               name="one_solve_per_run_district")]

    def __str__(self) -> str:
        return f"run {self.run_id} / {self.district_id}"


class TaskQuerySet(models.QuerySet):
    """Every write of tasks goes through here or ``ServiceTask.save``: each one raises the
    task's ``version`` and ``updated_at`` (what a phone's "changes since" reads) and
    leaves a ``released`` event when a task leaves its specialist's day."""

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        now = timezone.now()
        for task in objs:
            task.version += 1
            task.updated_at = now
        updated = super().bulk_update(objs, {*fields, "version", "updated_at"},
                                      batch_size=batch_size)
        TaskEvent.objects.bulk_create([event for task in objs
                                       if (event := task.release_event()) is not None])
        return updated

    def update(self, **kwargs):
        kwargs.setdefault("version", models.F("version") + 1)
        kwargs.setdefault("updated_at", timezone.now())
        return super().update(**kwargs)


class ServiceTask(models.Model):
    """A piece of field work for one day: a retailer's demand or a planned visit."""

    source = models.CharField(_("source"), max_length=8, choices=TaskSource.choices)
    demand = models.OneToOneField("demands.Demand", verbose_name=_("demand"), null=True,
                                  blank=True, on_delete=models.CASCADE,
                                  related_name="service_task")
    retailer = models.ForeignKey("accounts.Retailer", verbose_name=_("retailer"),
                                 on_delete=models.CASCADE, related_name="service_tasks")
    district = models.ForeignKey("accounts.District", verbose_name=_("district"),
                                 on_delete=models.PROTECT, related_name="service_tasks")
    title = models.CharField(_("title"), max_length=120)
    service_date = models.DateField(_("service date"), db_index=True)
    window_start = models.TimeField(_("window from"))
    window_end = models.TimeField(_("window until"))
    service_minutes = models.PositiveSmallIntegerField(
        _("service minutes"), validators=[MinValueValidator(1), MaxValueValidator(600)])
    priority = models.FloatField(_("priority weight"), default=50.0)
    required_skills = models.JSONField(_("required skills"), default=list, blank=True,
                                       help_text=_('For example [{"code": "training", '
                                                   '"level": 2}].'))
    mandatory = models.BooleanField(_("must be done today"), default=False)
    checklist = models.JSONField(_("compliance checklist"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices,
                              default=TaskStatus.OPEN, db_index=True)
    mode = models.CharField(_("mode"), max_length=10, choices=DispatchMode.choices,
                            default=DispatchMode.COMMAND)
    specialist = models.ForeignKey("accounts.Specialist", verbose_name=_("specialist"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="service_tasks")
    sequence = models.PositiveSmallIntegerField(_("order in the route"), null=True, blank=True)
    planned_start = models.DateTimeField(_("planned start"), null=True, blank=True)
    planned_end = models.DateTimeField(_("planned end"), null=True, blank=True)
    run = models.ForeignKey(DispatchRun, verbose_name=_("planned by run"), null=True,
                            blank=True, on_delete=models.SET_NULL, related_name="tasks")
    explanation = models.JSONField(_("why this assignment"), default=dict, blank=True)
    unserved_reason = models.CharField(_("why not planned"), max_length=255, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    check_in_lat = models.FloatField(_("check-in latitude"), null=True, blank=True)
    check_in_lng = models.FloatField(_("check-in longitude"), null=True, blank=True)
    check_in_distance_m = models.PositiveIntegerField(_("check-in distance (m)"), null=True,
                                                      blank=True)
    check_in_far = models.BooleanField(_("checked in far from the shop"), default=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    service_notes = models.TextField(_("service log"), blank=True)
    checklist_confirmed = models.JSONField(_("confirmed checklist points"), default=list,
                                           blank=True)
    exception_kind = models.CharField(_("exception"), max_length=20,
                                      choices=ExceptionKind.choices, blank=True)
    exception_note = models.CharField(_("exception note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    # Raised by every write: a phone sends the version it saw (If-Match) and is refused with
    # what changed when someone else wrote in between.
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("service task")
        verbose_name_plural = _("service tasks")
        ordering = ["service_date", "specialist_id", "sequence", "id"]
        indexes = [
            models.Index(fields=["service_date", "district", "status"]),
            models.Index(fields=["specialist", "service_date"]),
        ]
        constraints = [
            # A shop gets at most one planned visit a day: generating twice adds nothing.
            models.UniqueConstraint(fields=["retailer", "service_date"],
                                    condition=models.Q(source="visit"),
                                    name="one_planned_visit_per_shop_day"),
        ]

    def __str__(self) -> str:
        return f"{self.title} @ {self.retailer_id} {self.service_date}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version", "updated_at"}
        super().save(*args, **kwargs)
        event = self.release_event()
        if event is not None:
            event.save()

    @classmethod
    def from_db(cls, db, field_names, values):
        task = super().from_db(db, field_names, values)
        task._held = task._holder()
        return task

    def _holder(self) -> tuple:
        return (self.__dict__.get("specialist_id"), self.__dict__.get("service_date"))

    def release_event(self) -> "TaskEvent | None":
        """A ``released`` event when this task left the day of the specialist who held it
        when it was read (moved to someone else, back to the pool, or to another day)."""
        held = getattr(self, "_held", (None, None))
        now_held = self._holder()
        self._held = now_held
        if held[0] is None or held == now_held:
            return None
        return TaskEvent(task=self, action="released",
                         data={"specialist": held[0], "day": held[1].isoformat()
                               if held[1] else None})


class TaskPhoto(models.Model):
    task = models.ForeignKey(ServiceTask, verbose_name=_("task"), on_delete=models.CASCADE,
                             related_name="photos")
    image = models.ImageField(_("photo"), upload_to="task-photos/%Y/%m/")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("task photo")
        verbose_name_plural = _("task photos")

    def __str__(self) -> str:
        return self.image.name


class TaskEventQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for event in objs:
            event.stamp_version()
        return super().bulk_create(objs, *args, **kwargs)


class TaskEvent(models.Model):
    """What happened to a task, by whom: the audit trail and the specialist's change list."""

    task = models.ForeignKey(ServiceTask, verbose_name=_("task"), on_delete=models.CASCADE,
                             related_name="events")
    action = models.CharField(_("action"), max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    # The task's version the step left it at (a 409 lists the steps after the caller's).
    task_version = models.PositiveIntegerField(_("task version"), null=True, blank=True)

    objects = TaskEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("task event")
        verbose_name_plural = _("task events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.action}"

    def save(self, *args, **kwargs):
        self.stamp_version()
        super().save(*args, **kwargs)

    def stamp_version(self) -> None:
        task = self._state.fields_cache.get("task")
        if self.task_version is None and task is not None:
            self.task_version = task.version


class SpecialistAbsence(models.Model):
    """A specialist out for a day (sick, called away), or for part of it: in late
    (``available_from``) or gone home early (``available_until``). Their work not yet
    started is re-planned within the hours left."""

    specialist = models.ForeignKey("accounts.Specialist", verbose_name=_("specialist"),
                                   on_delete=models.CASCADE, related_name="absences")
    day = models.DateField(_("day"))
    available_from = models.TimeField(_("available from"), null=True, blank=True,
                                      help_text=_("Late: working from this time."))
    available_until = models.TimeField(_("available until"), null=True, blank=True,
                                       help_text=_("Gone home: working until this time."))
    reason = models.CharField(_("reason"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("specialist absence")
        verbose_name_plural = _("specialist absences")
        constraints = [models.UniqueConstraint(fields=["specialist", "day"],
                                               name="one_absence_per_day")]

    def __str__(self) -> str:
        return f"{self.specialist_id} {self.day}"

    @property
    def whole_day(self) -> bool:
        return self.available_from is None and self.available_until is None

    @classmethod
    def away_all_day(cls, day) -> models.QuerySet:
        """The ids of specialists out for the whole of ``day`` (for ``pk__in``)."""
        return cls.objects.filter(day=day, available_from__isnull=True,
                                  available_until__isnull=True).values("specialist_id")
