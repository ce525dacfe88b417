"""Published replies to deputies' proposals, open to everyone (DESIGN §4 "Publication").

Only `Proposal.objects.public()` is read: never a confidential proposal, never one without a
reply. Searchable by year, handling unit and category; paginated, in a fixed number of queries.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from congress import access
from congress.views.support import int_param, page
from suggestions import selectors_public
from suggestions.models import Proposal

PAGE_SIZE = 20


@access.public
@require_GET
def reply_list(request):
    options = selectors_public.filter_options()
    year = int_param(request, "year")
    unit = int_param(request, "unit")
    category = int_param(request, "category")
    query = request.GET.get("q", "")[:100]
    proposals = selectors_public.published_replies(
        year=year if year in options["years"] else None,
        unit_id=unit if unit in {u.pk for u in options["units"]} else None,
        category_id=category if category in {c.pk for c in options["categories"]} else None,
        query=query,
    )
    return render(request, "public/suggestions/list.html", {
        "page_obj": page(request, proposals, per_page=PAGE_SIZE),
        "options": options,
        "year": year, "unit": unit, "category": category, "query": query,
    })


@access.public
@require_GET
def reply_detail(request, pk):
    try:
        proposal = selectors_public.published_reply(pk)
    except Proposal.DoesNotExist:
        raise Http404 from None
    return render(request, "public/suggestions/detail.html", {"proposal": proposal})


urlpatterns = [
    path("replies/", reply_list, name="replies"),
    path("replies/<int:pk>/", reply_detail, name="reply_detail"),
]
