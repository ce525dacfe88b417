"""REST API of the contact stations for township offices' systems (DESIGN §7).

`urlpatterns` is mounted at /api/v1/stations/ (stations, and each station's shifts) and
`opinions_api_patterns` at /api/v1/opinions/ (opinions and their transitions) by congress/urls.py.
A township office reads and writes its own town's stations, shifts and opinions; anything else is
a 404 (SECURITY S3). One view per operation, each with its own input and output serializers;
every write goes through `contact_stations.services`, and every POST honours `Idempotency-Key`
(S22, `congress.idempotency`).
"""

import django_filters
from django.db.models import Prefetch, Q
from django.http import Http404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from congress import access
from congress.api import ReadApi
from congress.api_support import IdFilter, UpdatedSinceFilterSet
from congress.idempotency import IDEMPOTENCY_PARAMETER, IDEMPOTENCY_RESPONSES, IdempotentPostMixin, idempotent
from contact_stations import selectors, services
from contact_stations.models import DutyShift, Opinion, OpinionAnswer, Station, StationDeputy
from contact_stations.serializers import (
    OpinionCreateInputSerializer,
    OpinionOutputSerializer,
    OpinionTransitionInputSerializer,
    ShiftCreateInputSerializer,
    ShiftOutputSerializer,
    StationOutputSerializer,
    Transition,
)

# ---- stations ---------------------------------------------------------------------------------


class StationFilter(UpdatedSinceFilterSet):
    region = IdFilter(field_name="region", help_text=_("Stations directly in this region."))
    body = IdFilter(field_name="body")

    class Meta:
        model = Station
        fields = ["region", "body", "kind", "status", "updated_since"]


def _station_queryset(user):
    current = StationDeputy.objects.current().select_related("deputy").order_by("deputy__name", "pk")
    return (
        selectors.stations_for(user)
        .prefetch_related(Prefetch("assignments", queryset=current, to_attr="current_assignments"))
        .order_by("pk")
    )


@extend_schema_view(get=extend_schema(operation_id="stations_list", summary=_("List stations in the caller's scope")))
class StationListApi(ReadApi, generics.ListAPIView):
    serializer_class = StationOutputSerializer
    filterset_class = StationFilter
    queryset = Station.objects.none()

    def get_queryset(self):
        return _station_queryset(self.request.user)


@extend_schema_view(get=extend_schema(operation_id="stations_retrieve", summary=_("One station in the caller's scope")))
class StationDetailApi(ReadApi, generics.RetrieveAPIView):
    serializer_class = StationOutputSerializer
    queryset = Station.objects.none()

    def get_queryset(self):
        return _station_queryset(self.request.user)


# ---- shifts -----------------------------------------------------------------------------------


class ShiftFilter(UpdatedSinceFilterSet):
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = DutyShift
        fields = ["state", "kind", "date_from", "date_to", "updated_since"]


@extend_schema_view(
    get=extend_schema(operation_id="stations_shifts_list", summary=_("List a station's duty shifts")),
    post=extend_schema(
        operation_id="stations_shifts_create",
        summary=_("Add a one-off duty shift"),
        description=_(
            "A shift outside the roster (e.g. leaders visiting the station). It starts planned; announcing it, "
            "check-in and the visitor count are workflow steps, not fields."
        ),
        request=ShiftCreateInputSerializer,
        responses={201: ShiftOutputSerializer, **IDEMPOTENCY_RESPONSES},
        parameters=[IDEMPOTENCY_PARAMETER],
    ),
)
class ShiftListApi(IdempotentPostMixin, ReadApi, generics.ListCreateAPIView):
    serializer_class = ShiftOutputSerializer
    filterset_class = ShiftFilter
    queryset = DutyShift.objects.none()

    def station(self) -> Station:
        if not hasattr(self, "_station"):
            station = selectors.stations_for(self.request.user).filter(pk=self.kwargs["station_pk"]).first()
            if station is None:
                raise Http404
            self._station = station
        return self._station

    def get_queryset(self):
        return selectors.shifts_for(self.request.user, station=self.station()).order_by("date", "start_time", "pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if "station_pk" in self.kwargs:  # the schema generator has no URL kwargs
            context["station"] = self.station()
        return context

    def create(self, request, *args, **kwargs):
        station = self.station()
        serializer = ShiftCreateInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        shift = services.shift_create(actor=request.user, station=station, **serializer.validated_data)
        shift = self.get_queryset().get(pk=shift.pk)
        return Response(ShiftOutputSerializer(shift).data, status=status.HTTP_201_CREATED)


# ---- opinions ---------------------------------------------------------------------------------


class OverdueFilter(django_filters.BooleanFilter):
    def filter(self, queryset, value):
        if value is None:
            return queryset
        today = timezone.localdate()
        overdue = Q(state=Opinion.State.RECEIVED, ack_due__lt=today) | Q(
            state__in=[Opinion.State.RECEIVED, *Opinion.AWAITING_ANSWER], answer_due__lt=today
        )
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class OpinionFilter(UpdatedSinceFilterSet):
    station = IdFilter(field_name="station")
    region = IdFilter(field_name="region")
    received_from = django_filters.DateFilter(field_name="received_on", lookup_expr="gte")
    received_to = django_filters.DateFilter(field_name="received_on", lookup_expr="lte")
    overdue = OverdueFilter(help_text=_("Only items whose acknowledgement or answer deadline has passed (or not)."))

    class Meta:
        model = Opinion
        fields = [
            "state", "source", "category", "station", "region", "received_from", "received_to", "overdue",
            "updated_since",
        ]


def _opinion_queryset(user):
    answers = OpinionAnswer.objects.select_related("organ_unit", "organ_region").order_by("created_at", "pk")
    return (
        selectors.opinions_for(user)
        .select_related("station__keeper", "deputy__user")
        .prefetch_related(Prefetch("answers", queryset=answers))
        .order_by("pk")
    )


class TodayContextMixin:
    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}


@extend_schema_view(
    get=extend_schema(operation_id="opinions_list", summary=_("List citizens' opinions in the caller's scope")),
    post=extend_schema(
        operation_id="opinions_create",
        summary=_("Record a citizen's opinion"),
        description=_(
            "Taken down at a reception, by phone, from a letter or on a deputy's visit. Contact details are "
            "optional, need the citizen's consent, and come back masked; the receipt code and the deadlines "
            "are assigned by the platform."
        ),
        request=OpinionCreateInputSerializer,
        responses={201: OpinionOutputSerializer, **IDEMPOTENCY_RESPONSES},
        parameters=[IDEMPOTENCY_PARAMETER],
    ),
)
class OpinionListApi(IdempotentPostMixin, TodayContextMixin, ReadApi, generics.ListCreateAPIView):
    serializer_class = OpinionOutputSerializer
    filterset_class = OpinionFilter
    queryset = Opinion.objects.none()

    def get_queryset(self):
        return _opinion_queryset(self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = OpinionCreateInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        opinion = services.opinion_record(actor=request.user, **serializer.validated_data)
        opinion = self.get_queryset().get(pk=opinion.pk)
        return Response(
            OpinionOutputSerializer(opinion, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema_view(
    get=extend_schema(operation_id="opinions_retrieve", summary=_("One citizen's opinion in the caller's scope"))
)
class OpinionDetailApi(TodayContextMixin, ReadApi, generics.RetrieveAPIView):
    serializer_class = OpinionOutputSerializer
    queryset = Opinion.objects.none()

    def get_queryset(self):
        return _opinion_queryset(self.request.user)


def apply_transition(*, actor, opinion: Opinion, data: dict) -> Opinion:
    """Call the service behind one named transition (shared with the console's action forms)."""
    name = data["transition"]
    common = {"actor": actor, "opinion": opinion}
    if data.get("expected_state"):
        common["expected"] = data["expected_state"]
    if name == Transition.ACKNOWLEDGE:
        return services.opinion_acknowledge(**common)
    if name == Transition.ANSWER_ON_SPOT:
        return services.opinion_answer_on_spot(**common, text=data["text"])
    if name == Transition.ROUTE_TO_TOWN:
        return services.opinion_pass_to_town(**common, note=data.get("note", ""))
    if name == Transition.ROUTE_TO_DISTRICT:
        return services.opinion_pass_to_district(**common, note=data.get("note", ""))
    if name == Transition.ROUTE_TO_UNIT:
        return services.opinion_pass_to_unit(**common, unit=data["unit"], note=data.get("note", ""))
    if name == Transition.TURN_INTO_SUGGESTION:
        return services.opinion_turn_into_suggestion(**common, deputy=data["deputy"], note=data.get("note", ""))
    if name == Transition.TURN_INTO_TOPIC:
        return services.opinion_turn_into_topic(**common, note=data.get("note", ""))
    if name == Transition.DECLINE:
        return services.opinion_decline(**common, channel=data["channel"], text=data["text"])
    if name == Transition.ANSWER:
        return services.opinion_answer(**common, text=data["text"])
    if name == Transition.CLOSE:
        return services.opinion_close(**common)
    if name == Transition.REOPEN:
        return services.opinion_reopen(**common, reason=data["reason"])
    raise ValueError(name)


class OpinionTransitionApi(TodayContextMixin, ReadApi, APIView):
    """Move an opinion along its workflow: route, answer, decline, close or reopen it."""

    @extend_schema(
        operation_id="opinions_transitions_create",
        summary=_("Apply a transition to an opinion"),
        description=_(
            "`transition` names the move; `text`, `note`, `reason`, `channel`, `unit` and `deputy` are needed as "
            "each transition says. Only the moves the workflow allows from the current state succeed (409 "
            "`illegal_transition`), only for whoever holds the item (403 `permission_denied`); deputies never "
            "close. With `expected_state`, a move on an item that changed meanwhile is refused (409 "
            "`state_changed`)."
        ),
        request=OpinionTransitionInputSerializer,
        responses={200: OpinionOutputSerializer, **IDEMPOTENCY_RESPONSES},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @idempotent
    def post(self, request, pk):
        opinion = _opinion_queryset(request.user).filter(pk=pk).first()
        if opinion is None:
            raise Http404
        serializer = OpinionTransitionInputSerializer(
            data=request.data, context={**self.get_serializer_context(), "opinion": opinion}
        )
        serializer.is_valid(raise_exception=True)
        apply_transition(actor=request.user, opinion=opinion, data=serializer.validated_data)
        opinion = _opinion_queryset(request.user).filter(pk=pk).first()
        if opinion is None:  # e.g. a unit's officer who has just handed the item back
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(OpinionOutputSerializer(opinion, context=self.get_serializer_context()).data)

    def get_serializer_context(self):
        return {"request": self.request, "view": self, "today": timezone.localdate()}


urlpatterns = [
    path("", access.api(StationListApi.as_view()), name="station_list"),
    path("<int:pk>/", access.api(StationDetailApi.as_view()), name="station_detail"),
    path("<int:station_pk>/shifts/", access.api(ShiftListApi.as_view()), name="station_shift_list"),
]

opinions_api_patterns = [
    path("", access.api(OpinionListApi.as_view()), name="opinion_list"),
    path("<int:pk>/", access.api(OpinionDetailApi.as_view()), name="opinion_detail"),
    path("<int:pk>/transitions/", access.api(OpinionTransitionApi.as_view()), name="opinion_transition"),
]
