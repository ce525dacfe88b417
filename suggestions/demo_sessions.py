"""The demo's face-to-face sessions (面对面督办测评), built after the year of proposals: one held a
week ago and closed, with replied suggestions and key suggestions on its agenda, rated there by
their deputies and by two standing-committee members (双测评); and one planned for the coming
weeks, carrying the demo deputy's own request for a meeting.

Everything goes through suggestions.services.sessions, so the ratings are ordinary ratings with
`via=session` and the sessions have their timelines.
"""

import datetime

from suggestions import services
from suggestions.models import Assignment, Proposal
from suggestions.models.evaluation import Satisfaction
from suggestions.services import sessions

PLACE = "区人大常委会第一会议室"
RATED_AT_SESSION = 2


def build(builder) -> None:
    """`builder` is the SuggestionsDemo that built the year (its accounts, users and dates)."""
    _held(builder)
    _planned(builder)


def _lead_assignments(builder, **filters):
    return list(
        Assignment.objects.filter(proposal__body=builder.demo.body, role=Assignment.Role.LEAD, **filters)
        .select_related("proposal__lead_deputy", "unit")
        .order_by("pk")
    )


def _held(builder) -> None:
    demo, today = builder.demo, builder.today
    replied = _lead_assignments(builder, state=Assignment.State.REPLIED, rating_due__gte=today)
    replied = [a for a in replied if a.proposal.lead_deputy_id != builder.deputy.pk][:3]
    keys = _lead_assignments(
        builder, proposal__key_designations__year=builder.year,
        state__in=(Assignment.State.REPLIED, Assignment.State.EVALUATED, Assignment.State.CLOSED),
    )
    chosen = {a.pk: a for a in [*replied, *keys[:2]]}
    if not chosen:
        return
    members = [demo.users["member"], demo.users["leader"]]
    held_on = today - datetime.timedelta(days=7)
    session = sessions.session_create(
        actor=builder.clerk, body=demo.body, title=f"{builder.year}年第一次代表建议面对面督办测评会",
        starts_at=builder._at(held_on, 9), place=PLACE,
        units=sorted({a.unit for a in chosen.values()}, key=lambda unit: unit.pk),
        deputies=sorted({a.proposal.lead_deputy for a in chosen.values()}, key=lambda deputy: deputy.pk),
        members=members,
    )
    for assignment in chosen.values():
        sessions.agenda_add(actor=builder.clerk, session=session, proposal=assignment.proposal)
    sessions.session_open(actor=builder.clerk, session=session)
    items = list(session.agenda.select_related("assignment__proposal__lead_deputy").order_by("position"))
    rated = 0
    for item in items:
        assignment = item.assignment
        if assignment.state == Assignment.State.REPLIED and rated < RATED_AT_SESSION:
            sessions.session_rating_submit(
                actor=builder.users[assignment.proposal.lead_deputy_id], item=item,
                attitude=Satisfaction.SATISFIED,
                result=Satisfaction.BASICALLY_SATISFIED if rated else Satisfaction.SATISFIED,
            )
            rated += 1
        if assignment.pk in {a.pk for a in keys}:
            for index, member in enumerate(members):
                sessions.session_member_rating_submit(
                    actor=member, item=item, attitude=Satisfaction.SATISFIED,
                    result=Satisfaction.UNSATISFIED if index else Satisfaction.BASICALLY_SATISFIED,
                    reason="整改进度偏慢，需明确完成时限。" if index else "",
                )
    sessions.session_close(actor=builder.clerk, session=session)


def _planned(builder) -> None:
    demo = builder.demo
    own = Proposal.objects.filter(lead_deputy=builder.deputy, state=Proposal.State.REPLIED).order_by("pk").first()
    handling = _lead_assignments(builder, unit=demo.health_bureau, state=Assignment.State.HANDLING)[:2]
    session = sessions.session_create(
        actor=builder.clerk, body=demo.body, title=f"{builder.year}年卫生健康领域代表建议面对面督办会",
        starts_at=builder._at(builder.today + datetime.timedelta(days=14), 15), place=PLACE,
        units=[demo.health_bureau], deputies=[builder.deputy, *(a.proposal.lead_deputy for a in handling)],
        members=[demo.users["member"]],
    )
    if own is not None:
        services.meeting_request(actor=builder.users[builder.deputy.pk], proposal=own,
                                 note="希望与卫健局当面沟通夜间门诊的落实安排。")
        sessions.agenda_add(actor=builder.clerk, session=session, proposal=own)
    for assignment in handling:
        sessions.agenda_add(actor=builder.clerk, session=session, proposal=assignment.proposal)
