from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import TemplateView

from .views import auth, manager, retailer

app_name = "accounts"

urlpatterns = [
    path("", auth.home, name="home"),
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("no-portal/", TemplateView.as_view(template_name="accounts/no_portal.html"),
         name="no-portal"),
    path("m/", retailer.retailer_home, name="retailer-home"),
    path("dashboard/", manager.manager_home, name="manager-home"),
    path("dashboard/retailers/", manager.retailer_list, name="manager-retailers"),
    path("dashboard/specialists/", manager.specialist_list, name="manager-specialists"),
]
