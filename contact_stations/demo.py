"""The contact stations of the demo district (seed_demo): 138 stations, deputies stationed at them,
a year of reception days with some no-shows, ~2,000 citizens' opinions across every route and
state, return visits with a few 不满意 reopened, and station activities.

Stations, roster rules, the shift generation, station activities and a few dozen recent opinions
(one of each route, acted on by the demo accounts) go through the services, so permissions,
events, deadlines and notifications are what the platform writes. The year's volume — holding
some fifteen hundred past reception days and the bulk of the opinions — is bulk-inserted with the
rows the services would write alongside (events, duty activities and participations, answers and
return visits): doing it one service call at a time would take minutes on SQLite.

Receipt codes are drawn from the demo's generator (the same seed gives the same codes); phones
go through the encrypted field and its blind index on insert, like any other save.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from congress.models import Event, Region, Unit
from congress.rules import rules_for, working_days_after
from contact_stations import services
from contact_stations.models import (
    CROCKFORD_ALPHABET,
    DutyShift,
    Opinion,
    OpinionAnswer,
    Rating,
    ReturnVisit,
    RosterRule,
    ShiftDuty,
    Station,
    StationActivity,
    StationDeputy,
)
from contact_stations.models.opinions import RECEIPT_CODE_LENGTH
from deputies.models import ActivityKind, Deputy, DutyActivity, DutyParticipation

DEMO_YEAR = 2026
OPINIONS = 2000  # the year's opinions, of which SERVICE_OPINIONS go through the services
STATION_ACTIVITIES = 40
NO_SHOW_PERCENT = 7
# The district's bounding box (Tong'an): stations are placed inside it.
LAT_RANGE = (24.70, 24.85)
LON_RANGE = (118.05, 118.30)

State = Opinion.State

CONTENTS = {
    Opinion.Category.URBAN: (
        "{village}小区路灯损坏多日，夜间出行不便，希望尽快维修。",
        "{village}老旧小区外墙脱落，存在安全隐患，建议纳入改造计划。",
        "建议在{village}增设公共停车位，缓解停车难问题。",
    ),
    Opinion.Category.TRANSPORT: (
        "{town}往城区的公交班次太少，早晚高峰等车时间长，建议加密班次。",
        "{village}村道路面破损严重，雨天积水，希望修缮。",
        "{village}学校门口缺少红绿灯和斑马线，学生过马路不安全。",
    ),
    Opinion.Category.ENVIRONMENT: (
        "{village}附近溪流有异味，怀疑有企业偷排污水，请有关部门检查。",
        "{village}垃圾清运不及时，夏天气味很大。",
        "建议在{village}增加分类垃圾桶并加强宣传。",
    ),
    Opinion.Category.EDUCATION: (
        "{town}公办幼儿园学位紧张，希望增加学位。",
        "希望{village}小学开设课后托管服务，方便双职工家庭。",
    ),
    Opinion.Category.HEALTH: (
        "{village}卫生所晚上不开门，老人看病不方便，希望延长服务时间。",
        "希望家庭医生签约服务能定期上门随访行动不便的老人。",
        "{town}卫生院缺少儿科医生，孩子看病要跑到城区。",
    ),
    Opinion.Category.SOCIAL: (
        "{village}老年人活动中心设施陈旧，希望更新。",
        "灵活就业人员参加社保的办理流程不清楚，希望加强指导。",
        "建议在{village}设立长者食堂，解决独居老人吃饭问题。",
    ),
    Opinion.Category.AGRICULTURE: (
        "{village}农田灌溉水渠堵塞，影响春耕，希望疏通。",
        "希望帮助{village}茶农拓宽销售渠道。",
    ),
    Opinion.Category.SAFETY: (
        "{village}菜市场周边电动车乱停乱放，存在消防隐患。",
        "{village}山塘水库护栏缺失，汛期有安全隐患。",
    ),
    Opinion.Category.ECONOMY: (
        "小微企业办理营业执照变更跑了好几趟，希望简化流程。",
        "{town}工业区企业招工难，希望搭建用工对接平台。",
    ),
    Opinion.Category.OTHER: (
        "希望代表多到{village}走走，听听群众的心声。",
        "建议联络站公布代表接待日安排，方便群众反映问题。",
    ),
}
ANSWERS = (
    "已转交有关部门现场核实，相关问题已于近日处理完毕，感谢您的监督。",
    "经协调，相关单位已将该事项列入本年度工作计划，预计年底前完成。",
    "已联系责任单位进行整改，后续将持续跟踪落实情况。",
    "经现场查看，已安排专人负责，问题已基本解决。",
)
DECLINE_TEXTS = {
    Opinion.DeclineChannel.LITIGATION: "该事项属于民事纠纷，建议通过诉讼途径解决。",
    Opinion.DeclineChannel.MEDIATION: "该事项建议先由村（居）人民调解委员会调解。",
    Opinion.DeclineChannel.LETTERS_AND_VISITS: "该事项属于信访事项，请向区信访局反映。",
    Opinion.DeclineChannel.ARBITRATION: "该事项属于劳动争议，建议申请劳动仲裁。",
}
SURNAMES = "陈林黄叶洪苏吴王李张郑许蔡庄杨刘柯颜"
GIVEN = "志伟明华秀兰丽萍雅琴建国文斌美玲淑珍国强金水春燕丽娟"
UNSATISFIED_REASONS = ("问题没有真正解决，路灯修了两天又坏了。", "答复内容空泛，没有说明具体时间。")

# Final states of the bulk opinions by age (days since receipt), with weights.
OLD_STATES = {
    State.CLOSED: 78, State.ANSWERED: 4, State.PASSED_TO_UNIT: 3, State.PASSED_TO_TOWN: 2,
    State.TURNED_INTO_SUGGESTION: 3, State.TURNED_INTO_TOPIC: 1, State.DECLINED: 2, State.ANSWERED_ON_SPOT: 1,
    State.REOPENED: 3, State.PASSED_TO_DISTRICT: 1,
}
MIDDLE_STATES = {
    State.CLOSED: 45, State.ANSWERED: 12, State.PASSED_TO_UNIT: 10, State.PASSED_TO_TOWN: 8,
    State.PASSED_TO_DISTRICT: 5, State.TURNED_INTO_SUGGESTION: 5, State.TURNED_INTO_TOPIC: 2, State.DECLINED: 4,
    State.ANSWERED_ON_SPOT: 4, State.ACKNOWLEDGED: 3, State.REOPENED: 2,
}
RECENT_STATES = {
    State.RECEIVED: 20, State.ACKNOWLEDGED: 18, State.PASSED_TO_TOWN: 10, State.PASSED_TO_UNIT: 8,
    State.PASSED_TO_DISTRICT: 5, State.ANSWERED: 10, State.ANSWERED_ON_SPOT: 10, State.CLOSED: 12,
    State.DECLINED: 5,
}
SOURCES = {
    Opinion.Source.RECEPTION: 40, Opinion.Source.QR_FORM: 30, Opinion.Source.PHONE: 12,
    Opinion.Source.DEPUTY_VISIT: 12, Opinion.Source.LETTER: 6,
}
TIME_OF_DAY = datetime.time(10, 0)


def build(demo, *, year: int = DEMO_YEAR) -> None:
    StationsDemo(demo, year=year).build()


class StationsDemo:
    def __init__(self, demo, *, year: int):
        self.demo = demo
        self.rng = demo.rng
        self.year = year
        self.admin = demo.users["admin"]
        self.keeper = demo.users["keeper"]
        self.township = demo.users["township"]
        self.unit_officer = demo.users["unit"]
        # "Today" for the demo: the real date within the demo year, so open items are open now.
        self.today = min(max(timezone.localdate(), datetime.date(year, 2, 1)), datetime.date(year, 12, 31))
        self.codes: set[str] = set(Opinion.objects.values_list("receipt_code", flat=True))
        self._deadlines: dict = {}
        self._rule_values: dict = {}

    def build(self):
        self._stations()
        self._station_deputies()
        self._rosters()
        self._hold_past_shifts()
        self._service_shifts()
        self._activities()
        self._service_opinions()
        self._bulk_opinions()
        counts = self.demo.counts
        counts.update({
            "stations": Station.objects.filter(pk__in=[s.pk for s in self.stations]).count(),
            "station assignments": StationDeputy.objects.filter(station__in=self.stations).count(),
            "roster rules": RosterRule.objects.filter(station__in=self.stations).count(),
            "shifts": DutyShift.objects.filter(station__in=self.stations).count(),
            "shifts held": DutyShift.objects.filter(station__in=self.stations, state=DutyShift.State.HELD).count(),
            "no-shows": ShiftDuty.objects.filter(shift__station__in=self.stations, no_show=True).count(),
            "opinions": self._opinions().count(),
            "return visits": ReturnVisit.objects.filter(opinion__in=self._opinions()).count(),
            "station activities": StationActivity.objects.filter(station__in=self.stations).count(),
        })

    # ---- helpers ---------------------------------------------------------------------------

    def _opinions(self):
        return Opinion.objects.filter(body__in=[self.demo.body, *self.demo.township_bodies.values()])

    def _datetime(self, day: datetime.date, time: datetime.time = TIME_OF_DAY) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, time))

    def _deadline(self, body, rule: str, start: datetime.date):
        """working_days_after(), computed once per rule value and day: bodies share their rules."""
        value_key = (body.pk, rule)
        if value_key not in self._rule_values:
            self._rule_values[value_key] = getattr(rules_for(body), rule)
        key = (rule, self._rule_values[value_key], start)
        if key not in self._deadlines:
            self._deadlines[key] = working_days_after(body, rule, start)
        return self._deadlines[key]

    def _receipt_code(self) -> str:
        while True:
            code = "".join(self.rng.choice(CROCKFORD_ALPHABET) for _i in range(RECEIPT_CODE_LENGTH))
            if code not in self.codes:
                self.codes.add(code)
                return code

    def _phone(self) -> str:
        return "1" + self.rng.choice("3589") + "".join(self.rng.choice("0123456789") for _i in range(9))

    def _name(self) -> str:
        return self.rng.choice(SURNAMES) + ("先生" if self.rng.random() < 0.5 else "女士") if self.rng.random() < 0.4 \
            else self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)

    def _pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    @staticmethod
    def _update_grouped(model, rows, values):
        groups = defaultdict(list)
        for row in rows:
            groups[tuple(sorted(values(row).items(), key=lambda item: item[0]))].append(row.pk)
        for key, pks in groups.items():
            for start in range(0, len(pks), 500):
                model.objects.filter(pk__in=pks[start:start + 500]).update(**dict(key))

    def _events(self, rows: list[Event]):
        Event.objects.bulk_create(rows, batch_size=500)

    # ---- stations ----------------------------------------------------------------------------

    def _point(self, centre=None, spread=0.012) -> tuple[Decimal, Decimal]:
        rng = self.rng
        if centre is None:
            lat = rng.uniform(LAT_RANGE[0] + 0.02, LAT_RANGE[1] - 0.02)
            lon = rng.uniform(LON_RANGE[0] + 0.02, LON_RANGE[1] - 0.02)
        else:
            lat = min(max(centre[0] + rng.uniform(-spread, spread), LAT_RANGE[0] + 0.001), LAT_RANGE[1] - 0.001)
            lon = min(max(centre[1] + rng.uniform(-spread, spread), LON_RANGE[0] + 0.001), LON_RANGE[1] - 0.001)
        return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")

    def _stations(self):
        demo, admin = self.demo, self.admin
        centre = (24.7300, 118.1520)  # 同安区 城区
        lat, lon = self._point(centre, 0.002)
        self.centre = services.station_create(
            actor=admin, body=demo.body, region=demo.district, kind=Station.Kind.EXCHANGE_CENTRE,
            name="同安区人大代表履职服务中心", address="同安区环城南路 同安区人大常委会一楼",
            latitude=lat, longitude=lon, opening_hours="工作日 8:30–12:00，14:30–17:30",
        )
        self.town_rooms: dict[int, Station] = {}
        self.village_stations: dict[int, Station] = {}
        keeper_village = self._keeper_village()
        for town in demo.towns:
            body = demo.township_bodies[town.code]
            town_centre = tuple(float(value) for value in self._point())
            lat, lon = self._point(town_centre, 0.003)
            room = services.station_create(
                actor=admin, body=body, region=town, kind=Station.Kind.TOWN_ROOM, name=f"{town.name}人大代表之家",
                parent=self.centre, address=f"{town.name}便民服务中心二楼", latitude=lat, longitude=lon,
                opening_hours="工作日 9:00–12:00；每月代表接待日全天",
            )
            self.town_rooms[town.pk] = room
            for village in (v for v in demo.villages if v.parent_id == town.pk):
                lat, lon = self._point(town_centre)
                self.village_stations[village.pk] = services.station_create(
                    actor=admin, body=body, region=village, kind=Station.Kind.VILLAGE_STATION,
                    name=f"{village.name}人大代表联络站", parent=room,
                    address=f"{village.name}党群服务中心", latitude=lat, longitude=lon,
                    opening_hours="每月25日 9:00–11:30（遇节假日顺延）",
                    keeper=self.keeper if village.pk == keeper_village.pk else None,
                )
        self.industry = []
        for name, industry in (("教育行业人大代表联络站", "教育"), ("医疗卫生行业人大代表联络站", "医疗卫生")):
            lat, lon = self._point(centre, 0.01)
            self.industry.append(services.station_create(
                actor=admin, body=demo.body, region=demo.district, kind=Station.Kind.INDUSTRY_STATION, name=name,
                industry=industry, parent=self.centre, latitude=lat, longitude=lon,
                address="同安第一中学行政楼" if industry == "教育" else "同安区医院门诊楼三楼",
                opening_hours="每月15日 14:30–17:00",
            ))
        self.stations = [self.centre, *self.town_rooms.values(), *self.village_stations.values(), *self.industry]
        self.keeper_station = self.village_stations[keeper_village.pk]
        self.demo.stations = self.stations

    def _keeper_village(self) -> Region:
        from congress.models import RoleGrant
        from congress.models.accounts import Role

        grant = RoleGrant.objects.active().filter(user=self.keeper, role=Role.STATION_KEEPER).first()
        return grant.region

    # ---- deputies stationed ------------------------------------------------------------------

    def _station_deputies(self):
        demo, rng = self.demo, self.rng
        since = datetime.date(self.year, 1, 5)
        ids = [d.pk for d in demo.district_deputies + demo.township_deputies]
        deputies = list(Deputy.objects.filter(pk__in=ids).select_related("constituency__region", "body").order_by("pk"))
        towns = {town.pk: town for town in demo.towns}
        pairs: set[tuple[int, int]] = set()
        self.stationed: dict[int, list[Deputy]] = defaultdict(list)

        def station(station, deputy):
            if (station.pk, deputy.pk) not in pairs:
                pairs.add((station.pk, deputy.pk))
                self.stationed[station.pk].append(deputy)

        village_of_town = defaultdict(list)
        for village in demo.villages:
            village_of_town[village.parent_id].append(self.village_stations[village.pk])
        for deputy in deputies:
            region = deputy.constituency.region if deputy.constituency_id else deputy.body.region
            town_id = region.pk if region.pk in towns else region.parent_id
            if town_id not in towns:
                continue
            village_station = self.village_stations.get(region.pk) or rng.choice(village_of_town[town_id])
            if deputy.body_id == demo.body.pk:
                # Every district deputy at their town's room; many also at a village station.
                station(self.town_rooms[town_id], deputy)
                if rng.random() < 0.5 or deputy.user_id == demo.users["deputy"].pk:
                    station(village_station, deputy)
            else:
                station(village_station, deputy)
                if rng.random() < 0.3:
                    station(self.town_rooms[town_id], deputy)
        district = [d for d in deputies if d.body_id == demo.body.pk]
        demo_deputy = next(d for d in district if d.user_id == demo.users["deputy"].pk)
        station(self.keeper_station, demo_deputy)
        for industry_station in self.industry:
            for deputy in rng.sample(district, min(4, len(district))):
                station(industry_station, deputy)
        for deputy in rng.sample(district, min(6, len(district))):
            station(self.centre, deputy)
        rows = StationDeputy.objects.bulk_create(
            [StationDeputy(station_id=s, deputy_id=d, since=since) for s, d in sorted(pairs)], batch_size=500
        )
        station_type = ContentType.objects.get_for_model(Station)
        self._events([
            Event(content_type=station_type, object_id=str(row.station_id), actor=self.admin, verb="deputy_assigned",
                  data={"deputy": row.deputy_id, "since": str(since)})
            for row in rows
        ])

    # ---- rosters and a year of shifts ----------------------------------------------------------

    def _rosters(self):
        rng = self.rng
        self.rules = []
        for station in self.stations:
            day, start, end = {
                Station.Kind.VILLAGE_STATION: (25, datetime.time(9, 0), datetime.time(11, 30)),
                Station.Kind.TOWN_ROOM: (10, datetime.time(9, 0), datetime.time(12, 0)),
            }.get(station.kind, (15, datetime.time(14, 30), datetime.time(17, 0)))
            stationed = self.stationed.get(station.pk, [])
            on_duty = rng.sample(stationed, min(len(stationed), rng.randint(2, 3)))
            demo_deputy = next((d for d in stationed if d.user_id == self.demo.users["deputy"].pk), None)
            if station is self.keeper_station and demo_deputy and demo_deputy not in on_duty:
                on_duty.append(demo_deputy)
            rule = services.roster_rule_create(
                actor=self.admin, station=station, day_of_month=day, start_time=start, end_time=end,
                move_off_days=True, deputies=on_duty,
            )
            services.shifts_generate(actor=self.admin, rule=rule, year=self.year, today=datetime.date(self.year, 1, 1))
            self.rules.append(rule)

    def _hold_past_shifts(self):
        """Close the year's past shifts as the keepers would: most held with their visitors, a few
        no-shows, a few cancelled; the next month's announced. The keeper's own station's last
        shifts are left to `_service_shifts`."""
        rng, today = self.rng, self.today
        shifts = list(
            DutyShift.objects.filter(station__in=self.stations).select_related("station").order_by("pk")
        )
        keeper_recent = {
            s.pk for s in shifts if s.station_id == self.keeper_station.pk and today - datetime.timedelta(60) <= s.date
        }
        duties = defaultdict(list)
        for duty in ShiftDuty.objects.filter(shift__in=shifts).select_related("deputy").order_by("pk"):
            duties[duty.shift_id].append(duty)
        shift_type = ContentType.objects.get_for_model(DutyShift)
        events, held, cancelled, published = [], [], [], []
        present: dict[int, list[Deputy]] = {}
        checked, no_shows = [], []
        for shift in shifts:
            if shift.pk in keeper_recent:
                continue
            notice = shift.date - datetime.timedelta(days=7)
            if shift.date >= today:
                # The next month's reception days are announced (a week ahead, or today at the latest).
                if (shift.date - today).days <= 30:
                    shift.state, shift.notice_published_on = DutyShift.State.PUBLISHED, min(notice, today)
                    published.append(shift)
                    events.append(Event(content_type=shift_type, object_id=str(shift.pk), actor=self.admin,
                                        verb="published", from_state="planned", to_state="published"))
                continue
            shift.notice_published_on = notice
            events.append(Event(content_type=shift_type, object_id=str(shift.pk), actor=self.admin,
                                verb="published", from_state="planned", to_state="published"))
            roll = rng.random()
            if roll < 0.03:
                shift.state, shift.cancel_reason = DutyShift.State.CANCELLED, "台风天气，接待日取消。"
                cancelled.append(shift)
                events.append(Event(content_type=shift_type, object_id=str(shift.pk), actor=self.admin,
                                    verb="cancelled", from_state="published", to_state="cancelled",
                                    note=shift.cancel_reason))
                continue
            if roll < 0.05 and (today - shift.date).days < 45:
                # Announced and past, never closed: the keeper's reminder is due.
                shift.state = DutyShift.State.PUBLISHED
                published.append(shift)
                continue
            shift.state, shift.visitor_count = DutyShift.State.HELD, rng.randint(2, 18)
            held.append(shift)
            came = []
            for duty in duties[shift.pk]:
                if rng.randrange(100) < NO_SHOW_PERCENT:
                    duty.no_show = True
                    no_shows.append(duty)
                else:
                    duty.checked_in_at = self._datetime(shift.date, shift.start_time)
                    duty.checked_in_by = self.keeper if shift.station_id == self.keeper_station.pk else None
                    checked.append(duty)
                    came.append(duty.deputy)
                    events.append(Event(content_type=shift_type, object_id=str(shift.pk), actor=self.admin,
                                        verb="checked_in", data={"deputy": duty.deputy_id}))
            present[shift.pk] = came
            events.append(Event(content_type=shift_type, object_id=str(shift.pk), actor=self.admin, verb="held",
                                from_state="published", to_state="held", data={"visitors": shift.visitor_count}))
        # A few dozen grouped updates: bulk_update's CASE per row is slow on SQLite.
        self._update_grouped(DutyShift, held + cancelled + published,
                             lambda s: {"state": s.state, "notice_published_on": s.notice_published_on,
                                        "cancel_reason": s.cancel_reason})
        self._update_grouped(DutyShift, held, lambda s: {"visitor_count": s.visitor_count})
        self._update_grouped(ShiftDuty, checked,
                             lambda d: {"checked_in_at": d.checked_in_at, "checked_in_by": d.checked_in_by})
        ShiftDuty.objects.filter(pk__in=[duty.pk for duty in no_shows]).update(no_show=True)
        self._events(events)
        self._reception_activities(held, present)

    def _reception_activities(self, held: list[DutyShift], present: dict[int, list[Deputy]]):
        """What shift_record_duty_activities() writes for each held shift: one station-reception
        activity per congress of the deputies present, keyed by the shift, with participations."""
        shift_type = ContentType.objects.get_for_model(DutyShift)
        activities, participants = [], []
        now = timezone.now()
        for shift in held:
            by_body = defaultdict(list)
            for deputy in present.get(shift.pk, []):
                by_body[deputy.body_id].append(deputy)
            for body_id, deputies in sorted(by_body.items()):
                activities.append(DutyActivity(
                    body_id=body_id, kind=ActivityKind.STATION_RECEPTION, date=shift.date,
                    title=f"{shift.station.name}接待选民"[:200], source=DutyActivity.Source.AUTOMATIC,
                    state=DutyActivity.State.VERIFIED, verified_at=now, source_content_type=shift_type,
                    source_object_id=str(shift.pk),
                ))
                participants.append(deputies)
        activities = DutyActivity.objects.bulk_create(activities, batch_size=500)
        DutyParticipation.objects.bulk_create(
            [
                DutyParticipation(activity=activity, deputy=deputy)
                for activity, deputies in zip(activities, participants, strict=True)
                for deputy in deputies
            ],
            batch_size=500,
        )
        activity_type = ContentType.objects.get_for_model(DutyActivity)
        events = []
        for activity, deputies in zip(activities, participants, strict=True):
            events.append(Event(content_type=activity_type, object_id=str(activity.pk), actor=self.keeper,
                                verb="recorded", to_state=activity.state))
            events += [Event(content_type=activity_type, object_id=str(activity.pk), actor=self.keeper,
                             verb="participant_added", data={"deputy": d.pk}) for d in deputies]
        self._events(events)

    def _service_shifts(self):
        """The keeper's station's last two months through the services: announced, checked in
        (the demo deputy checks in himself), held with a no-show; the next one announced."""
        today = self.today
        shifts = list(
            DutyShift.objects.filter(station=self.keeper_station, date__gte=today - datetime.timedelta(60))
            .order_by("date")
        )
        demo_user = self.demo.users["deputy"]
        for index, shift in enumerate(shifts):
            if shift.state != DutyShift.State.PLANNED:
                continue
            if (shift.date - today).days > 30:
                continue
            publish_on = min(shift.date - datetime.timedelta(days=7), today)
            services.shift_publish(actor=self.keeper, shift=shift, today=publish_on)
            if shift.date >= today:
                continue
            duties = list(shift.duties.select_related("deputy").order_by("pk"))
            for number, duty in enumerate(duties):
                if number == len(duties) - 1 and index == 0 and duty.deputy.user_id != demo_user.pk:
                    continue  # one no-show
                actor = demo_user if duty.deputy.user_id == demo_user.pk else self.keeper
                services.shift_check_in(actor=actor, shift=shift, deputy=duty.deputy,
                                        now=self._datetime(shift.date, shift.start_time))
            services.shift_hold(actor=self.keeper, shift=shift, visitor_count=self.rng.randint(6, 15),
                                note="接待群众，现场解答政策咨询。", today=today)

    # ---- station activities ------------------------------------------------------------------

    def _activities(self):
        rng = self.rng
        titles = {
            StationActivity.Kind.BRING_IN: ("请进来：邀请{unit}负责人进站答疑", "请进来：群众代表座谈会"),
            StationActivity.Kind.GO_OUT: ("走出去：走访{place}困难群众", "走出去：{place}人居环境实地察看"),
            StationActivity.Kind.THEMED: ("“代表有约”主题活动：{theme}",),
        }
        themes = ("老旧小区改造", "基层医疗服务", "农村饮水安全", "营商环境", "学前教育")
        candidates = [s for s in self.stations if len(self.stationed.get(s.pk, [])) >= 1]
        count = min(self.demo.size("station_activities", STATION_ACTIVITIES), len(candidates) * 3)
        last = max(datetime.date(self.year, 1, 10), self.today - datetime.timedelta(days=1))
        for index in range(count):
            station = self.keeper_station if index == 0 else rng.choice(candidates)
            kind = rng.choice(list(titles))
            theme = rng.choice(themes)
            title = rng.choice(titles[kind]).format(
                unit=rng.choice(self.demo.units).short_name, place=station.region.name, theme=theme
            )
            stationed = self.stationed[station.pk]
            day = datetime.date(self.year, 1, 10) + datetime.timedelta(
                days=rng.randrange(max(1, (last - datetime.date(self.year, 1, 10)).days))
            )
            services.station_activity_create(
                actor=self.admin, station=station, kind=kind, title=title, date=day,
                participants=rng.sample(stationed, min(len(stationed), rng.randint(1, 4))),
                theme=theme if kind == StationActivity.Kind.THEMED else "", place=station.region.name,
                description="听取群众意见建议，现场解答政策咨询。", outcome="收集意见建议若干条，已分类转交办理。",
                citizen_count=rng.randint(10, 80),
            )

    # ---- opinions through the services -----------------------------------------------------------

    def _content(self, station: Station, category: str) -> str:
        town = station.region if station.region.is_township else None
        village = station.region if station.kind == Station.Kind.VILLAGE_STATION else None
        if town is None and village is not None:
            town = next((t for t in self.demo.towns if t.pk == village.parent_id), None)
        town_name = town.name if town else "同安"
        village_name = village.name if village else self.rng.choice(self.demo.villages).name
        return self.rng.choice(CONTENTS[category]).format(town=town_name, village=village_name)

    def _service_opinions(self):
        """One recent opinion per route and state, acted on by the demo accounts through the services:
        the keeper's station takes them in, the town, the district office and 卫健局 answer."""
        rng, today = self.rng, self.today
        station, keeper, township, admin, unit = (
            self.keeper_station, self.keeper, self.township, self.admin, self.unit_officer
        )
        demo_user = self.demo.users["deputy"]
        demo_deputy = Deputy.objects.get(user=demo_user, body=self.demo.body)
        held = DutyShift.objects.filter(station=station, state=DutyShift.State.HELD).order_by("-date").first()
        categories = list(Opinion.Category)

        def record(days_ago: int, category=None, **extra):
            category = category or rng.choice(categories)
            fields = {"source": Opinion.Source.RECEPTION, "station": station, "actor": keeper, **extra}
            if fields["source"] == Opinion.Source.RECEPTION and held is not None and "shift" not in fields:
                fields["shift"] = held
            return services.opinion_record(
                content=self._content(station, category), category=category, citizen_name=self._name(),
                consent=True, received_on=today - datetime.timedelta(days=days_ago), **fields,
            )

        # Waiting at the station: received, acknowledged.
        record(1)
        services.opinion_submit(content=self._content(station, Opinion.Category.URBAN), station=station,
                                category=Opinion.Category.URBAN, citizen_name="王女士", consent=True)
        services.opinion_acknowledge(actor=keeper, opinion=record(2))
        # The demo deputy brings one from a visit and takes another up as his own suggestion.
        visit = services.opinion_record(
            actor=demo_user, source=Opinion.Source.DEPUTY_VISIT, deputy=demo_deputy,
            content=self._content(station, Opinion.Category.HEALTH),
            category=Opinion.Category.HEALTH, received_on=today - datetime.timedelta(days=3),
        )
        services.opinion_pass_to_town(actor=keeper, opinion=record(4, Opinion.Category.HEALTH), note="请街道协调。")
        services.opinion_turn_into_suggestion(actor=township, opinion=visit, deputy=demo_deputy,
                                              note="由代表提出书面建议。")
        # Answered on the spot, then closed by the town, rated satisfied on the phone.
        spot = services.opinion_answer_on_spot(actor=keeper, opinion=record(9), text=ANSWERS[3])
        services.opinion_close(actor=keeper, opinion=spot)
        services.return_visit_record_call(actor=keeper, opinion=spot, rating=Rating.SATISFIED)
        # To the town, answered and closed; to 卫健局, answered, closed, rated 不满意 and reopened.
        town_item = services.opinion_pass_to_town(actor=keeper, opinion=record(12))
        services.opinion_answer(actor=township, opinion=town_item, text=ANSWERS[0])
        services.opinion_close(actor=township, opinion=town_item)
        health = services.opinion_pass_to_unit(actor=admin, opinion=record(14, Opinion.Category.HEALTH),
                                               unit=self.demo.health_bureau, note="请区卫健局办理。")
        services.opinion_answer(actor=unit, opinion=health, text=ANSWERS[1])
        services.opinion_close(actor=unit, opinion=health)
        services.return_visit_record_call(actor=township, opinion=health, rating=Rating.UNSATISFIED,
                                          reason=UNSATISFIED_REASONS[0])
        # 卫健局 still owes answers on two more.
        for days in (5, 16):
            services.opinion_pass_to_unit(actor=admin, opinion=record(days, Opinion.Category.HEALTH),
                                          unit=self.demo.health_bureau)
        # Up to the district, into a topic proposal, declined with another channel.
        services.opinion_pass_to_district(actor=township, opinion=record(6, Opinion.Category.TRANSPORT))
        services.opinion_turn_into_topic(actor=admin, opinion=record(8, Opinion.Category.ENVIRONMENT),
                                         note="列入明年监督议题建议。")
        services.opinion_decline(actor=township, opinion=record(7, Opinion.Category.OTHER),
                                 channel=Opinion.DeclineChannel.MEDIATION,
                                 text=DECLINE_TEXTS[Opinion.DeclineChannel.MEDIATION])
        # Same matter twice: the second is linked to the first.
        first = record(3, Opinion.Category.URBAN)
        services.opinion_link_duplicate(actor=keeper, opinion=record(2, Opinion.Category.URBAN), primary=first)

    # ---- the year's opinions in bulk ----------------------------------------------------------------

    def _bulk_opinions(self):
        demo, rng, today = self.demo, self.rng, self.today
        total = demo.size("opinions", OPINIONS) - self._opinions().count()
        if total <= 0:
            return
        start = datetime.date(self.year, 1, 2)
        span = max(1, (today - start).days)
        # Village stations take most opinions; the keeper's station is handled by the services.
        stations = [s for s in self.stations if s is not self.keeper_station]
        weights = [8 if s.kind == Station.Kind.VILLAGE_STATION else 12 if s.kind == Station.Kind.TOWN_ROOM else 6
                   for s in stations]
        district_deputies = [d for d in demo.district_deputies if d.user_id is None] or demo.district_deputies
        units = [u for u in demo.units if u.kind == Unit.Kind.DEPARTMENT] or demo.units
        towns = {t.pk: t for t in demo.towns}
        village_town = {v.pk: towns[v.parent_id] for v in demo.villages}
        held_shifts = defaultdict(list)
        for shift in DutyShift.objects.filter(station__in=stations, state=DutyShift.State.HELD).only(
                "pk", "station_id", "date"):
            held_shifts[shift.station_id].append(shift)

        plan = []
        for _index in range(total):
            station = rng.choices(stations, weights=weights)[0]
            received = start + datetime.timedelta(days=rng.randrange(span))
            source = self._pick(SOURCES)
            shift = None
            if source == Opinion.Source.RECEPTION and held_shifts[station.pk]:
                shift = rng.choice(held_shifts[station.pk])
                received = shift.date
            age = (today - received).days
            table = OLD_STATES if age > 45 else MIDDLE_STATES if age > 15 else RECENT_STATES
            plan.append((station, received, source, shift, self._pick(table)))
        plan.sort(key=lambda row: (row[1], row[0].pk))

        opinions, answers, visits, events = [], [], [], []
        for station, received, source, shift, state in plan:
            body = station.body
            category = rng.choice(list(Opinion.Category))
            town = station.region if station.region.is_township else village_town.get(station.region_id)
            with_contact = rng.random() < 0.7
            phone = self._phone() if with_contact and rng.random() < 0.8 else ""
            ack = self._deadline(body, "opinion_ack_working_days", received)
            answer = self._deadline(body, "opinion_answer_working_days", received)
            opinion = Opinion(
                body=body, region=station.region, station=station, shift=shift, source=source,
                deputy=rng.choice(district_deputies) if source == Opinion.Source.DEPUTY_VISIT else None,
                content=self._content(station, category), category=category, receipt_code=self._receipt_code(),
                citizen_name=self._name() if with_contact else "", citizen_phone=phone,
                phone_verified_at=self._datetime(received) if phone and source == Opinion.Source.QR_FORM else None,
                consent_at=self._datetime(received) if with_contact else None,
                recorded_by=None if source == Opinion.Source.QR_FORM else self.admin,
                state=state, received_on=received, ack_due=ack.due, ack_due_basis=ack.basis,
                answer_due=answer.due, answer_due_basis=answer.basis,
            )
            steps = self._fill_state(opinion, state, town, units)
            opinions.append((opinion, steps))
        Opinion.objects.bulk_create([o for o, _s in opinions], batch_size=500)
        opinion_type = ContentType.objects.get_for_model(Opinion)
        for opinion, steps in opinions:
            events.append(Event(content_type=opinion_type, object_id=str(opinion.pk), actor=opinion.recorded_by,
                                verb="received", to_state=State.RECEIVED, data={"source": opinion.source}))
            previous = State.RECEIVED
            for verb, to_state, extra in steps:
                events.append(Event(content_type=opinion_type, object_id=str(opinion.pk), actor=self.admin,
                                    verb=verb, from_state=previous, to_state=to_state, **extra))
                previous = to_state
            if opinion.answered_at or opinion.closure_round:
                answers.append(OpinionAnswer(
                    opinion=opinion, text=self._answer_text(opinion), by=self.admin,
                    organ_unit=opinion.answered_by_unit, organ_region=opinion.answered_by_region,
                    kind=opinion.state if opinion.state in Opinion.AWAITING_CLOSURE else State.ANSWERED,
                ))
            if opinion.closure_round:
                visits.append(self._visit(opinion))
        OpinionAnswer.objects.bulk_create(answers, batch_size=500)
        ReturnVisit.objects.bulk_create(visits, batch_size=500)
        self._events(events)

    def _answer_text(self, opinion: Opinion) -> str:
        if opinion.decline_channel:
            return DECLINE_TEXTS.get(opinion.decline_channel, "该事项请通过其他法定途径解决。")
        return self.rng.choice(ANSWERS)

    def _fill_state(self, opinion: Opinion, state: str, town, units) -> list[tuple[str, str, dict]]:
        """Set the fields a route leaves behind; return the (verb, state, extra) steps for the timeline."""
        rng = self.rng
        received = opinion.received_on
        acked = self._datetime(received + datetime.timedelta(days=rng.randint(0, 2)), datetime.time(15, 0))
        answered = self._datetime(received + datetime.timedelta(days=rng.randint(3, 14)), datetime.time(16, 0))
        # Answers are never in the future.
        answered = min(answered, self._datetime(self.today, datetime.time(9, 0)))
        acked = min(acked, answered)
        organ_region = town or self.demo.district
        steps = []
        if town is None and state == State.PASSED_TO_TOWN:
            state = opinion.state = State.PASSED_TO_DISTRICT
        if state == State.RECEIVED:
            return steps
        opinion.acknowledged_at = acked
        if state == State.ACKNOWLEDGED:
            return [("acknowledged", state, {})]
        route = state
        if state in (State.ANSWERED, State.CLOSED, State.REOPENED):
            route = rng.choice((State.PASSED_TO_TOWN, State.PASSED_TO_UNIT, State.PASSED_TO_DISTRICT, None, None))
        if state == State.DECLINED:
            route = None
        if route == State.PASSED_TO_UNIT:
            opinion.passed_to_unit = rng.choice(units)
            steps.append(("passed_to_unit", route, {"data": {"unit": opinion.passed_to_unit.pk}}))
        elif route == State.PASSED_TO_TOWN and town is not None:
            steps.append(("passed_to_town", route, {}))
        elif route == State.PASSED_TO_DISTRICT:
            steps.append(("passed_to_district", route, {}))
            organ_region = self.demo.district
        elif route == State.TURNED_INTO_SUGGESTION:
            opinion.follow_up_deputy = rng.choice(self.demo.district_deputies)
            steps.append(("turned_into_suggestion", route, {"data": {"deputy": opinion.follow_up_deputy.pk}}))
        elif route == State.TURNED_INTO_TOPIC:
            steps.append(("turned_into_topic", route, {}))
            organ_region = self.demo.district
        if steps:
            transferred = self._deadline(opinion.body, "opinion_answer_working_days", acked.date())
            opinion.answer_due = transferred.due
            opinion.answer_due_basis = {**transferred.basis, "transferred_to": steps[-1][1]}
        if state in (State.PASSED_TO_UNIT, State.PASSED_TO_TOWN, State.PASSED_TO_DISTRICT,
                     State.TURNED_INTO_SUGGESTION, State.TURNED_INTO_TOPIC):
            if not steps:  # a town room's item passed to its own town: held by the town
                steps.append(("passed_to_town", state, {}))
            return steps
        opinion.answered_at = answered
        if opinion.passed_to_unit_id:
            opinion.answered_by_unit = opinion.passed_to_unit
        else:
            opinion.answered_by_region = organ_region
        if state == State.ANSWERED_ON_SPOT:
            opinion.answered_at = acked
            return [("answered_on_spot", state, {})]
        if state == State.DECLINED:
            opinion.decline_channel = rng.choice(list(DECLINE_TEXTS))
            return [("declined", state, {"data": {"channel": opinion.decline_channel}})]
        steps.append(("answered", State.ANSWERED, {}))
        if state == State.ANSWERED:
            return steps
        closed = answered + datetime.timedelta(days=rng.randint(1, 5))
        opinion.closed_at = min(closed, self._datetime(self.today, datetime.time(9, 30)))
        opinion.closure_round = 1
        steps.append(("closed", State.CLOSED, {}))
        if state == State.REOPENED:
            reopened_on = min(opinion.closed_at.date() + datetime.timedelta(days=3), self.today)
            deadline = self._deadline(opinion.body, "opinion_answer_working_days", reopened_on)
            opinion.answer_due, opinion.answer_due_basis = deadline.due, {**deadline.basis, "reopened": True}
            opinion.answered_by_unit = opinion.answered_by_region = opinion.passed_to_unit = None
            steps.append(("rated", State.CLOSED, {"data": {"round": 1, "rating": Rating.UNSATISFIED}}))
            steps.append(("reopened", State.REOPENED, {"note": UNSATISFIED_REASONS[1]}))
        return steps

    def _visit(self, opinion: Opinion) -> ReturnVisit:
        rng = self.rng
        rated_at = min(opinion.closed_at + datetime.timedelta(days=rng.randint(1, 4)),
                       self._datetime(self.today, datetime.time(11, 0)))
        if opinion.state == State.REOPENED:
            return ReturnVisit(opinion=opinion, round=1, channel=ReturnVisit.Channel.PHONE_CALL,
                               rating=Rating.UNSATISFIED, reason=UNSATISFIED_REASONS[1], rated_at=rated_at,
                               recorded_by=self.admin)
        if rng.random() < 0.25:  # not rated (yet)
            return ReturnVisit(opinion=opinion, round=1)
        rating = rng.choices([Rating.SATISFIED, Rating.BASICALLY_SATISFIED], weights=[75, 25])[0]
        if opinion.citizen_phone and rng.random() < 0.6:
            return ReturnVisit(opinion=opinion, round=1, channel=ReturnVisit.Channel.LINK, rating=rating,
                               rated_at=rated_at, link_sent_at=opinion.closed_at)
        return ReturnVisit(opinion=opinion, round=1, channel=ReturnVisit.Channel.PHONE_CALL, rating=rating,
                           rated_at=rated_at, recorded_by=self.admin)
