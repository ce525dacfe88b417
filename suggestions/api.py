"""Read-only REST API of proposals (DESIGN §7 `suggestions`), mounted at /api/v1/suggestions/.

Every queryset comes from `suggestions.permissions.visible_proposals`: a township office reads the
proposals of its town's deputies (and of its own township congress), a unit what was assigned to
it; anything else is a 404 and never counted (SECURITY S3). A confidential proposal is listed to a
caller who may not read it with its text, files and replies left out (`content_hidden`).
Workflow changes are console and portal acts; nothing here writes.
"""

import django_filters
from django.db.models import Prefetch
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers

from congress import access
from congress.api import ReadApi
from congress.api_support import IdFilter, UpdatedSinceFilterSet
from congress.rules import Deadline
from suggestions import permissions
from suggestions.models import Assignment, Commitment, Proposal, Reply, Signer

# ---- filters ----------------------------------------------------------------------------------


class ProposalFilter(UpdatedSinceFilterSet):
    body = IdFilter(field_name="body")
    term = IdFilter(field_name="term")
    session = IdFilter(field_name="session")
    category = IdFilter(field_name="category")
    lead_deputy = IdFilter(field_name="lead_deputy")
    recess = django_filters.BooleanFilter(
        field_name="session", lookup_expr="isnull", help_text=_("true: filed between sessions only.")
    )
    received_from = django_filters.DateFilter(field_name="received_on", lookup_expr="gte")
    received_to = django_filters.DateFilter(field_name="received_on", lookup_expr="lte")

    class Meta:
        model = Proposal
        fields = [
            "body", "term", "session", "recess", "kind", "state", "category", "lead_deputy", "is_confidential",
            "received_from", "received_to", "updated_since",
        ]


# ---- output serializers -----------------------------------------------------------------------


class SignerOutputSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="deputy.name", read_only=True)
    confirmed = serializers.BooleanField(source="is_confirmed", read_only=True)

    class Meta:
        model = Signer
        fields = ["deputy", "name", "is_lead", "confirmed", "confirmed_at", "declined_at"]
        read_only_fields = fields


class ProposalOutputSerializer(serializers.ModelSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True, default=None)
    lead_deputy_name = serializers.CharField(source="lead_deputy.name", read_only=True)
    outcome = serializers.CharField(
        source="outcome.code", read_only=True, default=None,
        help_text=_("Class of the latest reply (A/B/C/D): the outcome, which the state is not."),
    )
    content_hidden = serializers.SerializerMethodField(
        help_text=_("True for a confidential proposal the caller may list but not read: its content, keywords, "
                    "files and replies are left out.")
    )
    signers = SignerOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id", "number", "converted_from_number", "kind", "state", "body", "term", "session", "title",
            "content", "keywords", "content_hidden", "category", "category_name", "lead_deputy",
            "lead_deputy_name", "signers", "is_confidential", "received_on", "submitted_at", "accepted_at",
            "intake_due", "outcome", "created_at", "updated_at",
        ]
        read_only_fields = fields

    def hidden(self, proposal) -> bool:
        readable = self.context.get("confidential_readable", set())
        return proposal.is_confidential and proposal.pk not in readable

    def get_content_hidden(self, proposal) -> bool:
        return self.hidden(proposal)

    def to_representation(self, proposal):
        data = super().to_representation(proposal)
        if self.hidden(proposal):
            data.update(content="", keywords="")
        return data


class CommitmentOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Commitment
        fields = ["id", "text", "due_on", "fulfilled_at", "report", "carried_over_to_year"]
        read_only_fields = fields


class ReplyOutputSerializer(serializers.ModelSerializer):
    reply_class = serializers.CharField(source="reply_class.code", read_only=True)
    commitments = CommitmentOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Reply
        fields = ["id", "round", "reply_class", "text", "officer", "submitted_at", "commitments"]
        read_only_fields = fields


class AssignmentOutputSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    reply_due_basis = serializers.SerializerMethodField(help_text=_("How the reply due date was computed."))
    replies = ReplyOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id", "unit", "unit_name", "role", "state", "round", "assigned_on", "reply_due", "reply_due_basis",
            "max_due", "is_extended", "replied_on", "rating_due", "rating_status", "replies", "updated_at",
        ]
        read_only_fields = fields

    def get_reply_due_basis(self, assignment) -> str:
        if not assignment.reply_due_basis:
            return ""
        return str(Deadline(assignment.reply_due, assignment.reply_due_basis).describe())


class ProposalDetailOutputSerializer(ProposalOutputSerializer):
    assignments = AssignmentOutputSerializer(many=True, read_only=True)
    attachments = serializers.SlugRelatedField(slug_field="original_name", many=True, read_only=True)

    class Meta(ProposalOutputSerializer.Meta):
        fields = [*ProposalOutputSerializer.Meta.fields, "return_note", "assignments", "attachments"]
        read_only_fields = fields

    def to_representation(self, proposal):
        data = super().to_representation(proposal)
        if self.hidden(proposal):
            data.update(return_note="", attachments=[])
            for assignment in data["assignments"]:
                assignment["replies"] = []
        return data


# ---- views: one per operation -----------------------------------------------------------------


def _proposals(user):
    signers = Signer.objects.select_related("deputy").order_by("-is_lead", "pk")
    return (
        permissions.visible_proposals(user)
        .select_related("category", "lead_deputy", "outcome")
        .prefetch_related(Prefetch("signers", queryset=signers))
        .order_by("-updated_at", "-pk")
    )


def _replies():
    commitments = Commitment.objects.order_by("due_on", "pk")
    return (
        Reply.objects.select_related("reply_class")
        .prefetch_related(Prefetch("commitments", queryset=commitments))
        .order_by("round")
    )


class _ProposalContextMixin:
    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["confidential_readable"] = getattr(self, "_confidential_readable", set())
        return context

    def _remember_readable(self, proposals):
        """Which confidential proposals of this page the caller may read, in one query."""
        confidential = [proposal.pk for proposal in proposals if proposal.is_confidential]
        self._confidential_readable = set(
            permissions.confidential_readable_proposals(self.request.user)
            .filter(pk__in=confidential).values_list("pk", flat=True)
        ) if confidential else set()


@extend_schema_view(
    get=extend_schema(operation_id="suggestions_list", summary=_("List proposals in the caller's scope"))
)
class ProposalListApi(ReadApi, _ProposalContextMixin, generics.ListAPIView):
    """Suggestions and motions the caller may read, most recently changed first; `updated_since`
    for incremental sync."""

    serializer_class = ProposalOutputSerializer
    filterset_class = ProposalFilter
    queryset = Proposal.objects.none()

    def get_queryset(self):
        return _proposals(self.request.user)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._remember_readable(page if page is not None else queryset)
        return page


@extend_schema_view(
    get=extend_schema(operation_id="suggestions_retrieve", summary=_("One proposal in the caller's scope"))
)
class ProposalDetailApi(ReadApi, _ProposalContextMixin, generics.RetrieveAPIView):
    """A proposal with its units' assignments (deadlines with their basis), replies and commitments."""

    serializer_class = ProposalDetailOutputSerializer
    queryset = Proposal.objects.none()

    def get_queryset(self):
        assignments = (
            permissions.visible_assignments(self.request.user).select_related("unit")
            .prefetch_related(Prefetch("replies", queryset=_replies())).order_by("role", "pk")
        )
        return _proposals(self.request.user).prefetch_related(
            Prefetch("assignments", queryset=assignments), "attachments"
        )

    def get_object(self):
        proposal = super().get_object()  # 404 outside the caller's scope
        self._remember_readable([proposal])
        return proposal


urlpatterns = [
    path("", access.api(ProposalListApi.as_view()), name="proposal_list"),
    path("<int:pk>/", access.api(ProposalDetailApi.as_view()), name="proposal_detail"),
]
