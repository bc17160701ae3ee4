"""The dispatch app's part of the retention purge (see ``zhifu.core.retention``)."""

from __future__ import annotations

from .models import ServiceTask, TaskPhoto


def redact_shop_history(*, retailer_ids: list[int]) -> None:
    """A closed shop's service tasks keep their times and states; notes, positions and
    photos go."""
    tasks = ServiceTask.objects.filter(retailer_id__in=retailer_ids)
    for photo in TaskPhoto.objects.filter(task__in=tasks):
        photo.image.delete(save=False)
    TaskPhoto.objects.filter(task__in=tasks).delete()
    tasks.update(service_notes="", exception_note="", check_in_lat=None, check_in_lng=None)
