from .policies import is_admin, is_manager, is_retailer, is_specialist


def portal(request):
    """Which portal's navigation a page shows, from the user's role."""
    user = getattr(request, "user", None)
    return {
        "is_retailer": is_retailer(user),
        "is_specialist": is_specialist(user),
        "is_manager": is_manager(user),
        "is_admin_user": is_admin(user),
    }
