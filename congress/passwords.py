"""The graded-protection password profile (等保 2.0): three of four character classes, no reuse of
the last PASSWORD_HISTORY_COUNT passwords (expiry is User.password_expired)."""

import re

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")


class CharacterClassValidator:
    def validate(self, password, user=None):
        if sum(bool(re.search(pattern, password)) for pattern in CLASSES) < 3:
            raise ValidationError(
                _("Password must mix at least three of: lower case, upper case, digits, symbols."),
                code="password_too_simple",
            )

    def get_help_text(self):
        return _("Mix at least three of: lower case, upper case, digits, symbols.")


class PasswordHistoryValidator:
    def validate(self, password, user=None):
        if user is None or user.pk is None or not settings.PASSWORD_HISTORY_COUNT:
            return
        count = settings.PASSWORD_HISTORY_COUNT
        earlier = [user.password, *user.password_history.values_list("password", flat=True)[:count]]
        if any(encoded and check_password(password, encoded) for encoded in earlier):
            raise ValidationError(
                _("Choose a password you have not used for your last %(count)d passwords.")
                % {"count": settings.PASSWORD_HISTORY_COUNT},
                code="password_reused",
            )

    def get_help_text(self):
        return _("It may not repeat any of your last %(count)d passwords.") % {"count": settings.PASSWORD_HISTORY_COUNT}
