"""Citizens' opinions (群众意见), the answers to them, return visits and SMS verification codes."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.fields import BlindIndexField, EncryptedTextField

# Crockford's base32: no I, L, O or U, so a code read out on the phone is not misheard.
CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_CODE_LENGTH = 10  # 50 random bits


def new_receipt_code() -> str:
    return "".join(secrets.choice(CROCKFORD_ALPHABET) for _index in range(RECEIPT_CODE_LENGTH))


def normalise_receipt_code(value: str) -> str:
    """What a citizen types back: case-insensitive, I/L read as 1, O as 0, dashes and spaces ignored."""
    value = "".join(value.split()).replace("-", "").upper()
    return value.translate(str.maketrans({"I": "1", "L": "1", "O": "0"}))


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class OpinionQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(state=Opinion.State.CLOSED)


class Opinion(models.Model):
    class Source(models.TextChoices):
        RECEPTION = "reception", _("Reception day")
        QR_FORM = "qr_form", _("Online form (QR code)")
        PHONE = "phone", _("Phone call")
        DEPUTY_VISIT = "deputy_visit", _("Deputy’s visit")
        LETTER = "letter", _("Letter")

    class Category(models.TextChoices):
        URBAN = "urban", _("Urban construction and management")
        TRANSPORT = "transport", _("Roads and transport")
        ENVIRONMENT = "environment", _("Environment")
        EDUCATION = "education", _("Education")
        HEALTH = "health", _("Health care")
        SOCIAL = "social", _("Social security and employment")
        AGRICULTURE = "agriculture", _("Agriculture and rural affairs")
        SAFETY = "safety", _("Public safety")
        ECONOMY = "economy", _("Economy and business")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        RECEIVED = "received", _("Received")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ANSWERED_ON_SPOT = "answered_on_spot", _("Answered on the spot")
        PASSED_TO_TOWN = "passed_to_town", _("Passed to the town or street")
        PASSED_TO_DISTRICT = "passed_to_district", _("Passed to the district standing committee")
        PASSED_TO_UNIT = "passed_to_unit", _("Passed to a handling unit")
        TURNED_INTO_SUGGESTION = "turned_into_suggestion", _("Turned into a deputy’s suggestion")
        TURNED_INTO_TOPIC = "turned_into_topic", _("Turned into a supervision topic proposal")
        DECLINED = "declined", _("Declined, another channel named")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")

    class DeclineChannel(models.TextChoices):
        LITIGATION = "litigation", _("Litigation")
        ARBITRATION = "arbitration", _("Arbitration")
        ADMINISTRATIVE_RECONSIDERATION = "reconsideration", _("Administrative reconsideration")
        LETTERS_AND_VISITS = "letters_and_visits", _("Letters and visits (信访)")
        MEDIATION = "mediation", _("People’s mediation")
        OTHER = "other", _("Other channel")

    # The routes out of triage. Routing an item that was never acknowledged acknowledges it too,
    # so a reception answer given on the spot needs no separate acknowledgement step.
    ROUTES = (
        State.ANSWERED_ON_SPOT,
        State.PASSED_TO_TOWN,
        State.PASSED_TO_DISTRICT,
        State.PASSED_TO_UNIT,
        State.TURNED_INTO_SUGGESTION,
        State.TURNED_INTO_TOPIC,
        State.DECLINED,
    )
    # The office holding an item at its station may also answer it itself (the town's office for
    # its own stations); linked duplicates follow their primary's answer from any open state.
    TRANSITIONS = {
        State.RECEIVED: (State.ACKNOWLEDGED, State.ANSWERED, *ROUTES),
        State.ACKNOWLEDGED: (State.ANSWERED, *ROUTES),
        State.REOPENED: (State.ANSWERED, *ROUTES),
        # A town answers, takes the item up to the district, or names another channel.
        State.PASSED_TO_TOWN: (
            State.ANSWERED, State.PASSED_TO_DISTRICT, State.PASSED_TO_UNIT, State.TURNED_INTO_SUGGESTION,
            State.DECLINED,
        ),
        State.PASSED_TO_DISTRICT: (
            State.ANSWERED, State.PASSED_TO_UNIT, State.TURNED_INTO_SUGGESTION, State.TURNED_INTO_TOPIC,
            State.DECLINED,
        ),
        # A unit that is the wrong address hands the item back to the standing committee.
        State.PASSED_TO_UNIT: (State.ANSWERED, State.PASSED_TO_DISTRICT, State.DECLINED),
        State.TURNED_INTO_SUGGESTION: (State.ANSWERED,),
        State.TURNED_INTO_TOPIC: (State.ANSWERED,),
        State.ANSWERED_ON_SPOT: (State.CLOSED,),
        State.DECLINED: (State.CLOSED,),
        State.ANSWERED: (State.CLOSED,),
        State.CLOSED: (State.REOPENED,),
    }
    # States in which someone still owes the citizen an answer (the answer deadline runs).
    AWAITING_ANSWER = (
        State.ACKNOWLEDGED, State.REOPENED, State.PASSED_TO_TOWN, State.PASSED_TO_DISTRICT,
        State.PASSED_TO_UNIT, State.TURNED_INTO_SUGGESTION, State.TURNED_INTO_TOPIC,
    )
    # States whose answer is given; the item waits only for the organ that answered to close it.
    AWAITING_CLOSURE = (State.ANSWERED_ON_SPOT, State.DECLINED, State.ANSWERED)

    body = models.ForeignKey("congress.Body", verbose_name=_("Congress"), on_delete=models.PROTECT, related_name="+")
    # Where the opinion belongs for scoping: the station's region, else the deputy's.
    region = models.ForeignKey("congress.Region", verbose_name=_("Region"), on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey(
        "contact_stations.Station", verbose_name=_("Station"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="opinions",
    )
    # Addressed to this deputy (scanned from their card) or brought by them from a visit.
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("Deputy"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="opinions",
    )
    shift = models.ForeignKey(
        "contact_stations.DutyShift", verbose_name=_("Reception day"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="opinions",
    )
    source = models.CharField(_("Source"), max_length=16, choices=Source.choices)
    content = models.TextField(_("Content"))
    category = models.CharField(_("Category"), max_length=16, choices=Category.choices, default=Category.OTHER)
    place = models.CharField(_("Place concerned"), max_length=200, blank=True)
    receipt_code = models.CharField(_("Receipt code"), max_length=16, unique=True, editable=False)
    citizen_name = models.CharField(_("Citizen’s name"), max_length=64, blank=True)
    citizen_phone = EncryptedTextField(_("Citizen’s phone"), blank=True, default="")
    citizen_phone_index = BlindIndexField(source="citizen_phone")
    phone_verified_at = models.DateTimeField(_("Phone verified at"), null=True, blank=True)
    consent_at = models.DateTimeField(_("Consent to processing given at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Recorded by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    state = models.CharField(_("State"), max_length=24, choices=State.choices, default=State.RECEIVED)
    received_on = models.DateField(_("Received on"))
    ack_due = models.DateField(_("Acknowledge by"))
    ack_due_basis = models.JSONField(default=dict, blank=True)
    answer_due = models.DateField(_("Answer by"))
    answer_due_basis = models.JSONField(default=dict, blank=True)
    acknowledged_at = models.DateTimeField(_("Acknowledged at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("Answered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("Closed at"), null=True, blank=True)
    # Bumped at each closure; a return visit belongs to one round (see ReturnVisit).
    closure_round = models.PositiveSmallIntegerField(_("Closure round"), default=0)

    passed_to_unit = models.ForeignKey(
        "congress.Unit", verbose_name=_("Handling unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    decline_channel = models.CharField(
        _("Channel named"), max_length=24, choices=DeclineChannel.choices, blank=True
    )
    # The organ that answered (a unit, or the office of a region: the district standing
    # committee for the district, the town office for a town); only it may close the item.
    answered_by_unit = models.ForeignKey(
        "congress.Unit", verbose_name=_("Answered by unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    answered_by_region = models.ForeignKey(
        "congress.Region", verbose_name=_("Answered by the office of"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    # The suggestion draft or topic proposal the opinion became (the other app links back too).
    follow_up_content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    follow_up_object_id = models.CharField(max_length=64, null=True, blank=True)
    follow_up = GenericForeignKey("follow_up_content_type", "follow_up_object_id")
    # The deputy who takes the opinion up as a suggestion.
    follow_up_deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name=_("Deputy taking it up"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("Same matter as"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="duplicates",
    )
    anonymised_at = models.DateTimeField(_("Contact details removed at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Citizen’s opinion")
        verbose_name_plural = _("Citizens’ opinions")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(station__isnull=False) | Q(deputy__isnull=False), name="opinion_has_station_or_deputy"
            ),
            models.CheckConstraint(
                condition=~Q(state="passed_to_unit") | Q(passed_to_unit__isnull=False),
                name="opinion_unit_route_names_unit",
            ),
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(decline_channel=""), name="opinion_decline_names_channel"
            ),
            models.CheckConstraint(
                condition=~Q(duplicate_of=models.F("pk")), name="opinion_not_duplicate_of_itself"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "ack_due"], name="opinion_state_ack_due"),
            models.Index(fields=["state", "answer_due"], name="opinion_state_answer_due"),
            models.Index(fields=["state", "closed_at"], name="opinion_state_closed_at"),
        ]

    def __str__(self):
        return self.receipt_code

    @property
    def has_contact(self) -> bool:
        return bool(self.citizen_phone or self.citizen_name)


class OpinionAnswer(models.Model):
    """The text an organ gave the citizen; an opinion reopened and answered again has several."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("Answer"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Answered by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    organ_unit = models.ForeignKey("congress.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organ_region = models.ForeignKey(
        "congress.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The state the answer moved the opinion to (answered, answered on the spot, declined).
    kind = models.CharField(_("Kind"), max_length=24, choices=Opinion.State.choices)
    created_at = models.DateTimeField(_("Time"), auto_now_add=True)

    class Meta:
        verbose_name = _("Answer to an opinion")
        verbose_name_plural = _("Answers to opinions")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.opinion} · {self.created_at:%Y-%m-%d}"

    @property
    def organ_name(self) -> str:
        return str(self.organ_unit or self.organ_region or "")


class ReturnVisit(models.Model):
    """The citizen's rating of one closure of an opinion (回访).

    One row per (opinion, closure round): an item reopened and closed again is asked again, but
    each closure is rated once. The link's token is stored only as a SHA-256 digest and dies when
    used; a rating counts only while the opinion is still closed in the round it was issued for.
    """

    class Channel(models.TextChoices):
        LINK = "link", _("Link sent by SMS")
        PHONE_CALL = "phone_call", _("Phone call by the keeper")

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="return_visits")
    round = models.PositiveSmallIntegerField(_("Closure round"))
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    link_sent_at = models.DateTimeField(_("Link sent at"), null=True, blank=True)
    channel = models.CharField(_("Channel"), max_length=16, choices=Channel.choices, blank=True)
    rating = models.CharField(_("Rating"), max_length=24, choices=Rating.choices, blank=True)
    reason = models.TextField(_("Reason"), blank=True)
    rated_at = models.DateTimeField(_("Rated at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Recorded by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Return visit")
        verbose_name_plural = _("Return visits")
        ordering = ["opinion", "round"]
        constraints = [
            models.UniqueConstraint(fields=["opinion", "round"], name="return_visit_once_per_closure"),
            models.CheckConstraint(
                condition=Q(rated_at__isnull=True, rating="") | Q(rated_at__isnull=False) & ~Q(rating=""),
                name="return_visit_rating_with_time",
            ),
        ]

    def __str__(self):
        return f"{self.opinion} #{self.round}"

    @property
    def is_rated(self) -> bool:
        return self.rated_at is not None


class SmsCode(models.Model):
    """A one-time code sent to a citizen's phone to verify it; only an HMAC of the code is kept."""

    class Purpose(models.TextChoices):
        OPINION = "opinion", _("Submitting an opinion")

    phone_index = models.CharField(max_length=64, db_index=True)
    # A keyed digest of the requesting address: rate limiting needs equality, not the address.
    ip_index = models.CharField(max_length=64, db_index=True, blank=True)
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    # epoch seconds // SEND_INTERVAL: two sends for one phone in the same slot break the unique
    # constraint, so concurrent requests cannot both slip past the interval check.
    send_slot = models.BigIntegerField()
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    consumed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SMS verification code")
        verbose_name_plural = _("SMS verification codes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["phone_index", "purpose", "send_slot"], name="sms_code_one_per_slot"),
        ]

    def __str__(self):
        return f"{self.purpose} {self.created_at:%Y-%m-%d %H:%M}"


class OpinionPhoto(models.Model):
    """A photo a citizen attached to an opinion. Stored under MEDIA_ROOT (outside the web root),
    served only through a permission-checked view, type and size checked at upload (SECURITY S16)."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("Photo"), upload_to="contact_stations/opinions/%Y/%m/")
    content_type = models.CharField(max_length=32)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Photo of an opinion")
        verbose_name_plural = _("Photos of opinions")
        ordering = ["opinion", "pk"]

    def __str__(self):
        return self.image.name
