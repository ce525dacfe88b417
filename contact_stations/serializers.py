"""Input and output serializers of the contact-stations API, one pair per operation.

Output serializers are read-only through and through (SECURITY S4): state, receipt code,
deadlines, the organ that answered are never taken from a request. Citizens' names and phones
come back masked (S17). Every related-object input is limited to what the caller may see, so an
id from another town reads as "does not exist" and reveals nothing (S3).
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from congress.masking import mask_name, mask_phone
from congress.models import Unit
from congress.permissions import visible_units
from contact_stations import permissions
from contact_stations.models import DutyShift, Opinion, OpinionAnswer, ShiftDuty, ShiftKind, Station, StationDeputy
from deputies.models import Deputy
from deputies.permissions import visible_deputies

# ---- stations ---------------------------------------------------------------------------------


class StationDeputyOutputSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="deputy.name", read_only=True)

    class Meta:
        model = StationDeputy
        fields = ["deputy", "name", "since"]
        read_only_fields = fields


class StationOutputSerializer(serializers.ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    keeper_name = serializers.SerializerMethodField()
    deputies = StationDeputyOutputSerializer(source="current_assignments", many=True, read_only=True)

    class Meta:
        model = Station
        fields = [
            "id", "body", "region", "region_name", "parent", "kind", "name", "industry", "address", "latitude",
            "longitude", "opening_hours", "keeper", "keeper_name", "status", "public_code", "deputies",
            "created_at", "updated_at",
        ]
        read_only_fields = fields

    def get_keeper_name(self, station) -> str:
        return station.keeper.display_name if station.keeper_id else ""


# ---- shifts -----------------------------------------------------------------------------------


class ShiftDutyOutputSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="deputy.name", read_only=True)
    checked_in = serializers.SerializerMethodField()

    class Meta:
        model = ShiftDuty
        fields = ["deputy", "name", "checked_in", "checked_in_at", "no_show"]
        read_only_fields = fields

    def get_checked_in(self, duty) -> bool:
        return duty.checked_in_at is not None


class ShiftOutputSerializer(serializers.ModelSerializer):
    duties = ShiftDutyOutputSerializer(many=True, read_only=True)

    class Meta:
        model = DutyShift
        fields = [
            "id", "station", "roster_rule", "kind", "date", "start_time", "end_time", "state",
            "notice_published_on", "visitor_count", "note", "cancel_reason", "duties", "created_at", "updated_at",
        ]
        read_only_fields = fields


class StationDeputyField(serializers.PrimaryKeyRelatedField):
    """A deputy stationed at the station in the URL, or any deputy the caller may see."""

    def get_queryset(self):
        request = self.context.get("request")
        station = self.context.get("station")
        if request is None or station is None:
            return Deputy.objects.none()
        stationed = StationDeputy.objects.current().filter(station=station).values("deputy_id")
        return Deputy.objects.filter(Q(pk__in=stationed) | Q(pk__in=visible_deputies(request.user).values("pk")))


class ShiftCreateInputSerializer(serializers.Serializer):
    """A one-off shift outside the roster (a leaders' visit, an extra reception day). Its state,
    notice and visitor count are set by the workflow, never here."""

    kind = serializers.ChoiceField(choices=ShiftKind.choices, default=ShiftKind.RECEPTION)
    date = serializers.DateField()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    deputies = StationDeputyField(queryset=Deputy.objects.none(), many=True, required=False, default=list)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    def validate(self, attrs):
        if attrs["end_time"] <= attrs["start_time"]:
            raise serializers.ValidationError({"end_time": _("The shift must end after it starts.")})
        if len({deputy.pk for deputy in attrs["deputies"]}) != len(attrs["deputies"]):
            raise serializers.ValidationError({"deputies": _("A deputy is named twice.")})
        return attrs


# ---- opinions ---------------------------------------------------------------------------------


class OpinionAnswerOutputSerializer(serializers.ModelSerializer):
    organ = serializers.CharField(source="organ_name", read_only=True)

    class Meta:
        model = OpinionAnswer
        fields = ["kind", "text", "organ", "created_at"]
        read_only_fields = fields


class OpinionOutputSerializer(serializers.ModelSerializer):
    citizen_name = serializers.SerializerMethodField(help_text=_("Masked: the family name only."))
    citizen_phone = serializers.SerializerMethodField(help_text=_("Masked."))
    has_contact = serializers.BooleanField(read_only=True)
    overdue = serializers.SerializerMethodField(help_text=_("An acknowledgement or answer deadline has passed."))
    answers = OpinionAnswerOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Opinion
        fields = [
            "id", "receipt_code", "body", "region", "station", "deputy", "shift", "source", "content", "category",
            "place", "citizen_name", "citizen_phone", "has_contact", "phone_verified_at", "consent_at", "state",
            "received_on", "ack_due", "ack_due_basis", "answer_due", "answer_due_basis", "acknowledged_at",
            "answered_at", "closed_at", "closure_round", "passed_to_unit", "decline_channel", "answered_by_unit",
            "answered_by_region", "follow_up_deputy", "duplicate_of", "overdue", "answers", "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_citizen_name(self, opinion) -> str:
        return "" if opinion.anonymised_at else mask_name(opinion.citizen_name)

    def get_citizen_phone(self, opinion) -> str:
        return "" if opinion.anonymised_at else mask_phone(opinion.citizen_phone)

    def get_overdue(self, opinion) -> bool:
        return is_overdue(opinion, self.context.get("today") or timezone.localdate())


def is_overdue(opinion: Opinion, today) -> bool:
    if opinion.state == Opinion.State.RECEIVED and opinion.ack_due < today:
        return True
    return opinion.state in (Opinion.State.RECEIVED, *Opinion.AWAITING_ANSWER) and opinion.answer_due < today


class ScopedStationField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Station.objects.none()
        return permissions.visible_stations(request.user).select_related("region", "body")


class ScopedDeputyField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Deputy.objects.none()
        return visible_deputies(request.user).select_related("body__region", "constituency__region")


class ScopedShiftField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return DutyShift.objects.none()
        return permissions.visible_shifts(request.user)


class ScopedUnitField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Unit.objects.none()
        return visible_units(request.user)


class OpinionCreateInputSerializer(serializers.Serializer):
    """An opinion taken down by a township office or a station: at a reception, by phone, from a
    letter or a deputy's visit. (The public QR form has its own page with SMS verification.)"""

    source = serializers.ChoiceField(choices=[c for c in Opinion.Source.choices if c[0] != Opinion.Source.QR_FORM])
    content = serializers.CharField(max_length=5000)
    station = ScopedStationField(queryset=Station.objects.none(), required=False, allow_null=True, default=None)
    deputy = ScopedDeputyField(queryset=Deputy.objects.none(), required=False, allow_null=True, default=None)
    shift = ScopedShiftField(queryset=DutyShift.objects.none(), required=False, allow_null=True, default=None)
    category = serializers.ChoiceField(choices=Opinion.Category.choices, default=Opinion.Category.OTHER)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    citizen_name = serializers.CharField(
        max_length=64, required=False, allow_blank=True, default="", write_only=True,
        help_text=_("Optional; needs consent. Returned masked."),
    )
    citizen_phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default="", write_only=True,
        help_text=_("Optional mobile phone; needs consent. Stored encrypted, returned masked."),
    )
    consent = serializers.BooleanField(
        default=False, help_text=_("The citizen agreed to the processing of their contact details.")
    )
    received_on = serializers.DateField(required=False, allow_null=True, default=None)

    def validate_received_on(self, value):
        if value is not None and value > timezone.localdate():
            raise serializers.ValidationError(_("The date cannot be in the future."))
        return value

    def validate(self, attrs):
        if attrs["station"] is None and attrs["deputy"] is None:
            raise serializers.ValidationError({"station": _("Name the station (or the deputy) the opinion came to.")})
        return attrs


class Transition:
    """The names of the transitions the API accepts, and which inputs each needs."""

    ACKNOWLEDGE = "acknowledge"
    ANSWER_ON_SPOT = "answer_on_spot"
    ROUTE_TO_TOWN = "route_to_town"
    ROUTE_TO_DISTRICT = "route_to_district"
    ROUTE_TO_UNIT = "route_to_unit"
    TURN_INTO_SUGGESTION = "turn_into_suggestion"
    TURN_INTO_TOPIC = "turn_into_topic"
    DECLINE = "decline"
    ANSWER = "answer"
    CLOSE = "close"
    REOPEN = "reopen"

    CHOICES = [
        (ACKNOWLEDGE, _("Acknowledge receipt")),
        (ANSWER_ON_SPOT, _("Answered on the spot (needs text)")),
        (ROUTE_TO_TOWN, _("Pass to the town or street office")),
        (ROUTE_TO_DISTRICT, _("Pass to the district standing committee")),
        (ROUTE_TO_UNIT, _("Pass to a handling unit (needs unit)")),
        (TURN_INTO_SUGGESTION, _("A deputy takes it up as a suggestion (needs deputy)")),
        (TURN_INTO_TOPIC, _("Turn into a supervision topic proposal")),
        (DECLINE, _("Decline, naming the right channel (needs channel and text)")),
        (ANSWER, _("Answer (needs text)")),
        (CLOSE, _("Close (only the organ that answered)")),
        (REOPEN, _("Reopen (needs reason)")),
    ]
    REQUIRED = {
        ANSWER_ON_SPOT: ("text",),
        ROUTE_TO_UNIT: ("unit",),
        TURN_INTO_SUGGESTION: ("deputy",),
        DECLINE: ("channel", "text"),
        ANSWER: ("text",),
        REOPEN: ("reason",),
    }


class ServingDeputyField(serializers.PrimaryKeyRelatedField):
    """A serving deputy the caller may see, or one stationed at the opinion's station."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Deputy.objects.none()
        scope = Q(pk__in=visible_deputies(request.user).values("pk"))
        opinion = self.context.get("opinion")
        if opinion is not None and opinion.station_id:
            scope |= Q(pk__in=StationDeputy.objects.current().filter(station_id=opinion.station_id).values("deputy_id"))
        return Deputy.objects.filter(scope)


class OpinionTransitionInputSerializer(serializers.Serializer):
    transition = serializers.ChoiceField(choices=Transition.CHOICES)
    expected_state = serializers.ChoiceField(
        choices=Opinion.State.choices, required=False,
        help_text=_("The state the client last saw; if the opinion has moved on since, 409 `state_changed`."),
    )
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
    channel = serializers.ChoiceField(choices=Opinion.DeclineChannel.choices, required=False)
    unit = ScopedUnitField(queryset=Unit.objects.none(), required=False)
    deputy = ServingDeputyField(queryset=Deputy.objects.none(), required=False)

    def validate(self, attrs):
        missing = {
            name: [_("This field is required for this transition.")]
            for name in Transition.REQUIRED.get(attrs["transition"], ())
            if not attrs.get(name)
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs
