"""People who log in, the roles they hold in a scope, and the API tokens of office systems."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from congress.fields import BlindIndexField, EncryptedTextField


class User(AbstractUser):
    full_name = models.CharField(_("姓名"), max_length=64, blank=True)
    phone = EncryptedTextField(_("手机号"), blank=True, default="")
    phone_index = BlindIndexField(source="phone")
    # Set for the random first-admin password and demo accounts created without --password
    # (SECURITY S9); the console sends such a user to the password change form first.
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    is_api_account = models.BooleanField(_("接口账号"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self):
        return self.full_name or self.username


class Role(models.TextChoices):
    STAFF_ADMIN = "staff_admin", _("机关管理员")
    STAFF_CLERK = "staff_clerk", _("机关工作人员")
    LEADER = "leader", _("主任会议成员")
    MEMBER = "member", _("常委会组成人员")
    DEPUTY = "deputy", _("人大代表")
    UNIT_OFFICER = "unit_officer", _("承办单位联络员")
    TOWNSHIP_OFFICER = "township_officer", _("乡镇（街道）人大工作人员")
    STATION_KEEPER = "station_keeper", _("联络站管理员")
    AUDITOR = "auditor", _("审计员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")


class RoleGrantQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class RoleGrant(models.Model):
    """A role a user holds, limited to a scope: a body, a committee, a unit or a region.

    Which scope a role needs is declared in `congress.permissions.ROLE_SCOPES`; the service that
    grants a role checks it, so a unit officer without a unit cannot exist.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    body = models.ForeignKey(
        "congress.Body", verbose_name=_("人大"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    committee = models.ForeignKey(
        "congress.Committee", verbose_name=_("委员会"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "congress.Unit", verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "congress.Region", verbose_name=_("区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
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
    name = models.CharField(_("名称"), max_length=64, blank=True)
    prefix = models.CharField(_("前缀"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.prefix}…"
