"""The graded-protection password profile (等保 2.0): three of four character classes."""

import re

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
