"""Login and the role-based landing page."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from ..forms import LoginForm
from ..policies import is_admin, is_manager, is_retailer, is_specialist


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def portal_url_for(user) -> str:
    """Each role lands on its own portal."""
    if is_admin(user):
        return "admin:index"
    if is_manager(user):
        return "accounts:manager-home"
    if is_specialist(user):
        return "dispatch:specialist-home"
    if is_retailer(user):
        return "accounts:retailer-home"
    return "accounts:no-portal"


@login_required
def home(request):
    return redirect(portal_url_for(request.user))
