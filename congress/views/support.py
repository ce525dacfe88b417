"""Small helpers every app's server-rendered views share: paging, query-string parsing, and
turning a service's ValidationError into form errors."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator

PAGE_SIZE = 25


def page(request, queryset, per_page=PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def choice(request, name, choices) -> str:
    """A filter value from the query string, or "" when it is not one of `choices`."""
    value = request.GET.get(name, "")
    return value if value in {key for key, _label in choices} else ""


def int_param(request, name) -> int | None:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


def apply_validation_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors on their fields, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
