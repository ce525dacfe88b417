"""Shared API plumbing: pagination, JSON errors with stable codes, incremental-sync filter."""

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from congress.workflow import WorkflowError


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class UpdatedSinceFilterSet(django_filters.FilterSet):
    """Base filter set: `updated_since` (ISO 8601) for township systems' incremental sync."""

    updated_since = django_filters.IsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")


def _code_for(exc) -> str:
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
