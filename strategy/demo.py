"""The demo city's strategies and the coming four weeks of planned visits."""

from django.utils import timezone

from . import services


def seed(ctx) -> None:
    ctx.counts["strategies"] = services.strategies_generate(now=timezone.now())["retailers"]
    ctx.counts["planned visits"] = services.visits_plan(start=ctx.today, weeks=4)["visits"]
    # What the nightly feedback job would have found: each rule's offers and outcomes so far,
    # so the strategy page shows the rules' measured effect from the first day.
    services.feedback_collect(now=timezone.now())
