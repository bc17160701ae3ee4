from django.utils.functional import SimpleLazyObject

from .selectors import notification_unread_count


def unread(request):
    """``unread_notifications`` for the badge in the page header: one COUNT query, made
    only when a page shows it, and at most once per page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(
        lambda: notification_unread_count(user=user))}
