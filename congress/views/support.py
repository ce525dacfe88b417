"""Small helpers every app's server-rendered views share: paging, query-string parsing, and
turning a service's refusal into form errors or a message."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator

from congress.workflow import TransitionForbidden, WorkflowError

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


def error_text(error: Exception) -> str:
    """The user-facing text of a service's refusal: a ValidationError's messages or a
    WorkflowError's stable message."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(getattr(error, "message", error))


def run_service(request, action, success: str) -> bool:
    """Call a service for a POST button: a refusal becomes an error message on the next page, a
    missing permission a 403, success a success message. Returns whether it succeeded."""
    try:
        action()
    except TransitionForbidden as error:
        raise PermissionDenied from error
    except (ValidationError, WorkflowError) as error:
        messages.error(request, error_text(error))
        return False
    messages.success(request, success)
    return True


def run_form_service(form, action) -> bool:
    """Call a service with a valid form's cleaned data: a refusal becomes the form's errors (nothing
    is saved), a missing permission a 403. Returns whether it succeeded."""
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except TransitionForbidden as error:
        raise PermissionDenied from error
    except WorkflowError as error:
        form.add_error(None, str(error.message))
        return False
    except ValidationError as error:
        apply_validation_error(form, error)
        return False
    return True
