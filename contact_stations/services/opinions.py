"""Citizens' opinions: intake, the routes to whoever can answer, answers, closure and reopening.

Every state change goes through `congress.workflow.transition` with the route's predicate from
`contact_stations.permissions`, evaluated on the locked row. Each service takes the state the
caller saw (`expected`, by default the state of the instance passed in), so an action taken on a
page that has gone stale fails cleanly with `StaleState` instead of acting on a state the user
never saw.
"""

import datetime
from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Region, Unit
from congress.models.accounts import Role
from congress.notifications.services import notify
from congress.permissions import grant_path, grants
from congress.rules import Deadline, working_days_after
from congress.workflow import record_event, transition
from contact_stations import permissions
from contact_stations.models import (
    DutyShift,
    Opinion,
    OpinionAnswer,
    OpinionPhoto,
    ReturnVisit,
    Station,
    new_receipt_code,
)
from contact_stations.services.common import GrantIndex, district_body, town_of, township_body
from contact_stations.services.sms_codes import sms_code_verify
from deputies.models import Deputy, validate_phone

State = Opinion.State
CONTENT_MAX_LENGTH = 5000
RECEIPT_CODE_TRIES = 5
MAX_PHOTOS = 3


# ---- intake ----------------------------------------------------------------------------------


def _clean_contact(citizen_name: str, citizen_phone: str, consent: bool) -> tuple[str, str]:
    citizen_name = (citizen_name or "").strip()
    citizen_phone = "".join((citizen_phone or "").split())
    if citizen_phone:
        validate_phone(citizen_phone)
    if (citizen_name or citizen_phone) and not consent:
        # PIPL art. 13–14: contact details are processed only with the citizen's consent.
        raise ValidationError({"consent": _("Agree to the processing of your contact details, or leave them out.")})
    return citizen_name, citizen_phone


def _clean_content(content: str) -> str:
    content = (content or "").strip()
    if not content:
        raise ValidationError({"content": _("Describe the matter.")})
    if len(content) > CONTENT_MAX_LENGTH:
        raise ValidationError({"content": _("At most %(count)s characters.") % {"count": CONTENT_MAX_LENGTH}})
    return content


def _where(station: Station | None, deputy: Deputy | None):
    """The congress and region an opinion belongs to: its station's, else its deputy's."""
    if station is not None:
        return station.body, station.region
    if deputy is None:
        raise ValidationError(_("An opinion is addressed to a station or a deputy."))
    region = deputy.constituency.region if deputy.constituency_id else deputy.body.region
    return deputy.body, region


def _create(**fields) -> Opinion:
    body = fields["body"]
    received_on = fields["received_on"]
    ack = working_days_after(body, "opinion_ack_working_days", received_on)
    answer = working_days_after(body, "opinion_answer_working_days", received_on)
    fields.update(ack_due=ack.due, ack_due_basis=ack.basis, answer_due=answer.due, answer_due_basis=answer.basis)
    for _try in range(RECEIPT_CODE_TRIES):
        try:
            with transaction.atomic():
                opinion = Opinion.objects.create(receipt_code=new_receipt_code(), **fields)
        except IntegrityError:
            # 50 random bits make a collision rare, never impossible: draw another code.
            continue
        record_event(opinion, actor=fields.get("recorded_by"), verb="received", to_state=opinion.state,
                     data={"source": opinion.source})
        return opinion
    raise RuntimeError("could not draw a free receipt code")


def opinion_submit(
    *,
    content: str,
    station: Station | None = None,
    deputy: Deputy | None = None,
    category: str = Opinion.Category.OTHER,
    place: str = "",
    citizen_name: str = "",
    citizen_phone: str = "",
    consent: bool = False,
    sms_code: str = "",
    photos: Sequence[tuple[UploadedFile, str]] = (),
    now: datetime.datetime | None = None,
) -> Opinion:
    """A citizen's opinion from the public form reached by a station's or a deputy's QR code.

    Contact details are optional; when given, consent is required, and a phone must be verified
    with the SMS code sent to it. The code is checked in its own transaction before the opinion is
    written, so a wrong code counts as an attempt even though nothing else is saved. `photos` are
    (file, content type) pairs the form has already checked by their first bytes and size.
    """
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Attach at most %(count)s photos.") % {"count": MAX_PHOTOS}})
    now = now or timezone.now()
    content = _clean_content(content)
    if station is not None and not station.is_active:
        raise ValidationError(_("This station is not taking opinions at the moment."))
    if deputy is not None and not deputy.is_serving:
        raise ValidationError(_("This deputy is no longer serving."))
    if category not in Opinion.Category.values:
        raise ValidationError({"category": _("Choose a category.")})
    citizen_name, citizen_phone = _clean_contact(citizen_name, citizen_phone, consent)
    body, region = _where(station, deputy)
    if citizen_phone:
        sms_code_verify(phone=citizen_phone, code=sms_code, now=now)
    with transaction.atomic():
        opinion = _create(
            body=body, region=region, station=station, deputy=deputy, source=Opinion.Source.QR_FORM,
            content=content, category=category, place=place.strip()[:200], citizen_name=citizen_name[:64],
            citizen_phone=citizen_phone, phone_verified_at=now if citizen_phone else None,
            consent_at=now if (citizen_name or citizen_phone) else None, received_on=timezone.localdate(now),
        )
        for image, content_type in photos:
            OpinionPhoto.objects.create(opinion=opinion, image=image, content_type=content_type)
        _notify_station(opinion, new=True)
    return opinion


@transaction.atomic
def opinion_record(
    *,
    actor,
    source: str,
    content: str,
    station: Station | None = None,
    deputy: Deputy | None = None,
    shift: DutyShift | None = None,
    category: str = Opinion.Category.OTHER,
    place: str = "",
    citizen_name: str = "",
    citizen_phone: str = "",
    consent: bool = False,
    received_on: datetime.date | None = None,
) -> Opinion:
    """An opinion taken down by a keeper or a deputy: at a reception, on the phone, from a
    letter, or on a deputy's visit (走出去). The phone is not SMS-verified (the citizen gave it in
    person); consent, given orally, is still recorded."""
    if source not in Opinion.Source.values or source == Opinion.Source.QR_FORM:
        raise ValidationError({"source": _("Choose how the opinion came in.")})
    if station is None and deputy is None:
        raise ValidationError(_("An opinion is addressed to a station or a deputy."))
    if station is not None and not permissions.can_record_opinion(actor, station):
        raise PermissionDenied
    if station is None and not permissions.is_deputy_of(actor, deputy):
        raise PermissionDenied
    if shift is not None and shift.station_id != getattr(station, "pk", None):
        raise ValidationError({"shift": _("The shift belongs to another station.")})
    if deputy is None and source == Opinion.Source.DEPUTY_VISIT:
        deputy = next((mandate for mandate in actor.mandates.all() if mandate.is_serving), None)
    content = _clean_content(content)
    citizen_name, citizen_phone = _clean_contact(citizen_name, citizen_phone, consent)
    body, region = _where(station, deputy)
    now = timezone.now()
    opinion = _create(
        body=body, region=region, station=station, deputy=deputy, shift=shift, source=source, content=content,
        category=category, place=place.strip()[:200], citizen_name=citizen_name[:64], citizen_phone=citizen_phone,
        consent_at=now if (citizen_name or citizen_phone) else None, recorded_by=actor,
        received_on=received_on or timezone.localdate(now),
    )
    _notify_station(opinion, new=True)
    return opinion


# ---- who is told ---------------------------------------------------------------------------


def _holder_ids(opinion: Opinion, grants_index: GrantIndex | None = None) -> set[int]:
    """The people who hold the opinion in its current state (see permissions.holds)."""
    index = grants_index or GrantIndex(
        {Role.TOWNSHIP_OFFICER, Role.STATION_KEEPER, Role.STAFF_ADMIN, Role.STAFF_CLERK, Role.UNIT_OFFICER}
    )
    return holder_ids(opinion, index)


def holder_ids(opinion: Opinion, index: GrantIndex) -> set[int]:
    path = opinion.region.path
    state = opinion.state
    office = index.users_reaching(path, {Role.STAFF_ADMIN, Role.STAFF_CLERK})
    if state == State.PASSED_TO_UNIT:
        return index.unit_officers(opinion.passed_to_unit_id)
    if state in (State.PASSED_TO_DISTRICT, State.TURNED_INTO_TOPIC):
        return office
    town = index.users_reaching(path, {Role.TOWNSHIP_OFFICER})
    if state in (State.PASSED_TO_TOWN, State.TURNED_INTO_SUGGESTION):
        return town or office
    keepers = {opinion.station.keeper_id} if opinion.station_id and opinion.station.keeper_id else set()
    return (keepers | town) or office


def _notify_station(opinion: Opinion, *, new: bool = False) -> None:
    recipients = _holder_ids(opinion)
    if not recipients:
        return
    notify(
        recipients=recipients,
        kind="opinion_received" if new else "opinion_routed",
        title=_("Citizen’s opinion %(code)s: %(state)s")
        % {"code": opinion.receipt_code, "state": opinion.get_state_display()},
        dedupe_key=f"opinion:{opinion.pk}:{opinion.state}:{opinion.updated_at.timestamp():.0f}",
    )


# ---- the organ acting ------------------------------------------------------------------------


def _organ_region(actor, opinion: Opinion) -> Region:
    """The office the actor speaks for on this opinion: the town's for a township officer or
    keeper, the district's for office staff; the office of the station's town for a deputy."""
    office_roles = permissions.OFFICE_ROLES
    town_roles = permissions.TOWN_ROLES
    prefer_office = opinion.state in (State.PASSED_TO_DISTRICT, State.TURNED_INTO_TOPIC)
    best = None
    for grant in grants(actor):
        if grant.role not in office_roles | town_roles:
            continue
        path = grant_path(grant)
        if path is not None and not opinion.region.path.startswith(path):
            continue
        region = grant.region or (grant.unit.region if grant.unit_id else None) or (
            grant.committee.body.region if grant.committee_id else None
        ) or (grant.body.region if grant.body_id else opinion.body.region)
        rank = (grant.role in office_roles) == prefer_office, len(region.path)
        if best is None or rank > best[0]:
            best = (rank, region)
    if best is not None:
        return best[1]
    return town_of(opinion.region) or opinion.body.region


def _answer_changes(actor, opinion: Opinion) -> dict:
    if opinion.state == State.PASSED_TO_UNIT and opinion.passed_to_unit_id in permissions.unit_ids(actor):
        return {"answered_by_unit": opinion.passed_to_unit, "answered_by_region": None}
    return {"answered_by_unit": None, "answered_by_region": _organ_region(actor, opinion)}


def _transferred_deadline(body, start: datetime.date, to: str) -> Deadline:
    deadline = working_days_after(body, "opinion_answer_working_days", start)
    return Deadline(deadline.due, {**deadline.basis, "transferred_to": to, "body": body.pk})


def _locked(opinion: Opinion) -> Opinion:
    related = ("region", "body", "station", "passed_to_unit")
    return Opinion.objects.select_for_update(of=("self",)).select_related(*related).get(pk=opinion.pk)


def _route(actor, opinion: Opinion, to: str, *, verb: str, note: str = "", expected=None, changes=None,
           unit=None, deputy=None, data=None) -> Opinion:
    changes = dict(changes or {})
    now = timezone.now()
    if opinion.acknowledged_at is None and to != State.CLOSED:
        # Routing acknowledges an item nobody acknowledged separately.
        changes.setdefault("acknowledged_at", now)
    transition(
        opinion,
        to=to,
        actor=actor,
        verb=verb,
        note=note,
        expected=opinion.state if expected is None else expected,
        allowed=lambda user, locked: permissions.can_route(user, locked, to, unit=unit, deputy=deputy),
        changes=changes,
        data=data,
    )
    return opinion


# ---- routes ----------------------------------------------------------------------------------


def opinion_acknowledge(*, actor, opinion: Opinion, expected=None) -> Opinion:
    with transaction.atomic():
        return _route(actor, opinion, State.ACKNOWLEDGED, verb="acknowledged", expected=expected)


def _add_answer(actor, opinion: Opinion, text: str, kind: str, changes: dict) -> OpinionAnswer:
    return OpinionAnswer.objects.create(
        opinion=opinion, text=text, by=actor, kind=kind,
        organ_unit=changes.get("answered_by_unit"), organ_region=changes.get("answered_by_region"),
    )


def _clean_text(text: str, field: str = "text") -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: _("This field is required.")})
    return text


def opinion_answer_on_spot(*, actor, opinion: Opinion, text: str, expected=None) -> Opinion:
    """A deputy or the keeper answered the citizen at the reception. The town's office, not the
    deputy, then closes it."""
    text = _clean_text(text)
    with transaction.atomic():
        changes = {"answered_at": timezone.now(), **_answer_changes(actor, opinion)}
        _route(actor, opinion, State.ANSWERED_ON_SPOT, verb="answered_on_spot", expected=expected, changes=changes)
        _add_answer(actor, opinion, text, State.ANSWERED_ON_SPOT, changes)
        _notify_station(opinion)
    return opinion


def opinion_pass_to_town(*, actor, opinion: Opinion, note: str = "", expected=None) -> Opinion:
    """Hand the opinion to the town or street office; its own congress's time limit applies."""
    with transaction.atomic():
        town = town_of(opinion.region)
        if town is None:
            raise ValidationError(_("This opinion does not belong to a town or street."))
        body = township_body(town) or opinion.body
        deadline = _transferred_deadline(body, timezone.localdate(), State.PASSED_TO_TOWN)
        _route(
            actor, opinion, State.PASSED_TO_TOWN, verb="passed_to_town", note=note, expected=expected,
            changes={"answer_due": deadline.due, "answer_due_basis": deadline.basis},
        )
        _notify_station(opinion)
    return opinion


def opinion_pass_to_district(*, actor, opinion: Opinion, note: str = "", expected=None) -> Opinion:
    """Hand the opinion to the district standing committee's office."""
    with transaction.atomic():
        deadline = _transferred_deadline(district_body(opinion.body), timezone.localdate(), State.PASSED_TO_DISTRICT)
        _route(
            actor, opinion, State.PASSED_TO_DISTRICT, verb="passed_to_district", note=note, expected=expected,
            changes={"answer_due": deadline.due, "answer_due_basis": deadline.basis, "passed_to_unit": None},
        )
        _notify_station(opinion)
    return opinion


def opinion_pass_to_unit(*, actor, opinion: Opinion, unit: Unit, note: str = "", expected=None) -> Opinion:
    """Assign the opinion to a handling unit, which answers and closes it."""
    if not unit.is_active:
        raise ValidationError({"unit": _("This unit no longer handles items.")})
    with transaction.atomic():
        deadline = _transferred_deadline(district_body(opinion.body), timezone.localdate(), State.PASSED_TO_UNIT)
        _route(
            actor, opinion, State.PASSED_TO_UNIT, verb="passed_to_unit", note=note, expected=expected, unit=unit,
            changes={"passed_to_unit": unit, "answer_due": deadline.due, "answer_due_basis": deadline.basis},
            data={"unit": unit.pk},
        )
        _notify_station(opinion)
    return opinion


def opinion_turn_into_suggestion(*, actor, opinion: Opinion, deputy: Deputy, note: str = "", expected=None) -> Opinion:
    """A deputy takes the opinion up as a suggestion; the draft links back through
    `opinion_link_follow_up` when the suggestions app creates it."""
    if not deputy.is_serving:
        raise ValidationError({"deputy": _("Only a serving deputy can take up an opinion.")})
    with transaction.atomic():
        _route(
            actor, opinion, State.TURNED_INTO_SUGGESTION, verb="turned_into_suggestion", note=note,
            expected=expected, deputy=deputy, changes={"follow_up_deputy": deputy}, data={"deputy": deputy.pk},
        )
        if deputy.user_id and deputy.user_id != getattr(actor, "pk", None):
            notify(
                recipients=[deputy.user_id],
                kind="opinion_for_suggestion",
                title=_("Citizen’s opinion %(code)s was passed to you to take up as a suggestion")
                % {"code": opinion.receipt_code},
                dedupe_key=f"opinion-suggestion:{opinion.pk}:{deputy.pk}",
            )
    return opinion


def opinion_turn_into_topic(*, actor, opinion: Opinion, note: str = "", expected=None) -> Opinion:
    with transaction.atomic():
        return _route(actor, opinion, State.TURNED_INTO_TOPIC, verb="turned_into_topic", note=note, expected=expected)


@transaction.atomic
def opinion_link_follow_up(*, opinion: Opinion, obj, actor=None) -> Opinion:
    """Remember the suggestion draft or topic proposal an opinion became (called by that app)."""
    if opinion.state not in (State.TURNED_INTO_SUGGESTION, State.TURNED_INTO_TOPIC, State.ANSWERED, State.CLOSED):
        raise ValidationError(_("This opinion was not turned into a suggestion or a topic."))
    Opinion.objects.filter(pk=opinion.pk).update(
        follow_up_content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        follow_up_object_id=str(obj.pk),
        updated_at=timezone.now(),
    )
    opinion.refresh_from_db()
    record_event(opinion, actor=actor, verb="follow_up_linked", data={"object": f"{obj._meta.label_lower}:{obj.pk}"})
    return opinion


def opinion_decline(*, actor, opinion: Opinion, channel: str, text: str, expected=None) -> Opinion:
    """The matter belongs elsewhere: tell the citizen which channel (litigation, arbitration…)."""
    if channel not in Opinion.DeclineChannel.values:
        raise ValidationError({"channel": _("Name the channel the citizen should use.")})
    text = _clean_text(text)
    with transaction.atomic():
        changes = {"decline_channel": channel, "answered_at": timezone.now(), **_answer_changes(actor, opinion)}
        _route(actor, opinion, State.DECLINED, verb="declined", note=text, expected=expected, changes=changes,
               data={"channel": channel})
        _add_answer(actor, opinion, text, State.DECLINED, changes)
        _notify_station(opinion)
    return opinion


def opinion_answer(*, actor, opinion: Opinion, text: str, expected=None) -> Opinion:
    """The organ holding the opinion answers it; opinions linked as the same matter get the same
    answer (DESIGN §6: one answer serves all)."""
    text = _clean_text(text)
    with transaction.atomic():
        changes = {"answered_at": timezone.now(), **_answer_changes(actor, opinion)}
        if opinion.acknowledged_at is None:
            changes["acknowledged_at"] = changes["answered_at"]
        transition(
            opinion,
            to=State.ANSWERED,
            actor=actor,
            verb="answered",
            expected=opinion.state if expected is None else expected,
            allowed=permissions.can_answer,
            changes=changes,
        )
        _add_answer(actor, opinion, text, State.ANSWERED, changes)
        for duplicate in opinion.duplicates.filter(state__in=(State.RECEIVED, *Opinion.AWAITING_ANSWER)).order_by("pk"):
            # Linked by someone who could triage both; the primary's organ answers for all of them.
            transition(
                duplicate,
                to=State.ANSWERED,
                actor=actor,
                verb="answered_with_primary",
                expected=duplicate.state,
                changes={**changes, "acknowledged_at": duplicate.acknowledged_at or changes["answered_at"]},
                data={"primary": opinion.pk},
            )
            _add_answer(actor, duplicate, text, State.ANSWERED, changes)
        _notify_station(opinion)
    return opinion


def opinion_close(*, actor, opinion: Opinion, expected=None) -> Opinion:
    """The organ that answered closes the item; the citizen is then asked to rate the answer."""
    with transaction.atomic():
        locked = _locked(opinion)
        transition(
            opinion,
            to=State.CLOSED,
            actor=actor,
            verb="closed",
            expected=opinion.state if expected is None else expected,
            allowed=permissions.can_close,
            changes={"closed_at": timezone.now(), "closure_round": locked.closure_round + 1},
        )
        visit, _created = ReturnVisit.objects.get_or_create(opinion=opinion, round=opinion.closure_round)
        if opinion.citizen_phone and not opinion.anonymised_at:
            from contact_stations import tasks

            tasks.send_return_visit_link.delay_on_commit(visit.pk)
    return opinion


def opinion_reopen(*, actor, opinion: Opinion, reason: str, expected=None, allowed=permissions.can_reopen) -> Opinion:
    """Open a closed item again (the citizen is not satisfied); a fresh answer deadline runs."""
    reason = _clean_text(reason, "reason")
    with transaction.atomic():
        deadline = working_days_after(opinion.body, "opinion_answer_working_days", timezone.localdate())
        transition(
            opinion,
            to=State.REOPENED,
            actor=actor,
            verb="reopened",
            note=reason,
            expected=opinion.state if expected is None else expected,
            allowed=allowed,
            changes={
                "answer_due": deadline.due,
                "answer_due_basis": {**deadline.basis, "reopened": True},
                "answered_by_unit": None,
                "answered_by_region": None,
                "passed_to_unit": None,
                "decline_channel": "",
            },
        )
        _notify_station(opinion)
    return opinion


# ---- duplicates ------------------------------------------------------------------------------


@transaction.atomic
def opinion_link_duplicate(*, actor, opinion: Opinion, primary: Opinion) -> Opinion:
    """Mark `opinion` as the same matter as `primary`, so that the primary's answer serves it."""
    if opinion.pk == primary.pk:
        raise ValidationError(_("An opinion cannot duplicate itself."))
    if not (permissions.can_triage(actor, opinion) and permissions.can_triage(actor, primary)):
        raise PermissionDenied
    if primary.duplicate_of_id is not None:
        primary = primary.duplicate_of  # link to the root, never build chains
    if primary.pk == opinion.pk or opinion.duplicates.exists():
        raise ValidationError(_("This opinion already has duplicates of its own; link them to it instead."))
    if primary.state == State.CLOSED:
        raise ValidationError(_("The other opinion is already closed."))
    Opinion.objects.filter(pk=opinion.pk).update(duplicate_of=primary, updated_at=timezone.now())
    opinion.duplicate_of = primary
    record_event(opinion, actor=actor, verb="linked_as_duplicate", data={"primary": primary.pk})
    record_event(primary, actor=actor, verb="duplicate_linked", data={"duplicate": opinion.pk})
    return opinion


@transaction.atomic
def opinion_unlink_duplicate(*, actor, opinion: Opinion) -> Opinion:
    if opinion.duplicate_of_id is None:
        return opinion
    if not permissions.can_triage(actor, opinion):
        raise PermissionDenied
    primary_id = opinion.duplicate_of_id
    Opinion.objects.filter(pk=opinion.pk).update(duplicate_of=None, updated_at=timezone.now())
    opinion.duplicate_of = None
    record_event(opinion, actor=actor, verb="unlinked_duplicate", data={"primary": primary_id})
    return opinion
