"""Presentation helpers of the suggestions console: figures, and the timeline's verbs as
sentences (registered in suggestions.timeline, looked up through congress.timeline)."""

from django import template

from congress.timeline import verb_label

register = template.Library()


@register.filter
def event_label(verb: str) -> str:
    return verb_label(verb, "suggestions")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value:g}%"


@register.filter
def class_share(figures, code):
    return figures.class_share(code)


@register.filter
def attitude_rate(tally):
    return tally.satisfied_rate("attitude")
