"""Deputies: the roster of mandates, the duty record and its score rules, 双联系 contact,
the outstanding-deputy selection and reports to voters."""

from deputies.models.activities import (
    DEFAULT_SCORE_RULES,
    ActivityKind,
    DutyActivity,
    DutyParticipation,
    ScoreRule,
    ThemeYear,
)
from deputies.models.contact import ContactLog, ContactPair
from deputies.models.jobs import RosterJob
from deputies.models.roster import (
    Constituency,
    Delegation,
    Deputy,
    Education,
    Gender,
    Party,
    Sector,
    id_number_is_valid,
    validate_id_number,
    validate_phone,
)
from deputies.models.selection import Nomination, Selection
from deputies.models.voter_reports import BallotSlip, PaperTally, Satisfaction, VoterReport, VoterReportQuestion

__all__ = [
    "DEFAULT_SCORE_RULES",
    "ActivityKind",
    "BallotSlip",
    "Constituency",
    "ContactLog",
    "ContactPair",
    "Delegation",
    "Deputy",
    "DutyActivity",
    "DutyParticipation",
    "Education",
    "Gender",
    "Nomination",
    "PaperTally",
    "RosterJob",
    "Party",
    "Satisfaction",
    "ScoreRule",
    "Sector",
    "Selection",
    "ThemeYear",
    "VoterReport",
    "VoterReportQuestion",
    "id_number_is_valid",
    "validate_id_number",
    "validate_phone",
]
