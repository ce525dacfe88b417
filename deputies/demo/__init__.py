"""The deputies of the demo district (seed_demo): 223 district and 446 township deputies, a year of
duty activities whose scores spread over the three bands, a report to voters with a finished
ballot, an outstanding-deputy selection taking nominations, 双联系 pairs and the theme year.

Deputies, sessions, self-reports, contacts, the voter report and the selection go through the
services, so encrypted fields, blind indexes, events and alerts are what the platform writes. The
bulk of the year's group activities (inspections, research, dialogues…) is then bulk-created to
bring each deputy to a score drawn for their band: writing eight thousand participations one
service call at a time would take minutes.

Suggestions filed and station shifts served are recorded later by their own apps' demo data and
add to these scores, so the targets below leave them room: poor deputies stay well under 60.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Event, Region, Session
from deputies import services
from deputies.demo.people import DISTRICT_SECTORS, LEADER_POSTS, SC_COMMITTEES, TOWNSHIP_SECTORS, People, Person
from deputies.models import (
    DEFAULT_SCORE_RULES,
    ActivityKind,
    Constituency,
    ContactLog,
    ContactPair,
    Deputy,
    DutyActivity,
    DutyParticipation,
    Gender,
    Satisfaction,
    Sector,
    validate_id_number,
    validate_phone,
)
from deputies.selectors import body_scores, score_rules

# The real district's sizes (DESIGN §7); a test passes smaller ones through DemoDistrict(sizes=…).
DISTRICT_DEPUTIES = 223
TOWNSHIP_DEPUTIES = 446
STANDING_COMMITTEE_MEMBERS = 25  # district deputies on the standing committee, leaders among them
DISTRICT_LEADERS = 12
BOTH_MANDATES_PERCENT = 25  # of the ordinary district deputies, also elected to their town's congress
CONTACT_PAIRS_PER_MEMBER = 6
DEMO_YEAR = 2026
THEME_YEAR = "争当表率促发展"
ABSENCES = 2  # unexcused absences from congress sessions of the deputy the alert is about

# Share of each congress's deputies whose 2026 score is drawn in each band, and the range drawn.
# Fair targets stop five points short of 80 (one activity may overshoot by up to five points).
BANDS = (("good", 35, (82, 112)), ("fair", 40, (60, 72)), ("poor", 25, (14, 44)))
TOWNSHIP_CEILING = 88

# Titles of the year's group activities per kind ({town}, {village} filled in).
ACTIVITY_TITLES = {
    ActivityKind.INSPECTION: (
        "视察同安新城建设进展", "视察农村人居环境整治", "视察义务教育优质均衡发展", "视察{town}乡村振兴示范村建设",
        "视察城乡医疗卫生服务体系", "视察西溪流域综合治理", "视察{town}老旧小区改造",
    ),
    ActivityKind.RESEARCH: (
        "关于养老服务体系建设的专题调研", "关于营商环境优化的专题调研", "关于{town}农村饮用水安全的调研",
        "关于中小学课后服务的专题调研", "关于基层医疗机构人才队伍的调研", "关于{village}产业发展的调研",
    ),
    ActivityKind.LAW_ENFORCEMENT: (
        "《中华人民共和国食品安全法》执法检查", "《中华人民共和国安全生产法》执法检查",
        "《中华人民共和国水污染防治法》执法检查", "《中华人民共和国未成年人保护法》执法检查",
    ),
    ActivityKind.WORK_EVALUATION: (
        "区卫生健康局专项工作评议", "区行政审批管理局专项工作评议", "区城市管理局专项工作评议",
    ),
    ActivityKind.DIALOGUE: (
        "半月谈：老旧小区加装电梯", "半月谈：农村道路养护", "季度议：学前教育资源配置", "季度议：背街小巷整治",
        "半月谈：{town}农贸市场提升改造",
    ),
    ActivityKind.TRAINING: ("代表履职能力培训班", "《代表法》专题学习讲座", "建议撰写实务培训"),
    ActivityKind.VOTER_VISIT: ("走访{village}选民", "到{village}听取群众意见", "走访{village}困难群众"),
    ActivityKind.OTHER: ("参加{town}代表小组活动", "参与“代表有约”主题活动", "参加{town}民生实事项目票决"),
}
FILL_WEIGHTS = {
    ActivityKind.INSPECTION: 5, ActivityKind.RESEARCH: 5, ActivityKind.LAW_ENFORCEMENT: 3,
    ActivityKind.WORK_EVALUATION: 3, ActivityKind.DIALOGUE: 4, ActivityKind.TRAINING: 3,
    ActivityKind.VOTER_VISIT: 4, ActivityKind.OTHER: 2,
}
# Kinds a township congress's deputies do in their own town.
TOWNSHIP_KINDS = (
    ActivityKind.INSPECTION, ActivityKind.RESEARCH, ActivityKind.TRAINING, ActivityKind.VOTER_VISIT,
    ActivityKind.DIALOGUE, ActivityKind.OTHER,
)
# Group activities take at most this many deputies; voter visits are one deputy's own.
GROUP_SIZE = 20


def build(
    demo,
    *,
    district_deputies: int | None = None,
    township_deputies: int | None = None,
    year: int = DEMO_YEAR,
) -> None:
    """Build the demo district's deputies and their year; counts default to demo.size(…)."""
    builder = DeputiesDemo(
        demo,
        district_count=district_deputies or demo.size("district_deputies", DISTRICT_DEPUTIES),
        township_count=township_deputies or demo.size("township_deputies", TOWNSHIP_DEPUTIES),
        year=year,
    )
    builder.build()


class DeputiesDemo:
    def __init__(self, demo, *, district_count: int, township_count: int, year: int):
        self.demo = demo
        self.rng = demo.rng
        self.year = year
        self.district_count = district_count
        self.township_count = township_count
        self.admin = demo.users["admin"]
        self.clerk = demo.users["clerk"]
        self.members = min(demo.size("standing_committee_members", STANDING_COMMITTEE_MEMBERS), district_count - 2)
        self.leaders = min(demo.size("district_leaders", DISTRICT_LEADERS), len(LEADER_POSTS), district_count - 2)
        self.people = People(demo, self.rng, reserved_names=(demo.users["deputy"].full_name,
                                                              demo.users["member"].full_name))
        self.villages_of = {town.pk: [v for v in demo.villages if v.parent_id == town.pk] for town in demo.towns}
        self.targets: dict[int, int] = {}

    def build(self):
        demo = self.demo
        self._rules()
        self.district = self._district_roster()
        self.township = self._township_roster()
        demo.district_deputies = self.district
        demo.township_deputies = self.township
        demo.counts.update({
            "district deputies": len(self.district),
            "township deputies": len(self.township),
            "deputies with both mandates": self.linked,
        })
        self._sessions()
        self._self_reports()
        self._contacts()
        self._voter_reports()
        for body, deputies in self._bodies():
            self._draw_targets(body, deputies)
            self._fill(body, deputies)
        self._selection()
        bodies = [self.demo.body, *self.demo.township_bodies.values()]
        demo.counts.update({
            "duty activities": DutyActivity.objects.filter(body__in=bodies).count(),
            "participations": DutyParticipation.objects.filter(deputy__in=self.district + self.township).count(),
        })

    def _bodies(self):
        yield self.demo.body, self.district
        for body in self.demo.township_bodies.values():
            yield body, [deputy for deputy in self.township if deputy.body_id == body.pk]

    # ---- rules and the theme year --------------------------------------------------------------

    def _rules(self):
        for kind, (points, cap) in DEFAULT_SCORE_RULES.items():
            services.score_rule_set(actor=self.admin, body=self.demo.body, kind=kind, points=points, yearly_cap=cap)
        self.theme = services.theme_year_create(
            actor=self.admin, body=self.demo.body, year=self.year, name=THEME_YEAR,
            description="围绕“争当表率促发展”主题，组织代表开展视察调研、进站接待选民和建言献策活动。",
        )

    @staticmethod
    def _share(total: int, weights: list[int], *, minimum: int = 1) -> list[int]:
        """Split `total` by `weights` (largest remainder), each share at least `minimum` when possible."""
        weight_sum = sum(weights)
        exact = [total * weight / weight_sum for weight in weights]
        shares = [max(minimum, int(value)) if total >= minimum * len(weights) else int(value) for value in exact]
        order = sorted(range(len(weights)), key=lambda index: exact[index] - int(exact[index]), reverse=True)
        index = 0
        while sum(shares) < total:
            shares[order[index % len(order)]] += 1
            index += 1
        while sum(shares) > total:
            largest = max(range(len(shares)), key=lambda i: shares[i])
            shares[largest] -= 1
        return shares

    def _town_weights(self, *, street_bonus: int) -> list[int]:
        return [
            len(self.villages_of[town.pk]) + (street_bonus if town.kind == Region.Kind.STREET else 0)
            for town in self.demo.towns
        ]

    # ---- the district roster -------------------------------------------------------------------

    def _district_roster(self) -> list[Deputy]:
        from tests.factories.deputies import ConstituencyFactory, DelegationFactory

        demo, rng = self.demo, self.rng
        per_town = self._share(self.district_count, self._town_weights(street_bonus=8))
        self.delegations = {
            town.pk: DelegationFactory(body=demo.body, term=demo.term, name=f"{town.name}代表团", region=town)
            for town in demo.towns
        }
        # One entry per seat: the member and the demo deputy take two of the demo town's.
        seats = [town for town, count in zip(demo.towns, per_town, strict=True) for _seat in range(count)]
        constituencies = {}
        number = 0
        for town, count in zip(demo.towns, per_town, strict=True):
            villages = self.villages_of[town.pk]
            for index in range((count + 2) // 3):
                number += 1
                region = villages[index % len(villages)] if len(villages) > index else town
                constituencies.setdefault(town.pk, []).append(
                    ConstituencyFactory(
                        body=demo.body, term=demo.term, number=number, name=f"{town.name}第{index + 1}选区",
                        region=region, seats=min(3, count - 3 * index),
                    )
                )
        seat_counter: dict[int, int] = {}

        def seat_in(town):
            position = seat_counter.get(town.pk, 0)
            seat_counter[town.pk] = position + 1
            return {"constituency": constituencies[town.pk][position // 3], "delegation": self.delegations[town.pk]}

        demo_town = demo.demo_town
        deputies = []
        # The standing-committee member with a demo account, and the demo deputy.
        member_user, deputy_user = demo.users["member"], demo.users["deputy"]
        member = self._create(
            self.people.person(
                sector=Sector.CADRES, town=demo_town, gender=Gender.FEMALE, name=member_user.full_name,
                post=("区人大常委会委员、社会建设工委主任", "同安区人大常委会"),
            ),
            body=demo.body, term=demo.term, user=member_user, is_standing_committee_member=True,
            **seat_in(demo_town),
        )
        deputy = self._create(
            self.people.person(
                sector=Sector.PROFESSIONALS, town=demo_town, gender=Gender.MALE, name=deputy_user.full_name,
                post=("主治医师", "同安区医院"),
            ),
            body=demo.body, term=demo.term, user=deputy_user, **seat_in(demo_town),
        )
        deputies += [member, deputy]
        self.member_deputy, self.demo_deputy = member, deputy
        rows = []
        seats.remove(demo_town)
        seats.remove(demo_town)
        rng.shuffle(seats)
        committee_seats = self.members - 1  # the member with a demo account holds one
        for index in range(self.district_count - 2):
            town = seats[index]
            post = LEADER_POSTS[index] if index < self.leaders else None
            # The congress's own leaders (主任、副主任) sit on its standing committee.
            on_committee = committee_seats > 0 and (post is None or "人大常委会" in post[0])
            sector = Sector.CADRES if post else self.people.pick(DISTRICT_SECTORS)
            if on_committee and not post and rng.random() < 0.6:
                sector = Sector.CADRES
                post = (f"区人大常委会委员、{rng.choice(SC_COMMITTEES)}委员", "同安区人大常委会")
            committee_seats -= on_committee
            rows.append(
                self._row(
                    self.people.person(sector=sector, town=town, post=post), body=demo.body, term=demo.term,
                    is_standing_committee_member=on_committee, is_district_leader=index < self.leaders,
                    **seat_in(town),
                )
            )
        return deputies + self._insert(rows)

    def _create(self, person: Person, *, body, term, user=None, **fields) -> Deputy:
        """A mandate through the roster service (with its account, when it has one)."""
        fields = {**person.fields(), **fields}
        name, gender = fields.pop("name"), fields.pop("gender")
        deputy = services.deputy_create(
            actor=self.admin, body=body, term=term, name=name, gender=gender, user=user, **fields
        )
        deputy.person = person
        return deputy

    @staticmethod
    def _row(person: Person, **fields) -> Deputy:
        deputy = Deputy(**person.fields(), **fields)
        deputy.person = person
        return deputy

    def _insert(self, rows: list[Deputy]) -> list[Deputy]:
        """Insert mandates without an account in bulk, each with its "created" event.

        deputy_create() costs a dozen queries (model validation, audit log) per row; the values here
        are generated valid, checked with the model's own validators, and the encrypted fields and
        blind indexes are filled by the fields themselves on insert.
        """
        for row in rows:
            validate_id_number(row.id_number)
            validate_phone(row.phone)
        rows = Deputy.objects.bulk_create(rows)
        content_type = ContentType.objects.get_for_model(Deputy)
        Event.objects.bulk_create(
            Event(content_type=content_type, object_id=str(row.pk), actor=self.admin, verb="created") for row in rows
        )
        return rows

    # ---- the township rosters ------------------------------------------------------------------

    def _township_roster(self) -> list[Deputy]:
        from tests.factories.deputies import ConstituencyFactory

        demo, rng = self.demo, self.rng
        per_town = self._share(self.township_count, self._town_weights(street_bonus=2), minimum=3)
        # Ordinary district deputies also elected to their town's congress (one person, two mandates).
        ordinary = [d for d in self.district if not (d.is_district_leader or d.is_standing_committee_member or d.user)]
        both = rng.sample(ordinary, len(ordinary) * BOTH_MANDATES_PERCENT // 100)
        rows, links = [], []
        for town, count in zip(demo.towns, per_town, strict=True):
            body, term = demo.township_bodies[town.code], demo.township_terms[town.code]
            villages = self.villages_of[town.pk]
            seats = self._share(count, [rng.randint(2, 4) for _village in villages], minimum=1) if (
                count >= len(villages)) else [1] * count
            # One constituency per village, numbered in the village order.
            constituencies = Constituency.objects.bulk_create(
                ConstituencyFactory.build(
                    body=body, term=term, number=index, name=f"第{index}选区（{village.name}）", region=village,
                    seats=seat_count,
                )
                for index, (village, seat_count) in enumerate(zip(villages, seats, strict=False), start=1)
            )
            places = [c for c in constituencies for _seat in range(c.seats)]
            district_here = [d for d in both if d.constituency.region.path.startswith(town.path)][: count // 2]
            for index, constituency in enumerate(places):
                if index < len(district_here):
                    row = self._row(district_here[index].person, body=body, term=term, constituency=constituency)
                    links.append((district_here[index], row))
                else:
                    sector = self.people.pick(TOWNSHIP_SECTORS)
                    row = self._row(self.people.person(sector=sector, town=town), body=body, term=term,
                                    constituency=constituency)
                rows.append(row)
        deputies = self._insert(rows)
        for district_deputy, township_deputy in links:
            services.deputy_link_mandates(actor=self.admin, deputy=district_deputy, other=township_deputy)
        self.linked = len(links)
        return deputies

    # ---- activities through the services --------------------------------------------------------

    def _sessions(self):
        """The congress's last two sessions (one deputy absent twice without leave: the art. 62 alert),
        the standing committee's meetings of the year, and each township congress's session."""
        demo, rng = self.demo, self.rng
        ordinary = [d for d in self.district if not (d.is_standing_committee_member or d.user)]
        self.absentee = ordinary[-1]
        sessions = Session.objects.filter(term=demo.term, kind=Session.Kind.CONGRESS).order_by("-number")[:ABSENCES]
        for session in reversed(sessions):
            attendance = {}
            for deputy in self.district:
                attendance[deputy] = services.Attendance.PRESENT
                if deputy is self.absentee:
                    attendance[deputy] = services.Attendance.ABSENT
                elif rng.random() < 0.03 and not deputy.user:
                    attendance[deputy] = services.Attendance.LEAVE_APPROVED
            services.activity_create(
                actor=self.clerk, body=demo.body, kind=ActivityKind.SESSION, date=session.starts_on,
                title=f"出席区第十八届人民代表大会第{_number(session.number)}次会议", participants=attendance,
                place="同安区会议中心", session=session,
            )
        members = [d for d in self.district if d.is_standing_committee_member]
        for session in Session.objects.filter(
            term=demo.term, kind=Session.Kind.STANDING_COMMITTEE, starts_on__year=self.year
        ):
            services.activity_create(
                actor=self.clerk, body=demo.body, kind=ActivityKind.STANDING_COMMITTEE, date=session.starts_on,
                title=f"出席区十八届人大常委会第{_number(session.number)}次会议", participants=members,
                place="区人大常委会会议室", session=session,
            )
        for body in demo.township_bodies.values():
            deputies = [d for d in self.township if d.body_id == body.pk]
            if not deputies:
                continue
            attendance = {
                d: services.Attendance.LEAVE_APPROVED if rng.random() < 0.04 else services.Attendance.PRESENT
                for d in deputies
            }
            services.activity_create(
                actor=self.clerk, body=body, kind=ActivityKind.SESSION,
                date=datetime.date(self.year, 1, 12) + datetime.timedelta(days=rng.randrange(10)),
                title=f"出席{body.region.name}第十八届人民代表大会第六次会议", participants=attendance,
                place=f"{body.region.name}会议中心",
            )

    def _self_reports(self):
        """The demo deputy's reports from the portal: one verified, one rejected, two awaiting
        verification; the member's one awaiting; and a few more from deputies without an account."""
        deputy, user = self.demo_deputy, self.demo.users["deputy"]
        village = self.villages_of[self.demo.demo_town.pk][0]

        def report(kind, day, title, owner=deputy, actor=user, **extra):
            return services.activity_self_report(
                actor=actor, deputy=owner, kind=kind, date=datetime.date(self.year, *day), title=title,
                place=extra.pop("place", village.name), theme_year=self.theme, **extra,
            )

        verified = report(ActivityKind.VOTER_VISIT, (5, 16), f"走访{village.name}选民，收集停车难问题意见")
        services.activity_verify(actor=self.clerk, activity=verified)
        rejected = report(ActivityKind.TRAINING, (7, 2), "参加医院业务培训")
        services.activity_reject(
            actor=self.clerk, activity=rejected, reason="单位业务培训不属于代表履职培训，请勿重复申报。"
        )
        report(ActivityKind.VOTER_VISIT, (11, 10), f"到{village.name}听取群众关于社区卫生服务站的意见",
               description="与社区干部一起走访12户居民，整理意见3条。")
        report(ActivityKind.RESEARCH, (11, 18), "参加基层医疗机构人才队伍建设调研", place="同安区医院")
        report(ActivityKind.VOTER_VISIT, (11, 12), "走访联系选民", owner=self.member_deputy,
               actor=self.demo.users["member"])
        # Deputies without a demo account: their reports carry no reporting account.
        without_account = [d for d in self.district + self.township if not d.user]
        others = self.rng.sample(without_account, max(2, len(without_account) // 40))
        activities = [
            DutyActivity(
                body_id=other.body_id, kind=ActivityKind.VOTER_VISIT, title="走访选民，听取意见建议",
                date=datetime.date(self.year, 11, 1 + self.rng.randrange(20)),
                source=DutyActivity.Source.SELF_REPORTED, state=DutyActivity.State.PENDING,
            )
            for other in others
        ]
        self._bulk(activities, [[other] for other in others], verb="reported", actor=None)

    def _contacts(self):
        """双联系: every standing-committee member keeps in touch with a few deputies this year;
        most pairs have logged contacts, some none yet (the reminder's case)."""
        demo, rng = self.demo, self.rng
        members = [d for d in self.district if d.is_standing_committee_member]
        others = [d for d in self.district if not d.is_standing_committee_member]
        per_member = min(CONTACT_PAIRS_PER_MEMBER, max(1, len(others) // max(1, len(members))))
        rng.shuffle(others)
        # The member's own list starts with the demo deputy, so both demo accounts see the pair.
        others.sort(key=lambda d: d is not self.demo_deputy)
        pairs = []
        for index, member in enumerate(members):
            for deputy in others[index * per_member: (index + 1) * per_member]:
                pairs.append(services.contact_pair_create(
                    actor=self.admin, body=demo.body, year=self.year, member=member, deputy=deputy
                ))
        channels = list(ContactLog.Channel)
        contents = (
            "电话了解近期履职情况，交流建议办理进展。", "到代表所在单位走访，听取对常委会工作的意见。",
            "邀请代表列席常委会会议并座谈。", "微信沟通选民反映的道路积水问题。",
        )
        bulk = []
        for pair in pairs:
            count = rng.choice((0, 1, 2, 2, 3)) if pair.deputy is not self.demo_deputy else 3
            for number in range(count):
                log = ContactLog(
                    pair=pair, date=datetime.date(self.year, rng.randint(1, 11), rng.randint(1, 20)),
                    channel=rng.choice(channels), content=rng.choice(contents),
                    logged_side=ContactLog.Side.STAFF, logged_by=self.clerk,
                )
                if pair.member.user_id is None:
                    bulk.append(log)
                    continue
                # The member with a demo account logs their own contacts; the demo deputy logs one.
                actor = demo.users["deputy"] if pair.deputy is self.demo_deputy and number == 2 else pair.member.user
                services.contact_log_create(
                    actor=actor, pair=pair, date=log.date, channel=log.channel, content=log.content
                )
        self._bulk_contact_logs(bulk)
        logs = ContactLog.objects.filter(pair__in=pairs).count()
        demo.counts.update({"contact pairs": len(pairs), "contact logs": logs})

    def _bulk_contact_logs(self, logs: list[ContactLog]):
        """Insert staff-logged contacts with what contact_log_create() would record for each: the
        pair's event and a committee-contact activity (keyed by the log) for both of the pair."""
        logs = ContactLog.objects.bulk_create(logs)
        pair_type = ContentType.objects.get_for_model(ContactPair)
        Event.objects.bulk_create(
            Event(content_type=pair_type, object_id=str(log.pair_id), actor=self.clerk, verb="contact_logged",
                  data={"log": log.pk, "channel": log.channel})
            for log in logs
        )
        log_type = ContentType.objects.get_for_model(ContactLog)
        activities = [
            DutyActivity(
                body=self.demo.body, kind=ActivityKind.COMMITTEE_CONTACT, date=log.date,
                title=_("Contact between %(member)s and %(deputy)s")
                % {"member": log.pair.member.name, "deputy": log.pair.deputy.name},
                source=DutyActivity.Source.AUTOMATIC, state=DutyActivity.State.VERIFIED, verified_at=timezone.now(),
                source_content_type=log_type, source_object_id=str(log.pk),
            )
            for log in logs
        ]
        self._bulk(activities, [[log.pair.member, log.pair.deputy] for log in logs], verb="recorded", actor=self.clerk)

    def _voter_reports(self):
        """The demo deputy reported to the voters in June: slips voted on phones, a box of paper
        ballots, questions answered, ballot closed. A few more reports are planned for December."""
        demo, rng = self.demo, self.rng
        town = demo.demo_town
        place = f"{town.name}人大代表联络站"
        report = services.voter_report_plan(
            actor=self.clerk, deputy=self.demo_deputy, scheduled_on=datetime.date(self.year, 6, 18), place=place,
            region=town,
        )
        report = services.voter_report_record_meeting(
            actor=self.clerk, report=report, held_on=datetime.date(self.year, 6, 18), representatives_present=62,
            report_text=(
                "一、认真参加区人代会和代表活动；二、围绕基层医疗卫生提出建议3件；三、进站接待选民6次，"
                "收集意见21条，均已转交有关部门办理。不足之处：走访选民次数偏少，今后将加强联系。"
            ),
        )
        tokens = services.ballot_slips_generate(actor=self.clerk, report=report, count=40)
        choices = (
            [Satisfaction.SATISFIED] * 24 + [Satisfaction.BASICALLY_SATISFIED] * 8 + [Satisfaction.UNSATISFIED] * 2
        )
        for (_serial, token), choice in zip(tokens, choices, strict=False):
            services.ballot_cast(token=token, choice=choice)
        services.paper_tally_add(
            actor=self.clerk, report=report, satisfied=18, basically_satisfied=4, unsatisfied=1, note="第1号票箱"
        )
        for asked_by, question, answer in (
            ("选民代表 王先生", "社区卫生服务站晚上能否延长开放时间？", "已向区卫健局提出建议，计划试行延时服务。"),
            ("选民代表 陈女士", "小区周边停车难问题有什么进展？", "已列入街道民生实事项目，年内增设停车位120个。"),
            ("选民代表 林先生", "代表如何联系？", "每月第二个周四在联络站接待选民，也可扫码留言。"),
        ):
            services.voter_report_question_add(
                actor=self.clerk, report=report, question=question, answer=answer, asked_by=asked_by
            )
        services.voter_report_close_ballot(actor=self.clerk, report=report)
        planned = [d for d in self.district if not d.user and d is not self.absentee]
        for index, deputy in enumerate(rng.sample(planned, min(3, len(planned)))):
            services.voter_report_plan(
                actor=self.clerk, deputy=deputy, scheduled_on=datetime.date(self.year, 12, 8 + 3 * index),
                place=f"{deputy.constituency.region.name}代表联络站", region=deputy.constituency.region,
            )
        demo.counts["reports to voters"] = 1 + min(3, len(planned))

    # ---- the year's group activities ------------------------------------------------------------

    def _draw_targets(self, body, deputies: list[Deputy]):
        """Each congress's deputies get a score drawn in a band, in the shares of BANDS; the demo
        deputy lands in the fair band, the member in the good one, the absentee in the poor one.
        Township deputies do fewer kinds of activity, so their best scores stay lower."""
        rng = self.rng
        fixed = {self.demo_deputy.pk: "fair", self.member_deputy.pk: "good", self.absentee.pk: "poor"}
        shares = self._share(len(deputies), [share for _band, share, _range in BANDS], minimum=1)
        pool = [band for (band, _share, _range), count in zip(BANDS, shares, strict=True) for _i in range(count)]
        for deputy in deputies:
            if fixed.get(deputy.pk) in pool:
                pool.remove(fixed[deputy.pk])
        rng.shuffle(pool)
        ranges = {band: bounds for band, _share, bounds in BANDS}
        for deputy in deputies:
            band = fixed.get(deputy.pk) or (pool.pop() if pool else "fair")
            low, high = ranges[band]
            self.targets[deputy.pk] = rng.randint(low, high if body.is_district else min(high, TOWNSHIP_CEILING))

    def _fill(self, body, deputies: list[Deputy]):
        """Bring each deputy's score to their target with group activities of the year."""
        rng = self.rng
        if not deputies:
            return
        rules = score_rules(body)
        scores = body_scores(body, self.year, deputies=Deputy.objects.filter(pk__in=[d.pk for d in deputies]))
        points = {item.deputy.pk: {k.kind: k.points for k in item.by_kind} for item in scores}
        kinds = [k for k in FILL_WEIGHTS if body.is_district or k in TOWNSHIP_KINDS]
        town_of = {d.pk: self._town(d) for d in deputies}
        open_activities: dict[tuple, list] = {}
        activities, participants = [], []
        for deputy in sorted(deputies, key=lambda d: rng.random()):
            mine = points.get(deputy.pk, {})
            target = self.targets[deputy.pk]
            joined: set[int] = set()
            while sum(mine.values()) < target:
                usable = [
                    k for k in kinds
                    if rules[k].yearly_cap is None or mine.get(k, 0) + rules[k].points <= rules[k].yearly_cap
                ]
                if not usable:
                    break
                kind = rng.choices(usable, weights=[FILL_WEIGHTS[k] for k in usable])[0]
                town = town_of[deputy.pk]
                key = (kind, town.pk)
                # Full activities leave the open list; a deputy joins an activity once.
                open_here = open_activities.setdefault(key, [])
                open_here[:] = [i for i in open_here if len(participants[i]) < GROUP_SIZE]
                candidates = [i for i in open_here if i not in joined]
                if kind == ActivityKind.VOTER_VISIT or not candidates:
                    activities.append(self._activity(body, kind, town))
                    participants.append([deputy])
                    chosen = len(activities) - 1
                    open_here.append(chosen)
                else:
                    chosen = rng.choice(candidates)
                    participants[chosen].append(deputy)
                joined.add(chosen)
                mine[kind] = mine.get(kind, 0) + rules[kind].points
        self._bulk(activities, participants, verb="created", actor=self.clerk)

    def _town(self, deputy: Deputy) -> Region:
        region_id = deputy.constituency.region.parent_id if deputy.constituency.region.kind in (
            Region.Kind.VILLAGE, Region.Kind.COMMUNITY) else deputy.constituency.region_id
        return next(town for town in self.demo.towns if town.pk == region_id)

    def _activity(self, body, kind: str, town: Region) -> DutyActivity:
        rng = self.rng
        village = rng.choice(self.villages_of[town.pk])
        title = rng.choice(ACTIVITY_TITLES[kind]).format(town=town.name, village=village.name)
        day = datetime.date(self.year, 1, 15) + datetime.timedelta(days=rng.randrange(305))
        return DutyActivity(
            body=body, kind=kind, title=title, date=day, place=village.name if "{village}" in title else town.name,
            source=DutyActivity.Source.STAFF, state=DutyActivity.State.VERIFIED,
            theme_year=self.theme if body.is_district and rng.random() < 0.4 else None,
            reported_by=self.clerk, verified_by=self.clerk, verified_at=timezone.now(),
        )

    def _bulk(self, activities: list[DutyActivity], participants: list[list[Deputy]], *, verb: str, actor):
        """Insert activities with their participations and one timeline event each."""
        activities = DutyActivity.objects.bulk_create(activities)
        DutyParticipation.objects.bulk_create(
            DutyParticipation(activity=activity, deputy=deputy)
            for activity, deputies in zip(activities, participants, strict=True)
            for deputy in deputies
        )
        content_type = ContentType.objects.get_for_model(DutyActivity)
        Event.objects.bulk_create(
            Event(content_type=content_type, object_id=str(activity.pk), actor=actor, verb=verb,
                  to_state=activity.state)
            for activity in activities
        )

    # ---- the outstanding-deputy selection ---------------------------------------------------------

    def _selection(self):
        """The year's selection, taking nominations: each town puts forward its best-scoring
        eligible deputies (the demo town through its township officer)."""
        demo = self.demo
        selection = services.selection_create(
            actor=self.admin, body=demo.body, year=self.year, title=f"{self.year}年度同安区优秀人大代表评选"
        )
        selection = services.selection_open_nominations(actor=self.admin, selection=selection)
        scores = body_scores(demo.body, self.year)
        nominated = 0
        for town in demo.towns:
            best = [
                item for item in scores
                if item.town is not None and item.town.pk == town.pk and not item.deputy.is_district_leader
            ][:2]
            actor = demo.users["township"] if town.pk == demo.demo_town.pk else self.admin
            for item in best:
                services.nomination_create(
                    actor=actor, selection=selection, deputy=item.deputy,
                    reason=f"年度履职积分{item.score}分，积极参加视察调研和进站接待选民，认真提出意见建议。",
                )
                nominated += 1
        demo.counts["nominations"] = nominated


def _number(value: int) -> str:
    """A meeting number in Chinese numerals (第三十一次), as the minutes write it."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(value, 10)
    if tens == 0:
        return digits[ones]
    return f"{'' if tens == 1 else digits[tens]}十{digits[ones] if ones else ''}"
