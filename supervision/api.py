"""REST API of supervision for township offices' systems (DESIGN §7), mounted at /api/v1/supervision/.

`topics/` reads the supervision topics in the caller's scope (supervision.permissions: a township
office reads the published topics of its own congress and of the bodies above it; another
scope's topic is a 404). `topic-proposals/` lets a township office send the topics it collected at
its stations, and lists its own; the POST honours `Idempotency-Key` (SECURITY S22). The citizen's
phone is write-only.
"""

import django_filters
from django.db.models import Q
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from congress import access
from congress.api import ReadApi
from congress.api_support import IdFilter, UpdatedSinceFilterSet
from congress.idempotency import IDEMPOTENCY_PARAMETER, IDEMPOTENCY_RESPONSES, IdempotentPostMixin
from congress.models import Body, Region
from congress.models.accounts import Role
from congress.permissions import paths_for_roles
from supervision import permissions, selectors, services
from supervision.models import Topic, TopicProposal

# ---- topics -----------------------------------------------------------------------------------


class TopicMilestoneSerializer(serializers.Serializer):
    name = serializers.ChoiceField(
        choices=["report_to_committee", "report_to_standing_committee", "report_to_members"],
        help_text=_("Which report of Supervision Law art. 15."),
    )
    due = serializers.DateField(allow_null=True)
    done = serializers.DateField(allow_null=True)
    basis = serializers.JSONField(allow_null=True, help_text=_("The rule and dates the due date was counted from."))


class SupervisionTopicOutputSerializer(serializers.ModelSerializer):
    body = serializers.IntegerField(source="plan.body_id", read_only=True)
    year = serializers.IntegerField(source="plan.year", read_only=True)
    supervised_units = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    milestones = TopicMilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Topic
        fields = [
            "id", "plan", "body", "year", "kind", "title", "description", "lead_committee", "supervised_units",
            "meeting_date", "state", "milestones", "updated_at",
        ]
        read_only_fields = fields


class TopicFilter(UpdatedSinceFilterSet):
    plan = IdFilter(field_name="plan")
    body = IdFilter(field_name="plan__body")
    year = django_filters.NumberFilter(field_name="plan__year")

    class Meta:
        model = Topic
        fields = ["plan", "body", "year", "kind", "state", "updated_since"]


def _topic_queryset(user):
    return selectors.visible_topics(user).order_by("pk")


@extend_schema_view(
    get=extend_schema(
        operation_id="supervision_topics_list", summary=_("List supervision topics in the caller's scope")
    )
)
class TopicListApi(ReadApi, generics.ListAPIView):
    serializer_class = SupervisionTopicOutputSerializer
    filterset_class = TopicFilter
    queryset = Topic.objects.none()

    def get_queryset(self):
        return _topic_queryset(self.request.user)


@extend_schema_view(
    get=extend_schema(
        operation_id="supervision_topics_retrieve", summary=_("One supervision topic in the caller's scope")
    )
)
class TopicDetailApi(ReadApi, generics.RetrieveAPIView):
    serializer_class = SupervisionTopicOutputSerializer
    queryset = Topic.objects.none()

    def get_queryset(self):
        return _topic_queryset(self.request.user)


# ---- topic proposals --------------------------------------------------------------------------


class TopicProposalOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = TopicProposal
        fields = [
            "id", "body", "year", "title", "necessity", "problem", "channel", "source_region", "citizen_name",
            "state", "decline_reason", "adopted_topic", "created_at", "updated_at",
        ]
        read_only_fields = fields


class TopicProposalCreateInputSerializer(serializers.Serializer):
    body = serializers.PrimaryKeyRelatedField(
        queryset=Body.objects.all(), help_text=_("The congress whose plan the topic is proposed for.")
    )
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), help_text=_("The town or street (or a village in it) it was collected in.")
    )
    title = serializers.CharField(max_length=200)
    necessity = serializers.CharField(max_length=4000)
    problem = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    name = serializers.CharField(max_length=64, required=False, allow_blank=True, default="",
                                 help_text=_("The citizen's name, if they gave it."))
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="", write_only=True,
                                  help_text=_("The citizen's phone, if they gave it; never returned."))

    def validate(self, attrs):
        body, region = attrs["body"], attrs["region"]
        if not region.path.startswith(body.region.path):
            raise serializers.ValidationError({"body": _("The region is outside this congress's area.")})
        return attrs


class ProposalFilter(UpdatedSinceFilterSet):
    body = IdFilter(field_name="body")
    year = django_filters.NumberFilter(field_name="year")

    class Meta:
        model = TopicProposal
        fields = ["body", "year", "state", "updated_since"]


def _own_proposals(user):
    """What the caller sent: created by them, or collected in their town by their office."""
    own = Q(created_by=user) | Q(proposer_user=user)
    for region_path in paths_for_roles(user, {Role.TOWNSHIP_OFFICER}) or []:
        own |= Q(source_region__path__startswith=region_path)
    return permissions.visible_proposals(user).filter(own).order_by("pk")


@extend_schema_view(
    get=extend_schema(operation_id="supervision_topic_proposals_list",
                      summary=_("List the topic proposals the caller's office sent")),
    post=extend_schema(
        operation_id="supervision_topic_proposals_create",
        summary=_("Send a topic proposal collected in a town"),
        description=_(
            "Accepted while the congress's topic solicitation is open (otherwise 400 `solicitation_closed`). "
            "The region must be in the caller's town."
        ),
        request=TopicProposalCreateInputSerializer,
        responses={201: TopicProposalOutputSerializer, **IDEMPOTENCY_RESPONSES},
        parameters=[IDEMPOTENCY_PARAMETER],
    ),
)
class ProposalListApi(IdempotentPostMixin, ReadApi, generics.ListCreateAPIView):
    serializer_class = TopicProposalOutputSerializer
    filterset_class = ProposalFilter
    queryset = TopicProposal.objects.none()

    def get_queryset(self):
        return _own_proposals(self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = TopicProposalCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        proposal = services.proposal_submit_by_township(
            actor=request.user, body=data["body"], region=data["region"], title=data["title"],
            necessity=data["necessity"], problem=data["problem"], name=data["name"], phone=data["phone"],
        )
        return Response(TopicProposalOutputSerializer(proposal).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("topics/", access.api(TopicListApi.as_view()), name="topic_list"),
    path("topics/<int:pk>/", access.api(TopicDetailApi.as_view()), name="topic_detail"),
    path("topic-proposals/", access.api(ProposalListApi.as_view()), name="topic_proposal_list"),
]
