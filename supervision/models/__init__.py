"""Supervision: solicitation, the annual plan, topics, opinions, votes, evaluations, dialogues, letters."""

from supervision.models.activities import ActivityPhoto, SupervisionActivity, UnitReport
from supervision.models.dialogues import Dialogue, DialogueOutcome, DialogueSeries
from supervision.models.evaluation import (
    DEFAULT_DIMENSIONS,
    QuestionnaireAnswer,
    QuestionnaireLink,
    WorkEvaluation,
    dimension_label,
)
from supervision.models.letters import LetterVisit
from supervision.models.opinions import (
    Choice,
    DeliberationOpinion,
    FollowUpCheck,
    ImplementationReport,
    InquiryQuestion,
    MemberBallot,
    OpinionUnit,
    RectificationItem,
    SatisfactionVote,
    SpecialInquiry,
)
from supervision.models.plan import MILESTONES, AnnualPlan, PlanVersion, Topic, TopicKind
from supervision.models.solicitation import SolicitationWindow, TopicProposal, default_window

__all__ = [
    "DEFAULT_DIMENSIONS",
    "MILESTONES",
    "ActivityPhoto",
    "AnnualPlan",
    "Choice",
    "DeliberationOpinion",
    "Dialogue",
    "DialogueOutcome",
    "DialogueSeries",
    "FollowUpCheck",
    "ImplementationReport",
    "InquiryQuestion",
    "LetterVisit",
    "MemberBallot",
    "OpinionUnit",
    "PlanVersion",
    "QuestionnaireAnswer",
    "QuestionnaireLink",
    "RectificationItem",
    "SatisfactionVote",
    "SolicitationWindow",
    "SpecialInquiry",
    "SupervisionActivity",
    "Topic",
    "TopicKind",
    "TopicProposal",
    "UnitReport",
    "WorkEvaluation",
    "default_window",
    "dimension_label",
]
