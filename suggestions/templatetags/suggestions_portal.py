"""The portal home's "My suggestions" card: what waits for the deputy (three count queries).

A tag rather than view context because the home page belongs to the institution
(congress.views.portal) and each app fills its own card.
"""

from django import template

from suggestions.selectors_portal import my_counts

register = template.Library()


@register.simple_tag(takes_context=True)
def my_suggestion_counts(context) -> dict[str, int]:
    user = context["request"].user
    return my_counts(user) if user.is_authenticated else {"drafts": 0, "to_sign": 0, "to_rate": 0}
