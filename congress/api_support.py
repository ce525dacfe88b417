"""Shared API plumbing: pagination, JSON errors with stable codes, incremental-sync filter.

Every error is `{"code", "detail", "fields"}` (`ErrorSerializer`); `congress.api_schema.ApiAutoSchema`
lists those error responses on every operation of the OpenAPI schema, so township systems (and Schemathesis)
know each status an endpoint may answer with (SECURITY S13).
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from congress.workflow import WorkflowError


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 instant, handed to the database in UTC.

    PostgreSQL refuses a literal with an offset beyond ±15:59 ("-16:32" is valid ISO 8601 and
    Python accepts it), which made such a query a 500; in UTC any offset is fine, and an instant
    that falls outside the calendar once converted is an invalid value, not a crash.
    """

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None or parsed.tzinfo is None:
            return parsed
        try:
            return parsed.astimezone(datetime.UTC)
        except OverflowError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class UpdatedSinceFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class UpdatedSinceFilterSet(django_filters.FilterSet):
    """Base filter set: `updated_since` (ISO 8601) for township systems' incremental sync."""

    updated_since = UpdatedSinceFilter(field_name="updated_at", lookup_expr="gte")


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.Filter):
    """Filter on a related object's id. An id outside the caller's scope simply matches nothing,
    so a filter never tells a township system whether another town's object exists (SECURITY S3)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class ApiError(exceptions.APIException):
    """An API refusal with its own stable code, e.g. `ApiError(403, "not_api_account", _("..."))`."""

    def __init__(self, status_code: int, code: str, detail):
        self.status_code = status_code
        self.stable_code = code
        super().__init__(detail=detail, code=code)


def _code_for(exc) -> str:
    if getattr(exc, "stable_code", None):
        return exc.stable_code
    if isinstance(exc, exceptions.ValidationError):
        return "invalid"
    if isinstance(exc, exceptions.NotAuthenticated):
        return "not_authenticated"
    if isinstance(exc, exceptions.AuthenticationFailed):
        return "authentication_failed"
    if isinstance(exc, exceptions.PermissionDenied):
        return "permission_denied"
    if isinstance(exc, exceptions.NotFound):
        return "not_found"
    if isinstance(exc, exceptions.Throttled):
        return "throttled"
    if isinstance(exc, exceptions.MethodNotAllowed):
        return "method_not_allowed"
    return getattr(exc, "default_code", "error")


def exception_handler(exc, context):
    """Every API error is `{"code": ..., "detail": ..., "fields": {...}}` with a stable code."""
    if isinstance(exc, WorkflowError):
        return Response({"code": exc.code, "detail": str(exc.message), "fields": {}}, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        detail = exceptions.ValidationError.default_detail
    else:
        fields = {}
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else response.data
    response.data = {"code": _code_for(exc), "detail": str(detail), "fields": fields}
    if response.status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" not in response:
        response["WWW-Authenticate"] = 'Token realm="api"'
    return response


# ---- the error responses in the OpenAPI schema ---------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """The body of every error response: a stable code, a message, and the rejected fields."""

    code = serializers.CharField(
        help_text=_("Stable machine-readable code, e.g. invalid, not_authenticated, not_found, state_changed.")
    )
    detail = serializers.CharField(help_text=_("Human-readable message in the request's language."))
    # A field's value is its list of messages, or for a nested object or list the same shape again.
    fields = serializers.DictField(
        child=serializers.JSONField(),
        help_text=_(
            "For code `invalid`: each rejected field (or non_field_errors) with its messages; a nested "
            "object's errors are nested the same way."
        ),
    )


ERROR_RESPONSES = {
    "400": _("Invalid input (code `invalid`); `fields` names each rejected field."),
    "401": _("No credentials, or a token that is invalid or revoked (code `not_authenticated` or "
             "`authentication_failed`)."),
    "403": _("The account may not do this (code `permission_denied`)."),
    "404": _("No such object in the caller's scope (code `not_found`)."),
    "409": _("The object changed meanwhile or the action is not allowed in its current state "
             "(e.g. code `state_changed`, `illegal_transition`)."),
    "429": _("Too many requests (code `throttled`); retry after the `Retry-After` header's seconds."),
}
