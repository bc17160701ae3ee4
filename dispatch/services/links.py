"""Where a notice about the day's plan sends a district lead."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse


def board_link(day: dt.date, district_code: str) -> str:
    """The dispatch board of ``day`` for one district."""
    return f"{reverse('dispatch:board')}?date={day.isoformat()}&district={district_code}"
