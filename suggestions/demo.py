"""The suggestions of the demo district (seed_demo): a year of the district deputies' proposals in
every state — filed at the January congress session or between sessions — with overdue ones, an
extension, a re-handling round (不满意, then 满意), co-handlers, key suggestions, commitments due
soon and a few motions with their co-signers; a face-to-face session held and closed with its
ratings, and one planned (suggestions.demo_sessions).

Everything goes through suggestions.services, so numbers, deadlines with their basis, events,
duty activities and notifications are what the platform writes. The services date what they do
"today" unless they take a date: where they take one (receipt, assignment, contact, reply,
rating, re-handling, closure, key designation) the demo passes the day it happened; the
timestamps of filing and acceptance are then set with a queryset update to the same days.

The services act only for a deputy's own account and a unit's own officers, so the proposing
deputies and the handling units get accounts here: mandates linked through the roster service,
officers granted through the role service, neither able to log in (unusable passwords). The
demo accounts "deputy" and "unit" (卫健局) find their own work waiting: a draft, a proposal to
co-sign, a reply to rate; assignments awaiting a contact and a reply.
"""

import datetime

from django.contrib.auth.hashers import make_password
from django.db.models import Q
from django.utils import timezone

from congress import services as congress_services
from congress.models import Session, Unit, User
from congress.models.accounts import Role
from deputies import services as deputy_services
from deputies.models import Deputy
from suggestions import demo_sessions, services
from suggestions.models import (
    Assignment,
    Category,
    Commitment,
    Contact,
    Extension,
    FaceToFaceSession,
    KeySuggestion,
    Proposal,
    ReplyClass,
    ReturnReason,
)
from suggestions.models.evaluation import Satisfaction

DEMO_YEAR = 2026
PROPOSALS = 90
PROPOSERS = 40  # district deputies who file this year (each gets an account the demo acts through)
MOTIONS = 3
KEY_SUGGESTIONS = 4

CATEGORIES = (
    ("城乡建设", "城乡建设环境保护工作委员会"),
    ("交通运输", "城乡建设环境保护工作委员会"),
    ("生态环境", "城乡建设环境保护工作委员会"),
    ("教育科技", "教育科学文化卫生工作委员会"),
    ("医疗卫生", "教育科学文化卫生工作委员会"),
    ("社会保障", "社会建设工作委员会"),
    ("农业农村", "农业农村工作委员会"),
    ("经济发展", "财政经济委员会"),
    ("政法工作", "监察和司法工作委员会"),
)
# Title, content and the department that handles it, per category.
TOPICS = {
    "城乡建设": (("关于加快{town}老旧小区改造的建议", "建设与交通局"),
                 ("关于完善{town}背街小巷排水设施的建议", "城管局")),
    "交通运输": (("关于优化{town}公交线网的建议", "建设与交通局"),
                 ("关于改善{town}农村公路养护的建议", "建设与交通局")),
    "生态环境": (("关于加强西溪流域水环境治理的建议", "水利局"), ("关于推进{town}垃圾分类的建议", "城管局")),
    "教育科技": (("关于增加{town}公办幼儿园学位的建议", "教育局"), ("关于推进中小学课后服务的建议", "教育局")),
    "医疗卫生": (("关于延长{town}社区卫生服务中心服务时间的建议", "卫健局"),
                 ("关于加强基层儿科医生队伍建设的建议", "卫健局"), ("关于推进家庭医生签约服务提质的建议", "卫健局")),
    "社会保障": (("关于在{town}建设长者食堂的建议", "民政局"), ("关于做好灵活就业人员社保服务的建议", "人社局")),
    "农业农村": (("关于支持{town}茶产业发展的建议", "农业农村局"), ("关于完善农田水利设施的建议", "水利局")),
    "经济发展": (("关于优化营商环境、压缩审批时限的建议", "审批管理局"), ("关于扶持小微企业发展的建议", "工信局")),
    "政法工作": (("关于加强农村人民调解工作的建议", "司法局"),),
}
CONTENT = (
    "一、基本情况：{title}所涉问题群众反映强烈，代表在视察调研和进站接待中多次听到相关意见。\n"
    "二、存在问题：相关设施和服务与群众需求仍有差距，部门之间协调不够，资金保障不足。\n"
    "三、具体建议：1. 摸清底数，制定年度实施计划；2. 加大财政投入，拓宽资金渠道；"
    "3. 建立部门联动机制，明确责任分工和完成时限。"
)
REPLIES = {
    "A": "经研究，代表所提问题已列入今年重点工作并已完成，相关设施已投入使用。感谢代表对我局工作的关心和支持。",
    "B": "代表所提建议很有针对性。我局已制定工作方案，正在分步实施，预计年内完成主体工程。",
    "C": "代表所提建议符合实际，但受用地和资金条件限制，近期难以全部实施，我局将列入下一阶段规划统筹解决。",
    "D": "感谢代表的建议，我局将在今后工作中参考研究。",
}
COMMITMENTS = ("完成项目立项和资金安排", "完成主体工程建设", "出台实施方案并向代表反馈")
# Similar proposals by different deputies, handled together (并案).
MERGED_TITLES = (
    "关于延长同安城区社区卫生服务中心夜间门诊时间的建议",
    "关于延长社区卫生服务中心夜间门诊时间的建议",
    "关于社区卫生服务中心增设夜间门诊的建议",
)
UNSATISFIED = "答复内容空泛，没有明确的完成时限，问题仍未解决。"

# How a year of proposals ends up (weights). The deputy's and the unit's own items come on top.
OUTCOMES = {
    "draft": 3, "submitted": 3, "submitted_late": 2, "returned": 3, "withdrawn": 2, "accepted": 3,
    "assigned": 4, "handling_overdue": 8, "handling": 6, "extended": 2, "replied": 6, "evaluated": 3,
    "evaluated_unsatisfied": 2, "rehandling": 2, "closed": 44, "closed_rehandled": 3, "closed_not_rated": 3,
}


def build(demo, *, year: int = DEMO_YEAR) -> None:
    SuggestionsDemo(demo, year=year).build()


class SuggestionsDemo:
    def __init__(self, demo, *, year: int):
        self.demo = demo
        self.rng = demo.rng
        self.year = year
        self.admin = demo.users["admin"]
        self.clerk = demo.users["clerk"]
        self.today = min(max(timezone.localdate(), datetime.date(year, 4, 1)), datetime.date(year, 12, 31))
        self.session = (
            Session.objects.filter(term=demo.term, kind=Session.Kind.CONGRESS, starts_on__year=year)
            .order_by("starts_on").first()
        )
        self.towns = {town.pk: town for town in demo.towns}

    # ---- accounts ----------------------------------------------------------------------------

    @staticmethod
    def _account(username: str, full_name: str) -> User:
        """An account the demo acts through, that nobody can log in with (unusable password)."""
        return User.objects.create(username=username, full_name=full_name, email=f"{username}@tongan.example.cn",
                                   password=make_password(None), must_change_password=True)

    def _accounts(self):
        demo, rng = self.demo, self.rng
        district = list(
            Deputy.objects.filter(pk__in=[d.pk for d in demo.district_deputies])
            .select_related("constituency__region", "body", "term").order_by("pk")
        )
        self.deputy = next(d for d in district if d.user_id == demo.users["deputy"].pk)
        self.member = next((d for d in district if d.user_id == demo.users["member"].pk), None)
        others = [d for d in district if d.user_id is None and d.is_serving]
        count = min(self.demo.size("proposers", PROPOSERS), len(others))
        chosen = sorted(rng.sample(others, count), key=lambda d: d.pk)
        users = []
        for deputy in chosen:
            user = self._account(f"dep{deputy.pk:05d}", deputy.name)
            deputy_services.deputy_link_user(actor=self.admin, deputy=deputy, user=user)
            users.append(user.pk)
        self.proposers = [self.deputy, *chosen]
        self.users = {d.pk: d.user for d in self.proposers}
        # Units: one officer each (卫健局's is the demo account "unit").
        self.units = {unit.short_name: unit for unit in demo.units if unit.kind == Unit.Kind.DEPARTMENT}
        self.officers = {demo.health_bureau.pk: demo.users["unit"]}
        for unit in self.units.values():
            if unit.pk in self.officers:
                continue
            user = self._account(f"unit{unit.pk:04d}", f"{unit.short_name}办公室")
            congress_services.role_grant(actor=None, user=user, role=Role.UNIT_OFFICER, unit=unit)
            self.officers[unit.pk] = user
            users.append(user.pk)
        self.extra_accounts = len(users)

    def _lists(self):
        body = self.demo.body
        services.ensure_defaults(body)
        committees = {committee.name: committee for committee in self.demo.committees}
        if not Category.objects.filter(body=body).exists():
            Category.objects.bulk_create(
                Category(body=body, name=name, committee=committees.get(committee), order=index)
                for index, (name, committee) in enumerate(CATEGORIES)
            )
        self.categories = {c.name: c for c in Category.objects.filter(body=body)}
        self.classes = {c.code: c for c in ReplyClass.objects.filter(body=body)}
        self.return_reasons = list(ReturnReason.objects.filter(body=body).order_by("order"))

    # ---- the year ----------------------------------------------------------------------------

    def build(self):
        demo = self.demo
        self._accounts()
        self._lists()
        count = demo.size("proposals", PROPOSALS)
        outcomes = list(OUTCOMES)
        weights = list(OUTCOMES.values())
        # Every outcome at least once, the rest drawn by weight.
        plan = outcomes + self.rng.choices(outcomes, weights=weights, k=max(0, count - len(outcomes)))
        self.rng.shuffle(plan)
        self.made: list[Proposal] = []
        for outcome in plan:
            self._proposal(outcome)
        self._motions()
        self._own_items()
        self._merged_group()
        self._key_suggestions()
        demo_sessions.build(self)
        body_proposals = Proposal.objects.filter(body=demo.body)
        demo.counts.update({
            "proposals": body_proposals.count(),
            "motions filed": body_proposals.filter(
                Q(kind=Proposal.Kind.MOTION) | ~Q(converted_from_number="")).count(),
            "assignments": Assignment.objects.filter(proposal__body=demo.body).count(),
            "key suggestions": KeySuggestion.objects.filter(proposal__body=demo.body).count(),
            "commitments": Commitment.objects.filter(reply__assignment__proposal__body=demo.body).count(),
            "face-to-face sessions": FaceToFaceSession.objects.filter(body=demo.body).count(),
            "accounts acting in the demo": self.extra_accounts,
        })

    def _topic(self, lead: Deputy):
        rng = self.rng
        category = rng.choice(list(TOPICS))
        title, unit_name = rng.choice(TOPICS[category])
        region = lead.constituency.region if lead.constituency_id else None
        town = self.towns.get(region.pk) or self.towns.get(region.parent_id) if region else None
        title = title.format(town=town.name if town else "同安")
        return category, title, self.units.get(unit_name) or self.demo.health_bureau

    def _day(self, low: datetime.date, high: datetime.date) -> datetime.date:
        if high <= low:
            return low
        return low + datetime.timedelta(days=self.rng.randrange((high - low).days + 1))

    def _back(self, days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days)

    def _file(self, lead: Deputy, *, kind=Proposal.Kind.SUGGESTION, session=None, co_signers=(), title=None,
              category=None, unit=None, filed_on=None) -> tuple[Proposal, object]:
        topic_category, topic_title, topic_unit = self._topic(lead)
        category = category or topic_category
        title = title or topic_title
        co_signers = [d for d in co_signers if d.pk != lead.pk]
        proposal = services.proposal_file(
            actor=self.users[lead.pk], lead_deputy=lead, title=title, content=CONTENT.format(title=title),
            kind=kind, session=session, category=self.categories[category], keywords=category,
            co_signers=co_signers,
        )
        if filed_on is not None:
            Proposal.objects.filter(pk=proposal.pk).update(created_at=self._at(filed_on))
        self.made.append(proposal)
        return proposal, unit or topic_unit

    def _at(self, day: datetime.date, hour: int = 10) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))

    def _confirm_all(self, proposal: Proposal):
        for signer in proposal.signers.filter(confirmed_at__isnull=True).select_related("deputy"):
            services.signer_confirm(actor=self.users[signer.deputy_id], signer=signer)

    def _submit(self, proposal: Proposal, lead: Deputy, received: datetime.date) -> Proposal:
        proposal = services.proposal_submit(actor=self.users[lead.pk], proposal=proposal, received_on=received)
        Proposal.objects.filter(pk=proposal.pk).update(submitted_at=self._at(received, 9))
        return proposal

    def _accept(self, proposal: Proposal, on: datetime.date) -> Proposal:
        if proposal.kind == Proposal.Kind.MOTION and self.rng.random() < 0.5:
            proposal = services.motion_convert_to_suggestion(
                actor=self.admin, proposal=proposal, note="不符合议案条件，作为建议交办。"
            )
        else:
            proposal = services.proposal_accept(actor=self.admin, proposal=proposal)
        Proposal.objects.filter(pk=proposal.pk).update(accepted_at=self._at(on, 15))
        proposal.refresh_from_db()
        return proposal

    def _proposal(self, outcome: str, *, lead: Deputy | None = None, unit: Unit | None = None):
        rng = self.rng
        lead = lead or rng.choice(self.proposers[1:] or self.proposers)
        co = rng.sample([d for d in self.proposers if d.pk != lead.pk], k=min(rng.choice((0, 0, 1, 2, 3)),
                                                                            len(self.proposers) - 1))
        if outcome in ("draft",):
            self._file(lead, co_signers=co, filed_on=self._back(rng.randint(1, 20)))
            return
        # Session proposals for the early and the long-running outcomes, recess ones for the recent.
        at_session = self.session is not None and outcome in (
            "returned", "withdrawn", "handling_overdue", "closed", "closed_rehandled", "closed_not_rated",
        ) and rng.random() < 0.8
        if at_session:
            received = self.session.starts_on + datetime.timedelta(days=1)
        else:
            received = {
                "submitted": self._back(rng.randint(0, 4)),
                "submitted_late": self._back(rng.randint(18, 30)),
                "accepted": self._back(rng.randint(3, 8)),
                "assigned": self._back(rng.randint(8, 20)),
                "handling": self._back(rng.randint(25, 70)),
                "extended": self._back(rng.randint(75, 85)),
                "replied": self._back(rng.randint(40, 80)),
                "evaluated": self._back(rng.randint(60, 100)),
                "evaluated_unsatisfied": self._back(rng.randint(60, 100)),
                "rehandling": self._back(rng.randint(110, 150)),
            }.get(outcome) or self._day(datetime.date(self.year, 2, 20), self._back(150))
        proposal, unit = self._file(lead, session=self.session if at_session else None, co_signers=co,
                                    filed_on=received - datetime.timedelta(days=rng.randint(0, 3)), unit=unit)
        self._confirm_all(proposal)
        proposal = self._submit(proposal, lead, received)
        if outcome in ("submitted", "submitted_late"):
            return
        if outcome == "withdrawn":
            for signer in proposal.signers.filter(is_lead=False).select_related("deputy"):
                services.signer_consent_withdrawal(actor=self.users[signer.deputy_id], signer=signer)
            services.proposal_withdraw(actor=self.users[lead.pk], proposal=proposal,
                                       note="问题已在调研中解决，申请撤回。")
            return
        if outcome == "returned":
            reason = rng.choice(self.return_reasons)
            services.proposal_return(actor=self.admin, proposal=proposal, reason=reason,
                                     note="该事项不属于建议范围，请通过相关渠道反映。",
                                     convert_to_letter=rng.random() < 0.3)
            return
        accepted_on = received + datetime.timedelta(days=rng.randint(1, 4))
        proposal = self._accept(proposal, min(accepted_on, self.today))
        if outcome == "accepted":
            return
        self._handle(proposal, lead, unit, outcome, received)

    def _handle(self, proposal: Proposal, lead: Deputy, unit: Unit, outcome: str, received: datetime.date):
        rng = self.rng
        delay = rng.randint(20, 30) if proposal.session_id else rng.randint(2, 8)
        assigned_on = received + datetime.timedelta(days=delay)
        if outcome == "closed_not_rated" and not proposal.session_id:
            assigned_on = received + datetime.timedelta(days=12)  # after the intake deadline: flagged late
        assigned_on = min(assigned_on, self._back(1))
        co_units = []
        others = [u for u in self.units.values() if u.pk != unit.pk]
        if rng.random() < 0.25 and others:
            co_units = [rng.choice(others)]
        assignments = services.proposal_assign(actor=self.admin, proposal=proposal, lead_unit=unit, co_units=co_units,
                                               assigned_on=assigned_on)
        lead_assignment = next(a for a in assignments if a.role == Assignment.Role.LEAD)
        officer = self.officers[unit.pk]
        if outcome == "assigned":
            return
        contacted = min(assigned_on + datetime.timedelta(days=rng.randint(5, 20)), self._back(1))
        kind = rng.choice(list(Contact.Kind))
        services.contact_record(
            actor=officer, assignment=lead_assignment, kind=kind, contacted_on=contacted,
            people=f"{officer.full_name}、{lead.name}代表", content="当面听取代表意见，介绍办理思路和进度安排。",
        )
        for co_assignment in (a for a in assignments if a.role == Assignment.Role.CO):
            services.co_opinion_submit(actor=self.officers[co_assignment.unit_id], assignment=co_assignment,
                                       text="我单位同意主办单位意见，将在职责范围内积极配合。")
        if outcome in ("handling", "handling_overdue"):
            return
        if outcome == "extended":
            lead_assignment.refresh_from_db()
            requested = min(lead_assignment.reply_due + datetime.timedelta(days=45), lead_assignment.max_due)
            extension = services.extension_request(
                actor=officer, assignment=lead_assignment, requested_due=requested,
                reason="项目涉及用地报批，需协调多个部门，申请延期答复。",
            )
            if rng.random() < 0.5 or not Extension.objects.filter(state=Extension.State.APPROVED).exists():
                services.extension_approve(actor=self.admin, extension=extension, note="同意延期。")
            return
        if outcome == "replied":
            replied_on = self._back(rng.randint(1, 8))
        elif outcome in ("evaluated", "evaluated_unsatisfied"):
            replied_on = self._back(rng.randint(12, 18))
        else:
            replied_on = min(contacted + datetime.timedelta(days=rng.randint(20, 60)), self._back(40))
        replied_on = max(replied_on, contacted)
        self._reply(lead_assignment, officer, replied_on, unsatisfied_next=outcome in (
            "evaluated_unsatisfied", "rehandling", "closed_rehandled"))
        if outcome == "replied":
            return
        if outcome == "closed_not_rated":
            lead_assignment.refresh_from_db()
            services.assignment_close(actor=None, assignment=lead_assignment,
                                      on=lead_assignment.rating_due + datetime.timedelta(days=1))
            return
        unhappy = outcome in ("evaluated_unsatisfied", "rehandling", "closed_rehandled")
        rated_on = self._rate(lead_assignment, lead, replied_on, unsatisfied=unhappy)
        if outcome in ("evaluated", "evaluated_unsatisfied"):
            return
        if unhappy:
            ordered = rated_on + datetime.timedelta(days=2)
            services.rehandling_order(actor=self.admin, assignment=lead_assignment, on=ordered,
                                      note="代表不满意，请重新办理并加强与代表沟通。")
            if outcome == "rehandling":
                return
            second_contact = ordered + datetime.timedelta(days=5)
            services.contact_record(
                actor=officer, assignment=lead_assignment, kind=Contact.Kind.FACE_TO_FACE, contacted_on=second_contact,
                people=f"{officer.full_name}、{lead.name}代表", content="面对面座谈，逐条回应代表关切。",
            )
            second_reply = second_contact + datetime.timedelta(days=10)
            self._reply(lead_assignment, officer, second_reply, reply_class="A")
            rated_on = self._rate(lead_assignment, lead, second_reply, unsatisfied=False)
        services.assignment_close(actor=self.admin, assignment=lead_assignment,
                                  on=rated_on + datetime.timedelta(days=3))

    def _reply(self, assignment: Assignment, officer, on: datetime.date, *, unsatisfied_next=False, reply_class=None):
        rng = self.rng
        if reply_class is None:
            reply_class = rng.choices(["A", "B", "C", "D"], weights=[45, 35, 12, 8])[0]
            if unsatisfied_next:
                reply_class = rng.choice(["C", "D"])
        commitments = []
        if self.classes[reply_class].requires_commitment:
            # Commitments fall both in the past and in the coming weeks (due soon).
            due = on + datetime.timedelta(days=rng.randint(30, 200))
            commitments = [(rng.choice(COMMITMENTS), due)]
        reply = services.reply_submit(
            actor=officer, assignment=assignment, text=REPLIES[reply_class], reply_class=self.classes[reply_class],
            officer=officer.full_name, commitments=commitments, on=on,
        )
        for commitment in reply.commitments.filter(due_on__lt=self.today):
            if rng.random() < 0.7:
                services.commitment_fulfil(actor=officer, commitment=commitment,
                                           report="已按承诺完成，并向代表书面反馈。")
        return reply

    def _rate(self, assignment: Assignment, lead: Deputy, replied_on: datetime.date, *, unsatisfied: bool):
        rng = self.rng
        rated_on = min(replied_on + datetime.timedelta(days=rng.randint(2, 10)), self.today)
        if unsatisfied:
            attitude, result, reason = Satisfaction.BASICALLY_SATISFIED, Satisfaction.UNSATISFIED, UNSATISFIED
        else:
            attitude = rng.choices([Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED], weights=[80, 20])[0]
            result = rng.choices([Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED], weights=[65, 35])[0]
            reason = ""
        services.rating_submit(actor=self.users[lead.pk], assignment=assignment, attitude=attitude, result=result,
                               reason=reason, on=rated_on)
        return rated_on

    # ---- motions, the demo accounts' own items, key suggestions --------------------------------

    def _motions(self):
        rng = self.rng
        needed = 10
        count = self.demo.size("motions", MOTIONS)
        if len(self.proposers) < needed or self.session is None:
            return
        titles = ("关于制定同安区农村人居环境整治三年行动计划的议案", "关于加快西溪流域综合治理的议案",
                  "关于完善基层医疗卫生服务体系的议案", "关于推进城乡公交一体化的议案")
        for index in range(count):
            lead = self.proposers[1 + index % max(1, len(self.proposers) - 1)]
            co = rng.sample([d for d in self.proposers if d.pk != lead.pk], needed - 1)
            proposal, unit = self._file(lead, kind=Proposal.Kind.MOTION, session=self.session, co_signers=co,
                                        title=titles[index % len(titles)],
                                        filed_on=self.session.starts_on)
            self._confirm_all(proposal)
            received = self.session.starts_on + datetime.timedelta(days=1)
            proposal = self._submit(proposal, lead, received)
            proposal = self._accept(proposal, received + datetime.timedelta(days=2))
            self._handle(proposal, lead, unit, "closed" if index % 2 == 0 else "handling_overdue", received)

    def _own_items(self):
        """What the demo accounts find waiting: the deputy's draft, a proposal for them to co-sign,
        a reply of 卫健局 for them to rate; 卫健局's assignments awaiting a contact and a reply."""
        deputy, health = self.deputy, self.demo.health_bureau
        self._file(deputy, title="关于在大同街道增设社区卫生服务站夜间门诊的建议", category="医疗卫生",
                   filed_on=self._back(2))
        other = self.proposers[1] if len(self.proposers) > 1 else None
        if other is not None:
            self._file(other, co_signers=[deputy], title="关于完善同安城区停车设施的建议", category="城乡建设",
                       filed_on=self._back(3))
        # A reply to rate (recess proposal replied by 卫健局 a few days ago).
        self._proposal("replied", lead=deputy, unit=health)
        self._proposal("closed", lead=deputy, unit=health)
        # 卫健局: assignments awaiting a contact, and handled ones awaiting a reply.
        for outcome in ("assigned", "assigned", "handling", "handling"):
            self._proposal(outcome, unit=health)

    def _merged_group(self):
        """Three similar proposals by different deputies merged and handled together by 卫健局: one
        assignment day, one symposium and one reply answer all three, and each deputy rates their own."""
        leads = self.proposers[-3:]
        if len(leads) < 2:
            return
        unit, received = self.demo.health_bureau, self._back(70)
        members = []
        for lead, title in zip(leads, MERGED_TITLES, strict=False):
            proposal, _unit = self._file(lead, title=title, category="医疗卫生",
                                         filed_on=received - datetime.timedelta(days=1))
            proposal = self._submit(proposal, lead, received)
            members.append(self._accept(proposal, received + datetime.timedelta(days=1)))
        for proposal in members[1:]:
            services.proposal_merge(actor=self.admin, proposal=proposal, with_proposal=members[0])
        assigned_on = received + datetime.timedelta(days=3)
        services.proposal_assign(actor=self.admin, proposal=members[0], lead_unit=unit, assigned_on=assigned_on)
        lead_assignments = list(Assignment.objects.filter(proposal__in=members, role=Assignment.Role.LEAD)
                                .select_related("proposal__lead_deputy").order_by("proposal_id"))
        officer = self.officers[unit.pk]
        services.contact_record(
            actor=officer, assignment=lead_assignments[0], kind=Contact.Kind.SYMPOSIUM,
            contacted_on=assigned_on + datetime.timedelta(days=10),
            people=f"{officer.full_name}、" + "、".join(f"{lead.name}代表" for lead in leads),
            content="召开座谈会，一并听取几位代表关于夜间门诊的意见。",
        )
        replied_on = assigned_on + datetime.timedelta(days=40)
        self._reply(lead_assignments[0], officer, replied_on, reply_class="A")
        for assignment in lead_assignments:
            self._rate(assignment, assignment.proposal.lead_deputy, replied_on, unsatisfied=False)

    def _key_suggestions(self):
        rng = self.rng
        leader = self.demo.users["leader"]
        candidates = list(
            Proposal.objects.filter(body=self.demo.body, state__in=[
                Proposal.State.HANDLING, Proposal.State.REPLIED, Proposal.State.CLOSED, Proposal.State.ASSIGNED,
            ], kind=Proposal.Kind.SUGGESTION).select_related("category__committee").order_by("pk")
        )
        count = min(self.demo.size("key_suggestions", KEY_SUGGESTIONS), len(candidates))
        for index, proposal in enumerate(rng.sample(candidates, count)):
            committee = proposal.category.committee if proposal.category and proposal.category.committee else (
                self.demo.committees[0])
            key = services.key_suggestion_designate(
                actor=self.admin, proposal=proposal, year=self.year, supervising_leader=leader, committee=committee,
                designated_on=datetime.date(self.year, 3, 5),
            )
            services.key_suggestion_progress_add(
                actor=leader, key_suggestion=key, note="带队实地督办，听取承办单位办理情况汇报。",
                noted_on=datetime.date(self.year, 6, 12),
            )
            if index == 0 and proposal.state == Proposal.State.CLOSED:
                services.key_suggestion_mark_solved(actor=leader, key_suggestion=key)
