from django import template

from zhifu.core.masking import mask_phone
from zhifu.core.privacy import record_unmasked, reveal_text

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


@register.filter
def private_text(value, user):
    """``{{ demand.description|private_text:user }}``: phone and ID numbers typed into free
    text are masked unless the user may see them whole (then the view is recorded)."""
    return reveal_text(value, user=user)
