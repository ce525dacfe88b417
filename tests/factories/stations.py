"""Factories for the contact stations: stations, assignments, rosters, shifts and opinions.

Like the other factories they write rows directly (deadlines included, from the default rules);
tests of the services call the services.
"""

import datetime

import factory
from factory.django import DjangoModelFactory

from congress import calendar
from contact_stations.models import (
    DutyShift,
    Opinion,
    RosterRule,
    ShiftDuty,
    ShiftKind,
    Station,
    StationDeputy,
    new_receipt_code,
)
from tests.factories.congress import BodyFactory, VillageFactory


class StationFactory(DjangoModelFactory):
    class Meta:
        model = Station

    body = factory.SubFactory(BodyFactory)
    region = factory.SubFactory(VillageFactory)
    kind = Station.Kind.VILLAGE_STATION
    name = factory.Sequence(lambda n: f"测试代表联络站{n}")
    address = factory.Sequence(lambda n: f"同安区测试路{n}号")
    latitude = factory.Sequence(lambda n: f"24.{730000 + n:06d}")
    longitude = factory.Sequence(lambda n: f"118.{150000 + n:06d}")
    opening_hours = "周一至周五 8:30–17:30"
    status = Station.Status.ACTIVE


class StationDeputyFactory(DjangoModelFactory):
    class Meta:
        model = StationDeputy

    station = factory.SubFactory(StationFactory)
    deputy = factory.SubFactory("tests.factories.deputies.DeputyFactory")
    since = datetime.date(2022, 1, 1)


class RosterRuleFactory(DjangoModelFactory):
    class Meta:
        model = RosterRule
        skip_postgeneration_save = True

    station = factory.SubFactory(StationFactory)
    kind = ShiftKind.RECEPTION
    day_of_month = 25
    start_time = datetime.time(9, 0)
    end_time = datetime.time(11, 30)

    @factory.post_generation
    def deputies(self, create, extracted, **kwargs):
        if create and extracted:
            self.deputies.set(extracted)


class DutyShiftFactory(DjangoModelFactory):
    class Meta:
        model = DutyShift

    station = factory.SubFactory(StationFactory)
    kind = ShiftKind.RECEPTION
    date = datetime.date(2026, 12, 25)
    start_time = datetime.time(9, 0)
    end_time = datetime.time(11, 30)
    state = DutyShift.State.PLANNED


class ShiftDutyFactory(DjangoModelFactory):
    class Meta:
        model = ShiftDuty

    shift = factory.SubFactory(DutyShiftFactory)
    deputy = factory.SubFactory("tests.factories.deputies.DeputyFactory")


class OpinionFactory(DjangoModelFactory):
    class Meta:
        model = Opinion

    station = factory.SubFactory(StationFactory)
    body = factory.LazyAttribute(lambda o: o.station.body)
    region = factory.LazyAttribute(lambda o: o.station.region)
    source = Opinion.Source.QR_FORM
    content = factory.Sequence(lambda n: f"第{n}号意见：小区门口路灯不亮，晚上出行不安全。")
    category = Opinion.Category.URBAN
    receipt_code = factory.LazyFunction(new_receipt_code)
    received_on = datetime.date(2026, 3, 2)
    ack_due = factory.LazyAttribute(lambda o: calendar.add_working_days(o.received_on, 3))
    answer_due = factory.LazyAttribute(lambda o: calendar.add_working_days(o.received_on, 15))
    state = Opinion.State.RECEIVED
