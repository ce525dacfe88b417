"""Contact stations: stations and their deputies, rosters and shifts, citizens' opinions, activities."""

from contact_stations.models.activities import StationActivity, StationActivityPhoto
from contact_stations.models.opinions import (
    CROCKFORD_ALPHABET,
    Opinion,
    OpinionAnswer,
    OpinionPhoto,
    Rating,
    ReturnVisit,
    SmsCode,
    new_receipt_code,
    normalise_receipt_code,
)
from contact_stations.models.shifts import DutyShift, RosterRule, ShiftDuty, ShiftKind
from contact_stations.models.stations import Station, StationDeputy, new_public_code

__all__ = [
    "CROCKFORD_ALPHABET",
    "DutyShift",
    "Opinion",
    "OpinionAnswer",
    "OpinionPhoto",
    "Rating",
    "ReturnVisit",
    "RosterRule",
    "ShiftDuty",
    "ShiftKind",
    "SmsCode",
    "Station",
    "StationActivity",
    "StationActivityPhoto",
    "StationDeputy",
    "new_public_code",
    "new_receipt_code",
    "normalise_receipt_code",
]
