from django import template
from django.utils.translation import gettext_lazy as _

from demands.choices import DemandKind

from .. import selectors
from ..services import review_refusal

register = template.Library()

ASPECT_LABELS = [("attitude", _("Attitude")), ("professionalism", _("Professionalism")),
                 ("timeliness", _("Timeliness")), ("result", _("Result"))]


@register.inclusion_tag("evaluation/_rating_form.html")
def rating_form(demand):
    """The rating section of the retailer's own demand page: the form while the rules of
    ``evaluation.services.rating_refusal`` allow it, the rating given once they no longer
    do, nothing before the service is delivered."""
    state = selectors.rating_state(demand=demand)
    rating = state.rating
    current = {a: getattr(rating, a) for a, _l in ASPECT_LABELS} if rating else {}
    return {"demand": demand, "state": state, "rating": rating,
            "aspects": [(a, label, current.get(a)) for a, label in ASPECT_LABELS]}


@register.inclusion_tag("evaluation/_review_form.html", takes_context=True)
def review_form(context, demand):
    """The manager's review of a finished service on its demand page (the third leg of the
    evaluation): the form once ``evaluation.services.review_refusal`` allows it, with the
    review already given, if any."""
    # A missing one-to-one raises on access; getattr's default answers "no review yet".
    review = getattr(demand, "review", None)
    return {"demand": demand, "shown": review_refusal(demand=demand) is None,
            "review": review, "is_complaint": demand.kind == DemandKind.COMPLAINT,
            "csrf_token": context.get("csrf_token"), "stars": range(1, 6)}
