"""Small presentation helpers shared by the console, portal and public templates."""

from django import template

from congress.masking import mask_phone
from congress.rules import describe_basis
from congress.timeline import event_label as _event_label

register = template.Library()

# Bootstrap spacing classes for a tree level; inline styles are refused by the CSP.
_INDENT = ("ps-0", "ps-3", "ps-5", "ps-5 ms-3", "ps-5 ms-5")


@register.filter
def indent_class(depth) -> str:
    """`{{ region.depth|indent_class }}`: left padding that grows with the level in a tree."""
    try:
        level = max(int(depth), 0)
    except (TypeError, ValueError):
        return ""
    return _INDENT[min(level, len(_INDENT) - 1)]


@register.filter
def masked_phone(value) -> str:
    """A phone number as every page shows it: 138****5678 (SECURITY S17)."""
    return mask_phone(value)


@register.filter
def deadline_basis(basis) -> str:
    """A stored deadline basis in words (congress.rules.describe_basis)."""
    return describe_basis(basis)


@register.filter
def event_label(event) -> str:
    """`{{ event|event_label }}`: the translated label of a timeline event's verb (congress.timeline)."""
    return _event_label(event)

