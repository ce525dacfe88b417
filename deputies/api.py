"""REST API of the roster and the duty record for township offices' systems.

`urlpatterns` is mounted at /api/v1/deputies/ and `activities_api_patterns` at /api/v1/activities/
(congress/urls.py). A township office reads and writes its own township congress's deputies and
reads the district deputies elected in its town; everything else is a 404 (SECURITY S3). ID numbers
and phones are write-only and come back masked (S17); status and state are read-only here (S4):
ending a mandate and verifying an activity are console acts with a reason.
"""

import django_filters
from django.db.models import Prefetch
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from congress import access
from congress.api import ReadApi
from congress.api_support import IdFilter, UpdatedSinceFilterSet
from congress.models import Body, Region, Term
from congress.permissions import visible_bodies
from deputies import permissions, services
from deputies.forms import in_town
from deputies.models import (
    ActivityKind,
    Constituency,
    Delegation,
    Deputy,
    DutyActivity,
    DutyParticipation,
    Education,
    Gender,
    Party,
    Sector,
    ThemeYear,
)

# ---- deputies ---------------------------------------------------------------------------------


class TownFilter(IdFilter):
    """Deputies of a town or street: its township congress's deputies and the district deputies
    elected there (constituency or delegation in the town)."""

    def filter(self, queryset, value):
        if value in (None, ""):
            return queryset
        town = Region.objects.filter(pk=value).only("path").first()
        return queryset.none() if town is None else in_town(queryset, town)


class DeputyFilter(UpdatedSinceFilterSet):
    body = IdFilter(field_name="body")
    term = IdFilter(field_name="term")
    constituency = IdFilter(field_name="constituency")
    delegation = IdFilter(field_name="delegation")
    town = TownFilter(
        help_text=_("A town or street region id: its township deputies and the district deputies elected there.")
    )

    class Meta:
        model = Deputy
        fields = [
            "body", "term", "town", "constituency", "delegation", "status", "sector", "party", "gender",
            "is_standing_committee_member", "is_district_leader", "updated_since",
        ]


class DeputyOutputSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(source="masked_id_number", read_only=True, help_text=_("Masked."))
    phone = serializers.CharField(source="masked_phone", read_only=True, help_text=_("Masked."))
    can_edit = serializers.SerializerMethodField(help_text=_("Whether the caller may update this deputy."))

    class Meta:
        model = Deputy
        fields = [
            "id", "body", "term", "name", "gender", "ethnicity", "birth_date", "party", "education", "occupation",
            "employer", "sector", "constituency", "delegation", "status", "status_changed_on", "status_reason",
            "is_standing_committee_member", "is_district_leader", "id_number", "phone", "linked_mandate",
            "public_bio", "can_edit", "updated_at",
        ]
        read_only_fields = fields

    def get_can_edit(self, deputy) -> bool:
        manageable = self.context.get("manageable_body_ids")
        if manageable is None:
            return permissions.can_manage_deputy(self.context["request"].user, deputy)
        return deputy.body_id in manageable


class _ScopedRelatedMixin:
    """Limits every related-object choice to what the caller may see, so a write cannot point at
    another town's constituency (such an id reads as "does not exist")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # the schema generator instantiates serializers without a request
            return
        bodies = visible_bodies(request.user)
        for name, queryset in (
            ("body", bodies),
            ("term", Term.objects.filter(body__in=bodies)),
            ("constituency", Constituency.objects.filter(body__in=bodies)),
            ("delegation", Delegation.objects.filter(body__in=bodies)),
            ("theme_year", ThemeYear.objects.filter(body__in=bodies)),
        ):
            if name in self.fields:
                self.fields[name].queryset = queryset


class DeputyUpdateInputSerializer(_ScopedRelatedMixin, serializers.Serializer):
    """Roster fields a township office may change. Status, account and links are not among them."""

    name = serializers.CharField(max_length=64)
    gender = serializers.ChoiceField(choices=Gender.choices)
    ethnicity = serializers.CharField(max_length=16, required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    party = serializers.ChoiceField(choices=Party.choices, required=False)
    education = serializers.ChoiceField(choices=Education.choices, required=False, allow_blank=True)
    occupation = serializers.CharField(max_length=100, required=False, allow_blank=True)
    employer = serializers.CharField(max_length=200, required=False, allow_blank=True)
    sector = serializers.ChoiceField(choices=Sector.choices, required=False)
    constituency = serializers.PrimaryKeyRelatedField(
        queryset=Constituency.objects.none(), required=False, allow_null=True
    )
    delegation = serializers.PrimaryKeyRelatedField(
        queryset=Delegation.objects.none(), required=False, allow_null=True
    )
    is_standing_committee_member = serializers.BooleanField(required=False)
    is_district_leader = serializers.BooleanField(required=False)
    id_number = serializers.CharField(
        max_length=18, required=False, allow_blank=True, write_only=True,
        help_text=_("Resident ID number (checked); never returned in full."),
    )
    phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, write_only=True,
        help_text=_("Mobile phone; never returned in full."),
    )
    public_bio = serializers.CharField(required=False, allow_blank=True)


class DeputyCreateInputSerializer(DeputyUpdateInputSerializer):
    body = serializers.PrimaryKeyRelatedField(queryset=Body.objects.none())
    term = serializers.PrimaryKeyRelatedField(queryset=Term.objects.none())


def _deputy_queryset(user):
    return permissions.visible_deputies(user).with_roster_relations().order_by("pk")


class DeputyContextMixin:
    def get_serializer_context(self):
        context = super().get_serializer_context()
        # One query for the caller's write scope instead of one predicate per listed deputy.
        context["manageable_body_ids"] = set(
            permissions.manageable_deputies(self.request.user).values_list("body_id", flat=True).distinct()
        )
        return context


@extend_schema_view(
    get=extend_schema(operation_id="deputies_list", summary=_("List deputies in the caller's scope")),
    post=extend_schema(
        operation_id="deputies_create",
        summary=_("Add a deputy"),
        description=_("Township offices add deputies of their own township congress only (others: 403)."),
        request=DeputyCreateInputSerializer,
        responses={201: DeputyOutputSerializer},
    ),
)
class DeputyListApi(ReadApi, DeputyContextMixin, generics.ListCreateAPIView):
    """Deputies (one row per mandate) the caller may read; `updated_since` for incremental sync."""

    serializer_class = DeputyOutputSerializer
    filterset_class = DeputyFilter
    queryset = Deputy.objects.none()

    def get_queryset(self):
        return _deputy_queryset(self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = DeputyCreateInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        deputy = services.deputy_create(
            actor=request.user, body=data.pop("body"), term=data.pop("term"), name=data.pop("name"),
            gender=data.pop("gender"), **data,
        )
        deputy = _deputy_queryset(request.user).get(pk=deputy.pk)
        output = DeputyOutputSerializer(deputy, context=self.get_serializer_context())
        return Response(output.data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(operation_id="deputies_retrieve", summary=_("One deputy in the caller's scope")),
    put=extend_schema(
        operation_id="deputies_update",
        summary=_("Replace a deputy's roster fields"),
        request=DeputyUpdateInputSerializer,
        responses={200: DeputyOutputSerializer},
    ),
    patch=extend_schema(
        operation_id="deputies_partial_update",
        summary=_("Change some of a deputy's roster fields"),
        description=_("District deputies elected in the caller's town are read-only for a township office (403)."),
        request=DeputyUpdateInputSerializer,
        responses={200: DeputyOutputSerializer},
    ),
)
class DeputyDetailApi(ReadApi, DeputyContextMixin, generics.RetrieveUpdateAPIView):
    serializer_class = DeputyOutputSerializer
    queryset = Deputy.objects.none()

    def get_queryset(self):
        return _deputy_queryset(self.request.user)

    def update(self, request, *args, **kwargs):
        deputy = self.get_object()  # 404 outside the caller's scope
        if not permissions.can_manage_deputy(request.user, deputy):
            raise PermissionDenied(_("This deputy is read-only for you."))
        serializer = DeputyUpdateInputSerializer(
            data=request.data, partial=kwargs.get("partial", False), context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        services.deputy_update(actor=request.user, deputy=deputy, **serializer.validated_data)
        deputy = self.get_queryset().get(pk=deputy.pk)
        return Response(DeputyOutputSerializer(deputy, context=self.get_serializer_context()).data)


# ---- activities -------------------------------------------------------------------------------


class ActivityFilter(UpdatedSinceFilterSet):
    body = IdFilter(field_name="body")
    deputy = IdFilter(field_name="participations__deputy", distinct=True)
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = DutyActivity
        fields = ["body", "deputy", "kind", "source", "state", "date_from", "date_to", "updated_since"]


class ParticipationOutputSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)

    class Meta:
        model = DutyParticipation
        fields = ["deputy", "deputy_name", "attendance", "note"]
        read_only_fields = fields


class ActivityOutputSerializer(serializers.ModelSerializer):
    participants = ParticipationOutputSerializer(source="participations", many=True, read_only=True)

    class Meta:
        model = DutyActivity
        fields = [
            "id", "body", "kind", "title", "date", "place", "description", "source", "state", "rejection_reason",
            "theme_year", "participants", "created_at", "updated_at",
        ]
        read_only_fields = fields


class VisibleDeputyField(serializers.PrimaryKeyRelatedField):
    """A deputy the caller may see; any other id reads as "does not exist"."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Deputy.objects.none()
        return permissions.visible_deputies(request.user).select_related("body")


class ParticipantInputSerializer(serializers.Serializer):
    deputy = VisibleDeputyField(queryset=Deputy.objects.none())
    attendance = serializers.ChoiceField(
        choices=DutyParticipation.Attendance.choices, default=DutyParticipation.Attendance.PRESENT
    )


class ActivityInputSerializer(_ScopedRelatedMixin, serializers.Serializer):
    body = serializers.PrimaryKeyRelatedField(queryset=Body.objects.none())
    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    date = serializers.DateField()
    title = serializers.CharField(max_length=200)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    theme_year = serializers.PrimaryKeyRelatedField(queryset=ThemeYear.objects.none(), required=False, allow_null=True)
    participants = ParticipantInputSerializer(many=True, allow_empty=False)

    def validate_participants(self, value):
        deputies = [item["deputy"].pk for item in value]
        if len(deputies) != len(set(deputies)):
            raise serializers.ValidationError(_("A deputy is named twice."))
        return value


def _activity_queryset(user):
    visible = permissions.visible_deputies(user).values("pk")
    # Only the participants the caller may see are listed: a district session attended by deputies
    # of both towns shows each town's office its own deputies only.
    participations = DutyParticipation.objects.filter(deputy__in=visible).select_related("deputy").order_by("pk")
    return (
        DutyActivity.objects.filter(pk__in=permissions.visible_activities(user).values("pk"))
        .prefetch_related(Prefetch("participations", queryset=participations))
        .order_by("-date", "-pk")
    )


@extend_schema_view(
    get=extend_schema(operation_id="activities_list", summary=_("List duty activities in the caller's scope")),
    post=extend_schema(
        operation_id="activities_create",
        summary=_("Record a duty activity"),
        description=_(
            "A township office records activities of its own township deputies; they count at once. A deputy "
            "reporting their own activity (one participant: themself) creates a pending report that staff "
            "verify before it counts."
        ),
        request=ActivityInputSerializer,
        responses={201: ActivityOutputSerializer},
    ),
)
class ActivityListApi(ReadApi, generics.ListCreateAPIView):
    serializer_class = ActivityOutputSerializer
    filterset_class = ActivityFilter
    queryset = DutyActivity.objects.none()

    def get_queryset(self):
        return _activity_queryset(self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = ActivityInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        body = data["body"]
        participants = {item["deputy"]: item["attendance"] for item in data["participants"]}
        if permissions.can_manage_deputies(request.user, body):
            activity = services.activity_create(
                actor=request.user, body=body, kind=data["kind"], date=data["date"], title=data["title"],
                participants=participants, description=data["description"], place=data["place"],
                theme_year=data.get("theme_year"),
            )
        else:
            own = [deputy for deputy in participants if deputy.user_id == request.user.pk]
            if len(participants) != 1 or not own or own[0].body_id != body.pk:
                raise PermissionDenied(_("You may record activities only of deputies you keep, or report your own."))
            activity = services.activity_self_report(
                actor=request.user, deputy=own[0], kind=data["kind"], date=data["date"], title=data["title"],
                description=data["description"], place=data["place"], theme_year=data.get("theme_year"),
            )
        activity = self.get_queryset().get(pk=activity.pk)
        return Response(ActivityOutputSerializer(activity).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(operation_id="activities_retrieve", summary=_("One duty activity in the caller's scope"))
)
class ActivityDetailApi(ReadApi, generics.RetrieveAPIView):
    serializer_class = ActivityOutputSerializer
    queryset = DutyActivity.objects.none()

    def get_queryset(self):
        return _activity_queryset(self.request.user)


urlpatterns = [
    path("", access.api(DeputyListApi.as_view()), name="deputy_list"),
    path("<int:pk>/", access.api(DeputyDetailApi.as_view()), name="deputy_detail"),
]

activities_api_patterns = [
    path("", access.api(ActivityListApi.as_view()), name="activity_list"),
    path("<int:pk>/", access.api(ActivityDetailApi.as_view()), name="activity_detail"),
]
