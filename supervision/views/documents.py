"""Console downloads of supervision's printable documents (supervision.documents): the opinion
letter and a closed vote's result notice, for the office and the leaders of the body. The object
is found through the user's scoped querysets (404 outside them); printing needs
`permissions.can_print_documents` (403 otherwise)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.urls import path

from congress import access
from supervision import documents, permissions, selectors
from supervision.models import DeliberationOpinion, OpinionUnit, SatisfactionVote

readers = access.require(permissions.can_read_supervision)
RECIPIENTS = Prefetch("recipients", queryset=OpinionUnit.objects.select_related("unit").order_by("unit__name"))


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=documents.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@readers
def opinion_pdf(request, pk):
    opinion = (
        permissions.visible_opinions(request.user).select_related("topic__plan__body")
        .prefetch_related(RECIPIENTS).exclude(state=DeliberationOpinion.State.DRAFTED).filter(pk=pk).first()
    )
    if opinion is None:
        raise Http404
    if not permissions.can_print_documents(request.user, opinion.topic):
        raise PermissionDenied
    return _pdf(documents.opinion_pdf(opinion), documents.filename("deliberation-opinion", opinion.pk))


@readers
def vote_notice_pdf(request, pk):
    topics = selectors.visible_topics(request.user).values("pk")
    vote = (
        SatisfactionVote.objects.filter(pk=pk, topic__in=topics, state=SatisfactionVote.State.CLOSED)
        .select_related("topic__plan__body", "opinion").prefetch_related(Prefetch("opinion__recipients",
                                                                                  queryset=RECIPIENTS.queryset))
        .first()
    )
    if vote is None:
        raise Http404
    if not permissions.can_print_documents(request.user, vote.topic):
        raise PermissionDenied
    return _pdf(documents.vote_notice_pdf(vote), documents.filename("satisfaction-vote-result", vote.pk))


urlpatterns = [
    path("documents/opinions/<int:pk>.pdf", opinion_pdf, name="opinion_pdf"),
    path("documents/votes/<int:pk>.pdf", vote_notice_pdf, name="vote_notice_pdf"),
]
