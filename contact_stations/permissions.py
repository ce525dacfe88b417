"""Who may see and act on stations, shifts and citizens' opinions.

Scope follows the region tree through each station's region path. District office staff reach
their body's region; township officers and station keepers reach their own town; leaders and
standing-committee members read. A unit officer sees only the opinions passed or answered by
their unit; a deputy sees the stations they are stationed at and only the opinions addressed to
them, brought by them, or taken up by them: being stationed at a station does not open its other
opinions (DESIGN §6), and a deputy routes only what they see.

The route predicates take the opinion as it is *after* the row lock (`congress.workflow.
transition` passes the locked row), so who may act follows who holds the item at that moment.
Deputies route and answer on the spot at a reception, but they never answer as an organ and never
close: only the organ that answered closes (DESIGN §6).
"""

from django.db.models import Q

from congress.models.accounts import Role
from congress.permissions import grant_path, grants, has_role, is_active_user, paths_for_roles

# District office: the standing committee's staff (the organ for items passed to the district).
OFFICE_ROLES = frozenset({Role.STAFF_ADMIN, Role.STAFF_CLERK, Role.SYSTEM_ADMIN})
# The town's office and its stations.
TOWN_ROLES = frozenset({Role.TOWNSHIP_OFFICER, Role.STATION_KEEPER})
STATION_READ_ROLES = OFFICE_ROLES | TOWN_ROLES | {Role.LEADER, Role.MEMBER}
# Citizens' opinions carry personal data: auditors read logs, not opinions.
OPINION_READ_ROLES = OFFICE_ROLES | TOWN_ROLES | {Role.LEADER, Role.MEMBER}
STATION_MANAGE_ROLES = OFFICE_ROLES | {Role.TOWNSHIP_OFFICER}




def _reaches(paths: list[str] | None, path: str) -> bool:
    return paths is None or any(path.startswith(prefix) for prefix in paths)


def _path_q(paths: list[str] | None, lookup: str) -> Q | None:
    if paths is None:
        return None
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{lookup}__startswith": path})
    return query


def unit_ids(user) -> set[int]:
    if not is_active_user(user):
        return set()
    return {grant.unit_id for grant in grants(user) if grant.role == Role.UNIT_OFFICER and grant.unit_id}


def organ_paths(user) -> list[str] | None:
    """The offices (by region path) the user speaks for: district office staff or a town's officers."""
    return paths_for_roles(user, OFFICE_ROLES | TOWN_ROLES)


def is_deputy_of(user, deputy) -> bool:
    return deputy is not None and is_active_user(user) and deputy.user_id == user.pk and has_role(user, Role.DEPUTY)


# ---- scoped querysets ----------------------------------------------------------------------


def visible_stations(user):
    from contact_stations.models import Station

    if not is_active_user(user):
        return Station.objects.none()
    scope = _path_q(paths_for_roles(user, STATION_READ_ROLES), "region__path")
    if scope is None:
        return Station.objects.all()
    if has_role(user, Role.DEPUTY):
        scope |= Q(assignments__deputy__user=user, assignments__until__isnull=True)
    return Station.objects.filter(scope).distinct()


def manageable_stations(user):
    from contact_stations.models import Station

    if not is_active_user(user):
        return Station.objects.none()
    scope = _path_q(paths_for_roles(user, STATION_MANAGE_ROLES), "region__path")
    return Station.objects.all() if scope is None else Station.objects.filter(scope)


def visible_shifts(user):
    from contact_stations.models import DutyShift

    if not is_active_user(user):
        return DutyShift.objects.none()
    scope = _path_q(paths_for_roles(user, STATION_READ_ROLES), "station__region__path")
    if scope is None:
        return DutyShift.objects.all()
    if has_role(user, Role.DEPUTY):
        scope |= Q(pk__in=DutyShift.objects.filter(duties__deputy__user=user).values("pk"))
        scope |= Q(station__assignments__deputy__user=user, station__assignments__until__isnull=True)
    return DutyShift.objects.filter(scope).distinct()


def visible_opinions(user):
    """Every opinion the user may read, for lists, details, exports and the API."""
    from contact_stations.models import Opinion

    if not is_active_user(user):
        return Opinion.objects.none()
    scope = _path_q(paths_for_roles(user, OPINION_READ_ROLES), "region__path")
    if scope is None:
        return Opinion.objects.all()
    units = unit_ids(user)
    if units:
        scope |= Q(passed_to_unit_id__in=units) | Q(answered_by_unit_id__in=units)
    if has_role(user, Role.DEPUTY):
        scope |= Q(deputy__user=user) | Q(recorded_by=user) | Q(follow_up_deputy__user=user)
    return Opinion.objects.filter(scope)


# ---- stations and shifts -------------------------------------------------------------------


def can_manage_station(user, station) -> bool:
    """Create and edit a station, its deputies and its roster: district staff, the town's officers."""
    return _reaches(paths_for_roles(user, STATION_MANAGE_ROLES), station.region.path)


def can_create_station_in(user, region) -> bool:
    return _reaches(paths_for_roles(user, STATION_MANAGE_ROLES), region.path)


def can_run_shift(user, station) -> bool:
    """Publish, cancel, hold shifts and check deputies in: staff, the town's officers, the keeper."""
    if is_active_user(user) and station.keeper_id == user.pk:
        return True
    return _reaches(paths_for_roles(user, OFFICE_ROLES | TOWN_ROLES), station.region.path)


def can_check_in(user, shift, duty) -> bool:
    """The keeper (or staff) checks anyone in; a deputy checks in only themselves."""
    return can_run_shift(user, shift.station) or is_deputy_of(user, duty.deputy)


def can_record_activity(user, station) -> bool:
    return can_run_shift(user, station)


# ---- opinions ------------------------------------------------------------------------------


def can_view_opinion(user, opinion) -> bool:
    return visible_opinions(user).filter(pk=opinion.pk).exists()


def _office_reaches(user, opinion) -> bool:
    return _reaches(paths_for_roles(user, OFFICE_ROLES), opinion.region.path)


def _town_reaches(user, opinion, roles=TOWN_ROLES) -> bool:
    return _reaches(paths_for_roles(user, roles), opinion.region.path)


def _own_opinion(user, opinion) -> bool:
    """The deputy the opinion is addressed to or who brought it: the only deputies who route it.

    Being stationed at the opinion's station is not enough (DESIGN §6): a stationed deputy sees
    only their own opinions, so routing follows the same rule.
    """
    if not has_role(user, Role.DEPUTY):
        return False
    if opinion.deputy_id and opinion.deputy.user_id == user.pk:
        return True
    return opinion.recorded_by_id == user.pk


def can_record_opinion(user, station) -> bool:
    """Record an opinion from a reception, a phone call or a letter at a station."""
    if can_run_shift(user, station):
        return True
    if not has_role(user, Role.DEPUTY):
        return False
    from contact_stations.models import StationDeputy

    return StationDeputy.objects.current().filter(station=station, deputy__user=user).exists()


def holds(user, opinion) -> bool:
    """Whether the user speaks for the organ that holds the opinion in its current state.

    Deputies never hold an opinion: they bring it, route it and take it up, but an organ answers.
    """
    State = type(opinion).State
    state = opinion.state
    if state == State.PASSED_TO_UNIT:
        # The unit holds it; the office may still take it back (see can_route).
        return opinion.passed_to_unit_id in unit_ids(user)
    if _office_reaches(user, opinion):
        return True
    if state in (State.RECEIVED, State.ACKNOWLEDGED, State.REOPENED):
        return _town_reaches(user, opinion)
    if state in (State.PASSED_TO_TOWN, State.TURNED_INTO_SUGGESTION):
        return _town_reaches(user, opinion, {Role.TOWNSHIP_OFFICER})
    return False


def can_route(user, opinion, to: str, *, unit=None, deputy=None) -> bool:
    """May the user move the (locked) opinion along route `to`?"""
    State = type(opinion).State
    at_station = opinion.state in (State.RECEIVED, State.ACKNOWLEDGED, State.REOPENED)
    if to == State.ACKNOWLEDGED:
        return holds(user, opinion)
    if to in (State.ANSWERED_ON_SPOT, State.PASSED_TO_TOWN):
        return holds(user, opinion) or (at_station and _own_opinion(user, opinion))
    if to == State.PASSED_TO_DISTRICT:
        if opinion.state == State.PASSED_TO_UNIT:
            # The unit hands back an item that is not its business; the office may take it back.
            return holds(user, opinion) or _office_reaches(user, opinion)
        return holds(user, opinion) or (at_station and _own_opinion(user, opinion))
    if to == State.PASSED_TO_UNIT:
        if unit is None:
            return False
        if _office_reaches(user, opinion) and _reaches(paths_for_roles(user, OFFICE_ROLES), unit.region.path):
            return True
        # A town hands an item to one of its own units (its government, a village committee…).
        return (
            opinion.state != State.PASSED_TO_UNIT
            and holds(user, opinion)
            and _reaches(paths_for_roles(user, {Role.TOWNSHIP_OFFICER}), unit.region.path)
            and bool(paths_for_roles(user, {Role.TOWNSHIP_OFFICER}))
        )
    if to == State.TURNED_INTO_SUGGESTION:
        if deputy is not None and is_deputy_of(user, deputy):
            # A deputy takes an opinion they received up as their own suggestion.
            return at_station and _own_opinion(user, opinion) or holds(user, opinion)
        return holds(user, opinion) and opinion.state != State.PASSED_TO_UNIT
    if to == State.TURNED_INTO_TOPIC:
        return _office_reaches(user, opinion)
    if to == State.DECLINED:
        return holds(user, opinion)
    return False


def can_answer(user, opinion) -> bool:
    """Give the organ's answer: whoever holds the item now (never a deputy as such)."""
    State = type(opinion).State
    if opinion.state == State.TURNED_INTO_TOPIC:
        return _office_reaches(user, opinion)
    return opinion.state in (State.RECEIVED, *type(opinion).AWAITING_ANSWER) and holds(user, opinion)


def speaks_for_organ(user, *, unit_id=None, region=None) -> bool:
    """The user speaks for this organ: an officer of the unit, or of the office of the region."""
    if not is_active_user(user):
        return False
    if unit_id is not None:
        return unit_id in unit_ids(user)
    if region is None:
        return False
    for grant in grants(user):
        if grant.role not in OFFICE_ROLES | TOWN_ROLES:
            continue
        path = grant_path(grant)
        if path is None or path == region.path:
            return True
    return False


def can_close(user, opinion) -> bool:
    """Only the organ that answered closes (DESIGN §6): its unit officers or its office's staff."""
    if opinion.state not in type(opinion).AWAITING_CLOSURE:
        return False
    if opinion.answered_by_unit_id:
        return speaks_for_organ(user, unit_id=opinion.answered_by_unit_id)
    return speaks_for_organ(user, region=opinion.answered_by_region)


def can_reopen(user, opinion) -> bool:
    """Staff and the town's officers reopen on a citizen's complaint; 不满意 reopens by itself."""
    return _office_reaches(user, opinion) or _town_reaches(user, opinion, {Role.TOWNSHIP_OFFICER})


def can_triage(user, opinion) -> bool:
    """See the triage details (similar items) and link duplicates."""
    return holds(user, opinion)


def can_record_return_visit_call(user, opinion) -> bool:
    """The keeper or the town's office phones a citizen without a link; the unit that answered
    never records its own rating (the guard against 被满意)."""
    if opinion.station_id and opinion.station.keeper_id == getattr(user, "pk", None):
        return True
    return _office_reaches(user, opinion) or _town_reaches(user, opinion)


def can_unmask_citizen_phone(user, opinion) -> bool:
    return _office_reaches(user, opinion) or _town_reaches(user, opinion, {Role.TOWNSHIP_OFFICER})
