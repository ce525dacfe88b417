"""Factories for the deputies app: constituencies, delegations, deputies and their duty record.

Like the institution's factories they write rows directly; tests of the services call the services.
"""

import datetime

import factory
from factory.django import DjangoModelFactory

from deputies.models import (
    ActivityKind,
    Constituency,
    ContactPair,
    Delegation,
    Deputy,
    DutyActivity,
    DutyParticipation,
    Gender,
    Party,
    ScoreRule,
    Sector,
    ThemeYear,
)
from tests.factories.congress import BodyFactory, TermFactory, TownshipBodyFactory

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_number(serial: int, *, region: str = "350212", born: datetime.date = datetime.date(1975, 6, 1)) -> str:
    """A resident ID number with a correct check character (GB 11643), unique per serial."""
    born = born + datetime.timedelta(days=serial // 1000)
    body = f"{region}{born:%Y%m%d}{serial % 1000:03d}"
    return body + _ID_CHECK[sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]


def _current_term(body):
    return TermFactory(body=body)


class ConstituencyFactory(DjangoModelFactory):
    class Meta:
        model = Constituency
        django_get_or_create = ("term", "number")

    body = factory.SubFactory(BodyFactory)
    term = factory.LazyAttribute(lambda o: _current_term(o.body))
    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"第{o.number}选区")
    region = factory.LazyAttribute(lambda o: o.body.region)


class DelegationFactory(DjangoModelFactory):
    class Meta:
        model = Delegation
        django_get_or_create = ("term", "name")

    body = factory.SubFactory(BodyFactory)
    term = factory.LazyAttribute(lambda o: _current_term(o.body))
    name = factory.Sequence(lambda n: f"代表团{n}")
    region = None


class DeputyFactory(DjangoModelFactory):
    class Meta:
        model = Deputy

    body = factory.SubFactory(BodyFactory)
    term = factory.LazyAttribute(lambda o: _current_term(o.body))
    name = factory.Sequence(lambda n: f"代表{n:04d}")
    gender = factory.Iterator([Gender.MALE, Gender.FEMALE])
    ethnicity = "汉族"
    birth_date = datetime.date(1975, 6, 1)
    party = factory.Iterator([Party.CPC, Party.MASSES, Party.NON_PARTY, Party.CDL])
    sector = factory.Iterator([Sector.WORKERS, Sector.FARMERS, Sector.PROFESSIONALS, Sector.CADRES])
    occupation = "职员"
    employer = "同安区某单位"
    id_number = factory.Sequence(lambda n: id_number(n))
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    constituency = None
    delegation = None


class TownshipDeputyFactory(DeputyFactory):
    body = factory.SubFactory(TownshipBodyFactory)


class ThemeYearFactory(DjangoModelFactory):
    class Meta:
        model = ThemeYear
        django_get_or_create = ("body", "year", "name")

    body = factory.SubFactory(BodyFactory)
    year = 2026
    name = "争当表率促发展"


class ScoreRuleFactory(DjangoModelFactory):
    class Meta:
        model = ScoreRule
        django_get_or_create = ("body", "kind")

    body = factory.SubFactory(BodyFactory)
    kind = ActivityKind.INSPECTION
    points = 5
    yearly_cap = 20


class DutyActivityFactory(DjangoModelFactory):
    class Meta:
        model = DutyActivity

    body = factory.SubFactory(BodyFactory)
    kind = ActivityKind.INSPECTION
    title = factory.Sequence(lambda n: f"履职活动{n}")
    date = datetime.date(2026, 3, 15)
    source = DutyActivity.Source.STAFF
    state = DutyActivity.State.VERIFIED


class DutyParticipationFactory(DjangoModelFactory):
    class Meta:
        model = DutyParticipation

    activity = factory.SubFactory(DutyActivityFactory)
    deputy = factory.SubFactory(DeputyFactory)
    attendance = DutyParticipation.Attendance.PRESENT


def participate(deputy, *, kind=ActivityKind.INSPECTION, times=1, date=datetime.date(2026, 3, 15), **activity):
    """`times` verified activities of `kind` in the deputy's congress, the deputy present at each."""
    activity.setdefault("state", DutyActivity.State.VERIFIED)
    attendance = activity.pop("attendance", DutyParticipation.Attendance.PRESENT)
    rows = []
    for _index in range(times):
        row = DutyActivityFactory(body=deputy.body, kind=kind, date=date, **activity)
        DutyParticipationFactory(activity=row, deputy=deputy, attendance=attendance)
        rows.append(row)
    return rows


class ContactPairFactory(DjangoModelFactory):
    class Meta:
        model = ContactPair

    body = factory.SubFactory(BodyFactory)
    year = 2026
    member = factory.LazyAttribute(lambda o: DeputyFactory(body=o.body, is_standing_committee_member=True))
    deputy = factory.LazyAttribute(lambda o: DeputyFactory(body=o.body))
