"""Log in, log out, the landing page by role, and the password change (SECURITY S6–S10).

The same accounts serve the console and the portal: after login `landing` sends each person to
the interface their roles allow. django-axes counts failures per username and IP through the
`request` that Django's `AuthenticationForm` passes to `authenticate()`.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import path, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress import access, permissions, services
from congress.forms import BootstrapMixin


def layout_for(user) -> str:
    """The layout an account page is shown in: the interface the user works in."""
    if permissions.can_use_console(user):
        return "console/base.html"
    if permissions.can_use_portal(user):
        return "portal/base.html"
    return "public/base.html"


class LoginForm(BootstrapMixin, auth_views.AuthenticationForm):
    pass


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True
    extra_context = {"title": gettext_lazy("Log in")}


class PasswordChangeForm(BootstrapMixin, auth_views.PasswordChangeForm):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:landing")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["layout"] = layout_for(self.request.user)
        context["next"] = self.request.GET.get("next", "")
        context["password_expired"] = self.request.user.password_expired()
        context["max_age"] = settings.PASSWORD_MAX_AGE_DAYS
        return context

    def form_valid(self, form):
        response = super().form_valid(form)  # saves and keeps this session logged in
        services.password_changed(user=self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return response

    def get_success_url(self):
        target = self.request.POST.get("next") or self.request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return str(self.success_url)


def landing(request):
    """Where "home" is for this person: the console, the portal, or the public site."""
    if permissions.can_use_console(request.user):
        return redirect("console:home")
    if permissions.can_use_portal(request.user):
        return redirect("portal:home")
    messages.info(request, _("Your account has no role on this platform yet. Please ask the office to grant one."))
    return redirect("public:home")


urlpatterns = [
    path("login/", access.public(LoginView.as_view()), name="login"),
    # Django's LogoutView accepts POST only (SECURITY S12) and ends the session server-side.
    path("logout/", access.public(auth_views.LogoutView.as_view()), name="logout"),
    path("", access.login_required(landing), name="landing"),
    path("password/", access.login_required(PasswordChangeView.as_view()), name="password_change"),
]
