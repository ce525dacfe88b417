"""People who log in, the roles they hold in a scope, and the API tokens of office systems."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.fields import BlindIndexField, EncryptedTextField


class User(AbstractUser):
    full_name = models.CharField(_("Full name"), max_length=64, blank=True)
    phone = EncryptedTextField(_("Mobile phone"), blank=True, default="")
    phone_index = BlindIndexField(source="phone")
    # Set for the random first-admin password and demo accounts created without --password
    # (SECURITY S9); the console sends such a user to the password change form first.
    must_change_password = models.BooleanField(_("Must change password"), default=False)
    password_changed_at = models.DateTimeField(_("Password changed at"), null=True, blank=True)
    is_api_account = models.BooleanField(_("API account"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("User")
        verbose_name_plural = _("Users")
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self):
        return self.full_name or self.username

    def password_expired(self, now=None) -> bool:
        """The graded profile's 90-day expiry; API accounts authenticate by token, not password."""
        max_age = settings.PASSWORD_MAX_AGE_DAYS
        if not max_age or self.is_api_account or not self.has_usable_password():
            return False
        changed = self.password_changed_at or self.date_joined
        return changed + timedelta(days=max_age) <= (now or timezone.now())


class PasswordHistory(models.Model):
    """A hash of a password the user has set, kept so that a new one may not repeat the last few
    (the graded-protection profile, SECURITY S6). Only hashes, as in User.password."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Earlier password")
        verbose_name_plural = _("Earlier passwords")
        ordering = ["user", "-created_at", "-pk"]

    def __str__(self):
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"


class BackupCode(models.Model):
    """A single-use backup code for the second factor; only its SHA-256 is stored (SECURITY S8)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="backup_codes")
    code_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Backup code")
        verbose_name_plural = _("Backup codes")
        ordering = ["user", "pk"]

    def __str__(self):
        return f"{self.user_id}: {'used' if self.used_at else 'unused'}"


class Role(models.TextChoices):
    STAFF_ADMIN = "staff_admin", _("Office administrator")
    STAFF_CLERK = "staff_clerk", _("Office staff")
    LEADER = "leader", _("Member of the chairpersons’ meeting")
    MEMBER = "member", _("Standing committee member")
    DEPUTY = "deputy", _("Deputy")
    UNIT_OFFICER = "unit_officer", _("Handling unit liaison")
    TOWNSHIP_OFFICER = "township_officer", _("Township officer")
    STATION_KEEPER = "station_keeper", _("Contact station keeper")
    AUDITOR = "auditor", _("Auditor")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class RoleGrantQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class RoleGrant(models.Model):
    """A role a user holds, limited to a scope: a body, a committee, a unit or a region.

    Which scope a role needs is declared in `congress.permissions.ROLE_SCOPES`; the service that
    grants a role checks it, so a unit officer without a unit cannot exist.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("Role"), max_length=32, choices=Role.choices)
    body = models.ForeignKey(
        "congress.Body", verbose_name=_("Congress"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    committee = models.ForeignKey(
        "congress.Committee",
        verbose_name=_("Committee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "congress.Unit", verbose_name=_("Unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "congress.Region", verbose_name=_("Region"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("Role grant")
        verbose_name_plural = _("Role grants")
        ordering = ["user", "role"]
        indexes = [models.Index(fields=["user", "role"], name="rolegrant_user_role")]

    def __str__(self):
        scope = self.body or self.committee or self.unit or self.region
        return f"{self.get_role_display()} · {scope}" if scope else str(self.get_role_display())


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A bearer token for an office system. Only a SHA-256 digest is stored; the key is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("Name"), max_length=64, blank=True)
    prefix = models.CharField(_("Prefix"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.prefix}…"
