"""The roster: constituencies, delegations and deputies (one row per mandate)."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congress.fields import BlindIndexField, EncryptedTextField, new_public_code
from congress.masking import mask_id_number, mask_phone

# GB 11643-1999: 17 digits weighted mod 11, then a check character.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")
_PHONE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


def id_number_is_valid(value: str) -> bool:
    value = (value or "").strip().upper()
    if not _ID_PATTERN.match(value):
        return False
    total = sum(int(digit) * weight for digit, weight in zip(value[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == value[17]


def validate_id_number(value: str) -> None:
    if value and not id_number_is_valid(value):
        raise ValidationError(_("Invalid resident ID number (check digit does not match)."), code="invalid_id_number")


def validate_phone(value: str) -> None:
    if value and not _PHONE_PATTERN.match("".join(value.split())):
        raise ValidationError(_("Invalid mobile phone number."), code="invalid_phone")


class Constituency(models.Model):
    """An electoral district (选区) of one body's term, drawn over a town or a village."""

    body = models.ForeignKey(
        "congress.Body", verbose_name=_("Congress"), on_delete=models.PROTECT, related_name="constituencies"
    )
    term = models.ForeignKey(
        "congress.Term", verbose_name=_("Term"), on_delete=models.PROTECT, related_name="constituencies"
    )
    number = models.PositiveSmallIntegerField(_("Number"))
    name = models.CharField(_("Name"), max_length=100)
    region = models.ForeignKey(
        "congress.Region", verbose_name=_("Region"), on_delete=models.PROTECT, related_name="constituencies"
    )
    seats = models.PositiveSmallIntegerField(_("Seats"), default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Constituency")
        verbose_name_plural = _("Constituencies")
        ordering = ["body", "term", "number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="constituency_unique_number_per_term"),
        ]

    def __str__(self):
        return self.name


class Delegation(models.Model):
    """A delegation (代表团) in which deputies attend the congress, usually one per town."""

    body = models.ForeignKey(
        "congress.Body", verbose_name=_("Congress"), on_delete=models.PROTECT, related_name="delegations"
    )
    term = models.ForeignKey(
        "congress.Term", verbose_name=_("Term"), on_delete=models.PROTECT, related_name="delegations"
    )
    name = models.CharField(_("Name"), max_length=100)
    region = models.ForeignKey(
        "congress.Region",
        verbose_name=_("Region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delegations",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Delegation")
        verbose_name_plural = _("Delegations")
        ordering = ["body", "term", "name"]
        constraints = [models.UniqueConstraint(fields=["term", "name"], name="delegation_unique_name_per_term")]

    def __str__(self):
        return self.name


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Party(models.TextChoices):
    CPC = "cpc", _("Communist Party of China")
    RCCK = "rcck", _("Revolutionary Committee of the Kuomintang")
    CDL = "cdl", _("China Democratic League")
    CNDCA = "cndca", _("China National Democratic Construction Association")
    CAPD = "capd", _("China Association for Promoting Democracy")
    CPWDP = "cpwdp", _("Chinese Peasants' and Workers' Democratic Party")
    ZHI_GONG = "zhigong", _("China Zhi Gong Party")
    JIUSAN = "jiusan", _("Jiusan Society")
    TDSGL = "tdsgl", _("Taiwan Democratic Self-Government League")
    NON_PARTY = "non_party", _("Non-party")
    MASSES = "masses", _("The masses (no affiliation)")


class Education(models.TextChoices):
    DOCTORATE = "doctorate", _("Doctorate")
    MASTER = "master", _("Master's degree")
    BACHELOR = "bachelor", _("Bachelor's degree")
    COLLEGE = "college", _("Junior college")
    SECONDARY = "secondary", _("Senior secondary")
    JUNIOR = "junior", _("Junior secondary or below")


class Sector(models.TextChoices):
    """The composition categories a congress reports its deputies by (代表构成)."""

    WORKERS = "workers", _("Workers")
    FARMERS = "farmers", _("Farmers")
    PROFESSIONALS = "professionals", _("Professional and technical staff")
    CADRES = "cadres", _("Party and government cadres")
    BUSINESS = "business", _("Enterprise managers")
    MILITARY = "military", _("Military")
    OTHER = "other", _("Other")


class DeputyQuerySet(models.QuerySet):
    def serving(self):
        return self.filter(status=Deputy.Status.SERVING)

    def of_body(self, body):
        return self.filter(body=body)

    def with_roster_relations(self):
        return self.select_related("body__region", "term", "constituency__region", "delegation")


class Deputy(models.Model):
    """One mandate: a person elected to one body for one term.

    A person who sits in the district congress and a township congress at once has two rows,
    linked through `linked_mandate`, and may use one account for both (`user`).
    """

    class Status(models.TextChoices):
        SERVING = "serving", _("Serving")
        RESIGNED = "resigned", _("Resigned")
        TERMINATED = "terminated", _("Terminated")
        DECEASED = "deceased", _("Deceased")

    STATE_FIELD = "status"
    # A mandate ends once; a wrongly ended one is corrected by data repair, not by a transition.
    TRANSITIONS = {
        Status.SERVING: (Status.RESIGNED, Status.TERMINATED, Status.DECEASED),
    }

    # Shown on the public card and the API's public representation; everything else is private.
    PUBLIC_FIELDS = (
        "name", "gender", "ethnicity", "party", "occupation", "employer", "sector",
        "body", "constituency", "delegation", "photo", "public_bio",
    )

    body = models.ForeignKey(
        "congress.Body", verbose_name=_("Congress"), on_delete=models.PROTECT, related_name="deputies"
    )
    term = models.ForeignKey("congress.Term", verbose_name=_("Term"), on_delete=models.PROTECT, related_name="deputies")
    name = models.CharField(_("Name"), max_length=64)
    gender = models.CharField(_("Gender"), max_length=8, choices=Gender.choices)
    ethnicity = models.CharField(_("Ethnicity"), max_length=16, default="汉族")
    birth_date = models.DateField(_("Date of birth"), null=True, blank=True)
    party = models.CharField(_("Political affiliation"), max_length=16, choices=Party.choices, default=Party.MASSES)
    education = models.CharField(_("Education"), max_length=16, choices=Education.choices, blank=True)
    occupation = models.CharField(_("Occupation"), max_length=100, blank=True)
    employer = models.CharField(_("Employer"), max_length=200, blank=True)
    sector = models.CharField(_("Sector"), max_length=16, choices=Sector.choices, default=Sector.OTHER)
    constituency = models.ForeignKey(
        Constituency,
        verbose_name=_("Constituency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deputies",
    )
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("Delegation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deputies",
    )
    status = models.CharField(_("Status"), max_length=16, choices=Status.choices, default=Status.SERVING)
    status_changed_on = models.DateField(_("Status changed on"), null=True, blank=True)
    status_reason = models.TextField(_("Reason for status change"), blank=True)
    is_standing_committee_member = models.BooleanField(_("Standing committee member"), default=False)
    # District-level leaders are excluded from the outstanding-deputy selection (DESIGN §3).
    is_district_leader = models.BooleanField(_("District-level leader"), default=False)
    id_number = EncryptedTextField(_("ID number"), blank=True, default="", validators=[validate_id_number])
    id_number_index = BlindIndexField(source="id_number")
    phone = EncryptedTextField(_("Mobile phone"), blank=True, default="", validators=[validate_phone])
    phone_index = BlindIndexField(source="phone")
    # What the deputy's public card URL and QR card carry instead of the primary key (SECURITY S14).
    public_code = models.CharField(
        _("Public code"), max_length=16, unique=True, default=new_public_code, editable=False
    )
    # One account may hold several mandates (district and township, or successive terms).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mandates",
    )
    linked_mandate = models.ForeignKey(
        "self",
        verbose_name=_("Linked mandate"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    photo = models.FileField(_("Photo"), upload_to="deputies/photos/", blank=True)
    public_bio = models.TextField(_("Public profile"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = DeputyQuerySet.as_manager()

    class Meta:
        verbose_name = _("Deputy")
        verbose_name_plural = _("Deputies")
        ordering = ["body", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "id_number_index"], condition=~Q(id_number_index=""), name="deputy_one_mandate_per_term"
            ),
            models.UniqueConstraint(
                fields=["term", "user"], condition=Q(user__isnull=False), name="deputy_one_account_per_term"
            ),
        ]
        indexes = [
            models.Index(fields=["body", "status"], name="deputy_body_status"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_serving(self):
        return self.status == self.Status.SERVING

    @property
    def masked_id_number(self):
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self):
        return mask_phone(self.phone)
