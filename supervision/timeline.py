"""How the supervision timelines read: a label for every verb the supervision services write.
Registered with congress.timeline by SupervisionConfig.ready(); a test checks that no verb
written in supervision/services is missing here."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

VERBS = {
    # plans and topics
    "created": pgettext_lazy("timeline", "Created"),
    "drafted": _("Drafted"),
    "submitted": pgettext_lazy("timeline", "Submitted to the chairpersons’ meeting"),
    "returned": pgettext_lazy("timeline", "Returned for revision"),
    "adopted": pgettext_lazy("timeline", "Adopted"),
    "published": pgettext_lazy("timeline", "Published"),
    "adjusting": _("Opened for adjustment"),
    "topic_added": _("Topic added"),
    "updated": pgettext_lazy("timeline", "Updated"),
    "scheduled": _("Meeting date set"),
    "started": _("Work started"),
    "milestone_done": _("Report milestone met"),
    "deliberated": _("Deliberated at the meeting"),
    "cancelled": pgettext_lazy("timeline", "Cancelled"),
    "closed": pgettext_lazy("timeline", "Closed"),
    # solicitation
    "opened": pgettext_lazy("timeline", "Opened"),
    "proposed": _("Topic proposed"),
    "merged": _("Merged into another proposal"),
    "declined": pgettext_lazy("timeline", "Declined"),
    "proposal_adopted": _("A proposal was adopted into this topic"),
    # activities and reports
    "activity_recorded": _("Activity recorded"),
    "recorded": pgettext_lazy("timeline", "Recorded"),
    "participants_added": _("Participants added"),
    "photo_added": _("Photo added"),
    "unit_report_submitted": _("Unit report uploaded"),
    # opinions, ledger, follow-up checks
    "approved": pgettext_lazy("timeline", "Approved"),
    "sent": _("Sent to the units"),
    "opinion_published": _("Deliberation opinion published"),
    "implementation_reported": _("Implementation report submitted"),
    "all_reported": _("Every unit has reported"),
    "ledger_item_added": _("Ledger item added"),
    "ledger_item_updated": _("Ledger item updated"),
    "follow_up_scheduled": _("Follow-up check scheduled"),
    "done": _("Follow-up check done"),
    # votes
    "vote_opened": _("Satisfaction vote opened"),
    "ballot_link_resent": _("New phone voting link sent to a member"),
    "vote_closed": _("Satisfaction vote closed"),
    "tally_entered": _("Paper ballots counted"),
    "passed": _("Vote passed"),
    "failed": _("Vote failed"),
    "escalated": _("Escalated to the chairpersons’ meeting"),
    # special inquiries
    "inquiry_created": _("Special inquiry scheduled"),
    "question_recorded": _("Inquiry question recorded"),
    "handling_report_recorded": _("Handling report recorded"),
    "inquiry_published": _("Special inquiry published"),
    "report_due_set": _("Handling report due date set"),
    # work evaluations
    "phase_mobilise": _("Evaluation mobilised"),
    "phase_investigate": _("Investigation phase started"),
    "phase_appraise": _("Plenary appraisal phase started"),
    "phase_rectify": _("Rectification phase started"),
    "phase_published": _("Evaluation result decided"),
    "questionnaires_issued": _("Questionnaire links issued"),
    "questionnaire_resent": _("Questionnaire link sent again"),
    "rectification_plan_recorded": _("Rectification plan recorded"),
    "result_published": _("Result published"),
    # dialogues
    "planned": _("Dialogue planned"),
    "held": pgettext_lazy("timeline", "Held"),
    "outcome_added": _("Outcome recorded"),
    "outcome_to_suggestion": _("Outcome turned into a suggestion"),
    "outcome_to_topic_proposal": _("Outcome turned into a topic proposal"),
    # letters and visits
    "registered": _("Letter or visit registered"),
    "routed": _("Passed to a unit"),
    "answered": _("Answered"),
    "unmasked": _("Personal data shown in full"),
}
