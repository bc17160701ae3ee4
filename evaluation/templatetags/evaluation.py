from django import template
from django.utils.translation import gettext_lazy as _

from ..models import ServiceRating

register = template.Library()

ASPECT_LABELS = [("attitude", _("Attitude")), ("professionalism", _("Professionalism")),
                 ("timeliness", _("Timeliness")), ("result", _("Result"))]


@register.inclusion_tag("evaluation/_rating_form.html")
def rating_form(demand):
    """The retailer's rating form on its own demand's page (changeable for a few days)."""
    rating = ServiceRating.objects.filter(demand=demand).first()
    current = {a: getattr(rating, a) for a, _l in ASPECT_LABELS} if rating else {}
    return {"demand": demand, "rating": rating,
            "aspects": [(a, label, current.get(a)) for a, label in ASPECT_LABELS]}
