"""Letters and visits (来信来访): register, route to a unit, answer, close; and the logged unmasking
of the petitioner's name and phone (SECURITY S17, S18)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congress.models import Body, Region, Unit
from congress.notifications.services import notify
from congress.unmasking import record_unmask
from congress.workflow import record_event, transition
from supervision import permissions
from supervision.models import LetterVisit
from supervision.services.common import forbid_unless, unit_officer_ids

State = LetterVisit.State


@transaction.atomic
def letter_register(
    *, actor, body: Body, kind: str, received_on: datetime.date, theme: str, summary: str, name: str = "",
    phone: str = "", region: Region | None = None,
) -> LetterVisit:
    forbid_unless(permissions.can_handle_letters(actor, body))
    if kind not in LetterVisit.Kind.values:
        raise ValidationError({"kind": _("Choose letter, visit or online.")})
    if not (theme or "").strip() or not (summary or "").strip():
        raise ValidationError(_("Give the theme and a summary."))
    letter = LetterVisit.objects.create(
        body=body, kind=kind, received_on=received_on, theme=theme.strip()[:64], summary=summary.strip(),
        petitioner_name=name[:64], petitioner_phone=phone, region=region, registered_by=actor,
    )
    record_event(letter, actor=actor, verb="registered", to_state=letter.state)
    return letter


def letter_route(*, actor, letter: LetterVisit, unit: Unit, note: str = "") -> LetterVisit:
    forbid_unless(permissions.can_handle_letters(actor, letter.body))
    with transaction.atomic():
        letter = transition(letter, to=State.ROUTED, actor=actor, verb="routed", note=note, changes={"unit": unit},
                            data={"unit": unit.pk})
        recipients = unit_officer_ids([unit.pk])
        if recipients:
            notify(recipients=recipients, kind="supervision.letter_routed",
                   title=_("A letter or visit on “%(theme)s” was passed to your unit") % {"theme": letter.theme},
                   dedupe_key=f"letter-routed:{letter.pk}:{unit.pk}")
    return letter


def letter_answer(*, actor, letter: LetterVisit, answer: str) -> LetterVisit:
    forbid_unless(permissions.can_answer_letter(actor, letter))
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Write the answer.")})
    return transition(letter, to=State.ANSWERED, actor=actor, verb="answered", changes={"answer": answer.strip()})


def letter_close(*, actor, letter: LetterVisit, note: str = "") -> LetterVisit:
    forbid_unless(permissions.can_handle_letters(actor, letter.body))
    return transition(letter, to=State.CLOSED, actor=actor, verb="closed", note=note)


def letter_unmask(*, actor, letter: LetterVisit, reason: str, request=None) -> dict[str, str]:
    """The petitioner's full name and phone for the office, for a stated reason, logged as a
    security event and on the letter's timeline (SECURITY S18)."""
    record_unmask(
        actor=actor, obj=letter, allowed=permissions.can_unmask_letter(actor, letter), field="petitioner",
        reason=reason, request=request,
    )
    return {"name": letter.petitioner_name, "phone": letter.petitioner_phone}
