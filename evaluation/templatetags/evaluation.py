from django import template
from django.utils.translation import gettext_lazy as _

from .. import selectors

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
