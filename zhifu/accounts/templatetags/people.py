from django import template

from zhifu.core.masking import mask_phone
from zhifu.core.privacy import record_unmasked

from ..policies import can_view_unmasked

register = template.Library()


@register.filter
def masked_phone(value, user):
    """``{{ phone|masked_phone:user }}``: whole only for users allowed to see it (and then
    the view is recorded)."""
    if can_view_unmasked(user):
        record_unmasked(user=user, value=value)
        return value
    return mask_phone(value)
