from django import template

from zhifu.core.masking import mask_phone

from ..policies import can_view_unmasked

register = template.Library()


@register.filter
def masked_phone(value, user):
    """``{{ phone|masked_phone:user }}``: whole only for users allowed to see it."""
    return value if can_view_unmasked(user) else mask_phone(value)
