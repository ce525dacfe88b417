"""Security-event logging hooked to Django's and django-axes' authentication signals."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from congress import security_log


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    security_log.log("login_ok", request=request, username=user.get_username())


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    security_log.log("login_failed", request=request, username=credentials.get("username", ""))


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    security_log.log("logout", request=request, username=user.get_username() if user else "")


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    security_log.log("lockout", request=request, username=username or "")
