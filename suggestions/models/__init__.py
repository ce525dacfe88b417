"""Motions and suggestions: intake, review, assignment, handling, replies, evaluation, follow-up."""

from suggestions.models.config import Category, NumberSeries, ReplyClass, ReturnReason
from suggestions.models.evaluation import ImmutableRatingError, Rating, RatingLink, Satisfaction
from suggestions.models.followup import KeySuggestion, KeySuggestionProgress
from suggestions.models.handling import (
    Assignment,
    CoHandlerOpinion,
    Commitment,
    Contact,
    Extension,
    Objection,
    Reply,
)
from suggestions.models.proposals import Attachment, MergeGroup, Proposal, Signer
from suggestions.models.sessions import AgendaItem, FaceToFaceSession

__all__ = [
    "AgendaItem",
    "Assignment",
    "Attachment",
    "Category",
    "CoHandlerOpinion",
    "Commitment",
    "Contact",
    "Extension",
    "FaceToFaceSession",
    "ImmutableRatingError",
    "KeySuggestion",
    "KeySuggestionProgress",
    "MergeGroup",
    "NumberSeries",
    "Objection",
    "Proposal",
    "Rating",
    "RatingLink",
    "Reply",
    "ReplyClass",
    "ReturnReason",
    "Satisfaction",
    "Signer",
]
